/**
 * A local HTTPS server on 127.0.0.1 that speaks the Kubernetes API for the paths the live collector and
 * `kubectl get` use, the way a real API server does:
 * - /version, /api (APIVersions), /api/v1 and /apis/{g}/{v} (APIResourceList), /apis (APIGroupList with
 *   preferredVersion); aggregated discovery is not offered, so clients fall back to these documents.
 * - lists at /api/v1/{res}, /apis/{g}/{v}/{res} and .../namespaces/{ns}/{res}: `kind: XList`, apiVersion,
 *   metadata.resourceVersion, `limit`/`continue` paging, `labelSelector` (k=v, k!=v, k, !k; comma = AND);
 *   items WITHOUT kind/apiVersion, as the real API returns them.
 * - single GETs (kind/apiVersion set), Status bodies for errors, bearer-token auth (401 without it).
 * - faults: 403/404 for a path, 429 with Retry-After, 500, 410 Gone on a continue token, connection reset,
 *   each a given number of times.
 * Every request is logged for assertions. Only binds 127.0.0.1.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface FakeResource {
  group: string; // '' for core
  version: string;
  resource: string; // plural
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

export interface FakeFault {
  /** Matched against the request path (without query). A string matches exactly. */
  path: string | RegExp;
  kind: 403 | 404 | 429 | 500 | 410 | 'reset' | 'hang';
  /** How many times the fault fires (default: forever for 403/404, once otherwise). */
  times?: number;
  /** 410 only on requests that carry a continue token (a stale token); default true for 410. */
  onContinue?: boolean;
  /** Retry-After header value for 429: delta-seconds or an HTTP-date; a function is called when the fault fires. */
  retryAfter?: string | (() => string);
}

export interface FakeApiServerOptions {
  token: string;
  /** Decides which bearer tokens are valid, per request (rotation tests); default: exactly `token`. */
  acceptToken?: (token: string) => boolean;
  resources: FakeResource[];
  /** Group -> versions in priority order; the first is the preferred version. Derived from resources when absent. */
  groupVersions?: Record<string, string[]>;
  /** Objects with apiVersion, kind and metadata (namespace for namespaced kinds). */
  objects: Record<string, unknown>[];
  faults?: FakeFault[];
  gitVersion?: string;
  /** An RBAC authorizer: false -> 403 Forbidden, as the real API server does after authentication. */
  authorize?: (attrs: RequestAttributes) => boolean;
}

/** Kubernetes authorization attributes of a request (resource requests and non-resource URLs). */
export type RequestAttributes =
  | { nonResourcePath: string; verb: 'get' }
  | { apiGroup: string; resource: string; namespace?: string; name?: string; verb: 'get' | 'list' };

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  authorized: boolean;
}

export interface FakeApiServer {
  url: string;
  port: number;
  caPem: string;
  /** A kubeconfig file with the server's CA and the bearer token (context "fake"). */
  kubeconfigPath: string;
  /** A kubeconfig with no credentials (context "fake"), to prove 401. */
  anonymousKubeconfigPath: string;
  dir: string;
  log: RequestLogEntry[];
  close: () => Promise<void>;
}

interface Cert {
  keyPem: string;
  certPem: string;
}

/** Self-signed certificate for 127.0.0.1 (openssl), in a fresh temp directory. */
export function makeServerCert(dir: string): Cert {
  const key = join(dir, 'server.key');
  const crt = join(dir, 'server.crt');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt,
    '-days', '2', '-subj', '/CN=fake-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext', 'basicConstraints=critical,CA:TRUE',
  ], { stdio: 'pipe' });
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(crt, 'utf8') };
}

export async function startFakeApiServer(opts: FakeApiServerOptions): Promise<FakeApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-fake-api-'));
  const cert = makeServerCert(dir);
  const log: RequestLogEntry[] = [];
  const faults = (opts.faults ?? []).map((f) => ({ ...f, left: f.times ?? (f.kind === 403 || f.kind === 404 ? Infinity : 1) }));

  // Resource versions: every object gets one at start; the list RV is the highest.
  let rv = 1000;
  const objects = opts.objects.map((o) => {
    const c = structuredClone(o) as Record<string, unknown>;
    const meta = (c['metadata'] ?? (c['metadata'] = {})) as Record<string, unknown>;
    if (meta['resourceVersion'] === undefined) meta['resourceVersion'] = String(++rv);
    if (meta['uid'] === undefined) meta['uid'] = fakeUid(`${String(c['kind'])}/${String(meta['namespace'] ?? '')}/${String(meta['name'])}`);
    if (meta['creationTimestamp'] === undefined) meta['creationTimestamp'] = '2026-10-01T00:00:00Z';
    return c;
  });
  const listRv = String(++rv);
  // Lists come back in namespace/name order, as etcd's key order gives them.
  objects.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));

  const groupVersions: Record<string, string[]> = opts.groupVersions ?? {};
  if (!opts.groupVersions) {
    for (const r of opts.resources) {
      if (r.group === '') continue;
      const vs = (groupVersions[r.group] ??= []);
      if (!vs.includes(r.version)) vs.push(r.version);
    }
    // A real API server lists a group's versions by priority (v1, v1beta1, v1alpha3, v1alpha2), the first preferred.
    for (const vs of Object.values(groupVersions)) vs.sort(versionPriority);
  }

  const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const query = Object.fromEntries(url.searchParams.entries());
    const auth = req.headers['authorization'];
    const authorized = opts.acceptToken
      ? typeof auth === 'string' && auth.startsWith('Bearer ') && opts.acceptToken(auth.slice('Bearer '.length))
      : auth === `Bearer ${opts.token}`;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      log.push({ method: req.method ?? 'GET', path, query, status, authorized });
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
      res.end(text);
    };
    const status = (code: number, reason: string, message: string, headers: Record<string, string> = {}): void =>
      send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }, headers);

    if (!authorized) return status(401, 'Unauthorized', 'Unauthorized');
    if (req.method !== 'GET') return status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);

    for (const f of faults) {
      if (f.left <= 0) continue;
      const match = typeof f.path === 'string' ? f.path === path : f.path.test(path);
      if (!match) continue;
      if (f.kind === 410 && (f.onContinue ?? true) && !query['continue']) continue;
      f.left--;
      switch (f.kind) {
        case 'hang':
          // Never answers: the client's per-request timeout must fire. close() ends the connection.
          log.push({ method: req.method ?? 'GET', path, query, status: 0, authorized });
          return;
        case 'reset':
          log.push({ method: req.method ?? 'GET', path, query, status: 0, authorized });
          req.socket.destroy();
          return;
        case 403:
          return status(403, 'Forbidden', `${path} is forbidden: User "system:serviceaccount:gwe:collector" cannot list resource at the cluster scope`);
        case 404:
          return status(404, 'NotFound', 'the server could not find the requested resource');
        case 429:
          return status(429, 'TooManyRequests', 'too many requests, please try again later', { 'Retry-After': typeof f.retryAfter === 'function' ? f.retryAfter() : (f.retryAfter ?? '1') });
        case 500:
          return status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out');
        case 410:
          return status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
    }

    const isDiscovery = path === '/version' || path === '/api' || path === '/apis' || /^\/(api\/v1|apis\/[^/]+\/[^/]+)$/.test(path);
    if (opts.authorize) {
      const rm = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(path);
      const attrs: RequestAttributes = isDiscovery || !rm
        ? { nonResourcePath: path, verb: 'get' }
        : {
            apiGroup: rm[2] ?? '',
            resource: rm[5]!,
            ...(rm[4] !== undefined ? { namespace: decodeURIComponent(rm[4]) } : {}),
            ...(rm[6] !== undefined ? { name: decodeURIComponent(rm[6]) } : {}),
            verb: rm[6] !== undefined ? 'get' : 'list',
          };
      if (!opts.authorize(attrs)) {
        const what = 'nonResourcePath' in attrs ? `path "${attrs.nonResourcePath}"` : `resource "${attrs.resource}" in API group "${attrs.apiGroup}"${attrs.namespace ? ` in the namespace "${attrs.namespace}"` : ' at the cluster scope'}`;
        return status(403, 'Forbidden', `${attrs.verb} ${what} is forbidden: User "system:serviceaccount:gateway-evidence:gateway-evidence-collector" cannot ${attrs.verb} ${what}`);
      }
    }
    if (path === '/version') {
      return send(200, { major: '1', minor: '33', gitVersion: opts.gitVersion ?? 'v1.33.2', gitCommit: '0000000', gitTreeState: 'clean', buildDate: '2026-06-01T00:00:00Z', goVersion: 'go1.24.4', compiler: 'gc', platform: 'linux/amd64' });
    }
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
    if (path === '/apis') {
      const groups = Object.entries(groupVersions).map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      }));
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const disc = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (disc) {
      const group = disc[2] ?? '';
      const version = disc[1] ?? disc[3]!;
      const rs = opts.resources.filter((r) => r.group === group && r.version === version);
      if (rs.length === 0 && !(group === '' && version === 'v1')) return status(404, 'NotFound', 'the server could not find the requested resource');
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group === '' ? version : `${group}/${version}`,
        resources: rs.flatMap((r) => [
          { name: r.resource, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], storageVersionHash: 'AAAAAAAAAAA=' },
          { name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] },
        ]),
      });
    }
    // /api/v1[/namespaces/{ns}]/{res}[/{name}] or /apis/{g}/{v}[/namespaces/{ns}]/{res}[/{name}]
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const ns = m[4] !== undefined ? decodeURIComponent(m[4]) : undefined;
    const resName = m[5]!;
    const name = m[6] !== undefined ? decodeURIComponent(m[6]) : undefined;
    // `/api/v1/namespaces/{name}` parses as resource "namespaces" + name (the optional namespaces/ prefix backtracks).
    const r = opts.resources.find((x) => x.group === group && x.version === version && x.resource === resName);
    if (!r || (ns !== undefined && !r.namespaced)) return status(404, 'NotFound', 'the server could not find the requested resource');
    const apiVersion = group === '' ? version : `${group}/${version}`;
    const matches = objects.filter((o) => {
      if (o['kind'] !== r.kind || groupOf(String(o['apiVersion'])) !== group) return false;
      const meta = o['metadata'] as Record<string, unknown>;
      return ns === undefined || meta['namespace'] === ns;
    });
    const present = (o: Record<string, unknown>): Record<string, unknown> => {
      // Served at the requested version (conversion is a no-op for these fixtures).
      const { kind: _k, apiVersion: _a, ...rest } = o;
      return rest;
    };
    if (name !== undefined) {
      const o = matches.find((x) => (x['metadata'] as Record<string, unknown>)['name'] === name);
      if (!o) return status(404, 'NotFound', `${r.resource} "${name}" not found`);
      return send(200, { kind: r.kind, apiVersion, ...present(o) });
    }
    if (r.verbs && !r.verbs.includes('list')) return status(405, 'MethodNotAllowed', 'list not allowed');
    const selected = matches.filter((o) => matchesSelector(((o['metadata'] as Record<string, unknown>)['labels'] ?? {}) as Record<string, string>, query['labelSelector'] ?? ''));
    let start = 0;
    if (query['continue']) {
      try {
        const tok = JSON.parse(Buffer.from(query['continue'], 'base64').toString('utf8')) as { rv: string; start: number };
        if (tok.rv !== listRv || !Number.isInteger(tok.start)) throw new Error('bad');
        start = tok.start;
      } catch {
        return status(400, 'BadRequest', 'continue key is not valid');
      }
    }
    const limit = query['limit'] ? Number(query['limit']) : 0;
    const end = limit > 0 ? Math.min(selected.length, start + limit) : selected.length;
    const meta: Record<string, unknown> = { resourceVersion: listRv };
    if (end < selected.length) {
      meta['continue'] = Buffer.from(JSON.stringify({ rv: listRv, start: end })).toString('base64');
      meta['remainingItemCount'] = selected.length - end;
    }
    return send(200, { kind: `${r.kind}List`, apiVersion, metadata: meta, items: selected.slice(start, end).map(present) });
  };

  const server: Server = createServer({ key: cert.keyPem, cert: cert.certPem }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = (user: Record<string, unknown>): string =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: url, 'certificate-authority-data': Buffer.from(cert.certPem).toString('base64') } }],
      users: [{ name: 'collector', user }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'collector' } }],
      'current-context': 'fake',
    });
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig({ token: opts.token }), { mode: 0o600 });
  const anonymousKubeconfigPath = join(dir, 'kubeconfig-anonymous');
  writeFileSync(anonymousKubeconfigPath, kubeconfig({}), { mode: 0o600 });
  return {
    url,
    port,
    caPem: cert.certPem,
    kubeconfigPath,
    anonymousKubeconfigPath,
    dir,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Kubernetes version priority: GA > beta > alpha, then higher numbers first; others last, lexically. */
export function versionPriority(a: string, b: string): number {
  const rank = (v: string): number[] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    return m ? [m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, Number(m[1]), Number(m[3] ?? 0)] : undefined;
  };
  const ra = rank(a);
  const rb = rank(b);
  if (!ra || !rb) return ra ? -1 : rb ? 1 : a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
  return 0;
}

function keyOf(o: Record<string, unknown>): string {
  const m = o['metadata'] as Record<string, unknown>;
  return `${String(m['namespace'] ?? '')}/${String(m['name'])}`;
}

function fakeUid(s: string): string {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, '0') + s.length.toString(16).padStart(4, '0')).padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Equality-based label selectors: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated (AND). */
export function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  if (selector.trim() === '') return true;
  return selector.split(',').every((term) => {
    const t = term.trim();
    let mm: RegExpExecArray | null;
    if ((mm = /^([^!=]+)!=(.*)$/.exec(t))) return labels[mm[1]!.trim()] !== mm[2]!.trim();
    if ((mm = /^([^!=]+)==?(.*)$/.exec(t))) return labels[mm[1]!.trim()] === mm[2]!.trim();
    if (t.startsWith('!')) return labels[t.slice(1).trim()] === undefined;
    return labels[t] !== undefined;
  });
}
