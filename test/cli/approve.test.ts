/**
 * Issue 9 signed change approvals: gwe approve -> approval.json; verify --chain --approval shows who approved
 * each link, and rejects tampering: a different diff (the bundles changed), an untrusted approver, an approver
 * key without the `approver` role, a flipped signature; a policy with requireApprovals flags unapproved links.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { privateKeyPem, publicKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';
import { memoryIO } from '../helpers/io.ts';
import { bundle, KEY, quarters } from '../unit/chain/fixtures.ts';
import { workdir } from './chain-helpers.ts';

const APPROVER = signingKeyFromSeed(new Uint8Array(32).fill(21));
const STRANGER = signingKeyFromSeed(new Uint8Array(32).fill(22));
const indent = (pem: string) => pem.trim().split('\n').map((l) => `      ${l}`).join('\n');

function trustYaml(approverRole: string | undefined): string {
  return `version: 1
keys:
  - name: collector
    role: collector
    publicKey: |
${indent(publicKeyPem(KEY.publicKey))}
  - name: carol
${approverRole ? `    role: ${approverRole}\n` : ''}    publicKey: |
${indent(publicKeyPem(APPROVER.publicKey))}
threshold: 1
required: [collector]
`;
}

describe('gwe approve + verify --chain --approval', () => {
  const [q1, q2] = quarters();
  // same ids would not be produced: a rebuilt q2 with other content (the bundles changed after approval)
  const q2b = bundle('q2b.tar.gz', { weights: [40, 60], capturedAt: '2026-06-30T00:00:00Z' }, { prev: q1 });
  const dir = workdir([q1, q2, q2b]);
  writeFileSync(join(dir, 'trust.yaml'), trustYaml('approver'));
  writeFileSync(join(dir, 'trust-norole.yaml'), trustYaml(undefined));
  writeFileSync(join(dir, 'carol.pem'), privateKeyPem(APPROVER));
  writeFileSync(join(dir, 'stranger.pem'), privateKeyPem(STRANGER));
  writeFileSync(join(dir, 'policy.yaml'), 'apiVersion: gateway-evidence.io/v1alpha1\nkind: ExposurePolicy\nrequireApprovals: true\nrules: []\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an approval and the chain shows who approved the link', async () => {
    const io = memoryIO({ cwd: dir, now: new Date('2026-07-01T12:00:00.500Z') });
    expect(await main(['approve', 'q1.tar.gz', 'q2.tar.gz', '--key', 'carol.pem', '--ticket', 'CHG-1234', '--note', 'canary to 50%', '--out', 'approval.json'], io)).toBe(0);
    expect(io.out()).toContain(`approved ${q1.bundleId} -> ${q2.bundleId}`);
    const env = JSON.parse(readFileSync(join(dir, 'approval.json'), 'utf8'));
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    expect(st.predicateType).toBe('https://gateway-evidence.dev/approval/v1');
    expect(st.subject.map((s: { name: string }) => s.name)).toEqual([q1.bundleId, q2.bundleId]);
    expect(st.predicate).toMatchObject({ ticket: 'CHG-1234', note: 'canary to 50%', approvedAt: '2026-07-01T12:00:00Z', approver: { keyId: APPROVER.keyId } });
    expect(st.predicate.diff.sha256).toMatch(/^[0-9a-f]{64}$/);

    const v = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'approval.json', '--policy', 'policy.yaml'], v)).toBe(0);
    expect(v.out()).toMatch(/changes 0 added, 0 removed, 1 modified; approved by carol \(ticket CHG-1234\) at 2026-07-01T12:00:00Z/);
    const j = memoryIO({ cwd: dir });
    await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'approval.json', '--output', 'json'], j);
    expect(JSON.parse(j.out()).chain.links[1].approvals).toEqual([{ file: 'approval.json', valid: true, approver: 'carol', keyId: APPROVER.keyId, ticket: 'CHG-1234', note: 'canary to 50%', approvedAt: '2026-07-01T12:00:00Z' }]);
  });

  it('requireApprovals: a changed link without an approval is UNAPPROVED_CHANGE', async () => {
    const v = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--trust', 'trust.yaml', '--policy', 'policy.yaml'], v)).toBe(2);
    expect(v.out()).toContain('UNAPPROVED_CHANGE  q2.tar.gz');
    expect(v.out()).toContain('NOT APPROVED');
  });

  it('an approval for a different diff (the new bundle changed) is rejected', async () => {
    await main(['approve', 'q1.tar.gz', 'q2.tar.gz', '--key', 'carol.pem', '--out', 'a-q2.json'], memoryIO({ cwd: dir }));
    const env = JSON.parse(readFileSync(join(dir, 'a-q2.json'), 'utf8'));
    // Replay the approval against q2b by rewriting nothing: it names q2, so the q1 -> q2b link has no valid approval
    const v = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2b.tar.gz', '--trust', 'trust.yaml', '--approval', 'a-q2.json', '--policy', 'policy.yaml'], v)).toBe(2);
    expect(v.out()).toContain('APPROVAL_SUBJECT_MISMATCH');
    expect(v.out()).toContain('UNAPPROVED_CHANGE');
    expect(env.signatures).toHaveLength(1);
  });

  it('a tampered diff digest breaks the signature; an untrusted approver and a missing role are named', async () => {
    await main(['approve', 'q1.tar.gz', 'q2.tar.gz', '--key', 'carol.pem', '--out', 'a.json'], memoryIO({ cwd: dir }));
    const env = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
    st.predicate.diff.sha256 = '0'.repeat(64);
    writeFileSync(join(dir, 'a-tampered.json'), JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(st)).toString('base64') }));
    let v = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'a-tampered.json'], v)).toBe(2);
    expect(v.out()).toContain('APPROVAL_SIGNATURE_INVALID');

    await main(['approve', 'q1.tar.gz', 'q2.tar.gz', '--key', 'stranger.pem', '--out', 'a-stranger.json'], memoryIO({ cwd: dir }));
    v = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'a-stranger.json'], v)).toBe(2);
    expect(v.out()).toContain('APPROVAL_UNTRUSTED');

    v = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--trust', 'trust-norole.yaml', '--approval', 'a.json'], v)).toBe(2);
    expect(v.out()).toContain('APPROVAL_ROLE_MISSING');
    expect(v.out()).toContain('expected role "approver"');
  });

  it('a recomputed diff that differs from the signed one is APPROVAL_DIFF_MISMATCH', async () => {
    // Sign a statement that names q1 -> q2 with the right ids and digests but the diff of q1 -> q2b.
    const { createApproval } = await import('../../src/approval/index.ts');
    const { readBundle } = await import('../../src/diff/read.ts');
    const r1 = readBundle(q1.bytes, 'q1');
    const r2 = readBundle(q2.bytes, 'q2');
    const r2b = readBundle(q2b.bytes, 'q2b');
    const forged = createApproval({ bundleId: r1.bundleId, contentDigest: r1.contentDigest!, capture: r1.capture }, { bundleId: r2.bundleId, contentDigest: r2.contentDigest!, capture: r2b.capture }, APPROVER, { approvedAt: '2026-07-01T00:00:00Z' });
    writeFileSync(join(dir, 'a-forged.json'), forged.bytes);
    const v = memoryIO({ cwd: dir });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'a-forged.json'], v)).toBe(2);
    expect(v.out()).toContain('APPROVAL_DIFF_MISMATCH');
  });

  it('approve refuses a bundle that is not intact and a control character in --note', async () => {
    writeFileSync(join(dir, 'broken.tar.gz'), 'not a bundle');
    expect(await main(['approve', 'q1.tar.gz', 'broken.tar.gz', '--key', 'carol.pem', '--out', 'x.json'], memoryIO({ cwd: dir }))).toBe(65);
    const io = memoryIO({ cwd: dir });
    expect(await main(['approve', 'q1.tar.gz', 'q2.tar.gz', '--key', 'carol.pem', '--note', 'a\u001b[31mb', '--out', 'y.json'], io)).toBe(64);
    expect(io.err()).toContain('--note');
  });
});

describe('gwe report --approval', () => {
  const [q1, q2] = quarters();
  const dir = workdir([q1, q2]);
  writeFileSync(join(dir, 'trust.yaml'), trustYaml('approver'));
  writeFileSync(join(dir, 'carol.pem'), privateKeyPem(APPROVER));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the approval in every format, with the diff recomputed when the previous bundle is given', async () => {
    await main(['approve', 'q1.tar.gz', 'q2.tar.gz', '--key', 'carol.pem', '--ticket', 'CHG-7', '--out', 'a.json'], memoryIO({ cwd: dir, now: new Date('2026-07-01T00:00:00Z') }));
    const r = memoryIO({ cwd: dir });
    await main(['report', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'a.json', '--previous-bundle', 'q1.tar.gz'], r);
    expect(r.out()).toContain(`a.json: valid: approved by carol (ticket CHG-7) at 2026-07-01T00:00:00Z, change from ${q1.bundleId}`);
    const r2 = memoryIO({ cwd: dir });
    await main(['report', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'a.json'], r2);
    expect(r2.out()).toContain('valid signature; diff not recomputed (give --previous-bundle)');
    const r3 = memoryIO({ cwd: dir });
    await main(['report', 'q1.tar.gz', '--trust', 'trust.yaml', '--approval', 'a.json'], r3);
    expect(r3.out()).toContain('REJECTED (APPROVAL_SUBJECT_MISMATCH)');
    for (const format of ['markdown', 'html', 'json']) {
      const io = memoryIO({ cwd: dir });
      await main(['report', 'q2.tar.gz', '--trust', 'trust.yaml', '--approval', 'a.json', '--format', format], io);
      expect(io.out()).toContain('CHG-7');
    }
    expect(await main(['report', 'q2.tar.gz', '--approval', 'a.json'], memoryIO({ cwd: dir }))).toBe(64);
  });
});
