import { escapeText } from '../../model/display.ts';
import { readInputFile, readInputText } from '../../io/read.ts';
import { readBundleBytes } from '../read-bundle.ts';
import type { CommandContext } from '../main.ts';
import { BaseError, UsageError } from '../../errors.ts';
import { Exit, type ExitCode } from '../exit.ts';
import { historyStep, verifyChain, type ChainInput, type ChainReport, type HistoryStep, type VerifyOne } from '../../chain/index.ts';
import { renderDiffSummary } from '../../diff/render.ts';
import { parseTrust, trustFromPublicKey } from '../../verify/trust.ts';
import type { Severity } from '../../model/finding.ts';
import { analyse, finishReport, verifyBundle, verifyOpened, type VerificationReport } from '../../verify/verify.ts';
import { PARALLEL_MIN_BYTES, pipelinedFiles, readPayloadPlain, startIntegrityPipeline, type ParallelMode, type ParallelOptions } from '../../verify-parallel.ts';
import { readBundle, type ReadBundle } from '../../diff/read.ts';
import type { Capture } from '../../model/collection.ts';
import type { ObjectsDiff } from '../../diff/types.ts';
import type { AnalysisResult } from '../../verify/analysis.ts';
import type { Verdict } from '../../verify/report-types.ts';
import { colorizeReport, emitOutput, outputFormat, progress, type CommonFlags, type OutputFlags } from '../conventions.ts';
import { capsFromFlags, type CapsFlags } from '../caps.ts';
import type { Caps } from '../../bundle/reader.ts';
import { loadPolicy } from '../../policy/load.ts';

export interface ChainFlags extends CapsFlags, OutputFlags, CommonFlags {
  trust?: string;
  key?: string;
  policy?: string;
  approval?: string[];
}

const FORMATS = ['text', 'json'] as const;

/** How runChain uses the integrity worker (verify-parallel.ts startIntegrityPipeline); tests and benchmarks force it. */
export interface ChainParallel extends Omit<ParallelOptions, 'kept' | 'stats'> {
  /** Filled in: the pipeline's mode, and per bundle whether its verification came from the pipeline. */
  stats?: { mode?: ParallelMode; piped?: boolean[] };
}

/**
 * `gwe verify --chain Q1.tar.gz Q2.tar.gz Q3.tar.gz (--trust t.yaml | --key pub.pem) [--output text|json]`:
 * verifies every bundle, every link and the order of capture times, then prints the change history (one
 * summary diff per consecutive pair). Exit codes follow the single-verify rule (issue 10): 2 when the chain
 * does not hold (a bundle fails, a link breaks, capture times go backwards), 1 when it holds but a bundle has
 * error-severity findings (its verdict is verified-with-findings, with --policy included), 3 when it holds but a
 * bundle in it is a partial capture (issue 8 item 8), else 0.
 */
export async function runChain(files: string[], flags: ChainFlags, ctx: CommandContext, parallel: ChainParallel = {}): Promise<void> {
  const { io } = ctx;
  if ((flags.trust === undefined) === (flags.key === undefined)) throw new UsageError('verify --chain: expected exactly one of --trust trust.yaml or --key pub.pem');
  const output = outputFormat('verify --chain', flags, FORMATS, 'text', io);
  if (files.length < 2) throw new UsageError(`verify --chain: expected at least 2 bundles, oldest first, found ${files.length}`);
  const trust = flags.trust !== undefined ? parseTrust(await readInputText(flags.trust, 'trust file', io.cwd), flags.trust) : trustFromPublicKey(await readInputText(flags.key!, 'public key', io.cwd), flags.key!);
  const caps = capsFromFlags(flags);
  const policy = flags.policy !== undefined ? loadPolicy(await readInputText(flags.policy, 'policy file', io.cwd), flags.policy) : undefined;
  const p = progress('verify --chain', io, flags);
  const inputs: ChainInput[] = [];
  for (const f of files) {
    p.step(`reading ${f}`);
    inputs.push({ name: f, bytes: await readBundleBytes(f, io.cwd, caps) }); // stat first, capped (issue 8 item 13)
  }
  const approvals: ChainInput[] = [];
  for (const f of flags.approval ?? []) approvals.push({ name: f, bytes: await readInputFile(f, 'approval', io.cwd) });
  // Each bundle's verdict as a single `gwe verify` (with --policy) would give it: it sets the exit code.
  const verdicts: Verdict[] = [];
  // Issue 13: each bundle is read (and strictly parsed) once, for its verification, its link and the history,
  // and each capture analysed once, for its verification and the diffs on both sides of it.
  const read = sharedReader();
  const analyses = new Map<Capture, AnalysisResult>();
  const verifyOpts = { trust, caps, ...(policy ? { policy } : {}) };
  // Issue 13: each bundle's integrity (strict read, digests, signatures, trust) runs in a worker when a second core is
  // free, one bundle ahead: while this thread analyses bundle N and compares it with N-1, the worker checks N+1.
  // Below PARALLEL_MIN_BYTES a worker costs more than it saves (verify-parallel.ts): none is started for such chains.
  const worthIt = parallel.force === true || inputs.some((b) => b.bytes.length >= PARALLEL_MIN_BYTES);
  if (!worthIt && parallel.stats) parallel.stats.mode = 'small';
  const pipe = worthIt ? startIntegrityPipeline({ trust, caps }, parallel) : undefined;
  const jobs = new Map<number, number | undefined>();
  const queue = (k: number): void => {
    if (pipe && k < inputs.length && !jobs.has(k)) jobs.set(k, pipe.submit(inputs[k]!.bytes, inputs[k]!.name));
  };
  let calls = 0;
  /** verifyOpened of the strict read, on this thread (also what a bundle the pipeline did not take gets). */
  const verifyHere = (bytes: Uint8Array, name: string): VerificationReport => {
    const opened = read.attempt({ name, bytes }, caps);
    if (!opened?.checks) return verifyBundle(bytes, verifyOpts); // not openable: the verifier says why
    const v = verifyOpened(opened.checks, verifyOpts);
    if (v.analysis) analyses.set(opened.capture, v.analysis);
    return v.report;
  };
  /**
   * The worker's integrity and this thread's plain read and analysis of bundle `k`: verifyOpened's report when
   * integrity passed (then the plain parse is the strict one: verify-parallel.ts), else undefined (verifyHere).
   */
  const verifyPiped = (k: number): VerificationReport | undefined => {
    const job = jobs.get(k);
    if (job === undefined || !pipe) return undefined;
    const started = Date.now();
    const b = inputs[k]!;
    // The worker is one bundle ahead: when its answer is already there, its read of the archive is used too.
    const early = pipe.poll(job);
    if (early === undefined || (early !== 'pending' && !early.pass)) return undefined; // verified here
    const files = early !== 'pending' ? pipelinedFiles(early) : undefined;
    const capture = pipe.failed(job) ? undefined : readPayloadPlain(b.bytes, caps, files);
    const run = capture && !pipe.failed(job) ? analyse(capture, undefined) : undefined;
    // The worker had a head start; waiting far longer than this thread's own half means it is stuck: verify here.
    const r = early !== 'pending' ? early : pipe.take(job, Math.max(30_000, 4 * (Date.now() - started)));
    if (!r?.opened || !r.pass || !r.hasCapture || !capture || !run || !r.report || !r.read) return undefined;
    read.put(b, caps, { ...r.read, capture });
    if (run.result) analyses.set(capture, run.result);
    return finishReport({ report: r.report, pass: true }, capture, run, policy);
  };
  const verifyOne: VerifyOne = (bytes, name) => {
    p.step(`verifying ${name}`);
    const k = calls++;
    const piped = inputs[k]?.bytes === bytes;
    if (piped) {
      queue(k);
      queue(k + 1);
    }
    const fromPipe = piped ? verifyPiped(k) : undefined;
    if (parallel.stats) (parallel.stats.piped ??= []).push(fromPipe !== undefined);
    const r = fromPipe ?? verifyHere(bytes, name);
    verdicts.push(r.verdict);
    // A partial link keeps its BUNDLE_PARTIAL warning (issue 8 item 8: never exit 0 for a partial bundle).
    return { ok: r.verdict !== 'failed', verdict: r.verdict, findings: r.verdict === 'failed' ? r.findings.filter((f) => f.severity === 'error') : r.findings.filter((f) => f.code === 'BUNDLE_PARTIAL') };
  };
  // The change history classifies services and lists findings with the policy, when one is given. Each step is
  // made as soon as both its bundles are verified and read; then the older one's read and analysis are dropped,
  // so at most two bundles are held at a time (issue 13: four 10k-route quarters held 1.2 GiB at once).
  const history: HistoryStep[] = [];
  const diffOpts = { ...(policy ? { policy } : {}), analysisOf: (c: Capture) => analyses.get(c) };
  const onPair = (i: number, objects: ObjectsDiff | undefined): void => {
    p.step(`comparing ${inputs[i - 1]!.name} and ${inputs[i]!.name}`);
    const step = historyStep(inputs, i, diffOpts, caps, (b) => read.get(b, caps), objects);
    if (step) history.push(step);
  };
  const release = (b: ChainInput): void => {
    for (const r of read.release(b)) analyses.delete(r.capture);
  };
  // The clock is read here, at the edge: links captured after it are named (issue 8 item 16).
  let report: ChainReport;
  try {
    await pipe?.ready; // a worker that could not load takes no job (verify-parallel.ts)
    report = verifyChain(inputs, { verify: verifyOne, read: (b) => read.get(b, undefined), onPair, release, approvals, approvalTrust: trust, requireApprovals: policy?.requireApprovals === true, now: io.now().getTime() });
  } finally {
    await pipe?.close();
  }
  p.done();
  const text =
    output === 'json'
      ? `${JSON.stringify({ chain: report, history: history.map((h) => ({ from: h.from, to: h.to, diff: h.diff })) }, null, 2)}\n`
      : renderChainText(report, history);
  await emitOutput(ctx, flags, text, FORMATS, output === 'text' ? { colorize: colorizeReport } : {});
  ctx.exitCode = chainExit(report, verdicts);
}

/**
 * readBundle, once per bundle and caps: the verifier, the chain links and the change history share the read (the
 * links read without caps as before; with no --max-* flag that is the same read). Errors are kept and rethrown.
 * `put` records a read made another way (the pipelined verification: the worker's strict read with this thread's
 * equal capture). `release` forgets a bundle's reads (returning them) once the chain is done with it.
 */
function sharedReader(): {
  get: (b: ChainInput, c: Partial<Caps> | undefined) => ReadBundle;
  attempt: (b: ChainInput, c: Partial<Caps> | undefined) => ReadBundle | undefined;
  put: (b: ChainInput, c: Partial<Caps> | undefined, r: ReadBundle) => void;
  release: (b: ChainInput) => ReadBundle[];
} {
  const memo = new Map<Uint8Array, Map<string, { ok: ReadBundle } | { error: unknown }>>();
  const keyOf = (c: Partial<Caps> | undefined): string => JSON.stringify(c ?? {});
  const byCapsOf = (b: ChainInput): Map<string, { ok: ReadBundle } | { error: unknown }> => {
    let byCaps = memo.get(b.bytes);
    if (!byCaps) memo.set(b.bytes, (byCaps = new Map()));
    return byCaps;
  };
  const get = (b: ChainInput, c: Partial<Caps> | undefined): ReadBundle => {
    const byCaps = byCapsOf(b);
    const key = keyOf(c);
    let r = byCaps.get(key);
    if (!r) {
      try {
        r = { ok: readBundle(b.bytes, b.name, c) };
      } catch (error) {
        r = { error };
      }
      byCaps.set(key, r);
    }
    if ('error' in r) throw r.error;
    return r.ok;
  };
  const attempt = (b: ChainInput, c: Partial<Caps> | undefined): ReadBundle | undefined => {
    try {
      return get(b, c);
    } catch (e) {
      if (e instanceof BaseError) return undefined;
      throw e;
    }
  };
  const put = (b: ChainInput, c: Partial<Caps> | undefined, r: ReadBundle): void => {
    byCapsOf(b).set(keyOf(c), { ok: r });
  };
  const release = (b: ChainInput): ReadBundle[] => {
    const byCaps = memo.get(b.bytes);
    memo.delete(b.bytes);
    return [...(byCaps?.values() ?? [])].flatMap((r) => ('ok' in r ? [r.ok] : []));
  };
  return { get, attempt, put, release };
}

/** The single-verify rule over a chain: 2 broken, 1 holds with error findings, 3 holds with a partial bundle, 0 clean. */
export function chainExit(report: ChainReport, verdicts: readonly Verdict[]): ExitCode {
  if (!report.ok || verdicts.includes('failed')) return Exit.INTEGRITY;
  if (verdicts.includes('verified-with-findings') || report.findings.some((f) => f.severity === 'error')) return Exit.FINDINGS;
  if (report.findings.some((f) => f.code === 'BUNDLE_PARTIAL')) return Exit.PARTIAL;
  return Exit.OK;
}

export function renderChainText(r: ChainReport, history: HistoryStep[]): string {
  const t = (s: string): string => escapeText(s); // bundle strings, value by value (src/model/display.ts)
  const out: string[] = [];
  out.push(`${r.ok ? 'CHAIN VERIFIED' : 'CHAIN BROKEN: do not trust this history'}  ${r.links.length} bundle(s)`);
  out.push('');
  for (const l of r.links) {
    const link =
      l.index === 0
        ? l.previous
          ? `follows ${l.previous.bundleId} (not given)`
          : 'first'
        : l.linksToPrevious
          ? `links to #${l.index} (${l.linkDigestKind} digest)`
          : r.findings.some((f) => f.code === 'CHAIN_BUNDLE_MISSING' && f.detail?.index === l.index)
            ? `LINK BROKEN: follows ${l.previous?.bundleId ?? '?'}, which was not given (a bundle is missing before this one)`
            : 'LINK BROKEN';
    out.push(`  #${l.index + 1} ${t(l.name)}  ${t(l.bundleId ?? '(unreadable)')}  captured ${t(l.capturedAt ?? '?')}  ${l.verified ? l.verdict : `NOT VERIFIED (${l.verdict})`}  ${t(link)}`);
    if (l.changes) {
      const c = l.changes;
      const approved = (l.approvals ?? []).filter((a) => a.valid);
      const who = approved.map((a) => `${a.approver ?? a.keyId}${a.ticket ? ` (ticket ${a.ticket})` : ''} at ${a.approvedAt}`).join('; ');
      const rejected = (l.approvals ?? []).filter((a) => !a.valid).map((a) => a.file);
      out.push(t(`      changes ${c.added} added, ${c.removed} removed, ${c.modified} modified; ${approved.length > 0 ? `approved by ${who}` : c.added + c.removed + c.modified === 0 ? 'nothing to approve' : 'NOT APPROVED'}${rejected.length > 0 ? `; rejected approval(s): ${rejected.join(', ')}` : ''}`));
    }
  }
  if (r.suggestedOrder) out.push('', `the links imply this order: ${r.suggestedOrder.map(t).join(' -> ')}`);
  for (const sev of ['error', 'warning', 'info'] as Severity[]) {
    const list = r.findings.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    out.push('', `${sev === 'error' ? 'errors' : sev === 'warning' ? 'warnings' : 'info'} (${list.length})`);
    for (const f of list) out.push(`  ${t(f.code)}${f.subject ? `  ${t(f.subject)}` : ''}\n    ${t(f.message)}`);
  }
  if (history.length > 0) {
    out.push('', 'change history');
    for (const h of history) {
      out.push(`  ${t(h.from)} (${t(String(h.diff.old.capturedAt))}) -> ${t(h.to)} (${t(String(h.diff.new.capturedAt))})`);
      out.push(...renderDiffSummary(h.diff).trimEnd().split('\n').map((l) => `    ${l}`));
    }
  }
  return out.join('\n') + '\n';
}
