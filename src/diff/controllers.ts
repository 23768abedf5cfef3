/**
 * Controller versions and ConformanceReports, old vs new (issue 10): a GatewayClass handed to another controller,
 * a controller or data-plane workload running other images (versions), and ConformanceReports of a new
 * implementation or version, with changed profiles or results. Pure.
 */
import type { Capture } from '../model/collection.ts';
import { identifyController } from '../model/controllers.ts';
import { compareStrings, groupOf, type KubeObject } from '../model/object.ts';
import { conformanceSummary } from '../report/model.ts';
import type { ConformanceChange, ConformanceFacts, ControllersDiff, ControllerWorkloadChange, GatewayClassChange } from './types.ts';

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

function classes(objects: readonly KubeObject[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const o of objects) {
    if (o.kind !== 'GatewayClass' || !/^gateway\.networking\.(x-)?k8s\.io$/.test(groupOf(o.apiVersion))) continue;
    m.set(o.metadata.name, typeof o.spec?.controllerName === 'string' ? o.spec.controllerName : '');
  }
  return m;
}

/** `repo/image:tag` -> `tag`; `repo/image@sha256:...` -> the digest; no tag -> `latest` (the registry default). */
export function imageVersion(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

interface Workload {
  workload: string;
  implementation: string;
  images: string[];
}

function workloads(objects: readonly KubeObject[]): Map<string, Workload> {
  const m = new Map<string, Workload>();
  for (const o of objects) {
    if (!WORKLOAD_KINDS.has(o.kind)) continue;
    const labels = { ...(o.spec?.template?.metadata?.labels ?? {}), ...(o.metadata.labels ?? {}) } as Record<string, string>;
    const containers: unknown[] = Array.isArray(o.spec?.template?.spec?.containers) ? o.spec.template.spec.containers : [];
    const images = containers.map((c) => (c as { image?: unknown })?.image).filter((x): x is string => typeof x === 'string');
    const impl = identifyController(labels, images);
    if (!impl) continue;
    const workload = `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    m.set(workload, { workload, implementation: impl, images: [...images].sort(compareStrings) });
  }
  return m;
}

function facts(c: Capture): Map<string, ConformanceFacts> {
  const m = new Map<string, ConformanceFacts>();
  for (const file of c.snapshot.conformanceReports) {
    const s = conformanceSummary(file);
    const f: ConformanceFacts = { file: s.file, profiles: s.profiles.map((p) => ({ name: p.name, ...(p.core !== undefined ? { core: p.core } : {}), ...(p.extended !== undefined ? { extended: p.extended } : {}), passed: p.passed, failed: p.failed, skipped: p.skipped })) };
    for (const k of ['implementation', 'version', 'gatewayAPIVersion', 'channel', 'mode', 'error'] as const) if (s[k] !== undefined) f[k] = s[k];
    // One report per implementation and mode is the norm; the file name tells two of one implementation apart.
    let key = f.implementation ? `${f.implementation}${f.mode ? ` (${f.mode})` : ''}` : f.file;
    if (m.has(key)) key = `${key} [${f.file}]`;
    m.set(key, f);
  }
  return m;
}

function conformanceLines(a: ConformanceFacts, b: ConformanceFacts): string[] {
  const out: string[] = [];
  for (const k of ['implementation', 'version', 'gatewayAPIVersion', 'channel', 'mode'] as const) {
    if (a[k] !== b[k]) out.push(`${k} ${a[k] ?? '(none)'} -> ${b[k] ?? '(none)'}`);
  }
  if (a.error !== b.error) out.push(`report ${a.error ? 'unreadable' : 'readable'} -> ${b.error ? `unreadable (${b.error})` : 'readable'}`);
  const pa = new Map(a.profiles.map((p) => [p.name, p]));
  const pb = new Map(b.profiles.map((p) => [p.name, p]));
  for (const name of [...new Set([...pa.keys(), ...pb.keys()])].sort(compareStrings)) {
    const x = pa.get(name);
    const y = pb.get(name);
    if (!x) {
      out.push(`profile ${name} added (core ${y!.core ?? '-'}, extended ${y!.extended ?? '-'}, passed ${y!.passed}, failed ${y!.failed})`);
      continue;
    }
    if (!y) {
      out.push(`profile ${name} removed (was core ${x.core ?? '-'}, extended ${x.extended ?? '-'})`);
      continue;
    }
    if (x.core !== y.core) out.push(`profile ${name} core ${x.core ?? '-'} -> ${y.core ?? '-'}`);
    if (x.extended !== y.extended) out.push(`profile ${name} extended ${x.extended ?? '-'} -> ${y.extended ?? '-'}`);
    if (x.passed !== y.passed || x.failed !== y.failed || x.skipped !== y.skipped) {
      out.push(`profile ${name} tests passed ${x.passed} -> ${y.passed}, failed ${x.failed} -> ${y.failed}, skipped ${x.skipped} -> ${y.skipped}`);
    }
  }
  return out;
}

export function diffControllers(oldC: Capture, newC: Capture): ControllersDiff {
  const gatewayClasses: GatewayClassChange[] = [];
  const oc = classes(oldC.snapshot.objects);
  const nc = classes(newC.snapshot.objects);
  for (const name of [...new Set([...oc.keys(), ...nc.keys()])].sort(compareStrings)) {
    const a = oc.get(name);
    const b = nc.get(name);
    if (a === b) continue;
    const c: GatewayClassChange = { name, op: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed' };
    if (a !== undefined) c.oldControllerName = a;
    if (b !== undefined) c.newControllerName = b;
    gatewayClasses.push(c);
  }

  const ws: ControllerWorkloadChange[] = [];
  const ow = workloads(oldC.snapshot.objects);
  const nw = workloads(newC.snapshot.objects);
  for (const w of [...new Set([...ow.keys(), ...nw.keys()])].sort(compareStrings)) {
    const a = ow.get(w);
    const b = nw.get(w);
    if (a && b && a.images.join('\n') === b.images.join('\n') && a.implementation === b.implementation) continue;
    const oldImages = a?.images ?? [];
    const newImages = b?.images ?? [];
    ws.push({
      workload: w,
      implementation: (b ?? a)!.implementation,
      op: !a ? 'added' : !b ? 'removed' : 'changed',
      oldImages,
      newImages,
      oldVersions: [...new Set(oldImages.map(imageVersion))],
      newVersions: [...new Set(newImages.map(imageVersion))],
    });
  }

  const conformance: ConformanceChange[] = [];
  const of = facts(oldC);
  const nf = facts(newC);
  for (const key of [...new Set([...of.keys(), ...nf.keys()])].sort(compareStrings)) {
    const a = of.get(key);
    const b = nf.get(key);
    if (a && b) {
      const changes = conformanceLines(a, b);
      if (changes.length > 0) conformance.push({ key, op: 'changed', old: a, new: b, changes });
    } else if (b) {
      conformance.push({ key, op: 'added', new: b, changes: [`new report: ${b.implementation ?? b.file} ${b.version ?? ''}`.trim()] });
    } else if (a) {
      conformance.push({ key, op: 'removed', old: a, changes: [`report no longer captured: ${a.implementation ?? a.file} ${a.version ?? ''}`.trim()] });
    }
  }
  return { gatewayClasses, workloads: ws, conformance };
}
