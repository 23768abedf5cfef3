import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { checkOutput, collect } from '../../collect.ts';
import { addSigstoreOption, writeSigstoreBundle } from '../sigstore-flag.ts';
import { keyPassword, KEY_PASSWORD_ENV } from '../../io/keys.ts';
import { scopeLabel } from '../../report/model.ts';
import { addCommonOptions, addScopeOptions, bundleSink, checkCommon, progress, scopeFromFlags, type CommonFlags } from '../conventions.ts';
import type { CollectionRecord } from '../../model/collection.ts';
import { addLiveCollectOptions, runLiveCollect } from '../../collector/live/cli.ts';
import { DEFAULT_MAX_INPUT_BYTES } from '../../io/read.ts';
import { addOperationalOptions, operationalOptions, type OperationalFlags } from '../operational-flags.ts';

interface CollectFlags extends CommonFlags, OperationalFlags {
  from?: string[];
  namespace?: string[];
  allNamespaces?: boolean;
  excludeNamespace?: string[];
  selector?: string;
  dryRun?: boolean;
  keyPasswordFile?: string;
  out?: string;
  key?: string;
  capturedAt?: string;
  clusterName?: string;
  previous?: string;
  force?: boolean;
  allowEmpty?: boolean;
  maxInputBytes?: string;
  sigstoreBundle?: string;
  /** Added by the live collector (src/collector/live); mutually exclusive with --from. */
  kubeconfig?: string;
}

/**
 * `gwe collect --from PATH... --out bundle.tar.gz --key signer.pem [--captured-at RFC3339] [--cluster-name N] [--previous B]`
 * Flags -> collect() -> summary on stdout, warnings on stderr.
 */
export function registerCollect(program: Command, ctx: CommandContext): Command {
  const cmd = program
    .command('collect')
    .description('capture Gateway API objects from files (kubectl -o json|yaml, multi-doc YAML, dirs, - for stdin) into a signed evidence bundle')
    .option('--from <path...>', 'input files or directories (repeatable; - reads stdin)')
    .option('--out <file>', 'bundle to write (.tar.gz); - writes it to standard output (not a terminal), the summary then goes to stderr')
    .option('--key <file>', 'signing key (ed25519, PKCS#8 PEM; password-protected keys need --key-password-file or GWE_KEY_PASSWORD)')
    .option('--key-password-file <file>', `password of an encrypted --key (first line of the file; or set ${KEY_PASSWORD_ENV})`)
    .option('--dry-run', 'read and normalise the inputs (or the cluster), print what would be captured, the sources and the gaps; sign and write nothing')
    .option('--captured-at <rfc3339>', 'capture time recorded in the bundle (default: now, UTC, seconds)')
    .option('--cluster-name <name>', 'cluster name recorded in the bundle')
    .option('--previous <bundle>', 'previous bundle of this cluster: chains its id and digest into the signed statement')
    .option('--force', 'replace an existing file at --out; sign a --captured-at ahead of the clock (with a warning)')
    .option('--allow-empty', 'write a bundle even when nothing could be read or no Gateway API object was found (default: exit 65, no bundle)')
    .option('--max-input-bytes <n>', `cap on one input file or stdin, checked before reading (default ${DEFAULT_MAX_INPUT_BYTES}, 256 MiB)`);
  addOperationalOptions(cmd);
  addSigstoreOption(cmd, '--force replaces an existing file');
  cmd
    .action(async (flags: CollectFlags) => {
      const { io } = ctx;
      if (flags.from !== undefined && flags.kubeconfig !== undefined) {
        throw new UsageError('collect: --from (files) and --kubeconfig (live cluster) are exclusive; give one source');
      }
      checkCommon('collect', flags);
      scopeFromFlags('collect', flags); // validates -A with -n, and the selector, before any read
      const password = await keyPassword({ passwordFile: flags.keyPasswordFile, env: io.env, cwd: io.cwd });
      if (flags.from === undefined) return runLiveCollect({ ...flags, ...(password !== undefined ? { keyPassword: password } : {}) }, ctx, renderCollectSummary); // live cluster (src/collector/live)
      if (flags.from.length === 0) throw new UsageError('collect: expected --from PATH (one or more inputs), found none');
      // Live-only flags next to --from are refused by the live options' preAction hook (src/collector/live/cli.ts).
      const quiet = flags.quiet === true;
      const p = progress('collect', io, flags);
      const scopeOpts = {
        ...(flags.namespace ? { namespaces: flags.namespace } : {}),
        ...(flags.excludeNamespace ? { excludeNamespaces: flags.excludeNamespace } : {}),
        ...(flags.selector !== undefined ? { labelSelector: flags.selector } : {}),
      };
      if (flags.dryRun) {
        p.step(`reading ${flags.from.length} input(s)`);
        const planned = await collect({
          from: flags.from,
          dryRun: true,
          ...scopeOpts,
          ...(flags.capturedAt !== undefined ? { capturedAt: flags.capturedAt } : {}),
          ...(flags.clusterName !== undefined ? { clusterName: flags.clusterName } : {}),
          cwd: io.cwd,
          readStdin: io.readStdin,
          now: io.now,
          out: flags.out ?? '-',
        });
        p.done();
        io.stdout(renderCollectSummary(planned, flags.out ?? '(no --out)', { dryRun: true }));
        ctx.exitCode = Exit.OK;
        return;
      }
      if (flags.out === undefined) throw new UsageError('collect: expected --out bundle.tar.gz, found none');
      if (flags.key === undefined) throw new UsageError('collect: expected --key signer.pem, found none');
      if (flags.sigstoreBundle !== undefined) await checkOutput(flags.sigstoreBundle, io.cwd, flags.force === true); // before reading
      p.step(`reading ${flags.from.length} input(s)`);
      const op = operationalOptions(flags, io);
      const result = await collect({
        operational: op.options,
        from: flags.from,
        ...scopeOpts,
        out: flags.out,
        ...bundleSink(io, flags.out),
        keyFile: flags.key,
        ...(password !== undefined ? { keyPassword: password } : {}),
        ...(flags.capturedAt !== undefined ? { capturedAt: flags.capturedAt } : {}),
        ...(flags.clusterName !== undefined ? { clusterName: flags.clusterName } : {}),
        ...(flags.previous !== undefined ? { previous: flags.previous } : {}),
        overwrite: flags.force === true,
        allowEmpty: flags.allowEmpty === true,
        ...(flags.maxInputBytes !== undefined ? { maxInputBytes: positiveBytes('--max-input-bytes', flags.maxInputBytes) } : {}),
        allowFutureCaptureTime: flags.force === true,
        onWarning: (m: string) => io.stderr(`warning: ${m}\n`),
        cwd: io.cwd,
        readStdin: io.readStdin,
        now: io.now,
        onInterrupt: io.onInterrupt,
      }).finally(op.endProgress);
      p.done();
      if (flags.sigstoreBundle !== undefined) await writeSigstoreBundle(io, flags.sigstoreBundle, { envelope: result.envelope! }, undefined, flags.force === true);
      if (quiet) return;
      // With --out - standard output carries the bundle bytes: the summary goes to stderr.
      const summary = renderCollectSummary(result, flags.out);
      if (flags.out === '-') io.stderr(summary);
      else io.stdout(summary);
      for (const t of result.removedStale ?? []) io.stderr(`note: removed ${t}, a stale temporary of an earlier interrupted write of ${flags.out}\n`);
      for (const w of result.record.warnings) io.stderr(`warning: ${w.code}: ${w.message}${w.source ? ` (${w.source})` : ''}\n`);
      ctx.exitCode = Exit.OK;
    });
  addScopeOptions(cmd, 'objects'); // files and live alike (src/collector/scope.ts)
  addLiveCollectOptions(cmd); // --kubeconfig, --context, --controller-namespace... (src/collector/live/cli.ts)
  addCommonOptions(cmd);
  return cmd;
}

function positiveBytes(flag: string, v: string): number {
  if (!/^[1-9][0-9]*$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`collect: expected ${flag} as a positive integer (bytes), found ${JSON.stringify(v)}`);
  return Number(v);
}

/** Short human summary: bundle id, digest, objects per kind, skipped, gaps, warnings. */
export function renderCollectSummary(result: { record: CollectionRecord; bundleId?: string | undefined; sha256?: string | undefined }, displayPath: string, opts: { dryRun?: boolean } = {}): string {
  const r: CollectionRecord = result.record;
  const lines: string[] = [];
  if (opts.dryRun || result.bundleId === undefined) {
    lines.push(`dry run: would capture into ${displayPath} (nothing signed or written)`);
  } else {
    lines.push(`wrote ${displayPath}`);
    lines.push(`  bundle id   ${result.bundleId}`);
    lines.push(`  sha256      ${result.sha256}`);
  }
  lines.push(`  captured at ${r.capturedAt}${r.cluster.name ? `  cluster ${r.cluster.name}` : ''}`);
  lines.push(`  scope       ${scopeLabel(r.scope)}`);
  lines.push(`  sources     ${r.sources.length}`);
  if (opts.dryRun) for (const s of r.sources) lines.push(`    ${s.name}${s.objects !== undefined ? ` (${s.objects} objects)` : ''}${s.bytes !== undefined ? ` ${s.bytes} bytes` : ''}`);
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  lines.push(`  objects     ${total}`);
  for (const [k, n] of Object.entries(r.counts)) lines.push(`    ${k.padEnd(26)} ${n}`);
  const skipped = Object.values(r.skipped).reduce((a, b) => a + b, 0);
  lines.push(`  skipped     ${skipped}${skipped > 0 ? '' : ' (none)'}`);
  for (const [k, n] of Object.entries(r.skipped)) lines.push(`    ${k.padEnd(26)} ${n}`);
  lines.push(`  gaps        ${r.gaps.length}${r.partial ? ' (partial capture)' : ''}`);
  for (const g of r.gaps) lines.push(`    ${g.kind}${g.status !== undefined ? ` ${g.status}` : ''}: ${g.message}`);
  if (r.audit) {
    const lines_ = r.audit.files.reduce((a, f) => a + f.lines, 0);
    lines.push(`  audit       ${r.audit.events} change event(s) kept of ${lines_} line(s) in ${r.audit.files.length} file(s), window ${r.audit.since ?? '(open)'} .. ${r.audit.until}`);
  }
  if (r.dns) lines.push(`  dns         ${r.dns.files.reduce((a, f) => a + f.records, 0)} record(s) from ${r.dns.files.length} file(s) (${[...new Set(r.dns.files.map((f) => f.format))].join(', ')})`);
  if (r.attachments) for (const a of r.attachments) lines.push(`  attachment  ${a.name} (${a.mediaType}, ${a.bytes} bytes)`);
  lines.push(`  warnings    ${r.warnings.length}${r.warnings.length > 0 ? ' (on stderr)' : ''}`);
  return lines.join('\n') + '\n';
}
