/**
 * Trust roots (evidence-formats.md attack 9): trusted keys held outside the bundle, with names, roles and
 * validity windows, and a requirement (threshold of distinct keys and/or required names or roles).
 */
import type { ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import { InputError } from '../errors.ts';
import { parsePublicKey, type PublicKey } from '../crypto/index.ts';
import { makeValidator } from './trust-schema.gen.ts';
import { parseRfc3339, rfc3339Ms } from '../model/time.ts';

export interface TrustedKey {
  name: string;
  role?: string;
  publicKey: PublicKey;
  keyId: string;
  /** Validity window (inclusive), ISO strings as given; absent means unbounded. */
  notBefore?: string;
  notAfter?: string;
}

export interface TrustRoot {
  /** Where it came from (file name), for messages. */
  source: string;
  keys: TrustedKey[];
  threshold: number;
  required: string[];
}

// schemas/trust.schema.json as ajv's standalone code (scripts/gen-validators.mjs; issue 13: no schema compiler at
// run time). `format: date-time` is the one strict RFC 3339 parser (model/time.ts): Date.parse would roll
// 2026-02-30 over to March 2 and accept it.
const validate = makeValidator({ 'date-time': { type: 'string', validate: (s: string) => parseRfc3339(s).ok } });

/**
 * Parses a trust file (YAML or JSON), validates it against schemas/trust.schema.json and decodes the keys.
 * @throws InputError naming the file and every bad field path.
 */
export function parseTrust(text: string, file: string): TrustRoot {
  let data: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) throw doc.errors[0];
    data = doc.toJS();
  } catch (e) {
    throw new InputError('INPUT_INVALID', `${file}: expected a YAML or JSON trust file, found a parse error: ${(e as Error).message}`, { file, cause: e });
  }
  if (!validate(data)) {
    const fields = (validate.errors ?? []).map((e) => describeError(e));
    throw new InputError('INPUT_SCHEMA', `${file}: does not match schemas/trust.schema.json: ${fields.join('; ')}`, { file, fields });
  }
  const raw = data as { keys: { name: string; role?: string; publicKey: string; keyId?: string; notBefore?: string; notAfter?: string }[]; threshold?: number; required?: string[] };
  const keys: TrustedKey[] = [];
  const problems: string[] = [];
  raw.keys.forEach((k, i) => {
    let pk: PublicKey;
    try {
      pk = parsePublicKey(k.publicKey, `${file} /keys/${i}/publicKey`);
    } catch (e) {
      problems.push((e as Error).message);
      return;
    }
    if (k.keyId !== undefined && k.keyId !== pk.keyId) problems.push(`/keys/${i}/keyId: expected ${pk.keyId} (recomputed from the public key), found ${k.keyId}`);
    if (keys.some((o) => o.name === k.name)) problems.push(`/keys/${i}/name: expected unique key names, found ${k.name} again`);
    if (keys.some((o) => o.keyId === pk.keyId)) problems.push(`/keys/${i}/publicKey: expected each key once, found key ${pk.keyId} again`);
    if (k.notBefore && k.notAfter && (rfc3339Ms(k.notBefore) ?? NaN) > (rfc3339Ms(k.notAfter) ?? NaN)) problems.push(`/keys/${i}: expected notBefore <= notAfter, found ${k.notBefore} > ${k.notAfter}`);
    const key: TrustedKey = { name: k.name, publicKey: pk, keyId: pk.keyId };
    if (k.role !== undefined) key.role = k.role;
    if (k.notBefore !== undefined) key.notBefore = k.notBefore;
    if (k.notAfter !== undefined) key.notAfter = k.notAfter;
    keys.push(key);
  });
  const threshold = raw.threshold ?? 1;
  const required = raw.required ?? [];
  for (const r of required) {
    if (!keys.some((k) => k.name === r || k.role === r)) problems.push(`/required: ${JSON.stringify(r)} names no key and no role in this file`);
  }
  if (threshold > keys.length) problems.push(`/threshold: ${threshold} can never be met with ${keys.length} key(s)`);
  if (problems.length > 0) throw new InputError('INPUT_INVALID', `${file}: ${problems.join('; ')}`, { file, fields: problems });
  return { source: file, keys, threshold, required };
}

/** A trust root of one key (`gwe verify --key pub.pem`): threshold 1, no window, no requirement. */
export function trustFromPublicKey(text: string, file: string): TrustRoot {
  const publicKey = parsePublicKey(text, file);
  return { source: file, keys: [{ name: file.split(/[\\/]/).pop() || file, publicKey, keyId: publicKey.keyId }], threshold: 1, required: [] };
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${at}: unexpected property ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
  return `${at}: ${e.message ?? e.keyword}`;
}
