import type { Command } from 'commander';
import { readInputText } from '../../io/read.ts';
import { readBundleFile } from '../bundle-file.ts';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { diffCaptures } from '../../diff/index.ts';
import { DIFF_FORMATS, renderDiff, type DiffFormat } from '../../diff/render.ts';
import { loadPolicy } from '../../policy/load.ts';
import type { Policy } from '../../policy/types.ts';
import type { IO } from '../io.ts';
import { addCommonOptions, addOutputOptions, checkCommon, emitOutput, outputFormat, progress, type CommonFlags, type OutputFlags } from '../conventions.ts';

interface DiffFlags extends OutputFlags, CommonFlags {
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
 * `gwe diff OLD NEW [-o text|markdown|json|html] [--out FILE] [--policy p] [--expiry-days N] [--unchanged] [--exit-code]`
 * What changed between two bundles, by meaning. Does not verify signatures (use `gwe verify` / `--chain`).
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
    .option('--policy <file>', 'exposure policy: classifies services and adds its findings to both sides')
    .option('--expiry-days <n>', 'list certificates expiring within N days of the new capture (default 30)')
    .option('--unchanged', 'also list findings present in both bundles')
    .option('--exit-code', 'exit 1 when anything changed (like git diff --exit-code)')
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      const { io } = ctx;
      checkCommon('diff', flags);
      const format = outputFormat('diff', flags, DIFF_FORMATS, 'text', io) as DiffFormat;
      const expiryWindowDays = parseDays('--expiry-days', flags.expiryDays);
      const policy = await readPolicyFile(io, flags.policy);
      const p = progress('diff', io, flags);
      p.step(`reading ${oldFile}`);
      const a = await readBundleFile(io, oldFile, { quiet: flags.quiet === true });
      p.step(`reading ${newFile}`);
      const b = await readBundleFile(io, newFile, { quiet: flags.quiet === true });
      p.step('comparing');
      const d = diffCaptures(a.capture, b.capture, {
        ...(expiryWindowDays !== undefined ? { expiryWindowDays } : {}),
        ...(policy ? { policy } : {}),
        oldSide: { name: oldFile, bundleId: a.bundleId, formatVersion: a.formatVersion },
        newSide: { name: newFile, bundleId: b.bundleId, formatVersion: b.formatVersion },
      });
      if (!a.integrityOk) d.notes.push(`${oldFile} has integrity problems; its content is not trustworthy`);
      if (!b.integrityOk) d.notes.push(`${newFile} has integrity problems; its content is not trustworthy`);
      p.done();
      await emitOutput(ctx, flags, renderDiff(d, format, { unchangedFindings: flags.unchanged === true }), DIFF_FORMATS);
      const s = d.summary;
      const changed = s.objectsAdded + s.objectsRemoved + s.objectsModified + s.findingsIntroduced + s.findingsFixed > 0;
      ctx.exitCode = flags.exitCode && changed ? Exit.FINDINGS : Exit.OK;
    });
}
