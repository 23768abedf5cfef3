import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { bundle, quarters } from '../unit/chain/fixtures.ts';
import { workdir } from './chain-helpers.ts';

describe('gwe verify --chain', () => {
  const [q1, q2, q3] = quarters();
  const unlinked = bundle('q2-unlinked.tar.gz', { weights: [50, 50], capturedAt: '2026-06-30T00:00:00Z' });
  const dir = workdir([q1, q2, q3, unlinked]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies a chain and prints the change history', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz', '--key', 'pub.pem'], io)).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^CHAIN VERIFIED {2}3 bundle\(s\)/);
    expect(out).toContain('links to #2 (content digest)');
    expect(out).toContain('change history');
    expect(out).toContain('q1.tar.gz (2026-03-31T00:00:00Z) -> q2.tar.gz (2026-06-30T00:00:00Z)');
    expect(out).toContain('weight: chat.example.com: models/llm-v1:8080 90% -> 50%');
    expect(out).toMatch(/hostname: tools\.example\.com .*service types agent-tool-gateway -> admin/);
  });

  it('a missing link exits 2 and names it', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2-unlinked.tar.gz', '--key', 'pub.pem'], io)).toBe(2);
    expect(io.out()).toMatch(/^CHAIN BROKEN/);
    expect(io.out()).toContain('CHAIN_LINK_MISSING  q2-unlinked.tar.gz');
  });

  it('json output carries the chain report and the history', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q2.tar.gz', 'q1.tar.gz', '--key', 'pub.pem', '--output', 'json'], io)).toBe(2);
    const j = JSON.parse(io.out());
    expect(j.chain.suggestedOrder).toEqual(['q1.tar.gz', 'q2.tar.gz']);
    expect(j.history).toHaveLength(1);
  });

  it('plain verify still takes exactly one bundle', async () => {
    const io = memoryIO({ cwd: dir });
    expect(await main(['verify', 'q1.tar.gz', 'q2.tar.gz', '--key', 'pub.pem'], io)).toBe(64);
    expect(io.err()).toContain('expected one bundle (or --chain with several), found 2');
    expect(await main(['verify', 'q1.tar.gz', '--key', 'pub.pem'], memoryIO({ cwd: dir }))).toBe(0);
    expect(await main(['verify', '--chain', 'q1.tar.gz', '--key', 'pub.pem'], memoryIO({ cwd: dir }))).toBe(64);
  });
});
