/**
 * `--sigstore-bundle FILE` on collect and sign (issue 10): the bundle's DSSE signature by the signing key,
 * re-expressed as a Sigstore bundle v0.3 (src/bundle/sigstore.ts, docs/bundle-format.md section 2.3), written
 * atomically beside the bundle. The envelope inside the bundle stays the source of truth.
 */
import type { Command } from 'commander';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { sigstoreBundleBytes, sigstoreBundleFromArchive } from '../bundle/sigstore.ts';
import type { IO } from './io.ts';

export function addSigstoreOption(cmd: Command, replace: string): Command {
  return cmd.option('--sigstore-bundle <file>', `also write the signature as a Sigstore bundle (v0.3 JSON: the DSSE envelope with this signer's signature, a public-key hint, no transparency-log entry); ${replace}`);
}

/** Writes the Sigstore bundle of `keyId`'s signature, from the envelope bytes or the whole bundle archive. */
export async function writeSigstoreBundle(io: IO, file: string, source: { envelope: Uint8Array } | { bundle: Uint8Array }, keyId: string | undefined, overwrite: boolean): Promise<void> {
  const bytes = 'envelope' in source ? sigstoreBundleBytes(source.envelope, keyId) : sigstoreBundleFromArchive(source.bundle, keyId);
  await writeFileAtomic(isAbsolute(file) ? file : join(io.cwd, file), bytes, { mode: 0o644, overwrite, onInterrupt: io.onInterrupt });
}
