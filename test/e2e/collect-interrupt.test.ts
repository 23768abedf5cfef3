// Issue 2 "Writes are atomic: a temporary file renamed into place; an error or Ctrl-C never leaves a partial
// bundle." Sends SIGINT to a real `node bin/gwe.js collect` child (1) while it writes the bundle (the moment
// its temporary file appears) and (2) while it is still building, and proves that neither the bundle nor a
// temporary file remains. Needs dist/ (`npx tsc -p tsconfig.json`, as `npm test` does).
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, watch, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'gwe.js');
const KEY = join(ROOT, 'keys', 'collector.test-only.key.pem');
const TMP = /^\.b\.tar\.gz\.[0-9a-f]+\.tmp$/;

let input: string;

beforeAll(async () => {
  input = mkdtempSync(join(tmpdir(), 'gwe-sigint-in-'));
  // A synthetic cluster (bench/synthetic.mjs) plus a large ConformanceReport (kept byte for byte, and
  // incompressible), so that the bundle is ~30 MiB and writing it takes long enough to interrupt.
  const synthetic = (await import(pathToFileURL(join(ROOT, 'bench', 'synthetic.mjs')).href)) as { generateCluster: (routes: number, out: string) => unknown };
  synthetic.generateCluster(200, input);
  writeFileSync(
    join(input, 'zz-conformance-report.json'),
    JSON.stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ConformanceReport', metadata: { name: 'big' }, padding: randomBytes(24 * 1024 * 1024).toString('base64') }),
  );
}, 120_000);

function runCollect(out: string, interrupt: (child: ReturnType<typeof spawn>, sawTmp: () => boolean) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; sawTmp: boolean }> {
  return new Promise((resolve, reject) => {
    let sawTmp = false;
    const watcher = watch(out, (_event, name) => {
      if (name && TMP.test(String(name))) sawTmp = true;
    });
    const child = spawn(process.execPath, [BIN, 'collect', '--from', input, '--out', join(out, 'b.tar.gz'), '--key', KEY, '--captured-at', '2026-11-01T00:00:00Z'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      watcher.close();
      resolve({ code, signal, sawTmp });
    });
    interrupt(child, () => sawTmp);
  });
}

describe('gwe collect: Ctrl-C never leaves a partial bundle', () => {
  it('SIGINT while the temporary file is being written: exit 130, no bundle, no temporary file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gwe-sigint-out-'));
    const r = await runCollect(out, (child) => {
      const w = watch(out, (_event, name) => {
        if (name && TMP.test(String(name))) {
          child.kill('SIGINT');
          w.close();
        }
      });
      child.on('exit', () => w.close());
    });
    expect(r.sawTmp).toBe(true); // the signal landed during the write
    expect(r.code).toBe(130); // the interrupt handler ran: it removed the temporary file, then exited
    expect(readdirSync(out)).toEqual([]);
  });

  it('SIGINT while building (before any file is opened): no bundle, no temporary file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gwe-sigint-out-'));
    const r = await runCollect(out, (child) => {
      setTimeout(() => child.kill('SIGINT'), 150);
    });
    expect(r.code === 130 || r.signal === 'SIGINT').toBe(true);
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(join(out, 'b.tar.gz'))).toBe(false);
  });

  it('without a signal the same run writes the bundle and removes its temporary file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gwe-sigint-out-'));
    const r = await runCollect(out, () => undefined);
    expect(r.code).toBe(0);
    expect(r.sawTmp).toBe(true);
    expect(readdirSync(out)).toEqual(['b.tar.gz']);
  });
});
