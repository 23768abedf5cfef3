/**
 * Issue 9: at the RequestResponse audit level the API server logs Secret bodies with their data in the clear.
 * A private key planted in such events (data base64, stringData PEM, the last-applied annotation, Secret
 * annotations, a patch body) must not reach the bundle in any form, while the change itself is kept as
 * history (who, when, verb).
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { collect } from '../../src/collect.ts';
import { privateKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { auditEvent, jsonl } from '../helpers/audit.ts';

const GW = 'gateway.networking.k8s.io';

describe('audit log with a planted Secret (RequestResponse level)', () => {
  it('keeps the Secret change as history and no form of the key, its annotations or its body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-audit-secret-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
    const secretAnnotation = 'team-secret-annotation-value-7f3a';
    const secretBody = {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: { name: 'chat-tls', namespace: 'infra', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { 'tls.key': pem } }), note: secretAnnotation } },
      data: { 'tls.key': b64(pem), 'key.der': b64(der), 'key.hex': der.toString('hex') },
      stringData: { 'tls.key': pem },
    };
    const objects = [
      { apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra', generation: 1 }, spec: { gatewayClassName: 'c', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'chat.example.ai', tls: { certificateRefs: [{ name: 'chat-tls' }] } }] } },
    ];
    writeFileSync(join(dir, 'dump.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const events = [
      auditEvent({ id: 'sec-1', at: '2026-11-20T10:00:00.000001Z', verb: 'update', level: 'RequestResponse', resource: 'secrets', namespace: 'infra', name: 'chat-tls', user: 'mallory@example.com', requestObject: secretBody, responseObject: secretBody }),
      auditEvent({ id: 'sec-2', at: '2026-11-20T10:01:00Z', verb: 'patch', level: 'RequestResponse', resource: 'secrets', namespace: 'infra', name: 'chat-tls', user: 'mallory@example.com', requestObject: { stringData: { 'tls.key': pem } }, responseObject: secretBody }),
      auditEvent({ id: 'gw-1', at: '2026-11-21T09:00:00Z', verb: 'patch', level: 'RequestResponse', resource: 'gateways', group: GW, namespace: 'infra', name: 'gw', user: 'alice@example.com', requestObject: { spec: { listeners: [] } } }),
    ];
    // gzip, to go through the streaming gunzip path as well
    writeFileSync(join(dir, 'audit.log.gz'), gzipSync(jsonl(events)));
    writeFileSync(join(dir, 'signer.pem'), privateKeyPem(signingKeyFromSeed(new Uint8Array(32).fill(3))));
    await collect({ from: ['dump.json'], out: 'b.tar.gz', keyFile: 'signer.pem', capturedAt: '2026-12-01T00:00:00Z', cwd: dir, operational: { auditLogs: ['audit.log.gz'], auditSince: '2026-11-01T00:00:00Z' } });
    const gz = readFileSync(join(dir, 'b.tar.gz'));
    const tar = gunzipSync(gz);

    const opened = openBundle(new Uint8Array(gz));
    expect(opened.integrityOk).toBe(true);
    expect(opened.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const audit = opened.capture.evidence?.audit;
    expect(audit?.events.map((e) => `${e.auditID} ${e.verb} ${e.user.username}`)).toEqual(['sec-1 update mallory@example.com', 'sec-2 patch mallory@example.com', 'gw-1 patch alice@example.com']);
    const secretEvents = audit!.events.filter((e) => e.objectRef.resource === 'secrets');
    for (const e of secretEvents) expect(e.requestObjectSha256 === undefined && e.responseObjectSha256 === undefined).toBe(true);
    expect(audit!.events.find((e) => e.auditID === 'gw-1')!.requestObjectSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(audit!.history.objects.map((o) => o.ref)).toEqual(['Gateway.gateway.networking.k8s.io/infra/gw', 'secrets/infra/chat-tls']);

    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const needles: Array<[string, Buffer | string]> = [
      ['PEM text', pem],
      ['PEM armor', 'PRIVATE KEY'],
      ['base64 of the PEM', b64(pem)],
      ['base64 of the PEM, a middle chunk', b64(pem).slice(200, 260)],
      ['raw DER window', der.subarray(300, 324)],
      ['hex of the DER, a window', der.subarray(400, 432).toString('hex')],
      ['base64 of the DER, a window', b64(der).slice(100, 160)],
      ['a Secret annotation value', secretAnnotation],
      ['the last-applied annotation key', 'last-applied-configuration'],
      ['the data key name of the body', 'key.hex'],
      ...body.map((l, i): [string, string] => [`PEM body line ${i + 1}`, l]),
    ];
    for (const [name, needle] of needles) {
      expect(tar.indexOf(typeof needle === 'string' ? Buffer.from(needle) : needle), `${name} in the tar bytes`).toBe(-1);
      expect(gz.indexOf(typeof needle === 'string' ? Buffer.from(needle) : needle), `${name} in the compressed bytes`).toBe(-1);
    }
    // the test can fail: the planted material is in the input
    expect(gunzipSync(readFileSync(join(dir, 'audit.log.gz'))).indexOf(Buffer.from(body[3]!))).toBeGreaterThan(-1);
  });
});
