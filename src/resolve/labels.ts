/**
 * Kubernetes metav1.LabelSelector semantics (LabelSelectorAsSelector): matchLabels AND every
 * matchExpressions entry (In, NotIn, Exists, DoesNotExist). An empty selector `{}` matches everything;
 * a nil (undefined) selector matches nothing; a selector LabelSelectorAsSelector rejects (labelSelectorProblem)
 * matches nothing.
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

// k8s.io/apimachinery/pkg/util/validation: IsQualifiedName (label keys) and IsValidLabelValue.
const NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function labelKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return `label key ${JSON.stringify(key ?? null)} is empty or not a string`;
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN_RE.test(prefix))) return `label key "${key}": prefix must be a DNS subdomain`;
  if (name.length > 63 || !NAME_RE.test(name)) return `label key "${key}": name must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending alphanumeric`;
  return undefined;
}

function labelValueProblem(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `label value for "${key}" is not a string`;
  if (value !== '' && (value.length > 63 || !NAME_RE.test(value))) return `label value "${value}" for "${key}" must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending alphanumeric`;
  return undefined;
}

/**
 * Why LabelSelectorAsSelector (apimachinery meta/v1 helpers.go + labels.NewRequirement) rejects `selector`, or
 * undefined when it is valid. In/NotIn need at least one value, Exists/DoesNotExist take none, other operators
 * are unknown; keys must be qualified names and values label values. `null`/undefined is not checked here (nil).
 */
export function labelSelectorProblem(selector: unknown): string | undefined {
  if (selector === undefined || selector === null) return undefined;
  if (typeof selector !== 'object' || Array.isArray(selector)) return 'the selector is not an object';
  const s = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  if (s.matchLabels !== undefined && s.matchLabels !== null) {
    if (typeof s.matchLabels !== 'object' || Array.isArray(s.matchLabels)) return 'matchLabels is not a map';
    for (const [k, v] of Object.entries(s.matchLabels as Record<string, unknown>)) {
      const p = labelKeyProblem(k) ?? labelValueProblem(k, v);
      if (p) return `matchLabels: ${p}`;
    }
  }
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions)) return 'matchExpressions is not a list';
    for (const [i, e] of (s.matchExpressions as unknown[]).entries()) {
      const where = `matchExpressions[${i}]`;
      if (!e || typeof e !== 'object') return `${where} is not an object`;
      const { key, operator, values } = e as { key?: unknown; operator?: unknown; values?: unknown };
      const kp = labelKeyProblem(key);
      if (kp) return `${where}: ${kp}`;
      if (values !== undefined && values !== null && !Array.isArray(values)) return `${where}: values is not a list`;
      const vals = Array.isArray(values) ? values : [];
      switch (operator) {
        case 'In':
        case 'NotIn':
          if (vals.length === 0) return `${where}: operator ${operator} needs at least one value, found none`;
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (vals.length > 0) return `${where}: operator ${operator} takes no values, found ${vals.length}`;
          break;
        default:
          return `${where}: operator ${JSON.stringify(operator ?? null)} is not In, NotIn, Exists or DoesNotExist`;
      }
      for (const v of vals) {
        const vp = labelValueProblem(key as string, v);
        if (vp) return `${where}: ${vp}`;
      }
    }
  }
  return undefined;
}

export function selectorMatches(selector: LabelSelector | undefined | null, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined || selector === null) return false;
  // A selector LabelSelectorAsSelector rejects selects nothing (the controller cannot build it).
  if (labelSelectorProblem(selector) !== undefined) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        // NotIn matches when the key is absent (k8s.io/apimachinery labels.Requirement.Matches).
        if (has && values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
