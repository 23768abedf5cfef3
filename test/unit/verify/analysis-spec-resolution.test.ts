/**
 * AnalysisResult.specSameWithoutKindsPresent: the report uses the analysis' spec resolution instead of resolving
 * the capture again only when that resolution is exactly `resolve(objects, { semantics: 'spec' })` without
 * kindsPresent (issue 13). A lookup that falls on a kind the capture did not hold changes the result (unknown, not
 * missing), so the flag must then be false.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/model/index.ts';
import { kindKey } from '../../../src/model/collection.ts';
import { groupOf } from '../../../src/model/object.ts';
import { resolve } from '../../../src/resolve/index.ts';
import type { ResolveOptions } from '../../../src/resolve/types.ts';
import { analyzeCapture, type AnalysisOptions } from '../../../src/verify/analysis.ts';
import { captureOf } from '../../helpers/capture.ts';

const GOLDEN = resolvePath('test/golden/resolve');

function load(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(join(GOLDEN, file), 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

const kindsOf = (objects: readonly KubeObject[]): string[] => [...new Set(objects.map((o) => kindKey(groupOf(o.apiVersion), o.kind)))].sort();

function captureFrom(objects: KubeObject[], kindsPresent: string[] | undefined) {
  const c = captureOf('', kindsPresent);
  c.snapshot.objects = objects;
  return c;
}

const base = load('_base.yaml');
const cases = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.in.yaml'))
  .map((f) => f.slice(0, -'.in.yaml'.length))
  .sort();

describe('analysis: specSameWithoutKindsPresent', () => {
  it('every resolver golden case, captured from files (kindsPresent = its kinds) and live (none): when the flag is set, the spec resolution is byte for byte a resolve without kindsPresent', () => {
    let reused = 0;
    let notReused = 0;
    for (const name of cases) {
      const expectation = parse(readFileSync(join(GOLDEN, `${name}.expect.yaml`), 'utf8')) as { captureOmitsKinds?: string[]; options?: ResolveOptions };
      const omit = new Set(expectation.captureOmitsKinds ?? []);
      const objects = [...base.filter((o) => !omit.has(o.kind)), ...load(`${name}.in.yaml`)];
      const options: AnalysisOptions & ResolveOptions = {};
      if (expectation.options?.attachedRoutesSemantics) options.attachedRoutesSemantics = expectation.options.attachedRoutesSemantics;
      if (expectation.options?.features) options.features = expectation.options.features;
      const plain = JSON.stringify(resolve(objects, { ...options, semantics: 'spec' }));
      for (const kindsPresent of [kindsOf(objects), undefined]) {
        const a = analyzeCapture(captureFrom(objects, kindsPresent), options);
        if (a.specSameWithoutKindsPresent) {
          reused++;
          // After the whole analysis ran on it: nothing in the analysis changed the resolution either.
          expect(JSON.stringify(a.specResolution), name).toBe(plain);
        } else {
          notReused++;
          expect(kindsPresent, `${name}: a capture without kindsPresent always reuses`).toBeDefined();
        }
      }
    }
    // Every live capture reuses; most files captures too (the others reference a kind they did not hold).
    expect(reused).toBeGreaterThanOrEqual(cases.length + Math.floor(cases.length / 2));
    expect(notReused).toBeGreaterThanOrEqual(1);
  });

  const ROUTE_TO = (backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gc}
spec: {controllerName: example.com/ctl}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: gc
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: apps}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  rules: [{backendRefs: [${backend}]}]
`;

  it('a capture that holds no Services: the backend is unknown under kindsPresent, not found without it, and the flag is false', () => {
    const cap = captureOf(ROUTE_TO('{name: svc, port: 80}'), ['gateway.networking.k8s.io/GatewayClass', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/HTTPRoute']);
    const a = analyzeCapture(cap);
    expect(a.specSameWithoutKindsPresent).toBe(false);
    const plain = resolve(cap.snapshot.objects, { semantics: 'spec' });
    const backend = (r: typeof plain) => r.routing[0]!.hostnames[0]!.routes[0]!.rules[0]!.backends[0]!;
    expect(backend(a.specResolution).reason).toBe('CaptureIncomplete');
    expect(backend(plain).reason).toBe('BackendNotFound');
  });

  it('a capture that holds no ReferenceGrants: a cross-namespace backend is unknown under kindsPresent, so the flag is false', () => {
    const text = `${ROUTE_TO('{name: svc, namespace: other, port: 80}')}---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: other}
spec: {ports: [{port: 80}]}
`;
    const kinds = ['Service', 'gateway.networking.k8s.io/GatewayClass', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/HTTPRoute'];
    expect(analyzeCapture(captureOf(text, kinds)).specSameWithoutKindsPresent).toBe(false);
    // The same capture with ReferenceGrant listed (held, none matching): kindsPresent changes nothing.
    const a = analyzeCapture(captureOf(text, [...kinds, 'gateway.networking.k8s.io/ReferenceGrant', 'Namespace']));
    expect(a.specSameWithoutKindsPresent).toBe(true);
    expect(JSON.stringify(a.specResolution)).toBe(JSON.stringify(resolve(captureOf(text).snapshot.objects, { semantics: 'spec' })));
  });
});
