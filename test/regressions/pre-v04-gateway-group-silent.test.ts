// Bug: Gateway API kinds in networking.x-k8s.io/v1alpha1 (the group the API shipped in before v0.4.0) were
// skipped as "not evidence" with no warning, so a dump of an old cluster looked empty without explanation.
// Now they are counted in `skipped` and named in a KIND_VERSION_UNKNOWN warning.
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/collector/normalize.ts';

describe('regression: pre-v04-gateway-group-silent', () => {
  it('counts and warns', () => {
    const cap = normalize(
      {
        objects: [
          { object: { apiVersion: 'networking.x-k8s.io/v1alpha1', kind: 'HTTPRoute', metadata: { name: 'old', namespace: 'a' }, spec: {} }, source: 'old.yaml#1' },
          { object: { apiVersion: 'networking.x-k8s.io/v1alpha1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'a' }, spec: {} }, source: 'old.yaml#2' },
          { object: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'a' } }, source: 'old.yaml#3' },
        ],
        conformanceReports: [],
        sources: [],
      },
      { capturedAt: '2026-11-01T00:00:00Z', mode: 'files', toolVersion: 't' },
    );
    expect(cap.snapshot.objects).toEqual([]);
    expect(cap.record.skipped).toEqual({ 'batch/v1 Job': 1, 'networking.x-k8s.io/v1alpha1 Gateway': 1, 'networking.x-k8s.io/v1alpha1 HTTPRoute': 1 });
    const w = cap.record.warnings.filter((x) => x.code === 'KIND_VERSION_UNKNOWN');
    expect(w.map((x) => x.source)).toEqual(['old.yaml#1', 'old.yaml#2']);
    expect(w[0]!.message).toMatch(/networking\.x-k8s\.io\/v1alpha1 HTTPRoute a\/old: .*pre-v0\.4 service-apis group/);
  });
});
