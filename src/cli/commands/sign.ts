import type { Command } from 'commander';
import { readInputText } from '../../io/read.ts';
import { readBundleBytes } from '../read-bundle.ts';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { BundleFormatError, OutputError, UsageError } from '../../errors.ts';
import { sha256Hex } from '../../crypto/index.ts';
import { keyPassword, KEY_PASSWORD_ENV, parseSigningKey } from '../../io/keys.ts';
import { addCommonOptions, checkCommon, type CommonFlags } from '../conventions.ts';
import { countersign, type CheckKey, type CountersignResult } from '../../bundle/sign.ts';
import { resolveOutputTarget, writeFileAtomic } from '../../io/atomic.ts';
import { withFileLock } from '../../io/lock.ts';
import { parseTrust, trustFromPublicKey } from '../../verify/trust.ts';
import { addSigstoreOption, writeSigstoreBundle } from '../sigstore-flag.ts';

interface SignFlags extends CommonFlags {
  key: string;
  keyPasswordFile?: string;
  out?: string;
  trust?: string;
  trustKey?: string;
  force?: boolean;
  sigstoreBundle?: string;
}

/** Read-sign-write attempts when the bundle changes under us without taking the lock (compare-and-swap). */
const CAS_ATTEMPTS = 3;

/**
 * `gwe sign bundle.tar.gz --key reviewer.pem [--out FILE] [--trust T | --trust-key PUB] [--force]`: countersign.
 * Checks integrity first, checks the existing signatures (item 19), adds a DSSE signature and a .sig file; no
 * hashed byte changes. In place, the read-sign-rename runs under an exclusive lock and a compare-and-swap on
 * the file's digest (issue 8 item 5), so concurrent signers never lose a signature.
 */
export function registerSign(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('sign')
    .description('countersign a bundle (e.g. as a reviewer) without changing any hashed byte')
    .argument('<bundle>', 'bundle (.tar.gz)')
    .requiredOption('--key <file>', 'signing key (ed25519, PKCS#8 PEM; may be password-protected)')
    .option('--key-password-file <file>', `password of an encrypted --key (first line of the file; or set ${KEY_PASSWORD_ENV})`)
    .option('--out <file>', 'write the signed bundle here instead of replacing <bundle> (refuses to overwrite)')
    .option('--trust <file>', 'trust root whose keys check the existing signatures (schemas/trust.schema.json)')
    .option('--trust-key <file>', 'a public key that checks the existing signatures, instead of --trust')
    .option('--force', 'countersign even when an existing signature does not verify');
  addSigstoreOption(cmd, 'an existing file is refused');
  cmd
    .action(async (bundle: string, flags: SignFlags) => {
      const { io } = ctx;
      checkCommon('sign', flags);
      const abs = (p: string): string => (isAbsolute(p) ? p : join(io.cwd, p));
      const password = await keyPassword({ passwordFile: flags.keyPasswordFile, env: io.env, cwd: io.cwd });
      const key = parseSigningKey(await readInputText(flags.key, 'signing key', io.cwd), flags.key, password);
      if (flags.trust !== undefined && flags.trustKey !== undefined) {
        throw new UsageError('sign: expected at most one of --trust and --trust-key, found both');
      }
      const trust =
        flags.trust !== undefined
          ? parseTrust(await readInputText(flags.trust, 'trust file', io.cwd), flags.trust)
          : flags.trustKey !== undefined
            ? trustFromPublicKey(await readInputText(flags.trustKey, 'public key', io.cwd), flags.trustKey)
            : undefined;
      const checkKeys: CheckKey[] = (trust?.keys ?? []).map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, name: k.name }));

      let signed: CountersignResult | undefined;
      const signOnce = async (): Promise<{ result: CountersignResult; inputSha: string } | undefined> => {
        const input = await readBundleBytes(bundle, io.cwd);
        let result: CountersignResult;
        try {
          result = countersign(input, key, { keys: checkKeys });
        } catch (e) {
          if (e instanceof BundleFormatError) throw new BundleFormatError(e.code, `${bundle}: ${e.message}`, { cause: e });
          throw e;
        }
        // Item 19: an existing signature that a known key says is invalid: refuse without --force.
        const invalid = result.existing.filter((s) => s.status === 'invalid' && !(s.keyId === key.keyId));
        if (invalid.length > 0 && !flags.force) {
          io.stderr(
            `gwe: refusing to countersign ${bundle}: ${invalid.length} existing signature(s) do not verify (strict RFC 8032): ${invalid.map((s) => `${s.name ?? 'key'} ${s.keyId}`).join(', ')}; run gwe verify, or pass --force to sign anyway\n`,
          );
          ctx.exitCode = Exit.INTEGRITY;
          return undefined;
        }
        const ownInvalid = result.existing.find((s) => s.keyId === key.keyId && s.status === 'invalid');
        if (ownInvalid && !flags.force) {
          io.stderr(`gwe: refusing to countersign ${bundle}: it holds a signature by this key (${key.keyId}) that does not verify; pass --force to replace it with a valid one\n`);
          ctx.exitCode = Exit.INTEGRITY;
          return undefined;
        }
        for (const s of invalid) io.stderr(`warning: --force: the existing signature by ${s.name ?? 'key'} ${s.keyId} does not verify; the bundle will still fail gwe verify\n`);
        const unchecked = result.existing.filter((s) => s.status === 'unchecked');
        if (unchecked.length > 0) {
          io.stderr(
            `warning: ${unchecked.length} existing signature(s) not checked (${trust ? `no key of ${trust.source} names or verifies them` : 'no --trust or --trust-key given'}): ${unchecked.map((s) => s.keyId).join(', ')}; gwe verify --trust checks them\n`,
          );
        }
        return { result, inputSha: sha256Hex(input) };
      };

      if (flags.out !== undefined) {
        // A new file: link() refuses to clobber, and the input is not replaced, so no lock is needed.
        const r = await signOnce();
        if (!r) return;
        await writeFileAtomic(abs(flags.out), r.result.bytes, { mode: 0o644, overwrite: false, onInterrupt: io.onInterrupt });
        report(r.result, flags.out);
        await sigstore();
        return;
      }

      // In place: lock the real file (through a symlink), read-sign, compare-and-swap on the digest, rename.
      const { target } = await resolveOutputTarget(abs(bundle));
      await withFileLock(
        target,
        async () => {
          for (let attempt = 1; ; attempt++) {
            const r = await signOnce();
            if (!r) return;
            if (r.result.unchanged) return report(r.result, bundle);
            // Compare-and-swap: a writer that does not take our lock may have replaced the file meanwhile.
            const now = sha256Hex(await readBundleBytes(bundle, io.cwd));
            if (now !== r.inputSha) {
              if (attempt >= CAS_ATTEMPTS) throw new OutputError('OUTPUT_LOCKED', bundle, `cannot write ${bundle}: it kept changing while being signed (${CAS_ATTEMPTS} attempts); another process writes it without gwe's lock`);
              continue;
            }
            await writeFileAtomic(target, r.result.bytes, { overwrite: true, onInterrupt: io.onInterrupt });
            return report(r.result, bundle);
          }
        },
        { onInterrupt: io.onInterrupt },
      );
      await sigstore();

      /** --sigstore-bundle: this signer's signature in the bundle as written (or as it was, when already signed). */
      async function sigstore(): Promise<void> {
        if (flags.sigstoreBundle === undefined || !signed) return;
        await writeSigstoreBundle(io, flags.sigstoreBundle, { bundle: signed.bytes }, key.keyId, false);
        if (!flags.quiet) io.stdout(`wrote ${flags.sigstoreBundle} (Sigstore bundle)\n`);
      }

      function report(result: CountersignResult, written: string): void {
        signed = result;
        if (!flags.quiet) io.stdout(`${result.unchanged ? 'already signed by' : result.replacedOwn ? 'signed again (replaced an invalid signature) by' : 'signed by'} ${key.keyId}\nwrote ${written}\nsha256 ${sha256Hex(result.bytes)}\n`);
        ctx.exitCode = Exit.OK;
      }
    });
  addCommonOptions(cmd);
}
