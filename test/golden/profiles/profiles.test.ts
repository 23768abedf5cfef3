/**
 * Controller profile golden cases (issue 11 section 3): one case per profile switch (src/resolve/profiles.ts).
 * Each <case>.in.yaml (plus test/golden/resolve/_base.yaml) is resolved twice, in `spec` and in `auto` semantics,
 * and checked against:
 *  1. the HAND-WRITTEN <case>.expect.yaml: `spec:` (what the Gateway API spec / conformance suite says) and
 *     `profile:` (what the controller writes, from the controller source file the switch copies), side by side;
 *  2. <case>.out.yaml: both full resolutions side by side (regenerate with UPDATE_GOLDEN=1).
 * The switch must fire (a PROFILE_SWITCH finding naming it in the profile resolution, none in spec) and must change
 * the result (the spec expectation fails against the profile resolution).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/index.ts';
import { PROFILE_SWITCHES, resolve, type Profile } from '../../../src/resolve/index.ts';
import { compareOrUpdate, goldenYaml } from '../../helpers/golden.ts';
import { checkExpectation, type Expectation } from '../resolve/expect.ts';

const DIR = dirname(fileURLToPath(import.meta.url));
const RESOLVE_DIR = join(DIR, '..', 'resolve');

interface ProfileCase {
  description: string;
  /** The switch this case holds (profiles.ts SwitchId). */
  switch: string;
  /** The profile `auto` must pick for the case's Gateways. */
  semantics: Profile;
  spec: Omit<Expectation, 'description' | 'digest'>;
  profile: Omit<Expectation, 'description' | 'digest'>;
}

function load(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => {
      if (d.errors.length) throw new Error(`${path}: ${d.errors[0]!.message}`);
      return d.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}

const base = load(join(RESOLVE_DIR, '_base.yaml'));
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

describe('controller profile golden cases', () => {
  it('has a case for every profile switch', () => {
    const covered = new Set(cases.map((c) => (parse(readFileSync(join(DIR, `${c}.expect.yaml`), 'utf8')) as ProfileCase).switch));
    expect([...Object.keys(PROFILE_SWITCHES)].filter((id) => !covered.has(id))).toEqual([]);
  });

  for (const name of cases) {
    describe(name, () => {
      const objects = [...base, ...load(join(DIR, `${name}.in.yaml`))];
      const c = parse(readFileSync(join(DIR, `${name}.expect.yaml`), 'utf8')) as ProfileCase;
      const spec = resolve(objects, { semantics: 'spec' });
      const auto = resolve(objects, { semantics: 'auto' });
      const named = resolve(objects, { semantics: c.semantics });

      it('spec semantics: matches the hand-written spec expectation', () => {
        expect(checkExpectation(spec, { description: c.description, digest: '', ...c.spec })).toEqual([]);
        expect(spec.findings.filter((f) => f.code === 'PROFILE_SWITCH')).toEqual([]);
      });

      it(`auto semantics picks ${c.semantics} and matches the hand-written profile expectation`, () => {
        expect(auto.gateways.length).toBeGreaterThan(0);
        expect(auto.gateways.filter((g) => g.semantics === c.semantics).map((g) => `${g.namespace}/${g.name}`)).not.toEqual([]);
        expect(spec.gateways.every((g) => g.semantics === 'spec')).toBe(true);
        expect(checkExpectation(auto, { description: c.description, digest: '', ...c.profile })).toEqual([]);
        // --semantics <profile> gives the same result as auto for the Gateways auto gave that profile.
        const mine = (r: typeof auto) => JSON.stringify(r.gateways.filter((g) => auto.gateways.some((a) => a.semantics === c.semantics && a.namespace === g.namespace && a.name === g.name)));
        expect(mine(named)).toBe(mine(auto));
      });

      it(`switch ${c.switch} fires and changes the result`, () => {
        expect(PROFILE_SWITCHES[c.switch as keyof typeof PROFILE_SWITCHES], c.switch).toBeDefined();
        const fired = auto.findings.filter((f) => f.code === 'PROFILE_SWITCH' && (f.detail as { switch?: string }).switch === c.switch);
        expect(fired.length, `${c.switch} recorded`).toBeGreaterThan(0);
        expect(checkExpectation(auto, { description: c.description, digest: '', ...c.spec }).length, 'the spec expectation must fail in the profile').toBeGreaterThan(0);
      });

      it('equals the golden output (spec and profile side by side)', () => {
        const out = goldenYaml({ switch: c.switch, spec, [c.semantics]: auto });
        expect(compareOrUpdate(join(DIR, `${name}.out.yaml`), out).status).toMatch(/match|written/);
      });
    });
  }
});
