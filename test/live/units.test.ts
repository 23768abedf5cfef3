import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRetryAfter } from '../../src/collector/live/client.ts';
import { collectReferences } from '../../src/collector/live/refs.ts';
import { parseDuration } from '../../src/collector/live/cli.ts';
import { implementationOf } from '../../src/collector/live/kinds.ts';
import { generateKeyPair, privateKeyPem } from '../../src/crypto/index.ts';
import { main } from '../../src/cli/main.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { memoryIO } from '../helpers/io.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from './fixtures.ts';

describe('Retry-After', () => {
  it('takes delta-seconds and HTTP dates, caps at 10 minutes, ignores junk', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(['0'])).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('2026-10-21T07:28:00Z'))).toBe(5000);
    expect(parseRetryAfter('99999')).toBe(600_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('durations', () => {
  it('parses 500ms, 30s, 10m, 1h and bare seconds; refuses the rest', () => {
    const p = parseDuration('--deadline');
    expect([p('500ms'), p('30s'), p('10m'), p('1h'), p('45')]).toEqual([500, 30_000, 600_000, 3_600_000, 45_000]);
    expect(() => p('ten')).toThrow(/--deadline: expected a duration/);
    expect(() => p('0')).toThrow(/at least 1ms/);
  });
});

describe('controller names', () => {
  it('maps the main implementations and leaves unknown ones to --controller-selector', () => {
    expect(implementationOf('gateway.envoyproxy.io/gatewayclass-controller')).toBe('envoy-gateway');
    expect(implementationOf('istio.io/gateway-controller')).toBe('istio');
    expect(implementationOf('gateway.nginx.org/nginx-gateway-controller')).toBe('nginx-gateway-fabric');
    expect(implementationOf('example.com/private-controller')).toBeUndefined();
  });
});

describe('referenced certificates', () => {
  const gw = (spec: Record<string, unknown>, kind = 'Gateway') => ({ kind, metadata: { name: 'g', namespace: 'infra' }, spec });
  it('covers listener certificateRefs (default kind Secret, cross-namespace), v1.4 frontend validation, v1.1-1.3 frontendValidation and client certificates', () => {
    const refs = collectReferences([
      gw({
        listeners: [
          { name: 'a', tls: { certificateRefs: [{ name: 'local' }, { name: 'other', namespace: 'apps', kind: 'Secret', group: '' }, { name: 'cm', group: 'cert-manager.io', kind: 'Certificate' }], frontendValidation: { caCertificateRefs: [{ kind: 'ConfigMap', group: '', name: 'old-ca' }] } } },
        ],
        tls: { frontend: { default: { validation: { caCertificateRefs: [{ kind: 'ConfigMap', group: '', name: 'ca' }] } }, perPort: [{ port: 443, tls: { validation: { caCertificateRefs: [{ kind: 'Secret', group: '', name: 'ca-secret' }] } } }] }, backend: { clientCertificateRef: { name: 'client' } } },
        backendTLS: { clientCertificateRef: { name: 'client-v13' } },
      }),
      gw({ listeners: [{ name: 'x', tls: { certificateRefs: [{ name: 'ls-cert' }] } }] }, 'XListenerSet'),
      { kind: 'BackendTLSPolicy', metadata: { name: 'p', namespace: 'apps' }, spec: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca', namespace: 'ignored' }] } } },
      { kind: 'BackendTLSPolicy', metadata: { name: 'old', namespace: 'apps' }, spec: { tls: { caCertRefs: [{ group: '', kind: 'ConfigMap', name: 'v1alpha2-ca' }] } } },
      { kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'apps' }, spec: { certificateRefs: [{ name: 'not-read' }] } },
    ]);
    expect(refs.map((r) => `${r.kind} ${r.namespace}/${r.name}`)).toEqual([
      'ConfigMap apps/backend-ca',
      'ConfigMap apps/v1alpha2-ca',
      'ConfigMap infra/ca',
      'ConfigMap infra/old-ca',
      'Secret apps/other',
      'Secret infra/ca-secret',
      'Secret infra/client',
      'Secret infra/client-v13',
      'Secret infra/local',
      'Secret infra/ls-cert',
    ]);
  });
});

describe('gwe collect (live) output', () => {
  let server: FakeApiServer;
  let dir: string;
  let key: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwe-live-cli-'));
    key = join(dir, 'k.pem');
    writeFileSync(key, privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n)))));
    const tls = { gw: makeTls('gw.example.com', 'ec'), app: makeTls('app.example.com', 'ec'), clientCa: makeTls('client-ca', 'ec'), backendCa: makeTls('backend-ca', 'ec'), unreferenced: makeTls('unused', 'ec') };
    server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects(tls) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('shows progress on a terminal only, logs every list with --verbose, and is silent with --quiet', async () => {
    const base = ['collect', '--kubeconfig', server.kubeconfigPath, '--key', key, '--captured-at', '2026-11-01T00:00:00Z'];
    const tty = memoryIO({ cwd: dir });
    expect(await main([...base, '--out', 'a.tar.gz'], { ...tty, stderrIsTTY: true })).toBe(0);
    expect(tty.err()).toMatch(/\r\x1b\[Kcollect: \d+ kinds, \d+ objects, \d+ reads \(HTTPRoute\)/);
    expect(tty.err()).toMatch(/\(done\)\n/);
    expect(tty.out()).toMatch(/wrote a\.tar\.gz/);

    const pipe = memoryIO({ cwd: dir });
    expect(await main([...base, '--out', 'b.tar.gz'], pipe)).toBe(0);
    expect(pipe.err()).not.toMatch(/kinds, /);

    const verbose = memoryIO({ cwd: dir });
    expect(await main([...base, '--out', 'c.tar.gz', '--verbose'], verbose)).toBe(0);
    expect(verbose.err()).toMatch(/collect: listed \/apis\/gateway\.networking\.k8s\.io\/v1\/httproutes: 5 object\(s\) in 1 page\(s\), resourceVersion \d+/);

    const quiet = memoryIO({ cwd: dir });
    expect(await main([...base, '--out', 'd.tar.gz', '--quiet'], { ...quiet, stderrIsTTY: true })).toBe(0);
    expect(quiet.out()).toBe('');
    expect(quiet.err()).toBe('');

    const both = memoryIO({ cwd: dir });
    expect(await main([...base, '--out', 'e.tar.gz', '--quiet', '--verbose'], both)).toBe(64);
    const bad = memoryIO({ cwd: dir });
    expect(await main([...base, '--out', 'f.tar.gz', '--page-size', '0'], bad)).toBe(64);
    const mixed = memoryIO({ cwd: dir });
    expect(await main([...base, '--out', 'g.tar.gz', '--from', 'x.yaml'], mixed)).toBe(64);
    const mixed2 = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'x.yaml', '--out', 'h.tar.gz', '--key', key, '--namespace', 'apps', '--conformance-report', 'r.yaml'], mixed2)).toBe(64);
    // --namespace scopes files and live capture alike since issue 10; only the live-only flag is named.
    expect(mixed2.err()).toMatch(/--from \(files\) and --conformance-report \(live cluster\) are exclusive; give one source \(with --from, give ConformanceReport files as --from inputs\)/);
  });

  it.skipIf(!existsSync('dist/cli/main.js'))('the built gwe binary captures and exits by itself (no connection left open)', async () => {
    const t0 = Date.now();
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bin/gwe.js', 'collect', '--kubeconfig', server.kubeconfigPath, '--out', join(dir, 'bin.tar.gz'), '--key', key, '--quiet'], { timeout: 30_000 }, (err, _out, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr });
      });
    });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'bin.tar.gz'))).toBe(true);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
