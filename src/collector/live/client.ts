import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { SocksProxyAgent } from 'socks-proxy-agent';
import type { KubeConfig } from './kubeconfig-model.ts';
import { authenticatorFor, clusterTransport, type Authenticator, type ClusterTransport, type Credentials } from './auth.ts';
import { proxyLabel, type Env } from './proxy.ts';

/**
 * The low-level Kubernetes API reader: one GET (with retries, per-request timeout and an overall
 * deadline) and one paged LIST loop (limit/continue, 410 restart). TLS and credentials come from our
 * kubeconfig model (kubeconfig-model.ts) through auth.ts (client certs, bearer tokens and token files,
 * basic auth, exec plugins, static OIDC id-tokens, in-cluster service account); the loops are ours so that
 * every one is bounded. The proxy (kubeconfig proxy-url, else HTTPS_PROXY/HTTP_PROXY/NO_PROXY: proxy.ts) goes
 * through hpagent (an HTTP CONNECT tunnel with keep-alive) or socks-proxy-agent (SOCKS5), TLS unchanged.
 */

export interface RetryPolicy {
  /** Attempts per request, including the first. */
  maxAttempts: number;
  /** First backoff; doubles per attempt (full jitter), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 10_000 };

export interface ClientOptions {
  kubeConfig: KubeConfig;
  /** HTTPS_PROXY, HTTP_PROXY, NO_PROXY (and lower-case forms) when the cluster has no proxy-url. Default: none. */
  env?: Env;
  /** Injected for tests: the DNS lookup of direct connections (a hosts file for test names). */
  lookup?: LookupFunction;
  /** Per-request timeout (connect to last byte). Default 30 s. */
  requestTimeoutMs?: number;
  /** Absolute time (ms since epoch, as `now()` returns) after which no request is started. */
  deadlineAt?: number;
  retry?: RetryPolicy;
  /** Injected for tests: the backoff sleep, the jitter source and the clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Called for each retry, for --verbose output. */
  onRetry?: (info: { path: string; attempt: number; delayMs: number; reason: string }) => void;
  /** Largest response body accepted, bytes (default 512 MiB): a hostile or broken server cannot exhaust memory. */
  maxBodyBytes?: number;
}

/** An HTTP failure that is final for this request (after retries when retryable). */
export class ApiError extends Error {
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly path: string;
  constructor(path: string, status: number | undefined, message: string, reason?: string) {
    super(message);
    this.name = 'ApiError';
    this.path = path;
    this.status = status;
    this.reason = reason;
  }
}

export interface ListResult {
  apiVersion: string;
  kind: string;
  resourceVersion: string;
  items: Record<string, unknown>[];
  /** Times the list restarted after 410 Gone on a continue token. */
  restarts: number;
  pages: number;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The credentials the request carried (a 401 on a cached exec credential runs the plugin again). */
  credentials: Credentials;
}

/** Connection-level failures that are worth a retry (the request may not have reached the server). */
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET', 'REQUEST_TIMEOUT']);

/** A list is restarted at most this many times after 410 Gone (each restart is a fresh, consistent list). */
const MAX_LIST_RESTARTS = 3;
/** Hard cap on pages per list so that a server returning the same continue token forever cannot loop us. */
const MAX_PAGES = 100_000;

export class KubeClient {
  /** The cluster's server, CA, SNI name and proxy, read and checked when the client is made. */
  readonly transport: ClusterTransport;
  /** The kubeconfig context used. */
  readonly context: string;
  private readonly auth: Authenticator;
  private readonly requestTimeoutMs: number;
  private readonly deadlineAt: number | undefined;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly onRetry: ClientOptions['onRetry'];
  private readonly maxBodyBytes: number;
  private readonly lookup: LookupFunction | undefined;
  /** Requests actually sent (attempts), for progress and tests. */
  requests = 0;
  /** One keep-alive agent per capture and client certificate (an exec plugin may hand out a new one). */
  private agent: HttpsAgent | HttpAgent | undefined;
  private agentCert: { cert?: Buffer; key?: Buffer } | undefined;

  /** Throws InputError (naming the kubeconfig file and field) when the context, its TLS files or its credentials are unusable. */
  constructor(opts: ClientOptions) {
    const sel = opts.kubeConfig.select();
    this.context = sel.context.name;
    const userHasCert = sel.user.clientCertificate !== undefined || sel.user.clientCertificateData !== undefined;
    this.transport = clusterTransport(sel.cluster, userHasCert, opts.env ?? {});
    this.lookup = opts.lookup;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.deadlineAt = opts.deadlineAt;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.onRetry = opts.onRetry;
    this.maxBodyBytes = opts.maxBodyBytes ?? 512 * 1024 * 1024;
    this.auth = authenticatorFor(sel, this.transport, { now: this.now });
  }

  /** GET a path (with query) and parse JSON. Throws ApiError for a final non-2xx status or transport failure. */
  async getJSON(path: string): Promise<Record<string, unknown>> {
    const res = await this.getWithRetry(path);
    return parseBody(path, res.body);
  }

  /**
   * Lists a collection page by page (`limit`/`continue`). A 410 Gone on a continue token means the
   * snapshot the token pointed into was compacted: the whole list restarts from scratch so that every
   * item comes from one consistent resourceVersion (k8s API concepts, "Retrieving large results sets in chunks").
   */
  async list(path: string, opts: { limit: number; labelSelector?: string }): Promise<ListResult> {
    let restarts = 0;
    for (;;) {
      try {
        return { ...(await this.listOnce(path, opts)), restarts };
      } catch (e) {
        if (e instanceof ContinueExpired && restarts < MAX_LIST_RESTARTS) {
          restarts++;
          continue;
        }
        if (e instanceof ContinueExpired) {
          throw new ApiError(path, 410, `list restarted ${restarts} times after 410 Gone on its continue token and still expired: ${e.message}`, 'Expired');
        }
        throw e;
      }
    }
  }

  private async listOnce(path: string, opts: { limit: number; labelSelector?: string }): Promise<Omit<ListResult, 'restarts'>> {
    const items: Record<string, unknown>[] = [];
    let cont: string | undefined;
    let apiVersion = '';
    let kind = '';
    let resourceVersion = '';
    let pages = 0;
    do {
      const q = new URLSearchParams();
      q.set('limit', String(opts.limit));
      if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
      if (cont) q.set('continue', cont);
      const full = `${path}?${q.toString()}`;
      let body: Record<string, unknown>;
      try {
        body = await this.getJSON(full);
      } catch (e) {
        if (e instanceof ApiError && e.status === 410 && cont !== undefined) throw new ContinueExpired(e.message);
        throw e;
      }
      pages++;
      if (pages > MAX_PAGES) throw new ApiError(path, undefined, `more than ${MAX_PAGES} pages: the server keeps returning continue tokens`);
      const meta = (body['metadata'] ?? {}) as Record<string, unknown>;
      if (pages === 1) {
        apiVersion = typeof body['apiVersion'] === 'string' ? body['apiVersion'] : '';
        kind = typeof body['kind'] === 'string' ? body['kind'] : '';
        // The first page's resourceVersion is the list's consistency point; later pages repeat it.
        resourceVersion = typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : '';
      }
      const pageItems = body['items'];
      if (pageItems !== null && pageItems !== undefined && !Array.isArray(pageItems)) {
        throw new ApiError(path, undefined, `expected "items" to be a list in the response to GET ${full}, found ${typeof pageItems}`);
      }
      for (const it of (pageItems ?? []) as unknown[]) {
        if (it === null || typeof it !== 'object' || Array.isArray(it)) {
          throw new ApiError(path, undefined, `expected every item of GET ${full} to be an object, found ${it === null ? 'null' : typeof it}`);
        }
        items.push(it as Record<string, unknown>);
      }
      const next = meta['continue'];
      if (typeof next === 'string' && next !== '' && next === cont) {
        throw new ApiError(path, undefined, `the server returned the same continue token twice for GET ${path}`);
      }
      cont = typeof next === 'string' && next !== '' ? next : undefined;
    } while (cont !== undefined);
    return { apiVersion, kind, resourceVersion, items, pages };
  }

  private async getWithRetry(path: string): Promise<RawResponse> {
    let lastError: ApiError | undefined;
    let refreshed = false;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      this.checkDeadline(path);
      let res: RawResponse | undefined;
      let reason: string;
      let retryAfterMs: number | undefined;
      try {
        res = await this.send(path);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        const err = e as NodeJS.ErrnoException;
        const code = err.code ?? '';
        if (!RETRYABLE_CODES.has(code)) {
          throw new ApiError(path, undefined, `GET ${path} failed${this.via()}: ${err.message}${code ? ` (${code})` : ''}`);
        }
        reason = `${code}: ${err.message}${this.via()}`;
        lastError = new ApiError(path, undefined, `GET ${path} failed after ${attempt} attempt(s): ${reason}`);
      }
      if (res) {
        if (res.status >= 200 && res.status < 300) return res;
        if (res.status === 401 && !refreshed && res.credentials.cached && this.auth.invalidate(res.credentials)) {
          // A reused exec credential that the server no longer accepts: run the plugin again, once.
          refreshed = true;
          attempt--;
          continue;
        }
        const status = statusMessage(res);
        const err = new ApiError(path, res.status, `GET ${path}: HTTP ${res.status}${status.reason ? ` ${status.reason}` : ''}: ${status.message}`, status.reason);
        // Retry only what is transient: 429 Too Many Requests and 5xx (k8s API conventions, "429 StatusTooManyRequests",
        // and 500/503/504 "retry after a short delay"). 4xx other than 429 is final.
        if (res.status !== 429 && res.status < 500) throw err;
        lastError = err;
        reason = `HTTP ${res.status}`;
        retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      }
      if (attempt === this.retry.maxAttempts) break;
      const backoff = this.backoff(attempt);
      // Honour Retry-After when the server sends one (RFC 9110 section 10.2.3), never less than it asks for.
      const delayMs = retryAfterMs !== undefined ? Math.max(retryAfterMs, backoff) : backoff;
      if (this.deadlineAt !== undefined && this.now() + delayMs > this.deadlineAt) {
        throw new ApiError(path, lastError?.status, `${lastError?.message ?? `GET ${path} failed`}; no retry: the capture deadline would pass during the ${delayMs} ms backoff`);
      }
      this.onRetry?.({ path, attempt, delayMs, reason: reason! });
      await this.sleep(delayMs);
    }
    throw new ApiError(path, lastError?.status, `${lastError?.message ?? `GET ${path} failed`} (gave up after ${this.retry.maxAttempts} attempts)`, lastError?.reason);
  }

  /** Exponential backoff with full jitter: uniform in [base*2^(n-1)/2, base*2^(n-1)], capped. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private checkDeadline(path: string): void {
    if (this.deadlineAt !== undefined && this.now() >= this.deadlineAt) {
      throw new ApiError(path, undefined, `capture deadline passed before GET ${path}`, 'DeadlineExceeded');
    }
  }

  private async send(path: string): Promise<RawResponse> {
    const base = this.transport.server;
    const timeoutMs = this.effectiveTimeout();
    let credentials: Credentials;
    try {
      credentials = await this.auth.credentials(timeoutMs);
    } catch (e) {
      // An exec plugin that fails or hangs, an expired OIDC token: no request can be made.
      const msg = (e as Error).message.trim();
      throw new ApiError(path, undefined, `cannot get credentials from the kubeconfig: ${msg === '' ? `${(e as Error).name} with no message` : msg}`, 'Credentials');
    }
    const headers: Record<string, string | string[]> = { Accept: 'application/json', 'User-Agent': 'gateway-evidence', ...credentials.headers };
    const basePath = base.pathname.replace(/\/+$/, '');
    const reqOpts: RequestOptions = {
      method: 'GET',
      headers,
      protocol: base.protocol,
      hostname: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (base.protocol === 'https:' ? 443 : 80),
      path: basePath + path,
    };
    const agent = this.agentFor(credentials);
    if (agent) reqOpts.agent = agent;
    if (this.transport.proxy === undefined && this.lookup) reqOpts.lookup = this.lookup;
    // socks-proxy-agent makes the TLS connection itself from the request's options (not the agent's): the same
    // CA, client certificate, SNI name and verification as a direct connection.
    if (this.transport.proxy !== undefined && isSocks(this.transport.proxy) && base.protocol === 'https:') Object.assign(reqOpts, this.tlsOptions(credentials));
    this.requests++;
    const maxBody = this.maxBodyBytes;
    const doRequest = base.protocol === 'http:' ? httpRequest : httpsRequest;
    return await new Promise<RawResponse>((resolve, reject) => {
      // A hard timer (connect to last byte), not an idle timeout: a server that drips bytes cannot hold us.
      const timer = setTimeout(() => {
        req.destroy(Object.assign(new Error(`no complete response within ${timeoutMs} ms`), { code: 'REQUEST_TIMEOUT' }));
      }, timeoutMs);
      const done = <T>(fn: (v: T) => void) => (v: T): void => {
        clearTimeout(timer);
        fn(v);
      };
      resolve = done(resolve);
      reject = done(reject);
      const req = doRequest(reqOpts, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBody) {
            req.destroy(Object.assign(new Error(`response larger than ${maxBody} bytes`), { code: 'ERESPONSETOOLARGE' }));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), credentials }));
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * The keep-alive agent for this transport and client certificate: TLS options from the cluster (CA,
   * insecure-skip-tls-verify, tls-server-name) and the user, through the proxy when proxy-url is set.
   */
  private agentFor(c: Credentials): HttpsAgent | HttpAgent | undefined {
    const t = this.transport;
    if (this.agent && this.agentCert?.cert === c.cert && this.agentCert?.key === c.key) return this.agent;
    this.agent?.destroy();
    const tls = this.tlsOptions(c);
    const common = { keepAlive: true, maxSockets: 4 };
    if (t.proxy && isSocks(t.proxy)) {
      // Go's http.Transport sends the host name to a socks5 proxy as it does for socks5h (the SOCKS dialer
      // resolves nothing locally: transport.go dialConn, internal/socks): socks-proxy-agent's socks5h mode.
      const u = new URL(t.proxy.href);
      u.protocol = 'socks5h:';
      this.agent = new SocksProxyAgent(u, common);
    } else if (t.server.protocol === 'https:') {
      this.agent = t.proxy ? new HttpsProxyAgent({ ...common, ...tls, proxy: t.proxy }) : new HttpsAgent({ ...common, ...tls });
    } else {
      this.agent = t.proxy ? new HttpProxyAgent({ ...common, proxy: t.proxy }) : undefined;
    }
    this.agentCert = { ...(c.cert ? { cert: c.cert } : {}), ...(c.key ? { key: c.key } : {}) };
    return this.agent;
  }

  private tlsOptions(c: Credentials): { ca?: Buffer; cert?: Buffer; key?: Buffer; servername?: string; rejectUnauthorized: boolean } {
    const t = this.transport;
    return {
      ...(t.ca ? { ca: t.ca } : {}),
      ...(c.cert ? { cert: c.cert } : {}),
      ...(c.key ? { key: c.key } : {}),
      ...(t.servername ? { servername: t.servername } : {}),
      rejectUnauthorized: t.rejectUnauthorized,
    };
  }

  /** " through proxy URL (from $HTTPS_PROXY)", credentials redacted, for transport failures; "" when direct. */
  private via(): string {
    const t = this.transport;
    if (!t.proxy) return '';
    return ` through proxy ${proxyLabel(t.proxy, t.proxySource)}`;
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.agentCert = undefined;
  }

  private effectiveTimeout(): number {
    if (this.deadlineAt === undefined) return this.requestTimeoutMs;
    return Math.max(1, Math.min(this.requestTimeoutMs, this.deadlineAt - this.now()));
  }
}

class ContinueExpired extends Error {}

function isSocks(u: URL): boolean {
  return u.protocol === 'socks5:' || u.protocol === 'socks5h:';
}

function parseBody(path: string, body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new ApiError(path, undefined, `expected a JSON object in the response to GET ${path}, found unparseable bytes: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ApiError(path, undefined, `expected a JSON object in the response to GET ${path}, found ${Array.isArray(v) ? 'a list' : typeof v}`);
  }
  return v as Record<string, unknown>;
}

/** A Kubernetes Status body's message and reason when there is one, else the start of the body. */
function statusMessage(res: RawResponse): { message: string; reason?: string } {
  const text = res.body.toString('utf8');
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (v && v['kind'] === 'Status') {
      const out: { message: string; reason?: string } = { message: typeof v['message'] === 'string' ? v['message'] : '(no message)' };
      if (typeof v['reason'] === 'string') out.reason = v['reason'];
      return out;
    }
  } catch {
    // not JSON: fall through
  }
  const short = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return { message: short === '' ? '(empty body)' : short };
}

/** Retry-After: delta-seconds or an HTTP date. Returns ms, or undefined when absent/unparseable. Capped at 10 minutes. */
export function parseRetryAfter(h: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined || v.trim() === '') return undefined;
  const cap = 10 * 60_000;
  if (/^\d+$/.test(v.trim())) return Math.min(cap, Number(v.trim()) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.min(cap, Math.max(0, t - now));
}
