import type { Command } from 'commander';
import { readInputText } from '../../io/read.ts';
import { openBundleFile } from '../bundle-file.ts';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { DEFAULT_EXPIRY_WINDOW_DAYS, diffCaptures, type DiffSide } from '../../diff/index.ts';
import type { ReadBundle } from '../../diff/read.ts';
import { verifyChecks, verifyIntegrity, type VerificationReport } from '../../verify/verify.ts';
import { parseTrust, trustFromPublicKey, type TrustRoot } from '../../verify/trust.ts';
import { analyzeCapture, type AnalysisResult } from '../../verify/analysis.ts';
import { readPayloadPlain, startIntegrityPipeline, type ParallelMode, type ParallelOptions } from '../../verify-parallel.ts';
import type { Capture } from '../../model/collection.ts';
import { readBundleBytes } from '../read-bundle.ts';
import { DIFF_FORMATS, renderDiff, type DiffFormat } from '../../diff/render.ts';
import { loadPolicy } from '../../policy/load.ts';
import type { Policy } from '../../policy/types.ts';
import type { IO } from '../io.ts';
import { addCommonOptions, addOutputOptions, checkCommon, emitOutput, outputFormat, progress, type CommonFlags, type OutputFlags } from '../conventions.ts';

export interface DiffFlags extends OutputFlags, CommonFlags {
  trust?: string;
  key?: string;
  policy?: string;
  expiryDays?: string;
  unchanged?: boolean;
  exitCode?: boolean;
}

export function absPath(io: IO, p: string): string {
  return isAbsolute(p) ? p : join(io.cwd, p);
}

export { readBundleFile } from '../bundle-file.ts';

export async function readPolicyFile(io: IO, file: string | undefined): Promise<Policy | undefined> {
  return file === undefined ? undefined : loadPolicy(await readInputText(file, 'policy file', io.cwd), file);
}

export function parseDays(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`expected ${flag} as a whole number of days, found ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * `gwe diff OLD NEW [--trust t | --key pub] [-o text|markdown|json|html] [--out FILE] [--policy p] [--expiry-days N] [--unchanged] [--exit-code]`
 * What changed between two bundles, by meaning. Integrity is always checked; signatures only with --trust or
 * --key (issue 8 item 10), and each side says which (`integrity ok, signatures NOT CHECKED`). Exit 2 when a
 * side fails integrity or, when checked, its signatures.
 */
export function registerDiff(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('diff')
    .description('what changed between two bundles: objects, routing, weights, listener access, grants, certificates, findings')
    .argument('<old>', 'earlier bundle (.tar.gz)')
    .argument('<new>', 'later bundle (.tar.gz)');
  addOutputOptions(cmd, DIFF_FORMATS, 'text');
  addCommonOptions(cmd);
  cmd
    .option('--trust <file>', 'trust root: also verify both bundles\' signatures (schemas/trust.schema.json)')
    .option('--key <file>', 'a single trusted public key, instead of --trust')
    .option('--policy <file>', 'exposure policy: classifies services and adds its findings to both sides')
    .option('--expiry-days <n>', 'list certificates expiring within N days of the new capture (default 30)')
    .option('--unchanged', 'also list findings present in both bundles')
    .option('--exit-code', 'exit 1 when anything changed (like git diff --exit-code)')
    .action((oldFile: string, newFile: string, flags: DiffFlags) => runDiff(oldFile, newFile, flags, ctx));
}

/** How runDiff uses the integrity worker (verify-parallel.ts startIntegrityPipeline); tests and benchmarks force it. */
export interface DiffParallel extends Omit<ParallelOptions, 'kept' | 'stats'> {
  /** Filled in: the pipeline's mode, and whether both sides' checks came from it. */
  stats?: { mode?: ParallelMode; piped?: boolean };
}

type SideChecks = Pick<DiffSide, 'integrity' | 'signatures' | 'trust'>;

/** A side read through the pipeline: its capture (this thread's plain read), analysis and the worker's checks. */
interface PipedSide {
  capture: Capture;
  bundleId: string;
  formatVersion: string;
  analysis: AnalysisResult;
  report?: VerificationReport;
}

/** Signatures as a side shows them: verified when the trust root is met and no trusted signature is invalid. */
function signaturesOf(v: VerificationReport): SideChecks['signatures'] {
  return v.trust.satisfied && !v.signatures.some((x) => x.trusted && !x.valid) ? 'verified' : 'failed';
}

/** The pipeline's trust root when diff checks no signatures: it names no key, so the worker's report is not used. */
const NO_TRUST: TrustRoot = { source: '(none)', keys: [], threshold: 1, required: [] };

/**
 * Issue 13: both sides' integrity (strict read, digests, content scan and, with a trust root, signatures) in a
 * worker while this thread reads both payloads plainly and analyses them, as `gwe verify` splits one bundle
 * (verify-parallel.ts). A side whose signatures fail is reported from the worker's report (as verifyChecks gives it
 * on this thread). Undefined, and nothing printed, unless both sides passed integrity in the worker: every
 * other case (a second core busy, a small bundle, a file missing, a bundle that fails or cannot be read) takes the
 * one-thread path, which reads and reports exactly as before. When integrity passed, every payload file is strict
 * canonical JSON, so the plain read is the strict read's capture (layout.ts readPayload).
 */
async function readBothPiped(io: IO, files: [string, string], trust: TrustRoot | undefined, window: number, parallel: DiffParallel): Promise<[PipedSide, PipedSide] | undefined> {
  let bytes: [Uint8Array, Uint8Array];
  try {
    bytes = [await readBundleBytes(files[0], io.cwd), await readBundleBytes(files[1], io.cwd)];
  } catch {
    return undefined; // the one-thread path reports it, in its order
  }
  const pipe = startIntegrityPipeline({ trust: trust ?? NO_TRUST }, { ...(parallel.workerUrl ? { workerUrl: parallel.workerUrl } : {}), ...(parallel.force ? { force: true } : {}), ...(parallel.stats ? { stats: parallel.stats } : {}) });
  if (!pipe) return undefined;
  try {
    if (!(await pipe.ready)) return undefined;
    const jobs = [pipe.submit(bytes[0], files[0]), pipe.submit(bytes[1], files[1])];
    if (jobs[0] === undefined || jobs[1] === undefined) return undefined;
    const started = Date.now();
    const captures = [readPayloadPlain(bytes[0], undefined), readPayloadPlain(bytes[1], undefined)];
    if (!captures[0] || !captures[1]) return undefined;
    const analyses = captures.map((c) => analyzeCapture(c!, { expiryWindowDays: window }));
    // The worker had a head start; waiting far longer than this thread's own half means it is stuck.
    const wait = Math.max(30_000, 4 * (Date.now() - started));
    const sides: PipedSide[] = [];
    for (const k of [0, 1] as const) {
      const r = pipe.take(jobs[k]!, wait);
      if (!r?.opened || !r.read?.integrityOk || !r.hasCapture || !r.report) return undefined;
      sides.push({ capture: captures[k]!, bundleId: r.read.bundleId, formatVersion: r.read.formatVersion, analysis: analyses[k]!, ...(trust ? { report: r.report } : {}) });
    }
    return [sides[0]!, sides[1]!];
  } finally {
    await pipe.close();
  }
}

/** `gwe diff` (registerDiff); `parallel` is for tests and benchmarks. */
export async function runDiff(oldFile: string, newFile: string, flags: DiffFlags, ctx: CommandContext, parallel: DiffParallel = {}): Promise<void> {
  const { io } = ctx;
  checkCommon('diff', flags);
  const format = outputFormat('diff', flags, DIFF_FORMATS, 'text', io) as DiffFormat;
  const expiryWindowDays = parseDays('--expiry-days', flags.expiryDays);
  if (flags.trust !== undefined && flags.key !== undefined) throw new UsageError('diff: expected at most one of --trust and --key, found both');
  const trustName = flags.trust ?? flags.key;
  const trust =
    flags.trust !== undefined
      ? parseTrust(await readInputText(flags.trust, 'trust file', io.cwd), flags.trust)
      : flags.key !== undefined
        ? trustFromPublicKey(await readInputText(flags.key, 'public key', io.cwd), flags.key)
        : undefined;
  const policy = await readPolicyFile(io, flags.policy);
  const p = progress('diff', io, flags);
  const piped = await readBothPiped(io, [oldFile, newFile], trust, expiryWindowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS, parallel);
  if (parallel.stats) parallel.stats.piped = piped !== undefined;
  let a: Pick<ReadBundle, 'capture' | 'bundleId' | 'formatVersion' | 'integrityOk'>;
  let b: typeof a;
  let oldChecks: SideChecks;
  let newChecks: SideChecks;
  const analysisOf = (c: Capture): AnalysisResult | undefined => (piped ? piped.find((s) => s.capture === c)?.analysis : undefined);
  if (piped) {
    const checks = (s: PipedSide): SideChecks => (s.report ? { integrity: 'ok', signatures: signaturesOf(s.report), trust: trustName! } : { integrity: 'ok', signatures: 'not-checked' });
    p.step(`reading ${oldFile}`);
    p.step(`reading ${newFile}`);
    if (trust) p.step('verifying signatures');
    oldChecks = checks(piped[0]);
    if (trust) p.step('verifying signatures');
    newChecks = checks(piped[1]);
    a = { ...piped[0], integrityOk: true };
    b = { ...piped[1], integrityOk: true };
  } else {
    p.step(`reading ${oldFile}`);
    const oldOpened = await openBundleFile(io, oldFile, { quiet: flags.quiet === true });
    p.step(`reading ${newFile}`);
    const newOpened = await openBundleFile(io, newFile, { quiet: flags.quiet === true });
    a = oldOpened.bundle;
    b = newOpened.bundle;
    const checked = (r: ReadBundle, bytes: Uint8Array): SideChecks => {
      const s: SideChecks = { integrity: r.integrityOk ? 'ok' : 'failed', signatures: 'not-checked' };
      if (trust) {
        p.step('verifying signatures');
        // The checks made while opening, plus signatures and trust: the archive is not read again.
        s.signatures = signaturesOf((r.checks ? verifyChecks(r.checks, { trust }) : verifyIntegrity(bytes, { trust })).report);
        s.trust = trustName!;
      }
      return s;
    };
    oldChecks = checked(oldOpened.bundle, oldOpened.bytes);
    newChecks = checked(newOpened.bundle, newOpened.bytes);
  }
  p.step('comparing');
  const d = diffCaptures(a.capture, b.capture, {
    ...(expiryWindowDays !== undefined ? { expiryWindowDays } : {}),
    ...(policy ? { policy } : {}),
    ...(piped ? { analysisOf } : {}),
    oldSide: { name: oldFile, bundleId: a.bundleId, formatVersion: a.formatVersion, ...oldChecks },
    newSide: { name: newFile, bundleId: b.bundleId, formatVersion: b.formatVersion, ...newChecks },
  });
  if (!a.integrityOk) d.notes.push(`${oldFile} has integrity problems; its content is not trustworthy`);
  if (!b.integrityOk) d.notes.push(`${newFile} has integrity problems; its content is not trustworthy`);
  if (!trust) d.notes.push('signatures were not checked (no --trust or --key): integrity shows each bundle is unaltered since it was sealed, not who sealed it');
  for (const [file, c] of [[oldFile, oldChecks], [newFile, newChecks]] as const) {
    if (c.signatures === 'failed') d.notes.push(`${file}: its signatures do not meet the trust root ${trustName}; do not trust this side`);
  }
  const untrusted = [oldChecks, newChecks].some((c) => c.integrity === 'failed' || c.signatures === 'failed');
  p.done();
  await emitOutput(ctx, flags, renderDiff(d, format, { unchangedFindings: flags.unchanged === true }), DIFF_FORMATS);
  const s = d.summary;
  const changed = s.objectsAdded + s.objectsRemoved + s.objectsModified + s.findingsIntroduced + s.findingsFixed > 0;
  ctx.exitCode = untrusted ? Exit.INTEGRITY : flags.exitCode && changed ? Exit.FINDINGS : Exit.OK;
}
