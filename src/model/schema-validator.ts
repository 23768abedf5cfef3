/**
 * The shape of the JSON Schema validators that scripts/gen-validators.mjs writes as ajv standalone code
 * (src/bundle/collection-schema.gen.ts, src/verify/trust-schema.gen.ts, src/policy/policy-schema.gen.ts), and the
 * one helper they share. Pure.
 */
import type { ErrorObject } from 'ajv';

/** A compiled schema: true when valid; otherwise `errors` holds ajv's error objects (as ajv.compile() gives them). */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** A format check, as ajv.addFormat takes it. */
export interface FormatDefinition {
  type: 'string';
  validate: (s: string) => boolean;
}

/** A CommonJS module imported from ESM (an ajv runtime helper): its exports object, or what a bundler already unwrapped. */
export function unwrapCommonJs(m: unknown): unknown {
  return typeof m === 'function' ? m : (m as { default: unknown }).default;
}
