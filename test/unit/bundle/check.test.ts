/**
 * bundle/check.ts: the content scan of a checked bag reuses the strict parse (issue 13: parse each payload file
 * once). checkBag records the structural key scan of every JSON file readPayload parsed, from the text and
 * value that parse produced; scanContent then neither decodes nor parses those files again. Its findings must be
 * exactly those of a scan of the bytes alone, for key material in every form and for clean files.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkBag, scanContent } from '../../../src/bundle/check.ts';
import { captureToPayload } from '../../../src/bundle/layout.ts';
import type { KubeObject } from '../../../src/model/index.ts';
import { sampleCapture } from './fixture.ts';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const der = ec.privateKey.export({ type: 'pkcs8', format: 'der' });
const pem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const jwk = ec.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;

const cm = (name: string, data: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'chat' }, data });
const HOSTILE: KubeObject[] = [
  cm('b64', { k: der.toString('base64') }),
  cm('hex', { k: der.toString('hex') }),
  cm('jwk', { k: jwk }),
  cm('jwk-odd-kty', { k: { ...jwk, kty: 'EC2' } }),
  // a newline makes canonical JSON escape it: text with a backslash takes the value walk
  cm('wrapped', { k: der.toString('base64').replace(/(.{40})/g, '$1\n') }),
  cm('pem-body', { k: pem.split('\n').slice(1, -2).join('\n') }),
  cm('b64-of-pem', { k: Buffer.from(pem).toString('base64') }),
  cm('member-name', { [der.toString('base64url')]: 'x' }),
  cm('clean', { k: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', note: 'line one\nline two "quoted"' }),
];

function bag(): { files: Map<string, Uint8Array>; check: ReturnType<typeof checkBag> } {
  const capture = sampleCapture();
  capture.snapshot.objects.push(...HOSTILE);
  const { payload, collection } = captureToPayload(capture);
  const files = new Map<string, Uint8Array>([['collection.json', collection], ...payload]);
  return { files, check: checkBag({ root: 'r', files, dirs: new Set(), findings: [], fatal: false }) };
}

describe('scanContent over a checked bag', () => {
  it('records a scan for every JSON file the strict parse read, and finds the same key material as a scan of the bytes', () => {
    const { files, check } = bag();
    const json = [...files.keys()].filter((p) => p.endsWith('.json'));
    expect(json.length).toBeGreaterThan(HOSTILE.length);
    expect([...check.keyScan.keys()].sort()).toEqual(json.sort());
    const reused = scanContent(files, check.capture, check.keyScan);
    const fresh = scanContent(files, check.capture);
    expect(reused).toEqual(fresh);
    const hits = reused.filter((f) => f.code === 'PAYLOAD_PRIVATE_KEY').map((f) => f.subject);
    expect(hits).toHaveLength(HOSTILE.length - 1);
    expect(hits.some((s) => s?.includes('/clean.json'))).toBe(false);
    // the recorded scan is what scanContent uses for those files (none of them carries PEM armour, which is
    // found in the bytes first): told they are all clean, it reports none of them
    const told = scanContent(files, check.capture, new Map(json.map((p) => [p, undefined])));
    expect(told.filter((f) => f.code === 'PAYLOAD_PRIVATE_KEY')).toEqual([]);
  });

  it('scans a file the strict parse rejected from its bytes (no recorded scan to reuse)', () => {
    const { files, check } = bag();
    const path = [...files.keys()].find((p) => p.endsWith('/b64.json'))!;
    // not canonical (a space after a colon), so readPayload records no scan of it; the key is still found
    const bytes = new TextEncoder().encode(`{"apiVersion": "v1","kind":"ConfigMap","metadata":{"name":"b64","namespace":"chat"},"data":{"k":"${der.toString('base64')}"}}`);
    files.set(path, bytes);
    const again = checkBag({ root: 'r', files, dirs: new Set(), findings: [], fatal: false });
    expect(again.keyScan.has(path)).toBe(false);
    expect(scanContent(files, again.capture, again.keyScan).some((f) => f.code === 'PAYLOAD_PRIVATE_KEY' && f.subject === path)).toBe(true);
    expect(check.keyScan.has(path)).toBe(true);
  });
});
