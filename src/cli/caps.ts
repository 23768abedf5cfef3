import type { Caps } from '../bundle/reader.ts';
import { UsageError } from '../errors.ts';

/** The archive caps a verifying command was given (`--max-*`), validated as positive integers. */
export interface CapsFlags {
  maxBytes?: string;
  maxCompressedBytes?: string;
  maxEntries?: string;
  maxFileBytes?: string;
  maxRatio?: string;
}

export function capsFromFlags(flags: CapsFlags): Partial<Caps> {
  const caps: Partial<Caps> = {};
  const num = (name: string, v: string | undefined, set: (n: number) => void): void => {
    if (v === undefined) return;
    if (!/^[1-9][0-9]*$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`verify: expected ${name} as a positive integer, found ${JSON.stringify(v)}`);
    set(Number(v));
  };
  num('--max-bytes', flags.maxBytes, (n) => (caps.maxUncompressedBytes = n));
  num('--max-compressed-bytes', flags.maxCompressedBytes, (n) => (caps.maxCompressedBytes = n));
  num('--max-entries', flags.maxEntries, (n) => (caps.maxEntries = n));
  num('--max-file-bytes', flags.maxFileBytes, (n) => (caps.maxFileBytes = n));
  num('--max-ratio', flags.maxRatio, (n) => (caps.maxRatio = n));
  return caps;
}
