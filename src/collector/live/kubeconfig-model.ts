import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { InputError, UsageError } from '../../errors.ts';

/**
 * Our own typed kubeconfig: the fields of client-go's clientcmd/api/v1/types.go (Config, Cluster, AuthInfo,
 * Context, ExecConfig, AuthProviderConfig) that a read-only capture uses, parsed from YAML or JSON with an
 * error naming the file and the field for every wrong type. Unknown fields are ignored, as client-go's
 * decoder does. Relative file paths are resolved against the directory of the file that defined them
 * (clientcmd loader.go, ResolveLocalPaths; an exec command only when it contains a path separator).
 * Loading the files and kubectl's merge rules are in kubeconfig.ts; credentials and TLS in auth.ts.
 */

export interface KubeCluster {
  name: string;
  /** The kubeconfig file that defined it (messages). */
  source: string;
  server: string;
  certificateAuthority?: string;
  certificateAuthorityData?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  /** extensions[name="client.authentication.k8s.io/exec"].extension, handed to an exec plugin with provideClusterInfo. */
  execExtension?: unknown;
}

export type ExecInteractiveMode = 'Never' | 'IfAvailable' | 'Always';

export interface KubeExec {
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: string;
  installHint?: string;
  provideClusterInfo: boolean;
  /** Empty when the kubeconfig sets none and the apiVersion has no default (v1: required). */
  interactiveMode: ExecInteractiveMode | '';
}

export interface KubeUser {
  name: string;
  source: string;
  clientCertificate?: string;
  clientCertificateData?: Buffer;
  clientKey?: string;
  clientKeyData?: Buffer;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  /** as, as-uid, as-groups, as-user-extra: sent as Impersonate-* headers. */
  impersonate?: { user?: string; uid?: string; groups: string[]; extra: Record<string, string[]> };
  authProvider?: { name: string; config: Record<string, string> };
  exec?: KubeExec;
}

export interface KubeContext {
  name: string;
  source: string;
  cluster: string;
  user: string;
  namespace?: string;
}

/** The context a capture uses, with its cluster and user, checked as client-go's ConfirmUsable does. */
export interface KubeSelection {
  context: KubeContext;
  cluster: KubeCluster;
  user: KubeUser;
}

export class KubeConfig {
  readonly clusters: KubeCluster[];
  readonly users: KubeUser[];
  readonly contexts: KubeContext[];
  /** Read with getCurrentContext(), set with setCurrentContext() (a plain field: dist and src types stay comparable). */
  currentContext: string;
  /** The file that set current-context (messages). */
  currentContextSource: string | undefined;

  constructor(init: { clusters?: KubeCluster[]; users?: KubeUser[]; contexts?: KubeContext[]; currentContext?: string; currentContextSource?: string }) {
    this.clusters = init.clusters ?? [];
    this.users = init.users ?? [];
    this.contexts = init.contexts ?? [];
    this.currentContext = init.currentContext ?? '';
    this.currentContextSource = init.currentContextSource;
  }

  getClusters(): KubeCluster[] {
    return this.clusters;
  }
  getUsers(): KubeUser[] {
    return this.users;
  }
  getContexts(): KubeContext[] {
    return this.contexts;
  }
  getCurrentContext(): string {
    return this.currentContext;
  }
  getCurrentContextSource(): string | undefined {
    return this.currentContextSource;
  }
  /** `--context NAME`: a usage error when no context has that name. */
  setCurrentContext(name: string): void {
    if (!this.contexts.some((c) => c.name === name)) {
      throw new UsageError(`context "${name}" not found in the kubeconfig; found: ${this.contexts.map((c) => c.name).join(', ') || '(none)'}`);
    }
    this.currentContext = name;
    this.currentContextSource = '--context';
  }
  getContext(name: string): KubeContext | undefined {
    return this.contexts.find((c) => c.name === name);
  }
  getCluster(name: string): KubeCluster | undefined {
    return this.clusters.find((c) => c.name === name);
  }
  getUser(name: string): KubeUser | undefined {
    return this.users.find((c) => c.name === name);
  }
  /** The current context's cluster, when the context and the cluster exist. */
  getCurrentCluster(): KubeCluster | undefined {
    const ctx = this.getContext(this.currentContext);
    return ctx ? this.getCluster(ctx.cluster) : undefined;
  }
  getCurrentUser(): KubeUser | undefined {
    const ctx = this.getContext(this.currentContext);
    return ctx ? this.getUser(ctx.user) : undefined;
  }

  /**
   * The current context, its cluster and its user, or an error naming the file: an unknown current-context,
   * a context without (or naming an undefined) cluster or user (client-go clientcmd validation.go,
   * validateContext). Only the context in use is checked, as kubectl does: a merged kubeconfig may hold
   * broken contexts that are never used.
   */
  select(): KubeSelection {
    const name = this.currentContext;
    if (name === '') {
      throw new UsageError(`the kubeconfig has no current-context; give --context NAME (found: ${this.contexts.map((c) => c.name).join(', ') || '(none)'})`);
    }
    const context = this.getContext(name);
    if (!context) {
      throw new InputError('INPUT_INVALID', `kubeconfig "${this.currentContextSource ?? '(none)'}": current-context "${name}" names no context; found: ${this.contexts.map((c) => c.name).join(', ') || '(none)'}`, { ...(this.currentContextSource ? { file: this.currentContextSource } : {}), fields: ['current-context'] });
    }
    const where = `kubeconfig "${context.source}": context "${name}"`;
    if (context.cluster === '') throw new InputError('INPUT_INVALID', `${where}: expected a cluster, found none (contexts[].context.cluster)`, { file: context.source, fields: ['context.cluster'] });
    if (context.user === '') throw new InputError('INPUT_INVALID', `${where}: expected a user, found none (contexts[].context.user)`, { file: context.source, fields: ['context.user'] });
    const cluster = this.getCluster(context.cluster);
    if (!cluster) {
      throw new InputError('INPUT_INVALID', `${where} names cluster "${context.cluster}", which no kubeconfig file defines; found: ${this.clusters.map((c) => c.name).join(', ') || '(none)'}`, { file: context.source, fields: ['context.cluster'] });
    }
    const user = this.getUser(context.user);
    if (!user) {
      throw new InputError('INPUT_INVALID', `${where} names user "${context.user}", which no kubeconfig file defines; found: ${this.users.map((c) => c.name).join(', ') || '(none)'}`, { file: context.source, fields: ['context.user'] });
    }
    return { context, cluster, user };
  }
}

/** Reads and parses one kubeconfig file; relative paths in it become relative to its directory. */
export function loadKubeConfigFile(file: string): KubeConfig {
  let text: string;
  try {
    // Size first, before reading: a kubeconfig pointing at a huge file or a device cannot exhaust memory.
    const st = statSync(file);
    if (!st.isFile()) throw new InputError('INPUT_UNREADABLE', `cannot read kubeconfig "${file}": expected a regular file`, { file });
    if (st.size > MAX_KUBECONFIG_BYTES) throw new InputError('INPUT_TOO_LARGE', `kubeconfig "${file}": larger than ${MAX_KUBECONFIG_BYTES} bytes`, { file });
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', `cannot read kubeconfig "${file}": ${(e as Error).message}`, { file, cause: e });
  }
  return parseKubeConfig(text, file);
}

/** Largest kubeconfig accepted (client-go has no cap; ours keeps a hostile file from exhausting memory). */
const MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Parses kubeconfig text (YAML or JSON). `file` names the source in messages and is the base of relative
 * paths (a file's directory; client-go loader.go ResolveLocalPaths).
 */
export function parseKubeConfig(text: string, file: string): KubeConfig {
  if (Buffer.byteLength(text) > MAX_KUBECONFIG_BYTES) {
    throw new InputError('INPUT_TOO_LARGE', `kubeconfig "${file}": larger than ${MAX_KUBECONFIG_BYTES} bytes`, { file });
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    throw new InputError('INPUT_INVALID', `kubeconfig "${file}": expected YAML or JSON, found a syntax error: ${doc.errors[0]!.message.split('\n')[0]}`, { file });
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  // An empty file is an empty config (client-go loader.go LoadFromFile: "if len(data) == 0").
  if (raw === null || raw === undefined) return new KubeConfig({});
  const p = new FieldReader(file, dirname(file));
  const top = p.object(raw, '');
  const cfg = {
    clusters: p.namedList(top, 'clusters', 'cluster', (v, at, name) => p.cluster(v, at, name)),
    users: p.namedList(top, 'users', 'user', (v, at, name) => p.user(v, at, name)),
    contexts: p.namedList(top, 'contexts', 'context', (v, at, name) => p.context(v, at, name)),
    currentContext: p.string(top, 'current-context', '') ?? '',
  };
  return new KubeConfig({ ...cfg, ...(cfg.currentContext !== '' ? { currentContextSource: file } : {}) });
}

const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

/** Reads typed fields, every error naming the file and the field path (e.g. `users[1] "dev".user.token`). */
class FieldReader {
  constructor(readonly file: string, readonly base: string) {}

  fail(at: string, expected: string, found: unknown): never {
    throw new InputError('INPUT_INVALID', `kubeconfig "${this.file}": ${at}: expected ${expected}, found ${describe(found)}`, { file: this.file, fields: [at] });
  }

  object(v: unknown, at: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(at || 'the document', 'a mapping', v);
    return v as Record<string, unknown>;
  }

  /** An optional field: undefined (or null, JSON's zero value) is absent. */
  string(o: Record<string, unknown>, key: string, at: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(join2(at, key), 'a string', v);
    return v;
  }

  bool(o: Record<string, unknown>, key: string, at: string): boolean {
    const v = o[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') this.fail(join2(at, key), 'true or false', v);
    return v;
  }

  stringList(o: Record<string, unknown>, key: string, at: string): string[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(join2(at, key), 'a list of strings', v);
    return v.map((x, i) => (typeof x === 'string' ? x : this.fail(`${join2(at, key)}[${i}]`, 'a string', x)));
  }

  /** A `*-data` field: base64 in the file ([]byte in client-go's types). */
  bytes(o: Record<string, unknown>, key: string, at: string): Buffer | undefined {
    const s = this.string(o, key, at);
    if (s === undefined || s === '') return undefined;
    const compact = s.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) this.fail(join2(at, key), 'base64 data', `"${s.slice(0, 20)}${s.length > 20 ? '...' : ''}"`);
    return Buffer.from(compact, 'base64');
  }

  /** A path field, resolved against the kubeconfig's directory when relative. */
  path(o: Record<string, unknown>, key: string, at: string): string | undefined {
    const s = this.string(o, key, at);
    if (s === undefined || s === '') return undefined;
    return isAbsolute(s) ? s : join(this.base, s);
  }

  /** clusters/users/contexts: a list of {name, <item>} with unique names (client-go conversion: "duplicate name"). */
  namedList<T>(top: Record<string, unknown>, key: string, itemKey: string, read: (v: Record<string, unknown>, at: string, name: string) => T): T[] {
    const v = top[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(key, `a list of {name, ${itemKey}}`, v);
    const seen = new Set<string>();
    return v.map((entry, i) => {
      const e = this.object(entry, `${key}[${i}]`);
      const name = e['name'];
      if (typeof name !== 'string' || name === '') this.fail(`${key}[${i}].name`, 'a non-empty string', name);
      if (seen.has(name)) {
        throw new InputError('INPUT_DUPLICATE', `kubeconfig "${this.file}": ${key}[${i}]: the name "${name}" is defined twice in this file; expected unique names`, { file: this.file, fields: [`${key}[${i}].name`] });
      }
      seen.add(name);
      const at = `${key}[${i}] "${name}".${itemKey}`;
      const item = e[itemKey];
      return read(item === undefined || item === null ? {} : this.object(item, at), at, name);
    });
  }

  cluster(o: Record<string, unknown>, at: string, name: string): KubeCluster {
    const c: KubeCluster = { name, source: this.file, server: this.string(o, 'server', at) ?? '', insecureSkipTlsVerify: this.bool(o, 'insecure-skip-tls-verify', at) };
    const ca = this.path(o, 'certificate-authority', at);
    if (ca !== undefined) c.certificateAuthority = ca;
    const caData = this.bytes(o, 'certificate-authority-data', at);
    if (caData !== undefined) c.certificateAuthorityData = caData;
    const sni = this.string(o, 'tls-server-name', at);
    if (sni) c.tlsServerName = sni;
    const proxy = this.string(o, 'proxy-url', at);
    if (proxy) c.proxyUrl = proxy;
    this.bool(o, 'disable-compression', at); // type-checked; responses are never compressed by this client
    const ext = this.extension(o, at, EXEC_EXTENSION);
    if (ext !== undefined) c.execExtension = ext;
    return c;
  }

  /** extensions: a list of {name, extension} (client-go NamedExtension). */
  extension(o: Record<string, unknown>, at: string, wanted: string): unknown {
    const v = o['extensions'];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(`${at}.extensions`, 'a list of {name, extension}', v);
    let found: unknown;
    v.forEach((x, i) => {
      const e = this.object(x, `${at}.extensions[${i}]`);
      if (typeof e['name'] !== 'string') this.fail(`${at}.extensions[${i}].name`, 'a string', e['name']);
      if (e['name'] === wanted) found = e['extension'];
    });
    return found;
  }

  user(o: Record<string, unknown>, at: string, name: string): KubeUser {
    const u: KubeUser = { name, source: this.file };
    const set = <K extends keyof KubeUser>(k: K, v: KubeUser[K] | undefined): void => {
      if (v !== undefined && v !== '') u[k] = v;
    };
    set('clientCertificate', this.path(o, 'client-certificate', at));
    set('clientCertificateData', this.bytes(o, 'client-certificate-data', at));
    set('clientKey', this.path(o, 'client-key', at));
    set('clientKeyData', this.bytes(o, 'client-key-data', at));
    set('token', this.string(o, 'token', at));
    set('tokenFile', this.path(o, 'tokenFile', at));
    set('username', this.string(o, 'username', at));
    set('password', this.string(o, 'password', at));
    const asUser = this.string(o, 'as', at);
    const asUid = this.string(o, 'as-uid', at);
    const asGroups = this.stringList(o, 'as-groups', at);
    const extraRaw = o['as-user-extra'];
    const extra: Record<string, string[]> = {};
    if (extraRaw !== undefined && extraRaw !== null) {
      const e = this.object(extraRaw, `${at}.as-user-extra`);
      for (const k of Object.keys(e)) extra[k] = this.stringList(e, k, `${at}.as-user-extra`);
    }
    if (asUser || asUid || asGroups.length > 0 || Object.keys(extra).length > 0) {
      u.impersonate = { ...(asUser ? { user: asUser } : {}), ...(asUid ? { uid: asUid } : {}), groups: asGroups, extra };
    }
    const ap = o['auth-provider'];
    if (ap !== undefined && ap !== null) {
      const a = this.object(ap, `${at}.auth-provider`);
      const apName = this.string(a, 'name', `${at}.auth-provider`) ?? '';
      const config: Record<string, string> = {};
      const rawConfig = a['config'];
      if (rawConfig !== undefined && rawConfig !== null) {
        const c = this.object(rawConfig, `${at}.auth-provider.config`);
        for (const k of Object.keys(c)) config[k] = this.string(c, k, `${at}.auth-provider.config`) ?? '';
      }
      u.authProvider = { name: apName, config };
    }
    const ex = o['exec'];
    if (ex !== undefined && ex !== null) u.exec = this.exec(this.object(ex, `${at}.exec`), `${at}.exec`);
    return u;
  }

  exec(o: Record<string, unknown>, at: string): KubeExec {
    const rawCommand = this.string(o, 'command', at) ?? '';
    // client-go loader.go GetAuthInfoFileReferences: "Only resolve exec command if it isn't PATH based."
    const command = rawCommand !== '' && rawCommand.includes(sep) && !isAbsolute(rawCommand) ? join(this.base, rawCommand) : rawCommand;
    const envRaw = o['env'];
    const env: KubeExec['env'] = [];
    if (envRaw !== undefined && envRaw !== null) {
      if (!Array.isArray(envRaw)) this.fail(`${at}.env`, 'a list of {name, value}', envRaw);
      envRaw.forEach((x, i) => {
        const e = this.object(x, `${at}.env[${i}]`);
        env.push({ name: this.string(e, 'name', `${at}.env[${i}]`) ?? '', value: this.string(e, 'value', `${at}.env[${i}]`) ?? '' });
      });
    }
    const apiVersion = this.string(o, 'apiVersion', at) ?? '';
    let mode = this.string(o, 'interactiveMode', at) ?? '';
    if (mode !== '' && mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always') this.fail(`${at}.interactiveMode`, 'Never, IfAvailable or Always', `"${mode}"`);
    // clientcmd/api/v1/defaults.go SetDefaults_ExecConfig: IfAvailable for v1alpha1/v1beta1; v1 has no default.
    if (mode === '' && (apiVersion === 'client.authentication.k8s.io/v1beta1' || apiVersion === 'client.authentication.k8s.io/v1alpha1')) mode = 'IfAvailable';
    const out: KubeExec = { command, args: this.stringList(o, 'args', at), env, apiVersion, provideClusterInfo: this.bool(o, 'provideClusterInfo', at), interactiveMode: mode as KubeExec['interactiveMode'] };
    const hint = this.string(o, 'installHint', at);
    if (hint) out.installHint = hint;
    return out;
  }

  context(o: Record<string, unknown>, at: string, name: string): KubeContext {
    const c: KubeContext = { name, source: this.file, cluster: this.string(o, 'cluster', at) ?? '', user: this.string(o, 'user', at) ?? '' };
    const ns = this.string(o, 'namespace', at);
    if (ns) c.namespace = ns;
    return c;
  }
}

function join2(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return v.startsWith('"') ? v : `a string`;
  return `${typeof v} ${String(v)}`;
}

/** kubectl's merge (clientcmd loader.go ClientConfigLoadingRules.Load): the first file that defines a name wins, and the first current-context. */
export function mergeKubeConfigs(configs: KubeConfig[]): KubeConfig {
  const clusters = new Map<string, KubeCluster>();
  const users = new Map<string, KubeUser>();
  const contexts = new Map<string, KubeContext>();
  let currentContext = '';
  let currentContextSource: string | undefined;
  for (const c of configs) {
    for (const x of c.getClusters()) if (!clusters.has(x.name)) clusters.set(x.name, x);
    for (const x of c.getUsers()) if (!users.has(x.name)) users.set(x.name, x);
    for (const x of c.getContexts()) if (!contexts.has(x.name)) contexts.set(x.name, x);
    if (currentContext === '' && c.getCurrentContext() !== '') {
      currentContext = c.getCurrentContext();
      currentContextSource = c.getCurrentContextSource();
    }
  }
  return new KubeConfig({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext, ...(currentContextSource ? { currentContextSource } : {}) });
}

/**
 * The in-cluster configuration (client-go rest/config.go InClusterConfig): https://HOST:PORT, the service
 * account's ca.crt, its token file (re-read as it rotates) and its namespace as the context's namespace.
 */
export function inClusterKubeConfig(host: string, port: string, dir: string, namespace?: string): KubeConfig {
  const serverHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host; // net.JoinHostPort
  const source = `in-cluster service account ${dir}`;
  return new KubeConfig({
    clusters: [{ name: 'inCluster', source, server: `https://${serverHost}:${port}`, certificateAuthority: join(dir, 'ca.crt'), insecureSkipTlsVerify: false }],
    users: [{ name: 'inClusterUser', source, tokenFile: join(dir, 'token') }],
    contexts: [{ name: 'inClusterContext', source, cluster: 'inCluster', user: 'inClusterUser', ...(namespace ? { namespace } : {}) }],
    currentContext: 'inClusterContext',
    currentContextSource: source,
  });
}
