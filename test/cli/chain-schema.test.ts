/**
 * `gwe verify --chain -o json` validates against schemas/chain.schema.json (strict: additionalProperties false at
 * every level; history[].diff is schemas/diff.schema.json): a verified chain, a broken and reordered one, one with
 * approvals (valid and rejected) and one with an unreadable bundle.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { main } from '../../src/cli/main.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { memoryIO } from '../helpers/io.ts';
import { bundle, KEY, quarters } from '../unit/chain/fixtures.ts';
import { workdir } from './chain-helpers.ts';

const read = (f: string): object => JSON.parse(readFileSync(new URL(`../../schemas/${f}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ strict: true, allErrors: true });
ajv.addSchema(read('diff.schema.json'));
const validate = ajv.compile(read('chain.schema.json'));

const APPROVER = signingKeyFromSeed(new Uint8Array(32).fill(31));
const indent = (pem: string) => pem.trim().split('\n').map((l) => `      ${l}`).join('\n');

describe('gwe verify --chain -o json: schemas/chain.schema.json', () => {
  const [q1, q2, q3] = quarters();
  const unlinked = bundle('q2-unlinked.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' });
  const dir = workdir([q1, q2, q3, unlinked]);
  writeFileSync(join(dir, 'garbage.tar.gz'), 'not a bundle');
  writeFileSync(join(dir, 'carol.pem'), privateKeyPem(APPROVER));
  writeFileSync(
    join(dir, 'trust.yaml'),
    `version: 1\nkeys:\n  - name: collector\n    role: collector\n    publicKey: |\n${indent(publicKeyPem(KEY.publicKey))}\n  - name: carol\n    role: approver\n    publicKey: |\n${indent(publicKeyPem(APPROVER.publicKey))}\nthreshold: 1\nrequired: [collector]\n`,
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]): Promise<{ code: number; json: unknown }> => {
    const io = memoryIO({ cwd: dir, now: new Date('2026-12-01T00:00:00Z') });
    const code = await main(['verify', '--chain', ...args, '--output', 'json'], io);
    return { code, json: JSON.parse(io.out()) as unknown };
  };
  const expectValid = (json: unknown): void => {
    const ok = validate(json);
    expect(ok ? [] : validate.errors).toEqual([]);
  };

  it('a verified chain of three', async () => {
    const { code, json } = await run(['q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz', '--key', 'pub.pem']);
    expect(code).toBe(0);
    expectValid(json);
    expect((json as { history: unknown[] }).history).toHaveLength(2);
  });

  it('a broken and a reordered chain', async () => {
    const broken = await run(['q1.tar.gz', 'q2-unlinked.tar.gz', '--key', 'pub.pem']);
    expect(broken.code).toBe(2);
    expectValid(broken.json);
    const reordered = await run(['q2.tar.gz', 'q1.tar.gz', '--key', 'pub.pem']);
    expectValid(reordered.json);
    expect((reordered.json as { chain: { suggestedOrder: string[] } }).chain.suggestedOrder).toEqual(['q1.tar.gz', 'q2.tar.gz']);
  });

  it('with approvals: one valid, one for other bundles', async () => {
    expect(await main(['approve', 'q1.tar.gz', 'q2.tar.gz', '--key', 'carol.pem', '--ticket', 'CHG-1', '--note', 'n', '--out', 'a12.json'], memoryIO({ cwd: dir, now: new Date('2026-07-01T00:00:00Z') }))).toBe(0);
    expect(await main(['approve', 'q2.tar.gz', 'q3.tar.gz', '--key', 'carol.pem', '--out', 'a23.json'], memoryIO({ cwd: dir, now: new Date('2026-10-01T00:00:00Z') }))).toBe(0);
    const { json } = await run(['q1.tar.gz', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'a12.json', '--approval', 'a23.json']);
    expectValid(json);
    const links = (json as { chain: { links: Array<{ approvals?: unknown[] }> } }).chain.links;
    expect(links[1]!.approvals).toHaveLength(1);
  });

  it('an unreadable bundle in the chain', async () => {
    const { code, json } = await run(['q1.tar.gz', 'garbage.tar.gz', '--key', 'pub.pem']);
    expect(code).toBe(2);
    expectValid(json);
  });

  it('the schema is strict: an unknown member or a malformed digest is rejected', async () => {
    const { json } = await run(['q1.tar.gz', 'q2.tar.gz', '--key', 'pub.pem']);
    const extra = structuredClone(json) as { chain: { links: Array<Record<string, unknown>> }; [k: string]: unknown };
    extra['note'] = 'x';
    expect(validate(extra)).toBe(false);
    const link = structuredClone(json) as { chain: { links: Array<Record<string, unknown>> } };
    link.chain.links[0]!['digest'] = 'sha256:XYZ';
    expect(validate(link)).toBe(false);
    const inner = structuredClone(json) as { chain: { links: Array<Record<string, unknown>> } };
    inner.chain.links[0]!['surprise'] = true;
    expect(validate(inner)).toBe(false);
  });
});
