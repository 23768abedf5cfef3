/**
 * Real-world ConformanceReports (../shared/real-world/conformance-reports/<release>/<impl>/*.yaml, published by
 * real implementations, byte for byte): kept byte for byte in bundles, parsed, and cross-checked.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readInputs, type InputSet } from '../../src/collector/inputs.ts';
import { captureFromInputs } from '../../src/collect.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { parsePrivateKeyPem } from '../../src/crypto/index.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import { trustFromPublicKey } from '../../src/verify/trust.ts';
import { conformanceCrosschecks, parseConformanceReport, PROFILE_CORE_FEATURES, type ParsedConformanceReport } from '../../src/verify/crosscheck.ts';
import type { KubeObject } from '../../src/model/object.ts';
import type { ConformanceReportFile } from '../../src/model/snapshot.ts';
import { InputError } from '../../src/errors.ts';
import { CAPTURED_AT, HAVE_REAL_WORLD, KEY_FILE, PUB_FILE, REAL_WORLD, SKIP_MESSAGE, readBytes, rel, walkFiles } from './shared.ts';

if (!HAVE_REAL_WORLD) console.warn(SKIP_MESSAGE);

/**
 * Known gaps in code this suite does not own (src/collector/**): each entry asserts the CURRENT wrong behaviour,
 * so the test fails (and must be flipped) once the collector is fixed.
 */

const ROOT = join(REAL_WORLD, 'conformance-reports');
const FILES = HAVE_REAL_WORLD ? walkFiles(ROOT).filter((f) => /\.ya?ml$/.test(f)) : [];
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const key = HAVE_REAL_WORLD ? parsePrivateKeyPem(readFileSync(KEY_FILE, 'utf8'), 'collector.test-only.key.pem') : undefined;
const trust = HAVE_REAL_WORLD ? trustFromPublicKey(readFileSync(PUB_FILE, 'utf8'), 'collector.pub.pem') : undefined;

/** Reports grouped so that base names are unique within a group (the collector keys reports by base name). */
function groups(files: string[]): string[][] {
  const out: Array<{ names: Set<string>; files: string[] }> = [];
  for (const f of files) {
    const n = basename(f);
    let g = out.find((x) => !x.names.has(n));
    if (!g) out.push((g = { names: new Set(), files: [] }));
    g.names.add(n);
    g.files.push(f);
  }
  return out.map((g) => g.files);
}

interface Built {
  /** original path -> payload bytes read back from the opened bundle */
  payload: Map<string, Uint8Array>;
  bundles: Uint8Array[];
}
let builtCache: Promise<Built> | undefined;
/** Built once: a few bundles holding every report (readInputs per group, one signed bundle per group). */
function built(): Promise<Built> {
  builtCache ??= (async () => {
    const payload = new Map<string, Uint8Array>();
    const bundles: Uint8Array[] = [];
    for (const g of groups(FILES)) {
      const input = await readInputs(g, { cwd: ROOT, readStdin: async () => new Uint8Array() });
      expect(input.objects).toEqual([]); // a report file is a report, never objects
      expect(input.conformanceReports).toHaveLength(g.length);
      const capture = captureFromInputs(input, { capturedAt: CAPTURED_AT, mode: 'files' });
      const bytes = buildBundle(capture, { signers: [key!] }).bytes;
      bundles.push(bytes);
      const opened = openBundle(bytes);
      expect(opened.integrityOk).toBe(true);
      const entries = (JSON.parse(new TextDecoder().decode(opened.files.get('collection.json')!)) as { conformanceReportFiles: Array<{ name: string; path: string }> }).conformanceReportFiles;
      for (const f of g) {
        const e = entries.find((x) => x.name === basename(f));
        expect(e, `${rel(f)}: expected an entry in collection.json conformanceReportFiles`).toBeDefined();
        payload.set(f, opened.files.get(e!.path)!);
      }
    }
    return { payload, bundles };
  })();
  return builtCache;
}

function fileOf(path: string): ConformanceReportFile {
  const bytes = readBytes(path);
  return { name: basename(path), sha256: sha(bytes), bytes };
}

function parsed(path: string): ParsedConformanceReport {
  const r = parseConformanceReport(fileOf(path));
  if ('error' in r) throw new Error(`${rel(path)}: expected a parsed ConformanceReport, found error ${r.error}`);
  return r;
}

describe.skipIf(!HAVE_REAL_WORLD)('real-world ConformanceReports', () => {
  it('finds the published reports of v1.3.0, v1.4.0, v1.5 and v1.6', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(FILES.map((f) => rel(f).split('/')[1]))).toEqual(new Set(['v1.3.0', 'v1.4.0', 'v1.5', 'v1.6']));
  });

  it('keeps every report byte for byte in a signed bundle that verifies', async () => {
    const b = await built();
    expect(b.payload.size).toBe(FILES.length);
    for (const f of FILES) {
      const original = readBytes(f);
      const kept = b.payload.get(f)!;
      expect(sha(kept), `${rel(f)}: sha256 of the payload file`).toBe(sha(original));
      expect(kept.length).toBe(original.length);
    }
    for (const bytes of b.bundles) {
      const report = verifyBundle(bytes, { trust: trust! });
      expect(report.verdict, JSON.stringify(report.findings.filter((x) => x.severity === 'error'))).not.toBe('failed');
      // Reports without a GatewayClass are only summarised; none is invalid.
      expect(report.analysis.findings.filter((x) => x.code === 'CONFORMANCE_REPORT_INVALID')).toEqual([]);
      expect(report.analysis.findings.filter((x) => x.code === 'CONFORMANCE_REPORT').length).toBeGreaterThan(0);
    }
  });

  it('keeps two different reports that share a base name (regression: same-basename reports aborted collection)', async () => {
    const dir = join(ROOT, 'v1.3.0');
    const input: InputSet = await readInputs([dir], { cwd: ROOT, readStdin: async () => new Uint8Array() });
    const names = input.conformanceReports.map((r) => r.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toContain('standard-2.18-default-report.yaml');
    const capture = captureFromInputs(input, { capturedAt: CAPTURED_AT, mode: 'files' });
    expect(capture.snapshot.conformanceReports.length).toBe(input.conformanceReports.length);
    const same = capture.snapshot.conformanceReports.filter((r) => r.name === 'standard-2.18-default-report.yaml');
    expect(same.length).toBe(2);
    expect(same[0]!.sha256).not.toBe(same[1]!.sha256);
    // both survive a bundle round trip, byte for byte, under distinct payload names
    const opened = openBundle(buildBundle(capture, { signers: [key!] }).bytes);
    expect(opened.integrityOk).toBe(true);
    expect(opened.capture.snapshot.conformanceReports.map((r) => r.sha256).sort()).toEqual(capture.snapshot.conformanceReports.map((r) => r.sha256).sort());
  });

  it('parses every report: implementation, version, API version/channel, mode, profiles, statistics, features', () => {
    const rows: Array<Record<string, string | number>> = [];
    for (const f of FILES) {
      // Independent reading of the same bytes, to compare field by field.
      const raw = parseYaml(readFileSync(f, 'utf8')) as Record<string, any>;
      const r = parsed(f);
      const where = rel(f);
      expect(r.implementation, where).toEqual({ organization: String(raw['implementation']['organization']), project: String(raw['implementation']['project']), version: String(raw['implementation']['version']) });
      expect(r.implementationUrl, where).toBe(raw['implementation']['url']);
      expect(r.contact, where).toEqual(raw['implementation']['contact'] ?? []);
      expect(r.gatewayAPIVersion, where).toMatch(/^v1\.\d+\.\d+$/);
      expect(r.gatewayAPIVersion, where).toBe(raw['gatewayAPIVersion']);
      expect(['standard', 'experimental'], where).toContain(r.gatewayAPIChannel);
      expect(r.mode, where).toBe(raw['mode']);
      expect(r.date, where).toBe(raw['date']);
      expect(r.succeededProvisionalTests, where).toEqual(raw['succeededProvisionalTests'] ?? []);
      // The release folder and the report's gatewayAPIVersion agree (v1.5 holds v1.5.0 and v1.5.1 reports).
      expect(r.gatewayAPIVersion!.startsWith(where.split('/')[1]!.replace(/\.0$/, '')), `${where}: gatewayAPIVersion ${r.gatewayAPIVersion}`).toBe(true);
      expect(r.profiles.length, where).toBe(raw['profiles'].length);
      expect(r.profiles.length, where).toBeGreaterThan(0);
      r.profiles.forEach((p, i) => {
        const rp = raw['profiles'][i];
        const at = `${where} profiles[${i}] ${p.name}`;
        expect(p.name, at).toBe(rp['name']);
        expect(Object.keys(PROFILE_CORE_FEATURES), at).toContain(p.name);
        expect(p.summary, at).toBe(rp['summary']);
        expect(p.coreResult, at).toBe(rp['core']['result']);
        expect(['success', 'partial', 'failure'], at).toContain(p.coreResult);
        // Statistics keep the capitalised keys of the Go struct (no json tags).
        expect(p.core?.statistics, at).toEqual(rp['core']['statistics']);
        expect(Object.keys(p.core!.statistics!).sort(), at).toEqual(['Failed', 'Passed', 'Skipped']);
        expect(p.core?.skippedTests, at).toEqual(rp['core']['skippedTests'] ?? []);
        if (rp['extended']) {
          expect(p.extendedResult, at).toBe(rp['extended']['result']);
          expect(p.extended?.statistics, at).toEqual(rp['extended']['statistics']);
          expect(p.extendedFeatures, at).toEqual(rp['extended']['supportedFeatures'] ?? []);
          expect(p.unsupportedFeatures, at).toEqual(rp['extended']['unsupportedFeatures'] ?? []);
        } else {
          expect(p.extended, at).toBeUndefined();
          expect(p.extendedFeatures, at).toEqual([]);
        }
        // No real report here fails a profile: every core feature counts as passed.
        for (const cf of PROFILE_CORE_FEATURES[p.name]!) expect(r.passed.has(cf), `${at}: core feature ${cf}`).toBe(true);
        for (const ef of p.extendedFeatures) expect(r.passed.has(ef), `${at}: extended feature ${ef}`).toBe(true);
      });
      expect([...r.failed], where).toEqual([]);
      rows.push({
        implementation: `${r.implementation.organization}/${r.implementation.project}`,
        version: r.implementation.version!,
        api: `${r.gatewayAPIVersion} ${r.gatewayAPIChannel}`,
        mode: r.mode!,
        '#features': new Set(r.profiles.flatMap((p) => p.extendedFeatures)).size,
        profiles: r.profiles.map((p) => `${p.name}(${p.coreResult}${p.extendedResult ? `/${p.extendedResult}` : ''})`).join(' '),
        file: where.replace(/^conformance-reports\//, ''),
      });
    }
    console.log(`ConformanceReports parsed: ${rows.length}\n${table(rows)}`);
  });

  it('cross-checks a GatewayClass claiming the report features: no failed/unproven for passed ones, a finding for an absent one', () => {
    const ABSENT = 'HTTPRouteNotARealFeatureForThisTest';
    for (const f of FILES) {
      const r = parsed(f);
      const claimed = [...r.passed].sort();
      expect(claimed.length).toBeGreaterThan(0);
      const gc = (features: string[]): KubeObject => ({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'real' },
        spec: { controllerName: `example.com/${r.implementation.project}` },
        status: { supportedFeatures: features.map((name) => ({ name })) },
      });
      const clean = conformanceCrosschecks([gc(claimed)], [fileOf(f)]);
      const bad = clean.filter((x) => ['CONFORMANCE_FEATURE_FAILED', 'CONFORMANCE_FEATURE_UNPROVEN', 'CONFORMANCE_REPORT_INVALID', 'CONFORMANCE_REPORT_INCOMPLETE', 'CONFORMANCE_FEATURE_UNCLAIMED'].includes(x.code));
      expect(bad, rel(f)).toEqual([]);
      const withAbsent = conformanceCrosschecks([gc([...claimed, ABSENT])], [fileOf(f)]);
      const unproven = withAbsent.filter((x) => x.code === 'CONFORMANCE_FEATURE_UNPROVEN');
      expect(unproven.map((x) => (x.detail as { feature: string }).feature), rel(f)).toEqual([ABSENT]);
      expect(unproven[0]!.message).toContain(basename(f));
    }
  });

  it("cross-checks the report's gatewayAPIVersion against a captured CRD bundle-version", () => {
    const crd = (v: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gateways.gateway.networking.k8s.io', annotations: { 'gateway.networking.k8s.io/bundle-version': v } },
      spec: { group: 'gateway.networking.k8s.io' },
    });
    for (const f of FILES) {
      const r = parsed(f);
      expect(conformanceCrosschecks([crd(r.gatewayAPIVersion!)], [fileOf(f)]).filter((x) => x.code === 'CRD_VERSION_MISMATCH'), rel(f)).toEqual([]);
      const other = r.gatewayAPIVersion === 'v1.0.0' ? 'v1.2.1' : 'v1.0.0';
      expect(conformanceCrosschecks([crd(other)], [fileOf(f)]).filter((x) => x.code === 'CRD_VERSION_MISMATCH'), rel(f)).toHaveLength(1);
    }
  });
});

function table(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (v: string[]): string => v.map((x, i) => x.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(cols), line(w.map((n) => '-'.repeat(n))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}
