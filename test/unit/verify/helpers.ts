/** Helpers to build and tamper with bundles for verifier tests. */
import { readArchive } from '../../../src/bundle/reader.ts';
import { gzipDeterministic, writeTar } from '../../../src/bundle/tar.ts';

export function unpack(bytes: Uint8Array): { root: string; files: Map<string, Uint8Array> } {
  const r = readArchive(bytes);
  if (r.fatal) throw new Error(`unpack: ${r.findings.map((f) => f.message).join('; ')}`);
  return { root: r.root, files: new Map([...r.files].map(([p, b]) => [p, new Uint8Array(b)])) };
}

export function repack(root: string, files: ReadonlyMap<string, Uint8Array>, mtime = 1_793_527_200): Uint8Array {
  return gzipDeterministic(writeTar([...files].map(([p, bytes]) => ({ path: `${root}/${p}`, bytes })), mtime));
}

/** Applies `edit` to the unpacked files and repacks. */
export function tamper(bytes: Uint8Array, edit: (files: Map<string, Uint8Array>, root: string) => void, newRoot?: string): Uint8Array {
  const { root, files } = unpack(bytes);
  edit(files, root);
  return repack(newRoot ?? root, files);
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The bundle with one byte of its first HTTPRoute object file changed and not resealed: integrity must fail. */
export function tamperObjectByte(bytes: Uint8Array): Uint8Array {
  return tamper(bytes, (files) => {
    const p = [...files.keys()].find((k) => k.includes('/httproute/'))!;
    const b = files.get(p)!;
    b[b.length - 2] = b[b.length - 2] === 0x31 ? 0x32 : 0x31;
  });
}
