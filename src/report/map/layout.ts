/**
 * Graph layout with ELK's layered (Sugiyama) algorithm, from elkjs (the Eclipse Layout Kernel compiled to
 * JavaScript). elkjs only offers a promise API, which posts the graph to a worker; in Node it uses an in-process
 * "fake worker" whose dispatcher runs the layout synchronously and only defers the reply with setTimeout. We call
 * that dispatcher directly, so the report stays a pure, synchronous function of its input: no timer, no worker, no
 * I/O. ELK is deterministic (fixed random seed); the `$H` identity-hash fields it stamps on objects are never read.
 *
 * elkjs is 1.6 MB of code: it is loaded on the first layout, not when the report module is imported, so commands
 * that draw no map do not pay for it.
 */
import { createRequire } from 'node:module';

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

interface FakeWorker {
  onmessage: (m: { data: { id: number; data?: unknown; error?: unknown } }) => void;
  dispatcher: { saveDispatch(ev: { data: Record<string, unknown> }): void };
}

let worker: FakeWorker | undefined;
let reply: { data?: unknown; error?: unknown } | undefined;

function elk(): FakeWorker {
  if (worker) return worker;
  const req = createRequire(import.meta.url);
  const mod = req('elkjs/lib/elk-worker.min.js') as { Worker: new () => FakeWorker };
  const w = new mod.Worker();
  if (typeof w.dispatcher?.saveDispatch !== 'function') throw new Error('elkjs: expected the in-process worker dispatcher (elkjs 0.11), found none');
  w.onmessage = (m) => {
    reply = m.data;
  };
  w.dispatcher.saveDispatch({ data: { id: 0, cmd: 'register', algorithms: ['layered'] } });
  worker = w;
  return w;
}

/** Lays out `graph` in place (x/y on nodes and labels, sections on edges) and returns it. Synchronous. */
export function layoutGraph(graph: ElkGraph): ElkGraph {
  const w = elk();
  reply = undefined;
  w.dispatcher.saveDispatch({ data: { id: 1, cmd: 'layout', graph } });
  const r = reply as { data?: unknown; error?: unknown } | undefined;
  reply = undefined;
  if (!r) throw new Error('elkjs: the layout returned no result');
  if (r.error) {
    const e = r.error as { message?: string; g?: string };
    throw new Error(`elkjs layout failed: ${e.message ?? e.g ?? String(r.error)}`);
  }
  return r.data as ElkGraph;
}
