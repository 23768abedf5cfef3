/**
 * Per-rule validation of HTTPRoute / GRPCRoute rules (route parent `Accepted=False/UnsupportedValue` or
 * `IncompatibleFilters`, `PartiallyInvalid=True/UnsupportedValue`), Service appProtocol support
 * (`ResolvedRefs=False/UnsupportedProtocol`) and the HTTP match precedence used to order the routing table.
 * Pure helpers over parsed YAML/JSON; see docs/resolution.md for the choices.
 */
import { RE2JS } from 're2js';
import { compareStrings } from '../model/object.ts';
import type { RouteKind } from './context.ts';

export interface RuleProblem {
  reason: 'UnsupportedValue' | 'IncompatibleFilters';
  message: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const PATH_TYPES = new Set(['Exact', 'PathPrefix', 'RegularExpression']);
const VALUE_MATCH_TYPES = new Set(['Exact', 'RegularExpression']);
const REDIRECT_SCHEMES = new Set(['http', 'https']);
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const PATH_MODIFIER_TYPES = new Set(['ReplaceFullPath', 'ReplacePrefixMatch']);

/**
 * Filter types this implementation carries out, per route kind, with the spec field that holds each filter's
 * config (HTTPRouteFilter / GRPCRouteFilter in httproute_types.go / grpcroute_types.go). CORS (Extended,
 * HTTPRoute only: HTTPCORSFilter) is supported and its config validated (checkCors). ExtensionRef and ExternalAuth
 * (experimental) are not supported: no extension kinds exist offline.
 */
const FILTER_FIELDS: Record<'HTTPRoute' | 'GRPCRoute', Record<string, string>> = {
  HTTPRoute: {
    RequestHeaderModifier: 'requestHeaderModifier',
    ResponseHeaderModifier: 'responseHeaderModifier',
    RequestMirror: 'requestMirror',
    RequestRedirect: 'requestRedirect',
    URLRewrite: 'urlRewrite',
    CORS: 'cors',
  },
  GRPCRoute: {
    RequestHeaderModifier: 'requestHeaderModifier',
    ResponseHeaderModifier: 'responseHeaderModifier',
    RequestMirror: 'requestMirror',
  },
};
/** Filter types that may appear at most once in one filter list (CEL on HTTPRouteRule/GRPCRouteRule.Filters). */
const ONCE = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'CORS', 'ExternalAuth']);

/** HTTPHeaderName (shared_types.go): an RFC 7230 token. */
const HEADER_NAME_RE = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/**
 * HTTPHeader.Value (experimental CRD pattern `^[!-~]+([\t ]?[!-~]+)*$`, RFC 7230 field-value): visible ASCII,
 * single spaces/tabs only between visible characters, not empty. Written without nested quantifiers so that it
 * runs in linear time on hostile input (the CRD form backtracks exponentially in JavaScript's engine).
 */
const HEADER_VALUE_RE = /^[!-~](?:[!-~]|[\t ](?=[!-~]))*$/;
const HEADER_VALUE_MAX = 4096;
const HEADER_NAME_MAX = 256;

/** HTTPCORSFilter.AllowOrigins item (CORSOrigin pattern): `*`, or scheme://host[:port] where host may hold `*`. */
const CORS_ORIGIN_RE = /^(\*|[a-zA-Z][a-zA-Z0-9+\-.]+:\/\/[^:/?#]+(:[0-9]{1,5})?)$/;
const CORS_METHODS = new Set([...HTTP_METHODS, '*']);
const CORS_LIST_MAX = 64;

/**
 * HTTPCORSFilter (httproute_types.go; the CRD's OpenAPI and CEL rules, which a hand-written bundle may break):
 * allowOrigins items CORSOrigin (at most 64, each at most 253 characters), allowMethods from the HTTP method enum or
 * `*` alone (at most 9, no duplicates), allowHeaders/exposeHeaders header names (RFC 7230 tokens, at most 64, `*`
 * alone), allowCredentials a boolean, maxAge an integer >= 1. Anything else: UnsupportedValue.
 */
function checkCors(cfg: Obj, where: string): RuleProblem | undefined {
  const bad = (message: string): RuleProblem => ({ reason: 'UnsupportedValue', message: `${where}: ${message}` });
  const list = (field: string): unknown[] | RuleProblem => {
    const v = cfg[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return bad(`cors.${field} is not a list`);
    if (v.length > CORS_LIST_MAX) return bad(`cors.${field} has ${v.length} entries, at most ${CORS_LIST_MAX} are allowed`);
    return v;
  };
  const origins = list('allowOrigins');
  if (!Array.isArray(origins)) return origins;
  for (const [i, o] of origins.entries()) {
    if (typeof o !== 'string' || o.length > 253 || !CORS_ORIGIN_RE.test(o)) return bad(`cors.allowOrigins[${i}] ${JSON.stringify(o ?? null)} is not "*" or an origin scheme://host[:port]`);
  }
  const methods = list('allowMethods');
  if (!Array.isArray(methods)) return methods;
  for (const [i, m] of methods.entries()) {
    if (typeof m !== 'string' || !CORS_METHODS.has(m)) return bad(`cors.allowMethods[${i}] ${JSON.stringify(m ?? null)} is not an HTTP method or "*"`);
  }
  if (new Set(methods).size !== methods.length) return bad('cors.allowMethods lists a method more than once');
  if (methods.includes('*') && methods.length > 1) return bad('cors.allowMethods cannot contain "*" alongside other methods');
  for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
    const headers = list(field);
    if (!Array.isArray(headers)) return headers;
    for (const [i, h] of headers.entries()) {
      if (typeof h !== 'string' || h.length > HEADER_NAME_MAX || !HEADER_NAME_RE.test(h)) return bad(`cors.${field}[${i}] ${JSON.stringify(h ?? null)} is not an HTTP header name`);
    }
    const lower = headers.map((h) => (h as string).toLowerCase());
    if (new Set(lower).size !== lower.length) return bad(`cors.${field} lists a header more than once`);
    if (headers.includes('*') && headers.length > 1) return bad(`cors.${field} cannot contain "*" alongside other headers`);
  }
  if (cfg['allowCredentials'] !== undefined && typeof cfg['allowCredentials'] !== 'boolean') return bad(`cors.allowCredentials ${JSON.stringify(cfg['allowCredentials'])} is not a boolean`);
  const maxAge = cfg['maxAge'];
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 1 || maxAge > 2147483647)) return bad(`cors.maxAge ${JSON.stringify(maxAge)} is not an integer >= 1 (seconds)`);
  return undefined;
}

/** RequestHeaderModifier / ResponseHeaderModifier (HTTPHeaderFilter): set/add names and values, remove names. */
function checkHeaderFilter(cfg: Obj, where: string): RuleProblem | undefined {
  for (const op of ['set', 'add'] as const) {
    for (const [i, h] of arr(cfg[op]).entries()) {
      const name = h?.['name'];
      const value = h?.['value'];
      if (typeof name !== 'string' || name.length > HEADER_NAME_MAX || !HEADER_NAME_RE.test(name)) {
        return { reason: 'UnsupportedValue', message: `${where}: ${op}[${i}].name ${JSON.stringify(name ?? null)} is not an HTTP header name (RFC 7230 token)` };
      }
      if (typeof value !== 'string' || value.length > HEADER_VALUE_MAX || !HEADER_VALUE_RE.test(value)) {
        return { reason: 'UnsupportedValue', message: `${where}: ${op}[${i}] header ${name} value ${JSON.stringify(value ?? null)} is not an RFC 7230 field value (visible ASCII, single spaces or tabs between, not empty; no CR, LF or other control characters)` };
      }
    }
  }
  for (const [i, name] of (Array.isArray(cfg['remove']) ? (cfg['remove'] as unknown[]) : []).entries()) {
    if (typeof name !== 'string' || name.length > HEADER_NAME_MAX || !HEADER_NAME_RE.test(name)) {
      return { reason: 'UnsupportedValue', message: `${where}: remove[${i}] ${JSON.stringify(name ?? null)} is not an HTTP header name (RFC 7230 token)` };
    }
  }
  return undefined;
}

/**
 * RegularExpression matches: the documented dialect is RE2 (what the Envoy-based controllers use; the Gateway API
 * leaves the dialect to the implementation). Patterns are compiled with re2js, a port of RE2 (not JavaScript's
 * RegExp, whose dialect accepts lookaround and backreferences that RE2 rejects). A pattern that does not compile
 * makes the rule invalid (UnsupportedValue). Results are memoised per pattern (bounded), so one pattern repeated
 * across many routes compiles once.
 */
const REGEX_MAX = 4096;
const regexCache = new Map<string, string | undefined>();

export function re2Problem(pattern: string): string | undefined {
  if (pattern.length > REGEX_MAX) return `is longer than ${REGEX_MAX} characters`;
  if (regexCache.has(pattern)) return regexCache.get(pattern);
  let problem: string | undefined;
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    problem = `is not a valid RE2 regular expression (${e instanceof Error ? e.message : String(e)})`;
  }
  if (regexCache.size >= 10000) regexCache.clear();
  regexCache.set(pattern, problem);
  return problem;
}

function regexMatchProblem(value: unknown, what: string, where: string): RuleProblem | undefined {
  if (typeof value !== 'string') return { reason: 'UnsupportedValue', message: `${where}: ${what} RegularExpression value is missing` };
  const p = re2Problem(value);
  return p ? { reason: 'UnsupportedValue', message: `${where}: ${what} RegularExpression ${JSON.stringify(value)} ${p}` } : undefined;
}

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

function typeOf(v: unknown, def: string): string {
  return typeof v === 'string' ? v : def;
}

/** A filter list (rule-level or backendRef-level). */
function checkFilters(kind: 'HTTPRoute' | 'GRPCRoute', filters: Obj[], where: string): RuleProblem | undefined {
  const seen = new Set<string>();
  for (const f of filters) {
    const type = typeOf(f?.['type'], '');
    const field = FILTER_FIELDS[kind][type];
    // HTTPRouteFilter.Type: "Unknown values here must result in the implementation setting the Accepted
    // Condition for the Route to status: False, with a Reason of UnsupportedValue."
    if (field === undefined) return { reason: 'UnsupportedValue', message: `${where}: filter type "${type}" is not supported by this implementation (supported: ${Object.keys(FILTER_FIELDS[kind]).join(', ')})` };
    const cfg = f?.[field];
    if (!cfg || typeof cfg !== 'object') return { reason: 'UnsupportedValue', message: `${where}: filter type ${type} needs field ${field}, which is missing` };
    // CEL on the filter lists: these types may appear once; RequestRedirect and URLRewrite exclude each other.
    if (ONCE.has(type) && seen.has(type)) return { reason: 'IncompatibleFilters', message: `${where}: filter type ${type} may appear only once, found it more than once` };
    seen.add(type);
    if ((type === 'RequestRedirect' && seen.has('URLRewrite')) || (type === 'URLRewrite' && seen.has('RequestRedirect'))) {
      return { reason: 'IncompatibleFilters', message: `${where}: RequestRedirect and URLRewrite cannot be used together` };
    }
    if (type === 'RequestRedirect') {
      if (cfg.scheme !== undefined && !REDIRECT_SCHEMES.has(cfg.scheme)) return { reason: 'UnsupportedValue', message: `${where}: requestRedirect.scheme "${String(cfg.scheme)}" is not http or https` };
      if (cfg.statusCode !== undefined && !REDIRECT_CODES.has(cfg.statusCode)) return { reason: 'UnsupportedValue', message: `${where}: requestRedirect.statusCode ${String(cfg.statusCode)} is not one of 301, 302, 303, 307, 308` };
    }
    if (type === 'CORS') {
      const cp = checkCors(cfg, where);
      if (cp) return cp;
    }
    if (type === 'RequestHeaderModifier' || type === 'ResponseHeaderModifier') {
      const hp = checkHeaderFilter(cfg, `${where} ${field}`);
      if (hp) return hp;
    }
    const pathMod = type === 'RequestRedirect' || type === 'URLRewrite' ? cfg.path : undefined;
    if (pathMod && typeof pathMod === 'object' && !PATH_MODIFIER_TYPES.has(typeOf(pathMod.type, ''))) {
      return { reason: 'UnsupportedValue', message: `${where}: ${field}.path.type "${typeOf(pathMod.type, '')}" is not ReplaceFullPath or ReplacePrefixMatch` };
    }
  }
  return undefined;
}

function checkHttpMatch(m: Obj, where: string): RuleProblem | undefined {
  const path = m?.['path'];
  if (path && typeof path === 'object') {
    const t = typeOf(path.type, 'PathPrefix');
    // HTTPPathMatch.Type enum Exact;PathPrefix;RegularExpression; an unknown value is UnsupportedValue (§6).
    if (!PATH_TYPES.has(t)) return { reason: 'UnsupportedValue', message: `${where}: path match type "${t}" is not Exact, PathPrefix or RegularExpression` };
    const v = typeOf(path.value, '/');
    if (t !== 'RegularExpression' && !v.startsWith('/')) return { reason: 'UnsupportedValue', message: `${where}: path value "${v}" must start with "/"` };
    if (t === 'RegularExpression') {
      const rp = regexMatchProblem(path.value ?? '/', 'path', where);
      if (rp) return rp;
    }
  }
  for (const [field, list] of [['headers', m?.['headers']], ['queryParams', m?.['queryParams']]] as const) {
    for (const h of arr(list)) {
      const t = typeOf(h?.['type'], 'Exact');
      if (!VALUE_MATCH_TYPES.has(t)) return { reason: 'UnsupportedValue', message: `${where}: ${field} match type "${t}" is not Exact or RegularExpression` };
      if (t === 'RegularExpression') {
        const rp = regexMatchProblem(h?.['value'], `${field} ${String(h?.['name'] ?? '')}`, where);
        if (rp) return rp;
      }
    }
  }
  const method = m?.['method'];
  if (method !== undefined && !HTTP_METHODS.has(method)) return { reason: 'UnsupportedValue', message: `${where}: method "${String(method)}" is not an HTTP method the API allows` };
  return undefined;
}

function checkGrpcMatch(m: Obj, where: string): RuleProblem | undefined {
  const method = m?.['method'];
  if (method && typeof method === 'object') {
    const t = typeOf(method.type, 'Exact');
    if (!VALUE_MATCH_TYPES.has(t)) return { reason: 'UnsupportedValue', message: `${where}: method match type "${t}" is not Exact or RegularExpression` };
    if (t === 'RegularExpression') {
      // GRPCMethodMatch: service and method are each a regular expression when type is RegularExpression.
      for (const field of ['service', 'method'] as const) {
        if (method[field] === undefined) continue;
        const rp = regexMatchProblem(method[field], `method.${field}`, where);
        if (rp) return rp;
      }
    }
  }
  for (const h of arr(m?.['headers'])) {
    const t = typeOf(h?.['type'], 'Exact');
    if (!VALUE_MATCH_TYPES.has(t)) return { reason: 'UnsupportedValue', message: `${where}: header match type "${t}" is not Exact or RegularExpression` };
    if (t === 'RegularExpression') {
      const rp = regexMatchProblem(h?.['value'], `header ${String(h?.['name'] ?? '')}`, where);
      if (rp) return rp;
    }
  }
  return undefined;
}

/**
 * The first problem of one rule (matches, then rule filters, then backendRef filters), or undefined when the
 * implementation can carry the rule out. Only HTTPRoute and GRPCRoute rules have matches/filters.
 */
export function validateRule(kind: RouteKind, rule: Obj, index: number): RuleProblem | undefined {
  if (kind !== 'HTTPRoute' && kind !== 'GRPCRoute') return undefined;
  const where = `rule ${index}`;
  for (const [i, m] of arr(rule['matches']).entries()) {
    const p = kind === 'HTTPRoute' ? checkHttpMatch(m, `${where} match ${i}`) : checkGrpcMatch(m, `${where} match ${i}`);
    if (p) return p;
  }
  const p = checkFilters(kind, arr(rule['filters']), where);
  if (p) return p;
  for (const [i, b] of arr(rule['backendRefs']).entries()) {
    const bp = checkFilters(kind, arr(b?.['filters']), `${where} backendRef ${i}`);
    if (bp) return bp;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Service appProtocol (GEP-1911, BackendRef doc in shared_types.go: an appProtocol the implementation cannot use
// gives ResolvedRefs=False/UnsupportedProtocol).

/** Service port appProtocols usable per route kind; an unset appProtocol is always usable. */
export const SUPPORTED_APP_PROTOCOLS: Readonly<Record<'HTTPRoute' | 'GRPCRoute', readonly string[]>> = Object.freeze({
  HTTPRoute: Object.freeze(['http', 'https', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']),
  // gRPC needs HTTP/2: cleartext h2c, or TLS (ALPN h2) to the backend.
  GRPCRoute: Object.freeze(['https', 'kubernetes.io/h2c']),
});

/** The reason text when `appProtocol` cannot be used by a `kind` route, else undefined. L4/TLS routes ignore it. */
export function appProtocolProblem(kind: RouteKind, appProtocol: string | undefined): string | undefined {
  if (appProtocol === undefined || (kind !== 'HTTPRoute' && kind !== 'GRPCRoute')) return undefined;
  const ok = SUPPORTED_APP_PROTOCOLS[kind];
  return ok.includes(appProtocol) ? undefined : `appProtocol "${appProtocol}" cannot be used by a ${kind} (supported: ${ok.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP match precedence (httproute_types.go HTTPRouteRule.Matches; digest §6 "Route precedence"):
// exact path > longest prefix > method > most header matches > most query matches, then the oldest route,
// then namespace/name. A route is ranked by its most specific match over its valid rules.

/** Lexicographic, higher wins: [path kind (Exact 3, PathPrefix 2, RegularExpression 1), path length, method, headers, query]. */
export type MatchKey = [number, number, number, number, number];

const ZERO: MatchKey = [0, 0, 0, 0, 0];

function httpMatchKey(m: Obj): MatchKey {
  const path = m?.['path'];
  const t = typeOf(path?.type, 'PathPrefix');
  const v = typeOf(path?.value, '/');
  const rank = t === 'Exact' ? 3 : t === 'PathPrefix' ? 2 : 1;
  return [rank, rank === 1 ? 0 : v.length, m?.['method'] !== undefined ? 1 : 0, arr(m?.['headers']).length, arr(m?.['queryParams']).length];
}

/** GRPCRoute: service+method > one of them (longer names first) > none; then header matches. */
function grpcMatchKey(m: Obj): MatchKey {
  const method = m?.['method'];
  const svc = typeOf(method?.service, '');
  const name = typeOf(method?.method, '');
  const exact = typeOf(method?.type, 'Exact') === 'Exact';
  const rank = (svc !== '' ? 1 : 0) + (name !== '' ? 1 : 0) + (exact && (svc !== '' || name !== '') ? 1 : 0);
  return [rank, svc.length + name.length, 0, arr(m?.['headers']).length, 0];
}

export function compareKeys(a: MatchKey, b: MatchKey): number {
  for (let i = 0; i < 5; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

/** The most specific match of the given rules (a rule without matches matches every request: PathPrefix "/"). */
export function routeMatchKey(kind: string, rules: readonly { matches: unknown[] }[]): MatchKey {
  if (kind !== 'HTTPRoute' && kind !== 'GRPCRoute') return ZERO;
  let best: MatchKey | undefined;
  for (const r of rules) {
    const ms = r.matches.length > 0 ? (r.matches as Obj[]) : [kind === 'HTTPRoute' ? { path: { type: 'PathPrefix', value: '/' } } : {}];
    for (const m of ms) {
      const k = kind === 'HTTPRoute' ? httpMatchKey(m) : grpcMatchKey(m);
      if (!best || compareKeys(k, best) < 0) best = k;
    }
  }
  return best ?? ZERO;
}

/** Total order of routes sharing a hostname: match key, then oldest creationTimestamp (missing last), then namespace/name, then kind. */
export function comparePrecedence(
  a: { key: MatchKey; creationTimestamp: string; namespace: string; name: string; kind: string },
  b: { key: MatchKey; creationTimestamp: string; namespace: string; name: string; kind: string },
): number {
  return (
    compareKeys(a.key, b.key) ||
    compareStrings(a.creationTimestamp || '\uffff', b.creationTimestamp || '\uffff') ||
    compareStrings(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`) ||
    compareStrings(a.kind, b.kind)
  );
}
