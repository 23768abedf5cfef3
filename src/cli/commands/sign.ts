import type { Command } from 'commander';
import { readInputFile, readInputText } from '../../io/read.ts';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { BundleFormatError } from '../../errors.ts';
import { sha256Hex } from '../../crypto/index.ts';
import { keyPassword, KEY_PASSWORD_ENV, parseSigningKey } from '../../io/keys.ts';
import { addCommonOptions, checkCommon, type CommonFlags } from '../conventions.ts';
import { addSignature } from '../../bundle/sign.ts';
import { writeFileAtomic } from '../../io/atomic.ts';

/**
 * `gwe sign bundle.tar.gz --key reviewer.pem [--out FILE]`: countersign. Checks integrity first, adds a DSSE
 * signature and a .sig file; no hashed byte changes. Writes atomically (in place by default).
 */
export function registerSign(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('sign')
    .description('countersign a bundle (e.g. as a reviewer) without changing any hashed byte')
    .argument('<bundle>', 'bundle (.tar.gz)')
    .requiredOption('--key <file>', 'signing key (ed25519, PKCS#8 PEM; may be password-protected)')
    .option('--key-password-file <file>', `password of an encrypted --key (first line of the file; or set ${KEY_PASSWORD_ENV})`)
    .option('--out <file>', 'write the signed bundle here instead of replacing <bundle> (refuses to overwrite)')
    .action(async (bundle: string, flags: { key: string; out?: string; keyPasswordFile?: string } & CommonFlags) => {
      const { io } = ctx;
      checkCommon('sign', flags);
      const abs = (p: string): string => (isAbsolute(p) ? p : join(io.cwd, p));
      const password = await keyPassword({ passwordFile: flags.keyPasswordFile, env: io.env, cwd: io.cwd });
      const key = parseSigningKey(await readInputText(flags.key, 'signing key', io.cwd), flags.key, password);
      const input = await readInputFile(bundle, 'bundle', io.cwd);
      let signed: Uint8Array;
      try {
        signed = addSignature(input, key);
      } catch (e) {
        if (e instanceof BundleFormatError) throw new BundleFormatError(e.code, `${bundle}: ${e.message}`, { cause: e });
        throw e;
      }
      const target = flags.out ?? bundle;
      const unchanged = signed === input;
      if (!(unchanged && flags.out === undefined)) {
        await writeFileAtomic(abs(target), signed, { mode: 0o644, overwrite: flags.out === undefined, onInterrupt: io.onInterrupt });
      }
      if (!flags.quiet) io.stdout(`${unchanged ? 'already signed by' : 'signed by'} ${key.keyId}\nwrote ${target}\nsha256 ${sha256Hex(signed)}\n`);
      ctx.exitCode = Exit.OK;
    });
  addCommonOptions(cmd);
}
