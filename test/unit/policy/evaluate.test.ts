import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../src/policy/evaluate.ts';
import { loadPolicy } from '../../../src/policy/load.ts';
import type { Policy } from '../../../src/policy/types.ts';
import { fixture } from './fixture.ts';

const base = `apiVersion: gateway-evidence.io/v1alpha1
kind: ExposurePolicy
public:
  - gatewayLabels: { exposure: public }
`;

function run(rules: string, extra = '', verification?: Parameters<typeof evaluatePolicy>[0]['verification']) {
  const policy: Policy = loadPolicy(`${base}${extra}rules:\n${rules}`, 'p.yaml');
  const { capture, resolution } = fixture();
  return evaluatePolicy(verification ? { capture, resolution, verification } : { capture, resolution }, policy);
}

describe('evaluatePolicy', () => {
  it('reports the unclassified reachable service, not the unreachable invalid backend', () => {
    const f = run('  []\n').filter((x) => x.code === 'UNCLASSIFIED_SERVICE');
    expect(f.map((x) => x.subject)).toEqual(['Service/tools/mystery']);
    expect(f[0]!.severity).toBe('warning');
    expect(String((f[0]!.detail!.paths as string[])[0])).toContain('Gateway infra/public listener https');
  });

  it('classifies by policy rule before labels', () => {
    const f = run('  []\n', 'serviceTypes:\n  - type: agent-tool-gateway\n    namespaces: [tools]\n');
    expect(f.filter((x) => x.code === 'UNCLASSIFIED_SERVICE')).toEqual([]);
  });

  it('finds an admin service reachable from a public listener, with the evidence path', () => {
    const f = run('  - id: no-admin-public\n    type: service-exposure\n    listeners: { public: true }\n    denyServiceTypes: [admin]\n').filter((x) => x.code === 'POLICY_SERVICE_TYPE_NOT_ALLOWED');
    expect(f).toHaveLength(1);
    expect(f[0]!.subject).toBe('Service/admin/console');
    expect(f[0]!.detail!.rule).toBe('no-admin-public');
    expect(f[0]!.detail!.path).toBe(
      'Gateway infra/public listener http (HTTP 80) -> hostname admin.example.com -> HTTPRoute admin/console rule 0 -> Service admin/console:80 (weight 1, 100%)',
    );
    expect(f[0]!.detail!.objects).toContain('HTTPRoute.gateway.networking.k8s.io/admin/console');
  });

  it('does not call a listener public when the policy defines no public selector', () => {
    const policy = loadPolicy(`apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nrules:\n  - id: r\n    type: service-exposure\n    listeners: { public: true }\n    denyServiceTypes: [admin]\n`, 'p');
    const { capture, resolution } = fixture();
    const f = evaluatePolicy({ capture, resolution }, policy);
    expect(f.filter((x) => x.code.startsWith('POLICY_') && x.code !== 'POLICY_SELECTOR_MATCHES_NOTHING')).toEqual([]);
    // ... and says so: a selector that matches nothing is a warning, not a silent pass (issue 12).
    expect(f.filter((x) => x.code === 'POLICY_SELECTOR_MATCHES_NOTHING').map((x) => [x.severity, x.subject])).toEqual([['warning', 'policy /rules/0/listeners']]);
  });

  it('allow-list of service types', () => {
    const f = run('  - id: public-only-models\n    type: service-exposure\n    listeners: { listeners: [http] }\n    allowServiceTypes: [public-model-endpoint]\n');
    expect(f.filter((x) => x.code === 'POLICY_SERVICE_TYPE_NOT_ALLOWED').map((x) => x.subject)).toEqual(['Service/admin/console']);
  });

  it('attachment: routes from namespaces not allowed', () => {
    const f = run('  - id: attach\n    type: attachment\n    listeners: { gateways: [infra/public], listeners: [http] }\n    allowNamespaces: [models]\n');
    expect(f.map((x) => x.subject)).toContain('HTTPRoute.gateway.networking.k8s.io/admin/console');
    expect(f.filter((x) => x.code === 'POLICY_ATTACHMENT_NOT_ALLOWED')).toHaveLength(1);
  });

  it('tls-required by hostname and by service type', () => {
    const f = run('  - id: tls\n    type: tls-required\n    hostnames: ["api.example.com"]\n  - id: tls-admin\n    type: tls-required\n    serviceTypes: [admin]\n    severity: warning\n').filter((x) => x.code === 'POLICY_TLS_REQUIRED');
    expect(f.map((x) => x.detail!.rule).sort()).toEqual(['tls', 'tls-admin']);
    expect(f.find((x) => x.detail!.rule === 'tls-admin')!.severity).toBe('warning');
    expect(f[0]!.message).toContain('expected protocol HTTPS or TLS, found HTTP');
  });

  it('certificate expiry uses the capture time and the secret metadata', () => {
    const soon = run('  - id: certs\n    type: certificate-expiry\n    minDaysValid: 30\n').filter((x) => x.code === 'POLICY_CERTIFICATE_EXPIRING');
    expect(soon).toHaveLength(1);
    expect(soon[0]!.detail!.daysRemaining).toBe(9);
    expect(run('  - id: certs\n    type: certificate-expiry\n    minDaysValid: 5\n').filter((x) => x.code.startsWith('POLICY_CERT'))).toEqual([]);
  });

  it('cross-namespace references: expected ones pass, granted and ungranted others are findings', () => {
    const f = run('  - id: xns\n    type: cross-namespace\n    expected: []\n').filter((x) => x.code === 'POLICY_UNEXPECTED_CROSS_NAMESPACE');
    expect(f).toHaveLength(2);
    expect(f.map((x) => x.message).join('\n')).toContain('allowed by ReferenceGrant rag/allow-tools');
    expect(f.map((x) => x.message).join('\n')).toContain('not allowed by any ReferenceGrant (RefNotPermitted)');
    const g = run('  - id: xns\n    type: cross-namespace\n    expected:\n      - { from: { namespace: tools }, to: { namespace: rag, name: retriever } }\n');
    expect(g.filter((x) => x.code === 'POLICY_UNEXPECTED_CROSS_NAMESPACE')).toHaveLength(1);
  });

  it('hostname-namespaces', () => {
    const f = run('  - id: api-models\n    type: hostname-namespaces\n    hostnames: ["*.example.com"]\n    allowNamespaces: [models, admin, tools]\n');
    expect(f.filter((x) => x.code === 'POLICY_HOSTNAME_NAMESPACE').map((x) => x.subject)).toEqual(['Service/rag/retriever']);
  });

  it('signers: not checked without verification; missing or present with it', () => {
    const rule = '  - id: signers\n    type: signers\n    required: [{ role: platform }, { name: security }]\n';
    expect(run(rule).map((x) => x.code)).toContain('POLICY_SIGNERS_NOT_CHECKED');
    const f = run(rule, '', { signers: [{ keyId: 'k1', role: 'platform', counted: true }, { keyId: 'k2', name: 'security', counted: false }] });
    const missing = f.filter((x) => x.code === 'POLICY_SIGNER_MISSING');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain('name=security');
  });

  it('is sorted and deterministic', () => {
    const rules = '  - id: a\n    type: tls-required\n    serviceTypes: [admin]\n  - id: b\n    type: cross-namespace\n    expected: []\n';
    expect(run(rules)).toEqual(run(rules));
    const sev = run(rules).map((x) => x.severity);
    expect(sev).toEqual([...sev].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
  });
});
