// Bug (issue 10): `gwe report --out -` created a file named "-" instead of writing to standard output, and
// `report --output html` was refused with a suggestion of --out. Now `-` is stdout and -o/--output is the format.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run, sampleBundle } from './report-sample-bundle.ts';

describe('regression: out-dash-writes-file', () => {
  it('report --out - prints the report and writes no file; --output html is the format', async () => {
    const dir = await sampleBundle();
    const r = await run(dir, ['report', 'b.tar.gz', '--out', '-', '--output', 'html']);
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/^<!DOCTYPE html>/);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });
});
