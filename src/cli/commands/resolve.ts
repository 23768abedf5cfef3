import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Option, type Command } from 'commander';
import { safeYamlStringify as yamlStringify } from '../../model/display.ts';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { UsageError } from '../../errors.ts';
import { readInputs } from '../../collector/inputs.ts';
import { normalize } from '../../collector/normalize.ts';
import { VERSION } from '../../version.ts';
import { openBundle } from '../../bundle/open.ts';
import type { KubeObject } from '../../model/object.ts';
import type { Finding } from '../../model/finding.ts';
import { resolve, renderResolutionText, type AttachedRoutesSemantics, type Resolution } from '../../resolve/index.ts';

interface ResolveFlags {
  output: 'text' | 'json' | 'yaml';
  attachedRoutesSemantics?: AttachedRoutesSemantics;
}

const BUNDLE_EXT = /\.(tar\.gz|tgz)$/i;

/** Splits inputs into bundles (*.tar.gz, *.tgz) and manifest inputs (files, directories, `-`). */
async function loadObjects(paths: readonly string[], ctx: CommandContext): Promise<{ objects: KubeObject[]; bundleFindings: Finding[]; integrityOk: boolean }> {
  const bundles = paths.filter((p) => BUNDLE_EXT.test(p));
  const manifests = paths.filter((p) => !BUNDLE_EXT.test(p));
  const objects: KubeObject[] = [];
  const bundleFindings: Finding[] = [];
  const inputFindings: Finding[] = [];
  let integrityOk = true;
  for (const b of bundles) {
    const bytes = new Uint8Array(await readFile(isAbsolute(b) ? b : join(ctx.io.cwd, b)));
    const opened = openBundle(bytes);
    objects.push(...opened.capture.snapshot.objects);
    for (const f of opened.findings) bundleFindings.push({ ...f, subject: f.subject ? `${b}: ${f.subject}` : b });
    if (!opened.integrityOk) integrityOk = false;
  }
  if (manifests.length > 0) {
    const set = await readInputs(manifests, { cwd: ctx.io.cwd, readStdin: ctx.io.readStdin });
    // The same normalisation as `collect`: a missing namespace becomes "default" (as kubectl would), identical
    // duplicates are kept once, conflicting duplicates are an error naming both files, Secrets are reduced to
    // certificate metadata. Its warnings become findings of the resolution.
    const capture = normalize(set, { capturedAt: ctx.io.now().toISOString().replace(/\.\d+Z$/, 'Z'), mode: 'files', toolVersion: VERSION });
    objects.push(...capture.snapshot.objects);
    for (const w of capture.record.warnings) {
      inputFindings.push({ code: w.code, severity: 'info', ...(w.object ? { subject: w.object } : w.source ? { subject: w.source } : {}), message: w.message });
    }
  }
  return { objects, bundleFindings: [...bundleFindings, ...inputFindings], integrityOk };
}

export function registerResolve(program: Command, ctx: CommandContext): void {
  program
    .command('resolve')
    .description('recompute Gateway API status and the effective routing table from manifests or a bundle')
    .argument('<paths...>', 'manifest files, directories, - for stdin, or a bundle (*.tar.gz)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .addOption(
      new Option('--attached-routes-semantics <version>', 'listener attachedRoutes counting (default: from the captured CRD bundle-version, else v1.5)').choices(['v1.4', 'v1.5']),
    )
    .action(async (paths: string[], flags: ResolveFlags) => {
      if (paths.length === 0) throw new UsageError('resolve needs at least one input path');
      const { objects, bundleFindings, integrityOk } = await loadObjects(paths, ctx);
      const res: Resolution = resolve(objects, flags.attachedRoutesSemantics ? { attachedRoutesSemantics: flags.attachedRoutesSemantics } : {});
      if (bundleFindings.length > 0) res.findings = [...bundleFindings, ...res.findings];
      if (flags.output === 'json') ctx.io.stdout(JSON.stringify(res, null, 2) + '\n');
      else if (flags.output === 'yaml') ctx.io.stdout(yamlStringify(res, { aliasDuplicateObjects: false }));
      else ctx.io.stdout(renderResolutionText(res));
      if (!integrityOk) {
        // The resolution is printed, but a bundle that fails integrity checks cannot be trusted.
        ctx.io.stderr('gwe: bundle integrity check failed; the resolution above is computed from untrusted content\n');
        ctx.exitCode = Exit.INTEGRITY;
      }
    });
}
