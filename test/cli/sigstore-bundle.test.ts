// Issue 10 item 1: `gwe collect --sigstore-bundle FILE` and `gwe sign --sigstore-bundle FILE` write the signature
// of the signing key as a Sigstore bundle v0.3 beside the bundle (docs/bundle-format.md section 2.2); the
// Sigstore verifier accepts each with that signer's public key (test/unit/bundle/sigstore.test.ts has the why).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot, PublicKeyDetails } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { main } from '../../src/cli/main.ts';
import { Exit } from '../../src/cli/exit.ts';
import { memoryIO } from '../helpers/io.ts';
import { privateKeyPem, signingKeyFromSeed, type SigningKey } from '../../src/crypto/index.ts';
import { readArchive } from '../../src/bundle/reader.ts';
import { STATEMENT_FILE } from '../../src/bundle/statement.ts';

const SAMPLES = join(import.meta.dirname, '..', '..', 'samples', 'cluster');
const collector = signingKeyFromSeed(new Uint8Array(32).fill(5));
const reviewer = signingKeyFromSeed(new Uint8Array(32).fill(6));

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-cli-sigstore-'));
  writeFileSync(join(dir, 'collector.pem'), privateKeyPem(collector));
  writeFileSync(join(dir, 'reviewer.pem'), privateKeyPem(reviewer));
  return dir;
}

function verifiesWith(file: string, key: SigningKey): boolean {
  const root = TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });
  const trust = toTrustMaterial(root, { [key.keyId]: { rawBytes: Buffer.from(key.publicKey.spkiDer), keyDetails: PublicKeyDetails.PKIX_ED25519 } });
  const entity = toSignedEntity(bundleFromJSON(JSON.parse(readFileSync(file, 'utf8'))));
  return new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity).key.asymmetricKeyType === 'ed25519';
}

const collectArgs = (extra: string[] = []): string[] => ['collect', '--from', SAMPLES, '--out', 'b.tar.gz', '--key', 'collector.pem', '--captured-at', '2026-12-01T10:00:00Z', ...extra];

describe('--sigstore-bundle', () => {
  it('collect writes the collector signature as a Sigstore bundle; sign writes the reviewer one', async () => {
    const dir = workdir();
    const io = memoryIO({ cwd: dir });
    expect(await main(collectArgs(['--sigstore-bundle', 'b.sigstore.json']), io)).toBe(Exit.OK);
    const s = JSON.parse(readFileSync(join(dir, 'b.sigstore.json'), 'utf8'));
    expect(s.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(s.verificationMaterial.publicKey.hint).toBe(collector.keyId);
    const statement = readArchive(new Uint8Array(readFileSync(join(dir, 'b.tar.gz')))).files.get(STATEMENT_FILE)!;
    expect(Buffer.from(s.dsseEnvelope.payload, 'base64').equals(Buffer.from(statement))).toBe(true);
    expect(verifiesWith(join(dir, 'b.sigstore.json'), collector)).toBe(true);

    const sign = memoryIO({ cwd: dir });
    expect(await main(['sign', 'b.tar.gz', '--key', 'reviewer.pem', '--sigstore-bundle', 'b.reviewer.sigstore.json'], sign)).toBe(Exit.OK);
    expect(sign.out()).toContain('wrote b.reviewer.sigstore.json (Sigstore bundle)');
    const r = JSON.parse(readFileSync(join(dir, 'b.reviewer.sigstore.json'), 'utf8'));
    expect(r.verificationMaterial.publicKey.hint).toBe(reviewer.keyId);
    expect(verifiesWith(join(dir, 'b.reviewer.sigstore.json'), reviewer)).toBe(true);
    expect(() => verifiesWith(join(dir, 'b.reviewer.sigstore.json'), collector)).toThrow(/key not found/);
  });

  it('an existing Sigstore bundle file is refused before anything is read or written (collect: unless --force)', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'taken.json'), 'keep');
    const io = memoryIO({ cwd: dir });
    expect(await main(collectArgs(['--sigstore-bundle', 'taken.json']), io)).toBe(Exit.USAGE);
    expect(io.err()).toContain('refusing to overwrite existing file');
    expect(existsSync(join(dir, 'b.tar.gz'))).toBe(false);
    expect(readFileSync(join(dir, 'taken.json'), 'utf8')).toBe('keep');
    expect(await main(collectArgs(['--sigstore-bundle', 'taken.json', '--force']), memoryIO({ cwd: dir }))).toBe(Exit.OK);
    expect(verifiesWith(join(dir, 'taken.json'), collector)).toBe(true);
  });
});
