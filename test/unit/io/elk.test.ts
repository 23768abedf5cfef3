// Issue 13 (ELK's cold start): the CLI's elkjs loader (src/io/elk.ts) compiles elkjs from the build's V8 code cache
// and runs a process' first layout without TurboFan. Neither may change a byte of a map: each child process below
// draws the same maps through a different path (plain require, the loader with no cache, with the build's cache,
// with a corrupt cache, under node's own JIT flags) and must print the same SVG digests. Runs the built dist/
// (npm test builds it, with the cache, first).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderExposureMap } from '../../../src/report/svg-map.ts';
// @ts-expect-error: a plain .mjs script without types (the synthetic models bench/map.mjs and the build use)
import { syntheticMapModel } from '../../../scripts/map-model.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = join(root, 'dist');
const builtCache = join(dist, 'elk-worker.code-cache');
const ROUTES = [1000, 20]; // an aggregated map, then a detailed one

const CHILD = `
const [kind, cacheFile] = process.argv.slice(1);
const d = (p) => import(${JSON.stringify(dist)} + '/' + p);
const { setElkLoader } = await d('report/map/elk-loader.js');
const { elkCodeCacheState } = await d('report/map/layout.js');
const { loadElk } = await d('io/elk.js');
const { renderExposureMap } = await d('report/svg-map.js');
const { syntheticMapModel } = await import(${JSON.stringify(join(root, 'scripts', 'map-model.mjs'))});
const { createHash } = await import('node:crypto');
const { createRequire } = await import('node:module');
if (kind === 'plain') setElkLoader(() => ({ Worker: createRequire(${JSON.stringify(dist)} + '/x.js')('elkjs/lib/elk-worker.min.js').Worker, cache: 'none' }));
else setElkLoader(() => loadElk(kind === 'nocache' ? false : new URL('file://' + cacheFile)));
const svgs = ${JSON.stringify(ROUTES)}.map((n) => createHash('sha256').update(renderExposureMap(syntheticMapModel(n))).digest('hex'));
console.log(JSON.stringify({ cache: elkCodeCacheState(), svgs }));
`;

function child(kind: string, cacheFile = '', nodeFlags: string[] = []): { cache: string; svgs: string[] } {
  const r = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', CHILD, kind, cacheFile], { encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(`child ${kind} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { cache: string; svgs: string[] };
}

describe('src/io/elk.ts: the CLI loader of elkjs', () => {
  it('finds the code cache the build wrote (npm run build / npm test run scripts/elk-code-cache.mjs)', () => {
    expect(existsSync(builtCache), `${builtCache} is missing: run npm run build`).toBe(true);
  });

  it('draws byte-identical maps whether elkjs is required, compiled from source, from the cache, from a corrupt cache, or under own JIT flags', () => {
    const inProcess = ROUTES.map((n) => createHash('sha256').update(renderExposureMap(syntheticMapModel(n))).digest('hex'));
    const dir = mkdtempSync(join(tmpdir(), 'gwe-elk-'));
    const corrupt = join(dir, 'corrupt.code-cache');
    writeFileSync(corrupt, Buffer.alloc(4096, 0x5a));
    const plain = child('plain');
    const nocache = child('nocache');
    const cached = child('cache', builtCache);
    const bad = child('cache', corrupt);
    const ownFlags = child('cache', builtCache, ['--no-opt']);
    expect(plain.cache).toBe('none');
    expect(nocache.cache).toBe('none');
    expect(cached.cache).toBe('accepted'); // the build's cache fits this node: the point of the build step
    expect(bad.cache).toBe('rejected'); // V8 checks the cache and compiles from the source
    expect(ownFlags.cache).toBe('rejected'); // other flags, other code: V8 says so
    for (const r of [plain, nocache, cached, bad, ownFlags]) expect(r.svgs).toEqual(inProcess);
  }, 120_000);

  it("turns TurboFan off for the first layout only and back on after it, unless node was started with JIT flags of its own", () => {
    const script = `
const { loadElk } = await import(${JSON.stringify(join(dist, 'io', 'elk.js'))});
function hot(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003; return s; }
%PrepareFunctionForOptimization(hot);
const warm = () => { for (let k = 0; k < 3000; k++) hot(2000); };
let during;
loadElk(false).firstLayout(() => { warm(); during = %GetOptimizationStatus(hot); });
warm();
console.log(JSON.stringify({ during, after: %GetOptimizationStatus(hot) }));
`;
    const status = (flags: string[]): { during: number; after: number } => {
      const r = spawnSync(process.execPath, [...flags, '--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim()) as { during: number; after: number };
    };
    const TURBOFANNED = 1 << 4; // V8 OptimizationStatus::kOptimized (src/runtime/runtime-test.cc)
    const plain = status([]);
    expect(plain.during & TURBOFANNED).toBe(0);
    expect(plain.after & TURBOFANNED).toBe(TURBOFANNED);
    // node started with --no-opt: the loader leaves the flags alone, so TurboFan is not turned back on after it.
    const own = status(['--no-opt']);
    expect(own.after & TURBOFANNED).toBe(0);
  }, 60_000);
});
