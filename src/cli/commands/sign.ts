import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';

// PLACEHOLDER: owned by the helper implementing `gwe sign`; replace entirely.
export function registerSign(program: Command, _ctx: CommandContext): void {
  program.command('sign').description('(not yet implemented)');
}
