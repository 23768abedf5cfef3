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
import { isMainThread, MessageChannel, parentPort, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { Capture } from './model/collection.ts';
import { readArchive, type Caps } from './bundle/reader.ts';
import { readPayload } from './bundle/layout.ts';
import { analyse, finishReport, verifyBundle, verifyChecks, verifyIntegrity, type AnalysisRun, type IntegrityCheck, type VerifyOptions } from './verify/verify.ts';
import type { VerificationReport } from './verify/report-types.ts';
import type { TrustRoot } from './verify/trust.ts';
import { readBundle, type ReadBundle } from './diff/read.ts';
import { BaseError } from './errors.ts';

const TAG = 'gwe-verify-integrity';
const PIPELINE_TAG = 'gwe-verify-integrity-pipeline';
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

/**
 * What the pipeline worker made of one bundle: readBundle(bytes, name, caps) (the strict read and the checks of
 * bundle/open.ts) and verifyChecks over its checks, i.e. verifyOpened without the analysis. `opened: false` when
 * readBundle threw a BaseError (not a readable bundle): the caller reads and verifies it itself.
 */
export interface PipelinedIntegrity {
  opened: boolean;
  /** verifyChecks' report (analysis not run) and pass, when opened. */
  report?: VerificationReport;
  pass?: boolean;
  /** The strict read found a capture. */
  hasCapture?: boolean;
  /** The ReadBundle of the strict read without its capture and checks (plain data), when opened. */
  read?: Omit<ReadBundle, 'capture' | 'checks'>;
  /**
   * When integrity passed: the archive's files as the worker's read found them (readArchive with the same caps, so
   * the same files this thread's read would find), handed over without a copy (the inflated tar's buffer is
   * transferred; `entries` are [path, offset, length] into it). See pipelinedFiles.
   */
  files?: { buffer: ArrayBuffer; entries: [string, number, number][] };
}

/** The files of a PipelinedIntegrity as readArchive's `files` map (views into the transferred buffer). */
export function pipelinedFiles(r: PipelinedIntegrity): Map<string, Uint8Array> | undefined {
  if (!r.files) return undefined;
  const buf = r.files.buffer;
  // What readArchive does for a read of its own (bundle/reader.ts reportReadPressure): a second tar's worth of
  // external memory, declared and dropped at once, so that V8 collects the previous bundle's garbage on time.
  if (buf.byteLength >= 1 << 20) void new ArrayBuffer(buf.byteLength);
  return new Map(r.files.entries.map(([path, off, len]) => [path, new Uint8Array(buf, off, len)]));
}

/**
 * A worker that checks the integrity of bundles one after the other while the caller goes on with other work
 * (gwe verify --chain: bundle N+1's integrity runs while this thread analyses bundle N and compares it with N-1).
 * `submit` queues a bundle; `take` waits for its result synchronously (the chain verifier is synchronous). The
 * caller does the analysis half itself (readPayloadPlain below), exactly as verifyBundleParallel's main thread.
 */
export interface IntegrityPipeline {
  /** Queues a bundle; undefined when it is not worth a worker (below PARALLEL_MIN_BYTES, unless forced) or the worker is gone. */
  submit: (bytes: Uint8Array, name: string) => number | undefined;
  /** The worker already knows this bundle is not worth analysing (integrity failed, or not readable). */
  failed: (job: number) => boolean;
  /**
   * The worker's result for a submitted job, waiting for it (at most `waitMs`). Undefined when the worker failed,
   * crashed or did not answer in time: the caller then verifies the bundle on its own thread, and the pipeline
   * takes no more jobs.
   */
  take: (job: number, waitMs: number) => PipelinedIntegrity | undefined;
  /** The worker's result for a job if it is already there (taken: `take` will not give it again), without waiting. */
  poll: (job: number) => PipelinedIntegrity | undefined | 'pending';
  /** Stops the worker. */
  close: () => Promise<void>;
  /**
   * Resolves once the worker has loaded and listens (true), or could not start (false: `submit` then takes
   * nothing). Await it before the first `take`: a worker that fails to load would otherwise be waited for.
   */
  ready: Promise<boolean>;
}

interface PipelineInit {
  tag: typeof PIPELINE_TAG;
  port: MessagePort;
  counter: SharedArrayBuffer;
  trust: TrustRoot;
  caps?: Partial<Caps>;
}

interface PipelineJob {
  job: number;
  bytes: Uint8Array;
  name: string;
  flag: SharedArrayBuffer;
}

type PipelineOutput = ({ ok: true } & PipelinedIntegrity & { job: number }) | { ok: false; job: number; message: string };

/**
 * Starts an integrity pipeline for bundles verified with `opts` (trust and caps), or returns undefined (and says
 * why in `popts.stats`) when, as for verifyBundleParallel, no second core is free or the worker cannot start.
 * The load is checked once, here: the pipeline's own two threads then make the load average say "busy".
 */
export function startIntegrityPipeline(opts: { trust: TrustRoot; caps?: Partial<Caps> }, popts: Omit<ParallelOptions, 'kept'> = {}): IntegrityPipeline | undefined {
  const mode = (m: ParallelMode): void => {
    if (popts.stats) popts.stats.mode = m;
  };
  if (!popts.force && !secondCoreFree()) {
    mode('busy');
    return undefined;
  }
  const counterBuf = new SharedArrayBuffer(4);
  const counter = new Int32Array(counterBuf);
  const { port1, port2 } = new MessageChannel();
  const init: PipelineInit = { tag: PIPELINE_TAG, port: port2, counter: counterBuf, trust: opts.trust, ...(opts.caps ? { caps: opts.caps } : {}) };
  let worker: Worker;
  try {
    worker = new Worker(popts.workerUrl ?? defaultWorkerUrl(), { workerData: init, transferList: [port2] });
  } catch {
    port1.close();
    mode('fallback');
    return undefined;
  }
  worker.unref();
  let broken = false;
  const ready = new Promise<boolean>((resolve) => {
    port1.once('message', (m: unknown) => resolve(m === PIPELINE_TAG));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  }).then((ok) => {
    port1.removeAllListeners('message'); // from here on, answers are taken synchronously (receiveMessageOnPort)
    port1.unref();
    if (!ok) {
      broken = true;
      mode('fallback');
    }
    return ok;
  });
  worker.on('error', () => {}); // a crash later is seen by take (no answer): the caller verifies on its own thread
  mode('worker');
  let next = 0;
  const flags = new Map<number, Int32Array>();
  const results = new Map<number, PipelineOutput>();
  const drain = (): void => {
    for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) {
      const out = m.message as PipelineOutput;
      results.set(out.job, out);
    }
  };
  const submit = (bytes: Uint8Array, name: string): number | undefined => {
    if (broken || (!popts.force && bytes.length < PARALLEL_MIN_BYTES)) return undefined;
    const job = next++;
    const flag = new SharedArrayBuffer(4);
    flags.set(job, new Int32Array(flag));
    const msg: PipelineJob = { job, bytes, name, flag };
    port1.postMessage(msg);
    return job;
  };
  const failed = (job: number): boolean => {
    const f = flags.get(job);
    return f !== undefined && Atomics.load(f, 0) === FAILED;
  };
  const takeOut = (job: number): PipelinedIntegrity | undefined | 'pending' => {
    const out = results.get(job);
    if (!out) return 'pending';
    results.delete(job);
    flags.delete(job);
    if (!out.ok) {
      broken = true;
      return undefined;
    }
    const { ok: _ok, job: _job, ...r } = out;
    return r;
  };
  const poll = (job: number): PipelinedIntegrity | undefined | 'pending' => {
    drain();
    return takeOut(job);
  };
  const take = (job: number, waitMs: number): PipelinedIntegrity | undefined => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const seen = Atomics.load(counter, 0);
      drain();
      const out = takeOut(job);
      if (out !== 'pending') return out;
      const left = deadline - Date.now();
      if (broken || left <= 0) {
        broken = true; // no answer in time (crashed, or far slower than this thread): no more jobs
        return undefined;
      }
      // The worker posts its answer, then counts it: a count past `seen` means the answer is in the port.
      Atomics.wait(counter, 0, seen, Math.min(left, 1000));
    }
  };
  const close = async (): Promise<void> => {
    broken = true;
    port1.close();
    await worker.terminate();
  };
  return { submit, failed, take, poll, close, ready };
}

/**
 * This thread's half of a pipelined bundle, as verifyBundleParallel's main thread does it: its own archive read and
 * a plain JSON.parse of the payload (readPayload strict=false), or undefined when it has no capture. The capture
 * is the strict read's only when the worker says integrity passed (then every file was strict canonical JSON).
 */
export function readPayloadPlain(bytes: Uint8Array, caps: Partial<Caps> | undefined, files?: ReadonlyMap<string, Uint8Array>): Capture | undefined {
  try {
    if (files) return readPayload(files, false).capture; // the worker's read of these bytes (pipelinedFiles)
    const read = readArchive(bytes, caps);
    return read.fatal ? undefined : readPayload(read.files, false).capture;
  } catch {
    return undefined; // not a readable payload: the worker's strict read reports why
  }
}

/**
 * The files of an archive read as one transferable buffer and their places in it, when every file is a view into
 * the same buffer (readArchive: views into the inflated tar) and that buffer is the read's own (larger than Node's
 * shared small-Buffer pool, so never a slice of it); else undefined (nothing is handed over).
 */
function transferableFiles(files: ReadonlyMap<string, Uint8Array>): PipelinedIntegrity['files'] {
  let buffer: ArrayBufferLike | undefined;
  const entries: [string, number, number][] = [];
  for (const [path, view] of files) {
    if (buffer === undefined) buffer = view.buffer;
    else if (view.buffer !== buffer) return undefined;
    entries.push([path, view.byteOffset, view.byteLength]);
  }
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength <= Buffer.poolSize) return undefined;
  return { buffer, entries };
}

/** Pipeline worker side: each job is readBundle + verifyChecks (verifyOpened's integrity half). */
function runPipelineWorker(init: PipelineInit): void {
  const counter = new Int32Array(init.counter);
  init.port.postMessage(PIPELINE_TAG); // loaded and listening
  init.port.on('message', (job: PipelineJob) => {
    const state = new Int32Array(job.flag);
    let out: PipelineOutput;
    try {
      let rb: ReadBundle | undefined;
      try {
        rb = readBundle(job.bytes, job.name, init.caps);
      } catch (e) {
        if (!(e instanceof BaseError)) throw e;
      }
      if (!rb?.checks) {
        Atomics.store(state, 0, FAILED);
        out = { ok: true, job: job.job, opened: false };
      } else {
        const checked = verifyChecks(rb.checks, { trust: init.trust });
        Atomics.store(state, 0, checked.pass ? PASSED : FAILED);
        const { capture: _capture, checks: _checks, ...read } = rb;
        out = { ok: true, job: job.job, opened: true, report: checked.report, pass: checked.pass, hasCapture: checked.capture !== undefined, read };
        if (checked.pass) {
          const files = transferableFiles(rb.checks.read.files);
          if (files) out.files = files;
        }
      }
    } catch (e) {
      Atomics.store(state, 0, FAILED);
      out = { ok: false, job: job.job, message: (e as Error).message };
    }
    // The worker is done with this bundle: its files' buffer goes to the other thread (no copy).
    init.port.postMessage(out, out.ok && out.files ? [out.files.buffer] : []);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  });
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
if (!isMainThread && (workerData as PipelineInit | undefined)?.tag === PIPELINE_TAG) runPipelineWorker(workerData as PipelineInit);

