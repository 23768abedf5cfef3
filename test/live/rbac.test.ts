/**
 * deploy/rbac.yaml is least privilege for what the collector does: the fake API server enforces the
 * ClusterRole's rules, a full capture needs no more (no gaps, no 403), and every rule is used. Secrets and
 * ConfigMaps are only ever read with `get`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { loadKubeConfigFile } from '../../src/collector/live/kubeconfig-model.ts';
import { readLive } from '../../src/collector/live/source.ts';
import { startFakeApiServer, type FakeApiServer, type RequestAttributes } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from './fixtures.ts';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

const docs = parseAllDocuments(readFileSync('deploy/rbac.yaml', 'utf8')).map((d) => d.toJS() as Record<string, any>);
const role = docs.find((d) => d['kind'] === 'ClusterRole')!;
const rules = role['rules'] as Rule[];

/** The RBAC authorizer's rule match (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac: RuleAllows). */
function ruleAllows(r: Rule, a: RequestAttributes): boolean {
  if (!r.verbs.includes(a.verb) && !r.verbs.includes('*')) return false;
  if ('nonResourcePath' in a) {
    return (r.nonResourceURLs ?? []).some((u) => u === a.nonResourcePath || (u.endsWith('*') && a.nonResourcePath.startsWith(u.slice(0, -1))));
  }
  return (r.apiGroups ?? []).includes(a.apiGroup) && (r.resources ?? []).includes(a.resource);
}

let server: FakeApiServer;
const used = new Map<Rule, Set<string>>();

beforeAll(async () => {
  const tls = { gw: makeTls('gw.example.com', 'ec'), app: makeTls('app.example.com', 'ec'), clientCa: makeTls('client-ca', 'ec'), backendCa: makeTls('backend-ca', 'ec'), unreferenced: makeTls('unused', 'ec') };
  server = await startFakeApiServer({
    token: TOKEN,
    resources: RESOURCES,
    objects: makeObjects(tls),
    authorize: (a) => {
      const rule = rules.find((r) => ruleAllows(r, a));
      if (!rule) return false;
      const set = used.get(rule) ?? new Set<string>();
      set.add('nonResourcePath' in a ? a.nonResourcePath : `${a.verb} ${a.apiGroup}/${a.resource}`);
      used.set(rule, set);
      return true;
    },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('deploy/rbac.yaml', () => {
  it('grants get/list/watch on the listed kinds and only get on secrets and configmaps', () => {
    const secretRules = rules.filter((r) => r.resources?.includes('secrets') || r.resources?.includes('configmaps'));
    expect(secretRules).toHaveLength(1);
    expect(secretRules[0]!.verbs).toEqual(['get']);
    for (const r of rules) {
      expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v)), JSON.stringify(r)).toBe(true);
      expect(r.resources ?? [], 'no wildcards').not.toContain('*');
      expect(r.apiGroups ?? [], 'no wildcards').not.toContain('*');
    }
    const binding = docs.find((d) => d['kind'] === 'ClusterRoleBinding')!;
    const sa = docs.find((d) => d['kind'] === 'ServiceAccount')!;
    expect(binding['roleRef']['name']).toBe(role['metadata']['name']);
    expect(binding['subjects'][0]).toMatchObject({ kind: 'ServiceAccount', name: sa['metadata']['name'], namespace: sa['metadata']['namespace'] });
  });

  it('is enough for a full capture, and every rule is needed', async () => {
    const kc = loadKubeConfigFile(server.kubeconfigPath);
    const live = await readLive({ kubeConfig: kc, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => undefined });
    expect(live.gaps).toEqual([]);
    expect(server.log.filter((l) => l.status === 403)).toEqual([]);
    for (const r of rules) {
      const u = used.get(r);
      expect(u?.size ?? 0, `rule never used: ${JSON.stringify(r)}`).toBeGreaterThan(0);
      // Every non-resource URL is requested (minimal: no discovery path the collector never reads).
      for (const url of r.nonResourceURLs ?? []) {
        const hit = [...(u ?? [])].some((p) => p === url || (url.endsWith('*') && p.startsWith(url.slice(0, -1))));
        expect(hit, `nonResourceURL ${url} never requested`).toBe(true);
      }
      for (const res of r.resources ?? []) {
        const verbs = [...(u ?? [])].filter((x) => x.endsWith(`/${res}`)).map((x) => x.split(' ')[0]);
        // listenersets (gateway.networking.k8s.io) is served by the fixture at v1 too; every resource is read.
        expect(verbs.length, `resource ${res} never read`).toBeGreaterThan(0);
        if (res === 'secrets' || res === 'configmaps') expect(new Set(verbs)).toEqual(new Set(['get']));
        else expect(verbs).toContain('list');
      }
    }
  });

  it('the CronJob runs as the collector service account with the signing key mounted read-only outside the bundle directory', () => {
    const cron = parseAllDocuments(readFileSync('deploy/cronjob.yaml', 'utf8')).map((d) => d.toJS() as Record<string, any>).find((d) => d['kind'] === 'CronJob')!;
    const pod = cron['spec']['jobTemplate']['spec']['template']['spec'];
    expect(pod['serviceAccountName']).toBe('gateway-evidence-collector');
    const c = pod['containers'][0];
    const keyMount = c['volumeMounts'].find((m: any) => m['name'] === 'signing-key');
    const outMount = c['volumeMounts'].find((m: any) => m['name'] === 'bundles');
    expect(keyMount).toMatchObject({ mountPath: '/keys', readOnly: true });
    expect(outMount['mountPath']).toBe('/evidence');
    expect(c['args'].join('\n')).toMatch(/--key \/keys\/signer\.pem/);
    expect(c['args'].join('\n')).not.toMatch(/--kubeconfig/);
    expect(pod['volumes'].find((v: any) => v['name'] === 'signing-key')['secret']['secretName']).toBe('gateway-evidence-signing-key');
  });
});
