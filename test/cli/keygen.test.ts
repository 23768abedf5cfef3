import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { parsePrivateKeyPem, parsePublicKey } from '../../src/crypto/index.ts';

describe('gwe keygen', () => {
  it('writes a 0600 PKCS#8 private key and an SPKI public key, and prints the key id', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gwe-keygen-'));
    const io = memoryIO({ cwd });
    expect(await main(['keygen', '--out', 'k', '--name', 'alice'], io)).toBe(0);
    const priv = join(cwd, 'k/alice.key.pem');
    const pub = join(cwd, 'k/alice.pub.pem');
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    const key = parsePrivateKeyPem(readFileSync(priv, 'utf8'));
    expect(parsePublicKey(readFileSync(pub, 'utf8')).keyId).toBe(key.keyId);
    expect(io.out()).toContain(`key id      ${key.keyId}`);
    // OpenSSL agrees on the key id.
    const der = execFileSync('openssl', ['pkey', '-in', priv, '-pubout', '-outform', 'DER']);
    expect(execFileSync('sha256sum', { input: der, encoding: 'utf8' }).split(' ')[0]).toBe(key.keyId);
  });

  it('refuses to overwrite an existing key and leaves it untouched', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gwe-keygen-'));
    expect(await main(['keygen', '--out', '.', '--name', 'bob'], memoryIO({ cwd }))).toBe(0);
    const before = readFileSync(join(cwd, 'bob.key.pem'), 'utf8');
    const io = memoryIO({ cwd });
    expect(await main(['keygen', '--out', '.', '--name', 'bob'], io)).toBe(64);
    expect(io.err()).toMatch(/refusing to overwrite existing file .*bob\.key\.pem/);
    expect(readFileSync(join(cwd, 'bob.key.pem'), 'utf8')).toBe(before);
  });

  it('rejects a bad name and missing options', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gwe-keygen-'));
    const io = memoryIO({ cwd });
    expect(await main(['keygen', '--out', '.', '--name', '../evil'], io)).toBe(64);
    expect(io.err()).toMatch(/expected --name of \[A-Za-z0-9._-\]/);
    expect(await main(['keygen', '--out', '.'], memoryIO({ cwd }))).toBe(64);
  });
});
