/** A capture with an operational record (audit, DNS, attachment) for the v2 bundle and report tests. */
import { deriveHistory } from '../../../src/audit/history.ts';
import type { Capture } from '../../../src/model/collection.ts';
import type { ReducedAuditEvent } from '../../../src/model/operational.ts';
import { platform } from '../diff/fixtures.ts';

const enc = new TextEncoder();
export const event: ReducedAuditEvent = {
  auditID: 'a-1', stage: 'ResponseComplete', requestReceivedTimestamp: '2026-03-20T10:00:00Z', verb: 'patch',
  user: { username: 'alice@example.com' }, objectRef: { apiGroup: 'gateway.networking.k8s.io', resource: 'gateways', namespace: 'infra', name: 'shared' }, responseStatus: { code: 200 },
};

export function withEvidence(base: Capture = platform({ capturedAt: '2026-03-31T00:00:00Z' })): Capture {
  return {
    ...base,
    record: { ...base.record, audit: { since: '2026-03-01T00:00:00Z', until: base.record.capturedAt, files: [{ name: 'audit.log', sha256: '0'.repeat(64), bytes: 10, gzip: false, lines: 1, malformed: 0, kept: 1, first: '2026-03-01T00:00:00Z', last: '2026-03-30T23:59:00Z' }], dropped: {}, events: 1 } },
    evidence: {
      audit: { events: [event], history: deriveHistory([event], base.snapshot.objects) },
      dns: { files: [{ name: 'example.com.zone', format: 'zone', bytes: enc.encode('$ORIGIN example.com.\nchat IN A 192.0.2.1\n') }], records: [{ name: 'chat.example.com', type: 'A', value: '192.0.2.1', source: 'example.com.zone' }] },
      attachments: [{ name: 'Access Log.txt', mediaType: 'text/plain', bytes: enc.encode('GET / 200\n') }],
    },
  };
}

