/** A small Capture for bundle tests: a Gateway, an HTTPRoute, a Service, a ReducedSecret, a ConformanceReport. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../../../src/model/collection.ts';
import type { KubeObject, ReducedSecret } from '../../../src/model/index.ts';
import { parsePrivateKeyPem, parsePublicKey, sha256Hex, type SigningKey, type PublicKey } from '../../../src/crypto/index.ts';

export const KEYS_DIR = fileURLToPath(new URL('../../../keys/', import.meta.url));

export function sampleKey(name: 'collector' | 'reviewer'): SigningKey {
  return parsePrivateKeyPem(readFileSync(`${KEYS_DIR}${name}.test-only.key.pem`, 'utf8'), `${name}.test-only.key.pem`);
}

export function samplePub(name: 'collector' | 'reviewer'): PublicKey {
  return parsePublicKey(readFileSync(`${KEYS_DIR}${name}.pub.pem`, 'utf8'));
}

export function sampleCapture(overrides: { capturedAt?: string; partial?: boolean; mode?: 'files' | 'live' } = {}): Capture {
  const gateway: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'shared-gw', namespace: 'infra', uid: 'u-gw', generation: 2 },
    spec: {
      gatewayClassName: 'example',
      listeners: [
        { name: 'https', port: 443, protocol: 'HTTPS', hostname: 'chat.example.com', tls: { certificateRefs: [{ name: 'chat-tls' }] } },
      ],
    },
    status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }] },
  };
  const route: KubeObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'chatbot', namespace: 'chat', labels: { app: 'chatbot' } },
    spec: {
      parentRefs: [{ name: 'shared-gw', namespace: 'infra' }],
      rules: [{ backendRefs: [{ name: 'chat-v1', port: 80, weight: 90 }, { name: 'chat-v2', port: 80, weight: 10 }] }],
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'chat-v1', namespace: 'chat', annotations: { 'gateway-evidence.dev/service-type': 'model-endpoint' } },
    spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'chat', version: 'v1' } },
  };
  const secret: ReducedSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'chat-tls', namespace: 'infra' },
    type: 'kubernetes.io/tls',
    dataKeys: ['tls.crt', 'tls.key'],
    certificateMetadata: {
      'tls.crt': {
        status: 'valid',
        chain: [
          {
            subject: 'CN=chat.example.com',
            issuer: 'CN=chat.example.com',
            serialNumber: '01',
            dnsNames: ['chat.example.com'],
            ipAddresses: [],
            notBefore: '2026-01-01T00:00:00Z',
            notAfter: '2027-01-01T00:00:00Z',
            publicKeyAlgorithm: 'ec',
            publicKeySize: 256,
            publicKeyCurve: 'P-256',
            signatureAlgorithm: 'ecdsa-with-SHA256',
            sha256Fingerprint: 'ab'.repeat(32),
            isCA: false,
          },
        ],
      },
    },
  };
  const reportBytes = new TextEncoder().encode('apiVersion: gateway.networking.k8s.io/v1\nkind: ConformanceReport\nmode: default\n');
  const capturedAt = overrides.capturedAt ?? '2026-11-01T10:00:00Z';
  return {
    snapshot: {
      objects: [gateway, route, secret, service],
      conformanceReports: [{ name: 'Standard v1.3.0 Report.yaml', sha256: sha256Hex(reportBytes), bytes: reportBytes }],
    },
    record: {
      tool: { name: 'gateway-evidence', version: '0.1.0' },
      capturedAt,
      mode: overrides.mode ?? 'files',
      cluster: { name: 'ai-platform', uid: 'c0ffee00-0000-4000-8000-000000000001' },
      scope: {},
      sources: [{ name: 'samples/cluster.yaml', sha256: 'cd'.repeat(32), bytes: 1234 }],
      counts: { Gateway: 1, HTTPRoute: 1, Service: 1, Secret: 1 },
      skipped: {},
      gaps: overrides.partial ? [{ kind: 'Secret', status: 403, message: 'secrets is forbidden' }] : [],
      warnings: [],
      partial: overrides.partial ?? false,
    },
  };
}
