/**
 * Resolver golden cases. Each <case>.in.yaml (plus _base.yaml) is resolved and checked two ways:
 *  1. against the HAND-WRITTEN <case>.expect.yaml (an oracle written from ../shared/docs/gateway-api-semantics.md,
 *     not from engine output), and
 *  2. against <case>.out.yaml, the full resolution (regenerate with UPDATE_GOLDEN=1; missing fails under CI=true).
 * Cases in KNOWN_ENGINE_BUGS assert that the disagreement still exists, so the entry must be removed when the
 * engine is fixed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/index.ts';
import { resolve } from '../../../src/resolve/index.ts';
import type { ResolveOptions } from '../../../src/resolve/types.ts';
import { compareOrUpdate, goldenYaml } from '../../helpers/golden.ts';
import { checkExpectation, type Expectation } from './expect.ts';

const DIR = dirname(fileURLToPath(import.meta.url));

/**
 * Case -> why the engine disagrees with the digest. The test for such a case asserts the mismatch is still
 * there; when the engine gets fixed the test fails and the entry must be deleted.
 */
export const KNOWN_ENGINE_BUGS: Record<string, string> = {
};

function loadObjects(file: string): KubeObject[] {
  const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
  const out: KubeObject[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
    const v = d.toJS() as KubeObject | null;
    if (v) out.push(v);
  }
  return out;
}

const base = loadObjects('_base.yaml');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

function run(name: string) {
  const expectation = parse(readFileSync(join(DIR, `${name}.expect.yaml`), 'utf8')) as Expectation;
  const omit = new Set(expectation.captureOmitsKinds ?? []);
  const objects = [...base.filter((o) => !omit.has(o.kind)), ...loadObjects(`${name}.in.yaml`)];
  const options: ResolveOptions = {};
  if (omit.size > 0) options.kindsPresent = [...new Set(objects.map((o) => (o.apiVersion.includes('/') ? `${o.apiVersion.split('/')[0]}/${o.kind}` : o.kind)))].sort();
  if (expectation.options?.attachedRoutesSemantics) options.attachedRoutesSemantics = expectation.options.attachedRoutesSemantics;
  if (expectation.options?.features) options.features = expectation.options.features;
  const before = JSON.stringify(objects);
  const resolution = resolve(objects, options);
  return { objects, before, expectation, options, resolution };
}

describe('resolver golden cases', () => {
  it('has at least 40 cases, each with a hand-written expectation naming its digest rule', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) {
      const e = parse(readFileSync(join(DIR, `${c}.expect.yaml`), 'utf8')) as Expectation;
      expect(e.description, c).toBeTruthy();
      expect(e.digest, c).toMatch(/§\d/);
    }
  });

  for (const name of cases) {
    describe(name, () => {
      it('matches the hand-written expectation', () => {
        const { resolution, expectation } = run(name);
        const mismatches = checkExpectation(resolution, expectation);
        const bug = KNOWN_ENGINE_BUGS[name];
        if (bug) {
          // Known engine bug (see the table): must still be failing; delete the entry once fixed.
          expect(mismatches.length, `${name} is listed in KNOWN_ENGINE_BUGS (${bug}) but now passes: remove it`).toBeGreaterThan(0);
        } else {
          expect(mismatches).toEqual([]);
        }
      });

      it('equals the golden output, is deterministic and does not mutate its input', () => {
        const { objects, before, resolution, options } = run(name);
        expect(JSON.stringify(objects)).toBe(before);
        expect(JSON.stringify(resolve(objects, options))).toBe(JSON.stringify(resolution));
        compareOrUpdate(join(DIR, `${name}.out.yaml`), goldenYaml(resolution));
      });
    });
  }
});
