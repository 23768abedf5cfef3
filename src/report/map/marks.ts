/**
 * What the map marks, read from the report model's findings (no decisions of its own):
 *  - findings per object (the badge), indexed once so that large models stay linear;
 *  - where the recorded status differs from the prediction (verify/drift.ts findings, whose subjects name a
 *    Gateway, a Gateway listener, or a route parent);
 *  - HTTP -> HTTPS redirect edges (verify/exposure.ts EXPOSURE_HTTP_REDIRECT, issue 11 item 4).
 */
import type { ReportFinding } from '../model.ts';
import type { NodeMark } from './graph.ts';

/**
 * The objects a finding names. Info findings and findings restated by a policy finding (the same fact, shown
 * under it in the Findings table) name nothing here, so a node's badge counts each error/warning fact once.
 */
export function objectsOf(f: ReportFinding): string[] {
  if (f.severity === 'info' || (f.restatedBy ?? []).length > 0) return [];
  const listed = (f.detail?.objects as unknown[] | undefined) ?? [];
  // The subject, then the listed objects, each once in that order, '' left out; a Set only for long lists
  // (most findings name one object: no Set and spread per finding, issue 13).
  if (listed.length > 8) {
    const objs = new Set([f.subject ?? '', ...listed.map(String)]);
    objs.delete('');
    return [...objs];
  }
  const out: string[] = f.subject ? [f.subject] : [];
  for (const x of listed) {
    const o = String(x);
    if (o !== '' && !out.includes(o)) out.push(o);
  }
  return out;
}

export class FindingIndex {
  private readonly byObject = new Map<string, ReportFinding[]>();

  constructor(findings: readonly ReportFinding[]) {
    for (const f of findings) {
      for (const o of objectsOf(f)) {
        const list = this.byObject.get(o);
        if (list) list.push(f);
        else this.byObject.set(o, [f]);
      }
    }
  }

  /** Error/warning findings naming `objectKey` (a refKey) that pass `keep`. */
  of(objectKey: string, keep: (f: ReportFinding) => boolean = () => true): ReportFinding[] {
    return (this.byObject.get(objectKey) ?? []).filter(keep);
  }
}

export function badgeOf(fs: readonly ReportFinding[]): { count: number; worst: 'error' | 'warning' } | undefined {
  if (fs.length === 0) return undefined;
  return { count: fs.length, worst: fs.some((f) => f.severity === 'error') ? 'error' : 'warning' };
}

/** Where a drift finding points: `Gateway ns/name`, `... listener L`, `HTTPRoute ns/name parent [Kind ]ns/gw[#section][:port]`. */
export interface DriftTarget {
  kind: string;
  namespace: string;
  name: string;
  listener?: string;
  parent?: { kind: string; namespace: string; name: string; sectionName?: string; port?: number };
  mark: NodeMark;
  /** The full finding message (tooltip). */
  message: string;
}

const DRIFT_KIND: Record<string, NodeMark['kind']> = {
  STATUS_DRIFT: 'drift',
  STATUS_CONTROLLER_DEPARTURE: 'departure',
  STATUS_STALE: 'stale',
  STATUS_RECORDED_MISSING: 'missing',
};

type Value = { type?: string; status?: string; reason?: string; attachedRoutes?: number; supportedKinds?: string[]; absent?: boolean };

function show(v: unknown): string {
  if (!v || typeof v !== 'object') return 'nothing';
  const x = v as Value;
  if (x.absent) return 'no entry';
  if (typeof x.attachedRoutes === 'number') return `attachedRoutes ${x.attachedRoutes}`;
  if (Array.isArray(x.supportedKinds)) return `supportedKinds [${x.supportedKinds.map((k) => String(k).replace(/^.*\//, '')).join(', ')}]`;
  return `${String(x.type ?? '?')}=${String(x.status ?? '?')}${x.reason ? ` (${String(x.reason)})` : ''}`;
}

function parseParent(s: string): DriftTarget['parent'] | undefined {
  const m = /^(?:(\S+) )?([^/\s]+)\/([^#:\s]+)(?:#([^:\s]+))?(?::(\d+))?$/.exec(s);
  if (!m) return undefined;
  const p: NonNullable<DriftTarget['parent']> = { kind: m[1] ?? 'Gateway', namespace: m[2]!, name: m[3]! };
  if (m[4] !== undefined) p.sectionName = m[4];
  if (m[5] !== undefined) p.port = Number(m[5]);
  return p;
}

/**
 * Drift findings that say the recorded status differs from the prediction, with the node they belong to.
 * `withText: false` leaves each mark's text empty (the aggregated map only counts marks per node: at 10k routes
 * that is 10k texts not built; issue 13); the targets and counts are the same.
 */
export function driftTargets(findings: readonly ReportFinding[], opts: { withText?: boolean } = {}): { targets: DriftTarget[]; counts: Record<NodeMark['kind'], number> } {
  const withText = opts.withText ?? true;
  const counts = { drift: 0, departure: 0, stale: 0, missing: 0, added: 0, removed: 0, changed: 0, moved: 0 };
  const targets: DriftTarget[] = [];
  for (const f0 of findings) {
    const kind = DRIFT_KIND[f0.code];
    if (!kind || !f0.subject) continue;
    for (const f of expand(f0)) {
    // A stale condition whose old value still agrees is not a difference.
    if (kind === 'stale' && f.detail?.valuesAgree === true) continue;
    const m = /^([A-Za-z]+) ([^/\s]+\/[^/\s]+|[^/\s]+)(?: listener (\S+))?(?: parent (.+))?$/.exec(f.subject);
    if (!m) continue;
    const [ns, name] = m[2]!.includes('/') ? [m[2]!.slice(0, m[2]!.indexOf('/')), m[2]!.slice(m[2]!.indexOf('/') + 1)] : ['', m[2]!];
    const d = f.detail ?? {};
    const where = m[4] !== undefined ? `parent ${m[4]}: ` : m[3] === undefined && m[1] === 'Gateway' ? 'Gateway: ' : '';
    let text: string;
    if (!withText) text = '';
    else if (kind === 'drift') text = `\u2260 ${where}recorded ${show(d.recorded)}, predicted ${d.field === 'parent' ? 'no entry' : show(d.recomputed)}`;
    else if (kind === 'departure') text = `\u2248 ${where}recorded ${show(d.recorded)} = ${String(d.profile ?? 'controller')} behaviour; spec predicts ${show(d.recomputed)}`;
    else if (kind === 'stale') text = `\u2260 ${where}stale recorded ${show(d.recorded)} (generation ${String(d.generation ?? '?')}), predicted ${show(d.recomputed)}`;
    else text = `\u2260 ${where}no recorded status${Array.isArray(d.fields) ? `: ${d.fields.map(String).join(', ')}` : ''}`;
    const t: DriftTarget = { kind: m[1]!, namespace: ns!, name, mark: { kind, text }, message: f.message };
    if (m[3] !== undefined) t.listener = m[3];
    if (m[4] !== undefined) {
      const p = parseParent(m[4]);
      if (p) t.parent = p;
    }
    counts[kind]++;
    targets.push(t);
    }
  }
  return { targets, counts };
}

/**
 * The per-listener/per-parent findings a merged finding stands for (report/consolidate.ts merges one cause on one
 * object: `detail.subjects` for same-words drift, `detail.conditions` for stale status), so each mark lands on its
 * own node; an unmerged finding is itself.
 */
function expand(f: ReportFinding): Array<{ subject: string; message: string; detail: Record<string, unknown> }> {
  const d = (f.detail ?? {}) as Record<string, unknown>;
  if (Array.isArray(d.conditions) && f.code === 'STATUS_STALE') {
    return (d.conditions as unknown[]).flatMap((c) => {
      const x = (c ?? {}) as Record<string, unknown>;
      return typeof x.subject === 'string' ? [{ subject: x.subject, message: f.message, detail: { ...x, generation: d.generation } }] : [];
    });
  }
  if (Array.isArray(d.subjects)) {
    return (d.subjects as unknown[]).filter((x): x is string => typeof x === 'string').map((subject) => ({ subject, message: f.message, detail: d }));
  }
  return [{ subject: f.subject ?? '', message: f.message, detail: d }];
}

export interface Redirect {
  gateway: string;
  listener: string;
  port: number;
  hostname: string;
  routes: string[];
  to: { hostname?: string; port?: number; statusCode?: number };
}

/** The HTTP -> HTTPS redirects of the analysis (EXPOSURE_HTTP_REDIRECT info findings carry them as detail). */
export function redirectsOf(findings: readonly ReportFinding[]): Redirect[] {
  const out: Redirect[] = [];
  for (const f of findings) {
    if (f.code !== 'EXPOSURE_HTTP_REDIRECT') continue;
    const d = (f.detail ?? {}) as Record<string, unknown>;
    const to = (d.to ?? {}) as Record<string, unknown>;
    if (typeof d.gateway !== 'string' || typeof d.listener !== 'string' || typeof d.hostname !== 'string') continue;
    const r: Redirect = {
      gateway: d.gateway,
      listener: d.listener,
      port: typeof d.port === 'number' ? d.port : 0,
      hostname: d.hostname,
      routes: Array.isArray(d.routes) ? d.routes.map(String) : [],
      to: {},
    };
    if (typeof to.hostname === 'string') r.to.hostname = to.hostname;
    if (typeof to.port === 'number') r.to.port = to.port;
    if (typeof to.statusCode === 'number') r.to.statusCode = to.statusCode;
    out.push(r);
  }
  return out;
}

/** Listener hostname match (Gateway API: no hostname matches all; `*.example.com` matches any name below it). */
export function listenerMatches(listenerHostname: string | undefined, host: string): boolean {
  if (listenerHostname === undefined || listenerHostname === '' || host === '*') return true;
  if (listenerHostname.startsWith('*.')) return host.endsWith(listenerHostname.slice(1)) && host.length > listenerHostname.length - 1;
  return listenerHostname === host;
}
