import { findKeyMaterialInValue } from '../../crypto/key-material.ts';
import { InputError } from '../../errors.ts';
import type { Capture, CollectionRecord } from '../../model/collection.ts';
import { compareStrings, refKey, refLabel, refOf } from '../../model/object.ts';
import type { ReducedSecret } from '../../model/snapshot.ts';
import { assertNotEmpty, captureFromInputs, checkCaptureTime, checkOutput, loadSigningKey, readPreviousBundle, resolveCapturedAt, writeBundle, type BundleOutputOptions, type CollectResult } from '../../collect.ts';
import { addOperationalEvidence } from '../operational.ts';
import { readInputs } from '../inputs.ts';
import { captureScope, filterRawObjects, recordScope, type CaptureScopeOptions } from '../scope.ts';
import { readLive, type LiveInput, type LiveSourceOptions } from './source.ts';

export interface LiveCollectOptions extends LiveSourceOptions, BundleOutputOptions {
  /** ConformanceReport files, kept byte for byte. */
  conformanceReports?: string[];
  /** kubectl `-l` selector for Gateway API objects and Services (applied after reading; src/resolve/scope.ts). */
  labelSelector?: string;
  /** Read the cluster and build the capture, but sign and write nothing (`collect --dry-run`). */
  dryRun?: boolean;
}

export interface LiveCollectResult extends Omit<CollectResult, 'bundleId' | 'sha256' | 'path'>, Partial<Pick<CollectResult, 'bundleId' | 'sha256' | 'path'>> {
  /** True when any list or get could not be read (the bundle is marked partial). */
  partial: boolean;
  requests: number;
}

/**
 * Live capture through the same steps as the files path: read (live) -> normalize -> build + sign ->
 * atomic write. The signing key and previous bundle are loaded before the first request, so a bad key
 * fails fast and never after minutes of reading.
 */
export async function collectLive(options: LiveCollectOptions): Promise<LiveCollectResult> {
  const cwd = options.cwd ?? process.cwd();
  const now = options.now ?? (() => new Date());
  const capturedAt = resolveCapturedAt(options.capturedAt, now);
  checkCaptureTime(capturedAt, now, options); // before the first request (issue 8 item 16)
  if (!options.dryRun) await checkOutput(options.out, cwd, options.overwrite === true, options.stdout); // before minutes of reading
  const scope = captureScope(options);
  const signer = options.dryRun ? undefined : await loadSigningKey({ keyPem: options.keyPem, keyFile: options.keyFile, keyPassword: options.keyPassword, cwd });
  const prev = options.previous !== undefined ? await readPreviousBundle(options.previous, cwd) : undefined;
  const previous = prev ? { bundleId: prev.bundleId, digest: prev.digest } : undefined;
  const reports = await readConformanceReports(options.conformanceReports ?? [], cwd);
  const live = await readLive({ ...options, cwd });
  if (scope.selector) live.input.objects = filterRawObjects(live.input.objects, scope);
  live.input.conformanceReports.push(...reports.conformanceReports);
  live.input.sources.push(...reports.sources);
  const liveCapture = captureFromLive(live, {
    capturedAt,
    ...(options.clusterName !== undefined ? { clusterName: options.clusterName } : {}),
    scope: scopeOf(options),
  });
  assertNotEmpty(liveCapture, options.allowEmpty === true); // issue 8 item 8: an unreachable cluster is a failure
  // The API server does not serve audit logs: a mounted audit log file is read like in the files path.
  const capture = await addOperationalEvidence(liveCapture, options.operational ?? {}, { cwd, ...(prev ? { previous: prev } : {}) });
  if (!signer) return { record: capture.record, partial: capture.record.partial, requests: live.requests };
  const written = await writeBundle(capture, {
    out: options.out,
    cwd,
    signers: [signer],
    previous,
    overwrite: options.overwrite,
    onInterrupt: options.onInterrupt,
    stdout: options.stdout,
  });
  return { ...written, record: capture.record, partial: capture.record.partial, requests: live.requests };
}

/** The collection record's scope: the namespace filters a reviewer needs to read the capture. */
export function scopeOf(o: CaptureScopeOptions): CollectionRecord['scope'] {
  return recordScope(o);
}

/**
 * LiveInput -> Capture with the files path's normalize, then the Secrets (already reduced in memory by the
 * same reducer, src/collector/secrets.ts) are placed in the sorted snapshot and counted.
 */
export function captureFromLive(live: LiveInput, opts: { capturedAt: string; clusterName?: string; scope: CollectionRecord['scope'] }): Capture {
  const cluster: CollectionRecord['cluster'] = {};
  if (live.cluster.uid) cluster.uid = live.cluster.uid;
  if (live.cluster.serverVersion) cluster.serverVersion = live.cluster.serverVersion;
  if (live.cluster.context) cluster.context = live.cluster.context;
  const capture = captureFromInputs(live.input, {
    capturedAt: opts.capturedAt,
    clusterName: opts.clusterName,
    mode: 'live',
    cluster,
    scope: opts.scope,
    gaps: live.gaps,
    warnings: live.warnings,
    kindsListed: live.kindsListed,
  });
  return mergeReducedSecrets(capture, live.reducedSecrets);
}

function mergeReducedSecrets(capture: Capture, secrets: ReadonlyArray<{ secret: ReducedSecret; source: string }>): Capture {
  if (secrets.length === 0) return capture;
  const byKey = new Map(capture.snapshot.objects.map((o) => [refKey(refOf(o)), o] as const));
  for (const { secret, source } of secrets) {
    const key = refKey(refOf(secret));
    const keyHit = findKeyMaterialInValue(secret);
    if (keyHit) {
      // Attack 12: the reduced form never carries key material; stop rather than write it.
      throw new InputError('INPUT_INVALID', `"${source}": ${refLabel(refOf(secret))} still holds ${keyHit.form} at ${keyHit.path} after reduction; refusing to write it`, { file: source });
    }
    if (byKey.has(key)) {
      throw new InputError('INPUT_DUPLICATE', `${refLabel(refOf(secret))} was read twice ("${source}"); expected one version of each object`, { file: source });
    }
    byKey.set(key, secret);
  }
  const keys = [...byKey.keys()].sort(compareStrings);
  const objects = keys.map((k) => byKey.get(k)!);
  const counts: Record<string, number> = { ...capture.record.counts };
  counts['Secret'] = (counts['Secret'] ?? 0) + secrets.length;
  const sortedCounts: Record<string, number> = {};
  for (const k of Object.keys(counts).sort(compareStrings)) sortedCounts[k] = counts[k]!;
  return { snapshot: { ...capture.snapshot, objects }, record: { ...capture.record, counts: sortedCounts } };
}

/** `--conformance-report FILE`: read byte for byte; anything that is not a ConformanceReport is refused. */
async function readConformanceReports(paths: string[], cwd: string): Promise<Awaited<ReturnType<typeof readInputs>>> {
  const set = await readInputs(paths, { cwd, readStdin: () => Promise.reject(new InputError('INPUT_UNREADABLE', '--conformance-report: stdin is not supported')) });
  if (set.objects.length > 0) {
    throw new InputError('INPUT_INVALID', `--conformance-report: expected ConformanceReport files, found other objects in "${set.objects[0]!.source}"`, { file: set.objects[0]!.source });
  }
  return set;
}
