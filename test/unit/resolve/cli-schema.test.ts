import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { main } from '../../../src/cli/main.ts';
import { resolve, type Resolution } from '../../../src/resolve/index.ts';
import { buildBundle } from '../../../src/bundle/build.ts';
import { signingKeyFromSeed } from '../../../src/crypto/index.ts';
import type { KubeObject } from '../../../src/model/object.ts';
import { memoryIO } from '../../helpers/io.ts';
import { loadManifests, score } from '../../conformance/score.ts';
import { gc, gw, ns, route, svc, tlsSecret } from './fixtures.ts';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/resolution.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

const objects: KubeObject[] = [
  gc(),
  ns('infra'),
  gw('infra', 'g', [
    { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
    { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] } },
  ]),
  tlsSecret('infra', 'cert'),
  svc('infra', 'v1'),
  svc('infra', 'v2'),
  route('HTTPRoute', 'infra', 'split', {
    parentRefs: [{ name: 'g' }],
    hostnames: ['shop.example.com'],
    rules: [{ backendRefs: [{ name: 'v1', port: 80, weight: 90 }, { name: 'v2', port: 80, weight: 10 }] }],
  }),
  route('HTTPRoute', 'infra', 'broken', { parentRefs: [{ name: 'g', sectionName: 'nope' }] }),
];

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'gwe-resolve-'));
}

describe('resolution JSON schema', () => {
  it('accepts the engine output for every conformance case', () => {
    const corpus = join(process.cwd(), '../shared/conformance');
    if (!existsSync(corpus)) return;
    for (const name of ['GatewayWithAttachedRoutes', 'HTTPRouteReferenceGrant', 'TLSRouteMixedTerminationSameNamespace', 'GatewayInvalidFrontendClientCertificateValidation']) {
      const res = resolve(loadManifests(join(corpus, name, 'manifests.yaml')));
      expect([name, validate(res) ? 'valid' : ajv.errorsText(validate.errors)]).toEqual([name, 'valid']);
    }
  });
  it('accepts the output with InferencePools, adjacent policies and their coverage (inferencePools, policies, policyKinds)', () => {
    const dir = new URL('../../golden/resolve/', import.meta.url);
    const base = loadManifests(new URL('_base.yaml', dir).pathname);
    for (const name of ['inference-pool-backends', 'inference-pool-status', 'policy-discovery-by-table', 'policy-discovery-by-label', 'policy-inheritance', 'policy-missing-targets']) {
      const res = resolve([...base, ...loadManifests(new URL(`${name}.in.yaml`, dir).pathname)]);
      expect(res.inferencePools !== undefined || res.policies !== undefined, name).toBe(true);
      expect([name, validate(JSON.parse(JSON.stringify(res))) ? 'valid' : ajv.errorsText(validate.errors)]).toEqual([name, 'valid']);
    }
    const corpus = join(process.cwd(), '../shared/conformance-inference');
    if (!existsSync(corpus)) return;
    for (const name of ['InferencePoolAccepted', 'InferencePoolInvalidEPPService', 'InferencePoolMissingEPPRef']) {
      const res = resolve(loadManifests(join(corpus, name, 'manifests.yaml')));
      expect([name, validate(JSON.parse(JSON.stringify(res))) ? 'valid' : ajv.errorsText(validate.errors)]).toEqual([name, 'valid']);
    }
  });
  it('rejects output that breaks the contract', () => {
    const res = JSON.parse(JSON.stringify(resolve(objects))) as Resolution & { extra?: number };
    expect(validate(res)).toBe(true);
    res.extra = 1;
    expect(validate(res)).toBe(false);
    delete res.extra;
    (res.gateways[0]!.conditions[0] as { status: string }).status = 'Maybe';
    expect(validate(res)).toBe(false);
  });
});

describe('conformance scorer', () => {
  it('fails when the engine is wrong (v1.4 attachedRoutes on GatewayWithAttachedRoutes)', () => {
    const dir = join(process.cwd(), '../shared/conformance/GatewayWithAttachedRoutes');
    if (!existsSync(dir)) return;
    const exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
    const objs = loadManifests(join(dir, 'manifests.yaml'));
    expect(score(exp, resolve(objs), 'example.com/gateway-controller')).toEqual([]);
    const errs = score(exp, resolve(objs, { attachedRoutesSemantics: 'v1.4' }), 'example.com/gateway-controller');
    expect(errs.join('\n')).toMatch(/gateway-with-two-attached-routes listener http: attachedRoutes 3, expected 2/);
    expect(score(exp, resolve(objs), 'other/controller').join('\n')).toBe('');
  });
});

describe('gwe resolve', () => {
  it('--output json validates against the schema and shows the 90/10 split', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'all.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    const io = memoryIO({ cwd: dir });
    expect(await main(['resolve', 'all.yaml', '--output', 'json'], io)).toBe(0);
    const res = JSON.parse(io.out()) as Resolution;
    expect(validate(res)).toBe(true);
    const backends = res.routing.find((e) => e.listener === 'http')!.hostnames[0]!.routes[0]!.rules[0]!.backends;
    expect(backends.map((b) => b.percent)).toEqual([90, 10]);
  });

  it('reads stdin and prints a text table with percentages and rejected routes', async () => {
    const io = memoryIO({ stdin: objects.map((o) => stringify(o)).join('---\n') });
    expect(await main(['resolve', '-'], io)).toBe(0);
    const out = io.out();
    expect(out).toMatch(/Gateway infra\/g {2}class gc {2}Accepted Programmed ResolvedRefs/);
    expect(out).toMatch(/http +80 +HTTP +- +\*\.example\.com +1/);
    expect(out).toMatch(/90%  infra\/v1:80 {2}weight 90/);
    expect(out).toMatch(/10%  infra\/v2:80 {2}weight 10/);
    expect(out).toMatch(/HTTPRoute infra\/broken -> Gateway infra\/g#nope: NoMatchingParent/);
  });

  it('--output yaml and --attached-routes-semantics; bad flag values are usage errors', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const io = memoryIO({ cwd: dir });
    expect(await main(['resolve', dir, '-o', 'yaml', '--attached-routes-semantics', 'v1.4'], io)).toBe(0);
    expect(io.out()).toMatch(/^gatewayClasses:/);
    expect(io.out()).toMatch(/attachedRoutes counted with v1.4 semantics \(chosen by option\)/);
    expect(await main(['resolve', 'a.json', '--attached-routes-semantics', 'v2'], memoryIO({ cwd: dir }))).toBe(64);
    expect(await main(['resolve', 'a.json', '-o', 'xml'], memoryIO({ cwd: dir }))).toBe(64);
    const missing = memoryIO({ cwd: dir });
    expect(await main(['resolve', 'nope.yaml'], missing)).toBe(65);
    expect(missing.err()).toMatch(/nope\.yaml/);
  });

  it('--semantics: spec by default, a profile or auto on request; the JSON states the semantics per Gateway and class', async () => {
    const dir = tmp();
    const egClass = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } };
    const egGateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'e', namespace: 'infra' }, spec: { gatewayClassName: 'eg', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
    writeFileSync(join(dir, 'all.yaml'), [...objects, egClass, egGateway].map((o) => stringify(o)).join('---\n'));
    const run = async (...flags: string[]): Promise<Resolution> => {
      const io = memoryIO({ cwd: dir });
      expect(await main(['resolve', 'all.yaml', '-o', 'json', ...flags], io)).toBe(0);
      const res = JSON.parse(io.out()) as Resolution;
      expect(validate(res), JSON.stringify(validate.errors)).toBe(true);
      return res;
    };
    const sem = (r: Resolution) => Object.fromEntries(r.gateways.map((g) => [`${g.namespace}/${g.name}`, g.semantics]));
    expect(sem(await run())).toEqual({ 'infra/e': 'spec', 'infra/g': 'spec' });
    const auto = await run('--semantics', 'auto');
    expect(sem(auto)).toEqual({ 'infra/e': 'envoy-gateway', 'infra/g': 'spec' });
    expect(auto.gatewayClasses.find((c) => c.name === 'eg')!.semantics).toBe('envoy-gateway');
    // Envoy Gateway's translator writes no Gateway Accepted/Programmed for a healthy Gateway, and says so.
    expect(auto.gateways.find((g) => g.name === 'e')!.conditions.map((c) => c.type)).toEqual(['ResolvedRefs']);
    expect(auto.findings.some((f) => f.code === 'PROFILE_SWITCH' && f.subject === 'Gateway infra/e')).toBe(true);
    expect(sem(await run('--semantics', 'istio'))).toEqual({ 'infra/e': 'istio', 'infra/g': 'istio' });
    expect(await main(['resolve', 'all.yaml', '--semantics', 'nginx'], memoryIO({ cwd: dir }))).toBe(64);
  });

  it('reads a bundle (*.tar.gz) through openBundle', async () => {
    const dir = tmp();
    const bundleObjects = objects.filter((o) => o.kind !== 'Secret');
    const built = buildBundle(
      {
        snapshot: { objects: bundleObjects, conformanceReports: [] },
        record: {
          tool: { name: 'gateway-evidence', version: '0.1.0' },
          capturedAt: '2026-11-01T00:00:00Z',
          mode: 'files',
          cluster: {},
          scope: {},
          sources: [],
          counts: {},
          skipped: {},
          gaps: [],
          warnings: [],
          partial: false,
        },
      },
      { signers: [signingKeyFromSeed(new Uint8Array(32).fill(7))] },
    );
    writeFileSync(join(dir, 'b.tar.gz'), built.bytes);
    const io = memoryIO({ cwd: dir });
    expect(await main(['resolve', 'b.tar.gz', '-o', 'json'], io)).toBe(0);
    const res = JSON.parse(io.out()) as Resolution;
    expect(res.gateways.map((g) => g.name)).toEqual(['g']);
    // The Secret is not in this bundle: the https listener's certificate is unresolved.
    const https = res.gateways[0]!.listeners.find((l) => l.name === 'https')!;
    expect(https.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({ status: 'False', reason: 'InvalidCertificateRef' });
    writeFileSync(join(dir, 'junk.tar.gz'), 'not a bundle');
    const bad = memoryIO({ cwd: dir });
    expect(await main(['resolve', 'junk.tar.gz'], bad)).toBe(65);
  });
});
