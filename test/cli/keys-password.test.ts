// Issue 10: keys as cosign users expect: passphrase-protected PKCS#8 (--key-password-file or GWE_KEY_PASSWORD),
// `keygen --password`, and keygen printing a trust-file snippet that `verify --trust` accepts as is.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { parseTrust } from '../../src/verify/trust.ts';
import { ROOT } from '../regressions/report-sample-bundle.ts';

async function gwe(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ cwd, env });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('password-protected signing keys', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-keypw-'));
  writeFileSync(join(cwd, 'pw.txt'), 'correct horse battery staple\n');
  writeFileSync(join(cwd, 'wrong.txt'), 'nope\n');

  it('keygen --password writes an ENCRYPTED PRIVATE KEY that OpenSSL opens with the password only', async () => {
    const r = await gwe(cwd, ['keygen', '--out', 'k', '--name', 'enc', '--password', '--key-password-file', 'pw.txt']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('password-protected');
    const pem = readFileSync(join(cwd, 'k/enc.key.pem'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const der = execFileSync('openssl', ['pkey', '-in', join(cwd, 'k/enc.key.pem'), '-passin', 'pass:correct horse battery staple', '-pubout', '-outform', 'DER']);
    const keyId = execFileSync('sha256sum', { input: der, encoding: 'utf8' }).split(' ')[0];
    expect(r.out).toContain(`key id      ${keyId}`);
    expect(() => execFileSync('openssl', ['pkey', '-in', join(cwd, 'k/enc.key.pem'), '-passin', 'pass:nope', '-noout'], { stdio: 'ignore' })).toThrow();
  });

  it('collect and sign use the key with --key-password-file or GWE_KEY_PASSWORD; without it, a usage error naming both', async () => {
    const from = join(ROOT, 'samples/cluster');
    const none = await gwe(cwd, ['collect', '--from', from, '--out', 'a.tar.gz', '--key', 'k/enc.key.pem']);
    expect(none.code).toBe(64);
    expect(none.err).toContain('k/enc.key.pem is password-protected: expected --key-password-file FILE or the GWE_KEY_PASSWORD environment variable');
    const wrong = await gwe(cwd, ['collect', '--from', from, '--out', 'a.tar.gz', '--key', 'k/enc.key.pem', '--key-password-file', 'wrong.txt']);
    expect(wrong.code).toBe(65);
    expect(wrong.err).toContain('k/enc.key.pem: cannot decrypt the password-protected key');
    const ok = await gwe(cwd, ['collect', '--from', from, '--out', 'a.tar.gz', '--key', 'k/enc.key.pem', '--key-password-file', 'pw.txt']);
    expect(ok.code).toBe(0);
    const countersign = await gwe(cwd, ['sign', 'a.tar.gz', '--key', join(ROOT, 'keys/reviewer.test-only.key.pem')]);
    expect(countersign.code).toBe(0);
    const reenv = await gwe(cwd, ['collect', '--from', from, '--out', 'b.tar.gz', '--key', 'k/enc.key.pem'], { GWE_KEY_PASSWORD: 'correct horse battery staple' });
    expect(reenv.code).toBe(0);
  });

  it('keygen prints a trust-file entry that, under keys:, verifies the bundle the key signed', async () => {
    const r = await gwe(cwd, ['keygen', '--out', 'k', '--name', 'ci-collector', '--role', 'collector']);
    expect(r.code).toBe(0);
    const snippet = r.out.slice(r.out.indexOf('  - name: ci-collector'));
    const trustYaml = `version: 1\nkeys:\n${snippet}threshold: 1\nrequired: [collector]\n`;
    writeFileSync(join(cwd, 'trust.yaml'), trustYaml);
    const trust = parseTrust(trustYaml, 'trust.yaml');
    expect(trust.keys[0]!.name).toBe('ci-collector');
    expect((await gwe(cwd, ['collect', '--from', join(ROOT, 'samples/cluster'), '--out', 'c.tar.gz', '--key', 'k/ci-collector.key.pem', '--captured-at', '2027-01-01T00:01:00Z'])).code).toBe(0); // after keygen's notBefore (memoryIO's clock), not ahead of it
    const v = await gwe(cwd, ['verify', 'c.tar.gz', '--trust', 'trust.yaml', '--summary']);
    expect(v.out).toMatch(/^VERIFIED WITH FINDINGS {2}c\.tar\.gz/); // signature trusted; the sample has drift findings
    expect(v.code).toBe(1);
  });

  it('keygen --password without a password source is a usage error and writes nothing', async () => {
    const r = await gwe(cwd, ['keygen', '--out', 'k2', '--name', 'x', '--password']);
    expect(r.code).toBe(64);
    expect(r.err).toContain('GWE_KEY_PASSWORD');
  });
});
