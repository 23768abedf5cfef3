/**
 * Applies a kubectl-style scope (`-n`, `--exclude-namespace`, `-l`) to raw objects before normalisation,
 * for files and live capture alike (rules: src/resolve/scope.ts). The scope is recorded in the bundle's
 * collection record so that a reviewer sees what the capture covers.
 */
import { UsageError } from '../errors.ts';
import type { CollectionRecord } from '../model/collection.ts';
import { compareStrings, type KubeObject } from '../model/object.ts';
import { objectInScope, parseSelector, type ObjectScope } from '../resolve/scope.ts';
import type { RawObject } from './inputs.ts';

export interface CaptureScopeOptions {
  namespaces?: string[] | undefined;
  excludeNamespaces?: string[] | undefined;
  /** kubectl label selector text (`-l`), recorded as given. */
  labelSelector?: string | undefined;
}

/** The scope as data; a bad selector is a usage error naming the flag. */
export function captureScope(o: CaptureScopeOptions): ObjectScope {
  const s: ObjectScope = {};
  if (o.namespaces && o.namespaces.length > 0) s.namespaces = o.namespaces;
  if (o.excludeNamespaces && o.excludeNamespaces.length > 0) s.excludeNamespaces = o.excludeNamespaces;
  if (o.labelSelector !== undefined) {
    const p = parseSelector(o.labelSelector);
    if (!p.ok) throw new UsageError(`collect: -l/--selector: ${p.error}`);
    s.selector = p.selector;
  }
  return s;
}

/** The collection record's scope: the namespace filters and selector a reviewer needs to read the capture. */
export function recordScope(o: CaptureScopeOptions): CollectionRecord['scope'] {
  const scope: CollectionRecord['scope'] = {};
  if (o.namespaces && o.namespaces.length > 0) scope.namespaces = [...new Set(o.namespaces)].sort(compareStrings);
  if (o.excludeNamespaces && o.excludeNamespaces.length > 0) scope.excludeNamespaces = [...new Set(o.excludeNamespaces)].sort(compareStrings);
  if (o.labelSelector !== undefined) scope.labelSelector = o.labelSelector;
  return scope;
}

/** Raw objects in scope. A raw object without a namespace is in `default`, as normalisation will make it. */
export function filterRawObjects(objects: readonly RawObject[], scope: ObjectScope): RawObject[] {
  return objects.filter((r) => {
    const o = r.object;
    const meta = (typeof o['metadata'] === 'object' && o['metadata'] !== null ? o['metadata'] : {}) as Record<string, unknown>;
    const view: KubeObject = {
      apiVersion: typeof o['apiVersion'] === 'string' ? o['apiVersion'] : '',
      kind: typeof o['kind'] === 'string' ? o['kind'] : '',
      metadata: {
        name: typeof meta['name'] === 'string' ? meta['name'] : '',
        namespace: typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default',
        labels: typeof meta['labels'] === 'object' && meta['labels'] !== null ? (meta['labels'] as Record<string, string>) : {},
      },
    };
    return objectInScope(view, scope);
  });
}
