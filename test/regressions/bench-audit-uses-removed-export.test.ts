/**
 * Regression: bench/audit.mjs called `new lib.AuditAccumulator(...)` after the library had replaced that class
 * with `createAuditAccumulator`, so `npm run bench` failed ("lib.AuditAccumulator is not a constructor") while
 * every test passed: no test ran the benches. This test reads each bench script, finds every name it takes
 * from the built library (`const { a, b } = await import(<dist module>)` and `lib.name` on dist/index.js), and
 * checks the matching src/ module still exports it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BENCH = join(ROOT, 'bench');

/** dist-relative module path ('report/svg-map.js') -> the names the script takes from it. */
function namesUsed(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (mod: string, name: string): void => {
    if (!out.has(mod)) out.set(mod, new Set());
    out.get(mod)!.add(name);
  };
  // const { a, b: c } = await import(join(here, '..', 'dist', 'x', 'y.js'))  |  import(new URL('x/y.js', dist).href)
  const destructured = /const \{([^}]+)\} = await import\(\s*(?:join\(here, '\.\.', 'dist', ((?:'[^']+'(?:, )?)+)\)|new URL\('([^']+)', dist\)\.href)\s*\)/g;
  for (const m of text.matchAll(destructured)) {
    const mod = m[2] !== undefined ? [...m[2].matchAll(/'([^']+)'/g)].map((x) => x[1]).join('/') : m[3]!;
    for (const part of m[1]!.split(',')) {
      const name = part.split(':')[0]!.trim();
      if (name !== '') add(mod, name);
    }
  }
  // const lib = await import(join(here, '..', 'dist', 'index.js')); ... lib.name
  if (/const lib = await import\(join\(here, '\.\.', 'dist', 'index\.js'\)\)/.test(text)) {
    for (const m of text.matchAll(/\blib\.([A-Za-z_$][\w$]*)/g)) add('index.js', m[1]!);
  }
  return out;
}

const scripts = readdirSync(BENCH).filter((f) => f.endsWith('.mjs')).sort();

describe('bench scripts use only what the library exports', () => {
  it('finds library imports in the bench scripts (the scan itself works)', () => {
    const all = scripts.flatMap((f) => [...namesUsed(readFileSync(join(BENCH, f), 'utf8')).values()].flatMap((s) => [...s]));
    expect(all).toContain('createAuditAccumulator');
    expect(all).toContain('collect');
    expect(all).toContain('renderExposureMap');
  });

  for (const file of scripts) {
    it(`bench/${file}`, async () => {
      for (const [mod, names] of namesUsed(readFileSync(join(BENCH, file), 'utf8'))) {
        const src = pathToFileURL(join(ROOT, 'src', mod.replace(/\.js$/, '.ts'))).href;
        const exported = (await import(src)) as Record<string, unknown>;
        for (const name of names) expect(exported[name], `bench/${file} uses ${name} from dist/${mod}`).toBeDefined();
      }
    });
  }
});
