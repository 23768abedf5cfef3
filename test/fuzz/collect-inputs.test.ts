/**
 * Fuzz-style tests of `collect` inputs (issue 8 "Done means"): seeded random YAML and JSON documents shaped like
 * kubectl output, with deep nesting, anchors and aliases (self-referencing ones too), odd scalars (1e400, .inf,
 * big integers, lone surrogates, !!binary, !!timestamp, custom tags), duplicate keys, invalid UTF-8 and
 * truncation. Fixed seeds, a fixed number of cases. The property: collect either refuses the input with a named
 * error (an error of ours whose message names the file) or writes a bundle that default `verify` accepts; it
 * never crashes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from '../../src/collect.ts';
import { privateKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { BaseError } from '../../src/errors.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { prng, type Prng } from '../helpers/prng.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwe-fuzz-collect-'));
const key = signingKeyFromSeed(new Uint8Array(32).fill(3));
const keyPem = privateKeyPem(key);
const trust = { source: 'fuzz', keys: [{ name: 'collector', publicKey: key.publicKey, keyId: key.keyId }], threshold: 1, required: [] };

const KINDS: Array<[string, string, boolean]> = [
  ['gateway.networking.k8s.io/v1', 'GatewayClass', false],
  ['gateway.networking.k8s.io/v1', 'Gateway', true],
  ['gateway.networking.k8s.io/v1', 'HTTPRoute', true],
  ['gateway.networking.k8s.io/v1beta1', 'ReferenceGrant', true],
  ['v1', 'Service', true],
  ['v1', 'Namespace', false],
  ['v1', 'ConfigMap', true],
  ['apps/v1', 'ReplicaSet', true],
];
const NAMES = ['a', 'web', 'chat-v1', 'x.y', 'gw-1', 'ns1', 'default'];
/** Scalars as YAML source text: plain, quoted, and the odd ones. */
const YAML_SCALARS = ['1', '-7', '3.5', '0', 'true', 'null', '~', '""', 'plain text', '"quoted: x"', "'single'", '0x1f', '0o17', '1e3',
  '1e400', '-.inf', '.nan', '9007199254740993', '-9007199254740993', '12345678901234567890', '"\\ud800"', '"\\udc00x"', '"\\u00e9t\\u00e9"',
  '!!binary aGVsbG8=', '!!timestamp 2026-11-01', '2026-11-01', '!Ref foo', '!!str 12', '!!int "5"', '"\\x1b[2J"', '"tab\\tnl\\n"', '"\\u202e"'];
/** Scalars as JSON source text. */
const JSON_SCALARS = ['1', '-7', '3.5', '0', 'true', 'false', 'null', '""', '"text"', '1e400', '-1e999', '9007199254740993', '9007199254740991', '1.5e300',
  '"\\ud800"', '"\\udfff"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\u001b[31m"', '12345678901234567890', '-0', '1E2', '"\\u202e"'];

function yamlValue(r: Prng, depth: number, anchors: string[]): string {
  const roll = r.int(10);
  if (anchors.length > 0 && roll === 0) return `*${r.pick(anchors)}`;
  if (depth <= 0 || roll < 5) return r.pick(YAML_SCALARS);
  const anchor = r.chance(0.15) ? `a${anchors.length}` : undefined;
  const pre = anchor ? `&${anchor} ` : '';
  if (anchor) anchors.push(anchor); // may be referenced from inside itself: a self-referencing alias
  const n = r.int(4);
  if (r.chance(0.5)) {
    const items = Array.from({ length: n }, () => yamlValue(r, depth - 1, anchors));
    return `${pre}[${items.join(', ')}]`;
  }
  const keys = Array.from({ length: n }, () => (r.chance(0.1) ? 'dup' : r.pick(['k', 'name', 'port', 'x', 'app.kubernetes.io/name', 'spec', 'dup'])) + String(r.chance(0.7) ? r.int(3) : ''));
  return `${pre}{${keys.map((k) => `"${k}": ${yamlValue(r, depth - 1, anchors)}`).join(', ')}}`;
}

function jsonValue(r: Prng, depth: number): string {
  if (depth <= 0 || r.int(10) < 5) return r.pick(JSON_SCALARS);
  const n = r.int(4);
  if (r.chance(0.5)) return `[${Array.from({ length: n }, () => jsonValue(r, depth - 1)).join(',')}]`;
  const keys = Array.from({ length: n }, () => r.pick(['k', 'name', 'port', 'x', 'dup', 'a\\u0062', 'ab', 'app.kubernetes.io/name']) + String(r.chance(0.7) ? r.int(2) : ''));
  return `{${keys.map((k) => `"${k}":${jsonValue(r, depth - 1)}`).join(',')}}`;
}

function deep(r: Prng, json: boolean): string {
  const n = r.pick([10, 300, 510, 513, 600, 2000, 12000]);
  return json ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`;
}

function objectYaml(r: Prng): string {
  const [apiVersion, kind, namespaced] = r.pick(KINDS);
  const anchors: string[] = [];
  const lines = [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${r.pick(NAMES)}`];
  if (namespaced && r.chance(0.8)) lines.push(`  namespace: ${r.pick(NAMES)}`);
  if (r.chance(0.5)) lines.push(`  labels: ${yamlValue(r, 2, anchors)}`);
  if (r.chance(0.3)) lines.push(`  annotations: {note: ${r.pick(YAML_SCALARS)}}`);
  lines.push(`spec: ${r.chance(0.1) ? deep(r, false) : yamlValue(r, 1 + r.int(5), anchors)}`);
  if (kind === 'GatewayClass' && r.chance(0.7)) lines.push('status: {conditions: [{type: Accepted, status: "True"}]}');
  return lines.join('\n');
}

function objectJson(r: Prng): string {
  const [apiVersion, kind, namespaced] = r.pick(KINDS);
  const meta = [`"name":"${r.pick(NAMES)}"`];
  if (namespaced && r.chance(0.8)) meta.push(`"namespace":"${r.pick(NAMES)}"`);
  if (r.chance(0.4)) meta.push(`"labels":${jsonValue(r, 2)}`);
  if (r.chance(0.05)) meta.push(`"name":"again"`); // a duplicate key
  const spec = r.chance(0.1) ? deep(r, true) : jsonValue(r, 1 + r.int(5));
  return `{"apiVersion":"${apiVersion}","kind":"${kind}","metadata":{${meta.join(',')}},"spec":${spec}}`;
}

function document(r: Prng): { name: string; bytes: Uint8Array } {
  const json = r.chance(0.45);
  let text: string;
  if (json) {
    const items = Array.from({ length: 1 + r.int(4) }, () => objectJson(r));
    text = r.chance(0.6) ? `{"apiVersion":"v1","kind":"List","items":[${items.join(',')}]}` : items[0]!;
  } else {
    const docs = Array.from({ length: 1 + r.int(4) }, () => objectYaml(r));
    text = r.chance(0.3) ? `apiVersion: v1\nkind: List\nitems:\n${docs.map((d) => `- ${d.replace(/\n/g, '\n  ')}`).join('\n')}\n` : `${docs.join('\n---\n')}\n`;
  }
  let bytes = new TextEncoder().encode(r.chance(0.05) ? `\ufeff${text}` : text);
  if (r.chance(0.08)) bytes = bytes.subarray(0, r.int(bytes.length)); // truncated
  if (r.chance(0.08)) {
    const b = new Uint8Array(bytes);
    b[r.int(b.length)] = r.pick([0xff, 0xc0, 0x80, 0xed, 0xf5]); // invalid UTF-8
    bytes = b;
  }
  return { name: `in-${r.int(1e9)}.${json ? 'json' : 'yaml'}`, bytes };
}

async function check(r: Prng, n: number): Promise<{ bundles: number; refused: number }> {
  let bundles = 0;
  let refused = 0;
  const { name, bytes } = document(r);
  writeFileSync(join(dir, name), bytes);
  const out = `${name}.tar.gz`;
  try {
    await collect({ from: [name], out, keyPem, cwd: dir, capturedAt: '2026-11-01T00:00:00Z', now: () => new Date('2026-11-01T00:00:00Z') });
  } catch (e) {
    if (!(e instanceof BaseError) || e.constructor.name === 'InternalError') throw new Error(`case ${n} (${name}): collect crashed: ${(e as Error).stack}\n--- input ---\n${new TextDecoder().decode(bytes).slice(0, 2000)}`);
    expect(e.message.length, `case ${n}`).toBeGreaterThan(0);
    if (e.code === 'INPUT_INVALID' || e.code === 'INPUT_DUPLICATE') expect(e.message, `case ${n}: ${e.message}`).toContain(name);
    refused++;
    return { bundles, refused };
  }
  const report = verifyBundle(new Uint8Array(readFileSync(join(dir, out))), { trust });
  expect(report.verdict, `case ${n} (${name}): collect wrote a bundle verify rejects: ${JSON.stringify(report.findings.filter((f) => f.severity === 'error').slice(0, 3))}`).not.toBe('failed');
  expect(report.findings.filter((f) => f.code === 'ANALYSIS_FAILED'), `case ${n}`).toEqual([]);
  bundles++;
  return { bundles, refused };
}

describe('fuzz: collect inputs (fixed seeds)', () => {
  for (const [seed, cases] of [[11, 70], [12, 70]] as const) {
    it(`seed ${seed}: ${cases} random YAML/JSON inputs are refused by name or collected into a bundle verify accepts`, async () => {
      const r = prng(seed);
      let bundles = 0;
      let refused = 0;
      for (let n = 0; n < cases; n++) {
        const c = await check(r, n);
        bundles += c.bundles;
        refused += c.refused;
      }
      // The generator exercises both outcomes.
      expect(bundles).toBeGreaterThan(5);
      expect(refused).toBeGreaterThan(5);
    });
  }
});
