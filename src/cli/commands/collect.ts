import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

// PLACEHOLDER: owned by the helper implementing `gwe collect`; replace entirely.
export function registerCollect(program: Command, _ctx: CommandContext): void {
  program.command('collect').description('(not yet implemented)');
}
