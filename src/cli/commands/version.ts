import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify as yamlStringify } from 'yaml';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { VERSION } from '../../version.ts';
import { FORMAT_VERSION_2 } from '../../bundle/bagit.ts';
import { BUNDLE_READERS } from '../../diff/read.ts';
import { REPORT_FORMAT_VERSION } from '../../verify/report-types.ts';
import { REPORT_SCHEMA_VERSION } from '../../report/model.ts';
import { SUPPORTED_BUNDLE_VERSIONS } from '../../resolve/semantics.ts';
import { SUPPORTED_FEATURES } from '../../resolve/features.ts';
import { addCommonOptions, addOutputOptions, emitOutput, outputFormat, type CommonFlags, type OutputFlags } from '../conventions.ts';

const FORMATS = ['text', 'json', 'yaml'] as const;

export interface VersionInfo {
  version: string;
  commit: string;
  node: string;
  bundleFormat: { writes: number; reads: string[] };
  verifyReportFormat: number;
  reportSchema: string;
  gatewayAPI: { min: string; maxExclusive: string; features: number };
}

/** The git commit recorded at build time (scripts/build-info.mjs -> dist/build-info.json), else "unknown". */
async function buildCommit(): Promise<string> {
  for (const rel of ['../build-info.json', '../../build-info.json', '../../../dist/build-info.json']) {
    try {
      const v = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8')) as { commit?: unknown };
      if (typeof v.commit === 'string' && /^[0-9a-f]{7,64}$|^unknown$/.test(v.commit)) return v.commit;
    } catch {
      // not built from a checkout, or running from src/: try the next place
    }
  }
  return 'unknown';
}

export async function versionInfo(): Promise<VersionInfo> {
  return {
    version: VERSION,
    commit: await buildCommit(),
    node: process.versions.node,
    // The highest version written: v2 with an operational record, v1 without one (docs/bundle-format.md).
    bundleFormat: { writes: FORMAT_VERSION_2, reads: Object.keys(BUNDLE_READERS) },
    verifyReportFormat: REPORT_FORMAT_VERSION,
    reportSchema: REPORT_SCHEMA_VERSION,
    gatewayAPI: { min: SUPPORTED_BUNDLE_VERSIONS.min, maxExclusive: SUPPORTED_BUNDLE_VERSIONS.maxExclusive, features: SUPPORTED_FEATURES.length },
  };
}

/** `gwe version [-o text|json|yaml]`: version, commit, bundle format versions, Gateway API versions supported. */
export function registerVersion(program: Command, ctx: CommandContext): void {
  const cmd = program.command('version').description('print the version, build commit, bundle format versions and the Gateway API versions supported');
  addOutputOptions(cmd, FORMATS, 'text', { deprecatedFormat: false });
  addCommonOptions(cmd);
  cmd.action(async (flags: OutputFlags & CommonFlags) => {
    const format = outputFormat('version', flags, FORMATS, 'text', ctx.io);
    const v = await versionInfo();
    const text =
      format === 'json'
        ? `${JSON.stringify(v, null, 2)}\n`
        : format === 'yaml'
          ? yamlStringify(v)
          : flags.quiet
            ? `${v.version}\n`
            : [
                `gwe ${v.version} (commit ${v.commit}, node ${v.node})`,
                `bundle format   writes v${v.bundleFormat.writes} (v1 without an operational record), reads ${v.bundleFormat.reads.map((r) => `v${r}`).join(', ')}`,
                `verify report   format ${v.verifyReportFormat}; report schema ${v.reportSchema}`,
                `Gateway API     ${v.gatewayAPI.min} <= bundle-version < ${v.gatewayAPI.maxExclusive} (${v.gatewayAPI.features} features claimed)`,
              ].join('\n') + '\n';
    await emitOutput(ctx, flags, text, FORMATS);
    ctx.exitCode = Exit.OK;
  });
}
