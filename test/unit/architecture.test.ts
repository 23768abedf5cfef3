import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// House style §2: the pure core (model, bundle, crypto, resolve, verify, report, policy, diff, chain, inspect)
// takes data and returns data: no file system, network, child processes, environment or clock. Only the
// I/O edges (collector, cli, io, collect.ts) may touch the outside world. This test enforces it.
const ROOT = new URL('../../src/', import.meta.url).pathname;
const CORE = ['model', 'bundle', 'crypto', 'resolve', 'verify', 'report', 'policy', 'diff', 'chain', 'inspect', 'audit', 'dns', 'approval'];
const FORBIDDEN: Array<[RegExp, string]> = [
  [/from ['"]node:(fs|fs\/promises|child_process|net|http|https|tls|dns|os|worker_threads|readline)['"]/, 'I/O module import'],
  [/\bprocess\.(env|argv|cwd|stdout|stderr|stdin|exit)\b/, 'process access'],
  [/\bDate\.now\(/, 'clock read (Date.now)'],
  [/new Date\(\s*\)/, 'clock read (new Date())'],
  [/\bMath\.random\(/, 'randomness'],
  [/from ['"]\.\.\/(cli|collector|io)\//, 'import from an I/O edge'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture: the pure core does no I/O and reads no clock', () => {
  for (const folder of CORE) {
    it(`src/${folder}`, () => {
      const problems: string[] = [];
      for (const f of files(join(ROOT, folder))) {
        // Strip comments so that prose mentioning process.env or new Date() does not count.
        const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
        for (const [re, what] of FORBIDDEN) if (re.test(code)) problems.push(`${relative(ROOT, f)}: ${what}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
