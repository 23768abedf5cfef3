/**
 * Regression: with --policy, a standing policy violation whose wording changed between quarters was listed as
 * both "introduced" and "fixed". Sample: eval/eval-runner -> retrieval/retriever is an unexpected cross-namespace
 * reference in both quarters; Q2 adds a ReferenceGrant, so the message changes from "not allowed by any
 * ReferenceGrant" to "allowed by ReferenceGrant ...". It is the same violation (same rule, same objects): it must
 * be unchanged, and the grant itself shows under "grants added". Also: diff text shows human subjects.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFindings } from '../../src/diff/findings.ts';
import type { Finding } from '../../src/model/finding.ts';
import { ROOT, run, sampleBundle } from './report-sample-bundle.ts';

let dir = '';
beforeAll(async () => {
  dir = await sampleBundle('q1.tar.gz');
  const q2src = join(mkdtempSync(join(tmpdir(), 'gwe-q2-')), 'cluster');
  cpSync(join(ROOT, 'samples/cluster'), q2src, { recursive: true });
  appendFileSync(
    join(q2src, '04-grants-and-policies.yaml'),
    [
      '---',
      'apiVersion: gateway.networking.k8s.io/v1beta1',
      'kind: ReferenceGrant',
      'metadata: { name: allow-eval-to-retriever, namespace: retrieval, generation: 1 }',
      'spec:',
      '  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: eval }]',
      '  to: [{ group: "", kind: Service, name: retriever }]',
      '',
    ].join('\n'),
  );
  await sampleBundle('q2.tar.gz', q2src, '2027-03-01T09:00:00Z', dir);
  rmSync(q2src, { recursive: true, force: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diff: a standing policy violation with new wording is unchanged, not introduced + fixed', () => {
  it('on the sample quarters', async () => {
    const r = await run(dir, ['diff', 'q1.tar.gz', 'q2.tar.gz', '--policy', join(ROOT, 'samples/policy.yaml'), '-o', 'json']);
    expect(r.err).toBe('');
    const d = JSON.parse(r.out);
    const codes = (list: Finding[]): string[] => list.map((f) => f.code);
    expect(codes(d.findings.introduced)).not.toContain('POLICY_UNEXPECTED_CROSS_NAMESPACE');
    expect(codes(d.findings.fixed)).not.toContain('POLICY_UNEXPECTED_CROSS_NAMESPACE');
    const standing = d.findings.unchanged.filter((f: Finding) => f.code === 'POLICY_UNEXPECTED_CROSS_NAMESPACE');
    expect(standing).toHaveLength(1);
    expect(standing[0].message).toContain('allowed by ReferenceGrant retrieval/allow-eval-to-retriever');
    expect(codes(d.findings.fixed)).toContain('RefNotPermitted'); // the resolution finding really is fixed
    const text = (await run(dir, ['diff', 'q1.tar.gz', 'q2.tar.gz', '--policy', join(ROOT, 'samples/policy.yaml')])).out;
    expect(text).not.toMatch(/gateway\.networking\.k8s\.io\/eval/);
  });

  it('diffFindings: same rule and objects pair; different objects do not', () => {
    const f = (msg: string, objects: string[]): Finding => ({
      code: 'POLICY_X',
      severity: 'error',
      subject: 'HTTPRoute.gateway.networking.k8s.io/a/r',
      message: msg,
      detail: { rule: 'r1', objects, path: 'p' },
    });
    const d = diffFindings([f('old words', ['A', 'B'])], [f('new words', ['B', 'A'])]);
    expect([d.introduced.length, d.fixed.length, d.unchanged.length]).toEqual([0, 0, 1]);
    const e = diffFindings([f('old words', ['A', 'B'])], [f('new words', ['A', 'C'])]);
    expect([e.introduced.length, e.fixed.length, e.unchanged.length]).toEqual([1, 1, 0]);
    // Analysis findings (no detail.objects) keep message identity.
    const g = (msg: string): Finding => ({ code: 'STATUS_DRIFT', severity: 'error', subject: 's', message: msg });
    expect(diffFindings([g('a')], [g('b')]).introduced).toHaveLength(1);
  });
});

describe('diff: every report states bundle id, capture time, scope and partial', () => {
  it('text, markdown, html and json name the scope of both sides', async () => {
    const text = (await run(dir, ['diff', 'q1.tar.gz', 'q2.tar.gz'])).out;
    expect(text).toMatch(/^old: gwe-20261201t090000z-[0-9a-f]{16} \(captured 2026-12-01T09:00:00Z, all namespaces, \d+ objects, integrity ok, signatures NOT CHECKED\)$/m);
    const md = (await run(dir, ['diff', 'q1.tar.gz', 'q2.tar.gz', '-o', 'markdown'])).out;
    expect(md).toContain('| | bundle | captured | scope | partial | objects |');
    const html = (await run(dir, ['diff', 'q1.tar.gz', 'q2.tar.gz', '-o', 'html'])).out;
    expect(html).toContain('<th>scope</th>');
    const d = JSON.parse((await run(dir, ['diff', 'q1.tar.gz', 'q2.tar.gz', '-o', 'json'])).out);
    expect([d.old.scope, d.new.scope]).toEqual(['all namespaces', 'all namespaces']);
    expect([d.old.partial, d.new.partial]).toEqual([false, false]);
  });
});
