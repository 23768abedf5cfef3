import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { readBundleFile } from './diff.ts';
import {
  certificateRows,
  hasFilter,
  renderCertificates,
  renderObjects,
  renderRecord,
  selectObjects,
  type InspectOutput,
  type ObjectFilter,
} from '../../inspect/index.ts';

interface InspectFlags {
  kind?: string;
  namespace?: string;
  name?: string;
  output?: string;
  certificates?: boolean;
  record?: boolean;
}

const OUTPUTS: readonly InspectOutput[] = ['table', 'yaml', 'json'];

/**
 * `gwe inspect BUNDLE [--kind K] [--namespace N] [--name X] [--output yaml|json|table] [--certificates] [--record]`
 * Browses a bundle in memory (never extracts, never writes). Without a filter: a table of objects; with a
 * filter: the matching objects as YAML (default) or JSON. Exit 1 when a filter matches nothing.
 */
export function registerInspect(program: Command, ctx: CommandContext): void {
  program
    .command('inspect')
    .description('browse a bundle without extracting it: list objects, print one as YAML/JSON, list certificates, show the collection record')
    .argument('<bundle>', 'bundle (.tar.gz)')
    .option('--kind <kind>', 'object kind (case-insensitive; Kind.group to disambiguate)')
    .option('--namespace <ns>', 'namespace')
    .option('--name <name>', 'object name')
    .option('--output <format>', 'table, yaml or json (default: table for lists, yaml for a filter)')
    .option('--certificates', 'list every certificate: secret, subject, SANs, notAfter, fingerprint')
    .option('--record', 'print the collection record')
    .action(async (bundle: string, flags: InspectFlags) => {
      const { io } = ctx;
      if (flags.output !== undefined && !(OUTPUTS as readonly string[]).includes(flags.output)) {
        throw new UsageError(`inspect: expected --output ${OUTPUTS.join('|')}, found ${JSON.stringify(flags.output)}`);
      }
      const filter: ObjectFilter = {};
      if (flags.kind !== undefined) filter.kind = flags.kind;
      if (flags.namespace !== undefined) filter.namespace = flags.namespace;
      if (flags.name !== undefined) filter.name = flags.name;
      const modes = [flags.certificates === true, flags.record === true, hasFilter(filter)].filter(Boolean).length;
      if (modes > 1) throw new UsageError('inspect: --certificates, --record and the --kind/--namespace/--name filter are exclusive; give one');
      const opened = await readBundleFile(io, bundle);
      const capture = opened.capture;
      if (flags.record) {
        io.stdout(renderRecord(capture, (flags.output as InspectOutput | undefined) ?? 'yaml'));
        return;
      }
      if (flags.certificates) {
        io.stdout(renderCertificates(certificateRows(capture), (flags.output as InspectOutput | undefined) ?? 'table'));
        return;
      }
      const objects = selectObjects(capture, filter);
      if (hasFilter(filter) && objects.length === 0) {
        const what = [filter.kind && `kind ${filter.kind}`, filter.namespace !== undefined && `namespace ${filter.namespace}`, filter.name && `name ${filter.name}`].filter(Boolean).join(', ');
        io.stderr(`gwe: inspect: no object in ${bundle} matches ${what} (${capture.snapshot.objects.length} objects in the bundle)\n`);
        ctx.exitCode = Exit.FINDINGS;
        return;
      }
      io.stdout(renderObjects(objects, (flags.output as InspectOutput | undefined) ?? (hasFilter(filter) ? 'yaml' : 'table')));
    });
}
