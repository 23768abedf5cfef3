import type { Command } from 'commander';
import { setElkLoader } from '../../report/map/elk-loader.ts';
import { loadElk } from '../../io/elk.ts';
import { readInputText } from '../../io/read.ts';
import { openBundleFile } from '../bundle-file.ts';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { diffCaptures, type DiffSide } from '../../diff/index.ts';
import type { ReadBundle } from '../../diff/read.ts';
import { verifyChecks, verifyIntegrity } from '../../verify/verify.ts';
import { parseTrust, trustFromPublicKey } from '../../verify/trust.ts';
import { DIFF_FORMATS, renderDiff, type DiffFormat } from '../../diff/render.ts';
import { loadPolicy } from '../../policy/load.ts';
import type { Policy } from '../../policy/types.ts';
import type { IO } from '../io.ts';
import { addCommonOptions, addOutputOptions, checkCommon, emitOutput, outputFormat, progress, type CommonFlags, type OutputFlags } from '../conventions.ts';

interface DiffFlags extends OutputFlags, CommonFlags {
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
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      const { io } = ctx;
      checkCommon('diff', flags);
      const format = outputFormat('diff', flags, DIFF_FORMATS, 'text', io) as DiffFormat;
      if (format === 'html') setElkLoader(() => loadElk()); // the exposure map's elkjs, from the build's code cache
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
      p.step(`reading ${oldFile}`);
      const oldOpened = await openBundleFile(io, oldFile, { quiet: flags.quiet === true });
      p.step(`reading ${newFile}`);
      const newOpened = await openBundleFile(io, newFile, { quiet: flags.quiet === true });
      const a = oldOpened.bundle;
      const b = newOpened.bundle;
      const checked = (r: ReadBundle, bytes: Uint8Array): Pick<DiffSide, 'integrity' | 'signatures' | 'trust'> => {
        const s: Pick<DiffSide, 'integrity' | 'signatures' | 'trust'> = { integrity: r.integrityOk ? 'ok' : 'failed', signatures: 'not-checked' };
        if (trust) {
          p.step('verifying signatures');
          // The checks made while opening, plus signatures and trust: the archive is not read again.
          const v = (r.checks ? verifyChecks(r.checks, { trust }) : verifyIntegrity(bytes, { trust })).report;
          s.signatures = v.trust.satisfied && !v.signatures.some((x) => x.trusted && !x.valid) ? 'verified' : 'failed';
          s.trust = trustName!;
        }
        return s;
      };
      const oldChecks = checked(a, oldOpened.bytes);
      const newChecks = checked(b, newOpened.bytes);
      p.step('comparing');
      const d = diffCaptures(a.capture, b.capture, {
        ...(expiryWindowDays !== undefined ? { expiryWindowDays } : {}),
        ...(policy ? { policy } : {}),
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
    });
}
