// Issue 8 item 8: an unreachable cluster yielded a signed, empty bundle with exit 0, and verify then exited 0
// ("VERIFIED (PARTIAL CAPTURE)", the report headline said VERIFIED); an empty or non-Kubernetes input file gave
// a signed "VERIFIED" bundle of 0 objects. Now a capture in which nothing could be read, or that holds no
// Gateway API object, is refused (exit 65, no bundle) unless --allow-empty; a partial bundle verifies with its
// own exit code 3 (never 0), and every headline (verify, report text/markdown/html/json) starts with PARTIAL.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { Exit } from '../../src/cli/exit.ts';
import { memoryIO } from '../helpers/io.ts';
import { assertNotEmpty } from '../../src/collect.ts';
import { buildBundle } from '../../src/bundle/build.ts';
import { InputError } from '../../src/errors.ts';
import { KEYS_DIR, sampleCapture, sampleKey } from '../unit/bundle/fixture.ts';
import { readPrevious } from '../../src/collect.ts';

function setup(files: Record<string, string>): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-empty-'));
  copyFileSync(`${KEYS_DIR}collector.test-only.key.pem`, join(cwd, 'signer.pem'));
  copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(cwd, 'pub.pem'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(cwd, n), t);
  return cwd;
}

const collectArgs = (input: string, extra: string[] = []): string[] => ['collect', '--from', input, '--out', 'b.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z', ...extra];

describe('regression: collect-empty-capture-verified', () => {
  it('an empty file, a non-Kubernetes document, or only non-Gateway objects: exit 65, no bundle', async () => {
    for (const text of ['', '---\n', 'foo: bar\nlist: [1, 2]\n', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {ports: [{port: 80}]}\n']) {
      const cwd = setup({ 'in.yaml': text });
      const io = memoryIO({ cwd });
      expect(await main(collectArgs('in.yaml'), io), JSON.stringify(text)).toBe(65);
      expect(io.err()).toMatch(/collect: expected at least one Gateway API object \(GatewayClass, Gateway, HTTPRoute.*\), found none in 1 source\(s\).*no bundle written \(pass --allow-empty/);
      expect(existsSync(join(cwd, 'b.tar.gz'))).toBe(false);
    }
  });

  it('--allow-empty records the empty capture on purpose', async () => {
    const cwd = setup({ 'in.yaml': '' });
    expect(await main(collectArgs('in.yaml', ['--allow-empty']), memoryIO({ cwd }))).toBe(0);
    expect(existsSync(join(cwd, 'b.tar.gz'))).toBe(true);
  });

  it('a live capture in which every read failed is refused (the unreachable cluster)', () => {
    const c = sampleCapture({ mode: 'live', partial: true });
    c.snapshot.objects = [];
    c.record.sources = [];
    c.record.gaps = [{ kind: 'Version', message: 'GET /version failed after 5 attempt(s): ECONNREFUSED' }];
    let err: unknown;
    try {
      assertNotEmpty(c, false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INPUT_EMPTY');
    expect((err as Error).message).toMatch(/expected to read the cluster, found every read failed \(1 gap\(s\); first: Version: GET \/version failed .*ECONNREFUSED\); no bundle written/);
    expect(() => assertNotEmpty(c, true)).not.toThrow();
  });

  it('a partial bundle never verifies with exit 0: exit 3, and PARTIAL comes first in every headline', async () => {
    const cwd = setup({});
    writeFileSync(join(cwd, 'b.tar.gz'), buildBundle(sampleCapture({ partial: true }), { signers: [sampleKey('collector')] }).bytes);
    expect(Exit.PARTIAL).toBe(3);
    const v = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--key', 'pub.pem'], v)).toBe(3);
    expect(v.out()).toMatch(/^PARTIAL CAPTURE \(\d+ gaps?\): VERIFIED  b\.tar\.gz\n/);
    const vj = memoryIO({ cwd });
    expect(await main(['verify', 'b.tar.gz', '--key', 'pub.pem', '--output', 'json'], vj)).toBe(3);
    expect(JSON.parse(vj.out()).bundle.partial).toBe(true);

    for (const [format, first] of [
      ['text', /\n\nPARTIAL CAPTURE \(/],
      ['markdown', /\n> \*\*PARTIAL CAPTURE \(/],
      ['html', /<div class="verdict [^"]+" id="verdict" data-status="[^"]+">PARTIAL CAPTURE \(/],
      ['json', /"headline": "PARTIAL CAPTURE \(/],
    ] as const) {
      for (const trust of [[], ['--key', 'pub.pem']]) {
        const io = memoryIO({ cwd });
        expect(await main(['report', 'b.tar.gz', '--format', format, ...trust], io), `${format} ${trust.join(' ')}`).toBe(3);
        expect(io.out(), format).toMatch(first);
        expect(io.out()).not.toMatch(/(^|\n|>|")(VERIFIED|SIGNATURE NOT CHECKED)/);
      }
    }
  });

  it('verify --chain with a partial link: the chain holds, but the exit is 3, not 0', async () => {
    const cwd = setup({});
    writeFileSync(join(cwd, 'q1.tar.gz'), buildBundle(sampleCapture({ capturedAt: '2026-03-31T00:00:00Z' }), { signers: [sampleKey('collector')] }).bytes);
    const previous = await readPrevious('q1.tar.gz', cwd);
    writeFileSync(join(cwd, 'q2.tar.gz'), buildBundle(sampleCapture({ capturedAt: '2026-06-30T00:00:00Z', partial: true }), { signers: [sampleKey('collector')], previous }).bytes);
    const io = memoryIO({ cwd });
    expect(await main(['verify', '--chain', 'q1.tar.gz', 'q2.tar.gz', '--key', 'pub.pem'], io), io.out()).toBe(3);
    expect(io.out()).toContain('BUNDLE_PARTIAL');
  });
});
