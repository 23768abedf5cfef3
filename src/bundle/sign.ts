/** addSignature: countersign a bundle without changing any hashed byte (docs/bundle-format.md §2). Pure. */
import { BundleFormatError } from '../errors.ts';
import type { SigningKey } from '../crypto/index.ts';
import { readArchive } from './reader.ts';
import { checkBag, checkStatement } from './check.ts';
import { assembleArchive, captureSeconds } from './build.ts';
import { signPayload, SIGNATURES_DIR } from './statement.ts';

/**
 * Adds `key`'s signature to the bundle's DSSE envelope and a `signatures/<keyid>.sig` file. Verifies
 * integrity first (structure, manifests, digests, statement binding); existing signatures are kept as they
 * are. Idempotent: when `key` already signed, the input bytes are returned unchanged.
 * @throws BundleFormatError when the bundle is unreadable or fails an integrity check.
 */
export function addSignature(bundle: Uint8Array, key: SigningKey): Uint8Array {
  const read = readArchive(bundle);
  if (read.fatal) throw new BundleFormatError('NOT_A_BUNDLE', `cannot sign: not a readable bundle: ${read.findings.map((f) => f.message).join('; ')}`);
  const bag = checkBag(read);
  const problems = [...read.findings, ...bag.findings].filter((f) => f.severity === 'error');
  if (!bag.payload) throw new BundleFormatError('NOT_A_BUNDLE', `cannot sign: no readable statement (${problems.map((f) => f.message).join('; ')})`);
  const st = checkStatement(bag.payload, bag);
  problems.push(...st.findings);
  if (problems.length > 0 || !st.statement) {
    throw new BundleFormatError('NOT_A_BUNDLE', `cannot sign: the bundle fails integrity checks: ${problems.map((f) => f.message).join('; ')}`);
  }
  if (bag.signatures.some((s) => s.hint === key.keyId)) return bundle;
  const sigs = new Map<string, Uint8Array>();
  for (const s of bag.signatures) sigs.set(s.hint, s.sig!);
  sigs.set(key.keyId, signPayload(bag.payload, key));
  const hashed = new Map<string, Uint8Array>();
  for (const [p, b] of bag.files) if (!p.startsWith(SIGNATURES_DIR)) hashed.set(p, b);
  return assembleArchive(bag.root, hashed, bag.payload, sigs, captureSeconds(st.statement.predicate.capturedAt));
}
