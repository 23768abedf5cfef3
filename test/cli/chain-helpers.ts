/** Writes the chain fixture bundles and the public key to a temp dir for in-process CLI tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeyPem } from '../../src/crypto/index.ts';
import { KEY, type Built } from '../unit/chain/fixtures.ts';

export function workdir(bundles: Built[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-diff-'));
  for (const b of bundles) writeFileSync(join(dir, b.name), b.bytes);
  writeFileSync(join(dir, 'pub.pem'), publicKeyPem(KEY.publicKey));
  return dir;
}
