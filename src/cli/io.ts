/**
 * Everything the CLI touches in the outside world, injected so tests can run main() in-process.
 * Only cli/ and collector/ (and bundle/archive-io) may use node:fs / process directly.
 */
export interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Reads all of standard input (used for `-` inputs). With `maxBytes`, stops and rejects with an
   * InputError INPUT_TOO_LARGE as soon as more than that arrives (never buffers an unbounded stream).
   */
  readStdin: (maxBytes?: number) => Promise<Uint8Array>;
  /** Writes bytes to standard output (`--out -`); absent where standard output cannot take bytes. */
  writeStdout?: (bytes: Uint8Array) => void;
  /**
   * Rewrites the status line on stderr (progress on a terminal): the only path allowed to emit a terminal
   * control sequence. main() provides it; `text` is escaped like everything else.
   */
  statusLine?: (text: string) => void;
  /**
   * Writes `text` to stdout with colour: main() escapes `text` first, then `style` may only wrap the escaped
   * lines in SGR colour codes (src/cli/conventions.ts colorizeReport). Absent: colour is not available.
   */
  stdoutStyled?: (text: string, style: (safeText: string) => string) => void;
  /** Whether stderr is a terminal (progress output). */
  stderrIsTTY: boolean;
  /** Whether stdout is a terminal (colour). Absent means no. */
  stdoutIsTTY?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Registers a cleanup to run on SIGINT/SIGTERM (atomic writes remove their temp file). Returns an unregister. */
  onInterrupt: (cleanup: () => void) => () => void;
}
