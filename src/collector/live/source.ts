import type { KubeConfig } from './kubeconfig-model.ts';
import { kindKey, type CollectionGap, type CollectionSource, type CollectionWarning } from '../../model/collection.ts';
import { groupOf } from '../../model/object.ts';
import type { ReducedSecret } from '../../model/snapshot.ts';
import { InputError, UsageError } from '../../errors.ts';
import { describeOrigin, resolveKubeConfig } from './kubeconfig.ts';
import type { InputSet } from '../inputs.ts';
import { reduceSecret } from '../secrets.ts';
import { CONTROLLER_SIGNATURES } from '../../model/controllers.ts';
import { ApiError, KubeClient, type RetryPolicy } from './client.ts';
import { proxyLabel } from './proxy.ts';
import { CORE_LISTS, CRD_LIST, GATEWAY_GROUPS, collectionPath, compareKubeVersions, extraGroups, implementationOf, isWantedCrd, isWantedGatewayKind, objectPath } from './kinds.ts';
import { discoverPolicyKinds } from '../../model/policy-kinds.ts';
import type { KubeObject } from '../../model/object.ts';
import { collectReferences, type CertRef } from './refs.ts';

export interface LiveSourceOptions {
  /** A ready KubeConfig (kubeconfig-model.ts: tests, library users). Otherwise loaded from `kubeconfigPath`, the default rules, or in-cluster. */
  kubeConfig?: KubeConfig;
  kubeconfigPath?: string;
  context?: string;
  /** Base of a relative kubeconfigPath (default: process.cwd()). */
  cwd?: string;
  /** Environment for the kubeconfig resolution (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT) and the proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) (default: process.env). */
  env?: Record<string, string | undefined>;
  /** In-cluster service account directory (default /var/run/secrets/kubernetes.io/serviceaccount). */
  serviceAccountDir?: string;
  /** Only these namespaces (namespaced kinds are listed per namespace). */
  namespaces?: string[];
  excludeNamespaces?: string[];
  /** Where to look for controller Deployments/Pods (default: all namespaces). */
  controllerNamespaces?: string[];
  /** Extra label selectors for controller Deployments/Pods. */
  controllerSelectors?: string[];
  pageSize?: number;
  requestTimeoutMs?: number;
  /** Overall deadline for the whole read, ms from start. */
  deadlineMs?: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Clock in ms since the epoch (deadline checks). */
  clockMs?: () => number;
  onProgress?: (p: LiveProgress) => void;
  /** Verbose diagnostics (retries, each list). */
  onDebug?: (line: string) => void;
}

export interface LiveProgress {
  /** The kind (or phase) just read. */
  step: string;
  /** Distinct kinds read so far. */
  kindsDone: number;
  /** Requests completed (lists and gets). */
  listsDone: number;
  /** Objects read so far (before normalisation). */
  objects: number;
}

/** What a live read produces: the same InputSet shape the files path reads, plus gaps and cluster facts. */
export interface LiveInput {
  input: InputSet;
  /**
   * Secrets reduced to certificate metadata as soon as they were fetched (issue 4: "reduced to certificate
   * metadata in memory before anything is written"); the raw Secret is never kept or handed on.
   */
  reducedSecrets: Array<{ secret: ReducedSecret; source: string }>;
  gaps: CollectionGap[];
  warnings: CollectionWarning[];
  cluster: { serverVersion?: string; context?: string; uid?: string; server?: string };
  /** Requests sent (attempts included). */
  requests: number;
  /**
   * Kinds listed without a gap, plus Secret and ConfigMap (read by name): the capture's kindsPresent, so that a
   * kind that was listed and is empty means "none", not "unknown" (CollectionRecord.kindsPresent).
   */
  kindsListed: string[];
}

export { loadKubeConfig } from './kubeconfig.ts';
export { KubeConfig, loadKubeConfigFile, parseKubeConfig } from './kubeconfig-model.ts';

interface ServedKind {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}


/**
 * Reads a live cluster into an InputSet (objects as the API returns them, kind/apiVersion set on list
 * items; one source per list with apiVersion, kind, resourceVersion and object count). Forbidden (403),
 * not served (404) or failing requests become gaps: the read goes on.
 */
export async function readLive(opts: LiveSourceOptions): Promise<LiveInput> {
  const clients: KubeClient[] = [];
  try {
    return await readLiveWith(opts, (c) => void clients.push(c));
  } finally {
    for (const c of clients) c.close();
  }
}

async function readLiveWith(opts: LiveSourceOptions, track: (c: KubeClient) => void): Promise<LiveInput> {
  let kc: KubeConfig;
  if (opts.kubeConfig) {
    kc = opts.kubeConfig;
    if (opts.context) kc.setCurrentContext(opts.context);
  } else {
    const resolved = await resolveKubeConfig({
      ...(opts.kubeconfigPath !== undefined ? { kubeconfigPath: opts.kubeconfigPath } : {}),
      ...(opts.context ? { context: opts.context } : {}),
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.serviceAccountDir !== undefined ? { serviceAccountDir: opts.serviceAccountDir } : {}),
    });
    kc = resolved.kubeConfig;
    opts.onDebug?.(`kubeconfig: ${describeOrigin(resolved.origin)}, context "${kc.getCurrentContext()}", server ${kc.getCurrentCluster()?.server ?? ''}`);
  }
  const now = opts.clockMs ?? Date.now;
  const pageSize = opts.pageSize ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new UsageError(`--page-size: expected a positive integer, found ${pageSize}`);
  const client = new KubeClient({
    kubeConfig: kc,
    // HTTPS_PROXY/HTTP_PROXY/NO_PROXY when the cluster has no proxy-url (client-go's http.ProxyFromEnvironment).
    env: opts.env ?? process.env,
    ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    ...(opts.deadlineMs !== undefined ? { deadlineAt: now() + opts.deadlineMs } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    now,
    onRetry: (r) => opts.onDebug?.(`retry ${r.attempt} of GET ${r.path} in ${r.delayMs} ms (${r.reason})`),
  });
  track(client);
  const t = client.transport;
  opts.onDebug?.(t.proxy ? `proxy: ${proxyLabel(t.proxy, t.proxySource)}` : 'proxy: none (direct connection)');
  const include = opts.namespaces && opts.namespaces.length > 0 ? new Set(opts.namespaces) : undefined;
  const exclude = new Set(opts.excludeNamespaces ?? []);
  const inScope = (ns: string | undefined): boolean => ns === undefined || ((!include || include.has(ns)) && !exclude.has(ns));

  const input: InputSet = { objects: [], conformanceReports: [], sources: [] };
  const reducedSecrets: LiveInput['reducedSecrets'] = [];
  const gaps: CollectionGap[] = [];
  const warnings: CollectionWarning[] = [];
  const context = kc.getCurrentContext();
  const cluster: LiveInput['cluster'] = { server: kc.getCurrentCluster()?.server ?? '' };
  if (context) cluster.context = context;
  if (client.transport.insecure) {
    // insecure-skip-tls-verify: anyone on the path could have answered; the reviewer must know.
    const c = kc.getCurrentCluster()!;
    warnings.push({ code: 'LIVE_TLS_INSECURE', message: `cluster "${c.name}" sets insecure-skip-tls-verify: the API server's certificate was not verified, so this capture cannot show it came from ${cluster.server}` });
  }
  let listsDone = 0;
  const kindsSeen = new Set<string>();
  const kindsListed = new Set<string>(['Secret', 'ConfigMap']);
  const progress = (step: string): void => {
    if (step !== 'discovery' && step !== 'done') kindsSeen.add(step);
    opts.onProgress?.({ step, kindsDone: kindsSeen.size, listsDone, objects: input.objects.length + reducedSecrets.length });
  };

  const gap = (g: { kind: string; apiVersion?: string; namespace?: string; name?: string }, e: unknown): void => {
    const err = e instanceof ApiError ? e : undefined;
    if (!err) throw e;
    if (err.reason === 'Credentials') {
      throw new InputError('INPUT_UNREADABLE', `context "${context}": ${err.message}`, { cause: err });
    }
    if (err.status === 401) {
      // Bad or missing credentials fail every request: that is not a partial capture but no capture at all.
      throw new InputError('INPUT_UNREADABLE', `the API server at ${cluster.server} rejected the credentials (HTTP 401) of context "${context}": ${err.message}`, { cause: err });
    }
    const entry: CollectionGap = { kind: g.kind, message: err.message };
    if (g.apiVersion) entry.apiVersion = g.apiVersion;
    if (g.namespace) entry.namespace = g.namespace;
    if (g.name) entry.name = g.name;
    if (err.status !== undefined) entry.status = err.status;
    gaps.push(entry);
  };

  // --- Discovery: server version, Gateway API groups and their served/preferred versions.
  try {
    const v = await client.getJSON('/version');
    if (typeof v['gitVersion'] === 'string') cluster.serverVersion = v['gitVersion'];
  } catch (e) {
    gap({ kind: 'Version', apiVersion: 'version' }, e);
  }
  const apis = await getApiGroups(client, gap);
  const served = apis ? await discoverKinds(client, apis, new Map(GATEWAY_GROUPS.map((g) => [g, undefined])), gap, warnings) : [];
  progress('discovery');

  // --- Lists. Cluster-scoped kinds are listed once; namespaced kinds once for all namespaces, or once per
  // --namespace when the scope is limited (RBAC may only grant those namespaces).
  interface ListSpec {
    filter?: (o: Record<string, unknown>) => boolean;
    labelSelector?: string;
    /** List per namespace (else once for all namespaces). */
    nsList?: readonly string[] | undefined;
    /** The object filter for the scope: --namespace and --exclude-namespace (default), or only --exclude-namespace. */
    scopeFilter?: (ns: string | undefined) => boolean;
  }
  const listKind = async (apiVersion: string, kind: string, resource: string, namespaced: boolean, spec: ListSpec = {}): Promise<Record<string, unknown>[]> => {
    const { filter, labelSelector, nsList } = spec;
    const scopeOk = spec.scopeFilter ?? inScope;
    const namespaces: Array<string | undefined> = namespaced && nsList ? [...nsList] : [undefined];
    const kept: Record<string, unknown>[] = [];
    for (const ns of namespaces) {
      const path = collectionPath(apiVersion, resource, ns);
      let res;
      try {
        res = await client.list(path, { limit: pageSize, ...(labelSelector ? { labelSelector } : {}) });
      } catch (e) {
        gap({ kind, apiVersion, ...(ns ? { namespace: ns } : {}) }, e);
        opts.onDebug?.(`gap: ${kind} ${apiVersion}${ns ? ` in ${ns}` : ''}: ${(e as Error).message}`);
        listsDone++;
        progress(kind);
        continue;
      }
      kindsListed.add(kindKey(groupOf(apiVersion), kind));
      const listApiVersion = res.apiVersion || apiVersion;
      const itemKind = res.kind.endsWith('List') ? res.kind.slice(0, -4) : kind;
      const name = labelSelector ? `${path}?labelSelector=${labelSelector}` : path;
      let count = 0;
      res.items.forEach((item, i) => {
        // The API omits kind/apiVersion on list items; set them from the list as the files path does.
        if (item['kind'] === undefined) item['kind'] = itemKind;
        if (item['apiVersion'] === undefined) item['apiVersion'] = listApiVersion;
        const meta = (item['metadata'] ?? {}) as Record<string, unknown>;
        const itemNs = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : undefined;
        if (kind === 'Namespace' ? !scopeOk(String(meta['name'] ?? '')) : !scopeOk(itemNs)) return;
        if (filter && !filter(item)) return;
        count++;
        kept.push(item);
        input.objects.push({ object: item, source: `${name}#items[${i}]` });
      });
      if (res.restarts > 0) {
        warnings.push({ code: 'LIVE_LIST_RESTARTED', message: `${kind} list ${name} restarted ${res.restarts} time(s) after 410 Gone on a continue token`, source: name });
      }
      const src: CollectionSource = { name, apiVersion: listApiVersion, kind: res.kind || `${kind}List`, resourceVersion: res.resourceVersion, objects: count };
      input.sources.push(src);
      opts.onDebug?.(`listed ${name}: ${count} object(s) in ${res.pages} page(s), resourceVersion ${res.resourceVersion}`);
      listsDone++;
      progress(kind);
    }
    return kept;
  };
  const nsList = include ? [...include].sort() : undefined;

  const namespaceItems = await listKind('v1', 'Namespace', 'namespaces', false);
  for (const ns of namespaceItems) {
    const meta = ns['metadata'] as Record<string, unknown>;
    // The kube-system namespace uid is the de-facto cluster id (kubectl, OpenTelemetry k8s.cluster.uid).
    if (meta['name'] === 'kube-system' && typeof meta['uid'] === 'string') cluster.uid = meta['uid'];
  }
  // CRDs: the Gateway API and Inference Extension ones, and those of adjacent policy kinds (the built-in table, or
  // labelled gateway.networking.k8s.io/policy: Direct|Inherited, GEP-713). The label decides per CRD, so the
  // filter looks at each item on its own.
  const crds = await listKind(CRD_LIST.apiVersion, CRD_LIST.kind, CRD_LIST.resource, false, {
    filter: (o) => isWantedCrd(o, new Set(discoverPolicyKinds([o as unknown as KubeObject]).keys())),
  });
  const byKind = new Map<string, Record<string, unknown>[]>();
  for (const s of served) {
    const items = await listKind(`${s.group}/${s.version}`, s.kind, s.resource, s.namespaced, { nsList });
    byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), ...items]);
  }
  // Inference Extension and adjacent policy kinds, where served. Kept apart from byKind: their Secret references
  // (policy client secrets, API keys) are recorded by name and never fetched.
  const extra = apis ? await discoverKinds(client, apis, extraGroups(crds), gap, warnings) : [];
  for (const s of extra) await listKind(`${s.group}/${s.version}`, s.kind, s.resource, s.namespaced, { nsList });
  const svc = CORE_LISTS.find((c) => c.kind === 'Service')!;
  await listKind(svc.apiVersion, svc.kind, svc.resource, svc.namespaced, { nsList });

  // --- Referenced CA ConfigMaps and TLS Secrets, one GET by name each (no Secret list: RBAC needs only `get`).
  const refs = collectReferences([...byKind.values()].flat());
  for (const ref of refs) {
    if (!inScope(ref.namespace)) {
      warnings.push({ code: 'LIVE_REFERENCE_OUT_OF_SCOPE', message: `${ref.kind} ${ref.namespace}/${ref.name} referenced by ${ref.from.join(', ')} is outside the collection scope; not read`, object: `${ref.kind} ${ref.namespace}/${ref.name}` });
      continue;
    }
    await getReferenced(ref);
  }

  async function getReferenced(ref: CertRef): Promise<void> {
    const resource = ref.kind === 'Secret' ? 'secrets' : 'configmaps';
    const path = objectPath('v1', resource, ref.namespace, ref.name);
    let obj: Record<string, unknown>;
    try {
      obj = await client.getJSON(path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        // A missing referenced object is evidence (resolution reports the broken ref), not a gap in the capture.
        warnings.push({ code: 'LIVE_REFERENCED_OBJECT_MISSING', message: `${ref.kind} ${ref.namespace}/${ref.name} referenced by ${ref.from.join(', ')} does not exist (GET ${path}: 404)`, source: path, object: `${ref.kind} ${ref.namespace}/${ref.name}` });
        return;
      }
      gap({ kind: ref.kind, apiVersion: 'v1', namespace: ref.namespace, name: ref.name }, e);
      return;
    } finally {
      listsDone++;
      progress(ref.kind);
    }
    if (obj['kind'] === undefined) obj['kind'] = ref.kind;
    if (obj['apiVersion'] === undefined) obj['apiVersion'] = 'v1';
    const meta = (obj['metadata'] ?? {}) as Record<string, unknown>;
    input.sources.push({ name: path, apiVersion: 'v1', kind: ref.kind, resourceVersion: typeof meta['resourceVersion'] === 'string' ? meta['resourceVersion'] : '', objects: 1 });
    if (ref.kind === 'Secret') {
      // Reduce now, in memory, with the files path's reducer; drop every reference to the raw Secret.
      const label = `Secret ${ref.namespace}/${ref.name}`;
      const secret = reduceSecret(obj, path, label, warnings);
      for (const k of Object.keys(obj)) delete obj[k];
      reducedSecrets.push({ secret, source: path });
    } else {
      input.objects.push({ object: obj, source: path });
    }
  }

  // --- Controllers: for each GatewayClass controllerName, Deployments/Pods found by the well-known labels of
  // its implementation, the generic Gateway API labels, and --controller-selector.
  const selectors = new Set<string>(opts.controllerSelectors ?? []);
  const implementations = new Set<string>(['gateway-api']);
  for (const gc of byKind.get('GatewayClass') ?? []) {
    const name = String(((gc['spec'] ?? {}) as Record<string, unknown>)['controllerName'] ?? '');
    if (name === '') continue;
    const impl = implementationOf(name);
    if (impl) implementations.add(impl);
    else if (!opts.controllerSelectors?.length) {
      warnings.push({ code: 'LIVE_CONTROLLER_UNKNOWN', message: `GatewayClass controllerName "${name}" is not a known implementation; use --controller-selector (and --controller-namespace) to capture its Deployments/Pods` });
    }
  }
  for (const sig of CONTROLLER_SIGNATURES) {
    if (!implementations.has(sig.implementation)) continue;
    for (const [k, v] of sig.labels) selectors.add(v === undefined ? k : `${k}=${v}`);
  }
  const ctrlNs = opts.controllerNamespaces && opts.controllerNamespaces.length > 0 ? [...opts.controllerNamespaces].sort() : undefined;
  const seen = new Set<string>();
  const dedupe = (o: Record<string, unknown>): boolean => {
    const m = (o['metadata'] ?? {}) as Record<string, unknown>;
    const key = `${String(o['kind'])}/${String(m['namespace'])}/${String(m['name'])}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  // Controllers live outside the routing namespaces: --namespace does not apply to them (--controller-namespace
  // does), --exclude-namespace still does.
  const notExcluded = (ns: string | undefined): boolean => ns === undefined || !exclude.has(ns);
  for (const sel of [...selectors].sort()) {
    await listKind('apps/v1', 'Deployment', 'deployments', true, { filter: dedupe, labelSelector: sel, nsList: ctrlNs, scopeFilter: notExcluded });
    await listKind('v1', 'Pod', 'pods', true, { filter: dedupe, labelSelector: sel, nsList: ctrlNs, scopeFilter: notExcluded });
  }
  progress('done');
  return { input, reducedSecrets, gaps, warnings, cluster, requests: client.requests, kindsListed: [...kindsListed].sort() };
}

/** GET /apis (the APIGroupList), or undefined after recording a gap. */
async function getApiGroups(client: KubeClient, gap: (g: { kind: string; apiVersion?: string }, e: unknown) => void): Promise<Record<string, unknown>[] | undefined> {
  try {
    const groups = await client.getJSON('/apis');
    return Array.isArray(groups['groups']) ? (groups['groups'] as Record<string, unknown>[]) : [];
  } catch (e) {
    gap({ kind: 'APIGroupList', apiVersion: 'v1' }, e);
    return undefined;
  }
}

/**
 * /apis/{group}/{version} for each served version of the wanted groups. Each wanted kind is read at the group's
 * preferred version when it serves the kind, else at the first (highest-priority) version that does.
 * `wanted`: group -> kinds wanted (undefined = the Gateway API kinds, isWantedGatewayKind; a Gateway API group
 * that is not served is a warning, any other group is skipped silently).
 */
async function discoverKinds(
  client: KubeClient,
  list: Record<string, unknown>[],
  wanted: ReadonlyMap<string, ReadonlySet<string> | undefined>,
  gap: (g: { kind: string; apiVersion?: string }, e: unknown) => void,
  warnings: CollectionWarning[],
): Promise<ServedKind[]> {
  const out: ServedKind[] = [];
  for (const [groupName, kindsWanted] of wanted) {
    const g = list.find((x) => x && x['name'] === groupName);
    if (!g) {
      if (kindsWanted === undefined) warnings.push({ code: 'LIVE_GROUP_NOT_SERVED', message: `the API server does not serve ${groupName}` });
      continue;
    }
    const isWanted = (kind: string): boolean => (kindsWanted === undefined ? isWantedGatewayKind(kind) : kindsWanted.has(kind));
    const versions = (Array.isArray(g['versions']) ? (g['versions'] as Record<string, unknown>[]) : []).map((v) => String(v['version'] ?? '')).filter((v) => v !== '');
    const preferred = String(((g['preferredVersion'] ?? {}) as Record<string, unknown>)['version'] ?? versions[0] ?? '');
    // The preferred version first, then the others by Kubernetes version priority (not the discovery
    // document's order, which a server or aggregator may not sort): v1alpha3 before v1alpha2.
    const order = [preferred, ...versions.filter((v) => v !== preferred).sort(compareKubeVersions)];
    const kinds = new Map<string, ServedKind>();
    for (const version of order) {
      let rl: Record<string, unknown>;
      try {
        rl = await client.getJSON(`/apis/${groupName}/${version}`);
      } catch (e) {
        gap({ kind: 'APIResourceList', apiVersion: `${groupName}/${version}` }, e);
        continue;
      }
      for (const r of (Array.isArray(rl['resources']) ? rl['resources'] : []) as Record<string, unknown>[]) {
        const name = String(r['name'] ?? '');
        const kind = String(r['kind'] ?? '');
        const verbs = Array.isArray(r['verbs']) ? (r['verbs'] as unknown[]) : [];
        if (name.includes('/') || !isWanted(kind) || !verbs.includes('list')) continue;
        if (kinds.has(kind)) continue; // an earlier (preferred) version already serves it
        kinds.set(kind, { group: groupName, version, kind, resource: name, namespaced: r['namespaced'] === true });
      }
    }
    out.push(...[...kinds.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)));
  }
  // Cluster-scoped first (GatewayClass), so controllers are known early; then the rest by kind.
  out.sort((a, b) => Number(a.namespaced) - Number(b.namespaced));
  return out;
}
