// Writes dist/build-info.json ({ commit }) for `gwe version`: the git commit the package was built from,
// or "unknown" outside a git checkout (e.g. an npm tarball built elsewhere keeps the file it was built with).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const out = new URL('../dist/build-info.json', import.meta.url);
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
} catch {
  if (existsSync(out)) process.exit(0); // keep what an earlier build recorded
}
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
const next = `${JSON.stringify({ commit })}\n`;
if (!existsSync(out) || readFileSync(out, 'utf8') !== next) writeFileSync(out, next);
