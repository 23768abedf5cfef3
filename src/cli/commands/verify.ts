import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

// PLACEHOLDER: owned by the helper implementing `gwe verify`; replace entirely.
export function registerVerify(program: Command, _ctx: CommandContext): void {
  program.command('verify').description('(not yet implemented)');
}
