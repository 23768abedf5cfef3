/**
 * Streaming ingestion of a large generated audit log (issue 9): gzip and plain give the same events, a line
 * longer than the cap is counted as malformed without being buffered whole, CRLF and multi-byte UTF-8 split
 * across chunks are handled, and a truncated gzip file is an error naming the file. (Throughput is measured
 * in bench/audit.mjs, never here.)
 */
import { describe, expect, it } from 'vitest';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { readAuditLogs, MAX_AUDIT_LINE_BYTES } from '../../../src/collector/audit.ts';
import { createAuditAccumulator } from '../../../src/audit/ingest.ts';
import type { AuditScope } from '../../../src/audit/reduce.ts';
import { InputError } from '../../../src/errors.ts';
import { auditEvent } from '../../helpers/audit.ts';

const GW = 'gateway.networking.k8s.io';
const scope: AuditScope = { groups: new Set([GW]), resources: new Set(['/services']), objects: new Set() };
const window = { until: Date.parse('2026-12-01T00:00:00Z') };
const N = 20_000;

async function writeLog(file: string, gzip: boolean): Promise<void> {
  const out = createWriteStream(file);
  const sink = gzip ? createGzip() : out;
  if (gzip) sink.pipe(out);
  for (let i = 0; i < N; i++) {
    const e = auditEvent({ id: `id-${i}`, at: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 1000).toISOString(), verb: i % 4 === 0 ? 'patch' : 'get', resource: i % 8 === 0 ? 'pods' : 'httproutes', group: i % 8 === 0 ? undefined : GW, namespace: 'ns', name: `r${i % 100}`, user: `ü-user-${i % 7}` });
    let line = JSON.stringify(e) + (i % 1000 === 1 ? '\r\n' : '\n');
    if (i === 10_000) line = `{"pad":"${'x'.repeat(MAX_AUDIT_LINE_BYTES + 10)}"}\n`;
    if (!sink.write(line)) await once(sink, 'drain');
  }
  sink.end();
  await once(out, 'finish');
}

describe('readAuditLogs (streaming)', () => {
  it('a large log: gzip and plain give the same events; an overlong line is malformed; counts add up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-audit-stream-'));
    await writeLog(join(dir, 'a.log'), false);
    await writeLog(join(dir, 'a.log.gz'), true);
    const run = async (name: string) => {
      const acc = createAuditAccumulator(scope, window);
      const [rec] = await readAuditLogs([name], acc, { cwd: dir });
      return { rec: rec!, events: acc.events(), dropped: acc.droppedCounts() };
    };
    const plain = await run('a.log');
    const gz = await run('a.log.gz');
    expect(gz.rec.gzip).toBe(true);
    expect(plain.rec.gzip).toBe(false);
    expect(gz.events).toEqual(plain.events);
    expect(plain.rec.lines).toBe(N);
    // i % 4 === 0 are patches; those with i % 8 === 0 are Pods (out of scope); line 10000 is the overlong one
    const patchesInScope = Array.from({ length: N }, (_, i) => i).filter((i) => i % 4 === 0 && i % 8 !== 0 && i !== 10_000).length;
    expect(plain.events).toHaveLength(patchesInScope);
    expect(plain.rec.malformed).toBe(1);
    expect(plain.dropped).toEqual({ malformed: 1, 'out-of-scope': N / 8 - 1, 'read-only': N - N / 4 });
    expect(plain.events[0]!.user.username).toBe('ü-user-4');
    expect(plain.rec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plain.rec.bytes).toBe(readFileSync(join(dir, 'a.log')).length);
  });

  it('a truncated gzip file is an InputError naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-audit-trunc-'));
    const gz = gzipSync(Buffer.from(`${JSON.stringify(auditEvent({ id: 'x', at: '2026-11-01T00:00:00Z', resource: 'httproutes', group: GW }))}\n`.repeat(2000)));
    writeFileSync(join(dir, 'cut.log.gz'), gz.subarray(0, gz.length - 40));
    const acc = createAuditAccumulator(scope, window);
    await expect(readAuditLogs(['cut.log.gz'], acc, { cwd: dir })).rejects.toThrow(InputError);
    await expect(readAuditLogs(['cut.log.gz'], createAuditAccumulator(scope, window), { cwd: dir })).rejects.toThrow(/audit log "cut\.log\.gz"/);
  });
});
