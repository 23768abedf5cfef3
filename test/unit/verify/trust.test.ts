import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseTrust, trustFromPublicKey } from '../../../src/verify/trust.ts';
import { InputError } from '../../../src/errors.ts';
import { KEYS_DIR } from '../bundle/fixture.ts';

const pub = (n: string) => readFileSync(`${KEYS_DIR}${n}.pub.pem`, 'utf8');

describe('parseTrust', () => {
  it('reads the sample keys/trust.yaml', () => {
    const t = parseTrust(readFileSync(`${KEYS_DIR}trust.yaml`, 'utf8'), 'keys/trust.yaml');
    expect(t.threshold).toBe(1);
    expect(t.required).toEqual(['collector']);
    expect(t.keys.map((k) => [k.name, k.role, k.keyId, k.notBefore, k.notAfter])).toEqual([
      ['collector', 'collector', '6b43515efe08780a88b062143d881c991cd32d39db11988d0b870c867c3305ea', '2025-01-01T00:00:00Z', '2030-12-31T23:59:59Z'],
      ['reviewer', 'reviewer', 'f44252ab628564a7738e8d1d8b4112107e526b7481eedb4c4f0ea87996651383', '2025-01-01T00:00:00Z', '2030-12-31T23:59:59Z'],
      ['approver', 'approver', 'c29d97d3bdbdf6dbce7fcde89e5d2c90895fcd222f7d5b82876a09d0d5156371', '2025-01-01T00:00:00Z', '2030-12-31T23:59:59Z'],
    ]);
  });

  it('reads JSON and raw base64 keys; threshold defaults to 1', () => {
    const raw = Buffer.from(trustFromPublicKey(pub('reviewer'), 'r').keys[0]!.publicKey.raw).toString('base64');
    const t = parseTrust(JSON.stringify({ keys: [{ name: 'r', publicKey: raw }] }), 't.json');
    expect(t.threshold).toBe(1);
    expect(t.keys[0]!.keyId).toBe('f44252ab628564a7738e8d1d8b4112107e526b7481eedb4c4f0ea87996651383');
  });

  it('reports every schema error with its path in the file', () => {
    try {
      parseTrust('keys:\n  - name: a\n    publicKey: 1\n    extra: x\nthreshold: 0\n', 'bad.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const err = e as InputError;
      expect(err.file).toBe('bad.yaml');
      expect(err.message).toMatch(/^bad\.yaml: does not match schemas\/trust\.schema\.json/);
      expect(err.fields).toEqual(expect.arrayContaining(['/keys/0: unexpected property "extra"', '/keys/0/publicKey: must be string', '/threshold: must be >= 1']));
    }
  });

  it('rejects a keyId that does not match the key, duplicate keys, unknown required names, impossible thresholds', () => {
    const c = pub('collector').trimEnd() + '\n';
    const yaml = (body: string) => `keys:\n  - name: a\n    publicKey: |\n${c.trimEnd().replace(/^/gm, '      ')}\n${body}`;
    expect(() => parseTrust(yaml(`    keyId: ${'ab'.repeat(32)}\n`), 't')).toThrow(/keyId: expected 6b43515e.*recomputed/);
    expect(() => parseTrust(yaml(`  - name: b\n    publicKey: |\n${c.trimEnd().replace(/^/gm, '      ')}\n`), 't')).toThrow(/expected each key once/);
    expect(() => parseTrust(yaml('required: [auditor]\n'), 't')).toThrow(/"auditor" names no key and no role/);
    expect(() => parseTrust(yaml('threshold: 2\n'), 't')).toThrow(/threshold: 2 can never be met with 1 key/);
    expect(() => parseTrust(yaml('    notBefore: "2030-01-01T00:00:00Z"\n    notAfter: "2029-01-01T00:00:00Z"\n'), 't')).toThrow(/notBefore <= notAfter/);
    expect(() => parseTrust(yaml('    notAfter: "tomorrow"\n'), 't')).toThrow(/notAfter: must match format "date-time"/);
  });

  it('rejects YAML with duplicate keys and unparseable text', () => {
    expect(() => parseTrust('threshold: 1\nthreshold: 2\nkeys: []\n', 'dup.yaml')).toThrow(/dup\.yaml: expected a YAML or JSON trust file/);
    expect(() => parseTrust('{', 'x.json')).toThrow(/x\.json/);
  });
});

describe('trustFromPublicKey', () => {
  it('makes a one-key root named after the file', () => {
    const t = trustFromPublicKey(pub('collector'), 'keys/collector.pub.pem');
    expect(t).toMatchObject({ source: 'keys/collector.pub.pem', threshold: 1, required: [] });
    expect(t.keys[0]!.name).toBe('collector.pub.pem');
  });
});
