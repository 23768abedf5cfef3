/**
 * Regression: SARIF artifactLocation.uri was the bundle path as typed (e.g. `/tmp/x y/b.tar.gz`), which is not a
 * URI reference (SARIF 2.1.0 §3.10.3). Also checks the SARIF 2.1.0 required fields on the sample report.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sarifArtifactUri } from '../../src/report/sarif.ts';
import { ROOT, run, sampleBundle } from './report-sample-bundle.ts';

let dir = '';
beforeAll(async () => {
  dir = await sampleBundle('q 1.tar.gz');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SARIF', () => {
  it('sarifArtifactUri: relative stays relative (percent-encoded), absolute becomes file://', () => {
    expect(sarifArtifactUri('out/q 1.tar.gz')).toBe('out/q%201.tar.gz');
    expect(sarifArtifactUri('/tmp/a b/q#1.tar.gz')).toBe('file:///tmp/a%20b/q%231.tar.gz');
    expect(sarifArtifactUri('C:\\evidence\\q1.tar.gz')).toBe('file:///C:/evidence/q1.tar.gz');
  });

  it('the sample report is valid SARIF 2.1.0 in its required fields, with URI-reference artifact locations', async () => {
    const abs = join(dir, 'q 1.tar.gz');
    const r = await run(dir, ['report', abs, '--policy', join(ROOT, 'samples/policy.yaml'), '-o', 'sarif']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.out);
    expect(s.version).toBe('2.1.0');
    expect(s.runs).toHaveLength(1);
    const run0 = s.runs[0];
    expect(typeof run0.tool.driver.name).toBe('string');
    const ruleIds = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(run0.results.length).toBeGreaterThan(10);
    for (const res of run0.results) {
      expect(typeof res.message.text).toBe('string');
      expect(res.message.text.length).toBeGreaterThan(0);
      expect(ruleIds).toContain(res.ruleId);
      expect(ruleIds[res.ruleIndex]).toBe(res.ruleId);
      expect(['none', 'note', 'warning', 'error']).toContain(res.level);
      // Since issue 10, results point at the object file inside the bundle (uriBaseId BUNDLE); the bundle
      // file itself is the run's artifact, still as a URI reference.
      const loc = res.locations[0].physicalLocation.artifactLocation;
      expect(loc.uriBaseId).toBe('BUNDLE');
      expect(loc.uri as string).toMatch(/^(data\/objects\/[a-z0-9.-]+\/[a-z0-9.-]+\/[^\s]+\.json|bag-info\.txt)$/);
    }
    expect(run0.artifacts[0].location.uri).toBe(`file://${abs.split('/').map(encodeURIComponent).join('/')}`);
    for (const rule of run0.tool.driver.rules) expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration.level);
    // The policy rule and the same-fact link travel in properties.
    const cert = run0.results.find((x: { ruleId: string }) => x.ruleId === 'POLICY_CERTIFICATE_EXPIRING');
    expect(cert.properties.policyRule).toBe('certificates-30-days');
    expect(cert.properties.sameFactAs).toHaveLength(1);
  });
});
