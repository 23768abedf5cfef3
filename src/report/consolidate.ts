/**
 * One finding per object and cause (issue 10, "Noise"). The verifier's drift analysis reports one finding per
 * condition and per listener: one Gateway whose status was written for an older generation gave 14
 * STATUS_STALE warnings, one per (listener, condition). A reviewer reads that as one fact about one object:
 * "the recorded status of Gateway infra/gw is for generation 3, the object is at generation 4". This module
 * merges such findings into one whose detail keeps every original entry (subject, field, values), so nothing
 * is lost and the count is visible. Pure.
 *
 * What counts as the same cause:
 *  - STATUS_STALE: the same object at the same generation (every stale condition of the object, whatever its
 *    listener, type or the older generation it was written for);
 *  - the other per-condition drift codes (STATUS_DRIFT, STATUS_RECORDED_MISSING, STATUS_CONTROLLER_DEPARTURE,
 *    STATUS_NOT_DERIVABLE, STATUS_UNKNOWN_OFFLINE): the same object and the same words after the subject
 *    (same field, same recorded and predicted values), e.g. two listeners of one Gateway both recorded
 *    OverlappingHostnames where OverlappingCertificates is predicted.
 * Findings of other codes, and findings whose subject does not name the object first, are left as they are.
 */
import type { Finding } from '../model/finding.ts';
import { objectOf } from './group.ts';

/** Drift codes that are reported per condition/listener and merge per object when the cause is the same. */
const SAME_WORDS_CODES: ReadonlySet<string> = new Set([
  'STATUS_DRIFT',
  'STATUS_RECORDED_MISSING',
  'STATUS_CONTROLLER_DEPARTURE',
  'STATUS_NOT_DERIVABLE',
  'STATUS_UNKNOWN_OFFLINE',
]);

function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `Gateway infra/gw listener http` -> `listener http`; the object itself -> the kind (`Gateway`). */
function part(subject: string, object: string): string {
  const rest = subject.slice(object.length).trim();
  return rest === '' ? object.split(' ')[0]! : rest;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

interface Slot {
  key: string;
  object: string;
  list: Finding[];
}

function causeKey(f: Finding, object: string): string | undefined {
  // A stale status is one fact about the object, whatever generation each condition was written for.
  if (f.code === 'STATUS_STALE') return `${f.code}\u0000${f.severity}\u0000${object}\u0000${String(rec(f.detail).generation)}`;
  if (SAME_WORDS_CODES.has(f.code)) return `${f.code}\u0000${f.severity}\u0000${object}\u0000${f.message.slice(f.subject!.length)}`;
  return undefined;
}

function mergeStale(object: string, list: Finding[]): Finding {
  const generation = rec(list[0]!.detail).generation;
  const conditions = list.map((f) => {
    const d = rec(f.detail);
    return { subject: f.subject!, field: d.field, observedGeneration: rec(d.recorded).observedGeneration, recorded: d.recorded, recomputed: d.recomputed, valuesAgree: d.valuesAgree };
  });
  const observed = [...new Set(conditions.map((c) => String(c.observedGeneration)))];
  // Per part (the object itself, each listener, each parent) and recorded generation: the stale condition types, in input order.
  const byPart = new Map<string, string[]>();
  for (const c of conditions) {
    const p = `${part(c.subject, object)}${observed.length > 1 ? ` (generation ${String(c.observedGeneration)})` : ''}`;
    byPart.set(p, [...(byPart.get(p) ?? []), String(c.field)]);
  }
  const where = [...byPart].map(([p, fields]) => `${p}: ${fields.join(', ')}`).join('; ');
  const differ = list.filter((f) => rec(f.detail).valuesAgree === false);
  const agreeText =
    differ.length === 0
      ? 'the recorded values agree with the prediction'
      : `the recorded values differ from the prediction for ${differ.length}: ${differ.map((f) => `${part(f.subject!, object)} ${f.message.slice(f.message.lastIndexOf('; ') + 2)}`).join('; ')}`;
  return {
    code: 'STATUS_STALE',
    severity: list[0]!.severity,
    subject: object,
    message: `${object}: the recorded status is for generation ${observed.join(' and ')}, the object is at generation ${String(generation)}: ${plural(list.length, 'stale condition')} (${where}); ${agreeText}`,
    detail: { count: list.length, generation, observedGenerations: [...new Set(conditions.map((c) => c.observedGeneration))], conditions, prediction: true },
  };
}

function mergeSameWords(object: string, list: Finding[]): Finding {
  const first = list[0]!;
  const words = first.message.slice(first.subject!.length).replace(/^:\s*/, '');
  const parts = list.map((f) => part(f.subject!, object));
  return {
    code: first.code,
    severity: first.severity,
    subject: object,
    message: `${object}: ${words} (on ${parts.join(', ')})`,
    detail: { ...rec(first.detail), count: list.length, subjects: list.map((f) => f.subject!) },
  };
}

/**
 * Merges findings that report one cause on one object (see the module comment). Order: a merged finding takes
 * the place of the first finding it merges; everything else keeps its order. A cause seen once is unchanged.
 * @example consolidateFindings(analysis.findings) // 14 STATUS_STALE on Gateway infra/gw -> 1, detail.count 14
 */
export function consolidateFindings(findings: readonly Finding[]): Finding[] {
  const slots: (Finding | Slot)[] = [];
  const byKey = new Map<string, Slot>();
  for (const f of findings) {
    const object = f.subject !== undefined ? objectOf(f.subject) : undefined;
    const key = object !== undefined && object !== 'bundle' && f.subject!.startsWith(object) ? causeKey(f, object) : undefined;
    if (key === undefined) {
      slots.push(f);
      continue;
    }
    const slot = byKey.get(key);
    if (slot) slot.list.push(f);
    else {
      const s: Slot = { key, object: object!, list: [f] };
      byKey.set(key, s);
      slots.push(s);
    }
  }
  return slots.map((s) => {
    if (!('list' in s)) return s;
    if (s.list.length === 1) return s.list[0]!;
    return s.list[0]!.code === 'STATUS_STALE' ? mergeStale(s.object, s.list) : mergeSameWords(s.object, s.list);
  });
}
