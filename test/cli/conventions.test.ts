// Issue 10: one output flag everywhere, --out FILE with - = stdout, kubectl scoping, colour and progress
// rules, --min-severity/--summary, collect --dry-run. In-process through main(argv, memoryIO).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { ROOT, run, sampleBundle } from '../regressions/report-sample-bundle.ts';

let dir = '';
beforeAll(async () => {
  dir = await sampleBundle('b.tar.gz');
});

const TRUST = join(ROOT, 'keys/trust.yaml');
const POLICY = join(ROOT, 'samples/policy.yaml');

describe('one format flag: -o/--output on every command, --format deprecated', () => {
  const cases: Array<[string, string[], string]> = [
    ['report', ['report', 'b.tar.gz', '-o', 'json'], '"schemaVersion"'],
    ['report --output', ['report', 'b.tar.gz', '--output', 'markdown'], '# '],
    ['diff', ['diff', 'b.tar.gz', 'b.tar.gz', '-o', 'json'], '"summary"'],
    ['verify', ['verify', 'b.tar.gz', '--trust', TRUST, '-o', 'json'], '"verdict"'],
    ['inspect', ['inspect', 'b.tar.gz', '-o', 'json'], '"kind"'],
    ['resolve', ['resolve', 'b.tar.gz', '-o', 'yaml'], 'gatewayClasses:'],
    ['version', ['version', '-o', 'json'], '"bundleFormat"'],
  ];
  for (const [name, argv, marker] of cases) {
    it(`${name}: -o picks the format, nothing on stderr`, async () => {
      const r = await run(dir, argv);
      expect([0, 1]).toContain(r.code);
      expect(r.out).toContain(marker);
      expect(r.err).toBe('');
    });
  }

  it('the old --format spelling still works, with a deprecation note on stderr', async () => {
    const r = await run(dir, ['report', 'b.tar.gz', '--format', 'json']);
    expect(JSON.parse(r.out).schemaVersion).toBe('gateway-evidence.io/report/v1');
    expect(r.err).toMatch(/--format is deprecated .* use -o\/--output json/);
    const d = await run(dir, ['diff', 'b.tar.gz', 'b.tar.gz', '--format', 'markdown']);
    expect(d.code).toBe(0);
    expect(d.err).toMatch(/--format is deprecated/);
  });

  it('-o and --format that disagree are a usage error; an unknown format names the choices', async () => {
    expect((await run(dir, ['report', 'b.tar.gz', '-o', 'json', '--format', 'html'])).code).toBe(64);
    const bad = await run(dir, ['verify', 'b.tar.gz', '--trust', TRUST, '-o', 'html']);
    expect(bad.code).toBe(64);
    expect(bad.err).toContain('expected -o/--output text|json, found "html"');
  });
});

describe('--out FILE, with - meaning standard output', () => {
  it('--out - writes to stdout and creates no file named "-"', async () => {
    for (const argv of [
      ['report', 'b.tar.gz', '-o', 'markdown', '--out', '-'],
      ['diff', 'b.tar.gz', 'b.tar.gz', '--out', '-'],
      ['verify', 'b.tar.gz', '--trust', TRUST, '--out', '-'],
      ['resolve', 'b.tar.gz', '--out', '-'],
      ['inspect', 'b.tar.gz', '--out', '-'],
    ]) {
      const r = await run(dir, argv);
      expect(r.out.length, argv.join(' ')).toBeGreaterThan(50);
      expect(existsSync(join(dir, '-')), argv.join(' ')).toBe(false);
    }
  });

  it('--out FILE writes the file atomically for every reading command', async () => {
    for (const [argv, file] of [
      [['diff', 'b.tar.gz', 'b.tar.gz', '-o', 'html', '--out', 'd.html'], 'd.html'],
      [['verify', 'b.tar.gz', '--trust', TRUST, '-o', 'json', '--out', 'v.json'], 'v.json'],
      [['resolve', 'b.tar.gz', '-o', 'json', '--out', 'r.json'], 'r.json'],
      [['inspect', 'b.tar.gz', '--certificates', '--out', 'c.txt'], 'c.txt'],
    ] as Array<[string[], string]>) {
      const r = await run(dir, argv);
      expect(r.out, argv.join(' ')).toBe('');
      expect(readFileSync(join(dir, file), 'utf8').length).toBeGreaterThan(20);
    }
    expect(JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')).verdict).toBe('verified-with-findings');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--out html (a format name) still writes the file, and says -o html was probably meant', async () => {
    const r = await run(dir, ['report', 'b.tar.gz', '--out', 'html']);
    expect(r.err).toContain('writing to a file named "html"; for the html format use -o html');
    expect(readFileSync(join(dir, 'html'), 'utf8')).toMatch(/^gateway-evidence report/);
  });
});

describe('kubectl scoping: -n (repeatable), -A, --exclude-namespace, -l', () => {
  it('inspect -n a -n b lists only those namespaces; --exclude-namespace removes one', async () => {
    const r = await run(dir, ['inspect', 'b.tar.gz', '-n', 'chatbot', '-n', 'agents', '-o', 'json']);
    const rows = JSON.parse(r.out) as { metadata: { namespace?: string } }[];
    expect(rows.length).toBeGreaterThan(3);
    expect(new Set(rows.map((o) => o.metadata.namespace))).toEqual(new Set(['chatbot', 'agents']));
    const ex = await run(dir, ['inspect', 'b.tar.gz', '--kind', 'services', '--exclude-namespace', 'chatbot', '-o', 'json']);
    const svcs = JSON.parse(ex.out) as { kind: string; metadata: { namespace?: string } }[];
    expect(svcs.length).toBeGreaterThan(0);
    expect(svcs.every((o) => o.kind === 'Service' && o.metadata.namespace !== 'chatbot')).toBe(true);
  });

  it('inspect --kind takes plural and short names, and a list is a table', async () => {
    for (const k of ['HTTPRoute', 'httproute', 'httproutes', 'httproutes.gateway.networking.k8s.io']) {
      const r = await run(dir, ['inspect', 'b.tar.gz', '--kind', k]);
      expect(r.code, k).toBe(0);
      expect(r.out.split('\n')[0], k).toMatch(/^KIND\s+NAMESPACE\s+NAME\s+FILE$/);
      expect(r.out, k).toContain('chat-public');
      expect(r.out, k).not.toContain('Gateway ');
    }
    const gtw = await run(dir, ['inspect', 'b.tar.gz', '--kind', 'gtw', '-o', 'yaml']);
    expect(gtw.out).toMatch(/^apiVersion: gateway\.networking\.k8s\.io\/v1\nkind: Gateway\n/);
    expect(gtw.out).not.toMatch(/^kind: (?!Gateway$)/m);
    const svc = await run(dir, ['inspect', 'b.tar.gz', '--kind', 'svc', '-n', 'chatbot', '-o', 'json']);
    expect((JSON.parse(svc.out) as { metadata: { name: string } }[]).map((o) => o.metadata.name)).toEqual(['chat-llama-epp', 'chat-model-v1', 'chat-model-v2']);
    const named = await run(dir, ['inspect', 'b.tar.gz', '--kind', 'httproutes', '-n', 'chatbot', '--name', 'chat-public']);
    expect(named.out).toMatch(/^apiVersion: gateway\.networking\.k8s\.io\/v1\nkind: HTTPRoute/);
  });

  it('inspect -l selects by labels', async () => {
    const r = await run(dir, ['inspect', 'b.tar.gz', '-l', 'gateway-evidence.io/service-type in (internal-inference,retrieval)', '-o', 'json']);
    const objs = JSON.parse(r.out) as { kind: string; metadata: { labels?: Record<string, string> } }[];
    expect(Array.isArray(objs)).toBe(true);
    expect(objs.length).toBeGreaterThan(0);
    expect(objs.length).toBe(4);
    expect(objs.every((o) => ['internal-inference', 'retrieval'].includes(o.metadata.labels?.['gateway-evidence.io/service-type'] ?? ''))).toBe(true);
    const none = await run(dir, ['inspect', 'b.tar.gz', '-l', 'app.kubernetes.io/part-of=nothing-has-this']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('selector app.kubernetes.io/part-of=nothing-has-this');
  });

  it('resolve -n shows routes of that namespace and the Gateway that serves them, not other namespaces', async () => {
    const r = await run(dir, ['resolve', 'b.tar.gz', '-n', 'chatbot', '-o', 'json']);
    const res = JSON.parse(r.out) as { routes: { namespace: string }[]; gateways: { namespace: string; name: string }[]; routing: { hostnames: { routes: { namespace: string }[] }[] }[] };
    expect(res.routes.length).toBeGreaterThan(0);
    expect(res.routes.every((x) => x.namespace === 'chatbot')).toBe(true);
    expect(res.gateways.map((g) => `${g.namespace}/${g.name}`)).toEqual(['infra/shared-gw']);
    const all = await run(dir, ['resolve', 'b.tar.gz', '-A', '-o', 'json']);
    expect((JSON.parse(all.out) as { routes: unknown[] }).routes.length).toBeGreaterThan(res.routes.length);
    for (const e of res.routing) for (const h of e.hostnames) expect(h.routes.some((x) => x.namespace === 'chatbot')).toBe(true);
  });

  it('report -n limits routing rows and findings, and its JSON still validates', async () => {
    const r = await run(dir, ['report', 'b.tar.gz', '--policy', POLICY, '-n', 'chatbot', '-o', 'json']);
    const m = JSON.parse(r.out);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/report.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    expect(ajv.validate(schema, m), JSON.stringify(ajv.errors)).toBe(true);
    expect(m.routing.length).toBeGreaterThan(0);
    for (const row of m.routing) expect(row.route.namespace === 'chatbot' || row.gateway.startsWith('chatbot/')).toBe(true);
    const full = JSON.parse((await run(dir, ['report', 'b.tar.gz', '--policy', POLICY, '-o', 'json'])).out);
    expect(m.findings.length).toBeLessThan(full.findings.length);
  });

  it('-A with -n, and a malformed selector, are usage errors naming the flag', async () => {
    const a = await run(dir, ['resolve', 'b.tar.gz', '-A', '-n', 'x']);
    expect(a.code).toBe(64);
    expect(a.err).toContain('-A/--all-namespaces and -n/--namespace are exclusive');
    const l = await run(dir, ['inspect', 'b.tar.gz', '-l', 'a in (b']);
    expect(l.code).toBe(64);
    expect(l.err).toContain('-l/--selector: unbalanced "("');
  });

  it('collect from files with -n and -l records the scope in the bundle and keeps only what is in scope', async () => {
    const r = await run(dir, ['collect', '--from', join(ROOT, 'samples/cluster'), '--out', 'scoped.tar.gz', '--key', join(ROOT, 'keys/collector.test-only.key.pem'), '-n', 'chatbot', '-l', 'app.kubernetes.io/part-of=chatbot', '--captured-at', '2026-12-01T09:00:00Z']);
    expect(r.code).toBe(0);
    const rec = await run(dir, ['inspect', 'scoped.tar.gz', '--record', '-o', 'json']);
    const record = JSON.parse(rec.out);
    expect(record.scope).toEqual({ namespaces: ['chatbot'], labelSelector: 'app.kubernetes.io/part-of=chatbot' });
    const objs = JSON.parse((await run(dir, ['inspect', 'scoped.tar.gz', '-o', 'json'])).out) as { kind: string; metadata: { namespace?: string } }[];
    expect(objs.filter((o) => o.metadata.namespace !== undefined && !['Deployment', 'Pod', 'DaemonSet'].includes(o.kind)).every((o) => o.metadata.namespace === 'chatbot')).toBe(true);
    expect(objs.some((o) => o.kind === 'HTTPRoute')).toBe(true);
    expect(objs.some((o) => o.kind === 'GatewayClass')).toBe(true); // cluster-scoped context is kept
    const rep = await run(dir, ['report', 'scoped.tar.gz']);
    expect(rep.out).toMatch(/Scope\s+namespaces chatbot, selector app\.kubernetes\.io\/part-of=chatbot/);
  });
});

describe('collect --dry-run', () => {
  it('reads and normalises, prints what would be captured, the sources and gaps; needs no key and writes nothing', async () => {
    const r = await run(dir, ['collect', '--from', join(ROOT, 'samples/cluster'), '--out', 'never.tar.gz', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^dry run: would capture into never\.tar\.gz \(nothing signed or written\)/);
    expect(r.out).toContain('01-gateway-api-crds.yaml');
    expect(r.out).toMatch(/HTTPRoute\s+\d+/);
    expect(r.out).toMatch(/gaps\s+0/);
    expect(existsSync(join(dir, 'never.tar.gz'))).toBe(false);
  });
});

describe('--min-severity and --summary (verify and report)', () => {
  it('verify --summary prints the verdict and counts by severity and code; the exit code is unchanged', async () => {
    const r = await run(dir, ['verify', 'b.tar.gz', '--trust', TRUST, '--policy', POLICY, '--summary']);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('VERIFIED WITH FINDINGS  b.tar.gz');
    expect(lines[1]).toMatch(/^errors \d+, warnings \d+, info \d+$/);
    expect(r.out).toMatch(/ {2}error +\d+ {2}POLICY_TLS_REQUIRED/);
  });

  it('--min-severity error leaves warnings and info out of the listing, not out of the counts', async () => {
    const full = JSON.parse((await run(dir, ['verify', 'b.tar.gz', '--trust', TRUST, '-o', 'json'])).out);
    const r = await run(dir, ['verify', 'b.tar.gz', '--trust', TRUST, '-o', 'json', '--min-severity', 'error']);
    const v = JSON.parse(r.out);
    expect(v.verdict).toBe(full.verdict);
    expect([...v.findings, ...v.analysis.findings].every((f: { severity: string }) => f.severity === 'error')).toBe(true);
    expect(full.analysis.findings.some((f: { severity: string }) => f.severity !== 'error')).toBe(true);
    const s = await run(dir, ['report', 'b.tar.gz', '--policy', POLICY, '--summary', '--min-severity', 'warning']);
    expect(s.out).toMatch(/errors \d+, warnings \d+, info [1-9]\d*/);
    expect(s.out).not.toMatch(/^ {2}info /m);
    expect(s.out).toMatch(/below --min-severity not listed/);
    const t = await run(dir, ['report', 'b.tar.gz', '--policy', POLICY, '--min-severity', 'error']);
    expect(t.out).not.toContain('EXPOSURE_PLAINTEXT_HOSTNAME');
    expect(t.code).toBe(1);
  });

  it('report --summary with html is a usage error', async () => {
    expect((await run(dir, ['report', 'b.tar.gz', '--summary', '-o', 'html'])).code).toBe(64);
  });
});

describe('colour on a terminal only, honouring NO_COLOR and --no-color; progress on stderr on a terminal only', () => {
  const tty = (env: Record<string, string> = {}): ReturnType<typeof memoryIO> => {
    const io = memoryIO({ cwd: dir, env });
    io.stdoutIsTTY = true;
    io.stderrIsTTY = true;
    return io;
  };
  const ESC = '\x1b[';

  it('colours the verdict on a terminal', async () => {
    const io = tty();
    await main(['verify', 'b.tar.gz', '--trust', TRUST], io);
    expect(io.out()).toContain(`${ESC}33mVERIFIED WITH FINDINGS`);
    expect(io.err()).toContain('\r\x1b[Kverify: '); // progress line, cleared at the end
  });

  it('no colour with NO_COLOR, --no-color, or when stdout is not a terminal; no progress off a terminal or with --quiet', async () => {
    const a = tty({ NO_COLOR: '1' });
    await main(['verify', 'b.tar.gz', '--trust', TRUST], a);
    expect(a.out()).not.toContain(ESC);
    const b = tty();
    await main(['verify', 'b.tar.gz', '--trust', TRUST, '--no-color', '--quiet'], b);
    expect(b.out()).not.toContain(ESC);
    expect(b.err()).toBe('');
    const c = memoryIO({ cwd: dir });
    await main(['report', 'b.tar.gz'], c);
    expect(c.out()).not.toContain(ESC);
    expect(c.err()).toBe('');
  });

  it('--verbose logs each step with timings on stderr, even off a terminal; --quiet with --verbose is refused', async () => {
    const r = await run(dir, ['diff', 'b.tar.gz', 'b.tar.gz', '--verbose']);
    expect(r.err).toMatch(/diff: reading b\.tar\.gz \(\+\d+ ms\)/);
    expect((await run(dir, ['report', 'b.tar.gz', '-q', '-v'])).code).toBe(64);
  });
});

describe('every command has --quiet, --verbose and --no-color; kubectl plugin name', () => {
  it('help of each command lists them', async () => {
    for (const c of ['collect', 'keygen', 'sign', 'verify', 'resolve', 'diff', 'inspect', 'report', 'version']) {
      const io = memoryIO({ cwd: dir });
      await main([c, '--help'], io);
      expect(io.out(), c).toMatch(/-q, --quiet/);
      expect(io.out(), c).toMatch(/-v, --verbose/);
      expect(io.out(), c).toMatch(/--no-color/);
    }
  });

  it('package.json installs kubectl-gwe on PATH (kubectl gwe ...)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin['kubectl-gwe']).toBe('./bin/gwe.js');
  });
});

describe('README claim: verify --help prints the cap defaults', () => {
  it('each --max-* flag shows its default from DEFAULT_CAPS', async () => {
    const { DEFAULT_CAPS } = await import('../../src/bundle/reader.ts');
    const io = memoryIO({ cwd: dir });
    await main(['verify', '--help'], io);
    const help = io.out().replace(/\s+/g, ' ');
    expect(help).toContain(`--max-bytes <n> cap on uncompressed archive bytes (default ${DEFAULT_CAPS.maxUncompressedBytes})`);
    expect(help).toContain(`(default ${DEFAULT_CAPS.maxCompressedBytes})`);
    expect(help).toContain(`--max-entries <n> cap on archive entries (default ${DEFAULT_CAPS.maxEntries})`);
    expect(help).toContain(`(default ${DEFAULT_CAPS.maxFileBytes})`);
    expect(help).toContain(`--max-ratio <n> cap on the decompression ratio (default ${DEFAULT_CAPS.maxRatio})`);
  });
});
