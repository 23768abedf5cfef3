// Issue 8 item 6: `collect` wrote bundles its own verifier rejects (exit 2): a `__proto__` member name anywhere
// in a kept object, or a huge repetitive annotation that trips the gzip-ratio cap with default caps. Now collect
// runs the verifier's structural checks on the bundle before writing it (src/bundle/preflight.ts: the reader's
// caps and ratio, the strict parser on any file naming `__proto__`) and refuses with a clear error (exit 65).
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { preflightBundle } from '../../src/bundle/preflight.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';

const route = (extra: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'shop', ...((extra['metadata'] as object) ?? {}) },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }], ...((extra['spec'] as object) ?? {}) },
});

function setup(files: Record<string, string>): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-preflight-'));
  copyFileSync(`${KEYS_DIR}collector.test-only.key.pem`, join(cwd, 'signer.pem'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(cwd, n), t);
  return cwd;
}

async function collect(cwd: string, input: string): Promise<{ code: number; err: string }> {
  const io = memoryIO({ cwd });
  const code = await main(['collect', '--from', input, '--out', 'b.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z'], io);
  return { code, err: io.err() };
}

describe('regression: collect-writes-bundle-verify-rejects', () => {
  it('a __proto__ member name in a kept object (JSON or YAML input): exit 65 naming the file and key, no bundle', async () => {
    const json = `{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"web","namespace":"shop"},"spec":{"parentRefs":[{"name":"gw"}],"rules":[{"__proto__":{"polluted":true},"backendRefs":[{"name":"web","port":80}]}]}}`;
    const yaml = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: shop}\nspec:\n  parentRefs: [{name: gw}]\n  __proto__: {x: 1}\n';
    for (const [name, text] of [['r.json', json], ['r.yaml', yaml]] as const) {
      const cwd = setup({ [name]: text });
      const r = await collect(cwd, name);
      expect(r.code, r.err).toBe(65);
      expect(r.err).toMatch(/refusing to write a bundle that gwe verify would reject with its default caps: .*data\/objects\/gateway\.networking\.k8s\.io\/httproute\/shop\/web\.json: expected no "__proto__" key/);
      expect(existsSync(join(cwd, 'b.tar.gz'))).toBe(false);
      expect(readdirSync(cwd).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }
  });

  it('a huge repetitive annotation that would trip the default ratio cap: exit 65 naming the largest file, no bundle', async () => {
    const cwd = setup({ 'r.json': JSON.stringify(route({ metadata: { annotations: { 'example.com/blob': 'a'.repeat(6 * 1024 * 1024) } } })) });
    const r = await collect(cwd, 'r.json');
    expect(r.code, r.err).toBe(65);
    expect(r.err).toMatch(/the bundle would inflate \d+x .* over verify's default cap of 200x \(--max-ratio\).*largest files: gwe-[0-9a-z-]+\/data\/objects\/gateway\.networking\.k8s\.io\/httproute\/shop\/web\.json \(\d+ bytes\)/);
    expect(existsSync(join(cwd, 'b.tar.gz'))).toBe(false);
  });

  it('preflight and the strict reader agree on the ratio cap at the boundary', () => {
    const seen = new Set<boolean>();
    for (const mib of [0.5, 1, 2, 3, 4, 8]) {
      const capture = sampleCapture();
      const o = capture.snapshot.objects.find((x) => x.kind === 'HTTPRoute')!;
      o.metadata.annotations = { 'example.com/blob': 'a'.repeat(Math.floor(mib * 1024 * 1024)) };
      const built = buildBundle(capture, { signers: [sampleKey('collector')] });
      const pre = preflightBundle(built).map((p) => p.code);
      const read = readArchive(built.bytes).findings.map((f) => f.code);
      expect(pre.includes('RATIO_EXCEEDED'), `${mib} MiB`).toBe(read.includes('ARCHIVE_GZIP_BOMB'));
      seen.add(read.includes('ARCHIVE_GZIP_BOMB'));
    }
    expect([...seen].sort()).toEqual([false, true]); // both sides of the cap were exercised
  });

  it('an ordinary capture passes preflight and default verify', async () => {
    const cwd = setup({ 'r.json': JSON.stringify(route({})) });
    const r = await collect(cwd, 'r.json');
    expect(r.code, r.err).toBe(0);
    copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(cwd, 'pub.pem'));
    const v = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--key', 'pub.pem', '--output', 'json'], v)).not.toBe(2);
  });
});
