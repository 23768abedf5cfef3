// Signed bundles of synthetic clusters for the diff and chain benchmarks (bench/synthetic.mjs, collected with the
// built library's collect(): the path `gwe collect --from` takes). Quarter q of a cluster is the same cluster with
// 1 route in 20 moved to another Service and its capture time three months later; each quarter links to the
// one before (`collect --previous`). Imports dist/ (run `npx tsc -p tsconfig.json` first).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCluster } from './synthetic.mjs';

const dist = new URL('../dist/', import.meta.url);

const gweBin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gwe.js');
const hasTime = existsSync('/usr/bin/time');

/** The value after `--name` on this process's command line, else `dflt`. */
export function option(name, dflt) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
}

/**
 * Runs the built CLI in its own process (start-up included): wall ms and peak RSS in KiB (from /usr/bin/time when
 * present, else NaN). An exit status outside `ok` is a failure of the bench, with the command's stderr.
 */
export function gweCli(argv, ok = [0]) {
  const t = process.hrtime.bigint();
  const r = hasTime ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, gweBin, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(process.execPath, [gweBin, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!ok.includes(r.status)) throw new Error(`gwe ${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { ms, rssKb: hasTime ? Number(r.stderr.trim().split('\n').pop()) : NaN };
}

/** Writes quarters 1..n of an `routes`-route cluster into `dir`; returns { files, pubFile }. */
export async function quarterBundles(routes, n, dir) {
  const { collect } = await import(new URL('collect.js', dist).href);
  const crypto = await import(new URL('crypto/index.js', dist).href);
  const key = crypto.signingKeyFromSeed(new Uint8Array(32).fill(7));
  const pubFile = join(dir, 'signer.pub.pem');
  const keyFile = join(dir, 'signer.key.pem');
  writeFileSync(pubFile, crypto.publicKeyPem(key.publicKey));
  writeFileSync(keyFile, crypto.privateKeyPem(key), { mode: 0o600 });
  const files = [];
  for (let q = 1; q <= n; q++) {
    const dump = join(dir, `cluster-${routes}-q${q}`);
    const gen = generateCluster(routes, dump);
    if (q > 1) {
      // Quarter q: every 20th route (offset by the quarter) sends its traffic to the next route's Service.
      for (const f of gen.files.filter((x) => /httproutes-/.test(x))) {
        const list = JSON.parse(readFileSync(f, 'utf8'));
        list.items.forEach((r, i) => {
          if (i % 20 === q % 20) r.spec.rules[0].backendRefs[0].name = `svc-${(Number(r.metadata.name.slice(6)) + 1) % routes}`;
        });
        writeFileSync(f, JSON.stringify(list, null, 2) + '\n');
      }
    }
    const out = join(dir, `q${q}-${routes}.tar.gz`);
    const month = String(1 + 3 * (q - 1)).padStart(2, '0');
    await collect({ from: gen.files, out, keyFile, capturedAt: `2026-${month}-01T00:00:00Z`, overwrite: true, ...(q > 1 ? { previous: files[q - 2] } : {}) });
    rmSync(dump, { recursive: true, force: true });
    files.push(out);
  }
  return { files, pubFile };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `tar -xzf FILE -O | sha256sum` for each file, one after the other, timed (ms) as one floor measurement. */
export async function tarFloor(files) {
  const { execFileSync } = await import('node:child_process');
  const t = process.hrtime.bigint();
  for (const f of files) execFileSync('bash', ['-c', `tar -xzf '${f}' -O | sha256sum >/dev/null`]);
  return Number(process.hrtime.bigint() - t) / 1e6;
}
