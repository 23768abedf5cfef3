/**
 * Regression (issue 13): the report was quadratic. Every routing row was checked against every finding
 * (report/model.ts findingTouches), and every policy finding against every other finding (linkFindings): 1,060 s
 * CPU for the HTML report of a 10k-route bundle. Both now go through indexes by object. This test holds the
 * indexed versions to the definitions they replace (speed itself is measured in bench/report.mjs, not here).
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY_GROUP, refKey } from '../../src/model/object.ts';
import type { Finding } from '../../src/model/finding.ts';
import { rowFindingCodes, type RoutingRow } from '../../src/report/model.ts';
import { linkFindings, sameFact } from '../../src/report/group.ts';
import { prng } from '../helpers/prng.ts';

/** The definition the index replaced (verbatim). */
function findingTouches(f: Finding, row: RoutingRow): boolean {
  const objs = new Set<string>([f.subject ?? '', ...((f.detail?.objects as unknown[] | undefined) ?? []).map(String)]);
  const routeK = refKey({ group: GATEWAY_GROUP, kind: row.route.kind, namespace: row.route.namespace, name: row.route.name });
  const backendK = refKey({ group: row.backend.group, kind: row.backend.kind, namespace: row.backend.namespace, name: row.backend.name });
  const hasRoute = objs.has(routeK);
  const hasBackend = objs.has(backendK);
  const anyRoute = [...objs].some((k) => /^[A-Za-z]+Route\./.test(k));
  const anyBackend = [...objs].some((k) => !/^[A-Za-z]+Route\./.test(k) && !k.startsWith('Gateway.') && k !== '');
  return (hasRoute && hasBackend) || (hasRoute && !anyBackend) || (hasBackend && !anyRoute);
}

function row(route: string, backend: string): RoutingRow {
  return {
    gateway: 'infra/gw', listener: 'http', port: 80, protocol: 'HTTP', public: false, hostname: 'a.example', rule: 0, matches: '*', weight: 1, percent: 100, valid: true,
    crossNamespace: false, serviceType: 'unclassified', servesTraffic: true, findings: [],
    route: { kind: 'HTTPRoute', namespace: 'ns', name: route },
    backend: { group: '', kind: 'Service', namespace: 'ns', name: backend },
  };
}

describe('report indexes give the results of the pairwise definitions', () => {
  it('rowFindingCodes(findings, rows)[i] = codes of the non-info findings touching row i', () => {
    const r = prng(13);
    const pick = <T>(xs: readonly T[]): T => r.pick(xs);
    const routes = ['r1', 'r2', 'r3'];
    const backends = ['s1', 's2', 's3'];
    const rows = routes.flatMap((rt) => backends.map((b) => row(rt, b)));
    const keys = [
      ...routes.map((rt) => refKey({ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: 'ns', name: rt })),
      ...backends.map((b) => refKey({ group: '', kind: 'Service', namespace: 'ns', name: b })),
      refKey({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: 'infra', name: 'gw' }),
      'Secret/ns/x',
      '',
    ];
    const findings: Finding[] = [];
    for (let i = 0; i < 400; i++) {
      const objects = Array.from({ length: r.int(4) }, () => pick(keys));
      const subject = pick([...keys, undefined]);
      findings.push({ code: `C${i % 17}`, severity: pick(['error', 'warning', 'info'] as const), ...(subject !== undefined ? { subject } : {}), message: 'm', ...(objects.length ? { detail: { objects } } : {}) });
    }
    const got = rowFindingCodes(findings, rows);
    const want = rows.map((x) => [...new Set(findings.filter((f) => f.severity !== 'info' && findingTouches(f, x)).map((f) => f.code))].sort());
    expect(got).toEqual(want);
    expect(want.some((c) => c.length > 0)).toBe(true);
  });

  it('linkFindings pairs exactly what sameFact pairs, in the same order', () => {
    const secret = (s: string): Finding & { source: string } => ({ code: 'CERT_EXPIRING', severity: 'warning', subject: `Secret ${s}`, message: 'x', detail: { secret: s }, source: 'analysis' });
    const pcert = (s: string): Finding & { source: string } => ({ code: 'POLICY_CERTIFICATE_EXPIRING', severity: 'error', subject: `Secret/${s}`, message: 'p', source: 'policy' });
    const svcType = (route: string, backend: string): Finding & { source: string } => ({ code: 'EXPOSURE_SERVICE_TYPE', severity: 'info', subject: route, message: 't', detail: { route, backend }, source: 'analysis' });
    const pType = (route: string, backend: string, svc: string): Finding & { source: string } => ({ code: 'POLICY_SERVICE_TYPE_NOT_ALLOWED', severity: 'error', subject: `Service/${svc}`, message: 'p', detail: { evidence: { route, backend } }, source: 'policy' });
    const uncl = (svc: string): Finding & { source: string } => ({ code: 'UNCLASSIFIED_SERVICE', severity: 'warning', subject: `Service/${svc}`, message: 'u', source: 'classification' });
    const plain = (route: string): Finding & { source: string } => ({ code: 'EXPOSURE_PLAINTEXT_HOSTNAME', severity: 'warning', subject: route, message: 'h', detail: { gateway: 'infra/gw', listener: 'http' }, source: 'analysis' });
    const ptls = (listener: string): Finding & { source: string } => ({ code: 'POLICY_TLS_REQUIRED', severity: 'error', subject: 'Gateway.gateway.networking.k8s.io/infra/gw', message: 'p', detail: { listener }, source: 'policy' });
    const xns = (route: string, msg: string): Finding & { source: string } => ({ code: 'RefNotPermitted', severity: 'warning', subject: `HTTPRoute.gateway.networking.k8s.io/${route}`, message: msg, source: 'resolution' });
    const pxns = (route: string, backend: string): Finding & { source: string } => ({ code: 'POLICY_UNEXPECTED_CROSS_NAMESPACE', severity: 'error', subject: `HTTPRoute.gateway.networking.k8s.io/${route}`, message: 'p', detail: { evidence: { backend } }, source: 'policy' });
    const findings = [
      secret('a/t'), pcert('a/t'), pcert('b/t'), secret('a/t'), svcType('HTTPRoute a/r', 'Service a/s:80'), pType('HTTPRoute a/r', 'Service a/s:8080', 'a/s'), uncl('a/s'),
      svcType('HTTPRoute a/r', 'Service a/other'), plain('HTTPRoute a/r'), ptls('http'), ptls('https'), xns('a/r', 'reference to Service b/s denied'), pxns('a/r', 'Service b/s:80'), pxns('a/r', 'Service b/s2'),
    ];
    const naiveBy = new Map<number, number[]>();
    const naiveRs = new Map<number, number[]>();
    findings.forEach((p, pi) => {
      if (p.source !== 'policy') return;
      findings.forEach((a, ai) => {
        if (a.source === 'policy' || !sameFact(a, p)) return;
        naiveBy.set(ai, [...(naiveBy.get(ai) ?? []), pi]);
        naiveRs.set(pi, [...(naiveRs.get(pi) ?? []), ai]);
      });
    });
    const got = linkFindings(findings);
    expect([...got.restatedBy].sort((a, b) => a[0] - b[0])).toEqual([...naiveBy].sort((a, b) => a[0] - b[0]));
    expect([...got.restates].sort((a, b) => a[0] - b[0])).toEqual([...naiveRs].sort((a, b) => a[0] - b[0]));
    expect(naiveRs.size).toBeGreaterThanOrEqual(4);
  });
});
