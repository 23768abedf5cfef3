/**
 * Command-line conventions shared by every command (issue 10, kubectl/cosign habits):
 * - one format flag, `-o/--output FORMAT`, and one file flag, `--out FILE` (`-` = standard output);
 *   the old `--format` spelling still works for one release and prints a deprecation note;
 * - `-q/--quiet`, `-v/--verbose`, `--no-color` (colour only on a terminal, never with NO_COLOR set);
 * - progress on stderr, on a terminal only.
 */
import { isAbsolute, join } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { writeFileAtomic, type StdoutSink } from '../io/atomic.ts';
import { terminalSafe } from '../model/display.ts';
import type { IO } from './io.ts';
import type { CommandContext } from './main.ts';
import { parseSelector, type ObjectScope } from '../resolve/scope.ts';

export interface OutputFlags {
  output?: string;
  /** Deprecated spelling of --output (kept one release). */
  format?: string;
  out?: string;
}

export interface CommonFlags {
  quiet?: boolean;
  verbose?: boolean;
  /** commander's negatable `--no-color`: false when given. */
  color?: boolean;
}

/**
 * Adds `-o, --output <format>` (one of `formats`) and, when `file` is set, `--out <file>` (`-` = stdout), plus
 * the deprecated `--format` spelling. The default is applied by {@link outputFormat}, not by commander, so a
 * deprecated flag can be told apart from a default.
 */
export function addOutputOptions(cmd: Command, formats: readonly string[], def: string, opts: { file?: boolean; deprecatedFormat?: boolean } = {}): Command {
  cmd.option('-o, --output <format>', `output format: ${formats.join(', ')} (default: ${def})`);
  if (opts.deprecatedFormat !== false) cmd.addOption(new Option('--format <format>', 'deprecated: use -o/--output').hideHelp());
  if (opts.file !== false) cmd.option('--out <file>', 'write the output to this file (atomically); - is standard output');
  return cmd;
}

/** The chosen format: `-o/--output`, else the deprecated `--format` (with a note on stderr), else `def`. */
export function outputFormat(command: string, flags: OutputFlags, formats: readonly string[], def: string, io: IO): string {
  if (flags.output !== undefined && flags.format !== undefined && flags.output !== flags.format) {
    throw new UsageError(`${command}: -o/--output ${JSON.stringify(flags.output)} and the deprecated --format ${JSON.stringify(flags.format)} disagree; give -o only`);
  }
  if (flags.format !== undefined && flags.output === undefined) {
    io.stderr(`gwe: note: --format is deprecated and will be removed in the next release; use -o/--output ${flags.format}\n`);
  }
  const f = flags.output ?? flags.format ?? def;
  if (!formats.includes(f)) throw new UsageError(`${command}: expected -o/--output ${formats.join('|')}, found ${JSON.stringify(f)}`);
  return f;
}

/** True when `--out` names a file (not absent, not `-`). */
export function writesFile(flags: OutputFlags): boolean {
  return flags.out !== undefined && flags.out !== '-';
}

/**
 * Sends `text` to `--out FILE` (atomically, replacing it) or to standard output (no `--out`, or `--out -`).
 * `--out html` is almost always a mistaken `-o html`: the file is still written, with a note saying so.
 */
export async function emitOutput(ctx: CommandContext, flags: OutputFlags & CommonFlags, text: string, formats: readonly string[], opts: { colorize?: (safeText: string) => string } = {}): Promise<void> {
  const { io } = ctx;
  if (!writesFile(flags)) {
    if (opts.colorize && io.stdoutStyled && useColor(io, flags)) io.stdoutStyled(text, opts.colorize);
    else io.stdout(text);
    return;
  }
  // terminalSafe here too: a file written with --out is read in a terminal later (issue 8 item 2).
  await emitOutputFile(ctx, flags, new TextEncoder().encode(terminalSafe(text)), formats);
}

/**
 * {@link emitOutput}'s `--out FILE` (writesFile(flags)) for an output rendered straight to bytes: `bytes` must be
 * the UTF-8 of terminal-safe text (terminalSafe already applied, as renderSarifBytes guarantees), so a 62 MiB SARIF
 * is not scanned, copied and encoded again on its way to the file (issue 13). Written atomically; emitOutput's file
 * branch ends here too, with its text made terminal-safe and encoded.
 */
export async function emitOutputFile(ctx: CommandContext, flags: OutputFlags, bytes: Uint8Array, formats: readonly string[]): Promise<void> {
  const { io } = ctx;
  if (!writesFile(flags)) throw new Error('emitOutputFile: no --out file'); // a caller's bug, not an input error
  const out = flags.out!;
  if (formats.includes(out)) io.stderr(`gwe: note: writing to a file named "${out}"; for the ${out} format use -o ${out}\n`);
  await writeFileAtomic(absPathIn(io.cwd, out), bytes, { overwrite: true, onInterrupt: io.onInterrupt });
}

export function absPathIn(cwd: string, p: string): string {
  return isAbsolute(p) ? p : join(cwd, p);
}

/** Adds `-q/--quiet`, `-v/--verbose` and `--no-color` to a command. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'no progress, notes or summaries on stderr; errors and the requested output only')
    .option('-v, --verbose', 'more detail on stderr: each step and how long it took')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)');
}

/** Refuses `--quiet` with `--verbose`. */
export function checkCommon(command: string, flags: CommonFlags): void {
  if (flags.quiet && flags.verbose) throw new UsageError(`${command}: --quiet and --verbose are exclusive`);
}

/**
 * Colour is used only when standard output is a terminal, `--no-color` was not given and NO_COLOR is unset
 * or empty (https://no-color.org: "when present and not an empty string").
 */
export function useColor(io: IO, flags: CommonFlags): boolean {
  if (flags.color === false) return false;
  const nc = io.env['NO_COLOR'];
  if (nc !== undefined && nc !== '') return false;
  if (io.env['TERM'] === 'dumb') return false;
  return io.stdoutIsTTY === true;
}

const SGR = { red: '31', green: '32', yellow: '33', bold: '1' } as const;
export type Paint = keyof typeof SGR;

/** Wraps text in an ANSI colour when `on`; the text was escaped first (IO.stdoutStyled). */
export function paint(on: boolean, color: Paint, text: string): string {
  return on ? `\x1b[${SGR[color]}m${text}\x1b[0m` : text;
}

/**
 * Colours a rendered text report line by line: verdict lines (VERIFIED / FAILED / CHAIN ...) and the
 * `errors (n)` / `warnings (n)` headings. Applied after rendering, so renderers stay pure and colour-free.
 */
export function colorizeReport(text: string): string {
  return text
    .split('\n')
    .map((l) => {
      if (/^(FAILED|CHAIN BROKEN|NOT VERIFIED)/.test(l) || /^errors \(\d+\)$/.test(l)) return paint(true, 'red', l);
      if (/^(VERIFIED WITH FINDINGS|NOT CHECKED)/.test(l) || /^warnings \(\d+\)$/.test(l)) return paint(true, 'yellow', l);
      if (/^(VERIFIED|CHAIN VERIFIED)/.test(l)) return paint(true, 'green', l);
      return l;
    })
    .join('\n');
}

/** Progress and verbose lines on stderr. Progress shows only on a terminal and never with --quiet. */
export interface Progress {
  /** A transient status line (overwritten by the next one), terminal only. */
  step: (message: string) => void;
  /** A permanent line for --verbose (with the time since start). */
  detail: (message: string) => void;
  /** A note for the user (suppressed by --quiet). */
  note: (message: string) => void;
  /** Clears the status line. */
  done: () => void;
}

export function progress(command: string, io: IO, flags: CommonFlags): Progress {
  const live = io.stderrIsTTY && !flags.quiet && io.statusLine !== undefined;
  const start = io.now().getTime();
  let shown = false;
  const clear = (): void => {
    if (shown) io.statusLine?.('');
    shown = false;
  };
  return {
    step: (m) => {
      if (flags.verbose) {
        clear();
        io.stderr(`${command}: ${m} (+${io.now().getTime() - start} ms)\n`);
        return;
      }
      if (!live) return;
      shown = true;
      io.statusLine?.(`${command}: ${m}`);
    },
    detail: (m) => {
      if (!flags.verbose) return;
      clear();
      io.stderr(`${command}: ${m} (+${io.now().getTime() - start} ms)\n`);
    },
    note: (m) => {
      if (flags.quiet) return;
      clear();
      io.stderr(`${m}\n`);
    },
    done: clear,
  };
}

export interface ScopeFlags {
  namespace?: string[];
  allNamespaces?: boolean;
  excludeNamespace?: string[];
  selector?: string;
}

const repeat = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/**
 * kubectl scoping: `-n/--namespace NS` (repeatable), `-A/--all-namespaces`, `--exclude-namespace NS`
 * (repeatable) and `-l/--selector SEL`. Semantics: src/resolve/scope.ts.
 */
export function addScopeOptions(cmd: Command, what = 'objects'): Command {
  return cmd
    .option('-n, --namespace <ns>', `only ${what} in this namespace (repeatable)`, repeat)
    .option('-A, --all-namespaces', 'every namespace (the default; refuses -n)')
    .option('--exclude-namespace <ns>', `skip ${what} in this namespace (repeatable)`, repeat)
    .option('-l, --selector <selector>', 'label selector for Gateway API objects and Services (kubectl syntax: k=v,k!=v,k in (a,b),!k)');
}

/** Flags -> ObjectScope; `-A` with `-n`, or a bad selector, is a usage error. */
export function scopeFromFlags(command: string, flags: ScopeFlags): ObjectScope {
  if (flags.allNamespaces && flags.namespace && flags.namespace.length > 0) {
    throw new UsageError(`${command}: -A/--all-namespaces and -n/--namespace are exclusive; give one`);
  }
  const scope: ObjectScope = {};
  if (flags.namespace && flags.namespace.length > 0) scope.namespaces = [...new Set(flags.namespace)].sort();
  if (flags.excludeNamespace && flags.excludeNamespace.length > 0) scope.excludeNamespaces = [...new Set(flags.excludeNamespace)].sort();
  if (flags.selector !== undefined) {
    const p = parseSelector(flags.selector);
    if (!p.ok) throw new UsageError(`${command}: -l/--selector: ${p.error}`);
    scope.selector = p.selector;
  }
  return scope;
}

/**
 * `--out -` (issue 10): the bundle's bytes go to IO.writeStdout, the raw byte path that bypasses the terminal
 * escaping of io.stdout (which would corrupt a gzip stream); a terminal is refused (src/collect.ts checkOutput).
 */
export function bundleSink(io: IO, out: string | undefined): { stdout?: StdoutSink } {
  if (out !== '-' || !io.writeStdout) return {};
  const write = io.writeStdout;
  return { stdout: { write: (b) => write(b), isTTY: io.stdoutIsTTY === true } };
}
