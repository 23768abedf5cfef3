/**
 * Issue 9 from the CLI: collect --audit-log/--dns/--attach -> a v2 bundle; verify shows the cross-checks
 * (unexplained change against --previous, dangling DNS name, change authors outside the policy); an attachment
 * holding a private key is refused; a v1 bundle chains to a v2 one.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { auditEvent, jsonl } from '../helpers/audit.ts';

const GW = 'gateway.networking.k8s.io';
const KEY = signingKeyFromSeed(new Uint8Array(32).fill(7));

function objects(gen: { route: number; gateway: number }): unknown[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { team: 'chat' } } },
    { apiVersion: `${GW}/v1`, kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
    {
      apiVersion: `${GW}/v1`, kind: 'Gateway',
      metadata: { name: 'public', namespace: 'infra', labels: { rev: String(gen.gateway) }, generation: gen.gateway, resourceVersion: String(100 + gen.gateway), managedFields: [{ manager: 'argocd-controller', operation: 'Apply', time: '2026-11-01T00:00:00Z', fieldsV1: { 'f:spec': {} } }] },
      spec: { gatewayClassName: 'eg', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
      status: { addresses: [{ type: 'IPAddress', value: '203.0.113.10' }] },
    },
    {
      apiVersion: `${GW}/v1`, kind: 'HTTPRoute', metadata: { name: 'chat', namespace: 'apps', generation: gen.route, resourceVersion: String(200 + gen.route) },
      spec: { parentRefs: [{ name: 'public', namespace: 'infra' }], hostnames: ['chat.example.ai'], rules: [{ backendRefs: [{ name: 'chat', port: 80, weight: gen.route }] }] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'chat', namespace: 'apps' }, spec: { ports: [{ port: 80 }] } },
  ];
}

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-cli-op-'));
  writeFileSync(join(dir, 'signer.pem'), privateKeyPem(KEY));
  writeFileSync(join(dir, 'pub.pem'), publicKeyPem(KEY.publicKey));
  writeFileSync(join(dir, 'q3.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects({ route: 1, gateway: 1 }) }));
  writeFileSync(join(dir, 'q4.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects({ route: 2, gateway: 2 }) }));
  // The route change is in the audit log; the Gateway change is not (unexplained).
  writeFileSync(join(dir, 'audit.log'), jsonl([
    auditEvent({ id: 'e1', at: '2026-10-15T08:00:00Z', verb: 'patch', resource: 'httproutes', group: GW, namespace: 'apps', name: 'chat', user: 'mallory@example.com' }),
    auditEvent({ id: 'e2', at: '2026-11-20T08:00:00Z', verb: 'get', resource: 'httproutes', group: GW, namespace: 'apps', name: 'chat' }),
    auditEvent({ id: 'e3', at: '2026-11-30T23:58:00Z', verb: 'update', resource: 'gateways', group: GW, namespace: 'infra', name: 'public', subresource: 'status', user: 'system:serviceaccount:envoy-gateway-system:envoy-gateway' }),
  ]));
  writeFileSync(join(dir, 'example.ai.zone'), '$ORIGIN example.ai.\n$TTL 300\nchat IN A 203.0.113.10\nold-chat IN A 203.0.113.10\n');
  writeFileSync(join(dir, 'access.log'), '203.0.113.99 - - [30/Nov/2026:10:00:00 +0000] "GET /v1/chat HTTP/1.1" 200\n');
  writeFileSync(join(dir, 'policy.yaml'), 'apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nchangeAuthors: ["group:platform-admins", "system:serviceaccount:argocd:*"]\nownershipKeys: [team]\nrules: []\n');
  return dir;
}

describe('gwe collect with the operational record', () => {
  it('collects audit, DNS and an attachment into a v2 bundle; verify reports the cross-checks', async () => {
    const dir = workdir();
    expect(await main(['collect', '--from', 'q3.json', '--out', 'q3.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-09-30T00:00:00Z'], memoryIO({ cwd: dir }))).toBe(0);
    const io = memoryIO({ cwd: dir });
    const code = await main(['collect', '--from', 'q4.json', '--out', 'q4.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-12-01T00:00:00Z', '--previous', 'q3.tar.gz',
      '--audit-log', 'audit.log', '--dns', 'example.ai.zone', '--attach', 'access.log:text/x-access-log'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.out()).toContain('audit       2 change event(s) kept of 3 line(s) in 1 file(s), window 2026-09-30T00:00:00Z .. 2026-12-01T00:00:00Z');
    expect(io.out()).toContain('dns         2 record(s) from 1 file(s) (zone)');
    expect(io.out()).toContain('attachment  access.log (text/x-access-log, 74 bytes)');

    const opened = openBundle(new Uint8Array(readFileSync(join(dir, 'q4.tar.gz'))));
    expect(opened.statement.predicate.bundleFormatVersion).toBe(2);
    const history = opened.capture.evidence!.audit!.history;
    expect(history.unexplained).toEqual([{ ref: 'Gateway.gateway.networking.k8s.io/infra/public', field: 'generation', old: '1', new: '2' }]);
    expect(history.owners.find((o) => o.ref === 'Gateway.gateway.networking.k8s.io/infra/public')!.managers).toEqual([{ manager: 'argocd-controller', operation: 'Apply', time: '2026-11-01T00:00:00Z' }]);
    expect(opened.capture.record.audit!.dropped).toEqual({ 'read-only': 1 });

    const v = memoryIO({ cwd: dir });
    expect(await main(['verify', 'q4.tar.gz', '--key', 'pub.pem', '--policy', 'policy.yaml', '--output', 'json'], v)).toBe(1);
    const codes = JSON.parse(v.out()).analysis.findings.map((f: { code: string; subject?: string }) => `${f.code} ${f.subject ?? ''}`);
    expect(codes).toContain('AUDIT_UNEXPLAINED_CHANGE Gateway.gateway.networking.k8s.io/infra/public');
    expect(codes).toContain('DNS_NAME_DANGLING old-chat.example.ai');
    expect(codes).toContain('AUDIT_CHANGE_AUTHOR_UNEXPECTED httproutes.gateway.networking.k8s.io/apps/chat');
    expect(codes).toContain('OWNERSHIP_KEY_MISSING Gateway.gateway.networking.k8s.io/infra/public');
    expect(codes.some((c: string) => c.startsWith('OWNERSHIP_KEY_MISSING HTTPRoute'))).toBe(false); // team label on its Namespace
    // the controller's status update is not a change author problem
    expect(codes.filter((c: string) => c.startsWith('AUDIT_CHANGE_AUTHOR_UNEXPECTED'))).toHaveLength(1);

    // a v1 bundle (q3) chains to the v2 bundle (q4)
    const c = memoryIO({ cwd: dir });
    // exit 1: the chain holds, q4 has error findings (the single-verify rule)
    expect(await main(['verify', '--chain', 'q3.tar.gz', 'q4.tar.gz', '--key', 'pub.pem'], c)).toBe(1);
    expect(c.out()).toContain('CHAIN VERIFIED');
    // and diffs, with the authors of the changes from q4's audit evidence
    const d = memoryIO({ cwd: dir });
    expect(await main(['diff', 'q3.tar.gz', 'q4.tar.gz'], d)).toBe(0);
    expect(d.out()).toContain('Changed by (audit evidence of the new bundle)');
    expect(d.out()).toContain('HTTPRoute.gateway.networking.k8s.io/apps/chat: patch by mallory@example.com at 2026-10-15T08:00:00Z');
    expect(d.out()).toContain('Gateway.gateway.networking.k8s.io/infra/public: update status by system:serviceaccount:envoy-gateway-system:envoy-gateway at 2026-11-30T23:58:00Z');
    const dj = memoryIO({ cwd: dir });
    await main(['diff', 'q3.tar.gz', 'q4.tar.gz', '--format', 'json'], dj);
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/diff.schema.json', 'utf8')));
    const dd = JSON.parse(dj.out());
    expect(validate(dd), JSON.stringify(validate.errors)).toBe(true);
    expect(dd.authors.map((a: { ref: string }) => a.ref)).toEqual(['Gateway.gateway.networking.k8s.io/infra/public', 'HTTPRoute.gateway.networking.k8s.io/apps/chat']);
  });

  it('reads a gzip audit log the same as the plain one', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'audit.log.gz'), gzipSync(readFileSync(join(dir, 'audit.log'))));
    const run = async (log: string, out: string) => main(['collect', '--from', 'q4.json', '--out', out, '--key', 'signer.pem', '--captured-at', '2026-12-01T00:00:00Z', '--audit-log', log, '--audit-since', '2026-10-01T00:00:00Z'], memoryIO({ cwd: dir }));
    expect(await run('audit.log', 'a.tar.gz')).toBe(0);
    expect(await run('audit.log.gz', 'b.tar.gz')).toBe(0);
    const ev = (f: string) => openBundle(new Uint8Array(readFileSync(join(dir, f)))).capture.evidence!.audit!.events;
    expect(ev('b.tar.gz')).toEqual(ev('a.tar.gz'));
    expect(ev('a.tar.gz').map((e) => e.auditID)).toEqual(['e1', 'e3']);
  });

  it('refuses an attachment or a DNS file holding a private key, and bad audit options, naming them', async () => {
    const dir = workdir();
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileSync(join(dir, 'notes.txt'), `ticket export\n${pem}`);
    let io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'q4.json', '--out', 'x.tar.gz', '--key', 'signer.pem', '--attach', 'notes.txt'], io)).toBe(65);
    expect(io.err()).toContain('attachment "notes.txt": holds private key material');
    io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'q4.json', '--out', 'x.tar.gz', '--key', 'signer.pem', '--audit-since', '2026-10-01T00:00:00Z'], io)).toBe(64);
    expect(io.err()).toContain('--audit-log');
    io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'q4.json', '--out', 'x.tar.gz', '--key', 'signer.pem', '--audit-log', 'audit.log', '--audit-until', 'yesterday'], io)).toBe(64);
    expect(io.err()).toContain('--audit-until: expected an RFC 3339 date-time');
    io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'q4.json', '--out', 'x.tar.gz', '--key', 'signer.pem', '--audit-log', 'missing.log'], io)).toBe(65);
    expect(io.err()).toContain('cannot read audit log "missing.log"');
  });
});
