import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { quarters } from '../unit/chain/fixtures.ts';
import { workdir } from './chain-helpers.ts';

describe('gwe inspect', () => {
  const [q1] = quarters();
  const dir = workdir([q1]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists objects as a table by default, without writing anything', async () => {
    const before = readdirSync(dir).sort();
    const io = memoryIO({ cwd: dir });
    expect(await main(['inspect', 'q1.tar.gz'], io)).toBe(0);
    expect(io.out()).toMatch(/^KIND\s+NAMESPACE\s+NAME\s+FILE\n/);
    expect(io.out()).toMatch(/HTTPRoute\s+models\s+chat\s+data\/objects\/gateway\.networking\.k8s\.io\/httproute\/models\/chat\.json/);
    expect(io.out().trim().split('\n')).toHaveLength(14);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('prints one HTTPRoute as YAML, or JSON', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['inspect', 'q1.tar.gz', '--kind', 'HTTPRoute', '--namespace', 'models', '--name', 'chat'], io)).toBe(0);
    const obj = parse(io.out());
    expect(obj.kind).toBe('HTTPRoute');
    expect(obj.spec.rules[0].backendRefs.map((b: { weight: number }) => b.weight)).toEqual([90, 10]);
    const js = memoryIO({ cwd: dir });
    expect(await main(['inspect', 'q1.tar.gz', '--kind', 'httproute', '--name', 'chat', '--output', 'json'], js)).toBe(0);
    expect(JSON.parse(js.out())).toEqual(obj);
  });

  it('lists certificates and prints the record', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['inspect', 'q1.tar.gz', '--certificates'], io)).toBe(0);
    expect(io.out()).toMatch(/infra\/wildcard-tls\s+tls\.crt\s+0\s+CN=\*\.example\.com\s+\*\.example\.com\s+2027-06-01T00:00:00Z\s+a{64}/);
    const rec = memoryIO({ cwd: dir });
    expect(await main(['inspect', 'q1.tar.gz', '--record', '--output', 'json'], rec)).toBe(0);
    expect(JSON.parse(rec.out()).capturedAt).toBe('2026-03-31T00:00:00Z');
  });

  it('a filter that matches nothing exits 1 and says so; bad flags exit 64', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['inspect', 'q1.tar.gz', '--kind', 'TLSRoute'], io)).toBe(1);
    expect(io.err()).toContain('no object in q1.tar.gz matches kind TLSRoute (13 objects in the bundle)');
    expect(await main(['inspect', 'q1.tar.gz', '--output', 'xml'], memoryIO({ cwd: dir }))).toBe(64);
    expect(await main(['inspect', 'q1.tar.gz', '--record', '--certificates'], memoryIO({ cwd: dir }))).toBe(64);
  });
});
