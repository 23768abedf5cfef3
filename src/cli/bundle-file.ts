/**
 * Reading bundle files for the CLI, with every error naming the file (issue 10: report, diff and inspect
 * printed a raw Node ENOENT). Unreadable files: `cannot read bundle "x": expected a readable file, found ...`;
 * bytes that are not a bundle: `x: not a readable bundle: ...`.
 */
import { BundleFormatError } from '../errors.ts';
import { openBundle, type OpenedBundle } from '../bundle/open.ts';
import type { Caps } from '../bundle/reader.ts';
import { readBundle, type ReadBundle } from '../diff/read.ts';
import { readInputText } from '../io/read.ts';
import { readBundleBytes } from './read-bundle.ts';
import type { IO } from './io.ts';

/** openBundle, with the file name put in front of a BundleFormatError's message. */
export function openBundleNamed(bytes: Uint8Array, name: string, caps?: Partial<Caps>): OpenedBundle {
  try {
    return openBundle(bytes, caps);
  } catch (e) {
    if (e instanceof BundleFormatError) throw new BundleFormatError(e.code, `${name}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Reads and opens a bundle file (any supported format version); integrity problems go to stderr. */
export async function readBundleFile(io: IO, file: string, opts: { quiet?: boolean } = {}): Promise<ReadBundle> {
  return (await openBundleFile(io, file, opts)).bundle;
}

/** readBundleFile, with the bytes read (diff verifies their signatures too). */
export async function openBundleFile(io: IO, file: string, opts: { quiet?: boolean } = {}): Promise<{ bundle: ReadBundle; bytes: Uint8Array }> {
  const bytes = await readBundleBytes(file, io.cwd); // stat first, capped (issue 8 item 13)
  const r = readBundle(bytes, file);
  if (!r.integrityOk && !opts.quiet) {
    const errs = r.findings.filter((f) => f.severity === 'error');
    io.stderr(`gwe: warning: ${file}: ${errs.length} integrity problem(s), the content is not trustworthy: ${errs.slice(0, 3).map((f) => f.message).join('; ')}\n`);
  }
  return { bundle: r, bytes };
}

/** Reads a named text input (trust file, policy, key) with an error naming it. */
export function readNamedText(io: IO, file: string, what: string): Promise<string> {
  return readInputText(file, what, io.cwd);
}
