/**
 * Graph layout with ELK's layered (Sugiyama) algorithm, from elkjs (the Eclipse Layout Kernel compiled to
 * JavaScript). elkjs only offers a promise API, which posts the graph to a worker; in Node it uses an in-process
 * "fake worker" whose dispatcher runs the layout synchronously and only defers the reply with setTimeout. We call
 * that dispatcher directly, so the report stays a pure, synchronous function of its input: no timer, no worker, no
 * I/O. ELK is deterministic (fixed random seed); the `$H` identity-hash fields it stamps on objects are never read.
 *
 * elkjs is 1.6 MB of code: it is loaded on the first layout, not when the report module is imported, so commands
 * that draw no map do not pay for it. By default it is `require`d; an I/O edge may install a loader
 * (elk-loader.ts; the CLI installs src/io/elk.ts, which uses V8's code cache and runs the first layout without
 * TurboFan: issue 13, ELK's cold start). A loader changes how fast ELK's code runs, never what it computes.
 */
import { createRequire } from 'node:module';
import { elkLoader, type ElkModule, type FakeWorker } from './elk-loader.ts';

export interface ElkLabel {
  text: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
}

export interface ElkNode {
  id: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
  layoutOptions?: Record<string, string>;
  labels?: ElkLabel[];
}

export interface ElkPoint {
  x: number;
  y: number;
}

export interface ElkEdge {
  id: string;
  sources: [string];
  targets: [string];
  labels?: ElkLabel[];
  sections?: Array<{ startPoint: ElkPoint; endPoint: ElkPoint; bendPoints?: ElkPoint[] }>;
}

export interface ElkGraph {
  id: string;
  layoutOptions: Record<string, string>;
  children: ElkNode[];
  edges: ElkEdge[];
  width?: number;
  height?: number;
}

let loaded: { module: ElkModule; worker: FakeWorker } | undefined;
let layouts = 0;
let reply: { data?: unknown; error?: unknown } | undefined;

function elk(): { module: ElkModule; worker: FakeWorker } {
  if (loaded) return loaded;
  const load = elkLoader();
  const module: ElkModule = load ? load() : { Worker: (createRequire(import.meta.url)('elkjs/lib/elk-worker.min.js') as { Worker: ElkModule['Worker'] }).Worker, cache: 'none' };
  if (typeof module.Worker !== 'function') throw new Error('elkjs: expected the in-process worker (elkjs 0.11), found none');
  const w = new module.Worker();
  if (typeof w.dispatcher?.saveDispatch !== 'function') throw new Error('elkjs: expected the in-process worker dispatcher (elkjs 0.11), found none');
  w.onmessage = (m) => {
    reply = m.data;
  };
  w.dispatcher.saveDispatch({ data: { id: 0, cmd: 'register', algorithms: ['layered'] } });
  loaded = { module, worker: w };
  return loaded;
}

/** How this process' elkjs was compiled: from the loader's code cache ('accepted'), not ('none', 'rejected'), or 'not loaded' yet. */
export function elkCodeCacheState(): ElkModule['cache'] | 'not loaded' {
  return loaded?.module.cache ?? 'not loaded';
}

/** The loader's V8 code cache of elkjs as compiled so far (after some layouts), for scripts/elk-code-cache.mjs. */
export function createElkCodeCache(): Uint8Array | undefined {
  return elk().module.createCachedData?.();
}

/** Lays out `graph` in place (x/y on nodes and labels, sections on edges) and returns it. Synchronous. */
export function layoutGraph(graph: ElkGraph): ElkGraph {
  const w = elk().worker;
  reply = undefined;
  const run = (): void => w.dispatcher.saveDispatch({ data: { id: 1, cmd: 'layout', graph } });
  const first = elk().module.firstLayout;
  if (layouts++ === 0 && first) first(run);
  else run();
  const r = reply as { data?: unknown; error?: unknown } | undefined;
  reply = undefined;
  if (!r) throw new Error('elkjs: the layout returned no result');
  if (r.error) {
    const e = r.error as { message?: string; g?: string };
    throw new Error(`elkjs layout failed: ${e.message ?? e.g ?? String(r.error)}`);
  }
  return r.data as ElkGraph;
}
