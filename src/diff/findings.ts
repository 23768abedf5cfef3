/** Findings introduced, fixed and unchanged between two analyses (gwctl-style). */
import { sortFindings, type Finding } from '../model/finding.ts';

export { sortFindings };
import type { FindingsDiff } from './types.ts';

/**
 * Identity of a finding across captures: code, subject and message. Severity is not part of it (a
 * severity change shows as the new finding in `unchanged`); `detail` is not part of it.
 */
export function findingKey(f: Finding): string {
  return `${f.code}\u0000${f.subject ?? ''}\u0000${f.message}`;
}

/**
 * Looser identity: the same key with timestamps and numbers masked, so that "expires in 40 days" at Q1
 * and "expires in 10 days" at Q2 are the same standing problem, not one fixed and one introduced.
 */
export function findingShape(f: Finding): string {
  const mask = (s: string): string => s.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<time>').replace(/\d+(\.\d+)?/g, '<n>');
  return `${f.code}\u0000${mask(f.subject ?? '')}\u0000${mask(f.message)}`;
}


/**
 * Loosest identity, for findings that name their objects and rule (policy findings: detail.rule, detail.objects):
 * the same rule violated by the same objects at the same subject is the same standing violation even when its
 * wording changed (e.g. "not allowed by any ReferenceGrant" -> "allowed by ReferenceGrant x": the grant is a
 * change of its own, listed under grants). Findings without detail.objects never match at this level.
 */
export function findingObjects(f: Finding): string {
  const objs = f.detail?.objects;
  if (!Array.isArray(objs)) return `\u0001${findingKey(f)}`;
  const rule = typeof f.detail?.rule === 'string' ? f.detail.rule : '';
  const path = typeof f.detail?.path === 'string' ? f.detail.path.replace(/\d+(\.\d+)?/g, '<n>') : '';
  return `${f.code}\u0000${f.subject ?? ''}\u0000${rule}\u0000${objs.map(String).sort().join(',')}\u0000${path}`;
}

/**
 * Multiset semantics: two identical findings before and one after = one fixed, one unchanged. Exact matches
 * pair first, then findings equal up to numbers and timestamps (findingShape), then policy findings about the same
 * objects under the same rule (findingObjects).
 */
export function diffFindings(oldF: readonly Finding[], newF: readonly Finding[]): FindingsDiff {
  let remainingOld: readonly Finding[] = oldF;
  let remainingNew: readonly Finding[] = newF;
  const unchanged: Finding[] = [];
  for (const keyOf of [findingKey, findingShape, findingObjects]) {
    // Per key the old findings in order and how many of them are matched (the first `used`): appending and a
    // moving start instead of copying the list per finding and shift() per match, which were quadratic in the
    // findings of one key (issue 13: thousands of findings share a shape at 10k routes).
    const pool = new Map<string, { list: Finding[]; used: number }>();
    for (const f of remainingOld) {
      const k = keyOf(f);
      const e = pool.get(k);
      if (e) e.list.push(f);
      else pool.set(k, { list: [f], used: 0 });
    }
    const unmatched: Finding[] = [];
    for (const f of remainingNew) {
      const e = pool.get(keyOf(f));
      if (e && e.used < e.list.length) {
        e.used++;
        unchanged.push(f);
      } else unmatched.push(f);
    }
    remainingNew = unmatched;
    const left: Finding[] = [];
    for (const e of pool.values()) for (let i = e.used; i < e.list.length; i++) left.push(e.list[i]!);
    remainingOld = left;
  }
  return { introduced: sortFindings(remainingNew), fixed: sortFindings(remainingOld), unchanged: sortFindings(unchanged) };
}
