// Issue 8 item 13: size caps were applied after reading whole files: `verify` of a 1 GiB file used 2.2 GB of
// memory, `verify /dev/zero` or a FIFO hung. Now every input is stat()ed first: a regular file over the cap is
// refused without reading (verify: the same failed report as the in-memory cap, exit 2), devices are refused,
// a FIFO is opened without blocking and streamed under the cap; collect inputs and stdin have a documented,
// configurable cap (--max-input-bytes, default 256 MiB).
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { DEFAULT_MAX_INPUT_BYTES, readInputText } from '../../src/io/read.ts';
import { KEYS_DIR } from '../unit/bundle/fixture.ts';

function setup(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-caps-'));
  copyFileSync(`${KEYS_DIR}collector.test-only.key.pem`, join(cwd, 'signer.pem'));
  copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(cwd, 'pub.pem'));
  return cwd;
}

/** A sparse file of `size` bytes (no disk used, reads as zeros). */
function sparse(path: string, size: number): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
}

describe('regression: size-caps-after-reading', () => {
  it('verify of a 1 GiB file: refused from its size alone, the failed report of the cap (exit 2)', async () => {
    const cwd = setup();
    sparse(join(cwd, 'big.tar.gz'), 1024 * 1024 * 1024);
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'big.tar.gz', '--key', 'pub.pem', '--output', 'json'], io)).toBe(2);
    const r = JSON.parse(io.out());
    expect(r.verdict).toBe('failed');
    expect(r.findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxCompressedBytes', limit: 128 * 1024 * 1024, found: 1024 * 1024 * 1024 } });
    // the other bundle readers refuse it by name (exit 65) instead of reading it
    const rep = memoryIO({ cwd });
    expect(await main(['report', 'big.tar.gz'], rep)).toBe(65);
    expect(rep.err()).toMatch(/cannot read bundle "big\.tar\.gz": expected at most 134217728 bytes, found 1073741824 bytes \(raise the cap with --max-compressed-bytes\)/);
  });

  it('verify /dev/zero is refused at once (a character device), never read', async () => {
    const io = memoryIO({ cwd: setup() });
    expect(await main(['verify', '/dev/zero', '--key', 'pub.pem'], io)).toBe(65);
    expect(io.err()).toMatch(/cannot read bundle "\/dev\/zero": expected a regular file, found a character device/);
  });

  it.skipIf(process.platform === 'win32')('a FIFO without a writer does not hang; an endless writer is cut at the cap', async () => {
    const cwd = setup();
    execFileSync('mkfifo', [join(cwd, 'fifo')]);
    const io = memoryIO({ cwd });
    expect(await main(['verify', 'fifo', '--key', 'pub.pem', '--output', 'json'], io)).toBe(2); // empty: not a bundle
    expect(JSON.parse(io.out()).findings[0].code).toBe('ARCHIVE_NOT_GZIP');

    const writer = spawn('sh', ['-c', 'exec yes gwe > fifo'], { cwd, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100)); // the writer is blocked in open() until we open
      const io2 = memoryIO({ cwd });
      expect(await main(['verify', 'fifo', '--key', 'pub.pem', '--output', 'json', '--max-compressed-bytes', '65536'], io2)).toBe(2);
      expect(JSON.parse(io2.out()).findings[0]).toMatchObject({ code: 'ARCHIVE_CAP_EXCEEDED', detail: { cap: 'maxCompressedBytes', limit: 65536 } });
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('collect inputs: a file over --max-input-bytes, /dev/zero and stdin over the cap are named input errors (65)', async () => {
    const cwd = setup();
    writeFileSync(join(cwd, 'r.yaml'), `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: shop, annotations: {x: "${'a'.repeat(5000)}"}}\nspec: {}\n`);
    const args = (from: string, extra: string[] = []): string[] => ['collect', '--from', from, '--out', 'b.tar.gz', '--key', 'signer.pem', ...extra];
    const a = memoryIO({ cwd });
    expect(await main(args('r.yaml', ['--max-input-bytes', '4096']), a)).toBe(65);
    expect(a.err()).toMatch(/cannot read input "r\.yaml": expected at most 4096 bytes, found \d+ bytes \(raise the cap with --max-input-bytes\)/);
    const b = memoryIO({ cwd });
    expect(await main(args('/dev/zero'), b)).toBe(65);
    expect(b.err()).toMatch(/cannot read input "\/dev\/zero": expected a regular file, found a character device/);
    const c = memoryIO({ cwd, stdin: 'x'.repeat(10_000) });
    expect(await main(args('-', ['--max-input-bytes', '4096']), c)).toBe(65);
    expect(c.err()).toMatch(/standard input|stdin/);
    expect(await main(args('r.yaml', ['--max-input-bytes', '0']), memoryIO({ cwd }))).toBe(64);
    expect(DEFAULT_MAX_INPUT_BYTES).toBe(256 * 1024 * 1024);
  });

  it('small inputs (keys, trust files, policies) have their own cap', async () => {
    const cwd = setup();
    sparse(join(cwd, 'trust.yaml'), 64 * 1024 * 1024);
    await expect(readInputText('trust.yaml', 'trust file', cwd)).rejects.toThrow(/cannot read trust file "trust\.yaml": expected at most 4194304 bytes, found 67108864 bytes/);
  });
});
