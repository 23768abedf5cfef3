import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/finding.ts';
import { consolidateFindings } from '../../../src/report/consolidate.ts';
import { driftFindings, type DriftEntry } from '../../../src/verify/drift.ts';

function stale(subject: string, field: string, observedGeneration: number, generation: number, agree = true): Finding {
  return {
    code: 'STATUS_STALE',
    severity: 'warning',
    subject,
    message: `${subject}: recorded ${field} is for generation ${observedGeneration}, object is at generation ${generation}; recorded ${field}=True (${field}), predicted ${field}=${agree ? 'True' : 'False'} (${field})`,
    detail: { field, recorded: { type: field, status: 'True', reason: field, observedGeneration }, recomputed: { type: field, status: agree ? 'True' : 'False', reason: field }, generation, valuesAgree: agree, prediction: true },
  };
}

describe('consolidateFindings: one finding per object and cause', () => {
  it('merges every STATUS_STALE of one object into one finding that keeps each condition in detail', () => {
    const list: Finding[] = [];
    for (const l of ['', ' listener http', ' listener https']) for (const c of ['Accepted', 'Programmed']) list.push(stale(`Gateway infra/gw${l}`, c, 3, 4));
    list.push(stale('Gateway infra/other listener a', 'Accepted', 3, 4));
    const out = consolidateFindings(list);
    expect(out).toHaveLength(2);
    const m = out[0]!;
    expect(m.code).toBe('STATUS_STALE');
    expect(m.subject).toBe('Gateway infra/gw');
    expect(m.detail).toMatchObject({ count: 6, generation: 4, observedGenerations: [3] });
    expect((m.detail!.conditions as { subject: string; field: string }[]).map((c) => `${c.subject}|${c.field}`)).toEqual(list.slice(0, 6).map((f) => `${f.subject}|${f.detail!.field}`));
    expect(m.message).toBe(
      'Gateway infra/gw: the recorded status is for generation 3, the object is at generation 4: 6 stale conditions (Gateway: Accepted, Programmed; listener http: Accepted, Programmed; listener https: Accepted, Programmed); the recorded values agree with the prediction',
    );
    // A cause seen once is left as it was.
    expect(out[1]).toBe(list[6]);
  });

  it('names the older generations and the conditions whose values differ from the prediction', () => {
    const out = consolidateFindings([stale('Gateway a/gw listener x', 'Accepted', 2, 5), stale('Gateway a/gw listener y', 'Programmed', 4, 5, false)]);
    expect(out).toHaveLength(1);
    expect(out[0]!.message).toContain('the recorded status is for generation 2 and 4, the object is at generation 5: 2 stale conditions (listener x (generation 2): Accepted; listener y (generation 4): Programmed)');
    expect(out[0]!.message).toContain('differ from the prediction for 1: listener y recorded Programmed=True (Programmed), predicted Programmed=False (Programmed)');
    expect(out[0]!.detail).toMatchObject({ count: 2, observedGenerations: [2, 4] });
  });

  it('merges drift with the same words on one object (two listeners, same recorded and predicted values), not different values', () => {
    const entries: DriftEntry[] = ['https', 'https-tools', 'http'].map((l) => ({
      subject: `Gateway infra/gw listener ${l}`,
      object: { kind: 'Gateway', namespace: 'infra', name: 'gw' },
      field: 'OverlappingTLSConfig',
      state: 'disagree',
      recorded: { type: 'OverlappingTLSConfig', status: 'True', reason: l === 'http' ? 'Other' : 'OverlappingHostnames' },
      recomputed: { type: 'OverlappingTLSConfig', status: 'True', reason: 'OverlappingCertificates' },
    })) as DriftEntry[];
    const out = consolidateFindings(driftFindings(entries));
    expect(out.map((f) => f.message)).toEqual([
      'Gateway infra/gw: recorded OverlappingTLSConfig=True (OverlappingHostnames), predicted OverlappingTLSConfig=True (OverlappingCertificates) (on listener https, listener https-tools)',
      'Gateway infra/gw listener http: recorded OverlappingTLSConfig=True (Other), predicted OverlappingTLSConfig=True (OverlappingCertificates)',
    ]);
    expect(out[0]!.detail).toMatchObject({ count: 2, subjects: ['Gateway infra/gw listener https', 'Gateway infra/gw listener https-tools'], field: 'OverlappingTLSConfig' });
  });

  it('leaves other codes, findings without a subject and refKey subjects alone', () => {
    const same = (subject: string | undefined): Finding => ({ code: 'EXPOSURE_SERVICE_TYPE', severity: 'info', ...(subject ? { subject } : {}), message: `${subject ?? 'x'}: same` });
    const list = [same('HTTPRoute a/r'), same('HTTPRoute a/r'), same(undefined), same(undefined), { ...stale('x', 'Accepted', 1, 2), subject: 'Gateway.gateway.networking.k8s.io/a/gw' }];
    expect(consolidateFindings(list)).toEqual(list);
  });
});
