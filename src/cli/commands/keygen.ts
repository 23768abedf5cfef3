import type { Command } from 'commander';
import { lstat, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { generateKeyPair, privateKeyPem, publicKeyPem } from '../../crypto/index.ts';
import { writeFileAtomic } from '../../io/atomic.ts';
import { encryptKeyPem, keyPassword, KEY_PASSWORD_ENV } from '../../io/keys.ts';
import { addCommonOptions, checkCommon, type CommonFlags } from '../conventions.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * `gwe keygen --out DIR --name NAME`: a new Ed25519 key pair, DIR/NAME.key.pem (PKCS#8, mode 0600) and
 * DIR/NAME.pub.pem (SPKI). Refuses to overwrite either file. Prints the key id (hex SHA-256 of the DER SPKI).
 */
export function registerKeygen(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('keygen')
    .description('generate an ed25519 signing key pair: NAME.key.pem (PKCS#8, 0600) and NAME.pub.pem (SPKI)')
    .requiredOption('--out <dir>', 'directory to write the key files into (created if missing)')
    .requiredOption('--name <name>', 'key name, used for the file names ([A-Za-z0-9._-])')
    .option('--password', `encrypt the private key (PKCS#8 PBES2, AES-256-CBC) with the password from --key-password-file or ${KEY_PASSWORD_ENV}`)
    .option('--key-password-file <file>', 'file whose first line is the password (with --password)')
    .option('--role <role>', 'role written in the printed trust-file snippet', 'collector')
    .action(async (flags: { out: string; name: string; password?: boolean; keyPasswordFile?: string; role: string } & CommonFlags) => {
      const { io } = ctx;
      checkCommon('keygen', flags);
      if (flags.keyPasswordFile !== undefined && !flags.password) throw new UsageError('keygen: --key-password-file needs --password (encrypt the new key)');
      const password = flags.password ? await keyPassword({ passwordFile: flags.keyPasswordFile, env: io.env, cwd: io.cwd }) : undefined;
      if (flags.password && password === undefined) throw new UsageError(`keygen --password: expected the password in --key-password-file FILE or ${KEY_PASSWORD_ENV}, found neither`);
      if (!NAME.test(flags.role)) throw new UsageError(`keygen: expected --role of [A-Za-z0-9._-], found ${JSON.stringify(flags.role)}`);
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
      const privPem = password !== undefined ? encryptKeyPem(privateKeyPem(key), password) : privateKeyPem(key);
      await writeFileAtomic(priv, enc.encode(privPem), { mode: 0o600, overwrite: false, onInterrupt: io.onInterrupt });
      await writeFileAtomic(pub, enc.encode(publicKeyPem(key.publicKey)), { mode: 0o644, overwrite: false, onInterrupt: io.onInterrupt });
      if (flags.quiet) {
        io.stdout(`${key.keyId}\n`);
      } else {
        io.stdout(
          `private key ${join(flags.out, `${flags.name}.key.pem`)} (mode 0600, ${password !== undefined ? 'password-protected' : 'keep it secret'})\npublic key  ${join(flags.out, `${flags.name}.pub.pem`)}\nkey id      ${key.keyId}\n\n` +
            `# trust-file entry for this key (schemas/trust.schema.json); add it under "keys:" of trust.yaml\n${trustSnippet(flags.name, flags.role, key.keyId, publicKeyPem(key.publicKey), io.now())}`,
        );
      }
      ctx.exitCode = Exit.OK;
    });
  addCommonOptions(cmd);
}

/** A `keys:` entry for trust.yaml (keys/trust.yaml is the full example), valid from today for 2 years. */
export function trustSnippet(name: string, role: string, keyId: string, pubPem: string, now: Date): string {
  const from = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
  const until = new Date(Date.UTC(now.getUTCFullYear() + 2, now.getUTCMonth(), now.getUTCDate()));
  const to = `${until.toISOString().slice(0, 10)}T00:00:00Z`;
  const pem = pubPem.trimEnd().split('\n').map((l) => `      ${l}`).join('\n');
  return `  - name: ${name}\n    role: ${role}\n    keyId: ${keyId}\n    notBefore: "${from}"\n    notAfter: "${to}"\n    publicKey: |\n${pem}\n`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path); // a dangling symlink counts: writing through it is not ours to do
    return true;
  } catch {
    return false;
  }
}
