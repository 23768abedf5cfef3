/** Reading a bundle file for a command: stat first, capped at the compressed-bytes cap before reading (issue 8 item 13). */
import { DEFAULT_CAPS, type Caps } from '../bundle/reader.ts';
import { readInputFile } from '../io/read.ts';

/**
 * Reads the bundle `file` (relative to `cwd`), refusing more than `caps.maxCompressedBytes` (default 128 MiB)
 * without reading it: the verifier would reject it anyway, and a 1 GiB file or /dev/zero must not fill memory.
 * @throws InputTooLargeError (INPUT_TOO_LARGE) over the cap; InputError for a missing or non-regular file
 */
export function readBundleBytes(file: string, cwd: string, caps: Partial<Caps> = {}): Promise<Uint8Array> {
  return readInputFile(file, 'bundle', cwd, { maxBytes: caps.maxCompressedBytes ?? DEFAULT_CAPS.maxCompressedBytes, capFlag: '--max-compressed-bytes' });
}
