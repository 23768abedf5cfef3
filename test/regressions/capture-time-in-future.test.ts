// Bug (issue 8 item 16): a capture time far in the future was signed without a word and then broke every later
// chain link, and verify --chain blamed the innocent next bundle. collect now refuses a --captured-at ahead of
// the clock (read at the edge) unless --force, with a warning; verify --chain names the offending link.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { memoryIO } from '../helpers/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwe-future-'));
const key = signingKeyFromSeed(new Uint8Array(32).fill(5));
writeFileSync(join(dir, 'signer.pem'), privateKeyPem(key));
writeFileSync(join(dir, 'signer.pub.pem'), publicKeyPem(key.publicKey));
writeFileSync(join(dir, 'gc.yaml'), 'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gc}\nspec: {controllerName: example.io/c}\n');
const NOW = new Date('2026-12-01T12:00:00Z');

async function collect(out: string, at: string, extra: string[] = []): Promise<{ code: number; err: string }> {
  const io = memoryIO({ cwd: dir, now: NOW });
  const code = await main(['collect', '--from', 'gc.yaml', '--out', out, '--key', 'signer.pem', '--captured-at', at, ...extra], io);
  return { code, err: io.err() };
}

describe('regression: capture-time-in-future', () => {
  it('collect refuses a capture time ahead of the clock, naming both times, and writes nothing', async () => {
    const r = await collect('future.tar.gz', '2030-01-01T00:00:00Z');
    expect(r.code).toBe(64);
    expect(r.err).toContain("--captured-at 2030-01-01T00:00:00Z is 1127 day(s) ahead of this machine's clock (2026-12-01T12:00:00Z)");
    expect(r.err).toContain('give --force to sign it anyway');
    expect(existsSync(join(dir, 'future.tar.gz'))).toBe(false);
  });

  it('collect signs it with --force and a warning; clock skew of a few minutes passes silently', async () => {
    const forced = await collect('forced.tar.gz', '2027-01-01T00:00:00Z', ['--force']);
    expect(forced.code).toBe(0);
    expect(forced.err).toMatch(/warning: --captured-at 2027-01-01T00:00:00Z is 31 day\(s\) ahead .*\(signed anyway: --force\)/);
    const skew = await collect('skew.tar.gz', '2026-12-01T12:04:00Z');
    expect(skew.code).toBe(0);
    expect(skew.err).not.toContain('ahead of');
  });

  it('verify --chain names the link whose capture time is in the future, not the bundle after it', async () => {
    expect((await collect('q1.tar.gz', '2026-09-01T00:00:00Z')).code).toBe(0);
    expect((await collect('q2.tar.gz', '2030-01-01T00:00:00Z', ['--force', '--previous', 'q1.tar.gz'])).code).toBe(0);
    expect((await collect('q3.tar.gz', '2026-12-01T00:00:00Z', ['--previous', 'q2.tar.gz'])).code).toBe(0);
    const io = memoryIO({ cwd: dir, now: NOW });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', 'q3.tar.gz', '--key', 'signer.pub.pem', '--output', 'json'], io)).toBe(2);
    const { chain } = JSON.parse(io.out()) as { chain: { findings: { code: string; subject: string; message: string; detail?: Record<string, unknown> }[] } };
    const future = chain.findings.filter((f) => f.code === 'CHAIN_TIME_IN_FUTURE');
    expect(future.map((f) => f.subject)).toEqual(['q2.tar.gz']);
    expect(future[0]!.message).toContain("captured at 2030-01-01T00:00:00Z, after the verifier's clock (2026-12-01T12:00:00Z)");
    const order = chain.findings.find((f) => f.code === 'CHAIN_TIME_NOT_INCREASING')!;
    expect(order.subject).toBe('q2.tar.gz');
    expect(order.detail).toMatchObject({ offending: 'q2.tar.gz' });
    expect(order.message).toContain('the offending link is q2.tar.gz, whose capture time is in the future');
  });

  it('without a future link, a bundle whose time dips below its predecessor is still the one named', async () => {
    expect((await collect('r1.tar.gz', '2026-10-01T00:00:00Z')).code).toBe(0);
    expect((await collect('r2.tar.gz', '2026-09-01T00:00:00Z', ['--previous', 'r1.tar.gz'])).code).toBe(0);
    const io = memoryIO({ cwd: dir, now: NOW });
    await main(['verify', '--chain', 'r1.tar.gz', 'r2.tar.gz', '--key', 'signer.pub.pem', '--output', 'json'], io);
    const { chain } = JSON.parse(io.out()) as { chain: { findings: { code: string; subject: string }[] } };
    expect(chain.findings.find((f) => f.code === 'CHAIN_TIME_NOT_INCREASING')?.subject).toBe('r2.tar.gz');
    expect(chain.findings.some((f) => f.code === 'CHAIN_TIME_IN_FUTURE')).toBe(false);
  });
});
