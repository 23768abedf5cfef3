/**
 * The collection record's shape (collection.json, docs/bundle-format.md section 1.1), checked against
 * schemas/collection.schema.json before any reader (verify, report, diff, inspect, chain) touches a field: a
 * bundle whose record lacks `scope` or `gaps`, or holds them in another shape, is refused as not a bundle of
 * this format instead of crashing whatever reads it first (issue 8 item 10). Pure.
 */
import type { ErrorObject } from 'ajv';
import { isUtcSeconds } from '../model/time.ts';
import { makeValidator } from './collection-schema.gen.ts';

export const COLLECTION_SCHEMA = 'schemas/collection.schema.json';

// ajv's standalone code for the schema (scripts/gen-validators.mjs; issue 13: no schema compiler at run time).
// The capture time as the bundle writes it: RFC 3339 UTC, seconds, and a real date (model/time.ts).
const validate = makeValidator({ 'capture-time': { type: 'string', validate: (s: string) => isUtcSeconds(s) } });

/** At most this many problems are listed in one message. */
const MAX_PROBLEMS = 8;

/**
 * Every way `value` differs from schemas/collection.schema.json, by JSON pointer (empty when it matches),
 * e.g. `/scope: expected the required member "scope", found none`.
 */
export function collectionRecordProblems(value: unknown): string[] {
  if (validate(value)) return [];
  const all = (validate.errors ?? []).map(describe);
  const unique = [...new Set(all)];
  return unique.length > MAX_PROBLEMS ? [...unique.slice(0, MAX_PROBLEMS), `and ${unique.length - MAX_PROBLEMS} more`] : unique;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${e.instancePath}/${String(p['missingProperty'])}: expected the required member ${JSON.stringify(p['missingProperty'])}, found none`;
    case 'additionalProperties':
      return `${at}: expected only the members of format v1, found ${JSON.stringify(p['additionalProperty'])}`;
    case 'type':
      return `${at}: expected ${String(p['type'])}`;
    case 'format':
      return `${at}: expected RFC 3339 UTC with seconds precision (2026-11-01T00:00:00Z), a real date and time`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}
