// Issue 10: diff compares controller versions (GatewayClass controllerName, controller workload images) and
// ConformanceReports (a new data-plane implementation or version, changed profiles or results), in every format.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { diffCaptures } from '../../../src/diff/index.ts';
import { imageVersion } from '../../../src/diff/controllers.ts';
import { renderDiff } from '../../../src/diff/render.ts';
import type { Capture } from '../../../src/model/collection.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { platform, sortObjects } from './fixtures.ts';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/diff.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function deployment(image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace: 'envoy-gateway-system', name: 'envoy-gateway', labels: { 'control-plane': 'envoy-gateway' } },
    spec: { template: { metadata: { labels: { 'control-plane': 'envoy-gateway' } }, spec: { containers: [{ name: 'eg', image }] } } },
  };
}

function report(project: string, version: string, core: string, passed: number, failed: number): { name: string; bytes: Uint8Array; sha256: string } {
  const yaml = `apiVersion: gateway.networking.k8s.io/v1
kind: ConformanceReport
date: "2026-01-01T00:00:00Z"
gatewayAPIVersion: v1.4.0
gatewayAPIChannel: standard
implementation: {organization: example, project: ${project}, version: ${version}}
mode: default
profiles:
- name: GATEWAY-HTTP
  core: {result: ${core}, statistics: {Passed: ${passed}, Failed: ${failed}, Skipped: 0}}
`;
  return { name: `conformance/${project}.yaml`, bytes: new TextEncoder().encode(yaml), sha256: '0'.repeat(64) };
}

function capture(o: { controllerName: string; image: string; reports: Array<{ name: string; bytes: Uint8Array; sha256: string }>; at: string }): Capture {
  const c = platform({ capturedAt: o.at, extra: [deployment(o.image)] });
  for (const x of c.snapshot.objects) if (x.kind === 'GatewayClass') x.spec.controllerName = o.controllerName;
  c.snapshot.objects = sortObjects(c.snapshot.objects);
  c.snapshot.conformanceReports = o.reports;
  return c;
}

/** Markdown and HTML escapes undone, so that one expectation reads the same in every format. */
function plain(s: string): string {
  return s.replace(/\\([\[\]()*_`#|<>!.-])/g, '$1').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('diff: controller versions and ConformanceReports', () => {
  const oldC = capture({ controllerName: 'example.com/gateway-controller', image: 'docker.io/envoyproxy/gateway:v1.2.0', reports: [report('envoy-gateway', 'v1.2.0', 'success', 30, 0)], at: '2026-03-31T00:00:00Z' });
  const newC = capture({
    controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
    image: 'docker.io/envoyproxy/gateway:v1.3.1',
    reports: [report('envoy-gateway', 'v1.3.1', 'failure', 28, 2), report('istio', '1.24.0', 'success', 31, 0)],
    at: '2026-06-30T00:00:00Z',
  });
  const d = diffCaptures(oldC, newC);

  it('finds the changed controllerName, the new controller version and the conformance changes', () => {
    expect(d.controllers!.gatewayClasses).toEqual([{ name: 'example', op: 'changed', oldControllerName: 'example.com/gateway-controller', newControllerName: 'gateway.envoyproxy.io/gatewayclass-controller' }]);
    expect(d.controllers!.workloads).toEqual([
      {
        workload: 'Deployment envoy-gateway-system/envoy-gateway',
        implementation: 'envoy-gateway',
        op: 'changed',
        oldImages: ['docker.io/envoyproxy/gateway:v1.2.0'],
        newImages: ['docker.io/envoyproxy/gateway:v1.3.1'],
        oldVersions: ['v1.2.0'],
        newVersions: ['v1.3.1'],
      },
    ]);
    const conf = d.controllers!.conformance;
    expect(conf.map((c) => `${c.op} ${c.key}`)).toEqual(['changed example/envoy-gateway (default)', 'added example/istio (default)']);
    expect(conf[0]!.changes).toEqual(['version v1.2.0 -> v1.3.1', 'profile GATEWAY-HTTP core success -> failure', 'profile GATEWAY-HTTP tests passed 30 -> 28, failed 0 -> 2, skipped 0 -> 0']);
    expect(d.summary.controllersChanged).toBe(2);
    expect(d.summary.conformanceChanged).toBe(2);
    expect(validate(JSON.parse(JSON.stringify(d)))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('shows them in text, markdown and html', () => {
    for (const f of ['text', 'markdown', 'html'] as const) {
      const out = plain(renderDiff(d, f));
      expect(out).toContain('Controllers changed (2)');
      expect(out).toContain('GatewayClass example: controllerName example.com/gateway-controller -> gateway.envoyproxy.io/gatewayclass-controller');
      expect(out).toContain('Deployment envoy-gateway-system/envoy-gateway (envoy-gateway): version v1.2.0 -> v1.3.1');
      expect(out).toContain('Conformance reports changed (2)');
      expect(out).toContain('ConformanceReport example/istio (default) 1.24.0: new report (GATEWAY-HTTP core success)');
      expect(out).toContain('profile GATEWAY-HTTP core success -> failure');
    }
  });

  it('no change, no section: the same controllers and reports on both sides', () => {
    const same = diffCaptures(oldC, { ...oldC, record: { ...oldC.record, capturedAt: '2026-06-30T00:00:00Z' } });
    expect(same.controllers).toEqual({ gatewayClasses: [], workloads: [], conformance: [] });
    expect(renderDiff(same, 'text')).not.toContain('Controllers changed');
  });

  it('reads versions from tags and digests', () => {
    expect(imageVersion('registry:5000/envoyproxy/gateway:v1.3.1')).toBe('v1.3.1');
    expect(imageVersion('envoyproxy/gateway@sha256:abc')).toBe('sha256:abc');
    expect(imageVersion('registry:5000/envoyproxy/gateway')).toBe('latest');
  });
});
