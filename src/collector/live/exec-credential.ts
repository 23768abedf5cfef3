import { spawn } from 'node:child_process';
import { InputError } from '../../errors.ts';
import type { KubeSelection } from './kubeconfig-model.ts';
import { checkPair, type Authenticator, type ClusterTransport, type Credentials } from './auth.ts';

/**
 * client-go credential plugins (k8s.io/client-go/plugin/pkg/client/auth/exec/exec.go; API
 * client.authentication.k8s.io v1 and v1beta1, "client-go credential plugins" in the Kubernetes
 * authentication docs): the plugin runs with the kubeconfig's args and env plus KUBERNETES_EXEC_INFO (an
 * ExecCredential with spec.interactive and, with provideClusterInfo, spec.cluster) and prints an
 * ExecCredential whose status holds a token or a client certificate and key. The credential is reused until
 * its expirationTimestamp (indefinitely without one) and the plugin runs again after a 401. A capture has no
 * terminal: interactiveMode Always is an error, IfAvailable runs non-interactive. Each run is bounded by the
 * request timeout (client-go has none; a plugin waiting for a login would hang a scheduled capture).
 */

const SUPPORTED = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);
/** Largest plugin output read (an ExecCredential is a few KiB). */
const MAX_STDOUT = 1024 * 1024;
const MAX_STDERR = 64 * 1024;

interface ExecResult {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  /** ms since the epoch; undefined: no expirationTimestamp. */
  expiresAt?: number;
}

export function execAuthenticator(sel: KubeSelection, transport: ClusterTransport, opts: { now: () => number; impersonation: Record<string, string | string[]> }): Authenticator {
  const { user, cluster } = sel;
  const exec = user.exec!;
  const at = `user "${user.name}".exec`;
  const bad = (field: string, message: string): InputError => new InputError('INPUT_INVALID', `kubeconfig "${user.source}": ${at}${field}: ${message}`, { file: user.source, fields: [`${at}${field}`] });
  // validation.go validateAuthInfo, and exec.go newAuthenticator's apiVersion check.
  if (exec.command === '') throw bad('.command', 'expected the plugin command, found none');
  if (exec.apiVersion === '') throw bad('.apiVersion', 'expected client.authentication.k8s.io/v1 or v1beta1, found none');
  if (!SUPPORTED.has(exec.apiVersion)) throw bad('.apiVersion', `expected client.authentication.k8s.io/v1 or v1beta1, found "${exec.apiVersion}"`);
  exec.env.forEach((e, i) => {
    if (e.name === '') throw bad(`.env[${i}].name`, 'expected a variable name, found none');
  });
  if (exec.interactiveMode === '') throw bad('.interactiveMode', 'expected Never, IfAvailable or Always (required for client.authentication.k8s.io/v1), found none');

  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo) {
    // exec.go ConfigToExecCluster: the cluster as the plugin sees it (clientauthentication v1 Cluster).
    const c: Record<string, unknown> = { server: cluster.server };
    if (cluster.tlsServerName) c['tls-server-name'] = cluster.tlsServerName;
    if (cluster.insecureSkipTlsVerify) c['insecure-skip-tls-verify'] = true;
    if (transport.caData) c['certificate-authority-data'] = transport.caData.toString('base64');
    if (cluster.proxyUrl) c['proxy-url'] = cluster.proxyUrl;
    if (cluster.execExtension !== undefined) c['config'] = cluster.execExtension;
    spec['cluster'] = c;
  }
  const execInfo = JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec });
  const name = `exec plugin "${exec.command}" (user "${user.name}")`;

  let cached: { creds: Credentials; expiresAt?: number } | undefined;
  let running: Promise<Credentials> | undefined;

  const run = async (limitMs: number): Promise<Credentials> => {
    if (exec.interactiveMode === 'Always') {
      throw new Error(`${name} has interactiveMode Always and needs a terminal; a capture runs without one: log in first, or set interactiveMode IfAvailable or Never`);
    }
    const env: Record<string, string | undefined> = { ...process.env };
    for (const e of exec.env) env[e.name] = e.value;
    env['KUBERNETES_EXEC_INFO'] = execInfo;
    const out = await runPlugin(exec.command, exec.args, env, limitMs, name, exec.installHint);
    const r = parseExecCredential(out, exec.apiVersion, name);
    const creds: Credentials = { headers: { ...opts.impersonation }, cached: false };
    if (r.token !== undefined) creds.headers['Authorization'] = `Bearer ${r.token}`;
    if (r.cert && r.key) {
      checkPair(r.cert, r.key, (m) => new Error(`${name}: ${m}`));
      creds.cert = r.cert;
      creds.key = r.key;
    }
    cached = { creds, ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}) };
    return creds;
  };

  return {
    async credentials(limitMs: number): Promise<Credentials> {
      // exec.go getCreds: the cached credential while not expired (a zero expiry never expires).
      if (cached && (cached.expiresAt === undefined || opts.now() < cached.expiresAt)) return { ...cached.creds, cached: true };
      running ??= run(limitMs).finally(() => {
        running = undefined;
      });
      return { ...(await running), cached: false };
    },
    invalidate(used: Credentials): boolean {
      // exec.go maybeRefreshCreds: only when the rejected credential is still the cached one.
      if (!cached || cached.creds.headers['Authorization'] !== used.headers['Authorization'] || cached.creds.cert !== used.cert) return false;
      cached = undefined;
      return true;
    },
  };
}

function runPlugin(command: string, args: string[], env: Record<string, string | undefined>, limitMs: number, name: string, installHint: string | undefined): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let child;
    try {
      child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      reject(new Error(`${name} could not be started: ${(e as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let errSize = 0;
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`no credentials within ${limitMs} ms (an exec credential plugin that does not exit? ${name} is still running, maybe waiting for an interactive login)`)));
    }, limitMs);
    child.stdout.on('data', (c: Buffer) => {
      outSize += c.length;
      if (outSize > MAX_STDOUT) {
        child.kill('SIGKILL');
        finish(() => reject(new Error(`${name} wrote more than ${MAX_STDOUT} bytes on stdout; expected one ExecCredential`)));
        return;
      }
      out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (errSize < MAX_STDERR) err.push(c);
      errSize += c.length;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') {
        // exec.go: "exec: executable %s not found" followed by the kubeconfig's installHint.
        finish(() => reject(new Error(`${name}: executable not found${installHint ? `. ${installHint.trim()}` : ' (is the credential plugin installed and on PATH?)'}`)));
      } else {
        finish(() => reject(new Error(`${name} could not be started: ${e.message}`)));
      }
    });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8').trim().slice(-500);
      if (code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        finish(() => reject(new Error(`${name} ${how}${stderr ? `: ${stderr}` : ' and wrote nothing on stderr'}`)));
        return;
      }
      finish(() => resolve(Buffer.concat(out).toString('utf8')));
    });
  });
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The ExecCredential a plugin printed, checked as exec.go refreshCredsLocked does. */
export function parseExecCredential(text: string, apiVersion: string, name: string): ExecResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: expected an ExecCredential as JSON on stdout, found ${text.trim() === '' ? 'nothing' : `unparseable output (${(e as Error).message})`}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${name}: expected an ExecCredential object on stdout, found ${Array.isArray(v) ? 'a list' : typeof v}`);
  const o = v as Record<string, unknown>;
  if (o['kind'] !== 'ExecCredential') throw new Error(`${name}: expected kind ExecCredential, found ${JSON.stringify(o['kind'] ?? null)}`);
  // exec.go: "exec plugin is configured to use API version %s, plugin returned version %s".
  if (o['apiVersion'] !== apiVersion) throw new Error(`${name} is configured for ${apiVersion} but returned ${JSON.stringify(o['apiVersion'] ?? null)}`);
  const status = o['status'];
  if (status === null || typeof status !== 'object' || Array.isArray(status)) throw new Error(`${name}: the ExecCredential has no status`);
  const s = status as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const x = s[k];
    if (x === undefined || x === null || x === '') return undefined;
    if (typeof x !== 'string') throw new Error(`${name}: status.${k}: expected a string, found ${typeof x}`);
    return x;
  };
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  if ((cert === undefined) !== (key === undefined)) throw new Error(`${name} returned only ${cert === undefined ? 'clientKeyData' : 'clientCertificateData'}; expected both or neither`);
  if (token === undefined && cert === undefined) throw new Error(`${name} returned neither status.token nor status.clientCertificateData/clientKeyData`);
  const r: ExecResult = {};
  if (token !== undefined) r.token = token;
  if (cert !== undefined && key !== undefined) {
    r.cert = Buffer.from(cert);
    r.key = Buffer.from(key);
  }
  const exp = str('expirationTimestamp');
  if (exp !== undefined) {
    const t = Date.parse(exp);
    if (!RFC3339.test(exp) || Number.isNaN(t)) throw new Error(`${name}: status.expirationTimestamp: expected an RFC 3339 time, found "${exp.slice(0, 40)}"`);
    r.expiresAt = t;
  }
  return r;
}
