// Issue 2 "The same inputs, capture time and key give a byte-identical bundle". Runs the real CLI
// (`node bin/gwe.js collect`, needs dist/) twice on the same inputs from different working directories, time
// zones and locales (TZ=Asia/Tokyo, LANG/LC_ALL=tr_TR.UTF-8, whose dotless i breaks locale-aware sorting), with
// the same instant written in two offsets, and compares the SHA-256 of the two files.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'gwe.js');
const KEY = join(ROOT, 'keys', 'collector.test-only.key.pem');

function collectIn(env: Record<string, string>, capturedAt: string): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-determinism-'));
  cpSync(join(ROOT, 'samples', 'cluster'), join(cwd, 'samples', 'cluster'), { recursive: true });
  execFileSync(process.execPath, [BIN, 'collect', '--from', 'samples/cluster', '--out', 'b.tar.gz', '--key', KEY, '--captured-at', capturedAt, '--cluster-name', 'ai-prod'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return createHash('sha256').update(readFileSync(join(cwd, 'b.tar.gz'))).digest('hex');
}

describe('deterministic bundle bytes across cwd, TZ and locale', () => {
  it('gives the same SHA-256', () => {
    const a = collectIn({ TZ: 'UTC', LANG: 'C' }, '2026-11-01T10:00:00Z');
    const b = collectIn({ TZ: 'Asia/Tokyo', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }, '2026-11-01T19:00:00+09:00');
    expect(b).toBe(a);
  });
});
