import { GATEWAY_GROUP, groupOf, type KubeObject } from '../model/object.ts';
import type { AttachedRoutesSemantics } from './types.ts';

export const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/** Parses `v1.4.2` / `v1.5.0-rc.1` / `v0.0.0-dev` into [major, minor, patch]; undefined when not a version. */
export function parseBundleVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * The captured Gateway API CRD bundle-version: the annotation on gateways.gateway.networking.k8s.io when
 * present, else on any gateway.networking.k8s.io CRD (lowest version wins: the oldest CRD bounds the API).
 */
export function capturedBundleVersion(objects: readonly KubeObject[]): string | undefined {
  let fallback: string | undefined;
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== 'apiextensions.k8s.io') continue;
    const v = o.metadata?.annotations?.[BUNDLE_VERSION_ANNOTATION];
    if (typeof v !== 'string') continue;
    if (o.metadata.name === `gateways.${GATEWAY_GROUP}`) return v;
    if (o.spec?.group === GATEWAY_GROUP || o.metadata.name.endsWith(`.${GATEWAY_GROUP}`)) {
      if (fallback === undefined || compareVersions(v, fallback) < 0) fallback = v;
    }
  }
  return fallback;
}

function compareVersions(a: string, b: string): number {
  const pa = parseBundleVersion(a) ?? [0, 0, 0];
  const pb = parseBundleVersion(b) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/**
 * attachedRoutes semantics for a snapshot (ListenerStatus.AttachedRoutes doc changed in v1.5.0,
 * kubernetes-sigs/gateway-api#4341): bundle-version below v1.5.0 -> 'v1.4'; v1.5.0 and later, the
 * development marker v0.0.0-dev, or no CRD captured -> 'v1.5'.
 */
export function defaultAttachedRoutesSemantics(objects: readonly KubeObject[]): {
  semantics: AttachedRoutesSemantics;
  bundleVersion?: string;
} {
  const bundleVersion = capturedBundleVersion(objects);
  if (bundleVersion === undefined) return { semantics: 'v1.5' };
  const p = parseBundleVersion(bundleVersion);
  if (!p || (p[0] === 0 && p[1] === 0 && p[2] === 0)) return { semantics: 'v1.5', bundleVersion };
  const before15 = p[0] < 1 || (p[0] === 1 && p[1] < 5);
  return { semantics: before15 ? 'v1.4' : 'v1.5', bundleVersion };
}

/** Gateway API bundle versions the engine implements (the digest covers v1.0.0 .. v1.6.x and main after v1.6.1). */
export const SUPPORTED_BUNDLE_VERSIONS = Object.freeze({ min: 'v1.0.0', maxExclusive: 'v1.7.0' });

/**
 * GatewayClass SupportedVersion (gatewayclass_types.go, experimental): compares the CRD bundle-version with the
 * versions the implementation supports. `v0.0.0-dev` (a build of main) counts as supported: the digest follows a
 * main snapshot after v1.6.1. An unparseable value is not supported.
 */
export function bundleVersionSupported(v: string): boolean {
  const p = parseBundleVersion(v);
  if (!p) return false;
  if (p[0] === 0 && p[1] === 0 && p[2] === 0) return true;
  return compareVersions(v, SUPPORTED_BUNDLE_VERSIONS.min) >= 0 && compareVersions(v, SUPPORTED_BUNDLE_VERSIONS.maxExclusive) < 0;
}
