/** BagIt (RFC 8493) tag files and manifests for bundle format v1 (docs/bundle-format.md §1.1, §1.3). */
import { compareStrings } from '../model/object.ts';
import { sha256Hex } from '../crypto/index.ts';

export const BAGIT_TXT = 'bagit.txt';
export const BAG_INFO_TXT = 'bag-info.txt';
export const MANIFEST = 'manifest-sha256.txt';
export const TAG_MANIFEST = 'tagmanifest-sha256.txt';
export const FORMAT_VERSION = 1;
/** Format v2 (docs/bundle-format.md §7): v1 plus the operational record. Written only when a capture holds one. */
export const FORMAT_VERSION_2 = 2;
/** Every format version this verifier reads. */
export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [FORMAT_VERSION, FORMAT_VERSION_2];

/** RFC 8493 §2.1.1: the bag declaration, byte-exact. */
export const BAGIT_TXT_CONTENT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface BagInfo {
  softwareAgent: string;
  capturedAt: string;
  clusterName?: string;
  clusterUid?: string;
  collectorVersion: string;
  bundleId: string;
  payloadBytes: number;
  payloadFiles: number;
  /** Default 1. */
  formatVersion?: number;
}

/** bag-info.txt bytes, labels in the fixed order of docs/bundle-format.md §1.1. */
export function bagInfoText(info: BagInfo): Uint8Array {
  const lines: [string, string | undefined][] = [
    ['Bag-Software-Agent', info.softwareAgent],
    ['Bagging-Date', info.capturedAt.slice(0, 10)],
    ['Bundle-Format-Version', String(info.formatVersion ?? FORMAT_VERSION)],
    ['Captured-At', info.capturedAt],
    ['Cluster-Name', info.clusterName],
    ['Cluster-UID', info.clusterUid],
    ['Collector-Version', info.collectorVersion],
    ['External-Identifier', info.bundleId],
    ['Payload-Oxum', `${info.payloadBytes}.${info.payloadFiles}`],
  ];
  let out = '';
  for (const [label, value] of lines) {
    if (value === undefined || value === '') continue;
    // RFC 8493 §2.2.2: a value is one line here; we never write continuation lines.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new RangeError(`bag-info.txt ${label}: expected no control characters, found ${JSON.stringify(value)}`);
    out += `${label}: ${value}\n`;
  }
  return enc.encode(out);
}

/** Parsed bag-info.txt: label -> values (in order), plus problems found. */
export function parseBagInfo(bytes: Uint8Array): { fields: Map<string, string[]>; problems: string[] } {
  const fields = new Map<string, string[]>();
  const problems: string[] = [];
  let text: string;
  try {
    text = dec.decode(bytes);
  } catch {
    return { fields, problems: ['expected UTF-8 text, found invalid UTF-8'] };
  }
  if (text.charCodeAt(0) === 0xfeff) problems.push('expected no byte order mark');
  if (text.length > 0 && !text.endsWith('\n')) problems.push('expected a final line feed');
  if (text.includes('\r')) problems.push('expected LF line ends, found CR');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const m = /^([A-Za-z0-9-]+): (.*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: expected "Label: value", found ${JSON.stringify(line.slice(0, 80))}`);
      return;
    }
    const list = fields.get(m[1]!) ?? [];
    list.push(m[2]!);
    fields.set(m[1]!, list);
  });
  return { fields, problems };
}


/** sha256sum-format manifest text over `files` (path -> bytes), sorted bytewise by path. */
export function manifestText(files: ReadonlyMap<string, Uint8Array>, digests?: ReadonlyMap<string, string>): Uint8Array {
  // The default sort compares UTF-16 code units, as compareStrings does, without a callback per comparison.
  const paths = [...files.keys()].sort();
  const lines: string[] = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i]!;
    lines[i] = `${digests?.get(p) ?? sha256Hex(files.get(p)!)}  ${p}\n`;
  }
  return enc.encode(lines.join(''));
}

export interface ManifestEntry {
  digest: string;
  path: string;
}

/**
 * Strict manifest parse: `<64 lowercase hex><2 spaces><path>\n` lines, sorted bytewise, no duplicates, no
 * blank lines, final LF, no CR, no BOM (evidence-formats.md attack 7). Collects every problem.
 */
export function parseManifest(bytes: Uint8Array): { entries: ManifestEntry[]; problems: string[] } {
  const entries: ManifestEntry[] = [];
  const problems: string[] = [];
  let text: string;
  try {
    text = dec.decode(bytes);
  } catch {
    return { entries, problems: ['expected UTF-8 text, found invalid UTF-8'] };
  }
  if (text.length === 0) return { entries, problems };
  if (text.charCodeAt(0) === 0xfeff) problems.push('expected no byte order mark');
  if (!text.endsWith('\n')) problems.push('expected a final line feed');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const seen = new Set<string>();
  let prev: string | undefined;
  lines.forEach((line, i) => {
    const m = /^([0-9a-f]{64}) {2}([^\s\\][^\r\n\\]*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: expected "<64 lowercase hex>  <path>", found ${JSON.stringify(line.slice(0, 100))}`);
      return;
    }
    const path = m[2]!;
    if (seen.has(path)) problems.push(`line ${i + 1}: expected each path once, found ${path} again`);
    else if (prev !== undefined && compareStrings(prev, path) > 0) problems.push(`line ${i + 1}: expected paths sorted bytewise, found ${path} after ${prev}`);
    seen.add(path);
    prev = path;
    entries.push({ digest: m[1]!, path });
  });
  return { entries, problems };
}
