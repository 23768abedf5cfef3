// Bug (issue 10): `gwe inspect 'a\0b'` (and `gwe keygen --out 'a\0b'`) exited 70, "internal error", with a
// stack trace: Node's ERR_INVALID_ARG_VALUE for a path holding a NUL byte was not mapped in handleError. Now an
// argument with a NUL byte is a usage error (64) naming the argument and its flag, before any file is touched;
// a NUL-bearing value Node refuses anywhere else is bad input (65), never 70.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { Exit } from '../../src/cli/exit.ts';
import { memoryIO } from '../helpers/io.ts';

async function run(argv: string[]): Promise<{ code: number; err: string; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-nul-'));
  const io = memoryIO({ cwd });
  const code = await main(argv, io);
  return { code, err: io.err(), cwd };
}

describe('regression: inspect-nul-argument-exits-70', () => {
  it("gwe inspect 'a\\0b' is a usage error naming the argument", async () => {
    const r = await run(['inspect', 'a\0b']);
    expect(r.code).toBe(Exit.USAGE);
    expect(r.err).toContain('argument 2 "a\\u0000b" contains a NUL byte');
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  });

  it('a NUL in a flag value names the flag (separate and --flag=value forms), and nothing is written', async () => {
    const a = await run(['keygen', '--name', 'n', '--out', 'a\0b']);
    expect(a.code).toBe(Exit.USAGE);
    expect(a.err).toContain('(value of --out)');
    expect(readdirSync(a.cwd)).toEqual([]);
    const b = await run(['verify', 'x.tar.gz', '--trust=t\0.yaml']);
    expect(b.code).toBe(Exit.USAGE);
    expect(b.err).toContain('(value of --trust)');
    expect(existsSync(join(b.cwd, 't'))).toBe(false);
  });

  it('every command refuses it the same way, never with 70', async () => {
    for (const argv of [['verify', 'a\0b', '--key', 'k.pem'], ['report', 'a\0b'], ['diff', 'a\0b', 'c'], ['resolve', 'a\0b'], ['collect', '--from', 'a\0b', '--out', 'o.tar.gz']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(Exit.USAGE);
      expect(r.err, argv.join(' ')).toContain('contains a NUL byte');
    }
  });
});
