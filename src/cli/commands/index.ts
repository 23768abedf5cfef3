import type { Command } from 'commander';
import type { CommandContext } from '../main.ts';
import { registerCollect } from './collect.ts';
import { registerKeygen } from './keygen.ts';
import { registerSign } from './sign.ts';
import { registerVerify } from './verify.ts';
import { registerResolve } from './resolve.ts';
import { registerDiff } from './diff.ts';
import { registerInspect } from './inspect.ts';
import { registerReport } from './report.ts';
import { registerVersion } from './version.ts';
import { registerCompletion } from './completion.ts';
import { registerApprove } from './approve.ts';

/** One file per command; each owns its flags -> options -> library call -> render -> exit code. */
export function registerCommands(program: Command, ctx: CommandContext): void {
  registerCollect(program, ctx);
  registerKeygen(program, ctx);
  registerSign(program, ctx);
  registerVerify(program, ctx);
  registerResolve(program, ctx);
  registerDiff(program, ctx);
  registerInspect(program, ctx);
  registerReport(program, ctx);
  registerApprove(program, ctx);
  registerVersion(program, ctx);
  registerCompletion(program, ctx); // last: it reads the other commands' options
}
