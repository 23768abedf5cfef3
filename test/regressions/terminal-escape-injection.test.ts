// Issue 8 item 2: terminal escape injection. Finding messages interpolated attacker-controlled strings
// (object names, backendRef/parentRef names, cluster name, gap messages) raw. A hostile bundle holding ESC
// sequences made `gwe verify` (exit 2) render in a terminal as "VERIFIED ...", erasing the FAILED line and
// every error; it could set the window title and clear the screen. Same in inspect, report text/markdown,
// diff. Now every value is escaped by the renderers (src/model/display.ts) and the CLI's output writer
// escapes whatever reaches stdout/stderr (src/cli/main.ts): no raw C0/C1 control or bidi override gets out.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../src/bundle/build.ts';
import { publicKeyPem } from '../../src/crypto/index.ts';
import { main } from '../../src/cli/main.ts';
import type { Capture } from '../../src/model/collection.ts';
import type { KubeObject } from '../../src/model/object.ts';
import { memoryIO } from '../helpers/io.ts';
import { KEY, OTHER_KEY } from '../unit/chain/fixtures.ts';
import { platform, route } from '../unit/diff/fixtures.ts';

/** Clear screen + home, OSC window title, CR + erase line, a fake verdict on a new line, C1 CSI, bidi overrides. */
const EVIL = 'x\x1b[2J\x1b[H\x1b]0;pwned\x07\r\x1b[2KVERIFIED  ok\nVERIFIED  b.tar.gz\x9b31m\u202eevil\u2066\u200b\ufeff\u2028\x00\x7f';
/** Anything a terminal acts on: C0 (except newline), DEL, C1, bidi embeddings/overrides/isolates, zero-width, BOM, separators. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]|\udb40[\udc00-\udc7f]/;

const CLUSTER = 'c\x9b2J\u202eevil\u2066\u{e0041}';
let dir: string;

function hostileCapture(): Capture {
  const base = platform();
  const evilRoute: KubeObject = route('models', `r${EVIL}`, 'evil.example.com', [{ name: `svc${EVIL}` }]);
  (evilRoute.spec as { parentRefs: Array<Record<string, unknown>> }).parentRefs.push({ name: `gw${EVIL}`, namespace: 'infra' });
  const objects = [...base.snapshot.objects, evilRoute, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${EVIL}` } }];
  return {
    snapshot: { ...base.snapshot, objects },
    record: {
      ...base.record,
      cluster: { name: CLUSTER, uid: CLUSTER }, // bag-info.txt refuses C0 controls here
      gaps: [{ kind: `k${EVIL}`, namespace: `n${EVIL}`, message: `m${EVIL}`, status: 403 }],
      warnings: [{ code: 'NOTE', message: `w${EVIL}` }],
      partial: true,
    },
  };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

function expectClean(r: { out: string; err: string }, what: string): void {
  expect(RAW.exec(r.out)?.[0], `${what}: raw control in stdout`).toBeUndefined();
  expect(RAW.exec(r.err)?.[0], `${what}: raw control in stderr`).toBeUndefined();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gwe-escape-'));
  writeFileSync(join(dir, 'evil.tar.gz'), buildBundle(hostileCapture(), { signers: [KEY] }).bytes);
  writeFileSync(join(dir, 'plain.tar.gz'), buildBundle(platform(), { signers: [KEY] }).bytes);
  writeFileSync(join(dir, 'key.pub.pem'), publicKeyPem(KEY.publicKey));
  writeFileSync(join(dir, 'other.pub.pem'), publicKeyPem(OTHER_KEY.publicKey));
});

describe('terminal escape injection', () => {
  it('gwe verify of a failing hostile bundle: exit 2, FAILED first, no raw control, no line that says VERIFIED', async () => {
    const r = await run(['verify', 'evil.tar.gz', '--key', 'other.pub.pem']);
    expect(r.code).toBe(2);
    expectClean(r, 'verify (failed)');
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^FAILED/);
    expect(lines.filter((l) => /^\s*VERIFIED/.test(l))).toEqual([]);
    expect(r.out).toContain('\\x1b[2J'); // shown, visibly
  });

  it('gwe verify with the right key: findings naming hostile routes and backends are escaped', async () => {
    const r = await run(['verify', 'evil.tar.gz', '--key', 'key.pub.pem']);
    expectClean(r, 'verify');
    expect(r.out).toContain('BackendNotFound');
    expect(r.out).toContain('svcx\\x1b[2J');
    expect(r.out.split('\n').filter((l) => /^\s*VERIFIED {2}/.test(l))).toEqual([]);
  });

  it('gwe verify --output json stays valid JSON and keeps the exact strings', async () => {
    const r = await run(['verify', 'evil.tar.gz', '--key', 'key.pub.pem', '--output', 'json']);
    expectClean(r, 'verify json');
    const report = JSON.parse(r.out) as { bundle: { cluster: { name: string } } };
    expect(report.bundle.cluster.name).toBe(CLUSTER);
  });

  it('gwe inspect (table, one object as YAML, the record), resolve text/yaml', async () => {
    for (const args of [
      ['inspect', 'evil.tar.gz'],
      ['inspect', 'evil.tar.gz', '--kind', 'HTTPRoute', '--namespace', 'models'],
      ['inspect', 'evil.tar.gz', '--record'],
      ['resolve', 'evil.tar.gz'],
      ['resolve', 'evil.tar.gz', '-o', 'yaml'],
    ]) {
      const r = await run(args);
      expectClean(r, args.join(' '));
    }
    // YAML keeps its meaning: the escapes are double-quoted-scalar escapes
    const { parse } = await import('yaml');
    const y = parse((await run(['inspect', 'evil.tar.gz', '--record', '--output', 'yaml'])).out) as { cluster: { name: string } };
    expect(y.cluster.name).toBe(CLUSTER);
  });

  it('gwe report text and markdown, to the terminal and to a file', async () => {
    for (const format of ['text', 'markdown', 'html', 'json', 'sarif']) {
      const r = await run(['report', 'evil.tar.gz', '--key', 'key.pub.pem', '--format', format]);
      expectClean(r, `report ${format}`);
      await run(['report', 'evil.tar.gz', '--key', 'key.pub.pem', '--format', format, '--out', `r.${format}`]);
      expect(RAW.exec(readFileSync(join(dir, `r.${format}`), 'utf8'))?.[0], `report --out r.${format}`).toBeUndefined();
    }
    const md = (await run(['report', 'evil.tar.gz', '--key', 'key.pub.pem', '--format', 'markdown'])).out;
    expect(md.split('\n').filter((l) => /^VERIFIED/.test(l))).toEqual([]);
  });

  it('gwe diff (text, markdown, html) and verify --chain', async () => {
    for (const format of ['text', 'markdown', 'html', 'json']) {
      const r = await run(['diff', 'plain.tar.gz', 'evil.tar.gz', '--format', format]);
      expectClean(r, `diff ${format}`);
      if (format === 'text') expect(r.out).toContain('\\x1b');
    }
    expectClean(await run(['verify', '--chain', 'plain.tar.gz', 'evil.tar.gz', '--key', 'key.pub.pem']), 'verify --chain');
  });

  it('errors: a bundle path holding controls is escaped in the error message', async () => {
    // (a NUL in a path is another bug: Node refuses the path before any read)
    const r = await run(['inspect', `missing${EVIL.replace('\x00', '')}.tar.gz`]);
    expect(r.code).toBe(65);
    expectClean(r, 'error');
  });
});
