import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../../errors.ts';
import type { CommandContext } from '../../cli/main.ts';
import { Exit } from '../../cli/exit.ts';
import { collectLive, type LiveCollectResult } from './collect-live.ts';
import type { LiveProgress } from './source.ts';
import { operationalOptions, type OperationalFlags } from '../../cli/operational-flags.ts';
import { bundleSink } from '../../cli/conventions.ts';
import { writeSigstoreBundle } from '../../cli/sigstore-flag.ts';
import { checkOutput } from '../../collect.ts';

/** The flags `gwe collect` takes for a live cluster (all optional; live mode is `collect` without --from). */
export interface LiveCollectFlags {
  out?: string;
  key?: string;
  capturedAt?: string;
  clusterName?: string;
  previous?: string;
  force?: boolean;
  /** --sigstore-bundle FILE (src/cli/sigstore-flag.ts). */
  sigstoreBundle?: string;
  allowEmpty?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
  excludeNamespace?: string[];
  controllerNamespace?: string[];
  controllerSelector?: string[];
  conformanceReport?: string[];
  pageSize?: number;
  requestTimeout?: number;
  deadline?: number;
  strict?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  selector?: string;
  dryRun?: boolean;
  keyPassword?: string;
}

const collectRepeat = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function positiveInt(flag: string): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag}: expected a positive integer, found "${v}"`);
    return Number(v);
  };
}

/** Duration in seconds, or with a unit: 500ms, 30s, 10m, 1h. Returns milliseconds. */
export function parseDuration(flag: string): (v: string) => number {
  return (v: string) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
    if (!m) throw new UsageError(`${flag}: expected a duration such as 30s, 10m or 1h, found "${v}"`);
    const n = Number(m[1]);
    const unit = m[2] ?? 's';
    const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
    if (ms < 1) throw new UsageError(`${flag}: expected a duration of at least 1ms, found "${v}"`);
    return Math.round(ms);
  };
}

// -n/--exclude-namespace/-l, --quiet/--verbose apply to files and live capture alike (src/cli/conventions.ts).
const LIVE_ONLY = ['kubeconfig', 'context', 'controllerNamespace', 'controllerSelector', 'conformanceReport', 'pageSize', 'requestTimeout', 'deadline', 'strict'] as const;

/** Adds the live-cluster options to `gwe collect`, and refuses them next to --from (they would be ignored). */
export function addLiveCollectOptions(cmd: Command): Command {
  cmd.description(`${cmd.description()}; without --from, straight from a live cluster through the Kubernetes API (docs/live-collection.md)`);
  cmd.hook('preAction', (thisCommand) => {
    if (thisCommand.getOptionValue('from') === undefined) return;
    const given = LIVE_ONLY.filter((k) => thisCommand.getOptionValueSource(k) === 'cli');
    if (given.length > 0) {
      const flags = given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
      throw new UsageError(`collect: --from (files) and ${flags} (live cluster) are exclusive; give one source${given.includes('conformanceReport') ? ' (with --from, give ConformanceReport files as --from inputs)' : ''}`);
    }
  });
  return cmd
    .option('--kubeconfig <file>', 'live capture: kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account)')
    .option('--context <name>', 'live capture: kubeconfig context (default: the current context)')
    .option('--controller-namespace <ns>', 'live capture: look for gateway controller Deployments/Pods only here (repeatable)', collectRepeat)
    .option('--controller-selector <selector>', 'live capture: extra label selector for controller Deployments/Pods (repeatable)', collectRepeat)
    .option('--conformance-report <file>', 'ConformanceReport file kept byte for byte (repeatable)', collectRepeat)
    .addOption(new Option('--page-size <n>', 'live capture: objects per list page').argParser(positiveInt('--page-size')).default(500))
    .addOption(new Option('--request-timeout <duration>', 'live capture: timeout per request (e.g. 30s)').argParser(parseDuration('--request-timeout')).default(30_000, '30s'))
    .addOption(new Option('--deadline <duration>', 'live capture: overall deadline for reading the cluster (e.g. 10m)').argParser(parseDuration('--deadline')).default(600_000, '10m'))
    .option('--strict', 'live capture: exit 3 (partial) when the capture is partial (any gap)');
}

/** `gwe collect` without --from: read the cluster, write the bundle, print the summary, set the exit code. */
export async function runLiveCollect(
  flags: LiveCollectFlags,
  ctx: CommandContext,
  render: (result: LiveCollectResult, displayPath: string, opts?: { dryRun?: boolean }) => string,
): Promise<void> {
  const { io } = ctx;
  if (!flags.dryRun && flags.out === undefined) throw new UsageError('collect: expected --out bundle.tar.gz, found none');
  if (!flags.dryRun && flags.key === undefined) throw new UsageError('collect: expected --key signer.pem, found none');
  if (flags.quiet && flags.verbose) throw new UsageError('collect: --quiet and --verbose are exclusive');
  const showProgress = io.stderrIsTTY && !flags.quiet;
  let progressShown = false;
  const onProgress = (p: LiveProgress): void => {
    if (!showProgress) return;
    progressShown = true;
    const line = `collect: ${p.kindsDone} kinds, ${p.objects} objects, ${p.listsDone} reads (${p.step})`;
    // The status line is the only output allowed a terminal control (main() escapes everything else).
    if (io.statusLine) io.statusLine(line);
    else io.stderr(`${line}\n`);
  };
  const endProgress = (): void => {
    if (progressShown) io.stderr('\n');
    progressShown = false;
  };
  if (!flags.dryRun && flags.sigstoreBundle !== undefined) await checkOutput(flags.sigstoreBundle, io.cwd, flags.force === true); // before minutes of reading
  const op = operationalOptions(flags as OperationalFlags, io);
  let result: LiveCollectResult;
  try {
    result = await collectLive({
      operational: op.options,
      out: flags.out ?? '-',
      ...bundleSink(io, flags.out),
      ...(flags.key !== undefined ? { keyFile: flags.key } : {}),
      ...(flags.keyPassword !== undefined ? { keyPassword: flags.keyPassword } : {}),
      ...(flags.selector !== undefined ? { labelSelector: flags.selector } : {}),
      ...(flags.dryRun ? { dryRun: true } : {}),
      ...(flags.capturedAt !== undefined ? { capturedAt: flags.capturedAt } : {}),
      ...(flags.clusterName !== undefined ? { clusterName: flags.clusterName } : {}),
      ...(flags.previous !== undefined ? { previous: flags.previous } : {}),
      overwrite: flags.force === true,
      allowEmpty: flags.allowEmpty === true,
      allowFutureCaptureTime: flags.force === true,
      onWarning: (m: string) => io.stderr(`warning: ${m}\n`),
      ...(flags.kubeconfig !== undefined ? { kubeconfigPath: flags.kubeconfig } : {}),
      ...(flags.context !== undefined ? { context: flags.context } : {}),
      ...(flags.namespace ? { namespaces: flags.namespace } : {}),
      ...(flags.excludeNamespace ? { excludeNamespaces: flags.excludeNamespace } : {}),
      ...(flags.controllerNamespace ? { controllerNamespaces: flags.controllerNamespace } : {}),
      ...(flags.controllerSelector ? { controllerSelectors: flags.controllerSelector } : {}),
      ...(flags.conformanceReport ? { conformanceReports: flags.conformanceReport } : {}),
      pageSize: flags.pageSize ?? 500,
      requestTimeoutMs: flags.requestTimeout ?? 30_000,
      deadlineMs: flags.deadline ?? 600_000,
      cwd: io.cwd,
      env: io.env,
      now: io.now,
      onInterrupt: io.onInterrupt,
      onProgress,
      ...(flags.verbose
        ? {
            onDebug: (line: string) => {
              endProgress();
              io.stderr(`collect: ${line}\n`);
            },
          }
        : {}),
    });
  } finally {
    endProgress();
    op.endProgress();
  }
  if (flags.sigstoreBundle !== undefined && result.envelope) await writeSigstoreBundle(io, flags.sigstoreBundle, { envelope: result.envelope }, undefined, flags.force === true);
  if (!flags.quiet) {
    const summary = render(result, flags.out ?? '(no --out)');
    // With --out - standard output carries the bundle: the summary goes to stderr.
    if (flags.out === '-' && !flags.dryRun) io.stderr(summary);
    else io.stdout(summary);
    for (const w of result.record.warnings) io.stderr(`warning: ${w.code}: ${w.message}${w.source ? ` (${w.source})` : ''}\n`);
    for (const g of result.record.gaps) {
      io.stderr(`warning: GAP: ${g.kind}${g.apiVersion ? ` (${g.apiVersion})` : ''}${g.namespace ? ` in ${g.namespace}` : ''}${g.status !== undefined ? ` HTTP ${g.status}` : ''}: ${g.message}\n`);
    }
  }
  if (result.partial) {
    io.stderr(`warning: PARTIAL CAPTURE: ${result.record.gaps.length} read(s) failed; the bundle is marked partial${flags.strict ? ' (--strict: exit 3)' : ''}\n`);
  }
  ctx.exitCode = result.partial && flags.strict ? Exit.PARTIAL : Exit.OK;
}
