/**
 * samples/demo.sh part 4, in-process: last quarter's bundle, the sample audit log (with a RequestResponse Secret
 * event holding a TEST-ONLY private key, and one unexplained change), the zone file with a dangling name, an
 * attachment and a signed approval; the chain verifies with the approval.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const demo = readFileSync(join(ROOT, 'samples', 'demo.sh'), 'utf8');

describe('samples/demo.sh part 4: the operational record', () => {
  it('uses the documented inputs', () => {
    for (const s of ['--audit-log samples/operational/audit.log', '--dns samples/operational/example.ai.zone', 'approve "$Q3" "$Q4" --key keys/approver.test-only.key.pem', '--approval out/sample-approval.json']) expect(demo).toContain(s);
  });

  it('collects, verifies, approves and chains the sample quarters', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gwe-demo-op-'));
    const q3From = readdirSync(join(ROOT, 'samples', 'cluster')).filter((f) => f !== '03-routes.yaml').map((f) => `samples/cluster/${f}`);
    const run = async (args: string[]) => {
      const io = memoryIO({ cwd: ROOT, now: new Date('2026-12-02T10:00:00Z') });
      const code = await main(args, io);
      return { code, out: io.out(), err: io.err() };
    };
    const q3 = join(out, 'q3.tar.gz');
    const q4 = join(out, 'q4.tar.gz');
    expect((await run(['collect', '--from', ...q3From, 'samples/operational/q3-routes.yaml', '--out', q3, '--key', 'keys/collector.test-only.key.pem', '--captured-at', '2026-09-30T09:00:00Z', '--quiet'])).code).toBe(0);
    const c = await run(['collect', '--from', 'samples/cluster', '--out', q4, '--key', 'keys/collector.test-only.key.pem', '--captured-at', '2026-12-01T09:00:00Z', '--previous', q3,
      '--audit-log', 'samples/operational/audit.log', '--dns', 'samples/operational/example.ai.zone', '--attach', 'samples/operational/change-ticket-CHG-2041.txt:text/plain']);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toContain('audit       5 change event(s) kept of 9 line(s)');

    // the planted TEST-ONLY key of the Secret event is in the audit log, and not in the bundle
    const key = readFileSync(join(ROOT, 'samples', 'tools', 'certs', 'shared-gw.key'), 'utf8');
    const line = key.split('\n')[2]!;
    expect(readFileSync(join(ROOT, 'samples', 'operational', 'audit.log'), 'utf8')).toContain(Buffer.from(key).toString('base64').slice(0, 40));
    const tar = gunzipSync(readFileSync(q4));
    expect(tar.indexOf(Buffer.from(line))).toBe(-1);
    expect(tar.indexOf(Buffer.from(Buffer.from(key).toString('base64').slice(60, 120)))).toBe(-1);
    expect(tar.indexOf(Buffer.from('PRIVATE KEY'))).toBe(-1);

    const v = await run(['verify', q4, '--trust', 'keys/trust.yaml', '--policy', 'samples/policy.yaml', '--output', 'json']);
    expect(v.code).toBe(1);
    const codes = JSON.parse(v.out).analysis.findings.map((f: { code: string; subject?: string }) => `${f.code} ${f.subject}`);
    expect(codes).toContain('AUDIT_UNEXPLAINED_CHANGE HTTPRoute.gateway.networking.k8s.io/eval/eval-runner');
    expect(codes).toContain('DNS_NAME_DANGLING chat.example-ai-legacy.net');
    expect(codes).toContain('AUDIT_CHANGE_AUTHOR_UNEXPECTED httproutes.gateway.networking.k8s.io/admin/admin-ui');
    expect(codes.filter((x: string) => x.startsWith('DNS_') || x.startsWith('AUDIT_')).length).toBe(3);

    const approval = join(out, 'approval.json');
    expect((await run(['approve', q3, q4, '--key', 'keys/approver.test-only.key.pem', '--ticket', 'CHG-2041', '--out', approval])).code).toBe(0);
    const ch = await run(['verify', '--chain', q3, q4, '--trust', 'keys/trust.yaml', '--policy', 'samples/policy.yaml', '--approval', approval]);
    expect(ch.code, ch.out).toBe(1); // the chain holds; q4 carries the sample's deliberate error findings
    expect(ch.out).toMatch(/changes 1 added, 0 removed, 1 modified; approved by approver \(ticket CHG-2041\) at 2026-12-02T10:00:00Z/);
    const unapproved = await run(['verify', '--chain', q3, q4, '--trust', 'keys/trust.yaml', '--policy', 'samples/policy.yaml']);
    expect(unapproved.code).toBe(2);
    expect(unapproved.out).toContain('UNAPPROVED_CHANGE');
  });
});
