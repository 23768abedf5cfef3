/** Runs samples/demo.sh's steps in-process: collect the samples -> signed bundle -> verify -> report. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const demo = readFileSync(join(ROOT, 'samples', 'demo.sh'), 'utf8');
const CAPTURED_AT = /^CAPTURED_AT=(\S+)$/m.exec(demo)![1]!;

describe('samples/demo.sh, in-process', () => {
  it('uses the documented inputs', () => {
    expect(demo).toContain('collect --from samples/cluster --out "$BUNDLE" --key keys/collector.test-only.key.pem');
    expect(demo).toContain('verify "$BUNDLE" --trust keys/trust.yaml');
  });

  it('collects the samples into a reproducible signed bundle that verifies against keys/trust.yaml', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gwe-demo-'));
    const collectArgs = (file: string) => ['collect', '--from', 'samples/cluster', '--out', join(out, file), '--key', 'keys/collector.test-only.key.pem', '--captured-at', CAPTURED_AT, '--cluster-name', 'ai-platform-prod'];
    const c1 = memoryIO({ cwd: ROOT });
    expect(await main(collectArgs('a.tar.gz'), c1), c1.err()).toBe(0);
    const bundleId = /bundle id\s+(\S+)/.exec(c1.out())![1]!;
    expect(c1.out()).toMatch(/Secret\s+3\n/);
    // the sample Secret's one annotation outside the allow-list is dropped and named (issue 8 item 1)
    expect(c1.err()).toMatch(/^warning: SECRET_METADATA_DROPPED: Secret agents\/agents-tools-tls: [^\n]*annotation "platform\.example\.ai\/owner"[^\n]*\n$/);
    const c2 = memoryIO({ cwd: ROOT });
    expect(await main(collectArgs('b.tar.gz'), c2)).toBe(0);
    expect(readFileSync(join(out, 'b.tar.gz')).equals(readFileSync(join(out, 'a.tar.gz')))).toBe(true);

    // the TEST-ONLY private keys of samples/cluster/06-secrets.yaml are not in the bundle
    expect(readFileSync(join(ROOT, 'samples', 'cluster', '06-secrets.yaml'), 'utf8')).toContain('tls.key');
    const { gunzipSync } = await import('node:zlib');
    const tar = gunzipSync(readFileSync(join(out, 'a.tar.gz')));
    for (const name of ['shared-gw.key', 'agents-tools.key', 'llm-inference.key']) {
      const key = readFileSync(join(ROOT, 'samples', 'tools', 'certs', name), 'utf8');
      const line = key.split('\n')[1]!;
      expect(tar.indexOf(Buffer.from(line)), name).toBe(-1);
      expect(tar.indexOf(Buffer.from(Buffer.from(key).toString('base64').slice(40, 100))), name).toBe(-1);
    }

    const v = memoryIO({ cwd: ROOT });
    const code = await main(['verify', join(out, 'a.tar.gz'), '--trust', 'keys/trust.yaml'], v);
    // 1 = verified, with error findings: the sample's deliberate misconfigurations (samples/README.md)
    expect(code, v.err() + v.out()).toBe(1);
    expect(v.out()).toContain(bundleId);
    const report = v.out();
    for (const [finding, subject] of [
      ['STATUS_DRIFT', 'Gateway infra/shared-gw listener http'], // stale attachedRoutes
      ['EXPOSURE_PLAINTEXT_HOSTNAME', 'Gateway infra/shared-gw listener http'], // admin UI on public HTTP
      ['CERT_EXPIRING', 'Secret agents/agents-tools-tls'], // expires 15 days after capture
      ['RefNotPermitted', 'HTTPRoute eval/eval-runner'], // cross-namespace backend without a grant
    ]) {
      expect(report, finding).toMatch(new RegExp(`${finding}\\s+${subject}`));
    }
  });
});
