// Bug: `gwe collect --from DIR` on a directory with no .yaml/.yml/.json file wrote an empty, validly signed
// bundle and exited 0 (a typo in a path gave "evidence" of an empty cluster). Now: exit 65, naming the
// directory and what was expected.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { privateKeyPem, signingKeyFromSeed } from '../../src/crypto/index.ts';

describe('regression: collect-empty-directory', () => {
  it('refuses a directory without manifests, naming it, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwe-reg-emptydir-'));
    writeFileSync(join(dir, 'signer.pem'), privateKeyPem(signingKeyFromSeed(new Uint8Array(32).fill(3))));
    mkdirSync(join(dir, 'dump', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'dump', 'notes.txt'), 'not a manifest\n');
    const io = memoryIO({ cwd: dir });
    expect(await main(['collect', '--from', 'dump', '--out', 'b.tar.gz', '--key', 'signer.pem'], io)).toBe(65);
    expect(io.err()).toMatch(/input directory "dump": expected Kubernetes manifests \(\.yaml, \.yml or \.json files, searched recursively\), found none/);
    expect(existsSync(join(dir, 'b.tar.gz'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
