/**
 * Service type classification. Sources, in order (issue 5, "Service types"):
 *  1. the policy's serviceTypes rules (first match wins; namespace, name, labels, annotations, kind; Services and
 *     InferencePools alike),
 *  2. the label, then the annotation, `gateway-evidence.io/service-type` on the backend object,
 *  3. the same label/annotation on the backend's Namespace,
 *  else `unclassified`. A label value may name a built-in type or one the policy declares (serviceTypeDefinitions).
 */
import type { KubeObject } from '../model/object.ts';
import { SERVICE_TYPES, SERVICE_TYPE_KEY, type Policy, type ServiceType, type ServiceTypeRule } from './types.ts';
import { globMatch } from './match.ts';

export interface BackendIdentity {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type ClassificationSource = 'policy' | 'service-label' | 'service-annotation' | 'namespace-label' | 'namespace-annotation' | 'none';

export interface Classification {
  type: ServiceType;
  source: ClassificationSource;
  /** For source `policy`: index of the serviceTypes rule that matched. */
  ruleIndex?: number;
  /** A declared value that is not a known service type (ignored, reported by the caller). */
  invalid?: { source: ClassificationSource; value: string };
}

/** A type a label may declare: built-in (not `unclassified`) or declared by the policy's serviceTypeDefinitions. */
function isServiceType(v: string, policy: Policy | undefined): v is ServiceType {
  if (v === 'unclassified') return false;
  return (SERVICE_TYPES as readonly string[]).includes(v) || (policy?.serviceTypeDefinitions ?? []).some((d) => d.name === v);
}

function mapMatches(want: Record<string, string> | undefined, have: Record<string, string> | undefined): boolean {
  if (!want) return true;
  for (const [k, v] of Object.entries(want)) {
    const got = have?.[k];
    if (got === undefined || !globMatch(v, got)) return false;
  }
  return true;
}

export function ruleMatches(rule: ServiceTypeRule, b: BackendIdentity): boolean {
  if (rule.kinds && !rule.kinds.includes(b.kind)) return false;
  if (rule.namespaces && !rule.namespaces.some((p) => globMatch(p, b.namespace))) return false;
  if (rule.names && !rule.names.some((p) => globMatch(p, b.name))) return false;
  return mapMatches(rule.labels, b.labels) && mapMatches(rule.annotations, b.annotations);
}

/**
 * @param backend the backend object's identity and metadata
 * @param namespace the backend's Namespace object, when the snapshot holds it
 * @param policy optional policy with serviceTypes rules
 */
export function classifyBackend(backend: BackendIdentity, namespace: KubeObject | undefined, policy?: Policy): Classification {
  const rules = policy?.serviceTypes ?? [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (ruleMatches(r, backend)) return { type: r.type, source: 'policy', ruleIndex: i };
  }
  let invalid: Classification['invalid'];
  const candidates: [ClassificationSource, string | undefined][] = [
    ['service-label', backend.labels?.[SERVICE_TYPE_KEY]],
    ['service-annotation', backend.annotations?.[SERVICE_TYPE_KEY]],
    ['namespace-label', namespace?.metadata.labels?.[SERVICE_TYPE_KEY]],
    ['namespace-annotation', namespace?.metadata.annotations?.[SERVICE_TYPE_KEY]],
  ];
  for (const [source, raw] of candidates) {
    if (raw === undefined) continue;
    const value = raw.trim();
    if (isServiceType(value, policy)) return invalid ? { type: value, source, invalid } : { type: value, source };
    invalid ??= { source, value: raw };
  }
  return invalid ? { type: 'unclassified', source: 'none', invalid } : { type: 'unclassified', source: 'none' };
}
