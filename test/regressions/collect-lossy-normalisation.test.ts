// Bug (issue 8 item 17): lossy normalisation without a warning. Invalid UTF-8 was replaced by U+FFFD, integers
// above 2^53 were rounded, and duplicate JSON keys kept the last value while YAML duplicates were refused. Now
// every one is refused, the same way for JSON and YAML input, naming the file and the path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readInputs } from '../../src/collector/inputs.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { InputError } from '../../src/errors.ts';
import { memoryIO } from '../helpers/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwe-lossy-'));
const key = signingKeyFromSeed(new Uint8Array(32).fill(9));
writeFileSync(join(dir, 'signer.pem'), privateKeyPem(key));
writeFileSync(join(dir, 'signer.pub.pem'), publicKeyPem(key.publicKey));

async function refusal(file: string, content: string | Uint8Array): Promise<InputError> {
  writeFileSync(join(dir, file), content);
  const err = await readInputs([file], { cwd: dir, readStdin: async () => new Uint8Array() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).file).toBe(file);
  return err as InputError;
}

const svc = (port: string): string => `{"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"n"},"spec":{"ports":[{"port":${port}}]}}`;
const svcYaml = (port: string): string => `apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: n}\nspec:\n  ports:\n  - port: ${port}\n`;

describe('regression: collect-lossy-normalisation', () => {
  it('refuses invalid UTF-8 instead of replacing it with U+FFFD, naming the byte offset', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('apiVersion: v1\nkind: Namespace\nmetadata: {name: "a'), 0xff, 0xfe, ...new TextEncoder().encode('"}\n')]);
    const e = await refusal('bad-utf8.yaml', bytes);
    expect(e.message).toBe('"bad-utf8.yaml": expected UTF-8 text, found an invalid UTF-8 sequence at byte 50 (ff fe 22 7d); it would be replaced by U+FFFD');
    // Overlong encodings and encoded surrogates are invalid UTF-8 too.
    expect((await refusal('overlong.json', new Uint8Array([0x7b, 0xc0, 0xaf, 0x7d]))).message).toContain('at byte 1 (c0 af 7d)');
    expect((await refusal('surrogate.json', new Uint8Array([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]))).message).toContain('at byte 2 (ed a0 80 22)');
  });

  it('refuses integers above 2^53 (they would be rounded), in JSON and YAML alike', async () => {
    expect((await refusal('big.json', svc('9007199254740993'))).message).toBe('"big.json" at spec.ports[0].port: expected an integer within +-(2^53-1), found 9007199254740993 (it would be rounded to 9007199254740992)');
    expect((await refusal('big.yaml', svcYaml('9007199254740993'))).message).toBe('"big.yaml" document 1 at spec.ports[0].port: expected an integer within +-(2^53-1), found 9007199254740993 (it would be rounded to 9007199254740992)');
    expect((await refusal('neg.json', svc('-9007199254740992'))).message).toContain('found -9007199254740992');
    expect((await refusal('hex.yaml', svcYaml('0x20000000000000'))).message).toContain('found 9007199254740992');
  });

  it('refuses duplicate JSON keys as YAML duplicates are refused', async () => {
    const dup = '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","labels":{"tier":"public","ti\\u0065r":"internal"}}}';
    expect((await refusal('dup.json', dup)).message).toBe('"dup.json" at metadata.labels: expected unique keys in a mapping, found "tier" twice (JSON.parse would keep the last one, YAML input is refused for the same)');
    expect((await refusal('dup-top.json', '{"kind":"Namespace","apiVersion":"v1","kind":"Service","metadata":{"name":"a"}}')).message).toContain('at the top level: expected unique keys in a mapping, found "kind" twice');
    expect((await refusal('dup.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n')).message).toMatch(/"dup\.yaml" document 1 at line 5, column 3: .*Map keys must be unique/);
  });

  it('refuses YAML values that have no JSON form instead of dropping them silently', async () => {
    const ns = (v: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    x: ${v}\n`;
    expect((await refusal('ts.yaml', ns('!!timestamp 2026-11-01'))).message).toContain('at metadata.labels.x: expected a JSON value (mapping, list, string, number, boolean or null), found a timestamp (!!timestamp)');
    expect((await refusal('set.yaml', ns('!!set {a, b}'))).message).toContain('found a set (!!set)');
    expect((await refusal('omap.yaml', ns('!!omap [a: 1]'))).message).toContain('found an ordered map (!!omap or !!pairs)');
    expect((await refusal('nan.yaml', ns('.nan'))).message).toContain('(NaN has no JSON form)');
    expect((await refusal('tag.yaml', ns('!Ref foo'))).message).toMatch(/"tag\.yaml" document 1 at line 6, column 8: expected only the YAML core schema tags, found Unresolved tag: !Ref/);
  });

  it('keeps what has a lossless form, and verify accepts the bundle', async () => {
    const gc = '{"apiVersion":"gateway.networking.k8s.io/v1","kind":"GatewayClass","metadata":{"name":"gc","labels":{"\\u00e9":"\\u00e9t\\u00e9"}},"spec":{"controllerName":"x.io/c","n":9007199254740991,"f":1.5e300}}';
    writeFileSync(join(dir, 'ok.json'), gc);
    const io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'ok.json', '--out', 'ok.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z'], io)).toBe(0);
    const v = memoryIO({ cwd: dir });
    await main(['verify', 'ok.tar.gz', '--key', 'signer.pub.pem'], v);
    expect(v.out()).toMatch(/^VERIFIED/m);
    const cli = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'big.json', '--out', 'big.tar.gz', '--key', 'signer.pem'], cli)).toBe(65);
    expect(cli.err()).toContain('"big.json" at spec.ports[0].port');
  });
});
