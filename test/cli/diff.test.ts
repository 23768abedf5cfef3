import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { quarters } from '../unit/chain/fixtures.ts';
import { workdir } from './chain-helpers.ts';

const schema = JSON.parse(readFileSync(new URL('../../schemas/diff.schema.json', import.meta.url), 'utf8')) as object;

describe('gwe diff', () => {
  const [q1, q2, q3] = quarters();
  const dir = workdir([q1, q2, q3]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('text: the weight shift Q1 -> Q2', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['diff', 'q1.tar.gz', 'q2.tar.gz'], io)).toBe(0);
    expect(io.out()).toContain('chat.example.com: models/llm-v1:8080 90% -> 50%');
    expect(io.out()).toMatch(/^old: gwe-20260331t000000z-[0-9a-f]{16} \(captured 2026-03-31T00:00:00Z, all namespaces, 13 objects, integrity ok, signatures NOT CHECKED\)/);
    expect(io.err()).toBe('');
  });

  it('json validates against schemas/diff.schema.json and names both bundles', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['diff', 'q2.tar.gz', 'q3.tar.gz', '-o', 'json'], io)).toBe(0);
    const d = JSON.parse(io.out());
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    expect(validate(d)).toBe(true);
    expect(d.new).toEqual({ name: 'q3.tar.gz', bundleId: q3.bundleId, formatVersion: '1', capturedAt: '2026-09-30T00:00:00Z', scope: 'all namespaces', partial: false, objects: 13, integrity: 'ok', signatures: 'not-checked' });
    expect(d.routing.hostnames.map((h: { hostname: string; newServiceTypes: string[] }) => [h.hostname, h.newServiceTypes])).toEqual([['tools.example.com', ['admin']]]);
  });

  it('markdown and html', async () => {
    const md = memoryIO({ cwd: dir });
    expect(await main(['diff', 'q1.tar.gz', 'q3.tar.gz', '-o', 'markdown'], md)).toBe(0);
    expect(md.out()).toContain('### Weight shifts (2)');
    const html = memoryIO({ cwd: dir });
    expect(await main(['diff', 'q1.tar.gz', 'q3.tar.gz', '-o', 'html'], html)).toBe(0);
    expect(html.out()).toMatch(/^<!DOCTYPE html>/);
  });

  it('--exit-code exits 1 when something changed, 0 when nothing did', async () => {
    expect(await main(['diff', 'q1.tar.gz', 'q2.tar.gz', '--exit-code'], memoryIO({ cwd: dir }))).toBe(1);
    expect(await main(['diff', 'q2.tar.gz', 'q2.tar.gz', '--exit-code'], memoryIO({ cwd: dir }))).toBe(0);
  });

  it('usage and input errors', async () => {
    const bad = memoryIO({ cwd: dir });
    expect(await main(['diff', 'q1.tar.gz', 'q2.tar.gz', '-o', 'pdf'], bad)).toBe(64);
    expect(bad.err()).toContain('expected -o/--output text|markdown|json|html, found "pdf"');
    const missing = memoryIO({ cwd: dir });
    expect(await main(['diff', 'q1.tar.gz', 'nope.tar.gz'], missing)).toBe(65);
    expect(missing.err()).toContain('nope.tar.gz');
    writeFileSync(join(dir, 'junk.tar.gz'), 'not a bundle');
    const junk = memoryIO({ cwd: dir });
    expect(await main(['diff', 'junk.tar.gz', 'q2.tar.gz'], junk)).toBe(65);
    expect(junk.err()).toMatch(/junk\.tar\.gz: not a readable bundle/);
  });
});
