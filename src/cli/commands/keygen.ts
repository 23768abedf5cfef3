import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

// PLACEHOLDER: owned by the helper implementing `gwe keygen`; replace entirely.
export function registerKeygen(program: Command, _ctx: CommandContext): void {
  program.command('keygen').description('(not yet implemented)');
}
