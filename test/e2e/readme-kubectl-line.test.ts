/**
 * The README's `kubectl get` line, used as written on the sample cluster (issue 11 "Done means"): a dump of exactly
 * the kinds it names gives no drift that the full sample capture does not have (no false drift). And the line the
 * README had before (no Secrets, ConfigMaps, CRDs...) gives no false drift either: the kinds it left out are
 * CAPTURE_INCOMPLETE, not a cascade of drift errors ("missing is not absent").
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../../src/collect.ts';
import { readInputs } from '../../src/collector/inputs.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { trustFromPublicKey } from '../../src/verify/trust.ts';
import type { Finding } from '../../src/model/finding.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SAMPLES = join(ROOT, 'samples', 'cluster');
const KEY = join(ROOT, 'keys', 'collector.test-only.key.pem');
const trust = trustFromPublicKey(readFileSync(join(ROOT, 'keys', 'collector.pub.pem'), 'utf8'), 'collector.pub.pem');
/** The line the README showed before issue 11. */
const OLD_LINE = 'kubectl get gatewayclasses,gateways,httproutes,grpcroutes,referencegrants,services,namespaces -A -o json > dump.json';

/** `kubectl get` resource names of the kinds in the samples (kubectl's plural names). */
const RESOURCE: Record<string, string> = {
  GatewayClass: 'gatewayclasses', Gateway: 'gateways', HTTPRoute: 'httproutes', GRPCRoute: 'grpcroutes', TLSRoute: 'tlsroutes',
  TCPRoute: 'tcproutes', UDPRoute: 'udproutes', ReferenceGrant: 'referencegrants', BackendTLSPolicy: 'backendtlspolicies',
  ListenerSet: 'listenersets', Service: 'services', Namespace: 'namespaces', Secret: 'secrets', ConfigMap: 'configmaps',
  CustomResourceDefinition: 'customresourcedefinitions', Deployment: 'deployments', DaemonSet: 'daemonsets', Pod: 'pods', ReplicaSet: 'replicasets',
  // Inference Extension and adjacent policies (samples/cluster/09-inference-and-policies.yaml, issue 12).
  InferencePool: 'inferencepools', InferenceObjective: 'inferenceobjectives', SecurityPolicy: 'securitypolicies', BackendTrafficPolicy: 'backendtrafficpolicies',
};

/** The resource list of the README's collect example (the first `kubectl get ... > dump.json` line). */
function readmeLine(): string {
  const line = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').find((l) => /^kubectl get \S+ -A -o json > dump\.json$/.test(l));
  if (!line) throw new Error('README.md: expected a "kubectl get <kinds> -A -o json > dump.json" line in the collect section');
  return line;
}

function resources(line: string): Set<string> {
  return new Set(line.split(/\s+/)[2]!.split(','));
}

const tmp = mkdtempSync(join(tmpdir(), 'gwe-readme-line-'));
let n = 0;

/** What `kubectl get <line> -A -o json` returns on the sample cluster: one List of the kinds the line names. */
async function dumpFor(line: string | undefined): Promise<string> {
  const set = await readInputs([SAMPLES], { cwd: ROOT, readStdin: () => Promise.reject(new Error('no stdin')) });
  const want = line ? resources(line) : undefined;
  for (const o of set.objects) expect(RESOURCE[String(o.object['kind'])], `kind ${String(o.object['kind'])} has a resource name`).toBeDefined();
  const items = set.objects.map((o) => o.object).filter((o) => !want || want.has(RESOURCE[String(o['kind'])]!));
  const path = join(tmp, `dump-${n++}.json`);
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  return path;
}

async function analysis(from: string): Promise<Finding[]> {
  const res = await collect({ from: [from], out: join(tmp, `b${n++}.tar.gz`), keyFile: KEY, capturedAt: '2026-12-01T09:00:00Z' });
  const report = verifyBundle(new Uint8Array(readFileSync(res.path)), { trust });
  expect(report.analysis.ran).toBe(true);
  return report.analysis.findings;
}

const driftKeys = (fs: Finding[]) => fs.filter((f) => f.severity === 'error' && f.code.startsWith('STATUS_')).map((f) => `${f.code} ${f.message}`).sort();

describe("the README's kubectl get line on the sample cluster", () => {
  it('names every kind the resolver looks objects up in', () => {
    const r = resources(readmeLine());
    for (const k of ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'referencegrants', 'backendtlspolicies', 'services', 'namespaces', 'secrets', 'configmaps', 'customresourcedefinitions']) {
      expect(r.has(k), k).toBe(true);
    }
  });

  it('used as written, gives exactly the drift of the full sample capture (no false drift, none hidden)', async () => {
    const full = await analysis(await dumpFor(undefined));
    const fromLine = await analysis(await dumpFor(readmeLine()));
    expect(driftKeys(fromLine)).toEqual(driftKeys(full));
    expect(driftKeys(full).length).toBeGreaterThan(0); // the samples carry deliberate drift: the comparison is not vacuous
    expect(fromLine.filter((f) => f.code === 'CAPTURE_INCOMPLETE')).toEqual([]);
  });

  it('the old line (no Secrets, TLSRoutes, CRDs) gives no drift the full capture lacks: what it left out is CAPTURE_INCOMPLETE / unknown offline', async () => {
    const full = driftKeys(await analysis(await dumpFor(undefined)));
    const old = await analysis(await dumpFor(OLD_LINE));
    const falseDrift = driftKeys(old).filter((k) => !full.includes(k));
    expect(falseDrift).toEqual([]);
    const incomplete = old.filter((f) => f.code === 'CAPTURE_INCOMPLETE').map((f) => f.subject);
    // The listeners' certificateRefs need Secrets; the CA ConfigMap is referenced only by the BackendTLSPolicy, which
    // the old line does not capture either.
    expect(incomplete).toContain('Secret');
    expect(old.some((f) => f.code === 'STATUS_UNKNOWN_OFFLINE' && f.message.includes('TLSRoute'))).toBe(true);
  });
});
