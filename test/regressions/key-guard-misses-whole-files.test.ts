// Issue 8 item 3: the private-key guard missed whole files. ConformanceReports (kept byte for byte) and
// collection.json (a non-Kubernetes document's top-level keys are copied into its warnings) were not
// scanned at collect time, and a PEM armour written with YAML escapes (`\x2d`) passed collect and verify,
// which only looked for the raw bytes. Now collect refuses (exit 65) whatever verify would flag, scanning
// every file of the bundle by its decoded values; verify decodes JSON and YAML before scanning too.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../src/bundle/build.ts';
import { privateKeyPem, publicKeyPem } from '../../src/crypto/index.ts';
import { main } from '../../src/cli/main.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { scanContent } from '../../src/bundle/check.ts';
import { memoryIO } from '../helpers/io.ts';
import { KEY, TRUST } from '../unit/chain/fixtures.ts';
import { platform } from '../unit/diff/fixtures.ts';

const REPORT = readFileSync('samples/cluster/envoy-gateway-v1.6.0-conformance-report.yaml', 'utf8');
const keyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
/** The PEM with every "-" written as a YAML double-quoted escape, newlines as \n: one line of YAML. */
const yamlEscaped = `"${keyPem.replace(/-/g, '\\x2d').replace(/\n/g, '\\n')}"`;

let dir: string;

async function collect(...from: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIO({ cwd: dir });
  const out = `b${Math.random().toString(36).slice(2)}.tar.gz`;
  const code = await main(['collect', '--from', 'gw.yaml', ...from, '--out', out, '--key', 'signer.pem', '--captured-at', '2026-12-01T00:00:00Z'], io);
  if (code !== 0) expect(existsSync(join(dir, out)), 'no bundle written').toBe(false);
  return { code, err: io.err() };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gwe-keyguard-'));
  writeFileSync(join(dir, 'signer.pem'), privateKeyPem(KEY), { mode: 0o600 });
  writeFileSync(join(dir, 'signer.pub.pem'), publicKeyPem(KEY.publicKey));
  writeFileSync(join(dir, 'gw.yaml'), 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: ns}\nspec: {gatewayClassName: c, listeners: [{name: h, port: 80, protocol: HTTP}]}\n');
});

describe('key guard misses whole files', () => {
  it('collect: a ConformanceReport holding a \\x2d-escaped PEM key is refused', async () => {
    writeFileSync(join(dir, 'report.yaml'), `${REPORT}notes: ${yamlEscaped}\n`);
    expect(REPORT.includes('PRIVATE KEY')).toBe(false);
    const r = await collect('report.yaml');
    expect(r.code).toBe(65);
    expect(r.err).toMatch(/ConformanceReport "report\.yaml" \(notes\) holds a PEM private-key block; refusing/);
  });

  it('collect: a ConformanceReport holding a raw or base64 DER key is refused', async () => {
    const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    writeFileSync(join(dir, 'report2.yaml'), `${REPORT}notes: ${der.toString('hex')}\n`);
    const r = await collect('report2.yaml');
    expect(r.code).toBe(65);
    expect(r.err).toMatch(/holds hex of a DER PKCS#8 PrivateKeyInfo/);
  });

  it('collect: a non-Kubernetes document whose top-level key is a PEM key (copied into collection.json) is refused', async () => {
    writeFileSync(join(dir, 'odd.json'), JSON.stringify({ [keyPem]: 1 }));
    const r = await collect('odd.json');
    expect(r.code).toBe(65);
    expect(r.err).toMatch(/the collection record \(collection\.json warnings\[0\]\.message\) holds a PEM private-key block/);
  });

  it('collect: the same inputs without key material collect fine (the guard is not a blanket refusal)', async () => {
    writeFileSync(join(dir, 'report3.yaml'), `${REPORT}notes: "\\x2d\\x2d not a key"\n`);
    writeFileSync(join(dir, 'odd2.json'), JSON.stringify({ hello: 1 }));
    expect((await collect('report3.yaml', 'odd2.json')).code).toBe(0);
  });

  it('verify: a bundle built around the collector (escaped armour in a report, a key in the record) gets PAYLOAD_PRIVATE_KEY', () => {
    const base = platform();
    const withReport = buildBundle(
      { snapshot: { ...base.snapshot, conformanceReports: [{ name: 'r.yaml', sha256: '', bytes: new TextEncoder().encode(`${REPORT}notes: ${yamlEscaped}\n`) }] }, record: base.record },
      { signers: [KEY] },
    );
    const v1 = verifyBundle(withReport.bytes, { trust: TRUST });
    expect(v1.findings.filter((f) => f.code === 'PAYLOAD_PRIVATE_KEY').map((f) => f.message)).toEqual([expect.stringMatching(/^data\/conformance-reports\/r\.yaml: expected no private key material in evidence, found a PEM private-key block at notes$/)]);
    expect(v1.verdict).not.toBe('verified');
    const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
    const withRecord = buildBundle({ snapshot: base.snapshot, record: { ...base.record, warnings: [{ code: 'X', message: der }] } }, { signers: [KEY] });
    const v2 = verifyBundle(withRecord.bytes, { trust: TRUST });
    expect(v2.findings.filter((f) => f.code === 'PAYLOAD_PRIVATE_KEY').map((f) => f.message)).toEqual(['collection.json: expected no private key material in evidence, found base64 of a DER PKCS#8 PrivateKeyInfo at warnings[0].message']);
  });

  it('verify: JSON escapes (\\u002d armour, \\/ inside base64) are decoded before the scan', () => {
    const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
    const armoured = JSON.stringify({ note: keyPem }).replace(/-/g, '\\u002d');
    const slashed = JSON.stringify({ note: der }).replace(/\//g, '\\/');
    const enc = (t: string) => new TextEncoder().encode(t);
    expect(armoured.includes('PRIVATE KEY-----')).toBe(false);
    const findings = scanContent(new Map([['data/objects/a.json', enc(armoured)], ['data/objects/b.json', enc(slashed)], ['data/objects/c.json', enc(JSON.stringify({ note: 'no key here' }))]]), undefined);
    expect(findings.map((f) => [f.subject, f.message])).toEqual([
      ['data/objects/a.json', 'data/objects/a.json: expected no private key material in evidence, found a PEM private-key block at note'],
      ['data/objects/b.json', 'data/objects/b.json: expected no private key material in evidence, found base64 of a DER PKCS#8 PrivateKeyInfo at note'],
    ]);
  });
});
