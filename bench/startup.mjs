#!/usr/bin/env node
// Start-up benchmark (issue 13): `gwe --version`, `gwe version` and `gwe verify --help` (a command's own
// module graph) against the floor `node -e 0`, measured alternately in the same run. Each figure is the median
// over --runs of wall time and of CPU time (user + system, from /usr/bin/time when present, else wall only),
// with peak RSS.
//
//   npx tsc -p tsconfig.json && node bench/startup.mjs [--runs 15]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const gwe = join(here, '..', 'bin', 'gwe.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const runs = Number(opt('runs', '15'));
const hasTime = existsSync('/usr/bin/time');

const CASES = [
  { label: 'node -e 0 (floor)', argv: ['-e', '0'] },
  { label: 'gwe --version', argv: [gwe, '--version'] },
  { label: 'gwe version', argv: [gwe, 'version'] },
  { label: 'gwe verify --help', argv: [gwe, 'verify', '--help'] },
];

function once(argv) {
  const t = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...argv], { encoding: 'utf8' })
    : spawnSync(process.execPath, argv, { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (!hasTime) return { wall, cpu: NaN, rssKb: NaN };
  const [u, s, m] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (u + s) * 1000, rssKb: m };
}

const loadStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const samples = CASES.map(() => []);
for (let i = 0; i < runs + 1; i++) {
  // Alternate the cases within each round so load changes hit all of them alike; round 0 warms the disk cache.
  CASES.forEach((c, j) => {
    const s = once(c.argv);
    if (i > 0) samples[j].push(s);
  });
}
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
const rows = CASES.map((c, j) => ({ label: c.label, wall: median(samples[j].map((s) => s.wall)), cpu: median(samples[j].map((s) => s.cpu)), rssKb: median(samples[j].map((s) => s.rssKb)) }));
const floor = rows[0];
console.log(`start-up benchmark: node ${process.version}, ${runs} runs, medians, load average at start ${loadStart}, at end ${load}, ${cpus().length} cores\n`);
console.log('| command | wall ms | wall / floor | CPU ms (user+sys) | CPU / floor | peak RSS MiB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.wall.toFixed(0)} | ${(r.wall / floor.wall).toFixed(2)}x | ${Number.isNaN(r.cpu) ? 'n/a' : r.cpu.toFixed(0)} | ${Number.isNaN(r.cpu) ? 'n/a' : `${(r.cpu / floor.cpu).toFixed(2)}x`} | ${Number.isNaN(r.rssKb) ? 'n/a' : (r.rssKb / 1024).toFixed(0)} |`);
}
