/**
 * Regression (issue 10, "Noise"): one Gateway whose recorded status was written for an older generation gave one
 * STATUS_STALE warning per condition and listener (14 for the sample's shared Gateway): a reviewer reads that as
 * one fact about one object. The report now shows one finding per object and cause, with the count and every
 * stale condition in its detail; verify keeps the per-condition findings (the data is not lost).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, sampleBundle } from './report-sample-bundle.ts';

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gwe-stale-'));
  const cluster = join(dir, 'cluster');
  cpSync(join(ROOT, 'samples/cluster'), cluster, { recursive: true });
  // The shared Gateway moves to generation 5; the controller has not caught up: every condition is stale.
  const file = join(cluster, '02-gateways.json');
  const list = JSON.parse(readFileSync(file, 'utf8')) as { items: { metadata: { name: string; generation: number } }[] };
  list.items.find((g) => g.metadata.name === 'shared-gw')!.metadata.generation = 5;
  writeFileSync(file, JSON.stringify(list, null, 2));
  await sampleBundle('b.tar.gz', cluster, '2026-12-01T09:00:00Z', dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface F {
  code: string;
  subject?: string;
  message: string;
  detail?: { count?: number; conditions?: { subject: string; field: string }[] };
}

describe('a stale Gateway is one finding in the report', () => {
  it('verify still reports each stale condition; the report merges them into one STATUS_STALE per object', async () => {
    const v = await run(dir, ['verify', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '-o', 'json']);
    const perCondition = (JSON.parse(v.out).analysis.findings as F[]).filter((f) => f.code === 'STATUS_STALE');
    expect(perCondition.length).toBeGreaterThanOrEqual(14);

    const r = await run(dir, ['report', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '-o', 'json']);
    const stale = (JSON.parse(r.out).findings as F[]).filter((f) => f.code === 'STATUS_STALE');
    expect(stale).toHaveLength(1);
    expect(stale[0]!.subject).toBe('Gateway infra/shared-gw');
    expect(stale[0]!.detail!.count).toBe(perCondition.length);
    expect(stale[0]!.detail!.conditions!.map((c) => `${c.subject} ${c.field}`).sort()).toEqual(perCondition.map((f) => `${f.subject} ${(f.detail as { field: string }).field}`).sort());
    expect(stale[0]!.message).toMatch(/^Gateway infra\/shared-gw: the recorded status is for generation 4 and 3, the object is at generation 5: \d+ stale conditions \(Gateway \(generation 4\): Accepted, Programmed; listener http \(generation 3\): Accepted/);

    const text = (await run(dir, ['report', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml')])).out;
    expect(text.match(/STATUS_STALE/g)).toHaveLength(1);
  });
});
