/**
 * The CLI's elkjs loader (I/O edge; `gwe report -o html` and `gwe diff -o html` install it through
 * report/map/elk-loader.ts). A report draws one map per process, so what it pays is ELK's cold start (issue 13, `node bench/map.mjs --cold`): compiling
 * elkjs' 1.6 MB, and a first layout in which V8 compiles ELK's functions lazily and TurboFan optimises the hot
 * ones. Measured on the 2-core machine (CPU, a ~40-node aggregated map): ~0.2 s to load, ~0.8 s for the first
 * layout, ~0.1 s for the same layout warm. Two measures, neither of which changes what ELK computes:
 * - V8's code cache: the build (scripts/elk-code-cache.mjs) lays out sample maps and saves the bytecode V8
 *   compiled for elkjs next to dist/ (ELK_CODE_CACHE); this loader hands it to V8. V8 checks the cache against its
 *   own version, its flags and the source, and compiles from the source when it does not match (state
 *   'rejected'), so a stale or foreign cache costs only the compilation it was meant to save.
 * - The process' first layout runs with TurboFan off: its optimised code would be ready too late to repay its
 *   compilation (with the cache: first aggregated layout 0.27 s instead of 0.63 s CPU; the 100-route detailed
 *   map 2.4 s instead of 3.1 s). Later layouts in the process run with TurboFan on. Skipped when node was started
 *   with JIT flags of its own.
 * Why not a library: Node 20 has no module compile cache (that is Node 22's module.enableCompileCache), and
 * v8-compile-cache hooks every CommonJS load and writes its caches into the temporary directory at run time; we
 * need one module's cache, built with the package, and no writes.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import type { ElkModule, FakeWorker } from '../report/map/elk-loader.ts';

/** Where the build writes elkjs' code cache: dist/elk-worker.code-cache (this file is dist/io/elk.js). */
export const ELK_CODE_CACHE = new URL('../elk-worker.code-cache', import.meta.url);

/** A code cache larger than this is not ours (elkjs' is ~2.4 MiB): read none. */
const CODE_CACHE_MAX_BYTES = 32 * 1024 * 1024;

function readCodeCache(file: URL): Uint8Array | undefined {
  try {
    if (statSync(file).size > CODE_CACHE_MAX_BYTES) return undefined;
    return readFileSync(file);
  } catch {
    return undefined; // no cache (a source checkout, a failed build step): compile from source
  }
}

/**
 * Loads elkjs' worker module as CommonJS would (the same wrapper and arguments), through a vm.Script so that V8 can
 * take a code cache (`cache`: a file, or false for none) and give one back (createCachedData, for the build).
 */
export function loadElk(cache: URL | false = ELK_CODE_CACHE): ElkModule {
  const req = createRequire(import.meta.url);
  const file = req.resolve('elkjs/lib/elk-worker.min.js');
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const cachedData = cache === false ? undefined : readCodeCache(cache);
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as { Worker?: new () => FakeWorker } };
  const wrapper = script.runInThisContext() as (e: unknown, r: unknown, m: unknown, f: string, d: string) => void;
  wrapper.call(mod.exports, mod.exports, req, mod, file, dirname(file));
  if (typeof mod.exports.Worker !== 'function') throw new Error('elkjs: expected the in-process worker (elkjs 0.11), found none');
  return {
    Worker: mod.exports.Worker,
    cache: cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'accepted',
    createCachedData: () => script.createCachedData(),
    firstLayout: withoutTurbofan,
  };
}

/** Runs `run` with TurboFan off (see the head comment), unless node was started with JIT flags of its own (argv or NODE_OPTIONS). */
function withoutTurbofan(run: () => void): void {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (flags.some((a) => /^--(no-)?(opt|turbofan|jitless|max-opt|always-opt|maglev)\b/.test(a))) {
    run();
    return;
  }
  setFlagsFromString('--no-turbofan');
  try {
    run();
  } finally {
    setFlagsFromString('--turbofan');
  }
}
