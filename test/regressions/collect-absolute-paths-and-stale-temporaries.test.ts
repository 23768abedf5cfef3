// Issue 8 item 20 (second and third parts): collection.json recorded absolute input paths, so the same inputs
// gave different bundles from different directories; and a kill -9 during collect could leave a complete
// hidden temporary bundle behind forever. Now input paths are recorded as given, normalised, and relative to
// the working directory when they lie inside it (docs/collector.md); temporaries carry the writer's pid, and
// every write first removes the stale ones of the same target whose process is gone.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { removeStaleTemporaries } from '../../src/io/atomic.ts';
import { KEYS_DIR } from '../unit/bundle/fixture.ts';

const ROUTE = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: shop}\nspec: {parentRefs: [{name: gw}]}\n';
const REPORT = 'apiVersion: gateway.networking.k8s.io/v1\nkind: ConformanceReport\nimplementation: {organization: x, project: y, version: v1}\nprofiles: []\n';

function workspace(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-paths-'));
  copyFileSync(`${KEYS_DIR}collector.test-only.key.pem`, join(cwd, 'signer.pem'));
  mkdirSync(join(cwd, 'in', 'reports'), { recursive: true });
  writeFileSync(join(cwd, 'in', 'route.yaml'), ROUTE);
  writeFileSync(join(cwd, 'in', 'reports', 'a.yaml'), REPORT);
  writeFileSync(join(cwd, 'in', 'reports', 'b.yaml'), REPORT); // identical: a DUPLICATE_IDENTICAL warning names both paths
  return cwd;
}

async function collect(cwd: string, from: string[]): Promise<Buffer> {
  const io = memoryIO({ cwd });
  expect(await main(['collect', '--from', ...from, '--out', 'b.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z', '--force'], io), io.err()).toBe(0);
  return readFileSync(join(cwd, 'b.tar.gz'));
}

describe('regression: collect-absolute-paths-and-stale-temporaries', () => {
  it('the same inputs give the same bundle from different directories, given relative or absolute', async () => {
    const x = workspace();
    const y = workspace();
    const bundles = [await collect(x, ['in']), await collect(x, [join(x, 'in')]), await collect(y, ['./in/']), await collect(y, [join(y, 'in', '..', 'in')])];
    for (const b of bundles) expect(b.equals(bundles[0]!)).toBe(true);
    const record = openBundle(new Uint8Array(bundles[0]!)).capture.record;
    expect(record.sources.map((s) => s.name)).toEqual(['in/reports/a.yaml', 'in/reports/b.yaml', 'in/route.yaml']);
    expect(JSON.stringify(record)).not.toContain(x);
    expect(record.warnings.find((w) => w.code === 'DUPLICATE_IDENTICAL')?.message).toContain('("in/reports/a.yaml", "in/reports/b.yaml")');
  });

  it('a path outside the working directory is kept as given', async () => {
    const x = workspace();
    const elsewhere = mkdtempSync(join(tmpdir(), 'gwe-reg-paths-cwd-'));
    copyFileSync(join(x, 'signer.pem'), join(elsewhere, 'signer.pem'));
    const b = await collect(elsewhere, [join(x, 'in', 'route.yaml')]);
    expect(openBundle(new Uint8Array(b)).capture.record.sources.map((s) => s.name)).toEqual([join(x, 'in', 'route.yaml')]);
  });

  it('stale temporaries of a killed collect are removed on the next run; a live writer\'s is kept', async () => {
    const cwd = workspace();
    const deadPid = (4194305).toString(16).padStart(8, '0'); // above the default pid_max: no such process
    const livePid = process.pid.toString(16).padStart(8, '0');
    const stale = `.b.tar.gz.${deadPid}0123456789ab.tmp`;
    const live = `.b.tar.gz.${livePid}ba9876543210.tmp`;
    const legacy = '.b.tar.gz.a1b2c3d4e5f6.tmp'; // the naming before the pid was part of it
    const other = '.other.tar.gz.a1b2c3d4e5f6.tmp'; // another target's: never touched
    for (const n of [stale, live, legacy, other]) writeFileSync(join(cwd, n), 'a complete bundle a kill -9 left behind');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(cwd, legacy), old, old);
    utimesSync(join(cwd, other), old, old);
    const io = memoryIO({ cwd });
    expect(await main(['collect', '--from', 'in', '--out', 'b.tar.gz', '--key', 'signer.pem'], io), io.err()).toBe(0);
    expect(io.err()).toContain(`note: removed ${stale}, a stale temporary of an earlier interrupted write of b.tar.gz`);
    expect(io.err()).toContain(`note: removed ${legacy}`);
    expect(existsSync(join(cwd, stale))).toBe(false);
    expect(existsSync(join(cwd, legacy))).toBe(false);
    expect(existsSync(join(cwd, live))).toBe(true);
    expect(existsSync(join(cwd, other))).toBe(true);
    // a fresh legacy-named one (an older gwe may still be writing it) is kept
    writeFileSync(join(cwd, legacy), 'x');
    expect(await removeStaleTemporaries(join(cwd, 'b.tar.gz'))).toEqual([]);
    expect(readdirSync(cwd).filter((n) => n.endsWith('.tmp')).sort()).toEqual([legacy, live, other].sort());
  });
});
