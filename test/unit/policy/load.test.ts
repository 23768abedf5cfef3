import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.ts';
import { loadPolicy } from '../../../src/policy/load.ts';
import { POLICY_SCHEMA } from '../../../src/policy/schema.ts';
import { classifyBackend } from '../../../src/policy/service-type.ts';
import { globMatch, hostnamesIntersect } from '../../../src/policy/match.ts';

const head = 'apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\n';

function errorOf(text: string): InputError {
  try {
    loadPolicy(text, 'policy.yaml');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('loadPolicy', () => {
  it('reports every schema error with its path in the file and its line', () => {
    const e = errorOf(`${head}rules:
  - { id: a, type: attachment, allowNamespaces: [x] }
  - { id: b, type: attachment, allowNamespaces: [x] }
  - { id: c, type: attachment, allowNamespaces: [x] }
  - id: d
    type: attachment
    allowNamespaces: infra
    bogus: true
  - id: e
    type: certificate-expiry
`);
    expect(e.code).toBe('INPUT_SCHEMA');
    expect(e.message).toContain('policy.yaml: /rules/3/allowNamespaces: expected array, found string (line 9)');
    expect(e.message).toContain('policy.yaml: /rules/3/bogus: expected no such property');
    expect(e.message).toContain('policy.yaml: /rules/4/minDaysValid: expected a value, found none (required)');
    expect(e.fields).toEqual(expect.arrayContaining(['/rules/3/allowNamespaces', '/rules/3/bogus', '/rules/4/minDaysValid']));
  });

  it('rejects unknown rule types, duplicate ids, bad service types', () => {
    expect(errorOf(`${head}rules:\n  - { id: a, type: nope }\n`).message).toContain('/rules/0/type: expected one of "attachment"');
    expect(errorOf(`${head}rules:\n  - { id: a, type: signers, required: [{role: x}] }\n  - { id: a, type: signers, required: [{role: y}] }\n`).message).toContain(
      '/rules/1/id: expected a unique rule id, found "a" (also /rules/0/id)',
    );
    expect(errorOf(`${head}rules:\n  - { id: a, type: service-exposure, denyServiceTypes: [adm] }\n`).message).toContain('/rules/0/denyServiceTypes/0: expected one of');
    expect(errorOf(`${head}rules:\n  - { id: a, type: service-exposure }\n`).message).toContain('expected allowServiceTypes or denyServiceTypes');
  });

  it('accepts JSON and reports YAML syntax errors with a position', () => {
    expect(loadPolicy(JSON.stringify({ apiVersion: 'gateway-evidence.io/v1alpha1', kind: 'ExposurePolicy', rules: [] }), 'p.json').rules).toEqual([]);
    const e = errorOf('rules: [\n');
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toMatch(/policy\.yaml:\d+:\d+:/);
  });

  it('the sample policy is valid', () => {
    const p = loadPolicy(readFileSync('samples/policy.yaml', 'utf8'), 'samples/policy.yaml');
    expect(p.rules.length).toBeGreaterThan(4);
  });

  it('schemas/policy.schema.json is the schema the loader uses', () => {
    expect(JSON.parse(readFileSync('schemas/policy.schema.json', 'utf8'))).toEqual(JSON.parse(JSON.stringify(POLICY_SCHEMA)));
  });
});

describe('classifyBackend', () => {
  const b = { group: '', kind: 'Service', namespace: 'ns', name: 'svc-admin' };
  it('policy rule, then service label, then annotation, then namespace', () => {
    const policy = { apiVersion: 'gateway-evidence.io/v1alpha1' as const, kind: 'ExposurePolicy' as const, rules: [], serviceTypes: [{ type: 'admin' as const, names: ['*-admin'] }] };
    expect(classifyBackend({ ...b, labels: { 'gateway-evidence.io/service-type': 'evaluation' } }, undefined, policy)).toEqual({ type: 'admin', source: 'policy', ruleIndex: 0 });
    expect(classifyBackend({ ...b, labels: { 'gateway-evidence.io/service-type': 'evaluation' }, annotations: { 'gateway-evidence.io/service-type': 'retrieval' } }, undefined).source).toBe('service-label');
    expect(classifyBackend({ ...b, annotations: { 'gateway-evidence.io/service-type': 'retrieval' } }, undefined).type).toBe('retrieval');
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', annotations: { 'gateway-evidence.io/service-type': 'internal-inference' } } };
    expect(classifyBackend(b, ns)).toEqual({ type: 'internal-inference', source: 'namespace-annotation' });
    expect(classifyBackend(b, undefined)).toEqual({ type: 'unclassified', source: 'none' });
    expect(classifyBackend({ ...b, labels: { 'gateway-evidence.io/service-type': 'bogus' } }, ns)).toEqual({
      type: 'internal-inference',
      source: 'namespace-annotation',
      invalid: { source: 'service-label', value: 'bogus' },
    });
  });
});

describe('match', () => {
  it('globs and hostname intersection', () => {
    expect(globMatch('*-admin', 'x-admin')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(hostnamesIntersect('*.example.com', 'api.example.com')).toBe(true);
    expect(hostnamesIntersect('*.example.com', 'example.com')).toBe(false);
    expect(hostnamesIntersect('*.a.example.com', '*.example.com')).toBe(true);
    expect(hostnamesIntersect('API.example.com', '*')).toBe(true);
    expect(hostnamesIntersect('a.example.com', 'b.example.com')).toBe(false);
  });
});
