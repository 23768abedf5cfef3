import { readBundleBytes } from '../read-bundle.ts';
import { Option, type Command } from 'commander';
import { safeYamlStringify as yamlStringify } from '../../model/display.ts';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { UsageError } from '../../errors.ts';
import { readInputs } from '../../collector/inputs.ts';
import { normalize } from '../../collector/normalize.ts';
import { VERSION } from '../../version.ts';
import { openBundleNamed } from '../bundle-file.ts';
import { scopeResolution } from '../../resolve/scope.ts';
import { addCommonOptions, addOutputOptions, addScopeOptions, checkCommon, emitOutput, outputFormat, progress, scopeFromFlags, type CommonFlags, type OutputFlags, type ScopeFlags } from '../conventions.ts';
import type { KubeObject } from '../../model/object.ts';
import type { Finding } from '../../model/finding.ts';
import { resolve, renderResolutionText, type AttachedRoutesSemantics, type Resolution, type ResolveOptions } from '../../resolve/index.ts';
import { SEMANTICS, type Semantics } from '../../resolve/profiles.ts';

interface ResolveFlags extends OutputFlags, CommonFlags, ScopeFlags {
  attachedRoutesSemantics?: AttachedRoutesSemantics;
  semantics: Semantics;
}

const FORMATS = ['text', 'json', 'yaml'] as const;

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
    const bytes = await readBundleBytes(b, ctx.io.cwd); // stat first, capped (issue 8 item 13)
    const opened = openBundleNamed(bytes, b);
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
  const cmd = program
    .command('resolve')
    .description('recompute Gateway API status and the effective routing table from manifests or a bundle')
    .argument('<paths...>', 'manifest files, directories, - for stdin, or a bundle (*.tar.gz)');
  addOutputOptions(cmd, FORMATS, 'text');
  addScopeOptions(cmd, 'Gateways, routes and findings');
  addCommonOptions(cmd);
  cmd
    .addOption(
      new Option('--attached-routes-semantics <version>', 'listener attachedRoutes counting (default: from the captured CRD bundle-version, else v1.5)').choices(['v1.4', 'v1.5']),
    )
    .addOption(
      new Option('--semantics <profile>', 'whose behaviour to predict: spec (conformance), a controller profile, or auto (by each GatewayClass controllerName)')
        .choices([...SEMANTICS])
        .default('spec'),
    )
    .action(async (paths: string[], flags: ResolveFlags) => {
      if (paths.length === 0) throw new UsageError('resolve needs at least one input path');
      checkCommon('resolve', flags);
      const output = outputFormat('resolve', flags, FORMATS, 'text', ctx.io);
      const scope = scopeFromFlags('resolve', flags);
      const p = progress('resolve', ctx.io, flags);
      p.step(`reading ${paths.length} input(s)`);
      const { objects, bundleFindings, integrityOk } = await loadObjects(paths, ctx);
      p.step(`resolving ${objects.length} objects`);
      // Resolution runs on every object (status depends on other namespaces); the scope selects what is shown.
      const options: ResolveOptions = { semantics: flags.semantics };
      if (flags.attachedRoutesSemantics) options.attachedRoutesSemantics = flags.attachedRoutesSemantics;
      let res: Resolution = resolve(objects, options);
      if (bundleFindings.length > 0) res.findings = [...bundleFindings, ...res.findings];
      res = scopeResolution(res, objects, scope);
      p.done();
      const text = output === 'json' ? JSON.stringify(res, null, 2) + '\n' : output === 'yaml' ? yamlStringify(res, { aliasDuplicateObjects: false }) : renderResolutionText(res);
      await emitOutput(ctx, flags, text, FORMATS);
      if (!integrityOk) {
        // The resolution is printed, but a bundle that fails integrity checks cannot be trusted.
        ctx.io.stderr('gwe: bundle integrity check failed; the resolution above is computed from untrusted content\n');
        ctx.exitCode = Exit.INTEGRITY;
      }
    });
}
