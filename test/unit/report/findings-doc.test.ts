/**
 * Every finding code emitted anywhere in src/ is documented in docs/findings.md (issue 11 gap: codes added without
 * docs). Codes are found by grepping the code literals in src/: SCREAMING_SNAKE string literals, the codes built
 * by bundle/operational.ts's checkListed (`${label}_UNLISTED` ...), and the Gateway API / profile condition reasons
 * the resolver sets (a False condition's reason is the finding's code). A new code fails this test until docs/findings.md
 * names it in backticks; a new way of building codes fails it until the collector below learns it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SRC = join(ROOT, 'src');
const DOC = readFileSync(join(ROOT, 'docs', 'findings.md'), 'utf8');

/** SCREAMING_SNAKE literals in src/ that are not finding codes, each with the reason. */
const NOT_FINDING_CODES: Readonly<Record<string, string>> = {
  GWE_KEY_PASSWORD: 'environment variable',
  NO_COLOR: 'environment variable',
  KUBERNETES_SERVICE_HOST: 'environment variable (in-cluster config)',
  KUBERNETES_SERVICE_PORT: 'environment variable (in-cluster config)',
  KUBERNETES_EXEC_INFO: 'environment variable (exec credential plugins, collector/live/exec-credential.ts)',
  HTTPS_PROXY: 'environment variable (live capture proxy, collector/live/proxy.ts)',
  HTTP_PROXY: 'environment variable (live capture proxy, collector/live/proxy.ts)',
  NO_PROXY: 'environment variable (live capture proxy, collector/live/proxy.ts)',
  REQUEST_METHOD: 'environment variable (CGI: HTTP_PROXY refused, collector/live/proxy.ts)',
  EAI_AGAIN: 'Node.js system error code (retry table)',
  UND_ERR_SOCKET: 'undici error code (retry table)',
  ERR_BUFFER_TOO_LARGE: 'Node.js error code',
  ERR_INVALID_ARG_VALUE: 'Node.js error code (cli/main.ts handleError: a NUL in a path from input)',
  Z_BUF_ERROR: 'zlib error code',
  ISTIO_MUTUAL: 'Istio TLS mode value',
  QUOTE_DOUBLE: 'yaml library scalar type',
  TAG_RESOLVE_FAILED: 'yaml library warning code',
  INVALID_JSON: 'strict-json problem, reported as JSON_INVALID (bundle/layout.ts jsonCode)',
  DUPLICATE_KEY: 'strict-json problem, reported as JSON_DUPLICATE_KEY',
  NOT_CANONICAL: 'strict-json problem, reported as JSON_NOT_CANONICAL',
  TOO_DEEP: 'strict-json problem, reported as JSON_INVALID',
  ALWAYS_UP: 'elkjs layout option value (report/map/svg.ts)',
  NODES_AND_EDGES: 'elkjs layout option value (report/map/svg.ts)',
};

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

const FILES = new Map(tsFiles(SRC).map((p) => [relative(ROOT, p), readFileSync(p, 'utf8')]));

/** SCREAMING_SNAKE literals, minus those only used as a prefix (`.startsWith('X')`) and the checkListed labels. */
function snakeCodes(): Set<string> {
  const codes = new Set<string>();
  const prefixOnly = new Map<string, boolean>();
  for (const text of FILES.values()) {
    for (const m of text.matchAll(/(\.startsWith\(\s*)?(['"`])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\2/g)) {
      const code = m[3]!;
      prefixOnly.set(code, (prefixOnly.get(code) ?? true) && m[1] !== undefined);
    }
  }
  const labels = checkListedLabels();
  for (const [code, onlyPrefix] of prefixOnly) if (!onlyPrefix && !labels.has(code)) codes.add(code);
  return codes;
}

/** The labels passed to bundle/operational.ts checkListed, which builds `${label}_<SUFFIX>` codes. */
function checkListedLabels(): Set<string> {
  const text = FILES.get(join('src', 'bundle', 'operational.ts'))!;
  return new Set([...text.matchAll(/checkListed\([^;]*?'([A-Z][A-Z_]+)'/g)].map((m) => m[1]!));
}

/** Codes built from a template (`${code}_MISMATCH`): the checkListed labels x the suffixes it appends. */
function builtCodes(): Set<string> {
  const text = FILES.get(join('src', 'bundle', 'operational.ts'))!;
  const suffixes = [...text.matchAll(/`\$\{code\}_([A-Z]+)`/g)].map((m) => m[1]!);
  const out = new Set<string>();
  for (const l of checkListedLabels()) for (const s of suffixes) out.add(`${l}_${s}`);
  return out;
}

/** Condition reasons the resolver and verifier set (a False condition becomes a finding with the reason as code). */
function reasonCodes(): Set<string> {
  const out = new Set<string>();
  for (const [path, text] of FILES) {
    if (!path.startsWith(join('src', 'resolve')) && !path.startsWith(join('src', 'verify'))) continue;
    const re = /(?:reason: |fail\(|code: |cond\('[A-Za-z]+', 'False', )'([A-Z][a-z][A-Za-z]+)'/g;
    for (const m of text.matchAll(re)) out.add(m[1]!);
  }
  return out;
}

const documented = (code: string): boolean => DOC.includes(`\`${code}\``);

describe('docs/findings.md documents every finding code in src/', () => {
  it('finds the codes (the grep is not vacuous)', () => {
    const codes = snakeCodes();
    expect(codes.size).toBeGreaterThan(150);
    for (const c of ['STATUS_DRIFT', 'CAPTURE_INCOMPLETE', 'PROFILE_SWITCH', 'EXPOSURE_HTTP_REDIRECT', 'ARCHIVE_PATH_TRAVERSAL']) expect(codes.has(c), c).toBe(true);
    expect([...builtCodes()].sort()).toEqual(['ATTACHMENT_MISMATCH', 'ATTACHMENT_MISSING', 'ATTACHMENT_UNLISTED', 'DNS_FILE_MISMATCH', 'DNS_FILE_MISSING', 'DNS_FILE_UNLISTED']);
    const reasons = reasonCodes();
    for (const r of ['RefNotPermitted', 'BackendNotFound', 'PortNotFound', 'UnsupportedRefValue', 'InvalidRule', 'PartiallyInvalid']) expect(reasons.has(r), r).toBe(true);
  });

  it('every SCREAMING_SNAKE code and every built code is in docs/findings.md', () => {
    const missing = [...snakeCodes(), ...builtCodes()].filter((c) => NOT_FINDING_CODES[c] === undefined && !documented(c)).sort();
    expect(missing).toEqual([]);
  });

  it('every condition reason used as a finding code is in docs/findings.md', () => {
    expect([...reasonCodes()].filter((c) => !documented(c)).sort()).toEqual([]);
  });

  it('the named codes of the gap are documented with severity, meaning and what to do', () => {
    for (const c of ['STATUS_CONTROLLER_DEPARTURE', 'STATUS_NOT_DERIVABLE', 'STATUS_UNKNOWN_OFFLINE', 'STATUS_OTHER_CONTROLLER', 'CAPTURE_INCOMPLETE', 'CAPTURE_KIND_MISSING', 'PROFILE_SWITCH', 'EXPOSURE_HTTP_REDIRECT']) {
      const row = DOC.split('\n').find((l) => l.startsWith(`| \`${c}\` |`));
      expect(row, c).toBeDefined();
      const cells = row!.split(' | ');
      expect(cells.length, c).toBeGreaterThanOrEqual(4); // code | severity | meaning | what to do
      expect(cells[1], c).toMatch(/error|warning|info|collect/);
      for (const cell of cells.slice(2)) expect(cell.trim().length, c).toBeGreaterThan(3);
    }
  });

  it('the exclusion list holds no stale entry and no documented code', () => {
    const all = snakeCodes();
    for (const [c, why] of Object.entries(NOT_FINDING_CODES)) {
      expect(all.has(c), `${c} (${why}) no longer appears in src/: remove it from NOT_FINDING_CODES`).toBe(true);
    }
  });

  it('no other template builds codes (extend builtCodes when one appears)', () => {
    const other: string[] = [];
    for (const [path, text] of FILES) {
      for (const m of text.matchAll(/`\$\{[A-Za-z.]+\}_[A-Z]{2,}`/g)) if (path !== join('src', 'bundle', 'operational.ts')) other.push(`${path}: ${m[0]}`);
    }
    expect(other).toEqual([]);
  });
});
