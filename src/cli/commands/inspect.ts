import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { Option } from 'commander';
import { readBundleFile } from '../bundle-file.ts';
import { addCommonOptions, addScopeOptions, checkCommon, emitOutput, outputFormat, scopeFromFlags, type CommonFlags, type OutputFlags, type ScopeFlags } from '../conventions.ts';
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

interface InspectFlags extends OutputFlags, CommonFlags, ScopeFlags {
  kind?: string;
  name?: string;
  certificates?: boolean;
  record?: boolean;
}

const OUTPUTS: readonly InspectOutput[] = ['table', 'yaml', 'json'];

/**
 * `gwe inspect BUNDLE [--kind K] [-n NS]... [-l SEL] [--name X] [-o yaml|json|table] [--out FILE] [--certificates] [--record]`
 * Browses a bundle in memory (never extracts, never writes). Without a filter: a table of objects; with a
 * filter: the matching objects as YAML (default) or JSON. Exit 1 when a filter matches nothing.
 */
export function registerInspect(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('inspect')
    .description('browse a bundle without extracting it: list objects, print one as YAML/JSON, list certificates, show the collection record')
    .argument('<bundle>', 'bundle (.tar.gz)')
    .option('--kind <kind>', 'object kind, plural or short name as kubectl takes them (httproute, httproutes, gtw, svc; Kind.group to disambiguate)')
    .option('--name <name>', 'object name');
  cmd.option('-o, --output <format>', 'table, yaml or json (default: table for lists, yaml for a filter)');
  cmd.addOption(new Option('--format <format>', 'deprecated: use -o/--output').hideHelp());
  cmd.option('--out <file>', 'write the output to this file (atomically); - is standard output');
  addScopeOptions(cmd);
  addCommonOptions(cmd);
  cmd
    .option('--certificates', 'list every certificate: secret, subject, SANs, notAfter, fingerprint')
    .option('--record', 'print the collection record')
    .action(async (bundle: string, flags: InspectFlags) => {
      const { io } = ctx;
      checkCommon('inspect', flags);
      // No default here: the default depends on the mode (table for lists, yaml for a filter or the record).
      const chosen = flags.output !== undefined || flags.format !== undefined ? (outputFormat('inspect', flags, OUTPUTS, 'table', io) as InspectOutput) : undefined;
      const scope = scopeFromFlags('inspect', flags);
      const filter: ObjectFilter = {};
      if (flags.kind !== undefined) filter.kind = flags.kind;
      if (scope.namespaces) filter.namespaces = scope.namespaces;
      if (scope.excludeNamespaces) filter.excludeNamespaces = scope.excludeNamespaces;
      if (scope.selector) filter.selector = scope.selector;
      if (flags.name !== undefined) filter.name = flags.name;
      const modes = [flags.certificates === true, flags.record === true, hasFilter(filter)].filter(Boolean).length;
      if (modes > 1) throw new UsageError('inspect: --certificates, --record and the --kind/-n/-l/--name filter are exclusive; give one');
      const opened = await readBundleFile(io, bundle, { quiet: flags.quiet === true });
      const capture = opened.capture;
      if (flags.record) {
        await emitOutput(ctx, flags, renderRecord(capture, chosen ?? 'yaml'), OUTPUTS);
        return;
      }
      if (flags.certificates) {
        await emitOutput(ctx, flags, renderCertificates(certificateRows(capture), chosen ?? 'table'), OUTPUTS);
        return;
      }
      const objects = selectObjects(capture, filter);
      if (hasFilter(filter) && objects.length === 0) {
        const what = [
          filter.kind && `kind ${filter.kind}`,
          filter.namespaces && `namespace ${filter.namespaces.join(' or ')}`,
          filter.excludeNamespaces && `not namespace ${filter.excludeNamespaces.join(' or ')}`,
          flags.selector !== undefined && `selector ${flags.selector}`,
          filter.name && `name ${filter.name}`,
        ]
          .filter(Boolean)
          .join(', ');
        io.stderr(`gwe: inspect: no object in ${bundle} matches ${what} (${capture.snapshot.objects.length} objects in the bundle)\n`);
        ctx.exitCode = Exit.FINDINGS;
        return;
      }
      // kubectl habit: a list (a kind, a namespace, a selector) is a table; a named object prints as YAML.
      await emitOutput(ctx, flags, renderObjects(objects, chosen ?? (flags.name !== undefined ? 'yaml' : 'table')), OUTPUTS);
    });
}
