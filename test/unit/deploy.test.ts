// Issue 10 item 5: deploy/ builds the image the CronJob names, and the CronJob's script passes only real
// `gwe collect` flags, with the bundles, the signing key, an audit log and DNS exports on mounted volumes.
// Static checks parse deploy/*.yaml, deploy/Dockerfile and deploy/README.md; then the script itself runs (sh,
// paths moved under a temporary directory, a stand-in `gwe` that records its argv) and that argv drives the
// real CLI against the fake API server: a bundle with audit and DNS evidence, chained to the previous one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Command, type Option } from 'commander';
import { parseAllDocuments } from 'yaml';
import { main, type CommandContext } from '../../src/cli/main.ts';
import { registerCommands } from '../../src/cli/commands/index.ts';
import { memoryIO } from '../helpers/io.ts';
import { generateKeyPair, privateKeyPem } from '../../src/crypto/index.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from '../live/fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
type Obj = Record<string, any>;
const yamlDocs = (f: string): Obj[] => parseAllDocuments(readFileSync(join(ROOT, 'deploy', f), 'utf8')).map((d) => d.toJS() as Obj);
const cron = yamlDocs('cronjob.yaml');
const rbac = yamlDocs('rbac.yaml');
const job = cron.find((d) => d['kind'] === 'CronJob')!;
const pod = job['spec']['jobTemplate']['spec']['template']['spec'] as Obj;
const container = (pod['containers'] as Obj[]).find((c) => c['name'] === 'collect')!;
const script = (container['args'] as string[])[0]!;
const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
const readme = readFileSync(join(ROOT, 'deploy/README.md'), 'utf8');

/** The long options of `gwe collect`, read from the CLI itself. */
async function collectFlags(): Promise<Set<string>> {
  const program = new Command();
  await registerCommands(program, { io: memoryIO(), exitCode: 0 } as unknown as CommandContext); // imports the command modules (src/cli/commands/index.ts)
  const collect = program.commands.find((c) => c.name() === 'collect')!;
  return new Set((collect.options as readonly Option[]).map((o) => o.long!).filter(Boolean));
}

/** The mount of `path` (longest mountPath prefix) and its volume. */
function mountOf(path: string): { mount: Obj; volume: Obj } {
  const mounts = (container['volumeMounts'] as Obj[]).filter((m) => path === m['mountPath'] || path.startsWith(`${m['mountPath']}/`));
  const mount = mounts.sort((a, b) => b['mountPath'].length - a['mountPath'].length)[0];
  expect(mount, `a volume mounted at ${path}`).toBeDefined();
  const volume = (pod['volumes'] as Obj[]).find((v) => v['name'] === mount!['name'])!;
  return { mount: mount!, volume };
}

describe('deploy/ static checks', () => {
  it('the CronJob image is the one deploy/Dockerfile and deploy/README.md build, and the user matches', () => {
    const tag = /docker build -f deploy\/Dockerfile --build-arg TARBALL=(\S+) -t (\S+) \./.exec(dockerfile);
    expect(tag, 'the build command in the Dockerfile header').not.toBeNull();
    expect(container['image']).toBe(tag![2]);
    expect(readme).toContain(`docker build -f deploy/Dockerfile --build-arg TARBALL=${tag![1]} -t ${tag![2]} .`);
    expect(readme).toContain(`docker push ${tag![2]}`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(tag![1]).toBe(`${pkg.name}-${pkg.version}.tgz`); // what `npm pack` writes
    expect(container['image']).toMatch(new RegExp(`/${pkg.name}:${pkg.version.replace(/\./g, '\\.')}$`));
    const user = /^USER (\d+):(\d+)$/m.exec(dockerfile)!;
    expect([pod['securityContext']['runAsUser'], pod['securityContext']['runAsGroup']]).toEqual([Number(user[1]), Number(user[2])]);
    expect(readFileSync(join(ROOT, 'deploy/Dockerfile.dockerignore'), 'utf8')).toContain(`!${pkg.name}-*.tgz`);
  });

  it('the ServiceAccount, namespace and PVC the CronJob uses exist in deploy/', () => {
    const sa = rbac.find((d) => d['kind'] === 'ServiceAccount')!;
    expect(pod['serviceAccountName']).toBe(sa['metadata']['name']);
    expect(job['metadata']['namespace']).toBe(sa['metadata']['namespace']);
    const pvc = cron.find((d) => d['kind'] === 'PersistentVolumeClaim')!;
    expect(mountOf('/evidence').volume['persistentVolumeClaim']['claimName']).toBe(pvc['metadata']['name']);
  });

  it('every mount has its volume; the script\'s paths are mounted as they must be', () => {
    const volumes = new Set((pod['volumes'] as Obj[]).map((v) => v['name']));
    for (const m of container['volumeMounts'] as Obj[]) expect(volumes.has(m['name']), m['name']).toBe(true);
    // --out: the bundles PVC, writable
    expect(script).toMatch(/--out "\$out"/);
    const out = /out="(\/[^/"]+)\//.exec(script)![1]!;
    expect(mountOf(out).mount['readOnly']).not.toBe(true);
    // --key: the signing-key Secret, read-only, the file it names
    const key = /--key (\S+)/.exec(script)![1]!;
    const k = mountOf(key);
    expect(k.mount['readOnly']).toBe(true);
    expect(k.volume['secret']['items'].map((i: Obj) => `${k.mount['mountPath']}/${i['path']}`)).toContain(key);
    // --audit-log: the API server's audit log directory, read-only
    const audit = /for log in (\/\S+?)\/[^/\s]*; do .*--audit-log "\$log"/.exec(script)![1]!;
    const a = mountOf(audit);
    expect(a.mount['readOnly']).toBe(true);
    expect(a.volume['hostPath']['path']).toBe('/var/log/kubernetes/audit');
    // --dns: the DNS export ConfigMap, read-only and optional
    const dns = /for zone in (\/\S+?)\/\*; do .*--dns "\$zone"/.exec(script)![1]!;
    const d = mountOf(dns);
    expect(d.mount['readOnly']).toBe(true);
    expect(d.volume['configMap']).toEqual({ name: 'gateway-evidence-dns-export', optional: true });
    // the root filesystem is read-only: scratch space is mounted
    expect(container['securityContext']['readOnlyRootFilesystem']).toBe(true);
    expect(mountOf('/tmp').volume['emptyDir']).toBeDefined();
  });

  it('every flag the script passes is a real `gwe collect` option', async () => {
    const code = script.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n'); // comments may name API server flags
    const flags = [...code.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]);
    expect(flags).toEqual(expect.arrayContaining(['--out', '--key', '--previous', '--audit-log', '--dns', '--strict']));
    const real = await collectFlags();
    expect(flags.filter((f) => !real.has(f))).toEqual([]);
    // and the check can fail
    expect(real.has('--not-a-flag')).toBe(false);
  });
});

describe('deploy/cronjob.yaml script, run', () => {
  let dir = '';
  let server: FakeApiServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gwe-deploy-'));
    const tls = { gw: makeTls('gw.example.com', 'ec'), app: makeTls('app.example.com', 'ec'), clientCa: makeTls('client-ca', 'ec'), backendCa: makeTls('backend-ca', 'ec'), unreferenced: makeTls('unused', 'ec') };
    server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects(tls) });
    for (const d of ['keys', 'evidence', 'audit', 'dns', 'tmp', 'bin']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'keys/signer.pem'), privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n)))), { mode: 0o600 });
    copyFileSync(join(ROOT, 'samples/operational/audit.log'), join(dir, 'audit/audit.log'));
    copyFileSync(join(ROOT, 'samples/operational/example.ai.zone'), join(dir, 'dns/example.ai.zone'));
    // the stand-in gwe: records its argv, one NUL-terminated argument each
    writeFileSync(join(dir, 'bin/gwe'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > "${join(dir, 'argv')}"\n`);
    chmodSync(join(dir, 'bin/gwe'), 0o755);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Runs the CronJob script as written, with its absolute paths moved under `dir`; returns gwe's argv. */
  function runScript(): string[] {
    let s = script;
    for (const p of ['/evidence', '/keys', '/audit', '/dns']) s = s.split(p + '/').join(`${dir}${p}/`).split(`${p}-`).join(`${dir}${p}-`);
    const env = { PATH: `${join(dir, 'bin')}:${process.env['PATH']}`, ...(container['env'] as Obj[]).reduce((o, e) => ({ ...o, [e['name']]: e['value'] }), {}) };
    execFileSync((container['command'] as string[])[0]!, [...(container['command'] as string[]).slice(1), s], { env, stdio: 'pipe' });
    return readFileSync(join(dir, 'argv'), 'utf8').split('\0').slice(0, -1);
  }

  it('the script\'s argv is a valid collect run: a bundle with the audit log and the DNS export, the next one chained', async () => {
    const argv = runScript();
    expect(argv[0]).toBe('collect');
    expect(argv).toEqual(expect.arrayContaining(['--audit-log', join(dir, 'audit/audit.log'), '--dns', join(dir, 'dns/example.ai.zone')]));
    expect(argv).not.toContain('--previous'); // no earlier bundle yet
    // in the cluster the service account is used; here the fake API server's kubeconfig stands in for it
    const io = memoryIO({ cwd: dir });
    const code = await main([...argv, '--kubeconfig', server.kubeconfigPath], io);
    expect(io.err()).not.toMatch(/unknown option|error: /);
    expect(code).toBe(0);
    const first = readdirSync(join(dir, 'evidence'));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^prod-eu-1-\d{8}T\d{6}Z\.tar\.gz$/);
    const opened = openBundle(new Uint8Array(readFileSync(join(dir, 'evidence', first[0]!))));
    expect(opened.integrityOk).toBe(true);
    expect(JSON.stringify(opened.capture.record.dns)).toContain('example.ai.zone');
    expect(JSON.stringify(opened.capture.record.audit)).toContain('audit.log');

    // the next quarter: a new file, chained to the first with --previous
    await new Promise((r) => setTimeout(r, 1100)); // the file name has a seconds timestamp
    const next = runScript();
    expect(next[next.indexOf('--previous') + 1]).toBe(join(dir, 'evidence', first[0]!));
  });
});
