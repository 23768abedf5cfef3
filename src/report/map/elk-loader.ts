/**
 * How layout.ts gets elkjs: by default `require`; an I/O edge may install a loader that compiles it differently
 * (src/io/elk.ts: V8's code cache and the first layout without TurboFan). Set before the first layout; the module
 * is loaded once per process.
 */

/** elkjs' in-process worker (elk-worker.min.js `Worker`), as layout.ts drives it. */
export interface FakeWorker {
  onmessage: (m: { data: { id: number; data?: unknown; error?: unknown } }) => void;
  dispatcher: { saveDispatch(ev: { data: Record<string, unknown> }): void };
}

export interface ElkModule {
  Worker: new () => FakeWorker;
  /** What became of a code cache: none was given, V8 used it, or V8 rejected it and compiled the source. */
  cache: 'none' | 'accepted' | 'rejected';
  /** The V8 code cache of the module as compiled so far (when the loader compiled it through vm.Script). */
  createCachedData?: () => Uint8Array;
  /** Runs the process' first layout (the loader may change how V8 compiles it, never what it computes). */
  firstLayout?: (run: () => void) => void;
}

let loader: (() => ElkModule) | undefined;

export function setElkLoader(f: (() => ElkModule) | undefined): void {
  loader = f;
}

export function elkLoader(): (() => ElkModule) | undefined {
  return loader;
}
