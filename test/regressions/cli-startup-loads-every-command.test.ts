/**
 * Regression (issue 13 item 5): every gwe process loaded every command's module graph (resolve, report,
 * collector, verify, bundle...) before parsing its arguments, ~0.26 s of start-up (4x `node -e 0`) even for
 * `gwe --version`. Commands are now imported on demand (src/cli/commands/index.ts). This runs the built CLI
 * (dist/, built by `npm test`) with a module hook that lists every module it loads. Speed itself is measured
 * in bench/startup.mjs, not here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'gwe-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A resolve hook (node:module register) that reports every resolved URL on stderr, one per line.
const hooks = join(dir, 'hooks.mjs');
writeFileSync(hooks, "export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`LOADED ${r.url}\\n`); return r; }\n");
const register = join(dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

function loaded(args: string[]): { code: number | null; modules: string[]; out: string } {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, join(ROOT, 'bin/gwe.js'), ...args], { encoding: 'utf8', cwd: dir });
  const modules = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
  return { code: r.status, modules, out: r.stdout };
}

const dist = (m: string): string | undefined => /\/dist\/(.+)$/.exec(m)?.[1];
const HEAVY = /^(resolve|report|collector|verify|bundle|policy|diff|chain|inspect|audit|dns)\//;

describe('gwe start-up loads only what the command needs', () => {
  it('--version loads no command module and nothing of resolve, report, collector, verify or the Kubernetes client', () => {
    const r = loaded(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const ours = r.modules.map(dist).filter((m): m is string => m !== undefined);
    expect(ours).toContain('cli/main.js'); // the hook really sees the CLI's modules
    // cli/commands/index.js is the registry of loaders itself (no command module behind it).
    expect(ours.filter((m) => (m.startsWith('cli/commands/') && m !== 'cli/commands/index.js') || HEAVY.test(m))).toEqual([]);
    expect(r.modules.filter((m) => m.includes('@kubernetes/client-node') || m.includes('/node_modules/yaml/'))).toEqual([]);
  });

  it('keygen loads its own command module, not the resolution engine, verify, report or the collector', () => {
    const r = loaded(['keygen', '--help']);
    expect(r.code).toBe(0);
    const ours = r.modules.map(dist).filter((m): m is string => m !== undefined);
    expect(ours).toContain('cli/commands/keygen.js');
    // (the shared flag helpers use resolve/scope.js, the --namespace/--selector syntax: not the engine)
    expect(ours.filter((m) => /^cli\/commands\/(?!keygen|index)/.test(m) || /^(resolve\/(engine|routes|backends|gateways)|report\/|collector\/|verify\/)/.test(m))).toEqual([]);
  });

  it('--help still lists every command', () => {
    const r = loaded(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['collect', 'keygen', 'sign', 'verify', 'resolve', 'diff', 'inspect', 'report', 'approve', 'version', 'completion']) expect(r.out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });
});
