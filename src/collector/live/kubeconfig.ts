import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { InputError, UsageError } from '../../errors.ts';

/**
 * Where a live capture gets its cluster and credentials, resolved the way kubectl (client-go clientcmd)
 * does it:
 * 1. `--kubeconfig FILE` (relative to the working directory, `~/` expanded): that file only; it must exist.
 * 2. else `$KUBECONFIG`, a list of files separated by the platform delimiter: files that do not exist are
 *    skipped; for clusters, users and contexts the FIRST file that defines a name wins, and so does the
 *    first file that sets `current-context` (clientcmd loader.go, "ClientConfigLoadingRules.Load").
 *    (@kubernetes/client-node's loadFromDefault lets the last file win and throws on a repeated name.)
 * 3. else `~/.kube/config` when it exists.
 * 4. else, when nothing above gave a cluster, the in-cluster service account: KUBERNETES_SERVICE_HOST and
 *    KUBERNETES_SERVICE_PORT set and a token file in the service account directory (clientcmd
 *    "inClusterClientConfig.Possible").
 */
export interface KubeConfigSourceOptions {
  kubeconfigPath?: string;
  context?: string;
  /** Base of a relative --kubeconfig (default: process.cwd()). */
  cwd?: string;
  /** KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT (default: process.env). */
  env?: Record<string, string | undefined>;
  /** The in-cluster service account directory (token, ca.crt, namespace). */
  serviceAccountDir?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How the configuration was found, for messages and --verbose. */
export type KubeConfigOrigin = { kind: 'file'; files: string[] } | { kind: 'in-cluster'; dir: string };

/**
 * Loads a KubeConfig (see the module comment for the order). @kubernetes/client-node is imported on first
 * use: it takes seconds to load, and only live capture needs it.
 */
export async function loadKubeConfig(opts: KubeConfigSourceOptions): Promise<KubeConfig> {
  return (await resolveKubeConfig(opts)).kubeConfig;
}

export async function resolveKubeConfig(opts: KubeConfigSourceOptions): Promise<{ kubeConfig: KubeConfig; origin: KubeConfigOrigin }> {
  const { KubeConfig: KubeConfigClass } = await import('@kubernetes/client-node');
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const home = env['HOME'] ?? env['USERPROFILE'];
  const expand = (p: string): string => {
    const t = p === '~' || p.startsWith('~/') ? (home ? join(home, p.slice(1)) : p) : p;
    return isAbsolute(t) ? t : resolve(cwd, t);
  };
  const loadFile = (file: string, what: string): KubeConfig => {
    const kc = new KubeConfigClass();
    try {
      kc.loadFromFile(file); // relative certificate/key/token paths become relative to the file's directory
      return withTokenFiles(KubeConfigClass, kc, readFileSync(file, 'utf8'), dirname(file));
    } catch (e) {
      throw new InputError('INPUT_UNREADABLE', `cannot load kubeconfig "${file}" (${what}): ${(e as Error).message}`, { file, cause: e });
    }
  };

  let files: string[] = [];
  let kc: KubeConfig | undefined;
  if (opts.kubeconfigPath !== undefined && opts.kubeconfigPath !== '') {
    const file = expand(opts.kubeconfigPath);
    if (!existsSync(file)) throw new InputError('INPUT_UNREADABLE', `cannot load kubeconfig "${opts.kubeconfigPath}": expected a file, found nothing at ${file}`, { file: opts.kubeconfigPath });
    files = [file];
    kc = loadFile(file, '--kubeconfig');
  } else if (env['KUBECONFIG'] !== undefined && env['KUBECONFIG'] !== '') {
    const listed = env['KUBECONFIG'].split(delimiter).filter((f) => f !== '').map(expand);
    files = [...new Set(listed)].filter((f) => existsSync(f) && statSync(f).isFile());
    if (files.length > 0) kc = mergeKubeConfigs(KubeConfigClass, files.map((f) => loadFile(f, '$KUBECONFIG')));
  } else if (home) {
    const file = join(home, '.kube', 'config');
    if (existsSync(file)) {
      files = [file];
      kc = loadFile(file, '~/.kube/config');
    }
  }

  let origin: KubeConfigOrigin = { kind: 'file', files };
  if (!kc || kc.getClusters().length === 0) {
    const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
    const host = env['KUBERNETES_SERVICE_HOST'];
    const port = env['KUBERNETES_SERVICE_PORT'];
    if (opts.kubeconfigPath === undefined && host && port && existsSync(join(dir, 'token'))) {
      kc = inClusterConfig(KubeConfigClass, host, port, dir);
      origin = { kind: 'in-cluster', dir };
    } else {
      const tried = opts.kubeconfigPath !== undefined
        ? `--kubeconfig ${opts.kubeconfigPath} has no cluster`
        : env['KUBECONFIG']
          ? `none of the $KUBECONFIG files (${env['KUBECONFIG']}) exists or has a cluster`
          : `no $KUBECONFIG, no ${home ? join(home, '.kube', 'config') : '~/.kube/config (HOME is not set)'}`;
      throw new UsageError(`no cluster to collect from: ${tried}, and this is not a Pod with a service account (KUBERNETES_SERVICE_HOST/PORT and ${join(dir, 'token')}); give --kubeconfig, or --from for files`);
    }
  }

  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) {
      throw new UsageError(`context "${opts.context}" not found in the kubeconfig (${describeOrigin(origin)}); found: ${kc.getContexts().map((c) => c.name).join(', ') || '(none)'}`);
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentContext() || !kc.getCurrentCluster()) {
    throw new UsageError(`no cluster to collect from: the kubeconfig (${describeOrigin(origin)}) has no current-context${kc.getCurrentContext() ? ` with a cluster ("${kc.getCurrentContext()}")` : ''}; give --context NAME (found: ${kc.getContexts().map((c) => c.name).join(', ') || '(none)'})`);
  }
  return { kubeConfig: kc, origin };
}

export function describeOrigin(o: KubeConfigOrigin): string {
  return o.kind === 'in-cluster' ? `in-cluster service account ${o.dir}` : o.files.join(', ') || '(none)';
}

/**
 * A kubeconfig user's `tokenFile` (client-go AuthInfo.TokenFile, json "tokenFile") is ignored by
 * client-node, which only knows a non-standard `token-file`: the capture then ran with no credentials
 * (401). Such users get client-node's token-file authenticator, which re-reads the file every minute as
 * client-go does; a relative path is relative to the kubeconfig's directory, as for certificate files.
 */
function withTokenFiles(KubeConfigClass: new () => KubeConfig, kc: KubeConfig, text: string, base: string): KubeConfig {
  const raw = parseYaml(text) as { users?: Array<{ name?: unknown; user?: Record<string, unknown> }> } | null;
  const tokenFiles = new Map<string, string>();
  for (const u of raw?.users ?? []) {
    const tf = u?.user?.['tokenFile'];
    if (typeof u?.name !== 'string' || typeof tf !== 'string' || tf === '') continue;
    if (u.user?.['token'] || u.user?.['exec'] || u.user?.['auth-provider']) continue; // client-go: token wins over tokenFile
    tokenFiles.set(u.name, isAbsolute(tf) ? tf : resolve(base, tf));
  }
  if (tokenFiles.size === 0) return kc;
  const users = kc.getUsers().map((u) => (tokenFiles.has(u.name) ? { ...u, authProvider: { name: 'tokenFile', config: { tokenFile: tokenFiles.get(u.name)! } } } : u));
  const out = new KubeConfigClass();
  out.loadFromOptions({ clusters: kc.getClusters(), users, contexts: kc.getContexts(), currentContext: kc.getCurrentContext() });
  return out;
}

/** kubectl's merge: the first file that defines a cluster/user/context name wins, and the first current-context. */
function mergeKubeConfigs(KubeConfigClass: new () => KubeConfig, configs: KubeConfig[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const c of configs) {
    for (const x of c.getClusters()) if (!clusters.has(x.name)) clusters.set(x.name, x);
    for (const x of c.getUsers()) if (!users.has(x.name)) users.set(x.name, x);
    for (const x of c.getContexts()) if (!contexts.has(x.name)) contexts.set(x.name, x);
    if (currentContext === '' && c.getCurrentContext()) currentContext = c.getCurrentContext();
  }
  const kc = new KubeConfigClass();
  kc.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return kc;
}

/**
 * The in-cluster configuration client-node's loadFromCluster builds, with the service account directory as
 * a parameter: the CA file, and the token file re-read every minute (projected tokens rotate).
 */
function inClusterConfig(KubeConfigClass: new () => KubeConfig, host: string, port: string, dir: string): KubeConfig {
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const serverHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const kc = new KubeConfigClass();
  kc.loadFromOptions({
    clusters: [{ name: 'inCluster', server: `${scheme}://${serverHost}:${port}`, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: join(dir, 'token') } } }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
    currentContext: 'inClusterContext',
  });
  return kc;
}
