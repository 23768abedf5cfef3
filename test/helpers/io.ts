import type { IO } from '../../src/cli/io.ts';

export interface MemoryIO extends IO {
  out: () => string;
  err: () => string;
}

/** An in-memory IO for running main() in-process. */
export function memoryIO(opts: { stdin?: Uint8Array | string; cwd?: string; now?: Date; env?: Record<string, string> } = {}): MemoryIO {
  let out = '';
  let err = '';
  const stdin = typeof opts.stdin === 'string' ? new TextEncoder().encode(opts.stdin) : (opts.stdin ?? new Uint8Array());
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readStdin: async () => stdin,
    stderrIsTTY: false,
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
    // After every capture time the tests sign: collect refuses a --captured-at ahead of the clock (issue 8 item 16).
    now: () => opts.now ?? new Date('2027-01-01T00:00:00Z'),
    onInterrupt: () => () => undefined,
    out: () => out,
    err: () => err,
  };
}
