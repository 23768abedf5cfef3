/**
 * Regression (issue 10, "Noise"): with a policy that classifies a backend by its serviceTypes rules, the report
 * showed the policy finding saying "admin" and, under it as the same fact, the analysis line saying
 * "unclassified" (the analysis classifies by labels only). The report now shows one service type per backend:
 * the policy's, which every policy rule used; the label-only type stays in detail.analysisServiceType.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, sampleBundle } from './report-sample-bundle.ts';

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gwe-svctype-'));
  const cluster = join(dir, 'cluster');
  cpSync(join(ROOT, 'samples/cluster'), cluster, { recursive: true });
  // admin/admin-ui loses its service-type label: only the policy's `names: ["admin-*"]` rule classifies it.
  const file = join(cluster, '05-services.json');
  const list = JSON.parse(readFileSync(file, 'utf8')) as { items: { metadata: { name: string; labels?: Record<string, string> } }[] };
  delete list.items.find((s) => s.metadata.name === 'admin-ui')!.metadata.labels!['gateway-evidence.io/service-type'];
  writeFileSync(file, JSON.stringify(list, null, 2));
  await sampleBundle('b.tar.gz', cluster, '2026-12-01T09:00:00Z', dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface F {
  id: string;
  code: string;
  severity: string;
  message: string;
  restatedBy?: string[];
  detail?: Record<string, unknown>;
}

const args = (format: string): string[] => ['report', 'b.tar.gz', '--trust', join(ROOT, 'keys/trust.yaml'), '--policy', join(ROOT, 'samples/policy.yaml'), '-o', format];

describe('one service type per backend when a policy classifies it', () => {
  it('the analysis line under the policy finding names the policy type, not unclassified', async () => {
    // Without the policy the analysis says unclassified: the precondition of the bug.
    const plain = JSON.parse((await run(dir, ['report', 'b.tar.gz', '-o', 'json'])).out).findings as F[];
    expect(plain.find((f) => f.code === 'EXPOSURE_SERVICE_TYPE' && f.message.includes('Service admin/admin-ui'))!.message).toContain('service type unclassified');

    const fs = JSON.parse((await run(dir, args('json'))).out).findings as F[];
    const policy = fs.find((f) => f.code === 'POLICY_SERVICE_TYPE_NOT_ALLOWED')!;
    expect(policy.message).toContain('Service admin/admin-ui:3000 (admin)');
    const analysis = fs.filter((f) => f.code === 'EXPOSURE_SERVICE_TYPE' && f.message.includes('Service admin/admin-ui'));
    expect(analysis).toHaveLength(1);
    expect(analysis[0]!.message).toBe("HTTPRoute admin/admin-ui routes to Service admin/admin-ui:3000, service type admin (from the policy's serviceTypes[0])");
    expect(analysis[0]!.severity).toBe('warning');
    expect(analysis[0]!.detail).toMatchObject({ serviceType: 'admin', analysisServiceType: 'unclassified', classifiedBy: 'policy' });
    expect(analysis[0]!.restatedBy).toContain(policy.id);

    const text = (await run(dir, args('text'))).out;
    const findings = text.slice(text.indexOf('Findings:'), text.indexOf('\nControllers'));
    expect(findings).not.toMatch(/admin-ui[^\n]*service type unclassified/);
  });
});
