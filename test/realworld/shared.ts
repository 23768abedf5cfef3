/**
 * Shared helpers for the real-world suites: inputs nobody here wrote (../shared/real-world, upstream
 * kubernetes-sigs/gateway-api material). The files are read in place, never copied into the repository.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { collect, type CollectResult } from '../../src/collect.ts';
import { trustFromPublicKey } from '../../src/verify/trust.ts';
import { verifyBundle } from '../../src/verify/verify.ts';
import type { VerificationReport } from '../../src/verify/report-types.ts';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;
export const REAL_WORLD = join(REPO_ROOT, '..', 'shared', 'real-world');
export const HAVE_REAL_WORLD = existsSync(join(REAL_WORLD, 'crds')) && existsSync(join(REAL_WORLD, 'conformance-reports')) && existsSync(join(REAL_WORLD, 'examples'));
/** Printed by every suite when the folder is absent, so a skipped run is never mistaken for a passing one. */
export const SKIP_MESSAGE = `real-world inputs not found at ${REAL_WORLD} (expected crds/, conformance-reports/, examples/): real-world suites skipped`;

export const KEY_FILE = join(REPO_ROOT, 'keys', 'collector.test-only.key.pem');
export const PUB_FILE = join(REPO_ROOT, 'keys', 'collector.pub.pem');
export const CAPTURED_AT = '2026-11-01T10:00:00Z';

/** Every file under `dir`, recursively, sorted, as absolute paths. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p));
    else out.push(p);
  }
  return out;
}

/** `../shared/real-world/<rest>` relative name, for messages and tables. */
export function rel(p: string): string {
  return relative(REAL_WORLD, p);
}

export function readBytes(p: string): Uint8Array {
  return new Uint8Array(readFileSync(p));
}

/**
 * The example units: every folder under examples/ that holds manifests directly. Its own files form the unit
 * (sub-folders are units of their own), so the files are listed explicitly rather than walked recursively.
 */
export function exampleUnits(): Array<{ name: string; dir: string; files: string[] }> {
  const units: Array<{ name: string; dir: string; files: string[] }> = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir).sort();
    const files = entries.filter((n) => /\.(ya?ml|json)$/i.test(n) && statSync(join(dir, n)).isFile()).map((n) => join(dir, n));
    if (files.length > 0) units.push({ name: rel(dir), dir, files });
    for (const n of entries) if (statSync(join(dir, n)).isDirectory()) visit(join(dir, n));
  };
  if (HAVE_REAL_WORLD) visit(join(REAL_WORLD, 'examples'));
  return units;
}

let bundleDir: string | undefined;
let bundleCount = 0;

/**
 * The real-world suites' capture builder: collects `from` (files, as `gwe collect --from` reads them) into a fresh
 * bundle signed with the test-only sample key at CAPTURED_AT, and verifies it against the sample public key.
 */
export async function collectAndVerifyBundle(from: string[], opts: { cwd?: string; allowEmpty?: boolean } = {}): Promise<{ collected: CollectResult; report: VerificationReport }> {
  bundleDir ??= mkdtempSync(join(tmpdir(), 'gwe-realworld-'));
  const out = join(bundleDir, `b${bundleCount++}.tar.gz`);
  const collected = await collect({ from, out, keyFile: KEY_FILE, capturedAt: CAPTURED_AT, ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}), ...(opts.allowEmpty ? { allowEmpty: true } : {}) });
  const report = verifyBundle(readBytes(collected.path), { trust: trustFromPublicKey(readFileSync(PUB_FILE, 'utf8'), 'collector.pub.pem') });
  return { collected, report };
}
