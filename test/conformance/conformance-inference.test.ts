/**
 * Scores the resolver against the Gateway API Inference Extension conformance corpus in
 * ../shared/conformance-inference (16 cases: manifests.yaml + expected.json), applying the matching rules of its
 * INDEX.md: routes and Gateways as in ../shared/conformance (score.ts `score`), InferencePool parents with
 * `scorePools` (helpers.go InferencePoolMustHaveOneOfConditions / InferencePoolMustHaveNoParents).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolve, SUPPORTED_FEATURES } from '../../src/resolve/index.ts';
import { loadManifests, score, scorePools, type ExpPool, type Expected } from './score.ts';

const CORPUS = resolvePath(process.cwd(), '../shared/conformance-inference');
const present = existsSync(join(CORPUS, 'INDEX.md'));
const cases = present ? readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(CORPUS, d.name, 'expected.json'))).map((d) => d.name).sort() : [];
const table: { name: string; result: string; detail: string }[] = [];

describe.skipIf(!present)('Inference Extension conformance corpus (../shared/conformance-inference)', () => {
  it('has the 16 cases of INDEX.md', () => {
    expect(cases.length).toBe(16);
  });

  it('runs every case: the resolver claims the features each upstream test needs', () => {
    for (const name of cases) {
      const exp = JSON.parse(readFileSync(join(CORPUS, name, 'expected.json'), 'utf8')) as Expected;
      expect(exp.features.filter((f) => !SUPPORTED_FEATURES.includes(f)), name).toEqual([]);
    }
  });

  for (const name of cases) {
    it(name, () => {
      const exp = JSON.parse(readFileSync(join(CORPUS, name, 'expected.json'), 'utf8')) as Expected & { inferencePools?: ExpPool[] };
      const objects = loadManifests(join(CORPUS, name, 'manifests.yaml'));
      const controllerName = (objects.find((o) => o.kind === 'GatewayClass')?.spec?.controllerName as string) ?? '';
      const res = resolve(objects);
      const errs = [...score(exp, res, controllerName), ...scorePools(exp.inferencePools ?? [], res)];
      table.push({ name, result: errs.length ? 'FAIL' : 'pass', detail: errs.join('; ') });
      expect(errs).toEqual([]);
    });
  }

  it('a controller that does not claim SupportInferencePool rejects pool backends (InvalidKind) and writes NotSupportedByParent', () => {
    const name = 'InferencePoolAccepted';
    const objects = loadManifests(join(CORPUS, name, 'manifests.yaml'));
    const res = resolve(objects, { features: SUPPORTED_FEATURES.filter((f) => f !== 'SupportInferencePool') });
    const route = res.routes.find((r) => r.name === 'httproute-for-inferencepool-accepted');
    expect(route?.parents[0]?.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({ status: 'False', reason: 'InvalidKind' });
    const pool = res.inferencePools?.find((p) => p.name === 'primary-inference-pool');
    // An InvalidKind ref does not associate the pool with the parent: no entry at all.
    expect(pool?.parents).toEqual([]);
  });

  afterAll(() => {
    const w = Math.max(...table.map((t) => t.name.length), 4);
    const passed = table.filter((t) => t.result === 'pass').length;
    process.stdout.write(
      `\nconformance-inference: ${passed} pass, ${table.length - passed} fail (of ${table.length})\n` +
        table.sort((a, b) => (a.name < b.name ? -1 : 1)).map((t) => `${t.name.padEnd(w)}  ${t.result.padEnd(4)}  ${t.detail}`).join('\n') +
        '\n',
    );
  });
});

if (!present) {
  describe('Inference Extension conformance corpus', () => {
    it.skip(`skipped: corpus not found at ${CORPUS} (expected ../shared/conformance-inference relative to the repo root)`, () => undefined);
  });
}
