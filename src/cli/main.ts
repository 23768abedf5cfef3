import { Command, CommanderError } from 'commander';
import { BaseError, BundleFormatError, InputError, OutputError, UsageError } from '../errors.ts';
import { Exit, type ExitCode } from './exit.ts';
import type { IO } from './io.ts';
import { VERSION } from '../version.ts';
import { registerCommands } from './commands/index.ts';
import { terminalSafe } from '../model/escape.ts'; // not display.ts: no YAML library at start-up

export { nodeIO } from './node-io.ts';
export type { IO } from './io.ts';

/** Shared state a command sets for main() to return. */
export interface CommandContext {
  io: IO;
  exitCode: ExitCode;
}

/**
 * Runs the CLI in-process: `main(['verify', 'b.tar.gz', '--key', 'k.pem'], io)` resolves to an exit code.
 * Never calls process.exit; all output goes through `io`.
 */
export async function main(argv: string[], rawIO: IO): Promise<ExitCode> {
  const io = safeOutput(rawIO);
  const nul = nulArgument(argv);
  if (nul !== undefined) {
    io.stderr(`gwe: ${nul}\n`);
    return Exit.USAGE;
  }
  const ctx: CommandContext = { io, exitCode: Exit.OK };
  const program = new Command();
  program
    .name('gwe')
    .description('Gateway API evidence: collect, sign, verify, resolve and report on Gateway API routing')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    });
  try {
    await registerCommands(program, ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return handleError(err, io);
  }
}

/**
 * The rendering edge (issue 8 item 2): every byte a command writes to stdout or stderr (text, Markdown,
 * JSON, YAML, HTML, errors, commander's own messages) passes through terminalSafe, so a renderer that forgot
 * to escape a bundle string still cannot emit ESC/CSI/OSC, CR, C1 controls or bidi overrides. Renderers also
 * escape each value (newlines included, src/model/display.ts); this is the net under them.
 */
function safeOutput(io: IO): IO {
  return {
    ...io,
    stdout: (t) => io.stdout(terminalSafe(t)),
    stderr: (t) => io.stderr(terminalSafe(t)),
    statusLine: (t) => io.stderr(`\r\x1b[K${terminalSafe(t.replace(/\n/g, ' '))}`),
    // Colour (issue 10): the text is escaped before the styler adds its SGR codes, so bundle bytes never do.
    stdoutStyled: (t, style) => io.stdout(style(terminalSafe(t))),
  };
}

/**
 * Bug inspect-nul-argument-exits-70: an argument holding a NUL byte (`gwe keygen --out 'a\0b'`) reached
 * node:fs, whose ERR_INVALID_ARG_VALUE fell through to "internal error" (70) with a stack trace. No file name,
 * flag or value can hold NUL (POSIX paths cannot, and the CLI's values are paths, names and times), so it is
 * refused before commander sees it, naming the argument (and the flag it belongs to).
 */
function nulArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.includes('\0')) continue;
    const prev = argv[i - 1];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 && !arg.slice(0, eq).includes('\0')
      ? arg.slice(0, eq)
      : prev !== undefined && prev.startsWith('-') && !prev.includes('\0') ? prev : undefined;
    return `argument ${i + 1} ${JSON.stringify(arg)}${flag ? ` (value of ${flag})` : ''} contains a NUL byte (U+0000): ` +
      'expected a file name or value without one';
  }
  return undefined;
}

function handleError(err: unknown, io: IO): ExitCode {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return Exit.OK;
    }
    return Exit.USAGE;
  }
  if (err instanceof UsageError) {
    io.stderr(`gwe: ${err.message}\n`);
    return Exit.USAGE;
  }
  if (err instanceof InputError || err instanceof BundleFormatError) {
    io.stderr(`gwe: ${err.message}\n`);
    return Exit.INPUT;
  }
  if (err instanceof OutputError) {
    io.stderr(`gwe: ${err.message}\n`);
    return Exit.OUTPUT;
  }
  if (err instanceof BaseError) {
    io.stderr(`gwe: ${err.code}: ${err.message}\n`);
    return Exit.INTERNAL;
  }
  const e = err as { code?: string; message?: string; path?: string };
  if (e && e.code === 'ERR_INVALID_ARG_VALUE') {
    // Node refused a value that came from the input (a path with a NUL byte inside a trust file, an
    // environment variable...): bad input, not a bug (bug inspect-nul-argument-exits-70).
    io.stderr(`gwe: invalid input value: ${e.message ?? String(err)}\n`);
    return Exit.INPUT;
  }
  if (e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    // Node fs errors (ENOENT, EACCES, EISDIR...) are unreadable input.
    io.stderr(`gwe: ${e.message ?? String(err)}\n`);
    return Exit.INPUT;
  }
  io.stderr(`gwe: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return Exit.INTERNAL;
}
