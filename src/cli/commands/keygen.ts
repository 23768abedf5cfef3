import type { Command } from 'commander';
import { lstat, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { generateKeyPair, privateKeyPem, publicKeyPem } from '../../crypto/index.ts';
import { writeFileAtomic } from '../../io/atomic.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * `gwe keygen --out DIR --name NAME`: a new Ed25519 key pair, DIR/NAME.key.pem (PKCS#8, mode 0600) and
 * DIR/NAME.pub.pem (SPKI). Refuses to overwrite either file. Prints the key id (hex SHA-256 of the DER SPKI).
 */
export function registerKeygen(program: Command, ctx: CommandContext): void {
  program
    .command('keygen')
    .description('generate an ed25519 signing key pair: NAME.key.pem (PKCS#8, 0600) and NAME.pub.pem (SPKI)')
    .requiredOption('--out <dir>', 'directory to write the key files into (created if missing)')
    .requiredOption('--name <name>', 'key name, used for the file names ([A-Za-z0-9._-])')
    .action(async (flags: { out: string; name: string }) => {
      const { io } = ctx;
      if (!NAME.test(flags.name)) throw new UsageError(`keygen: expected --name of [A-Za-z0-9._-] (at most 63 characters), found ${JSON.stringify(flags.name)}`);
      const dir = isAbsolute(flags.out) ? flags.out : join(io.cwd, flags.out);
      await mkdir(dir, { recursive: true });
      const key = generateKeyPair((n) => new Uint8Array(randomBytes(n)));
      const priv = join(dir, `${flags.name}.key.pem`);
      const pub = join(dir, `${flags.name}.pub.pem`);
      // Refuse before writing anything: a clash on the public key must not leave a fresh private key behind.
      for (const f of [priv, pub]) {
        if (await exists(f)) throw new UsageError(`keygen: refusing to overwrite existing file ${join(flags.out, basename(f))}; expected a new --name or an empty --out directory`);
      }
      const enc = new TextEncoder();
      // Public key first would leave an orphan on a clash; check the private key path by writing it first.
      await writeFileAtomic(priv, enc.encode(privateKeyPem(key)), { mode: 0o600, overwrite: false, onInterrupt: io.onInterrupt });
      await writeFileAtomic(pub, enc.encode(publicKeyPem(key.publicKey)), { mode: 0o644, overwrite: false, onInterrupt: io.onInterrupt });
      io.stdout(`private key ${join(flags.out, `${flags.name}.key.pem`)} (mode 0600, keep it secret)\npublic key  ${join(flags.out, `${flags.name}.pub.pem`)}\nkey id      ${key.keyId}\n`);
      ctx.exitCode = Exit.OK;
    });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path); // a dangling symlink counts: writing through it is not ours to do
    return true;
  } catch {
    return false;
  }
}
