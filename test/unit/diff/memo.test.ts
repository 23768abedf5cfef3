/**
 * The per-list memo of the chain's comparisons (src/diff/memo.ts, issue 13): only lists read from a bundle are
 * memoised, and a list edited in place is recomputed; diffs made with the memo equal diffs of fresh reads.
 */
import { describe, expect, it } from 'vitest';
import { listMemo } from '../../../src/diff/memo.ts';
import { readBundle } from '../../../src/diff/read.ts';
import { diffCaptures } from '../../../src/diff/index.ts';
import { analyzeCapture } from '../../../src/verify/analysis.ts';
import type { Capture } from '../../../src/model/collection.ts';
import { quarters } from '../chain/fixtures.ts';

describe('listMemo', () => {
  const [q1, q2, q3] = quarters();

  it('memoises a list read from a bundle, and recomputes it once an element is replaced in place', () => {
    let made = 0;
    const count = listMemo((objs) => (made++, objs.length));
    const objs = readBundle(q1.bytes, q1.name).capture.snapshot.objects;
    expect(count(objs)).toBe(objs.length);
    expect(count(objs)).toBe(objs.length);
    expect(made).toBe(1);
    objs[0] = structuredClone(objs[0]!);
    count(objs);
    expect(made).toBe(2);
    objs.pop();
    expect(count(objs)).toBe(objs.length);
    expect(made).toBe(3);
  });

  it('never memoises a list built in memory', () => {
    let made = 0;
    const count = listMemo((objs) => (made++, objs.length));
    const objs = structuredClone(readBundle(q1.bytes, q1.name).capture.snapshot.objects);
    count(objs);
    count(objs);
    expect(made).toBe(2);
  });

  it('a chain of diffs over shared reads and analyses equals the diffs of fresh reads', () => {
    const shared = [q1, q2, q3].map((b) => readBundle(b.bytes, b.name).capture);
    const analyses = new Map<Capture, ReturnType<typeof analyzeCapture>>(shared.map((c) => [c, analyzeCapture(c, { expiryWindowDays: 30 })]));
    const opts = { analysisOf: (c: Capture) => analyses.get(c) };
    const memoised = [diffCaptures(shared[0]!, shared[1]!, opts), diffCaptures(shared[1]!, shared[2]!, opts)];
    const fresh = [0, 1].map((i) => diffCaptures(readBundle([q1, q2, q3][i]!.bytes, 'a').capture, readBundle([q1, q2, q3][i + 1]!.bytes, 'b').capture));
    expect(JSON.stringify(memoised)).toBe(JSON.stringify(fresh));
    expect(memoised[1]!.routing.hostnames.length).toBeGreaterThan(0);
  });
});
