/**
 * Regression (issue 13): diffFindings copied a key's whole list to append one finding and took matches off the
 * front with shift(), both linear per finding, so findings sharing one key were quadratic: 20,000 drift findings
 * whose numbers all changed between two quarters (one findingShape) took 12 s to pair, 0.75 s now (the figure
 * is from bench, not from this test). The pairing itself must not change: same multiset semantics, same three
 * identity levels in order, same output order. Checked here against the former implementation, kept verbatim.
 */
import { describe, expect, it } from 'vitest';
import { diffFindings, findingKey, findingObjects, findingShape, sortFindings } from '../../src/diff/findings.ts';
import type { Finding } from '../../src/model/finding.ts';
import { prng } from '../helpers/prng.ts';

function formerDiffFindings(oldF: readonly Finding[], newF: readonly Finding[]) {
  let remainingOld = [...oldF];
  let remainingNew = [...newF];
  const unchanged: Finding[] = [];
  for (const keyOf of [findingKey, findingShape, findingObjects]) {
    const pool = new Map<string, Finding[]>();
    for (const f of remainingOld) {
      const k = keyOf(f);
      pool.set(k, [...(pool.get(k) ?? []), f]);
    }
    const unmatched: Finding[] = [];
    for (const f of remainingNew) {
      const list = pool.get(keyOf(f));
      if (list && list.length > 0) {
        list.shift();
        unchanged.push(f);
      } else unmatched.push(f);
    }
    remainingNew = unmatched;
    remainingOld = [...pool.values()].flat();
  }
  return { introduced: sortFindings(remainingNew), fixed: sortFindings(remainingOld), unchanged: sortFindings(unchanged) };
}

describe('diffFindings pairs findings that share a key in linear time, as before', () => {
  it('the same result as the former implementation on random multisets (duplicates, numbers, rules and objects)', () => {
    const r = prng(13);
    const rnd = (): number => r.next();
    const pick = <T>(xs: readonly T[]): T => r.pick(xs);
    const finding = (): Finding => {
      const code = pick(['STATUS_DRIFT', 'CERT_EXPIRING', 'POLICY_UNEXPECTED_CROSS_NAMESPACE']);
      const n = Math.floor(rnd() * 4);
      const f: Finding = { code, severity: pick(['error', 'warning', 'info'] as const), subject: `Gateway ns/gw-${Math.floor(rnd() * 3)}`, message: `recorded attachedRoutes=${n} at 2026-0${1 + n}-01T00:00:00Z${rnd() < 0.3 ? ' (again)' : ''}` };
      if (rnd() < 0.2) delete f.subject;
      if (code.startsWith('POLICY_')) f.detail = { rule: pick(['a', 'b']), objects: [pick(['Service x/y', 'Service x/z']), 'HTTPRoute a/r'], path: `rule ${n}` };
      f.detail = { ...(f.detail ?? {}), id: Math.floor(rnd() * 1e6) }; // tells apart findings of equal keys
      return f;
    };
    let paired = 0;
    for (let round = 0; round < 200; round++) {
      const oldF = Array.from({ length: Math.floor(rnd() * 40) }, finding);
      const newF = [...oldF.filter(() => rnd() < 0.5), ...Array.from({ length: Math.floor(rnd() * 40) }, finding)];
      const got = diffFindings(oldF, newF);
      expect(got).toEqual(formerDiffFindings(oldF, newF));
      paired += got.unchanged.length;
    }
    expect(paired).toBeGreaterThan(1000); // the corpus really pairs at every level
  });

  it('thousands of findings of one shape: each old one pairs once, the surplus is fixed or introduced', () => {
    const mk = (i: number, q: number): Finding => ({ code: 'STATUS_DRIFT', severity: 'error', subject: `Gateway ns/gw-${i}`, message: `recorded attachedRoutes=${i + q}` });
    const oldF = Array.from({ length: 3000 }, (_, i) => mk(i, 0));
    const newF = Array.from({ length: 3003 }, (_, i) => mk(i, 1));
    const d = diffFindings(oldF, newF);
    expect(d.unchanged.length).toBe(3000);
    expect(d.fixed).toEqual([]);
    expect(d.introduced.length).toBe(3);
    expect(d).toEqual(formerDiffFindings(oldF, newF));
  });
});
