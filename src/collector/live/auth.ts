import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { InputError } from '../../errors.ts';
import type { KubeCluster, KubeSelection, KubeUser } from './kubeconfig-model.ts';
import { execAuthenticator } from './exec-credential.ts';
import { checkProxyUrl, proxyFor, ProxyConfigError, redactProxyUrl, type Env, type ProxyRoute, type ProxySource } from './proxy.ts';

/**
 * TLS and credentials for the API server, as client-go defines them from a kubeconfig (clientcmd
 * client_config.go ClientConfig, rest/transport.go, transport/round_trippers.go, transport/transport.go):
 * - cluster: `server` (https, or http; a bare host gets https when TLS is configured, as rest
 *   DefaultServerURL does), `certificate-authority(-data)`, `insecure-skip-tls-verify`, `tls-server-name`,
 *   `proxy-url` (http, https, socks5, socks5h), else HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment (proxy.ts);
 * - user: `client-certificate(-data)` + `client-key(-data)`, `token` / `tokenFile` (re-read every minute,
 *   trimmed), `username`/`password`, `as*` impersonation, `exec` plugins (exec-credential.ts) and the `oidc`
 *   auth-provider as a static id-token. Every file is read and checked here, before the first request,
 *   with an error naming the kubeconfig file and field.
 */

export interface ClusterTransport {
  server: URL;
  ca?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
  /** The proxy that carries the connection (may hold user:password: show it only through redactProxyUrl). */
  proxy?: URL;
  proxySource?: ProxySource;
  /** insecure-skip-tls-verify: the server certificate is not checked (a warning in the collection record). */
  insecure: boolean;
  /** The cluster's CA bytes as read, for an exec plugin's KUBERNETES_EXEC_INFO (provideClusterInfo). */
  caData?: Buffer;
}

/** What one request carries: headers, and a client certificate when the user (or its exec plugin) has one. */
export interface Credentials {
  headers: Record<string, string | string[]>;
  cert?: Buffer;
  key?: Buffer;
  /** True when reused from a cache (an exec credential): a 401 may mean it went stale. */
  cached: boolean;
}

export interface Authenticator {
  /** Credentials for the next request; `limitMs` bounds an exec plugin run. Throws when none can be had. */
  credentials(limitMs: number): Promise<Credentials>;
  /**
   * The server answered 401 to a request made with `used`: drop it if it is still the cached credential.
   * True when asking again may give a different credential (client-go exec.go maybeRefreshCreds).
   */
  invalidate(used: Credentials): boolean;
}

function fieldError(source: string, at: string, message: string, cause?: unknown): InputError {
  return new InputError('INPUT_INVALID', `kubeconfig "${source}": ${at}: ${message}`, { file: source, fields: [at], ...(cause !== undefined ? { cause } : {}) });
}

function readField(source: string, at: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `kubeconfig "${source}": ${at}: cannot read "${path}": ${(e as Error).message}`, { file: source, fields: [at], cause: e });
  }
}

/** The cluster half: server URL, CA, SNI name, proxy. */
export function clusterTransport(cluster: KubeCluster, userHasCert: boolean, env: Env = {}): ClusterTransport {
  const at = `cluster "${cluster.name}"`;
  if (cluster.server === '') throw fieldError(cluster.source, `${at}.server`, 'expected the API server URL, found none'); // validation.go: "no server found for cluster"
  // client-go validation.go validateClusterInfo: a CA file and CA data together are an error.
  if (cluster.certificateAuthority !== undefined && cluster.certificateAuthorityData !== undefined) {
    throw fieldError(cluster.source, at, 'expected certificate-authority or certificate-authority-data, found both');
  }
  const ca = cluster.certificateAuthorityData ?? (cluster.certificateAuthority !== undefined ? readField(cluster.source, `${at}.certificate-authority`, cluster.certificateAuthority) : undefined);
  // transport.go TLSConfigFor: "specifying a root certificates file with the insecure flag is not allowed".
  if (ca !== undefined && cluster.insecureSkipTlsVerify) throw fieldError(cluster.source, at, 'insecure-skip-tls-verify with a certificate authority is not allowed (client-go refuses it too); remove one');
  const tlsConfigured = ca !== undefined || cluster.insecureSkipTlsVerify || userHasCert;
  let server: URL;
  try {
    // rest/url_utils.go DefaultServerURL: a host without a scheme gets https when TLS is configured, else http.
    server = new URL(cluster.server.includes('://') ? cluster.server : `${tlsConfigured ? 'https' : 'http'}://${cluster.server}`);
  } catch {
    throw fieldError(cluster.source, `${at}.server`, `expected a URL such as https://api.example.com:6443, found "${cluster.server}"`);
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') throw fieldError(cluster.source, `${at}.server`, `expected an https:// or http:// URL, found "${cluster.server}"`);
  if (server.search !== '' || server.hash !== '') throw fieldError(cluster.source, `${at}.server`, `expected a URL without query or fragment, found "${cluster.server}"`);
  const t: ClusterTransport = { server, rejectUnauthorized: !cluster.insecureSkipTlsVerify, insecure: cluster.insecureSkipTlsVerify && server.protocol === 'https:' };
  if (ca !== undefined) {
    t.ca = ca;
    t.caData = ca;
    // client-go cert.NewPoolFromBytes: "unable to load root certificates: no certificates found"; each block must parse.
    const field = `${at}.certificate-authority${cluster.certificateAuthority === undefined ? '-data' : ''}`;
    const blocks = ca.toString('latin1').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw fieldError(cluster.source, field, 'expected PEM certificates, found no "BEGIN CERTIFICATE" block');
    for (const b of blocks) {
      try {
        new X509Certificate(b);
      } catch (e) {
        throw fieldError(cluster.source, field, `expected PEM certificates, found one that does not parse: ${(e as Error).message}`, e);
      }
    }
  }
  if (cluster.tlsServerName !== undefined) t.servername = cluster.tlsServerName;
  const proxy = clusterProxy(cluster, server, env);
  if (proxy) {
    t.proxy = proxy.url;
    t.proxySource = proxy.source;
  }
  return t;
}

/**
 * The proxy for this cluster (proxy.ts): the kubeconfig proxy-url when set (it always wins, loopback servers
 * included, as client-go's http.ProxyURL), else HTTPS_PROXY/HTTP_PROXY/NO_PROXY from `env`.
 */
function clusterProxy(cluster: KubeCluster, server: URL, env: Env): ProxyRoute | undefined {
  const at = `cluster "${cluster.name}".proxy-url`;
  try {
    if (cluster.proxyUrl === undefined) return proxyFor(server, env);
    let u: URL;
    try {
      u = new URL(cluster.proxyUrl);
    } catch {
      throw fieldError(cluster.source, at, `expected a URL such as http://proxy.example.com:3128 or socks5://127.0.0.1:1080, found "${redactProxyUrl(cluster.proxyUrl)}"`);
    }
    return { url: checkProxyUrl(u, at), source: 'proxy-url' };
  } catch (e) {
    if (!(e instanceof ProxyConfigError)) throw e;
    if (cluster.proxyUrl !== undefined) throw new InputError('INPUT_INVALID', `kubeconfig "${cluster.source}": ${e.message}`, { file: cluster.source, fields: [at] });
    throw new InputError('INPUT_INVALID', `cluster "${cluster.name}" (server ${server.href}): ${e.message}`);
  }
}

/** The user's static client certificate, when it has one (both halves, or an error). */
function clientCertificate(user: KubeUser): { cert: Buffer; key: Buffer } | undefined {
  const at = `user "${user.name}"`;
  // validation.go validateAuthInfo: "client-cert-data and client-cert are both specified".
  if (user.clientCertificate !== undefined && user.clientCertificateData !== undefined) throw fieldError(user.source, at, 'expected client-certificate or client-certificate-data, found both');
  if (user.clientKey !== undefined && user.clientKeyData !== undefined) throw fieldError(user.source, at, 'expected client-key or client-key-data, found both');
  const cert = user.clientCertificateData ?? (user.clientCertificate !== undefined ? readField(user.source, `${at}.client-certificate`, user.clientCertificate) : undefined);
  const key = user.clientKeyData ?? (user.clientKey !== undefined ? readField(user.source, `${at}.client-key`, user.clientKey) : undefined);
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw fieldError(user.source, at, `expected a client certificate and its key, found only the ${cert === undefined ? 'key' : 'certificate'}`);
  checkPair(cert, key, (m) => fieldError(user.source, at, m));
  return { cert, key };
}

/** A certificate and key that Node cannot load or that do not match fail here, not at the TLS handshake. */
export function checkPair(cert: Buffer, key: Buffer, fail: (message: string) => Error): void {
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw fail(`expected a PEM client certificate and its matching private key, found: ${(e as Error).message}`);
  }
}

/** The Impersonate-* headers of `as`, `as-uid`, `as-groups`, `as-user-extra` (transport/round_trippers.go). */
function impersonationHeaders(user: KubeUser): Record<string, string | string[]> {
  const imp = user.impersonate;
  if (!imp) return {};
  if (imp.user === undefined) throw fieldError(user.source, `user "${user.name}"`, 'as-uid, as-groups or as-user-extra without as (the user to impersonate) is not allowed'); // validation.go
  const h: Record<string, string | string[]> = { 'Impersonate-User': imp.user };
  if (imp.uid !== undefined) h['Impersonate-Uid'] = imp.uid;
  if (imp.groups.length > 0) h['Impersonate-Group'] = imp.groups;
  for (const [k, v] of Object.entries(imp.extra)) h[`Impersonate-Extra-${encodeURIComponent(k)}`] = v;
  return h;
}

export interface AuthOptions {
  /** Clock, ms since the epoch (token expiry, token file refresh). */
  now?: () => number;
}

/**
 * The authenticator for the selected user. Precedence as in client-go: a bearer token (token/tokenFile) or
 * basic auth (never both: round_trippers.go HTTPWrappersForConfig), a static client certificate, then an
 * auth-provider (its header only when none is set yet, oidc.go) or an exec plugin (only when there is no
 * token, basic auth or client certificate: exec.go UpdateTransportConfig).
 */
export function authenticatorFor(sel: KubeSelection, transport: ClusterTransport, opts: AuthOptions = {}): Authenticator {
  const { user } = sel;
  const now = opts.now ?? Date.now;
  const at = `user "${user.name}"`;
  const static_ = clientCertificate(user);
  const impersonation = impersonationHeaders(user);
  const hasToken = user.token !== undefined || user.tokenFile !== undefined;
  const hasBasic = user.username !== undefined || user.password !== undefined;
  if (hasToken && hasBasic) throw fieldError(user.source, at, 'expected a token or a username/password, found both (client-go refuses both)');
  if (user.exec && user.authProvider) throw fieldError(user.source, at, 'expected an exec plugin or an auth-provider, found both'); // validation.go
  const base = (): Credentials => ({ headers: { ...impersonation }, ...(static_ ? { cert: static_.cert, key: static_.key } : {}), cached: false });

  if (hasToken) {
    const token = bearerSource(user, now);
    return { credentials: async () => withHeader(base(), 'Authorization', `Bearer ${token()}`), invalidate: () => false };
  }
  if (hasBasic) {
    const basic = `Basic ${Buffer.from(`${user.username ?? ''}:${user.password ?? ''}`).toString('base64')}`;
    return { credentials: async () => withHeader(base(), 'Authorization', basic), invalidate: () => false };
  }
  if (user.authProvider) {
    const idToken = authProvider(user, now);
    return { credentials: async () => withHeader(base(), 'Authorization', `Bearer ${idToken()}`), invalidate: () => false };
  }
  if (user.exec && !static_) return execAuthenticator(sel, transport, { now, impersonation });
  return { credentials: async () => base(), invalidate: () => false };
}

function withHeader(c: Credentials, name: string, value: string): Credentials {
  c.headers[name] = value;
  return c;
}

/** client-go transport/token_source.go cachedFileTokenSource: the file is re-read once a minute. */
const TOKEN_FILE_PERIOD_MS = 60_000;

/**
 * `token` and/or `tokenFile` (the in-cluster service account too). With a tokenFile the file is the source of
 * truth, re-read every minute and trimmed; `token` is the fallback when it cannot be read
 * (round_trippers.go NewBearerAuthWithRefreshRoundTripper). A file that cannot be read at the start is an error.
 */
function bearerSource(user: KubeUser, now: () => number): () => string {
  const file = user.tokenFile;
  if (file === undefined) {
    const t = user.token!;
    return () => t;
  }
  const at = `user "${user.name}".tokenFile`;
  const read = (): string => {
    const tok = readField(user.source, at, file).toString('utf8').trim();
    if (tok === '') throw fieldError(user.source, at, `expected a token in "${file}", found an empty file`); // token_source.go: "read empty token from file"
    return tok;
  };
  let current: string;
  try {
    current = read();
  } catch (e) {
    if (user.token === undefined) throw e;
    current = user.token;
  }
  let readAt = now();
  return () => {
    if (now() - readAt >= TOKEN_FILE_PERIOD_MS) {
      readAt = now();
      try {
        current = read();
      } catch {
        // token_source.go: on a failed refresh the last token is used.
      }
    }
    return current;
  };
}

/** client-go oidc.go expiryDelta: a token that expires within 10 s counts as expired. */
const OIDC_EXPIRY_DELTA_MS = 10_000;

/**
 * auth-provider: `oidc` as a static id-token only (client-go plugin/pkg/client/auth/oidc/oidc.go). Refreshing
 * it needs the identity provider (refresh-token, client secret, discovery): not done here; an expired token is
 * an error that points at an exec plugin. The gcp and azure providers were removed from client-go (1.26):
 * their exec plugin replacements are named.
 */
function authProvider(user: KubeUser, now: () => number): () => string {
  const ap = user.authProvider!;
  const at = `user "${user.name}".auth-provider`;
  if (ap.name === 'gcp') throw fieldError(user.source, at, 'the gcp auth-provider was removed from client-go (Kubernetes 1.26) and is not supported; use the exec plugin gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin, then gcloud container clusters get-credentials)');
  if (ap.name === 'azure') throw fieldError(user.source, at, 'the azure auth-provider was removed from client-go (Kubernetes 1.26) and is not supported; use the exec plugin kubelogin (kubelogin convert-kubeconfig)');
  if (ap.name !== 'oidc') throw fieldError(user.source, at, `the auth-provider "${ap.name}" is not supported; use an exec credential plugin (users[].user.exec)`);
  // oidc.go newOIDCAuthProvider: "Must provide idp-issuer-url" / "Must provide client-id".
  for (const k of ['idp-issuer-url', 'client-id']) {
    if (!ap.config[k]) throw fieldError(user.source, `${at}.config.${k}`, 'expected a value (client-go requires it for the oidc auth-provider), found none');
  }
  const token = ap.config['id-token'] ?? '';
  const exp = token === '' ? undefined : jwtExpiry(token, () => fieldError(user.source, `${at}.config.id-token`, 'expected a JWT (three base64url parts with a JSON payload), found something else'));
  const refresh = `gwe does not refresh OIDC tokens with the identity provider; log in again to get a fresh id-token, or better use an exec plugin such as kubelogin (kubectl oidc-login, https://github.com/int128/kubelogin), which refreshes it`;
  return () => {
    if (token === '') throw new Error(`user "${user.name}" (kubeconfig "${user.source}"): the oidc auth-provider has no id-token and would need a refresh; ${refresh}`);
    // oidc.go idTokenExpired: valid while now + 10 s is before exp; a token without exp counts as expired.
    if (exp === undefined || now() + OIDC_EXPIRY_DELTA_MS >= exp) {
      const when = exp === undefined ? 'has no exp claim (client-go treats it as expired)' : `expired at ${new Date(exp).toISOString()}`;
      throw new Error(`user "${user.name}" (kubeconfig "${user.source}"): the oidc auth-provider's id-token ${when} and would need a refresh; ${refresh}`);
    }
    return token;
  };
}

/** The `exp` claim of a JWT in ms, undefined when absent; `bad()` for a value that is not a JWT. The signature is the server's to check. */
export function jwtExpiry(token: string, bad: () => Error): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+={0,2}$/.test(parts[1]!)) throw bad();
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw bad();
  const exp = (claims as Record<string, unknown>)['exp'];
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
}
