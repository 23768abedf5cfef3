/**
 * The SARIF rule catalogue (issue 10, "SARIF that code scanning accepts"): for every finding code a rule
 * `name` distinct from its `id`, a `fullDescription`, `help` (text and Markdown), a `helpUri` into
 * docs/findings.md, and a `security-severity` (GitHub code scanning: a number 0.0-10.0 as a string, with
 * the `security` tag) where the finding is a security fact. Codes are grouped in families (by prefix, or
 * Gateway API condition reasons); the families and their anchors are documented in docs/findings.md and a
 * test checks both stay in step. A code no family claims still gets a complete rule ("other"), so a new
 * finding can never make the SARIF fail GitHub's ingestion rules. Pure.
 */
import type { Severity } from '../model/finding.ts';

import { VERSION } from '../version.ts';

/**
 * package.json `repository.url`, kept in step by test/unit/report/sarif-docs-uri.test.ts (like VERSION).
 * The project has none today: no public repository URL exists to point at, and a made-up one would send a
 * code-scanning user to someone else's site (or nowhere).
 */
export const REPOSITORY_URL: string | undefined = undefined;

/**
 * Where docs/ is; helpUri = DOCS_BASE_URI + 'findings.md#' + anchor. SARIF 2.1.0 section 3.49.12 wants an
 * absolute URI (the Multitool's SARIF1002 rejects a relative one), so:
 * - with a repository URL (github.com style): `<repo>/blob/v<VERSION>/docs/`, the docs of the release tag;
 * - without one: `npm:gateway-evidence@<VERSION>/docs/`, the docs/ directory inside the npm package of this
 *   exact version (package.json `files` ships docs/). Documented in docs/findings.md ("helpUri").
 */
export const DOCS_BASE_URI = docsBaseUri(REPOSITORY_URL, VERSION);

/** The docs base for a package.json repository URL (or none) at `version`; exported for its test. */
export function docsBaseUri(repository: string | undefined, version: string): string {
  if (repository === undefined) return `npm:gateway-evidence@${version}/docs/`;
  // npm's forms: git+https://host/owner/repo.git, https://host/owner/repo, git://host/owner/repo.git
  const web = repository.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/\.git$/, '').replace(/\/+$/, '');
  if (!/^https:\/\/[^/\s]+\/[^\s]+$/.test(web)) throw new Error(`repository URL ${JSON.stringify(repository)}: expected an https or git URL`);
  return `${web}/blob/v${version}/docs/`;
}

export interface RuleFamily {
  /** Anchor in docs/findings.md. */
  anchor: string;
  title: string;
  /** One paragraph: what the family of findings means and why a reviewer cares. */
  description: string;
  /** What to do about it. */
  remedy: string;
  /** security-severity per finding severity; absent = not a security rule (no security tag). */
  securitySeverity?: Partial<Record<Severity, string>>;
  tags: string[];
}

const GATEWAY_API_REASONS = new Set([
  'RefNotPermitted', 'BackendNotFound', 'InvalidKind', 'NoMatchingParent', 'NotAllowedByListeners', 'NoMatchingListenerHostname',
  'UnsupportedValue', 'InvalidCertificateRef', 'HostnameConflict', 'UnsupportedProtocol', 'UnsupportedVersion', 'PortUnavailable',
  'ProtocolConflict', 'Conflicted', 'IncompatibleFilters', 'Invalid', 'InvalidCACertificateKind', 'InvalidCACertificateRef',
  'InvalidClientCertificateRef', 'InvalidParameters', 'InvalidRouteKinds', 'NoValidCACertificate', 'NotAllowed', 'OverlappingHostnames',
  'TargetNotFound', 'Unsupported', 'PartiallyInvalid',
]);

export const FAMILIES: Readonly<Record<string, RuleFamily>> = {
  policy: {
    anchor: 'policy-violations',
    title: 'Exposure policy violations (POLICY_*)',
    description:
      'The captured routing breaks a rule of the exposure policy given with --policy (docs/policy.md): a namespace attached to a listener it may not use, a service type reachable from a listener that must not reach it, plaintext where TLS is required, a certificate closer to expiry than allowed, an unexpected cross-namespace reference, a hostname pointing into a namespace it may not, or a required signer missing.',
    remedy: 'Change the Gateway, route, ReferenceGrant or Service so that the rule holds, or change the policy through review if the exposure is intended. The finding names the policy rule and the objects on the path.',
    securitySeverity: { error: '8.0', warning: '5.0', info: '2.0' },
    tags: ['security', 'policy', 'gateway-api'],
  },
  exposure: {
    anchor: 'exposure',
    title: 'Exposure analysis (EXPOSURE_*)',
    description:
      'What the recomputed routing exposes, independent of any policy: hostnames served over plaintext, backends reached across namespaces, and the service type (public model endpoint, internal inference, agent tool gateway, admin...) each listener reaches.',
    remedy: 'Confirm that each exposure is intended; encode the intent in an exposure policy so that a change becomes a policy violation.',
    securitySeverity: { error: '7.0', warning: '4.0', info: '1.0' },
    tags: ['security', 'exposure', 'gateway-api'],
  },
  certificate: {
    anchor: 'certificates',
    title: 'Certificates (CERT_*, SECRET_*, CONFIGMAP_*)',
    description:
      'A listener certificate is expired, expiring within the window, not yet valid at capture time, does not cover the listener hostname, or its metadata could not be read. Validity is judged at the capture time the collector signed.',
    remedy: 'Renew or replace the certificate in the referenced Secret, or fix the listener hostname / certificateRefs.',
    securitySeverity: { error: '7.5', warning: '5.0', info: '1.0' },
    tags: ['security', 'tls', 'certificate'],
  },
  status: {
    anchor: 'status-drift',
    title: 'Recorded status versus recomputed status (STATUS_*)',
    description:
      'The status the controller recorded disagrees with the status a conformant controller must write for the captured objects (STATUS_DRIFT), was written for an older generation (STATUS_STALE), or is missing (STATUS_RECORDED_MISSING). The routing the verifier recomputes is a prediction from the manifests; a disagreement means either the controller or the capture deserves a look.',
    remedy: 'Compare the recorded and recomputed conditions shown in the report; check the controller logs and whether it has reconciled the latest generation.',
    securitySeverity: { error: '5.0', warning: '3.0' },
    tags: ['security', 'drift', 'gateway-api'],
  },
  resolution: {
    anchor: 'gateway-api-reasons',
    title: 'Gateway API condition reasons (RefNotPermitted, BackendNotFound, ...)',
    description:
      'A condition reason of the Gateway API that the recomputed resolution sets on a route, listener or Gateway: a reference not permitted by a ReferenceGrant, a missing backend, a route no listener accepts, conflicting listeners, an unsupported value. The code is the Gateway API reason itself (gateway-api apis/v1 *_types.go).',
    remedy: 'Fix the reference, add the ReferenceGrant, or correct the parentRef / listener as the message says; see docs/resolution.md for the rule and the spec path.',
    securitySeverity: { error: '5.0', warning: '3.0' },
    tags: ['security', 'gateway-api', 'resolution'],
  },
  resolver: {
    anchor: 'resolution-findings',
    title: 'Resolution findings (PARENT_*, ROUTE_*, GATEWAYCLASS_*, LISTENERSET_*, ATTACHED_ROUTES_*, CRD_*, POLICY_TARGET_* ...)',
    description:
      'Facts the resolver reports while recomputing status: parents not found or of an unsupported kind, routes without parentRefs, a missing GatewayClass, the attachedRoutes semantics in force, mixed CRD bundle versions, policy attachment targets not found.',
    remedy: 'Read the message: most are configuration mistakes in the captured objects; some (ATTACHED_ROUTES_SEMANTICS) are information about how the verifier counted.',
    tags: ['gateway-api', 'resolution'],
  },
  integrity: {
    anchor: 'integrity',
    title: 'Bundle integrity, signatures and trust (SIGNATURE_*, TRUST_*, BUNDLE_*, ARCHIVE_*, PAYLOAD_*, OBJECT_*)',
    description:
      'The evidence bundle itself: a signature that does not verify, a key outside the trust root or its validity window, a trust threshold not met, an archive or payload that does not match its manifests, a partial capture. An error here means the content must not be trusted.',
    remedy: 'Do not rely on the bundle; obtain it again from the collector, or check the trust root you verified with.',
    securitySeverity: { error: '9.0', warning: '6.0', info: '2.0' },
    tags: ['security', 'integrity', 'supply-chain'],
  },
  chain: {
    anchor: 'chain',
    title: 'Chain of bundles (CHAIN_*)',
    description: 'A quarter-over-quarter chain of bundles is broken: a link missing or pointing elsewhere, capture times out of order, a bundle that did not verify.',
    remedy: 'Give every bundle of the chain, oldest first; a missing or substituted bundle breaks the history.',
    securitySeverity: { error: '8.0', warning: '5.0' },
    tags: ['security', 'integrity', 'chain'],
  },
  conformance: {
    anchor: 'conformance',
    title: 'Conformance cross-checks (CONFORMANCE_*)',
    description: "The captured ConformanceReports compared with what the cluster uses: features used but not claimed, claimed but failed, reports absent, incomplete or for another implementation.",
    remedy: 'Capture the ConformanceReport of the controller version in use, or avoid features it does not claim.',
    tags: ['gateway-api', 'conformance'],
  },
  capture: {
    anchor: 'capture',
    title: 'Capture notes (LIVE_*, NAMESPACE_*, DUPLICATE_*, KIND_*, ...)',
    description: 'Facts about how the objects were captured: namespaces defaulted, duplicates kept once, kinds of unknown versions, live-capture restarts and references outside the scope.',
    remedy: 'Usually none; check that the capture covers what the review needs (the collection record lists sources, scope and gaps).',
    tags: ['capture'],
  },
  classification: {
    anchor: 'classification',
    title: 'Service classification (UNCLASSIFIED_SERVICE, INVALID_SERVICE_TYPE)',
    description: 'A backend Service whose service type could not be determined (no policy rule, label or annotation), or whose type label holds an unknown value. Exposure rules by service type cannot judge it.',
    remedy: 'Label the Service or its Namespace with gateway-evidence.io/service-type, or classify it in the policy.',
    securitySeverity: { error: '5.0', warning: '3.0', info: '1.0' },
    tags: ['security', 'classification'],
  },
  other: {
    anchor: 'other',
    title: 'Other findings',
    description: 'A finding that belongs to no family above; its message says what was found and where.',
    remedy: 'Read the message and the objects it names.',
    tags: ['gateway-evidence'],
  },
};

/** The family a finding code belongs to (prefix table; Gateway API reasons by name). */
export function familyOf(code: string): RuleFamily {
  const f = FAMILIES;
  if (code.startsWith('POLICY_TARGET_') || code === 'POLICY_SELECTOR_MATCHES_NOTHING') return f['resolver']!;
  if (code.startsWith('POLICY_')) return f['policy']!;
  if (code.startsWith('EXPOSURE_')) return f['exposure']!;
  if (/^(CERT_|SECRET_|CONFIGMAP_)/.test(code)) return f['certificate']!;
  if (code.startsWith('STATUS_')) return f['status']!;
  if (GATEWAY_API_REASONS.has(code)) return f['resolution']!;
  if (/^(PARENT_|ROUTE_|GATEWAYCLASS_|LISTENERSET_|ATTACHED_ROUTES_|CRD_|DUPLICATE_PARENT_REF|UnsupportedVersion|INFERENCE|BACKEND)/.test(code)) return f['resolver']!;
  if (/^(SIGNATURE_|TRUST_|BUNDLE_|ARCHIVE_|PAYLOAD_|OBJECT_|REPORT_UNLISTED|CAPTURE_TIME_|ANNOTATION_PRIVATE_KEY|ANALYSIS_FAILED)/.test(code)) return f['integrity']!;
  if (code.startsWith('CHAIN_')) return f['chain']!;
  if (code.startsWith('CONFORMANCE_')) return f['conformance']!;
  if (code === 'UNCLASSIFIED_SERVICE' || code === 'INVALID_SERVICE_TYPE') return f['classification']!;
  if (/^(LIVE_|NAMESPACE_|DUPLICATE_|KIND_|NOT_A_KUBERNETES_OBJECT|REQUEST_TIMEOUT)/.test(code)) return f['capture']!;
  return f['other']!;
}

/**
 * Rule `name`, distinct from the id (SARIF 3.49.7: a readable identifier; SARIF1001): UPPER_SNAKE codes in
 * PascalCase (`STATUS_DRIFT` -> `StatusDrift`); Gateway API reasons, already PascalCase, get the
 * `GatewayApi` prefix (`RefNotPermitted` -> `GatewayApiRefNotPermitted`).
 */
export function ruleName(code: string): string {
  if (/^[A-Z0-9_]+$/.test(code)) return code.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase());
  const pascal = code.replace(/[^A-Za-z0-9]/g, '');
  return `GatewayApi${pascal.charAt(0).toUpperCase()}${pascal.slice(1)}`;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: Record<string, unknown>;
}

/** A complete SARIF reportingDescriptor for `code`, whose worst finding has severity `worst`. */
export function sarifRule(code: string, worst: Severity, source: string, level: 'error' | 'warning' | 'note'): SarifRule {
  const fam = familyOf(code);
  const sev = fam.securitySeverity?.[worst];
  const helpUri = `${DOCS_BASE_URI}findings.md#${fam.anchor}`;
  return {
    id: code,
    name: ruleName(code),
    shortDescription: { text: `${code}: ${fam.title.replace(/ \(.*\)$/, '').toLowerCase()}` },
    fullDescription: { text: fam.description },
    help: {
      text: `${fam.description}\n\nWhat to do: ${fam.remedy}\n\nMore: ${helpUri}`,
      markdown: `**${code}** (${fam.title})\n\n${fam.description}\n\n**What to do:** ${fam.remedy}\n\n[docs/findings.md](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level },
    properties: {
      source,
      tags: fam.tags,
      ...(sev !== undefined ? { 'security-severity': sev } : {}),
    },
  };
}
