/**
 * Memo per objects list, for the work a chain would otherwise do twice per capture: `verify --chain` compares each
 * capture with the one before and the one after it (issue 13). Pure (no I/O); values are only read after they are
 * made. A list is memoised only when every object in it came from a bundle read (bundle/layout.ts parsedBytesOf:
 * such objects are never mutated after the read), and a hit must hold the same objects in the same order, so a
 * list built or edited in memory is always recomputed.
 */
import type { KubeObject } from '../model/object.ts';
import { parsedBytesOf } from '../bundle/layout.ts';

export function listMemo<T>(make: (objs: readonly KubeObject[]) => T): (objs: readonly KubeObject[]) => T {
  const memo = new WeakMap<readonly KubeObject[], { items: readonly KubeObject[]; value: T }>();
  return (objs) => {
    const hit = memo.get(objs);
    if (hit && sameItems(hit.items, objs)) return hit.value;
    const value = make(objs);
    if (objs.length > 0 && objs.every((o) => parsedBytesOf(o) !== undefined)) memo.set(objs, { items: [...objs], value });
    return value;
  };
}

function sameItems(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
