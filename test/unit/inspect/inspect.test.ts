import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { certificateRows, objectRows, renderCertificates, renderObjects, renderRecord, selectObjects } from '../../../src/inspect/index.ts';
import { platform } from '../diff/fixtures.ts';

describe('inspect', () => {
  const c = platform();
  it('selects by kind (case-insensitive, Kind.group), namespace and name', () => {
    expect(selectObjects(c, { kind: 'httproute' }).map((o) => o.metadata.name)).toEqual(['chat', 'agent-tools']);
    expect(selectObjects(c, { kind: 'HTTPRoute.gateway.networking.k8s.io', namespace: 'tools' }).map((o) => o.metadata.name)).toEqual(['agent-tools']);
    expect(selectObjects(c, { kind: 'Service', name: 'llm-v1' })).toHaveLength(1);
    expect(selectObjects(c, { kind: 'Service', name: 'nope' })).toHaveLength(0);
  });

  it('lists objects with their file path in the bundle', () => {
    const rows = objectRows(selectObjects(c, { kind: 'Gateway' }));
    expect(rows).toEqual([{ kind: 'Gateway', apiVersion: 'gateway.networking.k8s.io/v1', namespace: 'infra', name: 'shared', file: 'data/objects/gateway.networking.k8s.io/gateway/infra/shared.json' }]);
    const table = renderObjects(selectObjects(c, {}), 'table');
    expect(table.split('\n')[0]).toMatch(/^KIND\s+NAMESPACE\s+NAME\s+FILE$/);
    expect(table).toMatch(/GatewayClass\s+-\s+example\s+data\/objects\/gateway\.networking\.k8s\.io\/gatewayclass\/_cluster\/example\.json/);
  });

  it('prints one object as YAML that parses back to the object', () => {
    const objs = selectObjects(c, { kind: 'HTTPRoute', namespace: 'models', name: 'chat' });
    expect(parse(renderObjects(objs, 'yaml'))).toEqual(objs[0]);
    expect(JSON.parse(renderObjects(objs, 'json'))).toEqual(objs[0]);
  });

  it('lists every certificate', () => {
    const rows = certificateRows(c);
    expect(rows).toEqual([
      expect.objectContaining({ secret: 'infra/wildcard-tls', key: 'tls.crt', index: 0, subject: 'CN=*.example.com', sans: ['*.example.com'], notAfter: '2027-06-01T00:00:00Z', sha256Fingerprint: 'aa'.repeat(32) }),
    ]);
    expect(renderCertificates(rows, 'table')).toContain('infra/wildcard-tls');
  });

  it('renders the collection record', () => {
    expect(parse(renderRecord(c, 'yaml'))).toEqual(c.record);
    expect(renderRecord(c, 'table')).toMatch(/capturedAt\s+2026-03-31T00:00:00Z/);
  });
});

describe('parseKindName: kubectl kind, plural and short names (issue 10)', () => {
  it('maps plural and short names to the Kind, keeping a group suffix', async () => {
    const { parseKindName } = await import('../../../src/inspect/index.ts');
    expect(parseKindName('httproutes')).toEqual({ kind: 'httproute' });
    expect(parseKindName('gtw')).toEqual({ kind: 'gateway' });
    expect(parseKindName('gc')).toEqual({ kind: 'gatewayclass' });
    expect(parseKindName('svc')).toEqual({ kind: 'service' });
    expect(parseKindName('refgrant')).toEqual({ kind: 'referencegrant' });
    expect(parseKindName('backendtlspolicies')).toEqual({ kind: 'backendtlspolicy' });
    expect(parseKindName('HTTPRoutes.gateway.networking.k8s.io')).toEqual({ kind: 'httproute', group: 'gateway.networking.k8s.io' });
    expect(parseKindName('Gateway.gateway.networking.k8s.io')).toEqual({ kind: 'gateway', group: 'gateway.networking.k8s.io' });
  });
});
