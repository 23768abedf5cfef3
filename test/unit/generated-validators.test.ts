/**
 * The JSON Schema validators gwe ships as ajv standalone code (scripts/gen-validators.mjs; issue 13: no schema
 * compiler at run time): each committed module is exactly what the generator writes from the schema, and each
 * validator gives what ajv.compile() of the same schema gives (the verdict and every error object) on valid inputs
 * and on every mutation of them below.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { VALIDATORS, generate } from '../../scripts/gen-validators.mjs';
import { makeValidator as collectionValidator } from '../../src/bundle/collection-schema.gen.ts';
import { makeValidator as trustValidator } from '../../src/verify/trust-schema.gen.ts';
import { makeValidator as policyValidator } from '../../src/policy/policy-schema.gen.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { isUtcSeconds, parseRfc3339 } from '../../src/model/time.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from './bundle/fixture.ts';

interface Entry {
  schema: string;
  out: string;
  options: Record<string, unknown>;
  formats: string[];
}

const root = new URL('../../', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, root), 'utf8');
const yamlFile = (p: string): unknown => parseDocument(read(p)).toJS();

const FORMATS = {
  'capture-time': { type: 'string' as const, validate: (s: string) => isUtcSeconds(s) },
  'date-time': { type: 'string' as const, validate: (s: string) => parseRfc3339(s).ok },
};

function collectionRecord(): unknown {
  const r = readArchive(buildBundle(sampleCapture(), { signers: [sampleKey('collector')] }).bytes);
  return JSON.parse(new TextDecoder().decode(r.files.get('collection.json')));
}

/** Valid inputs for each schema: the repository's own files and a built bundle's record. */
const SAMPLES: Record<string, () => unknown[]> = {
  'schemas/collection.schema.json': () => [collectionRecord(), { ...(collectionRecord() as object), partial: true }],
  'schemas/trust.schema.json': () => [parseDocument(readFileSync(`${KEYS_DIR}trust.yaml`, 'utf8')).toJS()],
  'schemas/policy.schema.json': () => [yamlFile('samples/policy.yaml'), yamlFile('bench/policy.yaml')],
};

const WRONG: unknown[] = [null, 0, -1, 1.5, '', 'x', '2026-02-30T00:00:00Z', '2026-11-01T00:00:00Z', true, [], [1], {}, { extra: 1 }];

/** Every input one change away from `v`: each member deleted, replaced by each wrong value, one member added. */
function* mutations(v: unknown, depth = 0): Generator<unknown> {
  if (depth > 4 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      for (const w of WRONG) yield v.map((x, j) => (j === i ? w : x));
      for (const m of mutations(v[i], depth + 1)) yield v.map((x, j) => (j === i ? m : x));
    }
    yield [];
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const { [k]: _drop, ...rest } = o;
    yield rest;
    for (const w of WRONG) yield { ...o, [k]: w };
    for (const m of mutations(o[k], depth + 1)) yield { ...o, [k]: m };
  }
  yield { ...o, unexpectedMember: 'x' };
}

const MAKERS: Record<string, typeof collectionValidator> = {
  'schemas/collection.schema.json': collectionValidator,
  'schemas/trust.schema.json': trustValidator,
  'schemas/policy.schema.json': policyValidator,
};

describe('generated schema validators (scripts/gen-validators.mjs)', () => {
  for (const v of VALIDATORS as Entry[]) {
    it(`${v.out} is what the generator writes from ${v.schema} (run node scripts/gen-validators.mjs when it is not)`, () => {
      expect(read(v.out) === generate(v)).toBe(true);
    });

    it(`${v.out} gives ajv.compile()'s verdict and errors on valid and mutated inputs`, () => {
      const ajv = new Ajv(v.options);
      const formats = Object.fromEntries(v.formats.map((f) => [f, FORMATS[f as keyof typeof FORMATS]]));
      for (const [name, def] of Object.entries(formats)) ajv.addFormat(name, def);
      const compiled = ajv.compile(JSON.parse(read(v.schema)));
      const standalone = MAKERS[v.schema]!(formats);
      let cases = 0;
      let invalid = 0;
      for (const sample of SAMPLES[v.schema]!()) {
        expect(standalone(sample)).toBe(true);
        for (const input of [sample, ...mutations(sample)]) {
          const a = compiled(input);
          const b = standalone(input);
          expect(b).toBe(a);
          expect(JSON.stringify(standalone.errors ?? null)).toBe(JSON.stringify(compiled.errors ?? null));
          cases++;
          if (!a) invalid++;
        }
      }
      // The mutations must reach the schema's checks, not only pass.
      expect(cases).toBeGreaterThan(200);
      expect(invalid).toBeGreaterThan(cases / 4);
    });
  }
});
