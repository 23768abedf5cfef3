import type { IO } from './io.ts';

/** The real process-backed IO used by bin/gwe.js. */
export function nodeIO(): IO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
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
