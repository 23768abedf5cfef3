/**
 * verifyBundleParallel: verifyBundle on two threads, same report. This is the edge around the pure core (it
 * starts a node:worker_threads Worker); the core (verify.ts, analysis.ts, bundle/*) stays synchronous and pure.
 *
 * Split (the two chains of verifyBundle that do not depend on each other until the end):
 *  - worker: verifyIntegrity - archive read, bag, digests, strict JSON of every file, signatures, trust, content
 *    scan. It posts the integrity report (plain data) and sets a shared flag as soon as it knows pass/fail.
 *  - this thread: its own archive read, a plain JSON.parse of the payload (readPayload strict=false) and the
 *    analysis. The analysis result is used only when the worker says integrity, signatures and trust pass;
 *    then every file was strict canonical JSON, so the plain parse produced the same capture the strict one did
 *    and the report equals verifyBundle's. When the worker fails or the flag says "failed" early, the analysis
 *    is skipped or dropped, exactly as verifyBundle would not run it.
 * Any worker problem (cannot start, crashes) falls back to the synchronous verifyBundle.
 */
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Capture } from './model/collection.ts';
import { readArchive } from './bundle/reader.ts';
import { readPayload } from './bundle/layout.ts';
import { analyse, finishReport, verifyBundle, verifyIntegrity, type AnalysisRun, type IntegrityCheck, type VerifyOptions } from './verify/verify.ts';
import type { VerificationReport } from './verify/report-types.ts';

const TAG = 'gwe-verify-integrity';
/** Flag values in the shared Int32Array (0 while the worker runs): integrity failed, integrity passed. */
const FAILED = 1;
const PASSED = 2;

/**
 * Below this compressed size the worker start-up (~50 ms to online, ~160 ms of CPU to load the module graph)
 * costs more than it saves; verify on one thread.
 */
export const PARALLEL_MIN_BYTES = 64 * 1024;

interface WorkerInput {
  tag: typeof TAG;
  bytes: Uint8Array;
  opts: Omit<VerifyOptions, 'analysis' | 'policy'>;
  flag: SharedArrayBuffer;
}

type WorkerOutput = { ok: true; report: VerificationReport; pass: boolean; hasCapture: boolean } | { ok: false; message: string };

export interface ParallelOptions {
  /** Module that runs the worker side (default: this module, built into dist/). */
  workerUrl?: URL;
  /**
   * Use the worker whatever the bundle size and machine load (tests, the benchmark). Otherwise the worker is
   * used only for bundles of PARALLEL_MIN_BYTES or more, on a machine with a second core that is idle enough:
   * the split does ~25% more CPU work in total (a second archive read and JSON.parse of the payload), which
   * only pays when the other core is free.
   */
  force?: boolean;
  /** Filled in with how the report was produced (tests and the benchmark read it). */
  stats?: { mode?: ParallelMode };
  /**
   * For a caller that goes on with the bundle's capture (gwe report): filled in with the capture and the
   * analysis run the report was made from, so the bundle is not read a second time. See KeptRun.
   */
  kept?: KeptRun;
}

/**
 * What verifyBundleParallel keeps for a `kept` caller. `filled` is true when `capture` and `analysis` are what
 * verifyBundle's own steps had (verifyIntegrity's strict capture, whether or not integrity passed, and the
 * analysis when it ran); in the worker mode that is so only when integrity passed (then this thread's plain
 * parse equals the strict one, see above). When `filled` is false (the worker said integrity failed) the
 * caller reads the bundle itself: failed bundles are not worth a second path.
 */
export interface KeptRun {
  filled?: boolean;
  capture?: Capture;
  analysis?: AnalysisRun;
}

/** verifyBundle, keeping its capture and analysis run when asked to (verifyBundle's body, verify.ts). */
function verifyOneThread(bytes: Uint8Array, opts: VerifyOptions, kept: KeptRun | undefined): VerificationReport {
  if (!kept) return verifyBundle(bytes, opts);
  const checked = verifyIntegrity(bytes, opts);
  const analysis = checked.pass && checked.capture ? analyse(checked.capture, opts.analysis) : undefined;
  kept.filled = true;
  if (checked.capture) kept.capture = checked.capture;
  if (analysis) kept.analysis = analysis;
  return finishReport(checked, checked.capture, analysis, opts.policy);
}

/**
 * `worker`: two threads as designed; `small`: below PARALLEL_MIN_BYTES, one thread; `fallback`: the worker
 * could not start or failed, or the plain parse found no capture where the strict one did: verifyBundle ran;
 * `busy`: fewer than two cores, or the load average says the second one is taken: one thread.
 */
export type ParallelMode = 'worker' | 'small' | 'busy' | 'fallback';

/** A second core exists and the 1-minute load average leaves at least one core free. */
function secondCoreFree(): boolean {
  const n = availableParallelism();
  return n >= 2 && loadavg()[0]! <= n - 1;
}

function defaultWorkerUrl(): URL {
  // Built: dist/verify-parallel.js runs itself. From sources (vitest) the worker cannot load TypeScript, so it
  // uses the build of this same file.
  return import.meta.url.endsWith('.ts') ? new URL('../dist/verify-parallel.js', import.meta.url) : new URL(import.meta.url);
}

/**
 * Verifies a bundle like verifyBundle (identical report), using a second thread for the integrity checks
 * while this thread parses the payload and runs the analysis. Never rejects for hostile input.
 */
export async function verifyBundleParallel(bytes: Uint8Array, opts: VerifyOptions, popts: ParallelOptions = {}): Promise<VerificationReport> {
  const mode = (m: ParallelMode): void => {
    if (popts.stats) popts.stats.mode = m;
  };
  if (!popts.force && bytes.length < PARALLEL_MIN_BYTES) {
    mode('small');
    return verifyOneThread(bytes, opts, popts.kept);
  }
  if (!popts.force && !secondCoreFree()) {
    mode('busy');
    return verifyOneThread(bytes, opts, popts.kept);
  }
  const flag = new SharedArrayBuffer(4);
  const state = new Int32Array(flag);
  const input: WorkerInput = { tag: TAG, bytes, opts: { trust: opts.trust, ...(opts.caps ? { caps: opts.caps } : {}) }, flag }; // no analysis, no policy: this thread's
  let worker: Worker;
  try {
    worker = new Worker(popts.workerUrl ?? defaultWorkerUrl(), { workerData: input });
  } catch {
    mode('fallback');
    return verifyOneThread(bytes, opts, popts.kept);
  }
  const result = new Promise<WorkerOutput>((resolve) => {
    worker.once('message', (m: WorkerOutput) => resolve(m));
    worker.once('error', (e) => resolve({ ok: false, message: e.message }));
    worker.once('exit', (code) => resolve({ ok: false, message: `integrity worker exited with code ${code} before reporting` }));
  });

  // This thread: read, plain parse, analysis - skipped as soon as the worker says integrity failed.
  let capture: Capture | undefined;
  let analysis: AnalysisRun | undefined;
  try {
    const read = readArchive(bytes, opts.caps);
    if (!read.fatal && Atomics.load(state, 0) !== FAILED) capture = readPayload(read.files, false).capture;
  } catch {
    capture = undefined; // not a readable payload: the worker's strict read reports why
  }
  if (capture && Atomics.load(state, 0) !== FAILED) analysis = analyse(capture, opts.analysis);

  const out = await result;
  await worker.terminate();
  const checked: IntegrityCheck | undefined = out.ok ? { report: out.report, pass: out.pass } : undefined;
  // Integrity passed, so the strict read found every payload file valid; the plain read must have a capture.
  if (!out.ok || (out.pass && out.hasCapture && analysis === undefined)) {
    mode('fallback');
    return verifyOneThread(bytes, opts, popts.kept);
  }
  mode('worker');
  if (out.pass && out.hasCapture && popts.kept) Object.assign(popts.kept, { filled: true, capture, analysis });
  // The policy (if any) folds in over this thread's capture and resolution: equal to the strict ones (above).
  return out.pass && out.hasCapture ? finishReport(checked!, capture, analysis, opts.policy) : finishReport(checked!, undefined, undefined, undefined);
}

/** Worker side: the integrity half of verifyBundle. */
function runWorker(input: WorkerInput): void {
  const state = new Int32Array(input.flag);
  let out: WorkerOutput;
  try {
    const checked = verifyIntegrity(input.bytes, input.opts);
    Atomics.store(state, 0, checked.pass ? PASSED : FAILED);
    out = { ok: true, report: checked.report, pass: checked.pass, hasCapture: checked.capture !== undefined };
  } catch (e) {
    out = { ok: false, message: (e as Error).message };
  }
  parentPort!.postMessage(out);
}

if (!isMainThread && parentPort && (workerData as WorkerInput | undefined)?.tag === TAG) runWorker(workerData as WorkerInput);

