import type { Command } from 'commander';
import { isAbsolute, join } from 'node:path';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';
import { InputError, UsageError } from '../../errors.ts';
import { parsePrivateKeyPem, sha256Hex } from '../../crypto/index.ts';
import { readInputText } from '../../io/read.ts';
import { readBundleBytes } from '../read-bundle.ts';
import { writeFileAtomic } from '../../io/atomic.ts';
import { readBundle } from '../../diff/read.ts';
import { createApproval } from '../../approval/index.ts';

/**
 * `gwe approve OLD.tar.gz NEW.tar.gz --key approver.pem [--ticket ID] [--note TEXT] --out approval.json`:
 * signs an approval of the change between two bundles (docs/approvals.md). Both bundles must be intact;
 * the approval is a separate file kept beside the new bundle (no bundle byte changes).
 */
export function registerApprove(program: Command, ctx: CommandContext): void {
  program
    .command('approve')
    .description('sign an approval of the change from OLD to NEW (in-toto Statement in DSSE; checked by verify --chain --approval)')
    .argument('<old>', 'the earlier bundle (.tar.gz)')
    .argument('<new>', 'the later bundle (.tar.gz)')
    .requiredOption('--key <file>', 'approver signing key (ed25519, PKCS#8 PEM); its public key needs role "approver" in the trust file')
    .option('--ticket <id>', 'change ticket id recorded in the approval')
    .option('--note <text>', 'note recorded in the approval')
    .option('--out <file>', 'approval file to write (default: approval.json)')
    .option('--force', 'replace an existing file at --out')
    .action(async (oldFile: string, newFile: string, flags: { key: string; ticket?: string; note?: string; out?: string; force?: boolean }) => {
      const { io } = ctx;
      for (const [flag, v] of [['--ticket', flags.ticket], ['--note', flags.note]] as const) {
        // eslint-disable-next-line no-control-regex
        if (v !== undefined && (v === '' || v.length > 4096 || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(v))) throw new UsageError(`approve: ${flag}: expected 1-4096 characters without control characters, found ${JSON.stringify(v.slice(0, 80))}`);
      }
      const key = parsePrivateKeyPem(await readInputText(flags.key, 'approver key', io.cwd), flags.key);
      const side = async (file: string) => {
        const r = readBundle(await readBundleBytes(file, io.cwd), file); // stat first, capped (issue 8 item 13)
        if (!r.integrityOk || !r.contentDigest) {
          const why = r.findings.filter((f) => f.severity === 'error').map((f) => f.message).slice(0, 3).join('; ');
          throw new InputError('INPUT_INVALID', `${file}: expected an intact bundle to approve, found integrity problems (${why})`, { file });
        }
        return { bundleId: r.bundleId, contentDigest: r.contentDigest, capture: r.capture };
      };
      const oldSide = await side(oldFile);
      const newSide = await side(newFile);
      const approvedAt = new Date(Math.floor(io.now().getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
      const { bytes, statement } = createApproval(oldSide, newSide, key, {
        approvedAt,
        ...(flags.ticket !== undefined ? { ticket: flags.ticket } : {}),
        ...(flags.note !== undefined ? { note: flags.note } : {}),
      });
      const out = flags.out ?? 'approval.json';
      await writeFileAtomic(isAbsolute(out) ? out : join(io.cwd, out), bytes, { mode: 0o644, overwrite: flags.force === true, onInterrupt: io.onInterrupt });
      const d = statement.predicate.diff;
      io.stdout(
        `approved ${oldSide.bundleId} -> ${newSide.bundleId}\n` +
          `  changes   ${d.added} added, ${d.removed} removed, ${d.modified} modified object(s) (diff sha256 ${d.sha256})\n` +
          `  approver  ${key.keyId}${flags.ticket ? `\n  ticket    ${flags.ticket}` : ''}\n` +
          `wrote ${out}\nsha256 ${sha256Hex(bytes)}\n`,
      );
      ctx.exitCode = Exit.OK;
    });
}
