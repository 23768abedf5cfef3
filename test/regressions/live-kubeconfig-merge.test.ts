// Live capture: default kubeconfig resolution did not follow kubectl. With $KUBECONFIG=a:b the LAST file's
// current-context won, a cluster/user/context name defined in two files threw "Duplicate cluster", and a
// listed file that does not exist failed the capture (kubectl: first file wins, missing files skipped).
// A relative --kubeconfig was resolved against the process's directory, not the CLI's working directory.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { readLive } from '../../src/collector/live/source.ts';
import { loadKubeConfig } from '../../src/collector/live/kubeconfig.ts';
import { UsageError } from '../../src/errors.ts';
import { generateKeyPair, privateKeyPem } from '../../src/crypto/index.ts';
import { main } from '../../src/cli/main.ts';
import { startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.ts';
import { memoryIO } from '../helpers/io.ts';
import { RESOURCES, TOKEN, makeObjects, makeTls } from '../live/fixtures.ts';

let server: FakeApiServer;
let dir: string;
const fast = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

beforeAll(async () => {
  const t = makeTls('x.example.com', 'ec');
  server = await startFakeApiServer({ token: TOKEN, resources: RESOURCES, objects: makeObjects({ gw: t, app: t, clientCa: t, backendCa: t, unreferenced: t }) });
  dir = mkdtempSync(join(tmpdir(), 'gwe-kc-merge-'));
});
afterAll(async () => {
  await server?.close();
});

/** The fake server's kubeconfig, as an object to edit. */
const good = (): Record<string, any> => JSON.parse(readFileSync(server.kubeconfigPath, 'utf8'));

it('$KUBECONFIG with several files: first file wins for names and current-context, missing files are skipped', async () => {
  const a = good();
  a['contexts'].push({ name: 'other', context: { cluster: 'fake', user: 'collector' } });
  const b = good(); // same names, a dead server and a wrong token: must all lose to file a
  b['clusters'][0]['cluster']['server'] = 'https://127.0.0.1:1';
  b['users'][0]['user'] = { token: 'wrong' };
  b['current-context'] = 'other';
  b['contexts'].push({ name: 'only-in-b', context: { cluster: 'fake', user: 'collector' } });
  writeFileSync(join(dir, 'a.yaml'), JSON.stringify(a));
  writeFileSync(join(dir, 'b.yaml'), JSON.stringify(b));
  const KUBECONFIG = [join(dir, 'missing.yaml'), join(dir, 'a.yaml'), join(dir, 'b.yaml')].join(delimiter);

  const kc = await loadKubeConfig({ env: { KUBECONFIG } });
  expect(kc.getCurrentContext()).toBe('fake');
  expect(kc.getCurrentCluster()?.server).toBe(server.url);
  expect(kc.getContexts().map((c) => c.name).sort()).toEqual(['fake', 'only-in-b', 'other']);

  const live = await readLive({ env: { KUBECONFIG }, retry: fast, sleep: async () => undefined });
  expect(live.gaps).toEqual([]);
  expect(live.cluster.context).toBe('fake');
  expect(live.input.objects.some((o) => o.object['kind'] === 'Gateway')).toBe(true);
});

it('without $KUBECONFIG reads ~/.kube/config; with nothing at all it is a usage error naming what was tried', async () => {
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeFileSync(join(home, '.kube', 'config'), readFileSync(server.kubeconfigPath));
  const live = await readLive({ env: { HOME: home }, retry: fast, sleep: async () => undefined });
  expect(live.gaps).toEqual([]);

  const empty = join(dir, 'empty-home');
  mkdirSync(empty);
  const err = await loadKubeConfig({ env: { HOME: empty }, serviceAccountDir: join(dir, 'no-sa') }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(/no cluster to collect from: no \$KUBECONFIG, no .*empty-home\/\.kube\/config/);
});

it('a relative --kubeconfig is read from the working directory of the command', async () => {
  const cwd = join(dir, 'work');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'kc.yaml'), readFileSync(server.kubeconfigPath));
  writeFileSync(join(cwd, 'k.pem'), privateKeyPem(generateKeyPair((n) => new Uint8Array(randomBytes(n)))));
  const io = memoryIO({ cwd });
  const code = await main(['collect', '--kubeconfig', 'kc.yaml', '--out', 'b.tar.gz', '--key', 'k.pem', '--quiet'], io);
  expect(code, io.err()).toBe(0);
  const missing = memoryIO({ cwd });
  expect(await main(['collect', '--kubeconfig', 'nope.yaml', '--out', 'c.tar.gz', '--key', 'k.pem'], missing)).toBe(65);
  expect(missing.err()).toMatch(/cannot load kubeconfig "nope\.yaml": expected a file, found nothing at .*work\/nope\.yaml/);
});
