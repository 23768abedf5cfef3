/**
 * Live capture end to end against the fake API server: the bundle is the one a files capture of
 * `kubectl get -o json` dumps of the same objects gives (byte for byte, payload and manifest), partial
 * captures are marked and fail only with --strict, no form of a planted private key reaches the bundle,
 * and the real kubectl agrees with the fake server and with what the collector stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { collect } from '../../src/collect.ts';
import { collectLive } from '../../src/collector/live/collect-live.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { generateKeyPair, privateKeyPem } from '../../src/crypto/index.ts';
import { main } from '../../src/cli/main.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { memoryIO } from '../helpers/io.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls, type TlsMaterial } from './fixtures.ts';

const GW = 'gateway.networking.k8s.io';
const CAPTURED_AT = '2026-11-01T10:00:00Z';
const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { stdio: 'pipe' }).status === 0;
if (!kubectlPresent) console.warn('kubectl not on PATH: skipping the kubectl fidelity and live-vs-files tests');

let dir: string;
let keyFile: string;
let tls: Record<'gw' | 'app' | 'clientCa' | 'backendCa' | 'unreferenced', TlsMaterial>;
let clean: FakeApiServer;
let faulty: FakeApiServer;
let reportFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gwe-live-bundle-'));
  keyFile = join(dir, 'signer.pem');
  writeFileSync(keyFile, privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n)))), { mode: 0o600 });
  tls = { gw: makeTls('gw.example.com', 'rsa'), app: makeTls('app.example.com', 'ec'), clientCa: makeTls('client-ca', 'ec'), backendCa: makeTls('backend-ca', 'ec'), unreferenced: makeTls('unused', 'rsa') };
  const objects = makeObjects(tls);
  const rbac = [{ path: /^\/api\/v1\/(namespaces\/[^/]+\/)?secrets$/, kind: 403 as const }];
  clean = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects, faults: rbac });
  faulty = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects, faults: [...rbac, { path: `/apis/${GW}/v1alpha2/tcproutes`, kind: 403 }] });
  reportFile = join(dir, 'envoy-gateway-v1.6.0-conformance-report.yaml');
  copyFileSync('samples/cluster/envoy-gateway-v1.6.0-conformance-report.yaml', reportFile);
});
afterAll(async () => {
  await clean?.close();
  await faulty?.close();
});

/** Runs the real kubectl asynchronously (the fake server lives in this process: a sync spawn would block it). */
function kubectl(server: FakeApiServer, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', server.kubeconfigPath, '--cache-dir', join(dir, 'kube-cache'), '--request-timeout', '10s', ...args], { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

function bagFiles(bundlePath: string): Map<string, Uint8Array> {
  const read = readArchive(new Uint8Array(readFileSync(bundlePath)));
  expect(read.fatal).toBe(false);
  return read.files;
}

describe('live capture -> bundle', () => {
  it.skipIf(!kubectlPresent)('gives the same object files and payload manifest as a files capture of kubectl dumps; kubectl agrees with what was stored', async () => {
    const liveOut = join(dir, 'live.tar.gz');
    const live = await collectLive({ kubeconfigPath: clean.kubeconfigPath, out: liveOut, keyFile, capturedAt: CAPTURED_AT, pageSize: 3, conformanceReports: [reportFile], cwd: dir });
    expect(live.partial).toBe(false);
    expect(live.record.mode).toBe('live');

    // kubectl dumps of the same objects: every listed kind, the referenced Secrets/ConfigMaps by name, all workloads.
    const kinds = ['namespaces', 'services', 'customresourcedefinitions', ...['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'tcproutes', 'udproutes', 'referencegrants', 'backendtlspolicies'].map((k) => `${k}.${GW}`), 'xlistenersets.gateway.networking.x-k8s.io',
      // Inference Extension and the built-in policy table (issue 12).
      'inferencepools.inference.networking.k8s.io', 'inferenceobjectives.inference.networking.x-k8s.io', 'securitypolicies.gateway.envoyproxy.io'];
    const dumps: string[] = [];
    const dump = async (name: string, args: string[]): Promise<void> => {
      // --show-managed-fields: kubectl hides managedFields by default; the collector keeps their managers (owners).
      const r = await kubectl(clean, [...args, '-o', 'json', '--show-managed-fields']);
      expect(r.status, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
      const file = join(dir, name);
      writeFileSync(file, r.stdout);
      dumps.push(file);
    };
    await dump('cluster.json', ['get', kinds.join(','), '-A']);
    await dump('gw-tls.json', ['get', 'secret', '-n', 'infra', 'gw-tls']);
    await dump('app-tls.json', ['get', 'secret', '-n', 'apps', 'app-tls']);
    await dump('cas.json', ['get', 'configmap', '-n', 'infra', 'client-ca']);
    await dump('backend-ca.json', ['get', 'configmap', '-n', 'apps', 'backend-ca']);
    await dump('workloads.json', ['get', 'deployments,pods', '-A']);
    const filesOut = join(dir, 'files.tar.gz');
    const files = await collect({ from: [...dumps, reportFile], out: filesOut, keyFile, capturedAt: CAPTURED_AT, cwd: dir });
    expect(files.record.mode).toBe('files');

    const a = bagFiles(liveOut);
    const b = bagFiles(filesOut);
    const payload = (m: Map<string, Uint8Array>): string[] => [...m.keys()].filter((k) => k.startsWith('data/')).sort();
    expect(payload(a).length).toBeGreaterThan(30);
    expect(payload(a)).toEqual(payload(b));
    for (const k of payload(a)) expect(Buffer.from(a.get(k)!).equals(Buffer.from(b.get(k)!)), k).toBe(true);
    expect(Buffer.from(a.get('manifest-sha256.txt')!).toString()).toBe(Buffer.from(b.get('manifest-sha256.txt')!).toString());
    // Only the collection record (a tag file) differs: sources with list resourceVersions vs file digests.
    expect(Buffer.from(a.get('collection.json')!).equals(Buffer.from(b.get('collection.json')!))).toBe(false);
    const liveRecord = JSON.parse(Buffer.from(a.get('collection.json')!).toString()) as { sources: Array<{ name: string; resourceVersion?: string }> };
    expect(liveRecord.sources.find((s) => s.name === `/apis/${GW}/v1/httproutes`)?.resourceVersion).toMatch(/^\d+$/);

    // Fidelity: the real kubectl reads Gateways from the fake server, and they agree with the stored objects.
    const r = await kubectl(clean, ['get', `gateways.${GW}`, '-A', '-o', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const viaKubectl = (JSON.parse(r.stdout) as { items: Array<Record<string, any>> }).items;
    const stored = openBundle(new Uint8Array(readFileSync(liveOut))).capture.snapshot.objects.filter((o) => o.kind === 'Gateway');
    expect(viaKubectl).toHaveLength(1);
    expect(stored).toHaveLength(1);
    const k = viaKubectl[0]!;
    const s = stored[0]!;
    expect([k['apiVersion'], k['kind']]).toEqual([s.apiVersion, s.kind]);
    for (const f of ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp'] as const) expect(k['metadata'][f], f).toEqual(s.metadata[f]);
    expect(k['spec']).toEqual(s.spec);
    expect(k['status']).toEqual(s.status);
  });

  it.skipIf(!kubectlPresent)('kubectl sees the same 403 and paging behaviour from the fake server', async () => {
    const denied = await kubectl(faulty, ['get', `tcproutes.${GW}`, '-A', '-o', 'json']);
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/forbidden/i);
    const paged = await kubectl(clean, ['get', `httproutes.${GW}`, '-A', '-o', 'json', '--chunk-size', '2']);
    expect(paged.status, paged.stderr).toBe(0);
    expect((JSON.parse(paged.stdout) as { items: unknown[] }).items).toHaveLength(5);
    expect(clean.log.some((l) => l.path === `/apis/${GW}/v1/httproutes` && l.query['continue'] !== undefined)).toBe(true);
  });

  it('a partial capture (403) is written and marked partial; exit 0, or 3 (partial) with --strict', async () => {
    const args = (out: string): string[] => ['collect', '--kubeconfig', faulty.kubeconfigPath, '--out', out, '--key', keyFile, '--captured-at', CAPTURED_AT, '--page-size', '2'];
    const io = memoryIO({ cwd: dir });
    const code = await main(args('partial.tar.gz'), io);
    expect(code, io.err()).toBe(0);
    expect(io.err()).toMatch(/GAP: TCPRoute \(gateway\.networking\.k8s\.io\/v1alpha2\) HTTP 403/);
    expect(io.err()).toMatch(/PARTIAL CAPTURE/);
    expect(io.out()).toMatch(/partial capture/);
    const opened = openBundle(new Uint8Array(readFileSync(join(dir, 'partial.tar.gz'))));
    expect(opened.capture.record.partial).toBe(true);
    expect(opened.capture.record.gaps).toEqual([expect.objectContaining({ kind: 'TCPRoute', apiVersion: `${GW}/v1alpha2`, status: 403 })]);

    const strictIo = memoryIO({ cwd: dir });
    const strictCode = await main([...args('strict.tar.gz'), '--strict'], strictIo);
    expect(strictCode).toBe(3);
    expect(strictIo.err()).toMatch(/--strict: exit 3/);
    expect(openBundle(new Uint8Array(readFileSync(join(dir, 'strict.tar.gz')))).capture.record.partial).toBe(true);

    // A complete capture with --strict exits 0.
    const okIo = memoryIO({ cwd: dir });
    expect(await main(['collect', '--kubeconfig', clean.kubeconfigPath, '--out', 'ok.tar.gz', '--key', keyFile, '--captured-at', CAPTURED_AT, '--strict', '--quiet'], okIo)).toBe(0);
    expect(okIo.out()).toBe('');
  });

  it('records --namespace / --exclude-namespace in the bundle scope', async () => {
    const io = memoryIO({ cwd: dir });
    const code = await main(['collect', '--kubeconfig', clean.kubeconfigPath, '--context', 'fake', '--namespace', 'apps', '--namespace', 'infra', '--exclude-namespace', 'infra', '--out', 'scoped.tar.gz', '--key', keyFile, '--captured-at', CAPTURED_AT], io);
    expect(code, io.err()).toBe(0);
    const rec = openBundle(new Uint8Array(readFileSync(join(dir, 'scoped.tar.gz')))).capture.record;
    expect(rec.scope).toEqual({ namespaces: ['apps', 'infra'], excludeNamespaces: ['infra'] });
    expect(rec.cluster.context).toBe('fake');
    const bad = memoryIO({ cwd: dir });
    expect(await main(['collect', '--kubeconfig', clean.kubeconfigPath, '--context', 'nope', '--out', 'x.tar.gz', '--key', keyFile], bad)).toBe(64);
    expect(bad.err()).toMatch(/context "nope" not found/);
  });

  it('no form of a planted private key (PEM, base64, DER) reaches the live bundle', async () => {
    const out = join(dir, 'planted.tar.gz');
    await collectLive({ kubeconfigPath: clean.kubeconfigPath, out, keyFile, capturedAt: CAPTURED_AT, cwd: dir });
    const gz = readFileSync(out);
    const tar = gunzipSync(gz);
    const opened = openBundle(new Uint8Array(gz));
    const secret = opened.capture.snapshot.objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'gw-tls')!;
    expect(secret).toMatchObject({ dataKeys: ['tls.crt', 'tls.key'] });
    expect(secret.metadata.annotations).toBeUndefined(); // last-applied and the key-bearing annotation are dropped
    for (const key of [tls.gw.keyPem, tls.app.keyPem, tls.unreferenced.keyPem]) {
      const body = key.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      const der = Buffer.from(body, 'base64');
      const forms: Array<[string, Buffer]> = [
        ['PEM', Buffer.from(key.trim())],
        ['base64 of the PEM', Buffer.from(Buffer.from(key).toString('base64'))],
        ['base64 DER (one line)', Buffer.from(body)],
        ['base64 DER (first PEM line)', Buffer.from(key.split('\n')[1]!)],
        ['raw DER', der],
        ['raw DER (middle 32 bytes)', der.subarray(Math.floor(der.length / 2), Math.floor(der.length / 2) + 32)],
      ];
      for (const [name, bytes] of forms) {
        expect(tar.includes(bytes), `${name} found in the bundle`).toBe(false);
        expect(gz.includes(bytes), `${name} found in the gzip bytes`).toBe(false);
      }
    }
    expect(tar.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    // The certificate itself is public: its metadata is there.
    expect(JSON.stringify(secret)).toMatch(/gw\.example\.com/);
  });
});

