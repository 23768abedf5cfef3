import { BlockList, isIP, isIPv4 } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * Which proxy (if any) carries the connection to the API server, as client-go decides it:
 * - a kubeconfig `proxy-url` always wins (rest/transport.go: `http.ProxyURL(u)`: every request, loopback too);
 * - else the environment, through `utilnet.NewProxierWithNoProxyCIDR(http.ProxyFromEnvironment)`
 *   (client-go transport/cache.go), i.e. the rules of Go's golang.org/x/net/http/httpproxy (proxy.go),
 *   which this file follows line by line: HTTPS_PROXY/https_proxy for https:// servers, HTTP_PROXY/http_proxy
 *   for http:// servers (the upper-case name first, the first non-empty value wins: getEnvAny), a value
 *   without a scheme means http:// (parseProxy), NO_PROXY/no_proxy (config.init, useProxy) and never a proxy
 *   for "localhost" or a loopback IP.
 * Supported proxy schemes are Go's (net/http transport.go: http, https, socks5, socks5h); socks4 and anything
 * else is refused with a clear message rather than a silent direct connection.
 * A proxy URL may carry user:password: it is only ever shown through redactProxyUrl.
 */

export type Env = Record<string, string | undefined>;

/** Where the proxy came from, for --verbose and error messages. */
export type ProxySource = 'proxy-url' | 'HTTPS_PROXY' | 'https_proxy' | 'HTTP_PROXY' | 'http_proxy';

export interface ProxyRoute {
  url: URL;
  source: ProxySource;
}

/** A proxy setting we cannot use; the message never holds the proxy's credentials. */
export class ProxyConfigError extends Error {}

const SCHEMES = new Set(['http:', 'https:', 'socks5:', 'socks5h:']);

/**
 * A proxy URL without its credentials, for anything a user or a bundle may see. Go's URL.Redacted keeps the
 * user name and writes "xxxxx" for the password; we hide the whole user-info (a user name can be a token).
 * Works on strings that do not parse as URLs too (an invalid value is quoted in the error).
 */
export function redactProxyUrl(u: URL | string): string {
  if (typeof u !== 'string') {
    if (u.username === '' && u.password === '') return u.href;
    const c = new URL(u.href);
    c.username = 'xxxxx';
    c.password = '';
    return c.href;
  }
  // scheme://userinfo@host or userinfo@host: everything before the last "@" of the authority is user-info.
  return u.replace(/^((?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/)?([^/?#]*)@/, (_m, scheme: string | undefined) => `${scheme ?? ''}xxxxx@`);
}

/** "URL (from $HTTPS_PROXY)" or "URL (from the kubeconfig proxy-url)", credentials redacted: for --verbose and errors. */
export function proxyLabel(url: URL, source: ProxySource | undefined): string {
  return `${redactProxyUrl(url)} (from ${source === 'proxy-url' ? 'the kubeconfig proxy-url' : `$${source}`})`;
}

/** Checks a proxy URL's scheme and shape; `where` names the setting (kubeconfig field or variable). */
export function checkProxyUrl(u: URL, where: string): URL {
  if (u.protocol === 'socks4:' || u.protocol === 'socks4a:' || u.protocol === 'socks:') {
    throw new ProxyConfigError(`${where}: a ${u.protocol.slice(0, -1)} proxy is not supported (client-go does not support it either); use socks5://, socks5h://, http:// or https://`);
  }
  if (!SCHEMES.has(u.protocol)) throw new ProxyConfigError(`${where}: expected an http://, https://, socks5:// or socks5h:// proxy URL, found "${u.protocol}"`);
  if (u.hostname === '') throw new ProxyConfigError(`${where}: expected a proxy host, found none in "${redactProxyUrl(u)}"`);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.hash !== '') {
    throw new ProxyConfigError(`${where}: a proxy URL with a path, query or fragment is not supported; expected scheme://[user:password@]host:port`);
  }
  return u;
}

/** The first non-empty value of the names (httpproxy getEnvAny), with the name it came from. */
function getEnvAny<N extends string>(env: Env, ...names: N[]): { name: N; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/**
 * httpproxy parseProxy: a value that does not parse as a URL with a scheme and a host is tried again as
 * "http://" + value ("cache.corp.example.com:1234" means http://cache.corp.example.com:1234).
 */
export function parseEnvProxy(value: string, name: string): URL {
  let u: URL | undefined;
  try {
    u = new URL(value);
  } catch {
    u = undefined;
  }
  // WHATWG parses "host:1234" as scheme "host:" with an opaque path: like Go's url.Parse it has no host.
  if (u === undefined || u.host === '' || !value.includes('://')) {
    try {
      u = new URL(`http://${value}`);
    } catch {
      throw new ProxyConfigError(`$${name}: expected a proxy URL such as http://proxy.example.com:3128, found "${redactProxyUrl(value)}"`);
    }
  }
  return checkProxyUrl(u, `$${name}`);
}

/** Default ports for canonicalAddr (httpproxy proxy.go portMap). */
const PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080' };

interface Matcher {
  match(host: string, port: string, ip: string | undefined): boolean;
}

/**
 * NO_PROXY as httpproxy config.init parses it: comma-separated, trimmed, lower-cased entries;
 * "*" matches everything; an IP or CIDR (IPv4/IPv6) matches IP hosts; "host:port" / "[v6]:port" entries match
 * that port only; a domain "example.com" matches it and its subdomains, ".example.com" (or "*.example.com")
 * only its subdomains. Entries with no host part are ignored.
 */
export function noProxyMatchers(noProxy: string): { ip: Matcher[]; domain: Matcher[] } {
  const ip: Matcher[] = [];
  const domain: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') {
      const all: Matcher = { match: () => true };
      return { ip: [all], domain: [all] };
    }
    const cidr = parseCidr(p);
    if (cidr) {
      ip.push({
        match: (_h, _p, addr) => {
          if (addr === undefined) return false;
          const c = canonicalIp(addr);
          return cidr.check(c, isIPv4(c) ? 'ipv4' : 'ipv6');
        },
      });
      continue;
    }
    let phost: string;
    let pport = '';
    const hp = splitHostPort(p);
    if (hp) {
      if (hp.host === '') continue; // no host part: malformed, ignored
      phost = hp.host.startsWith('[') && hp.host.endsWith(']') ? hp.host.slice(1, -1) : hp.host;
      pport = hp.port;
    } else {
      phost = p;
    }
    if (isIP(phost) !== 0) {
      const want = canonicalIp(phost);
      const port = pport;
      ip.push({ match: (_h, hostPort, addr) => addr !== undefined && canonicalIp(addr) === want && (port === '' || port === hostPort) });
      continue;
    }
    if (phost === '') continue;
    if (phost.startsWith('*.')) phost = phost.slice(1);
    let matchHost = false;
    if (!phost.startsWith('.')) {
      matchHost = true;
      phost = `.${phost}`;
    }
    const ascii = domainToASCII(phost.slice(1));
    if (ascii !== '') phost = `.${ascii}`;
    const suffix = phost;
    const port = pport;
    domain.push({ match: (host, hostPort) => (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) && (port === '' || port === hostPort) });
  }
  return { ip, domain };
}

/**
 * httpproxy useProxy: false when the host ("localhost", a loopback IP, or a NO_PROXY match) must be reached
 * directly. `host` is the URL hostname (IPv6 with or without brackets), `port` the effective port.
 */
export function useProxy(host: string, port: string, noProxy: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === '') return true;
  if (h === 'localhost') return false;
  const ip = isIP(h) !== 0 ? h : undefined;
  if (ip !== undefined && isLoopback(ip)) return false;
  const name = h.trim().toLowerCase();
  const m = noProxyMatchers(noProxy);
  if (ip !== undefined && m.ip.some((x) => x.match(name, port, ip))) return false;
  return !m.domain.some((x) => x.match(name, port, ip));
}

/**
 * The proxy for a connection to `server`: the kubeconfig proxy-url when given, else the environment's
 * (undefined: connect directly). Throws ProxyConfigError for a setting that cannot be used.
 */
export function proxyFor(server: URL, env: Env): ProxyRoute | undefined {
  let chosen: { name: ProxySource; value: string } | undefined;
  if (server.protocol === 'https:') chosen = getEnvAny(env, 'HTTPS_PROXY', 'https_proxy');
  else if (server.protocol === 'http:') {
    chosen = getEnvAny(env, 'HTTP_PROXY', 'http_proxy');
    // httpproxy proxyForURL, golang.org/issue/16405 ("httpoxy"): in a CGI environment HTTP_PROXY may be set by
    // the client's "Proxy:" request header, so it is refused.
    if (chosen && env['REQUEST_METHOD'] !== undefined && env['REQUEST_METHOD'] !== '') {
      throw new ProxyConfigError(`refusing to use $${chosen.name} in a CGI environment (REQUEST_METHOD is set; see golang.org/issue/16405)`);
    }
  }
  if (!chosen) return undefined;
  const port = server.port !== '' ? server.port : (PORTS[server.protocol] ?? '');
  const noProxy = getEnvAny(env, 'NO_PROXY', 'no_proxy')?.value ?? '';
  if (!useProxy(server.hostname, port, noProxy)) return undefined;
  // Go drops a value that does not parse even with "http://" prepended (config.init) and connects directly;
  // an audit capture must not silently bypass the proxy its user set, so that is an error here.
  return { url: parseEnvProxy(chosen.value, chosen.name), source: chosen.name };
}

function isLoopback(ip: string): boolean {
  const c = canonicalIp(ip);
  if (isIPv4(c)) return c.startsWith('127.');
  return c === expandV6('::1');
}

/** IPv4-mapped IPv6 as IPv4 (Go's net.IP.Equal and IsLoopback treat them alike), IPv6 lower-cased and expanded. */
function canonicalIp(ip: string): string {
  if (isIPv4(ip)) return ip;
  const v6 = expandV6(ip);
  const m = /^0:0:0:0:0:ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!m) return v6;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function expandV6(ip: string): string {
  let s = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const n = v4.slice(1).map(Number);
    s = s.slice(0, v4.index) + `${((n[0]! << 8) | n[1]!).toString(16)}:${((n[2]! << 8) | n[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** net.ParseCIDR: "10.0.0.0/8", "2001:db8::/32". */
function parseCidr(p: string): BlockList | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(p);
  if (!m) return undefined;
  const addr = m[1]!;
  const bits = Number(m[2]);
  const family = isIP(addr);
  if (family === 0 || bits > (family === 4 ? 32 : 128)) return undefined;
  const list = new BlockList();
  const c = canonicalIp(addr);
  // An IPv4-mapped IPv6 prefix is an IPv4 one (Go's ParseCIDR stores both as 16-byte IPs).
  if (family === 6 && isIPv4(c)) {
    if (bits < 96) list.addSubnet(addr, bits, 'ipv6');
    else list.addSubnet(c, bits - 96, 'ipv4');
  } else list.addSubnet(addr, bits, family === 4 ? 'ipv4' : 'ipv6');
  return list;
}

/** net.SplitHostPort: "host:port" or "[v6]:port" (a bare IPv6 has too many colons and is not split). */
function splitHostPort(p: string): { host: string; port: string } | undefined {
  if (p.startsWith('[')) {
    const m = /^\[([^\]]*)\]:([^:]*)$/.exec(p);
    return m ? { host: `[${m[1]}]`, port: m[2]! } : undefined;
  }
  const i = p.lastIndexOf(':');
  if (i < 0 || p.indexOf(':') !== i) return undefined;
  return { host: p.slice(0, i), port: p.slice(i + 1) };
}
