import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

type Register = (program: Command, ctx: CommandContext) => void;

/**
 * One file per command; each owns its flags -> options -> library call -> render -> exit code. Loaded on demand
 * (issue 13, start-up): `gwe verify ...` loads the verify command's module graph only, `gwe --version` none.
 * In help order; completion last, since it reads the other commands' options.
 */
const LOADERS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ['collect', async () => (await import('./collect.ts')).registerCollect],
  ['keygen', async () => (await import('./keygen.ts')).registerKeygen],
  ['sign', async () => (await import('./sign.ts')).registerSign],
  ['verify', async () => (await import('./verify.ts')).registerVerify],
  ['resolve', async () => (await import('./resolve.ts')).registerResolve],
  ['diff', async () => (await import('./diff.ts')).registerDiff],
  ['inspect', async () => (await import('./inspect.ts')).registerInspect],
  ['report', async () => (await import('./report.ts')).registerReport],
  ['approve', async () => (await import('./approve.ts')).registerApprove],
  ['version', async () => (await import('./version.ts')).registerVersion],
  ['completion', async () => (await import('./completion.ts')).registerCompletion],
];

/** The command names, in help order. */
export const COMMAND_NAMES: readonly string[] = LOADERS.map(([name]) => name);

/**
 * Registers the commands `argv` needs: none for `--version`/`-V` alone, the one named when it is a command
 * other than completion, every command otherwise (help, completion, no or an unknown command: they list them all).
 */
export async function registerCommands(program: Command, ctx: CommandContext, argv: readonly string[] = []): Promise<void> {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined && argv.length > 0 && argv.every((a) => a === '--version' || a === '-V')) return;
  const one = first !== undefined && first !== 'completion' && first !== 'help' ? LOADERS.find(([name]) => name === first) : undefined;
  // Loaded in parallel, registered in order (commander lists commands in registration order).
  const registers = await Promise.all((one ? [one] : LOADERS).map(([, load]) => load()));
  for (const register of registers) register(program, ctx);
}
