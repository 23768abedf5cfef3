// Bug (issue 8 item 9): collect crashed (exit 70, stack trace) instead of exiting 65 with a named input error on
// YAML alias bombs (the yaml package's "Excessive alias count" escaped), JSON/YAML nested 10,000+ deep (RangeError
// in the key scan and in flatten), a lone surrogate, 1e400, !!binary and a List whose items alias themselves.
// Depth is now bounded before any recursive walk (src/collector/parse.ts) and every case is a named input error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { memoryIO } from '../helpers/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwe-odd-input-'));
writeFileSync(join(dir, 'signer.pem'), privateKeyPem(signingKeyFromSeed(new Uint8Array(32).fill(7))));

const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n';
const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]'].join('\n');
const deepJson = (n: number): string => `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","labels":${'['.repeat(n)}${']'.repeat(n)}}}`;
const deepYaml = (n: number): string => `${ns}  annotations:\n    x: ${'['.repeat(n)}${']'.repeat(n)}\n`;

const CASES: Array<[string, string, string, RegExp]> = [
  ['a YAML alias bomb', 'bomb.yaml', `${ns}${bomb.replace(/^/gm, '  ')}\n`.replace('  a: &a', 'spec:\n  a: &a'), /"bomb\.yaml" document 1: expected YAML aliases to expand to at most 100 nodes, found more/],
  ['JSON nested 10,000 deep', 'deep.json', deepJson(10_000), /"deep\.json" at metadata\.labels(\[0\])+(\.\.\.)?: expected JSON nested at most 512 levels deep, found deeper/],
  ['JSON nested 200,000 deep', 'deeper.json', deepJson(200_000), /"deeper\.json" at metadata\.labels(\[0\])+(\.\.\.)?: expected JSON nested at most 512 levels deep/],
  ['YAML nested 10,000 deep', 'deep.yaml', deepYaml(10_000), /"deep\.yaml" document 1.*: expected YAML nested at most 512 levels deep/],
  ['YAML nested 600 deep', 'deep600.yaml', deepYaml(600), /"deep600\.yaml" document 1 at metadata\.annotations\.x(\[0\])+(\.\.\.)?: expected values nested at most 512 levels deep, found deeper/],
  ['a lone surrogate (JSON)', 'surrogate.json', '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","labels":{"x":"\\ud800"}}}', /"surrogate\.json" at metadata\.labels\.x: expected a string of Unicode characters, found a lone UTF-16 surrogate/],
  ['a lone surrogate (YAML)', 'surrogate.yaml', `${ns}  labels:\n    x: "\\udc00"\n`, /"surrogate\.yaml" document 1 at metadata\.labels\.x: .*lone UTF-16 surrogate/],
  ['1e400 (JSON)', 'inf.json', '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":"n"},"spec":{"ports":[{"port":1e400}]}}', /"inf\.json" at spec\.ports\[0\]\.port: expected a finite number, found 1e400/],
  ['1e400 (YAML)', 'inf.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: n}\nspec:\n  ports:\n  - port: 1e400\n', /"inf\.yaml" document 1 at spec\.ports\[0\]\.port: expected a finite number, found Infinity/],
  ['!!binary', 'binary.yaml', `${ns}  labels:\n    x: !!binary aGVsbG8=\n`, /"binary\.yaml" document 1 at metadata\.labels\.x: expected a JSON value .* found binary data \(!!binary\)/],
  ['a List whose items alias themselves', 'self.yaml', 'apiVersion: v1\nkind: List\nitems: &items\n- *items\n', /"self\.yaml" document 1 at items\[0\]: expected a tree of values, found a YAML alias that refers to a node containing itself/],
];

describe('regression: collect-odd-input-crash', () => {
  it.each(CASES)('%s: exit 65 with a named input error, no stack trace', async (_what, file, content, message) => {
    writeFileSync(join(dir, file), content);
    const io = memoryIO({ cwd: dir });
    const code = await main(['collect', '--from', file, '--out', `${file}.tar.gz`, '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z'], io);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)|RangeError|ReferenceError|TypeError|internal error/);
    expect(code).toBe(65);
  });

  it('the same kind of content nested within the bound is collected, and verify accepts the bundle', async () => {
    const n = 505; // object, spec, then 505 lists: 507 levels <= 512
    writeFileSync(join(dir, 'ok.json'), `{"apiVersion":"gateway.networking.k8s.io/v1","kind":"GatewayClass","metadata":{"name":"gc"},"spec":{"controllerName":"x.io/c","x":${'['.repeat(n)}${']'.repeat(n)}}}`);
    writeFileSync(join(dir, 'signer.pub.pem'), publicKeyPem(signingKeyFromSeed(new Uint8Array(32).fill(7)).publicKey));
    const io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'ok.json', '--out', 'ok.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z'], io)).toBe(0);
    const v = memoryIO({ cwd: dir });
    await main(['verify', 'ok.tar.gz', '--key', 'signer.pub.pem'], v);
    expect(v.out()).toMatch(/^VERIFIED/m);
  });
});
