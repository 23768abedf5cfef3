/**
 * Exposure policy evaluation: `evaluatePolicy(input, policy) -> Finding[]`. Pure: data in, findings out.
 * Every finding names the rule (detail.rule), the objects (detail.objects) and, where there is one, the evidence
 * path listener -> hostname -> route -> rule -> backend (detail.path).
 */
import { auditPolicyFindings } from '../audit/checks.ts';
import type { Capture } from '../model/collection.ts';
import { sortFindings, type Finding, type Severity } from '../model/finding.ts';

// Re-exported for the policy module's callers; the order itself lives in model/finding.ts.
export { sortFindings };
import { compareStrings, refKey, type KubeObject } from '../model/object.ts';
import type { CertificateBlock, ReducedSecret } from '../model/snapshot.ts';
import type { Resolution, RoutingCertificate, RoutingEntry } from '../resolve/types.ts';
import {
  backendKey,
  backendLabel,
  classificationFindings,
  exposurePaths,
  gatewayObject,
  listenerLabel,
  listenerSelected,
  objectIndex,
  pathDetail,
  pathLabel,
  routeLabel,
  type ExposurePath,
} from './exposure.ts';
import { globMatch, hostnamesIntersect } from './match.ts';
import type {
  AttachmentRule,
  CertificateExpiryRule,
  CrossNamespaceEndpoint,
  CrossNamespaceRule,
  HostnameNamespacesRule,
  ListenerSelector,
  Policy,
  ServiceExposureRule,
  RequirePoliciesRule,
  SignersRule,
  TlsRequiredRule,
} from './types.ts';
import type { PolicyCoverage } from '../resolve/types.ts';
import { rfc3339Ms } from '../model/time.ts';

// --- require-policies: routes to the selected service types from the selected listeners need an adjacent policy
/** The policies covering a path: the listener's Inherited ones, the rule's, the backend's (docs/policy-attachment.md). */
export function pathCoverage(p: ExposurePath): PolicyCoverage[] {
  return [...(p.entry.policies ?? []).filter((c) => c.inherited), ...(p.rule.policies ?? []), ...(p.backend.policies ?? [])];
}

function coverageSatisfies(c: PolicyCoverage, rule: RequirePoliciesRule): boolean {
  if ((rule.kinds ?? []).some((k) => k === c.kind || k === `${c.kind}.${c.group}`)) return true;
  return (rule.categories ?? []).some((cat) => (c.categories as readonly string[]).includes(cat));
}

function requirePolicies(ctx: Ctx, rule: RequirePoliciesRule): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const wanted = [...(rule.categories ?? []).map((c) => `category ${c}`), ...(rule.kinds ?? []).map((k) => `kind ${k}`)].join(' or ');
  for (const p of ctx.paths) {
    if (!p.reachable) continue;
    if (!selected(ctx, rule.listeners, p.entry)) continue;
    if (rule.serviceTypes && !rule.serviceTypes.includes(p.classification.type)) continue;
    if (rule.hostnames && !rule.hostnames.some((h) => hostnamesIntersect(h, p.hostname))) continue;
    const cov = pathCoverage(p);
    if (cov.some((c) => coverageSatisfies(c, rule))) continue;
    const key = `${gatewayKey(p.entry)}|${p.entry.listener}|${p.hostname}|${routeKey(p.route)}|${p.rule.index}|${backendKey(p.backend)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const have = cov.length ? `covered only by ${[...new Set(cov.map((c) => `${c.kind} ${c.namespace}/${c.name} [${c.categories.join(', ')}]`))].join(', ')}` : 'covered by no adjacent policy';
    out.push(
      finding(
        rule,
        'POLICY_REQUIRED_POLICY_MISSING',
        routeKey(p.route),
        `${routeLabel(p.route)} serves hostname ${p.hostname} on ${listenerLabel(p.entry)} and reaches ${backendLabel(p.backend)} (${p.classification.type}); expected a policy of ${wanted} covering it, found it ${have} (attachment recorded; enforcement is the implementation's)`,
        [routeKey(p.route), backendKey(p.backend), gatewayKey(p.entry)],
        { path: pathLabel(p), evidence: pathDetail(p), missing: { categories: rule.categories ?? [], kinds: rule.kinds ?? [] }, coveredBy: cov.map((c) => `${c.kind} ${c.namespace}/${c.name}`) },
      ),
    );
  }
  return out;
}

// --- selectors that match nothing: a warning, never a silent pass (issue 12)
function unmatchedSelectors(ctx: Ctx): Finding[] {
  const out: Finding[] = [];
  const routing = ctx.input.resolution.routing;
  const warn = (id: string, pointer: string, message: string): Finding => ({
    code: 'POLICY_SELECTOR_MATCHES_NOTHING',
    severity: 'warning',
    subject: `policy ${pointer}`,
    message: `${id}: ${message}; the rule is checked against nothing`,
    detail: { rule: id, pointer },
  });
  (ctx.policy.public ?? []).forEach((sel, i) => {
    if (!routing.some((e) => selected(ctx, sel, e))) out.push(warn('public', `/public/${i}`, 'this public listener selector matches no listener in the capture'));
  });
  (ctx.policy.serviceTypes ?? []).forEach((r, i) => {
    if (!ctx.paths.some((p) => p.classification.source === 'policy' && p.classification.ruleIndex === i)) {
      out.push(warn(`serviceTypes[${i}] (${r.type})`, `/serviceTypes/${i}`, 'this classification rule matches no backend reached from a Gateway (or an earlier rule wins for each)'));
    }
  });
  ctx.policy.rules.forEach((r, i) => {
    if ('listeners' in r && r.listeners && !routing.some((e) => selected(ctx, r.listeners, e))) {
      out.push(warn(`policy rule ${r.id}`, `/rules/${i}/listeners`, 'the listener selector matches no listener in the capture'));
    }
    if ((r.type === 'tls-required' || r.type === 'require-policies') && r.serviceTypes) {
      const none = r.serviceTypes.filter((t) => !ctx.paths.some((p) => p.classification.type === t));
      if (none.length === r.serviceTypes.length) out.push(warn(`policy rule ${r.id}`, `/rules/${i}/serviceTypes`, `no backend reached from a Gateway has service type ${none.join(' or ')}`));
    }
  });
  return out;
}

/** What evaluatePolicy needs from a verification report: the signers whose signatures counted. */
export interface SignerEvidence {
  keyId: string;
  name?: string;
  role?: string;
  /** False when the signature did not verify or the key is not trusted; only counted signers satisfy a rule. */
  counted: boolean;
}

export interface PolicyInput {
  capture: Capture;
  resolution: Resolution;
  /** Present when the bundle's signatures were checked against a trust root. */
  verification?: { signers: SignerEvidence[] };
}

/**
 * What a caller that already built them can hand to evaluatePolicy (the report model does, issue 13): the
 * capture's `objectIndex` and `exposurePaths(capture, resolution, policy, index)` of the same input and policy.
 * Read only; evaluatePolicy gives the same findings as when it builds them itself.
 */
export interface PolicyPrecomputed {
  index: Map<string, KubeObject>;
  paths: ExposurePath[];
}

interface Ctx {
  input: PolicyInput;
  policy: Policy;
  index: Map<string, KubeObject>;
  paths: ExposurePath[];
  /** listenerSelected per selector and routing entry, computed once (paths share their entry). */
  selections: Map<ListenerSelector, Map<RoutingEntry, boolean>>;
  byEntry?: Map<RoutingEntry, ExposurePath[]>;
}

/** The paths of one routing entry, in path order (grouped once, not a scan of every path per entry). */
function pathsOf(ctx: Ctx, e: RoutingEntry): ExposurePath[] {
  if (!ctx.byEntry) {
    ctx.byEntry = new Map();
    for (const p of ctx.paths) {
      const list = ctx.byEntry.get(p.entry);
      if (list) list.push(p);
      else ctx.byEntry.set(p.entry, [p]);
    }
  }
  return ctx.byEntry.get(e) ?? [];
}

/** listenerSelected(sel, policy, e, its Gateway), once per (selector, routing entry): it depends on nothing else. */
function selected(ctx: Ctx, sel: ListenerSelector | undefined, e: RoutingEntry): boolean {
  if (!sel) return true;
  let m = ctx.selections.get(sel);
  if (!m) ctx.selections.set(sel, (m = new Map()));
  let v = m.get(e);
  if (v === undefined) {
    v = listenerSelected(sel, ctx.policy, e, gatewayObject(ctx.index, e));
    m.set(e, v);
  }
  return v;
}

function finding(
  rule: { id: string; severity?: Severity; type: string },
  code: string,
  subject: string,
  message: string,
  objects: string[],
  extra: Record<string, unknown> = {},
): Finding {
  return {
    code,
    severity: rule.severity ?? 'error',
    subject,
    message: `policy rule ${rule.id}: ${message}`,
    detail: { rule: rule.id, ruleType: rule.type, objects: [...new Set(objects)].sort(compareStrings), ...extra },
  };
}

function routeKey(r: { kind: string; namespace: string; name: string }): string {
  return refKey({ group: 'gateway.networking.k8s.io', kind: r.kind, namespace: r.namespace, name: r.name });
}

function gatewayKey(e: RoutingEntry): string {
  return refKey({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: e.gateway.namespace, name: e.gateway.name });
}

// --- attachment: which namespaces may attach routes to which Gateway/listener
function attachment(ctx: Ctx, rule: AttachmentRule): Finding[] {
  const out: Finding[] = [];
  for (const e of ctx.input.resolution.routing) {
    if (!selected(ctx, rule.listeners, e)) continue;
    const seen = new Set<string>();
    for (const h of e.hostnames) {
      for (const r of h.routes) {
        const k = routeKey(r);
        if (seen.has(k)) continue;
        seen.add(k);
        if (rule.allowNamespaces.some((n) => globMatch(n, r.namespace))) continue;
        out.push(
          finding(rule, 'POLICY_ATTACHMENT_NOT_ALLOWED', k, `${routeLabel(r)} is attached to ${listenerLabel(e)}; expected routes only from namespaces [${rule.allowNamespaces.join(', ')}], found namespace ${r.namespace}`, [k, gatewayKey(e)], {
            path: `${listenerLabel(e)} -> hostname ${h.hostname} -> ${routeLabel(r)}`,
            evidence: { gateway: `${e.gateway.namespace}/${e.gateway.name}`, listener: e.listener, hostname: h.hostname, route: routeLabel(r) },
          }),
        );
      }
    }
  }
  return out;
}

// --- service-exposure: which service types may be reached from which listeners
function serviceExposure(ctx: Ctx, rule: ServiceExposureRule): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const p of ctx.paths) {
    if (!p.reachable) continue;
    if (!selected(ctx, rule.listeners, p.entry)) continue;
    const t = p.classification.type;
    const denied = rule.denyServiceTypes?.includes(t) ?? false;
    const notAllowed = rule.allowServiceTypes ? !rule.allowServiceTypes.includes(t) : false;
    if (!denied && !notAllowed) continue;
    const key = `${gatewayKey(p.entry)}|${p.entry.listener}|${routeKey(p.route)}|${p.rule.index}|${backendKey(p.backend)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const expected = rule.allowServiceTypes ? `only service types [${rule.allowServiceTypes.join(', ')}]` : `no service type in [${rule.denyServiceTypes!.join(', ')}]`;
    out.push(
      finding(rule, 'POLICY_SERVICE_TYPE_NOT_ALLOWED', backendKey(p.backend), `${backendLabel(p.backend)} (${t}) is reachable from ${listenerLabel(p.entry)}; expected ${expected}`, [backendKey(p.backend), routeKey(p.route), gatewayKey(p.entry)], {
        path: pathLabel(p),
        evidence: pathDetail(p),
      }),
    );
  }
  return out;
}

function isTlsListener(e: RoutingEntry): boolean {
  const p = e.protocol.toUpperCase();
  return p === 'HTTPS' || p === 'TLS';
}

// --- tls-required: listeners serving given hostnames or service types must use TLS
function tlsRequired(ctx: Ctx, rule: TlsRequiredRule): Finding[] {
  const out: Finding[] = [];
  for (const e of ctx.input.resolution.routing) {
    if (isTlsListener(e)) continue;
    if (!selected(ctx, rule.listeners, e)) continue;
    const reasons: string[] = [];
    const objects = [gatewayKey(e)];
    const evidence: string[] = [];
    if (rule.hostnames) {
      for (const h of e.hostnames) {
        if (h.routes.length === 0) continue;
        const pat = rule.hostnames.find((p) => hostnamesIntersect(p, h.hostname));
        if (pat) {
          reasons.push(`serves hostname ${h.hostname} (matches ${pat})`);
          for (const r of h.routes) {
            objects.push(routeKey(r));
            evidence.push(`${listenerLabel(e)} -> hostname ${h.hostname} -> ${routeLabel(r)}`);
          }
        }
      }
    }
    if (rule.serviceTypes) {
      for (const p of pathsOf(ctx, e)) {
        if (!p.reachable || !rule.serviceTypes.includes(p.classification.type)) continue;
        reasons.push(`reaches ${backendLabel(p.backend)} (${p.classification.type})`);
        objects.push(routeKey(p.route), backendKey(p.backend));
        evidence.push(pathLabel(p));
      }
    }
    if (!rule.hostnames && !rule.serviceTypes && e.hostnames.some((h) => h.routes.length > 0)) reasons.push('serves routes');
    if (reasons.length === 0) continue;
    const uniq = [...new Set(reasons)];
    out.push(
      finding(rule, 'POLICY_TLS_REQUIRED', gatewayKey(e), `${listenerLabel(e)} ${uniq.join('; ')}; expected protocol HTTPS or TLS, found ${e.protocol}`, objects, {
        listener: e.listener,
        protocol: e.protocol,
        path: [...new Set(evidence)][0] ?? listenerLabel(e),
        paths: [...new Set(evidence)],
      }),
    );
  }
  return out;
}

interface CertUse {
  secret: string;
  cert: RoutingCertificate;
  position: number;
  users: string[];
}

function chainFromSecret(obj: KubeObject | undefined): RoutingCertificate[] {
  const meta = (obj as ReducedSecret | undefined)?.certificateMetadata;
  const block: CertificateBlock | undefined = meta?.['tls.crt'];
  if (!block || block.status !== 'valid') return [];
  return block.chain.map((c) => ({
    subject: c.subject,
    issuer: c.issuer,
    sha256Fingerprint: c.sha256Fingerprint,
    dnsNames: c.dnsNames,
    ipAddresses: c.ipAddresses,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    isCA: c.isCA,
  }));
}

/** Certificates used by listeners (leaf first), de-duplicated by secret + fingerprint/position. */
export function listenerCertificates(capture: Capture, resolution: Resolution, index = objectIndex(capture)): CertUse[] {
  const uses = new Map<string, CertUse>();
  for (const e of resolution.routing) {
    for (const ref of e.certificateRefs) {
      if (!ref.resolved) continue;
      const secretKey = refKey({ group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name });
      const chain = ref.chain.length > 0 ? ref.chain : chainFromSecret(index.get(secretKey));
      chain.forEach((cert, position) => {
        const k = `${secretKey}|${cert.sha256Fingerprint ?? position}`;
        const u = uses.get(k) ?? { secret: secretKey, cert, position, users: [] };
        const user = listenerLabel(e);
        if (!u.users.includes(user)) u.users.push(user);
        uses.set(k, u);
      });
    }
  }
  return [...uses.values()];
}

function allCertificates(capture: Capture): CertUse[] {
  const out: CertUse[] = [];
  for (const o of capture.snapshot.objects) {
    if (o.kind !== 'Secret' || o.apiVersion !== 'v1') continue;
    const key = refKey({ group: '', kind: 'Secret', namespace: o.metadata.namespace ?? '', name: o.metadata.name });
    chainFromSecret(o).forEach((cert, position) => out.push({ secret: key, cert, position, users: [] }));
  }
  return out;
}

const DAY_MS = 86_400_000;

// --- certificate-expiry: certificates must not expire within N days of capture
function certificateExpiry(ctx: Ctx, rule: CertificateExpiryRule): Finding[] {
  const captured = rfc3339Ms(ctx.input.capture.record.capturedAt) ?? NaN;
  const uses = rule.scope === 'all'
    ? (() => {
        const m = new Map<string, CertUse>();
        for (const u of [...listenerCertificates(ctx.input.capture, ctx.input.resolution, ctx.index), ...allCertificates(ctx.input.capture)]) {
          const k = `${u.secret}|${u.cert.sha256Fingerprint ?? u.position}`;
          if (!m.has(k)) m.set(k, u);
        }
        return [...m.values()];
      })()
    : listenerCertificates(ctx.input.capture, ctx.input.resolution, ctx.index);
  const out: Finding[] = [];
  for (const u of uses) {
    const notAfter = rfc3339Ms(u.cert.notAfter) ?? NaN;
    if (Number.isNaN(notAfter) || Number.isNaN(captured)) continue;
    const days = Math.floor((notAfter - captured) / DAY_MS);
    if (notAfter - captured >= rule.minDaysValid * DAY_MS) continue;
    const expired = notAfter <= captured;
    const what = `certificate ${u.cert.subject ?? u.cert.sha256Fingerprint ?? `#${u.position}`} in ${u.secret.replace(/^Secret\//, 'Secret ')}${u.position > 0 ? ` (chain position ${u.position})` : ''}`;
    out.push(
      finding(
        rule,
        expired ? 'POLICY_CERTIFICATE_EXPIRED' : 'POLICY_CERTIFICATE_EXPIRING',
        u.secret,
        expired
          ? `${what} expired ${-days} day(s) before capture (notAfter ${u.cert.notAfter}); expected at least ${rule.minDaysValid} days of validity`
          : `${what} expires ${days} day(s) after capture (notAfter ${u.cert.notAfter}); expected at least ${rule.minDaysValid} days`,
        [u.secret],
        {
          notAfter: u.cert.notAfter,
          daysRemaining: days,
          capturedAt: ctx.input.capture.record.capturedAt,
          ...(u.cert.sha256Fingerprint ? { sha256Fingerprint: u.cert.sha256Fingerprint } : {}),
          usedBy: u.users,
          ...(u.users[0] ? { path: `${u.users[0]} -> ${u.secret.replace(/^Secret\//, 'Secret ')}` } : {}),
        },
      ),
    );
  }
  return out;
}

function endpointMatches(ep: CrossNamespaceEndpoint, ns: string, kind: string, name: string): boolean {
  return globMatch(ep.namespace, ns) && (ep.kind === undefined || ep.kind === kind) && (ep.name === undefined || globMatch(ep.name, name));
}

// --- cross-namespace: only expected cross-namespace references; others are findings even with a ReferenceGrant
function crossNamespace(ctx: Ctx, rule: CrossNamespaceRule): Finding[] {
  const expected = (fromNs: string, fromKind: string, fromName: string, toNs: string, toKind: string, toName: string): boolean =>
    rule.expected.some((x) => endpointMatches(x.from, fromNs, fromKind, fromName) && endpointMatches(x.to, toNs, toKind, toName));
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const p of ctx.paths) {
    if (!p.backend.crossNamespace) continue;
    const b = p.backend;
    if (expected(p.route.namespace, p.route.kind, p.route.name, b.namespace, b.kind, b.name)) continue;
    const key = `${routeKey(p.route)}|${p.rule.index}|${backendKey(b)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const grant = b.referenceGrant ? `allowed by ReferenceGrant ${b.referenceGrant}` : `not allowed by any ReferenceGrant${b.reason ? ` (${b.reason})` : ''}`;
    out.push(
      finding(rule, 'POLICY_UNEXPECTED_CROSS_NAMESPACE', routeKey(p.route), `${routeLabel(p.route)} rule ${p.rule.index} references ${backendLabel(b)} in another namespace (${grant}); expected only the cross-namespace references the policy lists`, [routeKey(p.route), backendKey(b)], {
        path: pathLabel(p),
        evidence: pathDetail(p),
        ...(b.referenceGrant ? { referenceGrant: b.referenceGrant } : {}),
        valid: b.valid,
      }),
    );
  }
  for (const e of ctx.input.resolution.routing) {
    for (const ref of e.certificateRefs) {
      if (ref.namespace === e.gateway.namespace) continue;
      if (expected(e.gateway.namespace, 'Gateway', e.gateway.name, ref.namespace, ref.kind, ref.name)) continue;
      const target = refKey({ group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name });
      const key = `${gatewayKey(e)}|${target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const grant = ref.referenceGrant ? `allowed by ReferenceGrant ${ref.referenceGrant}` : 'not allowed by any ReferenceGrant';
      out.push(
        finding(rule, 'POLICY_UNEXPECTED_CROSS_NAMESPACE', gatewayKey(e), `${listenerLabel(e)} references ${ref.kind} ${ref.namespace}/${ref.name} in another namespace (${grant}); expected only the cross-namespace references the policy lists`, [gatewayKey(e), target], {
          path: `${listenerLabel(e)} -> ${ref.kind} ${ref.namespace}/${ref.name}`,
          ...(ref.referenceGrant ? { referenceGrant: ref.referenceGrant } : {}),
        }),
      );
    }
  }
  return out;
}

// --- hostname-namespaces: hostnames matching a pattern must reach backends only in given namespaces
function hostnameNamespaces(ctx: Ctx, rule: HostnameNamespacesRule): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const p of ctx.paths) {
    if (!p.reachable) continue;
    const pat = rule.hostnames.find((h) => {
      if (!hostnamesIntersect(h, p.hostname)) return false;
      // An exact pattern served by an exact entry on the same listener never reaches the listener's wildcard
      // entries (Gateway API: the most specific hostname match wins).
      if (!h.includes('*') && p.hostname.toLowerCase() !== h.toLowerCase()) {
        return !p.entry.hostnames.some((x) => x.hostname.toLowerCase() === h.toLowerCase() && x.routes.length > 0);
      }
      return true;
    });
    if (!pat) continue;
    if (rule.allowNamespaces.some((n) => globMatch(n, p.backend.namespace))) continue;
    const key = `${gatewayKey(p.entry)}|${p.entry.listener}|${p.hostname}|${routeKey(p.route)}|${p.rule.index}|${backendKey(p.backend)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      finding(rule, 'POLICY_HOSTNAME_NAMESPACE', backendKey(p.backend), `hostname ${p.hostname} (matches ${pat}) reaches ${backendLabel(p.backend)}; expected backends only in namespaces [${rule.allowNamespaces.join(', ')}], found ${p.backend.namespace}`, [backendKey(p.backend), routeKey(p.route), gatewayKey(p.entry)], {
        path: pathLabel(p),
        evidence: pathDetail(p),
      }),
    );
  }
  return out;
}

// --- signers: a required signer set, checked against the verification report's counted signers
function signers(ctx: Ctx, rule: SignersRule): Finding[] {
  const v = ctx.input.verification;
  if (!v) {
    return [
      finding(rule, 'POLICY_SIGNERS_NOT_CHECKED', 'bundle', `the bundle's signatures were not checked (no trust root given); expected signatures from [${rule.required.map(describeSigner).join(', ')}], found no verified signers`, []),
    ];
  }
  const counted = v.signers.filter((s) => s.counted);
  const out: Finding[] = [];
  for (const req of rule.required) {
    const ok = counted.some((s) => (req.keyId === undefined || s.keyId === req.keyId) && (req.name === undefined || s.name === req.name) && (req.role === undefined || s.role === req.role));
    if (ok) continue;
    out.push(
      finding(rule, 'POLICY_SIGNER_MISSING', 'bundle', `expected a counted signature from ${describeSigner(req)}, found ${counted.length === 0 ? 'no counted signers' : `only [${counted.map((s) => describeSigner(s)).join(', ')}]`}`, [], {
        required: req,
        counted: counted.map((s) => ({ keyId: s.keyId, ...(s.name ? { name: s.name } : {}), ...(s.role ? { role: s.role } : {}) })),
      }),
    );
  }
  return out;
}

function describeSigner(s: { name?: string; role?: string; keyId?: string }): string {
  const parts = [s.name && `name=${s.name}`, s.role && `role=${s.role}`, s.keyId && `keyId=${s.keyId}`].filter(Boolean);
  return parts.join(' ');
}


/**
 * Evaluates every rule of `policy` against a capture and its resolution (and, for signer rules, the
 * verification report). Also reports unclassified and wrongly classified backends reachable from a Gateway.
 * @returns findings sorted by severity, code, subject, message
 * @example evaluatePolicy({ capture, resolution }, loadPolicy(text, 'policy.yaml'))
 */
export function evaluatePolicy(input: PolicyInput, policy: Policy, precomputed?: PolicyPrecomputed): Finding[] {
  const index = precomputed?.index ?? objectIndex(input.capture);
  const paths = precomputed?.paths ?? exposurePaths(input.capture, input.resolution, policy, index);
  const ctx: Ctx = { input, policy, index, paths, selections: new Map() };
  const out: Finding[] = [...classificationFindings(ctx.paths, policy.unclassifiedSeverity ?? 'warning')];
  for (const rule of policy.rules) {
    switch (rule.type) {
      case 'attachment':
        out.push(...attachment(ctx, rule));
        break;
      case 'service-exposure':
        out.push(...serviceExposure(ctx, rule));
        break;
      case 'tls-required':
        out.push(...tlsRequired(ctx, rule));
        break;
      case 'certificate-expiry':
        out.push(...certificateExpiry(ctx, rule));
        break;
      case 'cross-namespace':
        out.push(...crossNamespace(ctx, rule));
        break;
      case 'hostname-namespaces':
        out.push(...hostnameNamespaces(ctx, rule));
        break;
      case 'signers':
        out.push(...signers(ctx, rule));
        break;
      case 'require-policies':
        out.push(...requirePolicies(ctx, rule));
        break;
    }
  }
  // Audit evidence against the policy's changeAuthors and ownershipKeys (issue 9, src/audit/checks.ts).
  out.push(...auditPolicyFindings(input.capture, policy));
  out.push(...unmatchedSelectors(ctx));
  return sortFindings(out);
}
