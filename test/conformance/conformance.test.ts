/**
 * Scores the resolution engine against the Gateway API conformance corpus in ../shared/conformance
 * (59 cases: manifests.yaml + expected.json), applying the matching rules of its INDEX.md, which copy
 * conformance/utils/kubernetes/helpers.go.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolve, SUPPORTED_FEATURES } from '../../src/resolve/index.ts';
import { loadManifests, score, type Expected } from './score.ts';

const CORPUS = resolvePath(process.cwd(), '../shared/conformance');

/**
 * Cases we choose not to follow, with the reason. Empty: every case is followed. Cases that are not
 * applicable because of the features we claim are computed from skipIf/onlyIf below, not listed here.
 */
const SKIP: Record<string, string> = {};

function notApplicable(exp: Expected, features: readonly string[]): string | undefined {
  const skipIf = (exp.skipIfSupportedFeatures ?? []).filter((f) => features.includes(f));
  if (skipIf.length) return `not applicable: the upstream test returns early when the implementation claims ${skipIf.join(', ')}, which we claim`;
  const onlyIf = (exp.onlyIfSupportedFeatures ?? []).filter((f) => !features.includes(f));
  if (onlyIf.length) return `not applicable: the upstream test runs only when ${onlyIf.join(', ')} is claimed`;
  return undefined;
}

const present = existsSync(join(CORPUS, 'INDEX.md'));
const cases = present ? readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(CORPUS, d.name, 'expected.json'))).map((d) => d.name).sort() : [];
const table: { name: string; result: string; detail: string }[] = [];

describe.skipIf(!present)('Gateway API conformance corpus (../shared/conformance)', () => {
  it('has the 59 cases of INDEX.md', () => {
    expect(cases.length).toBe(59);
  });

  for (const name of cases) {
    const exp = JSON.parse(readFileSync(join(CORPUS, name, 'expected.json'), 'utf8')) as Expected;
    const na = notApplicable(exp, SUPPORTED_FEATURES);
    const skip = SKIP[name];
    it(`${name}${na ? ' (not applicable)' : ''}`, () => {
      const objects = loadManifests(join(CORPUS, name, 'manifests.yaml'));
      const controllerName = (objects.find((o) => o.kind === 'GatewayClass')?.spec?.controllerName as string) ?? '';
      if (skip !== undefined) {
        table.push({ name, result: 'SKIP', detail: skip });
        return;
      }
      if (na !== undefined) {
        // Also run it with the features it needs removed: the engine must then behave as the test expects.
        const reduced = SUPPORTED_FEATURES.filter((f) => !(exp.skipIfSupportedFeatures ?? []).includes(f));
        const errs = score(exp, resolve(objects, { features: [...reduced, ...(exp.onlyIfSupportedFeatures ?? [])] }), controllerName);
        table.push({ name, result: 'N/A', detail: `${na}; with those features removed: ${errs.length ? `FAIL ${errs.join('; ')}` : 'pass'}` });
        expect(errs).toEqual([]);
        return;
      }
      const errs = score(exp, resolve(objects), controllerName);
      table.push({ name, result: errs.length ? 'FAIL' : 'pass', detail: errs.join('; ') });
      expect(errs).toEqual([]);
    });
  }

  afterAll(() => {
    const w = Math.max(...table.map((t) => t.name.length), 4);
    const lines = table.sort((a, b) => (a.name < b.name ? -1 : 1)).map((t) => `${t.name.padEnd(w)}  ${t.result.padEnd(4)}  ${t.detail}`);
    const passed = table.filter((t) => t.result === 'pass').length;
    const na = table.filter((t) => t.result === 'N/A');
    const skipped = table.filter((t) => t.result === 'SKIP');
    process.stdout.write(
      `\nconformance: ${passed} pass, ${table.filter((t) => t.result === 'FAIL').length} fail, ${na.length} not applicable, ${skipped.length} skipped (of ${table.length})\n` +
        lines.join('\n') +
        `\n\nskip table (cases not followed, or not applicable with our claimed features):\n` +
        ([...skipped, ...na].map((t) => `  ${t.name}: ${t.detail}`).join('\n') || '  (none)') +
        '\n',
    );
  });
});

if (!present) {
  describe('Gateway API conformance corpus', () => {
    it.skip(`skipped: corpus not found at ${CORPUS} (expected ../shared/conformance relative to the repo root)`, () => undefined);
  });
}
