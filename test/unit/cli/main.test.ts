import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from '../../../src/cli/main.ts';
import { VERSION } from '../../../src/version.ts';
import { memoryIO } from '../../helpers/io.ts';

describe('cli main', () => {
  it('prints the version that package.json declares', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const io = memoryIO();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toContain(VERSION);
  });

  it('returns the usage exit code for an unknown command', async () => {
    const io = memoryIO();
    expect(await main(['no-such-command'], io)).toBe(64);
    expect(io.err()).toMatch(/unknown command/);
  });
});
