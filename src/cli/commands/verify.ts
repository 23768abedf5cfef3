import { Option, type Command } from 'commander';
import { InputTooLargeError, readInputText } from '../../io/read.ts';
import { readBundleBytes } from '../read-bundle.ts';
import { oversizedReport } from '../../verify/verify.ts';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit, type ExitCode } from '../exit.ts';
import { runChain } from './chain.ts';
import { capsFromFlags, type CapsFlags } from '../caps.ts';
import { verifyBundleParallel } from '../../verify-parallel.ts';
import { parseTrust, trustFromPublicKey } from '../../verify/trust.ts';
import type { VerificationReport, Verdict } from '../../verify/report-types.ts';
import type { Finding, Severity } from '../../model/finding.ts';
import type { CollectionGap } from '../../model/collection.ts';
import { loadPolicy } from '../../policy/load.ts';
import { escapeText } from '../../model/display.ts';
import { DEFAULT_CAPS } from '../../bundle/reader.ts';
import { SEVERITY_RANK } from '../../model/finding.ts';
import { findingCounts, renderSummaryLines } from '../../report/view.ts';
import { addSeverityOptions } from './report.ts';
import { addCommonOptions, addOutputOptions, checkCommon, colorizeReport, emitOutput, outputFormat, progress, type CommonFlags, type OutputFlags } from '../conventions.ts';
import { SEMANTICS, type Semantics } from '../../resolve/profiles.ts';

interface VerifyFlags extends CapsFlags, OutputFlags, CommonFlags {
  trust?: string;
  policy?: string;
  key?: string;
  minSeverity?: Severity;
  summary?: boolean;
  semantics: Semantics;
}

const FORMATS = ['text', 'json'] as const;

/**
 * Exit code for a verdict: 0 verified, 1 verified with error findings, 2 integrity/signature failure, and 3
 * for a verified bundle whose capture is partial (`partial` true): a partial bundle never exits 0 (issue 8
 * item 8). Precedence 2 > 1 > 3 > 0.
 */
export function exitForVerdict(v: Verdict, partial = false): ExitCode {
  if (v === 'failed') return Exit.INTEGRITY;
  if (v === 'verified-with-findings') return Exit.FINDINGS;
  return partial ? Exit.PARTIAL : Exit.OK;
}

/** exitForVerdict of a report: its verdict and whether the bundle is partial. */
export function exitForReport(r: VerificationReport): ExitCode {
  return exitForVerdict(r.verdict, r.bundle.partial === true || r.findings.some((f) => f.code === 'BUNDLE_PARTIAL'));
}

/**
 * `gwe verify bundle.tar.gz (--trust trust.yaml | --key pub.pem) [--output text|json] [caps]`: offline,
 * in memory, never extracts.
 */
export function registerVerify(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('verify')
    .description('verify a bundle offline: archive, manifests, digests, signatures and trust, then analysis')
    .argument('<bundles...>', 'bundle (.tar.gz); with --chain, the bundles of a chain, oldest first');
  addOutputOptions(cmd, FORMATS, 'text');
  addSeverityOptions(cmd);
  addCommonOptions(cmd);
  cmd
    .option('--chain', 'verify a chain of bundles: each verifies, links to the one before, capture times increase; prints the change history')
    .option('--trust <file>', 'trust root (YAML or JSON, schemas/trust.schema.json)')
    .option('--key <file>', 'a single trusted public key (PEM SPKI or base64), instead of --trust')
    .option('--policy <file>', 'exposure policy (YAML or JSON, schemas/policy.schema.json); its findings join the analysis (docs/policy.md)')
    .addOption(
      new Option('--semantics <profile>', 'controller profile the recorded status is also compared with (the spec prediction is always computed); auto: by each GatewayClass controllerName')
        .choices([...SEMANTICS])
        .default('auto'),
    )
    .option('--max-bytes <n>', `cap on uncompressed archive bytes (default ${DEFAULT_CAPS.maxUncompressedBytes})`)
    .option('--max-compressed-bytes <n>', `cap on compressed archive bytes (default ${DEFAULT_CAPS.maxCompressedBytes})`)
    .option('--max-entries <n>', `cap on archive entries (default ${DEFAULT_CAPS.maxEntries})`)
    .option('--max-file-bytes <n>', `cap on the size of one file (default ${DEFAULT_CAPS.maxFileBytes})`)
    .option('--max-ratio <n>', `cap on the decompression ratio (default ${DEFAULT_CAPS.maxRatio})`)
    .option('--approval <file...>', 'with --chain: signed change approvals (gwe approve), checked against the trust file\'s "approver" role')
    .action(async (bundles: string[], flags: VerifyFlags & { chain?: boolean }) => {
      if (flags.chain) return runChain(bundles, flags, ctx); // src/cli/commands/chain.ts (issue 5, chain of bundles)
      if (bundles.length !== 1) throw new UsageError(`verify: expected one bundle (or --chain with several), found ${bundles.length}`);
      const bundle = bundles[0]!;
      const { io } = ctx;
      checkCommon('verify', flags);
      const format = outputFormat('verify', flags, FORMATS, 'text', io);
      if ((flags.trust === undefined) === (flags.key === undefined)) throw new UsageError('verify: expected exactly one of --trust trust.yaml or --key pub.pem');
      const caps = capsFromFlags(flags);
      const trust = flags.trust !== undefined ? parseTrust(await readInputText(flags.trust, 'trust file', io.cwd), flags.trust) : trustFromPublicKey(await readInputText(flags.key!, 'public key', io.cwd), flags.key!);
      const policy = flags.policy !== undefined ? loadPolicy(await readInputText(flags.policy, 'policy file', io.cwd), flags.policy) : undefined;
      const p = progress('verify', io, flags);
      p.step(`reading ${bundle}`);
      let report: VerificationReport;
      try {
        const bytes = await readBundleBytes(bundle, io.cwd, caps); // stat first: over the cap is never read (issue 8 item 13)
        p.step(`verifying ${bytes.length} bytes`);
        report = await verifyBundleParallel(bytes, { trust, caps, analysis: { semantics: flags.semantics }, ...(policy ? { policy } : {}) }); // same report as verifyBundle, two threads; the policy over the same read and resolution
      } catch (e) {
        if (!(e instanceof InputTooLargeError)) throw e;
        report = oversizedReport(e.size, { trust, caps }); // the same failed report as an in-memory cap check
      }
      p.done();
      const shown = flags.minSeverity ? minSeverityReport(report, flags.minSeverity) : report;
      let text: string;
      if (flags.summary) {
        const all = [...report.findings, ...report.analysis.findings];
        const listed = [...shown.findings, ...shown.analysis.findings];
        text =
          format === 'json'
            ? `${JSON.stringify({ bundle: report.bundle.id ?? null, verdict: report.verdict, partial: report.bundle.partial, byCode: findingCounts(listed) }, null, 2)}\n`
            : `${renderSummaryLines(`${report.bundle.partial && report.verdict !== 'failed' ? 'PARTIAL CAPTURE: ' : ''}${VERDICT_LINE[report.verdict]}  ${bundle}`, all, listed, (s) => escapeText(s)).join('\n')}\n`;
      } else {
        text = format === 'json' ? `${JSON.stringify(shown, null, 2)}\n` : renderVerifyText(shown, bundle);
      }
      await emitOutput(ctx, flags, text, FORMATS, format === 'text' ? { colorize: colorizeReport } : {});
      ctx.exitCode = exitForReport(report);
    });
}

/** The report with findings below `min` left out of both lists (the verdict is unchanged). */
export function minSeverityReport(r: VerificationReport, min: Severity): VerificationReport {
  const keep = (f: Finding): boolean => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[min];
  return { ...r, findings: r.findings.filter(keep), analysis: { ...r.analysis, findings: r.analysis.findings.filter(keep) } };
}

export const VERDICT_LINE: Record<Verdict, string> = {
  verified: 'VERIFIED',
  'verified-with-findings': 'VERIFIED WITH FINDINGS',
  failed: 'FAILED: do not trust this bundle',
};

/** Text for people: verdict first, then the bundle, signers, partial warning and findings by severity. */
export function renderVerifyText(r: VerificationReport, name: string): string {
  // Every string below may come from the (hostile) bundle: escaped value by value (src/model/display.ts).
  const t = escapeText;
  const out: string[] = [];
  const partial = r.findings.find((f) => f.code === 'BUNDLE_PARTIAL');
  const gaps = (partial?.detail?.['gaps'] as CollectionGap[] | undefined) ?? [];
  // A partial capture is never shown as plainly "verified": the verdict line starts with PARTIAL (issue 4,
  // issue 8 item 8), before the verdict itself. A failed bundle says FAILED first: its partial flag is an
  // unverified claim, and "do not trust" is what matters.
  out.push(`${r.bundle.partial && r.verdict !== 'failed' ? `PARTIAL CAPTURE (${gaps.length} gap${gaps.length === 1 ? '' : 's'}): ` : ''}${VERDICT_LINE[r.verdict]}  ${t(name)}`);
  if (r.bundle.partial) {
    out.push('', '!! PARTIAL CAPTURE: the collector recorded gaps; this bundle does not cover the whole cluster:');
    for (const g of gaps) {
      const where = [g.apiVersion ? `${g.apiVersion} ` : '', g.kind, g.namespace ? ` in ${g.namespace}` : '', g.name ? ` ${g.name}` : ''].join('');
      out.push(`   - ${t(where)}${g.status !== undefined ? ` (HTTP ${t(String(g.status))})` : ''}: ${t(String(g.message))}`);
    }
  }
  out.push('');
  out.push(`bundle     ${t(r.bundle.id ?? '(unknown)')}`);
  out.push(`captured   ${t(r.bundle.capturedAt ?? '(unknown)')}${r.bundle.cluster.name ? `  cluster ${t(r.bundle.cluster.name)}` : ''}${r.bundle.cluster.uid ? ` (${t(r.bundle.cluster.uid)})` : ''}`);
  if (r.bundle.collectorVersion) out.push(`collector  gateway-evidence ${t(r.bundle.collectorVersion)}`);
  if (r.bundle.previousBundle) out.push(`follows    ${t(r.bundle.previousBundle.bundleId)} (${t(r.bundle.previousBundle.digest)})`);
  out.push(`integrity  ${r.integrity.ok ? 'ok' : 'FAILED'}: ${r.integrity.files} files, ${r.integrity.bytes} bytes`);
  out.push(`trust      ${r.trust.satisfied ? 'satisfied' : 'NOT satisfied'}: signed by ${r.trust.counted} distinct key(s) (${r.trust.threshold} required)${r.trust.required.length ? `; required: ${t(r.trust.required.join(', '))}` : ''}${r.trust.missingRequired.length ? ` (missing: ${t(r.trust.missingRequired.join(', '))})` : ''} [${t(r.trust.source)}]`);
  out.push('signers');
  if (r.signatures.length === 0) out.push('  (none)');
  for (const s of r.signatures) {
    const who = s.name ? `${t(s.name)}${s.role ? ` (${t(s.role)})` : ''}` : 'unknown key';
    const state = s.counted ? 'counted' : s.valid ? 'valid, not counted' : s.trusted ? 'INVALID' : 'untrusted, not counted';
    out.push(`  ${state.padEnd(22)} ${who}  ${t(s.keyId)}${s.reason ? `\n  ${''.padEnd(22)} ${t(s.reason)}` : ''}`);
  }
  const all: Finding[] = [...r.findings, ...r.analysis.findings];
  for (const sev of ['error', 'warning', 'info'] as Severity[]) {
    const list = all.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    out.push('', `${sev === 'error' ? 'errors' : sev === 'warning' ? 'warnings' : 'info'} (${list.length})`);
    for (const f of list) out.push(`  ${t(f.code)}${f.subject ? `  ${t(f.subject)}` : ''}\n    ${t(f.message)}`);
  }
  if (!r.analysis.ran) out.push('', 'analysis   not run (the bundle did not verify)');
  return out.join('\n') + '\n';
}
