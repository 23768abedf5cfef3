import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.ts';
import { KubeConfig, inClusterKubeConfig, loadKubeConfigFile, mergeKubeConfigs } from './kubeconfig-model.ts';

/**
 * Where a live capture gets its cluster and credentials, resolved the way kubectl (client-go clientcmd)
 * does it:
 * 1. `--kubeconfig FILE` (relative to the working directory, `~/` expanded): that file only; it must exist.
 * 2. else `$KUBECONFIG`, a list of files separated by the platform delimiter: files that do not exist are
 *    skipped; for clusters, users and contexts the FIRST file that defines a name wins, and so does the
 *    first file that sets `current-context` (clientcmd loader.go, "ClientConfigLoadingRules.Load").
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

/** Loads a KubeConfig (see the module comment for the order). */
export async function loadKubeConfig(opts: KubeConfigSourceOptions): Promise<KubeConfig> {
  return (await resolveKubeConfig(opts)).kubeConfig;
}

export async function resolveKubeConfig(opts: KubeConfigSourceOptions): Promise<{ kubeConfig: KubeConfig; origin: KubeConfigOrigin }> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const home = env['HOME'] ?? env['USERPROFILE'];
  const expand = (p: string): string => {
    const t = p === '~' || p.startsWith('~/') ? (home ? join(home, p.slice(1)) : p) : p;
    return isAbsolute(t) ? t : resolve(cwd, t);
  };

  let files: string[] = [];
  let kc: KubeConfig | undefined;
  if (opts.kubeconfigPath !== undefined && opts.kubeconfigPath !== '') {
    const file = expand(opts.kubeconfigPath);
    if (!existsSync(file)) throw new InputError('INPUT_UNREADABLE', `cannot load kubeconfig "${opts.kubeconfigPath}": expected a file, found nothing at ${file}`, { file: opts.kubeconfigPath });
    files = [file];
    kc = loadKubeConfigFile(file);
  } else if (env['KUBECONFIG'] !== undefined && env['KUBECONFIG'] !== '') {
    const listed = env['KUBECONFIG'].split(delimiter).filter((f) => f !== '').map(expand);
    files = [...new Set(listed)].filter((f) => existsSync(f) && statSync(f).isFile());
    if (files.length > 0) kc = mergeKubeConfigs(files.map((f) => loadKubeConfigFile(f)));
  } else if (home) {
    const file = join(home, '.kube', 'config');
    if (existsSync(file)) {
      files = [file];
      kc = loadKubeConfigFile(file);
    }
  }

  let origin: KubeConfigOrigin = { kind: 'file', files };
  if (!kc || kc.getClusters().length === 0) {
    const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
    const host = env['KUBERNETES_SERVICE_HOST'];
    const port = env['KUBERNETES_SERVICE_PORT'];
    if (opts.kubeconfigPath === undefined && host && port && existsSync(join(dir, 'token'))) {
      kc = inCluster(host, port, dir);
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
  if (!kc.getCurrentContext()) {
    throw new UsageError(`no cluster to collect from: the kubeconfig (${describeOrigin(origin)}) has no current-context; give --context NAME (found: ${kc.getContexts().map((c) => c.name).join(', ') || '(none)'})`);
  }
  kc.select(); // an unknown current-context, or a context naming a cluster or user that is not defined: the file named
  return { kubeConfig: kc, origin };
}

export function describeOrigin(o: KubeConfigOrigin): string {
  return o.kind === 'in-cluster' ? `in-cluster service account ${o.dir}` : o.files.join(', ') || '(none)';
}

/**
 * In a Pod (client-go rest/config.go InClusterConfig): the service account's token (re-read as it rotates,
 * auth.ts), its ca.crt when present (client-go logs and goes on without it) and its namespace.
 */
function inCluster(host: string, port: string, dir: string): KubeConfig {
  let namespace: string | undefined;
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    namespace = undefined; // optional, as in client-go
  }
  const kc = inClusterKubeConfig(host, port, dir, namespace);
  if (!existsSync(join(dir, 'ca.crt'))) delete kc.clusters[0]!.certificateAuthority;
  return kc;
}
