// Issue 8 item 12: a directory walk silently skipped dangling and looping symbolic links and FIFOs named like
// manifests, so a capture could miss a file without a word. Now each is recorded in the collection record as a
// gap (the capture is partial: `verify` exits 3) naming the path and why; a symlinked directory is followed
// unless it loops back into the walk.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';
import { openBundle } from '../../src/bundle/open.ts';
import { readFileSync } from 'node:fs';
import { KEYS_DIR } from '../unit/bundle/fixture.ts';

const ROUTE = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: shop}\nspec: {parentRefs: [{name: gw}]}\n';

describe('regression: walk-skips-links-and-fifos-silently', () => {
  it.skipIf(process.platform === 'win32')('dangling links, link loops and FIFOs become named gaps; the bundle is partial', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gwe-reg-walk-'));
    copyFileSync(`${KEYS_DIR}collector.test-only.key.pem`, join(cwd, 'signer.pem'));
    copyFileSync(`${KEYS_DIR}collector.pub.pem`, join(cwd, 'pub.pem'));
    mkdirSync(join(cwd, 'dump', 'sub'), { recursive: true });
    writeFileSync(join(cwd, 'dump', 'route.yaml'), ROUTE);
    symlinkSync(join(cwd, 'gone.yaml'), join(cwd, 'dump', 'dangling.yaml'));
    symlinkSync('self.yaml', join(cwd, 'dump', 'self.yaml')); // a link to itself: ELOOP
    symlinkSync(join(cwd, 'dump'), join(cwd, 'dump', 'sub', 'up')); // a directory loop
    execFileSync('mkfifo', [join(cwd, 'dump', 'pipe.json')]);
    writeFileSync(join(cwd, 'dump', 'notes.txt'), 'not a manifest: ignored, as documented\n');

    const io = memoryIO({ cwd });
    expect(await main(['collect', '--from', 'dump', '--out', 'b.tar.gz', '--key', 'signer.pem', '--captured-at', '2026-11-01T00:00:00Z'], io), io.err()).toBe(0);
    const record = openBundle(new Uint8Array(readFileSync(join(cwd, 'b.tar.gz')))).capture.record;
    expect(record.partial).toBe(true);
    expect(record.gaps).toEqual([
      { kind: 'Source', name: 'dump/dangling.yaml', message: 'input "dump/dangling.yaml": a dangling symbolic link (its target does not exist); not read' },
      { kind: 'Source', name: 'dump/pipe.json', message: 'input "dump/pipe.json": a FIFO, not a regular file; not read' },
      { kind: 'Source', name: 'dump/self.yaml', message: 'input "dump/self.yaml": a symbolic link loop; not read' },
      { kind: 'Source', name: 'dump/sub/up', message: 'input "dump/sub/up": a symbolic link to a directory that contains it (a loop); not followed' },
    ]);
    expect(record.sources.map((s) => s.name)).toEqual(['dump/route.yaml']);
    expect(io.out()).toMatch(/gaps {8}4 \(partial capture\)/);
    expect(await main(['verify', 'b.tar.gz', '--key', 'pub.pem'], memoryIO({ cwd }))).toBe(3);
  });
});
