import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

// PLACEHOLDER: owned by the helper implementing `gwe resolve`; replace entirely.
export function registerResolve(program: Command, _ctx: CommandContext): void {
  program.command('resolve').description('(not yet implemented)');
}
