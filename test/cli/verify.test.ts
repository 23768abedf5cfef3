import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';
import { tamper } from '../unit/verify/helpers.ts';
import schema from '../../schemas/verify-report.schema.json' with { type: 'json' };

function setup(opts: { partial?: boolean } = {}): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-verify-'));
  writeFileSync(join(cwd, 'b.tar.gz'), buildBundle(sampleCapture(opts), { signers: [sampleKey('collector')] }).bytes);
  copyFileSync(`${KEYS_DIR}trust.yaml`, join(cwd, 'trust.yaml'));
  copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(cwd, 'collector.pub.pem'));
  copyFileSync(`${KEYS_DIR}reviewer.pub.pem`, join(cwd, 'reviewer.pub.pem'));
  return cwd;
}

describe('gwe verify', () => {
  it('prints the verdict first, then the signers (exit 0)', async () => {
    const cwd = setup();
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--trust', 'trust.yaml'], io)).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toBe('VERIFIED  b.tar.gz');
    expect(io.out()).toMatch(/counted\s+collector \(collector\)  6b43515e/);
    expect(io.out()).toContain('trust      satisfied: signed by 1 distinct key(s) (1 required); required: collector');
  });

  it('emits JSON that matches schemas/verify-report.schema.json', async () => {
    const cwd = setup();
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--key', 'collector.pub.pem', '--output', 'json'], io)).toBe(0);
    const report = JSON.parse(io.out());
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.verdict).toBe('verified');
  });

  it('exits 2 for a wrong key and for a tampered bundle', async () => {
    const cwd = setup();
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--key', 'reviewer.pub.pem'], io)).toBe(2);
    expect(io.out().split('\n')[0]).toBe('FAILED: do not trust this bundle  b.tar.gz');
    expect(io.out()).toContain('untrusted, not counted');
    const bad = tamper(new Uint8Array(readFileSync(join(cwd, 'b.tar.gz'))), (files) => {
      files.get('collection.json')![5] ^= 1;
    });
    writeFileSync(join(cwd, 'bad.tar.gz'), bad);
    const io2 = memoryIO({ cwd });
    expect(await main(['verify', 'bad.tar.gz', '--trust', 'trust.yaml'], io2)).toBe(2);
    expect(io2.out()).toMatch(/errors \(\d+\)\n  DIGEST_MISMATCH  collection\.json/);
  });

  it('warns prominently about a partial capture', async () => {
    const cwd = setup({ partial: true });
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--trust', 'trust.yaml'], io)).toBe(3); // partial: never exit 0
    const lines = io.out().split('\n');
    // the verdict line starts with PARTIAL, then the gaps are listed (never a plain "VERIFIED")
    expect(lines[0]).toMatch(/^PARTIAL CAPTURE \(\d+ gaps?\): VERIFIED  b\.tar\.gz$/);
    expect(lines[2]).toMatch(/^!! PARTIAL CAPTURE/);
    expect(lines[3]).toMatch(/^   - /);
  });

  it('applies caps from flags', async () => {
    const cwd = setup();
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--trust', 'trust.yaml', '--max-entries', '3', '--output', 'json'], io)).toBe(2);
    expect(JSON.parse(io.out()).findings[0].code).toBe('ARCHIVE_CAP_EXCEEDED');
  });

  it('rejects usage errors (64) and unreadable input (65)', async () => {
    const cwd = setup();
    expect(await main(['verify', 'b.tar.gz'], memoryIO({ cwd }))).toBe(64);
    expect(await main(['verify', 'b.tar.gz', '--trust', 'trust.yaml', '--key', 'collector.pub.pem'], memoryIO({ cwd }))).toBe(64);
    expect(await main(['verify', 'b.tar.gz', '--trust', 'trust.yaml', '--output', 'xml'], memoryIO({ cwd }))).toBe(64);
    expect(await main(['verify', 'b.tar.gz', '--trust', 'trust.yaml', '--max-bytes', '-1'], memoryIO({ cwd }))).toBe(64);
    expect(await main(['verify', 'missing.tar.gz', '--trust', 'trust.yaml'], memoryIO({ cwd }))).toBe(65);
    writeFileSync(join(cwd, 'bad-trust.yaml'), 'keys: []\n');
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--trust', 'bad-trust.yaml'], io)).toBe(65);
    expect(io.err()).toMatch(/bad-trust\.yaml: does not match schemas\/trust\.schema\.json: \/keys: must NOT have fewer than 1 items/);
  });
});

