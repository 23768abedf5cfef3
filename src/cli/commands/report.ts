import { readBundleBytes } from '../read-bundle.ts';
import { setElkLoader } from '../../report/map/elk-loader.ts';
import { loadElk } from '../../io/elk.ts';
import { Option, type Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { UsageError } from '../../errors.ts';
import { readInputFile, readInputText } from '../../io/read.ts';
import { loadPolicy } from '../../policy/load.ts';
import { analyzeCapture, resolveSafely, type AnalysisResult } from '../../verify/analysis.ts';
import { analyse, finishReport, verifyIntegrity } from '../../verify/verify.ts';
import { verifyBundleParallel, type KeptRun } from '../../verify-parallel.ts';
import type { Capture } from '../../model/collection.ts';
import { parseTrust, trustFromPublicKey } from '../../verify/trust.ts';
import type { VerificationReport } from '../../verify/report-types.ts';
import { buildReportModel, REPORT_FORMATS, renderReport, type ReportFormat, type ReportInput } from '../../report/index.ts';
import { findingCounts, minSeverityModel, renderSummaryLines, scopeReportModel } from '../../report/view.ts';
import { escapeText } from '../../model/display.ts';
import { scopeResolution } from '../../resolve/scope.ts';
import type { Finding, Severity } from '../../model/finding.ts';
import { VERSION } from '../../version.ts';
import { sha256Hex } from '../../crypto/index.ts';
import { renderSarifBytes, sarifArtifactUri } from '../../report/sarif.ts';
import { objectPath } from '../../bundle/layout.ts';
import { refKey, refLabel, refOf } from '../../model/object.ts';
import { openBundleNamed } from '../bundle-file.ts';
import {
  addCommonOptions,
  addOutputOptions,
  addScopeOptions,
  checkCommon,
  colorizeReport,
  emitOutput,
  emitOutputFile,
  outputFormat,
  progress,
  scopeFromFlags,
  writesFile,
  type CommonFlags,
  type OutputFlags,
  type ScopeFlags,
} from '../conventions.ts';
import { readBundle } from '../../diff/read.ts';
import { checkApproval } from '../../approval/index.ts';
import type { ReportApproval } from '../../report/operational.ts';
import type { TrustRoot } from '../../verify/trust.ts';

interface ReportFlags extends OutputFlags, CommonFlags, ScopeFlags {
  policy?: string;
  trust?: string;
  key?: string;
  expiryDays?: string;
  minSeverity?: Severity;
  summary?: boolean;
  approval?: string[];
  previousBundle?: string;
}

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** `--min-severity` and `--summary`, shared by verify and report. */
export function addSeverityOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--min-severity <severity>', 'list only findings at or above this severity (counts and the exit code still cover all)').choices([...SEVERITIES]))
    .option('--summary', 'only the verdict and the finding counts by severity and code');
}

/**
 * `gwe report bundle [--policy p] [--trust t | --key pub] -o text|markdown|html|json|sarif [--out FILE]`.
 * Exit codes: 2 when the bundle fails verification or integrity checks, 1 when any finding is an error, else 0.
 */
export function registerReport(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('report')
    .description('render a bundle for reviewers: verdict and signers, exposure map, routing table, certificates, controllers and every finding')
    .argument('<bundle>', 'bundle (.tar.gz)');
  addOutputOptions(cmd, REPORT_FORMATS, 'text');
  addScopeOptions(cmd, 'Gateways, routes, services, certificates and findings');
  addSeverityOptions(cmd);
  addCommonOptions(cmd);
  cmd
    .option('--policy <file>', 'exposure policy (YAML or JSON, schemas/policy.schema.json)')
    .option('--trust <file>', 'trust root: verify signatures and state the signers (schemas/trust.schema.json)')
    .option('--key <file>', 'a single trusted public key, instead of --trust')
    .option('--expiry-days <n>', 'certificates expiring within this many days of capture are marked (default 30)')
    .option('--approval <file...>', 'signed change approvals of this bundle (gwe approve), checked against --trust (role "approver")')
    .option('--previous-bundle <bundle>', 'with --approval: the bundle the approved change starts from, to recompute the approved diff')
    .action(async (bundle: string, flags: ReportFlags) => {
      const { io } = ctx;
      checkCommon('report', flags);
      const format = outputFormat('report', flags, REPORT_FORMATS, 'text', io) as ReportFormat;
      if (format === 'html') setElkLoader(() => loadElk()); // the exposure map's elkjs, from the build's code cache
      if (flags.summary && format !== 'text' && format !== 'markdown' && format !== 'json') {
        throw new UsageError(`report: --summary gives text, markdown or json, found -o ${format}`);
      }
      const scope = scopeFromFlags('report', flags);
      if (flags.trust !== undefined && flags.key !== undefined) throw new UsageError('report: expected at most one of --trust and --key, found both');
      let expiryWindowDays: number | undefined;
      if (flags.expiryDays !== undefined) {
        if (!/^[0-9]+$/.test(flags.expiryDays)) throw new UsageError(`report: expected --expiry-days as a non-negative integer, found ${JSON.stringify(flags.expiryDays)}`);
        expiryWindowDays = Number(flags.expiryDays);
      }
      // Read every input before any work, so a usage/input error never leaves a half-written report.
      const policy = flags.policy !== undefined ? loadPolicy(await readInputText(flags.policy, 'policy file', io.cwd), flags.policy) : undefined;
      const trust =
        flags.trust !== undefined
          ? parseTrust(await readInputText(flags.trust, 'trust file', io.cwd), flags.trust)
          : flags.key !== undefined
            ? trustFromPublicKey(await readInputText(flags.key, 'public key', io.cwd), flags.key)
            : undefined;
      const p = progress('report', io, flags);
      p.step(`reading ${bundle}`);
      const bytes = await readBundleBytes(bundle, io.cwd); // stat first, capped (issue 8 item 13)
      if (flags.approval && !trust) throw new UsageError('report: --approval needs --trust (or --key) to check the approver');
      if (flags.previousBundle !== undefined && !flags.approval) throw new UsageError('report: --previous-bundle is for --approval');
      const approvalFiles: { name: string; bytes: Uint8Array }[] = [];
      for (const f of flags.approval ?? []) approvalFiles.push({ name: f, bytes: await readInputFile(f, 'approval', io.cwd) });
      const previousBytes = flags.previousBundle !== undefined ? await readBundleBytes(flags.previousBundle, io.cwd) : undefined;

      let verification: VerificationReport | undefined;
      let analysis: AnalysisResult | undefined;
      let verified: { capture: Capture; bundleId: string; previousBundle: { bundleId: string; digest: string } | null } | undefined;
      if (trust) {
        p.step('verifying');
        // gwe verify's path (verifyBundleParallel: integrity on a second thread when a core is free, the same load
        // check, the same report as one thread), keeping the capture it read and the analysis it ran, so the
        // bundle is not read a second time (issue 13). When the worker found integrity failing it keeps nothing:
        // verifyBundle's steps again on this thread then give the strict capture the report shows.
        const opts = { trust, ...(expiryWindowDays !== undefined ? { analysis: { expiryWindowDays } } : {}) };
        const kept: KeptRun = {};
        verification = await verifyBundleParallel(bytes, opts, { kept });
        let capture = kept.capture;
        let run = kept.analysis;
        if (!kept.filled) {
          const checked = verifyIntegrity(bytes, opts);
          run = checked.pass && checked.capture ? analyse(checked.capture, opts.analysis) : undefined;
          verification = finishReport(checked, checked.capture, run, undefined);
          capture = checked.capture;
        }
        if (verification.analysis.ran) analysis = run?.result;
        if (capture && verification.bundle.id !== null) verified = { capture, bundleId: verification.bundle.id, previousBundle: verification.bundle.previousBundle };
      }
      // Without a trust root, or when verification could not read a capture: the archive as openBundle reads it.
      const opened = verified ? undefined : openBundleNamed(bytes, bundle);
      const capture = verified?.capture ?? opened!.capture;
      const objects = capture.snapshot.objects;
      let analysisFindings: Finding[] | undefined;
      if (!verification?.analysis.ran) {
        p.step('analysing');
        analysis = analyzeCapture(capture, expiryWindowDays !== undefined ? { expiryWindowDays } : {});
        analysisFindings = analysis.findings;
      }
      p.step('resolving');
      // The report's tables show the spec resolution without kindsPresent (a reference to a kind the capture did
      // not hold reads as missing there). The analysis computed that same resolution unless kindsPresent changed
      // a lookup (specSameWithoutKindsPresent): use it then instead of resolving the capture again (issue 13).
      // An internal error in resolution is reported by the analysis (ANALYSIS_FAILED), not a crash.
      const resolved = analysis?.specSameWithoutKindsPresent ? analysis.specResolution : resolveSafely(objects).resolution;
      const resolution = scopeResolution(resolved, objects, scope);
      const input: ReportInput = {
        capture,
        bundleId: verified?.bundleId ?? opened!.bundleId,
        bundleSha256: sha256Hex(bytes),
        toolVersion: VERSION,
        resolution,
        bundleFindings: opened?.findings ?? [],
      };
      if (verification) input.verification = verification;
      if (analysisFindings) input.analysisFindings = analysisFindings;
      if (policy) {
        input.policy = policy;
        input.policySource = flags.policy!;
      }
      if (flags.trust !== undefined) input.trustSource = flags.trust;
      else if (flags.key !== undefined) input.trustSource = flags.key;
      if (expiryWindowDays !== undefined) input.expiryWindowDays = expiryWindowDays;
      // SARIF shows the findings only: the model's tables are not built for it (issue 13).
      if (format === 'sarif' && !flags.summary) input.findingsOnly = true;
      const prev = verified ? verified.previousBundle : opened!.statement.predicate.previousBundle;
      if (prev) input.previousBundle = { bundleId: prev.bundleId, digest: prev.digest };

      if (approvalFiles.length > 0 && trust) input.approvals = reportApprovals(approvalFiles, bytes, bundle, previousBytes, flags.previousBundle, trust);
      p.step(`rendering ${format}`);
      const model = scopeReportModel(buildReportModel(input), objects, scope);
      const shown = flags.minSeverity ? minSeverityModel(model, flags.minSeverity) : model;
      let text: string;
      let rendered: Uint8Array | undefined;
      if (flags.summary) {
        if (format === 'json') {
          text = `${JSON.stringify({ bundle: model.bundle.id, verification: model.verification.status, headline: model.verification.headline, summary: model.summary, byCode: findingCounts(shown.findings) }, null, 2)}\n`;
        } else {
          text = `${renderSummaryLines(model.verification.headline, model.findings, shown.findings, (s) => escapeText(s)).join('\n')}\n`;
        }
      } else {
        // Only SARIF points at object files: the two maps (every object's key, label and path) are built for it
        // alone (~0.3 s at 10k routes as records, half that as Maps; issue 13).
        const objectFiles = new Map<string, string>();
        const objectKeys = new Map<string, string>();
        if (format === 'sarif') {
          for (const o of objects) {
            const ref = refOf(o);
            const key = refKey(ref);
            objectFiles.set(key, objectPath(o));
            objectKeys.set(refLabel(ref), key);
          }
        }
        const sarifOptions = { artifactUri: sarifArtifactUri(bundle), objectFiles, objectKeys };
        if (format === 'sarif' && writesFile(flags)) {
          // Straight to terminal-safe UTF-8, the bytes emitOutput writes for renderReport's text (issue 13).
          rendered = renderSarifBytes(shown, sarifOptions);
          text = '';
        } else {
          text = renderReport(shown, format, sarifOptions);
        }
      }
      p.done();
      if (rendered !== undefined) await emitOutputFile(ctx, flags, rendered, REPORT_FORMATS);
      else await emitOutput(ctx, flags, text, REPORT_FORMATS, format === 'text' ? { colorize: colorizeReport } : {});
      if (writesFile(flags)) {
        p.note(`wrote ${flags.out} (${format}): ${model.verification.status}, ${model.summary.errors} error(s), ${model.summary.warnings} warning(s)${model.bundle.partial ? ', PARTIAL bundle' : ''}`);
      }
      const integrityFailed = verification ? verification.verdict === 'failed' : !opened!.integrityOk;
      ctx.exitCode = integrityFailed ? Exit.INTEGRITY : model.summary.errors > 0 ? Exit.FINDINGS : model.bundle.partial ? Exit.PARTIAL : Exit.OK;
    });
}

/** Checks each approval against this bundle (and the previous one, when given) for the report's approvals section. */
function reportApprovals(files: { name: string; bytes: Uint8Array }[], bytes: Uint8Array, name: string, previous: Uint8Array | undefined, previousName: string | undefined, trust: TrustRoot): ReportApproval[] {
  const side = (b: Uint8Array, n: string) => {
    const r = readBundle(b, n);
    return { bundleId: r.bundleId, contentDigest: r.contentDigest ?? '', capture: r.capture };
  };
  const newSide = side(bytes, name);
  const oldSide = previous !== undefined ? side(previous, previousName!) : undefined;
  return files.map((f) => {
    const c = checkApproval(f.name, f.bytes, oldSide, newSide, trust);
    const a: ReportApproval = { file: f.name, valid: c.valid, diffChecked: c.diffChecked, problems: c.findings.map((x) => x.code) };
    for (const k of ['approver', 'keyId', 'ticket', 'note', 'approvedAt'] as const) if (c[k] !== undefined) a[k] = c[k];
    if (c.old) a.from = c.old.bundleId;
    return a;
  });
}
