/** `gwe collect` flags of the operational record (issue 9), shared by the files and the live path. */
import type { Command } from 'commander';
import type { OperationalOptions } from '../collector/operational.ts';
import type { AuditProgress } from '../collector/audit.ts';
import type { IO } from './io.ts';

export interface OperationalFlags {
  auditLog?: string[];
  auditSince?: string;
  auditUntil?: string;
  dns?: string[];
  attach?: string[];
  quiet?: boolean;
}

export function addOperationalOptions(cmd: Command): Command {
  return cmd
    .option('--audit-log <file...>', 'Kubernetes audit log (audit.k8s.io/v1 Event JSON lines, plain or gzip; repeatable): change history and owners')
    .option('--audit-since <rfc3339>', 'start of the audit window (default: the --previous bundle\'s capture time)')
    .option('--audit-until <rfc3339>', 'end of the audit window (default: the capture time)')
    .option('--dns <file...>', 'DNS evidence: RFC 1035 zone file, Route 53 or external-dns export (repeatable)')
    .option('--attach <spec...>', 'FILE[:media-type]: supporting evidence kept byte for byte, never parsed (repeatable)');
}

/** Flags -> OperationalOptions, with audit progress on a terminal (stderr, one updating line). */
export function operationalOptions(flags: OperationalFlags, io: IO): { options: OperationalOptions; endProgress: () => void } {
  let shown = false;
  const options: OperationalOptions = {};
  if (flags.auditLog) options.auditLogs = flags.auditLog;
  if (flags.auditSince !== undefined) options.auditSince = flags.auditSince;
  if (flags.auditUntil !== undefined) options.auditUntil = flags.auditUntil;
  if (flags.dns) options.dns = flags.dns;
  if (flags.attach) options.attach = flags.attach;
  // The status line is the one output allowed terminal controls (cli/io.ts statusLine); only on a terminal.
  if (io.stderrIsTTY && flags.quiet !== true && io.statusLine !== undefined) {
    options.onAuditProgress = (p: AuditProgress) => {
      shown = true;
      const pct = p.bytesTotal > 0 ? ` ${Math.floor((100 * p.bytesRead) / p.bytesTotal)}%` : '';
      io.statusLine?.(`collect: audit log ${p.file}${pct}, ${p.lines} lines`);
    };
  }
  return {
    options,
    endProgress: () => {
      if (shown) io.statusLine?.('');
      shown = false;
    },
  };
}
