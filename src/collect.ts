/**
 * Library entry for collection: raw objects + sources + gaps -> normalize -> build + sign -> atomic write.
 * Each step is its own function so that the live collector (src/collector/live) can plug a different
 * source into the same pipeline.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InputError, UsageError } from './errors.ts';
import type { Capture, CollectionGap, CollectionRecord, CollectionWarning } from './model/collection.ts';
import { readInputs, type InputSet } from './collector/inputs.ts';
import { normalize } from './collector/normalize.ts';
import { refuseKeyMaterial } from './collector/key-guard.ts';
import { buildBundleStreaming } from './bundle/build.ts';
import { ENVELOPE_FILE } from './bundle/statement.ts';
import { openBundle } from './bundle/open.ts';
import type { SigningKey } from './crypto/index.ts';
import { parseSigningKey } from './io/keys.ts';
import { captureScope, filterRawObjects, recordScope, type CaptureScopeOptions } from './collector/scope.ts';
import { resolveOutputTarget, writeFileAtomic, writeOutput, type StdoutSink } from './io/atomic.ts';
import { preflightBundle } from './bundle/preflight.ts';
import { DEFAULT_CAPS } from './bundle/reader.ts';
import { readInputFile } from './io/read.ts';
import { GATEWAY_GROUP, GATEWAY_X_GROUP, groupOf } from './model/object.ts';
import { VERSION } from './version.ts';
import { parseRfc3339, rfc3339Ms, toUtcSeconds } from './model/time.ts';
import { addOperationalEvidence, type OperationalOptions } from './collector/operational.ts';
import type { KubeObject } from './model/object.ts';

/** What every collection (files or live) needs to sign and write its bundle. */
export interface BundleOutputOptions {
  /** Path of the bundle to write (.tar.gz); `-` writes the bundle bytes to `stdout`. */
  out: string;
  /** Where `out: '-'` goes: raw bytes (never the CLI's escaped text stdout); refused when it is a terminal. */
  stdout?: StdoutSink;
  /** Signing key as PKCS#8 PEM text, or the path of a PEM file. One of the two is required. */
  keyPem?: string;
  keyFile?: string;
  /** Password of an encrypted ("ENCRYPTED PRIVATE KEY") signing key (src/io/keys.ts). */
  keyPassword?: string;
  /** RFC 3339; default: now, truncated to seconds, UTC. */
  capturedAt?: string;
  clusterName?: string;
  /** Path of the previous bundle: its id and digest are chained into the signed statement. */
  previous?: string;
  /** Replace an existing file at `out` (default: refuse). */
  overwrite?: boolean;
  /**
   * Write a bundle even when the capture holds no Gateway API object, or nothing could be read (default:
   * refuse with InputError INPUT_EMPTY, issue 8 item 8).
   */
  allowEmpty?: boolean;
  /**
   * Sign a capture time more than MAX_CLOCK_AHEAD_MS ahead of `now` (default: refuse). The CLI sets it with
   * --force; `onWarning` then hears about it.
   */
  allowFutureCaptureTime?: boolean;
  /** Warnings about the run that are not part of the capture (e.g. a capture time ahead of the clock). */
  onWarning?: (message: string) => void;
  now?: () => Date;
  /** Registers a cleanup for SIGINT/SIGTERM; returns an unregister function. */
  onInterrupt?: (cleanup: () => void) => () => void;
  /** The operational record (audit logs, DNS, attachments): makes the bundle format v2 (docs/bundle-format.md §7). */
  operational?: OperationalOptions;
}

export interface CollectOptions extends BundleOutputOptions, CaptureScopeOptions {
  /** Files, directories (walked recursively) and `-` for stdin. */
  from: string[];
  /** Read and normalise the inputs, but sign and write nothing (`collect --dry-run`). */
  dryRun?: boolean;
  cwd?: string;
  readStdin?: (maxBytes?: number) => Promise<Uint8Array>;
  /** Cap on one input file or stdin, checked before reading (default DEFAULT_MAX_INPUT_BYTES, 256 MiB). */
  maxInputBytes?: number;
}

/** What `collect --dry-run` returns: the capture that would be signed, and nothing written. */
export interface PlannedCollect {
  record: CollectionRecord;
}

export interface CollectResult {
  bundleId: string;
  /** SHA-256 (hex) of the bundle file bytes. */
  sha256: string;
  /** Absolute path written. */
  path: string;
  record: CollectionRecord;
  /** Stale temporaries of an earlier killed write to the same bundle that were removed (issue 8 item 20). */
  removedStale?: string[];
  /** The bundle's DSSE envelope (signatures/statement.dsse.json), e.g. for a Sigstore bundle (src/bundle/sigstore.ts). */
  envelope?: Uint8Array;
}

/** Reads the inputs, normalises them, builds and signs the bundle and writes it atomically. */
export async function collect(options: CollectOptions & { dryRun: true }): Promise<PlannedCollect>;
export async function collect(options: CollectOptions): Promise<CollectResult>;
export async function collect(options: CollectOptions): Promise<CollectResult | PlannedCollect> {
  const cwd = options.cwd ?? process.cwd();
  if (options.from.length === 0) throw new UsageError('collect: expected at least one --from input, found none');
  const now = options.now ?? (() => new Date());
  const capturedAt = resolveCapturedAt(options.capturedAt, now);
  checkCaptureTime(capturedAt, now, options);
  if (!options.dryRun) await checkOutput(options.out, cwd, options.overwrite === true, options.stdout); // before reading anything
  const scope = captureScope(options);
  const signer = options.dryRun ? undefined : await loadSigningKey({ keyPem: options.keyPem, keyFile: options.keyFile, keyPassword: options.keyPassword, cwd });
  const prev = options.previous !== undefined ? await readPreviousBundle(options.previous, cwd) : undefined;
  const input = await readInputs(options.from, {
    cwd,
    readStdin: options.readStdin ?? (() => Promise.reject(new UsageError('collect: stdin (-) is not available here'))),
    ...(options.maxInputBytes !== undefined ? { maxInputBytes: options.maxInputBytes } : {}),
  });
  // -n / --exclude-namespace / -l: the same rules as live capture (src/resolve/scope.ts), recorded in the bundle.
  input.objects = filterRawObjects(input.objects, scope);
  const base = captureFromInputs(input, { capturedAt, clusterName: options.clusterName, mode: 'files', scope: recordScope(options) });
  // The raw objects are not needed past normalisation: let them go before the bundle is built (peak memory, issue 13).
  input.objects = [];
  assertNotEmpty(base, options.allowEmpty === true); // issue 8 item 8
  const capture = await addOperationalEvidence(base, options.operational ?? {}, { cwd, ...(prev ? { previous: prev } : {}) });
  if (!signer) return { record: capture.record };
  const written = await writeBundle(capture, {
    out: options.out,
    cwd,
    signers: [signer],
    previous: prev ? { bundleId: prev.bundleId, digest: prev.digest } : undefined,
    overwrite: options.overwrite,
    onInterrupt: options.onInterrupt,
    stdout: options.stdout,
  });
  return { ...written, record: capture.record };
}

/**
 * Fails fast, before any input is read (a live capture can take minutes), when `out` cannot be written: an
 * existing file without `overwrite`, a directory, FIFO or device, a read-only file, a dangling link.
 * @throws UsageError (existing file) or OutputError
 */
export async function checkOutput(out: string, cwd: string, overwrite: boolean, stdout?: StdoutSink): Promise<void> {
  if (out === '-') {
    // `--out -` (issue 10): the bundle goes to standard output, checked here so a terminal is refused up front.
    if (!stdout) throw new UsageError('collect: --out -: writing the bundle to standard output is not available here');
    if (stdout.isTTY) throw new UsageError('collect: --out -: refusing to write a binary bundle to a terminal; redirect standard output (> bundle.tar.gz) or give a file name');
    return;
  }
  const path = isAbsolute(out) ? out : join(cwd, out);
  const { existing } = await resolveOutputTarget(path);
  if (existing && !overwrite) throw new UsageError(`refusing to overwrite existing file ${path} (use --force to replace it)`);
}

/** Gateway API objects in a capture (both API groups; CRDs, Services, Secrets... do not count). */
function gatewayApiObjects(capture: Capture): number {
  let n = 0;
  for (const o of capture.snapshot.objects) {
    const g = groupOf(o.apiVersion);
    if (g === GATEWAY_GROUP || g === GATEWAY_X_GROUP) n++;
  }
  return n;
}

/**
 * Issue 8 item 8: a capture in which nothing could be read, or that holds no Gateway API object at all
 * (an unreachable cluster, an empty or non-Kubernetes input file, a typo'd path) is not evidence of anything;
 * refuse it unless the caller asks for an empty capture (`--allow-empty`).
 * @throws InputError INPUT_EMPTY
 */
export function assertNotEmpty(capture: Capture, allowEmpty: boolean): void {
  if (allowEmpty) return;
  const r = capture.record;
  const readSomething = r.mode === 'files' || r.sources.some((s) => s.kind !== undefined);
  if (!readSomething && r.gaps.length > 0) {
    const first = r.gaps[0]!;
    throw new InputError(
      'INPUT_EMPTY',
      `collect: expected to read the cluster, found every read failed (${r.gaps.length} gap(s); first: ${first.kind}${first.status !== undefined ? ` HTTP ${first.status}` : ''}: ${first.message}); no bundle written (pass --allow-empty to record an empty, partial capture)`,
    );
  }
  if (gatewayApiObjects(capture) > 0) return;
  const kept = Object.entries(r.counts).map(([k, n]) => `${n} ${k}`);
  const skipped = Object.values(r.skipped).reduce((a, b) => a + b, 0);
  throw new InputError(
    'INPUT_EMPTY',
    `collect: expected at least one Gateway API object (GatewayClass, Gateway, HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute, ReferenceGrant, BackendTLSPolicy, ListenerSet), found none in ${r.sources.length} source(s)${kept.length > 0 ? ` (kept: ${kept.join(', ')})` : ''}${skipped > 0 ? ` (skipped: ${skipped} object(s) of other kinds)` : ''}${r.gaps.length > 0 ? ` (${r.gaps.length} gap(s))` : ''}; no bundle written (pass --allow-empty to record a capture without Gateway API objects)`,
  );
}

/** Step 2: raw objects + sources (+ gaps from the source) -> Capture. */
export function captureFromInputs(
  input: InputSet,
  opts: {
    capturedAt: string;
    clusterName?: string | undefined;
    mode: 'files' | 'live';
    cluster?: CollectionRecord['cluster'];
    scope?: CollectionRecord['scope'];
    gaps?: CollectionGap[];
    warnings?: CollectionWarning[];
    kindsListed?: readonly string[];
  },
): Capture {
  return normalize(input, {
    capturedAt: opts.capturedAt,
    mode: opts.mode,
    toolVersion: VERSION,
    ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
    ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}),
    ...(opts.scope !== undefined ? { scope: opts.scope } : {}),
    ...(opts.gaps !== undefined ? { extraGaps: opts.gaps } : {}),
    ...(opts.warnings !== undefined ? { extraWarnings: opts.warnings } : {}),
    ...(opts.kindsListed !== undefined ? { kindsListed: opts.kindsListed } : {}),
  });
}

/** Step 3: Capture -> signed bundle bytes -> atomic write (temp file + rename; never a partial bundle). */
export async function writeBundle(
  capture: Capture,
  opts: {
    out: string;
    cwd: string;
    signers: SigningKey[];
    previous?: { bundleId: string; digest: string } | undefined;
    overwrite?: boolean | undefined;
    onInterrupt?: ((cleanup: () => void) => () => void) | undefined;
    /** Where `out: '-'` writes the bundle bytes. */
    stdout?: StdoutSink | undefined;
  },
): Promise<{ bundleId: string; sha256: string; path: string; removedStale: string[]; envelope: Uint8Array }> {
  // Every file that goes into the bundle (issue 8 item 3): objects were checked as they were normalised.
  refuseKeyMaterial(capture, { objects: false });
  const built = await buildBundleStreaming(capture, { signers: opts.signers, ...(opts.previous ? { previous: opts.previous } : {}) });
  // Issue 8 item 6: never write a bundle that default `gwe verify` rejects (caps, ratio, __proto__ names).
  const problems = preflightBundle(built);
  if (problems.length > 0) {
    throw new InputError(
      'INPUT_INVALID',
      `collect: refusing to write a bundle that gwe verify would reject with its default caps: ${problems.slice(0, 5).map((p) => p.message).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
  }
  const envelope = built.entries.find((e) => e.path.endsWith(`/${ENVELOPE_FILE}`))!.bytes;
  if (opts.out === '-') {
    // Bytes straight to the sink (IO.writeStdout), never through the text stdout that escapes controls.
    await writeOutput('-', built.bytes, { ...(opts.stdout ? { stdout: opts.stdout } : {}), binary: true, what: 'collect --out -' });
    return { bundleId: built.bundleId, sha256: built.sha256, path: '-', removedStale: [], envelope };
  }
  const path = isAbsolute(opts.out) ? opts.out : join(opts.cwd, opts.out);
  const written = await writeFileAtomic(path, built.bytes, {
    mode: 0o644,
    overwrite: opts.overwrite === true,
    ...(opts.onInterrupt ? { onInterrupt: opts.onInterrupt } : {}),
  });
  return { bundleId: built.bundleId, sha256: built.sha256, path, removedStale: written.removedStale, envelope };
}

/**
 * Strict RFC 3339 (section 5.6 date-time, model/time.ts: the one parser used everywhere) -> UTC, seconds
 * precision ("2026-11-01T10:00:00Z"). Default: now, truncated to seconds. Fractional seconds are truncated;
 * calendar-invalid values are rejected.
 */
export function resolveCapturedAt(value: string | undefined, now: () => Date): string {
  if (value === undefined) return toUtcSeconds(now().getTime());
  const r = parseRfc3339(value);
  if (!r.ok) throw new UsageError(`--captured-at: expected an RFC 3339 date-time such as 2026-11-01T10:00:00Z, found "${value}" (${r.why})`);
  return toUtcSeconds(r.ms);
}

/** How far a capture time may be ahead of this machine's clock (clock skew between hosts) before collect refuses it. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * Issue 8 item 16: a capture time ahead of the clock (read here, at the edge: `now`) is refused, or with
 * `allowFutureCaptureTime` (--force) signed with a warning. The capture time is self-asserted: a future one
 * proves nothing and breaks every later link of a chain, which must claim an even later time.
 * @throws UsageError when the capture time is ahead of the clock by more than MAX_CLOCK_AHEAD_MS and not allowed
 */
export function checkCaptureTime(capturedAt: string, now: () => Date, opts: { allowFutureCaptureTime?: boolean | undefined; onWarning?: ((m: string) => void) | undefined } = {}): void {
  const at = rfc3339Ms(capturedAt);
  const clock = now().getTime();
  if (at === undefined || at - clock <= MAX_CLOCK_AHEAD_MS) return;
  const why = `--captured-at ${capturedAt} is ${aheadBy(at - clock)} ahead of this machine's clock (${toUtcSeconds(clock)}); a self-asserted capture time in the future proves nothing, and every later bundle chained to this one would have to claim a later time still`;
  if (opts.allowFutureCaptureTime !== true) throw new UsageError(`collect: ${why}; check the clock or the flag, or give --force to sign it anyway`);
  opts.onWarning?.(`${why} (signed anyway: --force)`);
}

function aheadBy(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 120) return `${min} minute(s)`;
  const h = Math.round(ms / 3_600_000);
  return h < 72 ? `${h} hour(s)` : `${Math.round(ms / 86_400_000)} day(s)`;
}

/** Step 0: the signing key, from PEM text or a file. */
export async function loadSigningKey(opts: { keyPem?: string | undefined; keyFile?: string | undefined; keyPassword?: string | undefined; cwd: string }): Promise<SigningKey> {
  if (opts.keyPem !== undefined && opts.keyFile !== undefined) throw new UsageError('collect: give the signing key either as PEM text or as a file, not both');
  if (opts.keyPem !== undefined) return parseSigningKey(opts.keyPem, 'signing key', opts.keyPassword);
  if (opts.keyFile === undefined) throw new UsageError('collect: expected a signing key (--key signer.pem), found none');
  const path = isAbsolute(opts.keyFile) ? opts.keyFile : join(opts.cwd, opts.keyFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError('INPUT_UNREADABLE', `cannot read signing key "${opts.keyFile}": ${(e as Error).message}`, { file: opts.keyFile, cause: e });
  }
  return parseSigningKey(text, opts.keyFile, opts.keyPassword);
}

/**
 * The previous bundle's id and digest, chained into the new statement (evidence-formats.md attack 10).
 * The digest is `sha256:<tag manifest digest>`, the previous statement's subject: it names the hashed
 * content and stays stable when a reviewer adds a countersignature (which changes the .tar.gz bytes).
 * The previous bundle's integrity is checked; its signatures are not (no trust root here).
 */
export async function readPrevious(file: string, cwd: string): Promise<{ bundleId: string; digest: string }> {
  const p = await readPreviousBundle(file, cwd);
  return { bundleId: p.bundleId, digest: p.digest };
}

/** readPrevious plus what the audit cross-checks need: the previous capture time and objects (issue 9). */
export async function readPreviousBundle(file: string, cwd: string): Promise<{ bundleId: string; digest: string; capturedAt: string; objects: KubeObject[] }> {
  // Stat first, capped at the verifier's compressed-bytes cap (issue 8 item 13); errors name the file.
  const bytes = await readInputFile(file, 'previous bundle', cwd, { maxBytes: DEFAULT_CAPS.maxCompressedBytes });
  const opened = openBundle(bytes);
  const subject = opened.statement.subject[0]?.digest.sha256;
  if (!opened.integrityOk || subject === undefined) {
    const why = opened.findings.filter((f) => f.severity === 'error').map((f) => f.message).slice(0, 3).join('; ');
    throw new InputError('INPUT_INVALID', `previous bundle "${file}": expected an intact bundle, found integrity problems (${why || 'no statement subject'})`, { file });
  }
  return { bundleId: opened.bundleId, digest: `sha256:${subject}`, capturedAt: opened.capture.record.capturedAt, objects: opened.capture.snapshot.objects };
}
