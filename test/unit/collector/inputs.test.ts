import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readInputs } from '../../../src/collector/inputs.ts';
import { InputError } from '../../../src/errors.ts';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-in-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
const noStdin = async (): Promise<Uint8Array> => {
  throw new Error('no stdin');
};
const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'a' } });

describe('readInputs', () => {
  it('reads kubectl List JSON and typed lists, naming item sources', async () => {
    const cwd = tree({
      'list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [svc('a'), svc('b')] }),
      'typed.json': JSON.stringify({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRouteList', items: [{ metadata: { name: 'r', namespace: 'n' } }] }),
    });
    const r = await readInputs(['list.json', 'typed.json'], { cwd, readStdin: noStdin });
    expect(r.objects.map((o) => o.source)).toEqual(['list.json#items[0]', 'list.json#items[1]', 'typed.json#items[0]']);
    expect(r.objects[2]!.object).toMatchObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' });
  });

  it('reads YAML Lists and multi-document YAML (skipping empty documents)', async () => {
    const cwd = tree({
      'multi.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: n}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: n}\n',
    });
    const r = await readInputs(['multi.yaml'], { cwd, readStdin: noStdin });
    expect(r.objects.map((o) => [o.source, o.object['kind']])).toEqual([['multi.yaml#1', 'Service'], ['multi.yaml#3#items[0]', 'Namespace']]);
  });

  it('walks directories recursively in sorted order, only .yaml/.yml/.json, with sources and SHA-256', async () => {
    const cwd = tree({ 'd/b.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: b}\n', 'd/a/x.json': JSON.stringify(svc('x')), 'd/readme.md': '# no', 'd/c.yml': '' });
    const r = await readInputs(['d'], { cwd, readStdin: noStdin });
    expect(r.sources.map((s) => s.name)).toEqual(['d/a/x.json', 'd/b.yaml', 'd/c.yml']);
    expect(r.sources[0]!.sha256).toBe(createHash('sha256').update(JSON.stringify(svc('x'))).digest('hex'));
    expect(r.objects.map((o) => (o.object['metadata'] as { name: string }).name)).toEqual(['x', 'b']);
  });

  it('follows symlinked files and directories; loops and dangling links are recorded as skipped sources', async () => {
    const cwd = tree({ 'real/x.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\n', 'd/a.yaml': '' });
    symlinkSync(join(cwd, 'real', 'x.yaml'), join(cwd, 'd', 'link.yaml'));
    symlinkSync(join(cwd, 'real'), join(cwd, 'd', 'other'));
    symlinkSync(join(cwd, 'd'), join(cwd, 'd', 'loop'));
    symlinkSync(join(cwd, 'nowhere.yaml'), join(cwd, 'd', 'dangling.yaml'));
    const r = await readInputs(['d'], { cwd, readStdin: noStdin });
    expect(r.sources.map((s) => s.name)).toEqual(['d/a.yaml', 'd/link.yaml', 'd/other/x.yaml']);
    expect(r.skippedSources).toEqual([
      { source: 'd/dangling.yaml', reason: 'a dangling symbolic link (its target does not exist); not read' },
      { source: 'd/loop', reason: 'a symbolic link to a directory that contains it (a loop); not followed' },
    ]);
  });

  it('reads - from stdin', async () => {
    const r = await readInputs(['-'], { cwd: '/', readStdin: async () => new TextEncoder().encode(JSON.stringify(svc('s'))) });
    expect(r.sources[0]!.name).toBe('-');
    expect(r.objects[0]!.source).toBe('-');
  });

  it('keeps ConformanceReport files byte for byte', async () => {
    const text = 'apiVersion: gateway.networking.k8s.io/v1\nkind: ConformanceReport\n# comment kept\nimplementation: {project: x}\n';
    const cwd = tree({ 'r/report.yaml': text });
    const r = await readInputs(['r/report.yaml'], { cwd, readStdin: noStdin });
    expect(r.objects).toEqual([]);
    expect(r.conformanceReports[0]!.name).toBe('report.yaml');
    expect(new TextDecoder().decode(r.conformanceReports[0]!.bytes)).toBe(text);
  });

  it('names the file, document and line of a YAML error', async () => {
    const cwd = tree({ 'bad.yaml': 'apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: [unclosed\nmetadata: x\n' });
    const err = await readInputs(['bad.yaml'], { cwd, readStdin: noStdin }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^"bad\.yaml" document 2 at line \d+, column \d+: expected YAML or JSON/);
  });

  it('rejects duplicate keys, non-objects and objects without apiVersion/kind, naming the file', async () => {
    const cwd = tree({ 'dup.yaml': 'a: 1\na: 2\n', 'scalar.yaml': '42\n', 'nokind.json': '{"apiVersion":"v1"}' });
    await expect(readInputs(['dup.yaml'], { cwd, readStdin: noStdin })).rejects.toThrow(/"dup\.yaml" document 1 at line 2/);
    await expect(readInputs(['scalar.yaml'], { cwd, readStdin: noStdin })).rejects.toThrow(/"scalar\.yaml" document 1: expected a Kubernetes object/);
    await expect(readInputs(['nokind.json'], { cwd, readStdin: noStdin })).rejects.toThrow(/"nokind\.json": expected a Kubernetes object with string apiVersion and kind/);
  });

  it('skips (and names) a document that is not a Kubernetes object at all, such as a kustomization', async () => {
    const cwd = tree({ 'crds.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nresources:\n- a.yaml\n' });
    const set = await readInputs(['crds.yaml'], { cwd, readStdin: noStdin });
    expect(set.objects.map((o) => o.source)).toEqual(['crds.yaml#1']);
    expect(set.skippedDocuments).toEqual([{ source: 'crds.yaml#2', reason: expect.stringMatching(/not a Kubernetes object .*resources/) }]);
  });

  it('reports a missing input as unreadable', async () => {
    const err = await readInputs(['nope.yaml'], { cwd: tree({}), readStdin: noStdin }).catch((e: unknown) => e);
    expect((err as InputError).code).toBe('INPUT_UNREADABLE');
    expect((err as Error).message).toContain('"nope.yaml"');
  });
});
