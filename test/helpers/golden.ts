/**
 * Golden files (envoy-gateway style *.out.yaml): compare a rendered value with the checked-in file, or
 * rewrite it when UPDATE_GOLDEN=1. A missing golden is written locally but fails when CI=true, so CI never
 * passes on a golden nobody reviewed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface GoldenResult {
  /** 'match' | 'written' (UPDATE_GOLDEN=1 or a new golden outside CI) */
  status: 'match' | 'written';
}

/** Deterministic YAML for goldens: no line folding, no anchors, keys in insertion order. */
export function goldenYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false });
}

/**
 * Compares `actual` with the file at `path`.
 * @throws Error with a short diff hint when they differ, or when the file is missing and CI=true.
 */
export function compareOrUpdate(path: string, actual: string, env: NodeJS.ProcessEnv = process.env): GoldenResult {
  const update = env.UPDATE_GOLDEN === '1' || env.UPDATE_GOLDEN === 'true';
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return { status: 'written' };
  }
  if (!existsSync(path)) {
    if (env.CI === 'true' || env.CI === '1') {
      throw new Error(`golden file ${path} is missing; run UPDATE_GOLDEN=1 npx vitest run test/golden and review it`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return { status: 'written' };
  }
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) {
    const e = expected.split('\n');
    const a = actual.split('\n');
    let i = 0;
    while (i < e.length && i < a.length && e[i] === a[i]) i++;
    throw new Error(
      `golden file ${path} differs at line ${i + 1}: expected ${JSON.stringify(e[i] ?? '<end of file>')}, ` +
        `got ${JSON.stringify(a[i] ?? '<end of file>')} (UPDATE_GOLDEN=1 to accept)`,
    );
  }
  return { status: 'match' };
}
