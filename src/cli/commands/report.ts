import { terminalSafe } from '../../model/display.ts';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Option, type Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { UsageError } from '../../errors.ts';
import { openBundle } from '../../bundle/open.ts';
import { writeFileAtomic } from '../../io/atomic.ts';
import { loadPolicy } from '../../policy/load.ts';
import { resolve } from '../../resolve/index.ts';
import { analyzeCapture } from '../../verify/analysis.ts';
import { verifyBundle } from '../../verify/verify.ts';
import { parseTrust, trustFromPublicKey } from '../../verify/trust.ts';
import type { VerificationReport } from '../../verify/report-types.ts';
import { buildReportModel, REPORT_FORMATS, renderReport, type ReportFormat, type ReportInput } from '../../report/index.ts';
import { VERSION } from '../../version.ts';
import { sarifArtifactUri } from '../../report/sarif.ts';

interface ReportFlags {
  format: ReportFormat;
  out?: string;
  policy?: string;
  trust?: string;
  key?: string;
  expiryDays?: string;
}

/**
 * `gwe report bundle [--policy p] [--trust t | --key pub] --format text|markdown|html|json|sarif [--out FILE]`.
 * Exit codes: 2 when the bundle fails verification or integrity checks, 1 when any finding is an error, else 0.
 */
export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description('render a bundle for reviewers: verdict and signers, exposure map, routing table, certificates, controllers and every finding')
    .argument('<bundle>', 'bundle (.tar.gz)')
    .addOption(new Option('--format <format>', 'output format').choices([...REPORT_FORMATS]).default('text'))
    .option('--out <file>', 'write the report to this file (atomically) instead of standard output')
    .option('--policy <file>', 'exposure policy (YAML or JSON, schemas/policy.schema.json)')
    .option('--trust <file>', 'trust root: verify signatures and state the signers (schemas/trust.schema.json)')
    .option('--key <file>', 'a single trusted public key, instead of --trust')
    .option('--expiry-days <n>', 'certificates expiring within this many days of capture are marked (default 30)')
    .action(async (bundle: string, flags: ReportFlags) => {
      const { io } = ctx;
      const abs = (p: string): string => (isAbsolute(p) ? p : join(io.cwd, p));
      if (flags.trust !== undefined && flags.key !== undefined) throw new UsageError('report: expected at most one of --trust and --key, found both');
      let expiryWindowDays: number | undefined;
      if (flags.expiryDays !== undefined) {
        if (!/^[0-9]+$/.test(flags.expiryDays)) throw new UsageError(`report: expected --expiry-days as a non-negative integer, found ${JSON.stringify(flags.expiryDays)}`);
        expiryWindowDays = Number(flags.expiryDays);
      }
      // Read every input before any work, so a usage/input error never leaves a half-written report.
      const policy = flags.policy !== undefined ? loadPolicy(await readFile(abs(flags.policy), 'utf8'), flags.policy) : undefined;
      const trust =
        flags.trust !== undefined
          ? parseTrust(await readFile(abs(flags.trust), 'utf8'), flags.trust)
          : flags.key !== undefined
            ? trustFromPublicKey(await readFile(abs(flags.key), 'utf8'), flags.key)
            : undefined;
      const bytes = new Uint8Array(await readFile(abs(bundle)));

      let verification: VerificationReport | undefined;
      if (trust) verification = verifyBundle(bytes, { trust, ...(expiryWindowDays !== undefined ? { analysis: { expiryWindowDays } } : {}) });
      const opened = openBundle(bytes);
      const resolution = resolve(opened.capture.snapshot.objects);
      const input: ReportInput = {
        capture: opened.capture,
        bundleId: opened.bundleId,
        toolVersion: VERSION,
        resolution,
        bundleFindings: opened.findings,
      };
      if (verification) input.verification = verification;
      if (!verification?.analysis.ran) input.analysisFindings = analyzeCapture(opened.capture, expiryWindowDays !== undefined ? { expiryWindowDays } : {}).findings;
      if (policy) {
        input.policy = policy;
        input.policySource = flags.policy!;
      }
      if (flags.trust !== undefined) input.trustSource = flags.trust;
      else if (flags.key !== undefined) input.trustSource = flags.key;
      if (expiryWindowDays !== undefined) input.expiryWindowDays = expiryWindowDays;
      const prev = opened.statement.predicate.previousBundle;
      if (prev) input.previousBundle = { bundleId: prev.bundleId, digest: prev.digest };

      const model = buildReportModel(input);
      // terminalSafe here too: a file written with --out is read in a terminal later (issue 8 item 2).
      const text = terminalSafe(renderReport(model, flags.format, { artifactUri: sarifArtifactUri(bundle) }));
      if (flags.out !== undefined) {
        await writeFileAtomic(abs(flags.out), new TextEncoder().encode(text), { overwrite: true, onInterrupt: io.onInterrupt });
        io.stderr(
          `wrote ${flags.out} (${flags.format}): ${model.verification.status}, ${model.summary.errors} error(s), ${model.summary.warnings} warning(s)${model.bundle.partial ? ', PARTIAL bundle' : ''}\n`,
        );
      } else {
        io.stdout(text);
      }
      const integrityFailed = verification ? verification.verdict === 'failed' : !opened.integrityOk;
      ctx.exitCode = integrityFailed ? Exit.INTEGRITY : model.summary.errors > 0 ? Exit.FINDINGS : Exit.OK;
    });
}
