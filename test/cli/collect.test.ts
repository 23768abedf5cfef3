import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { privateKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { resolveCapturedAt } from '../../src/collect.ts';

const SAMPLES = join(import.meta.dirname, '..', '..', 'samples', 'cluster');

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-cli-collect-'));
  writeFileSync(join(dir, 'signer.pem'), privateKeyPem(signingKeyFromSeed(new Uint8Array(32).fill(7))));
  return dir;
}

describe('gwe collect', () => {
  it('collects the samples into a bundle and prints a summary; the same inputs give the same bytes', async () => {
    const dir = workdir();
    const args = (out: string) => ['collect', '--from', SAMPLES, '--out', out, '--key', 'signer.pem', '--captured-at', '2026-12-01T10:00:00+01:00', '--cluster-name', 'ai-prod'];
    const io = memoryIO({ cwd: dir });
    expect(await main(args('a.tar.gz'), io)).toBe(0);
    expect(io.out()).toMatch(/^wrote a\.tar\.gz\n  bundle id   \S+\n  sha256      [0-9a-f]{64}\n  captured at 2026-12-01T09:00:00Z  cluster ai-prod\n/);
    expect(io.out()).toMatch(/HTTPRoute\s+6\n/);
    expect(io.out()).toMatch(/skipped\s+6\n/);
    // the one sample Secret annotation outside the allow-list (issue 8 item 1) is dropped and named
    expect(io.err()).toMatch(/^warning: SECRET_METADATA_DROPPED: Secret agents\/agents-tools-tls: 1 label\/annotation value\(s\) not on the Secret allow-list were dropped: annotation "platform\.example\.ai\/owner" \([^)]*06-secrets\.yaml#2\)\n$/);
    const opened = openBundle(new Uint8Array(readFileSync(join(dir, 'a.tar.gz'))));
    expect(opened.integrityOk).toBe(true);
    expect(opened.capture.record.capturedAt).toBe('2026-12-01T09:00:00Z');
    expect(opened.capture.record.cluster.name).toBe('ai-prod');
    expect(opened.capture.snapshot.conformanceReports).toHaveLength(1);
    const io2 = memoryIO({ cwd: dir });
    expect(await main(args('b.tar.gz'), io2)).toBe(0);
    expect(readFileSync(join(dir, 'b.tar.gz')).equals(readFileSync(join(dir, 'a.tar.gz')))).toBe(true);
  });

  it('refuses to overwrite without --force, and leaves no temporary file', async () => {
    const dir = workdir();
    const args = ['collect', '--from', join(SAMPLES, '03-routes.yaml'), '--out', 'x.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-12-01T09:00:00Z'];
    expect(await main(args, memoryIO({ cwd: dir }))).toBe(0);
    const io = memoryIO({ cwd: dir });
    expect(await main(args, io)).toBe(64);
    expect(io.err()).toMatch(/refusing to overwrite/);
    expect(await main([...args, '--force'], memoryIO({ cwd: dir }))).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['signer.pem', 'x.tar.gz']);
  });

  it('reads stdin for -, chains --previous, and prints warnings on stderr', async () => {
    const dir = workdir();
    const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n' }, spec: { listeners: [] } };
    const io = memoryIO({ cwd: dir, stdin: JSON.stringify(gw), now: new Date('2026-11-01T00:00:00Z') });
    expect(await main(['collect', '--from', '-', '--out', 'one.tar.gz', '--key', 'signer.pem'], io)).toBe(0);
    expect(io.err()).toContain('warning: OBJECT_SHAPE: Gateway n/g: expected spec.gatewayClassName (string) (-)');
    // default capture time: io.now() truncated to seconds
    const first = openBundle(new Uint8Array(readFileSync(join(dir, 'one.tar.gz'))));
    expect(first.capture.record.capturedAt).toBe('2026-11-01T00:00:00Z');
    const io2 = memoryIO({ cwd: dir, stdin: JSON.stringify(gw), now: new Date('2026-11-02T00:00:00Z') });
    expect(await main(['collect', '--from', '-', '--out', 'two.tar.gz', '--key', 'signer.pem', '--previous', 'one.tar.gz', '--captured-at', '2026-11-02T00:00:00Z'], io2)).toBe(0);
    const second = openBundle(new Uint8Array(readFileSync(join(dir, 'two.tar.gz'))));
    expect(second.statement.predicate.previousBundle).toEqual({ bundleId: first.bundleId, digest: `sha256:${first.statement.subject[0]!.digest.sha256}` });
  });

  it('maps usage and input errors to exit codes with messages naming the problem', async () => {
    const dir = workdir();
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'bad.yaml'), 'kind: [\n');
    const run = async (argv: string[]) => {
      const io = memoryIO({ cwd: dir });
      return { code: await main(argv, io), err: io.err() };
    };
    expect(await run(['collect', '--from', 'in', '--kubeconfig', 'kc', '--out', 'o.tar.gz', '--key', 'signer.pem'])).toMatchObject({ code: 64, err: expect.stringMatching(/--from .* --kubeconfig .* exclusive/) });
    expect(await run(['collect', '--from', 'in', '--key', 'signer.pem'])).toMatchObject({ code: 64, err: expect.stringMatching(/expected --out/) });
    expect(await run(['collect', '--from', 'in', '--out', 'o.tar.gz'])).toMatchObject({ code: 64, err: expect.stringMatching(/expected --key/) });
    expect(await run(['collect', '--from', 'in', '--out', 'o.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-02-30T00:00:00Z'])).toMatchObject({ code: 64, err: expect.stringMatching(/--captured-at.*day out of range/) });
    expect(await run(['collect', '--from', 'in', '--out', 'o.tar.gz', '--key', 'signer.pem', '--captured-at', 'yesterday'])).toMatchObject({ code: 64 });
    expect(await run(['collect', '--from', 'in', '--out', 'o.tar.gz', '--key', 'signer.pem'])).toMatchObject({ code: 65, err: expect.stringMatching(/"in\/bad\.yaml" document 1 at line/) });
    expect(await run(['collect', '--from', 'nope', '--out', 'o.tar.gz', '--key', 'signer.pem'])).toMatchObject({ code: 65, err: expect.stringMatching(/cannot read input "nope"/) });
    expect(await run(['collect', '--from', 'in', '--out', 'o.tar.gz', '--key', 'missing.pem'])).toMatchObject({ code: 65, err: expect.stringMatching(/cannot read signing key "missing.pem"/) });
    expect(await run(['collect', '--from', 'in', '--context', 'prod', '--page-size', '10', '--out', 'o.tar.gz', '--key', 'signer.pem'])).toMatchObject({ code: 64, err: expect.stringMatching(/--from \(files\) and --context, --page-size \(live cluster\) are exclusive/) });
    expect(existsSync(join(dir, 'o.tar.gz'))).toBe(false);
  });

  it('keeps a ConformanceReport given with --from byte for byte, and --quiet prints nothing', async () => {
    const dir = workdir();
    const io = memoryIO({ cwd: dir });
    const report = join(SAMPLES, 'envoy-gateway-v1.6.0-conformance-report.yaml');
    expect(await main(['collect', '--from', join(SAMPLES, '03-routes.yaml'), report, '--out', 'q.tar.gz', '--key', 'signer.pem', '--quiet'], io)).toBe(0);
    expect(io.out() + io.err()).toBe('');
    const opened = openBundle(new Uint8Array(readFileSync(join(dir, 'q.tar.gz'))));
    expect(Buffer.from(opened.capture.snapshot.conformanceReports[0]!.bytes).equals(readFileSync(report))).toBe(true);
  });
});

describe('resolveCapturedAt', () => {
  const now = () => new Date('2026-11-01T10:20:30.999Z');
  it('defaults to now truncated to seconds and converts offsets to UTC', () => {
    expect(resolveCapturedAt(undefined, now)).toBe('2026-11-01T10:20:30Z');
    expect(resolveCapturedAt('2026-11-01T00:30:00-02:30', now)).toBe('2026-11-01T03:00:00Z');
    expect(resolveCapturedAt('2024-02-29T23:59:59.75z', now)).toBe('2024-02-29T23:59:59Z');
  });
  it('rejects everything that is not an RFC 3339 date-time', () => {
    for (const bad of ['2026-11-01', '2026-11-01 10:00:00Z', '2026-11-01T10:00:00', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-01T24:00:00Z', '2026-11-01T10:00:00+25:00', '1730000000']) {
      expect(() => resolveCapturedAt(bad, now), bad).toThrow(/--captured-at/);
    }
  });
});
