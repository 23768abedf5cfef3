import type { IO } from './io.ts';
import { InputError } from '../errors.ts';

/** The real process-backed IO used by bin/gwe.js. */
export function nodeIO(): IO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async (maxBytes?: number) => {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const c of process.stdin) {
        total += (c as Buffer).length;
        if (maxBytes !== undefined && total > maxBytes) {
          process.stdin.destroy();
          throw new InputError('INPUT_TOO_LARGE', `standard input (-): expected at most ${maxBytes} bytes, found more (raise the cap with --max-input-bytes)`, { file: '-' });
        }
        chunks.push(c as Buffer);
      }
      return new Uint8Array(Buffer.concat(chunks));
    },
    writeStdout: (bytes) => void process.stdout.write(bytes),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
    now: () => new Date(),
    onInterrupt: (cleanup) => {
      const handler = (sig: NodeJS.Signals): void => {
        cleanup();
        process.exit(sig === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}
