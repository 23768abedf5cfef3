// Bug (issue 10): report, diff and inspect printed a raw Node error for a missing bundle ("ENOENT: no such
// file or directory, open '/abs/x'"), resolve and report did not name a non-bundle file. Every command that
// reads a bundle now names the file and what was expected.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './report-sample-bundle.ts';

describe('regression: cli-bundle-enoent-names-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-reg-enoent-'));
  writeFileSync(join(dir, 'notes.tar.gz'), 'hello\n');
  const missing: string[][] = [
    ['report', 'missing.tar.gz'],
    ['diff', 'missing.tar.gz', 'missing.tar.gz'],
    ['inspect', 'missing.tar.gz'],
    ['resolve', 'missing.tar.gz'],
    ['verify', '--chain', 'missing.tar.gz', 'missing2.tar.gz', '--key', 'missing.pem'],
  ];
  for (const argv of missing) {
    it(`${argv.join(' ')} -> 65, names the file, no raw ENOENT text`, async () => {
      const r = await run(dir, argv);
      expect(r.code).toBe(65);
      expect(r.err).toMatch(/cannot read (bundle|public key) "missing(2)?\.(tar\.gz|pem)": expected a readable file, found no such file \(ENOENT\)/);
      expect(r.err).not.toContain('no such file or directory, open');
    });
  }
  for (const argv of [['report', 'notes.tar.gz'], ['resolve', 'notes.tar.gz'], ['inspect', 'notes.tar.gz']]) {
    it(`${argv.join(' ')} (not a bundle) -> 65 naming the file`, async () => {
      const r = await run(dir, argv);
      expect(r.code).toBe(65);
      expect(r.err).toMatch(/^gwe: notes\.tar\.gz: not a readable bundle/);
    });
  }
});
