import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { readBundle, type ReadBundle } from '../../diff/read.ts';
import { diffCaptures } from '../../diff/index.ts';
import { DIFF_FORMATS, renderDiff, type DiffFormat } from '../../diff/render.ts';
import { loadPolicy } from '../../policy/load.ts';
import type { Policy } from '../../policy/types.ts';
import type { IO } from '../io.ts';

interface DiffFlags {
  format: string;
  policy?: string;
  expiryDays?: string;
  unchanged?: boolean;
  exitCode?: boolean;
}

export function absPath(io: IO, p: string): string {
  return isAbsolute(p) ? p : join(io.cwd, p);
}

/** Reads and opens a bundle file (any supported format version); integrity problems go to stderr. */
export async function readBundleFile(io: IO, file: string): Promise<ReadBundle> {
  const r = readBundle(new Uint8Array(await readFile(absPath(io, file))), file);
  if (!r.integrityOk) {
    const errs = r.findings.filter((f) => f.severity === 'error');
    io.stderr(`gwe: warning: ${file}: ${errs.length} integrity problem(s), the content is not trustworthy: ${errs.slice(0, 3).map((f) => f.message).join('; ')}\n`);
  }
  return r;
}

export async function readPolicyFile(io: IO, file: string | undefined): Promise<Policy | undefined> {
  return file === undefined ? undefined : loadPolicy(await readFile(absPath(io, file), 'utf8'), file);
}

export function parseDays(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`expected ${flag} as a whole number of days, found ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * `gwe diff OLD NEW [--format text|markdown|json|html] [--policy p] [--expiry-days N] [--unchanged] [--exit-code]`
 * What changed between two bundles, by meaning. Does not verify signatures (use `gwe verify` / `--chain`).
 */
export function registerDiff(program: Command, ctx: CommandContext): void {
  program
    .command('diff')
    .description('what changed between two bundles: objects, routing, weights, listener access, grants, certificates, findings')
    .argument('<old>', 'earlier bundle (.tar.gz)')
    .argument('<new>', 'later bundle (.tar.gz)')
    .option('--format <format>', `output format: ${DIFF_FORMATS.join(', ')}`, 'text')
    .option('--policy <file>', 'exposure policy: classifies services and adds its findings to both sides')
    .option('--expiry-days <n>', 'list certificates expiring within N days of the new capture (default 30)')
    .option('--unchanged', 'also list findings present in both bundles')
    .option('--exit-code', 'exit 1 when anything changed (like git diff --exit-code)')
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      const { io } = ctx;
      if (!(DIFF_FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`diff: expected --format ${DIFF_FORMATS.join('|')}, found ${JSON.stringify(flags.format)}`);
      }
      const expiryWindowDays = parseDays('--expiry-days', flags.expiryDays);
      const policy = await readPolicyFile(io, flags.policy);
      const a = await readBundleFile(io, oldFile);
      const b = await readBundleFile(io, newFile);
      const d = diffCaptures(a.capture, b.capture, {
        ...(expiryWindowDays !== undefined ? { expiryWindowDays } : {}),
        ...(policy ? { policy } : {}),
        oldSide: { name: oldFile, bundleId: a.bundleId, formatVersion: a.formatVersion },
        newSide: { name: newFile, bundleId: b.bundleId, formatVersion: b.formatVersion },
      });
      if (!a.integrityOk) d.notes.push(`${oldFile} has integrity problems; its content is not trustworthy`);
      if (!b.integrityOk) d.notes.push(`${newFile} has integrity problems; its content is not trustworthy`);
      io.stdout(renderDiff(d, flags.format as DiffFormat, { unchangedFindings: flags.unchanged === true }));
      const s = d.summary;
      const changed = s.objectsAdded + s.objectsRemoved + s.objectsModified + s.findingsIntroduced + s.findingsFixed > 0;
      ctx.exitCode = flags.exitCode && changed ? Exit.FINDINGS : Exit.OK;
    });
}
