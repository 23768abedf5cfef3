// Issue 10: `gwe version [-o json]` and `gwe completion bash|zsh|fish`, generated from the commands themselves.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { VERSION } from '../../src/version.ts';

async function gwe(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const has = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

describe('gwe version', () => {
  it('-o json: version, commit, bundle format versions, Gateway API range', async () => {
    const r = await gwe(['version', '-o', 'json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.version).toBe(VERSION);
    expect(v.commit).toMatch(/^([0-9a-f]{7,64}|unknown)$/);
    expect(v.bundleFormat).toEqual({ writes: 2, reads: ['1', '2'] });
    expect(v.gatewayAPI.min).toBe('v1.0.0');
    expect(v.gatewayAPI.maxExclusive).toMatch(/^v1\.\d+\.0$/);
  });
  it('text by default; --quiet prints the bare version', async () => {
    expect((await gwe(['version'])).out).toMatch(new RegExp(`^gwe ${VERSION.replace(/\./g, '\\.')} \\(commit `));
    expect((await gwe(['version', '-q'])).out).toBe(`${VERSION}\n`);
  });
});

describe('gwe completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-compl-'));
  it('bash: valid syntax, every command, and completes -o values for report', async () => {
    const r = await gwe(['completion', 'bash']);
    expect(r.code).toBe(0);
    for (const c of ['collect', 'verify', 'report', 'diff', 'inspect', 'resolve', 'keygen', 'sign', 'version', 'completion']) expect(r.out).toContain(c);
    writeFileSync(join(dir, 'gwe.bash'), r.out);
    execFileSync('bash', ['-n', join(dir, 'gwe.bash')]);
    // Drive the function like readline would: `gwe report b.tar.gz -o <TAB>`.
    const out = execFileSync('bash', ['-c', `source ${join(dir, 'gwe.bash')}; COMP_WORDS=(gwe report b.tar.gz -o ''); COMP_CWORD=4; _gwe; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(out.split('\n').filter(Boolean).sort()).toEqual(['html', 'json', 'markdown', 'sarif', 'text']);
    const cmds = execFileSync('bash', ['-c', `source ${join(dir, 'gwe.bash')}; COMP_WORDS=(gwe ver); COMP_CWORD=1; _gwe; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(cmds.trim()).toBe('verify\nversion');
  });
  it.skipIf(!has('zsh'))('zsh: valid syntax', async () => {
    const r = await gwe(['completion', 'zsh']);
    writeFileSync(join(dir, '_gwe'), r.out);
    execFileSync('zsh', ['-n', join(dir, '_gwe')]);
  });
  it('zsh and fish: every command is offered', async () => {
    const z = await gwe(['completion', 'zsh']);
    expect(z.out).toMatch(/^#compdef gwe/);
    expect(z.out).toContain("'report:render a bundle");
    const f = await gwe(['completion', 'fish']);
    expect(f.out).toContain("complete -c gwe -n '__fish_use_subcommand' -a report");
    expect(f.out).toContain("complete -c gwe -n '__fish_seen_subcommand_from report' -s o -l output -x -a 'text markdown html json sarif'");
  });
  it.skipIf(!has('fish'))('fish: valid syntax', async () => {
    const f = await gwe(['completion', 'fish']);
    writeFileSync(join(dir, 'gwe.fish'), f.out);
    execFileSync('fish', ['--no-execute', join(dir, 'gwe.fish')]);
  });
  it('an unknown shell is a usage error', async () => {
    expect((await gwe(['completion', 'tcsh'])).code).toBe(64);
  });
});
