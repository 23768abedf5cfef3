import { escapeText } from '../../model/display.ts';
import { readFile } from 'node:fs/promises';
import type { CommandContext } from '../main.ts';
import { UsageError } from '../../errors.ts';
import { Exit } from '../exit.ts';
import { bundleVerifier, changeHistory, verifyChain, type ChainInput, type ChainReport, type HistoryStep } from '../../chain/index.ts';
import { renderDiffSummary } from '../../diff/render.ts';
import { parseTrust, trustFromPublicKey } from '../../verify/trust.ts';
import type { Severity } from '../../model/finding.ts';
import { absPath } from './diff.ts';
import { capsFromFlags, type CapsFlags } from '../caps.ts';
import { loadPolicy } from '../../policy/load.ts';

export interface ChainFlags extends CapsFlags {
  trust?: string;
  key?: string;
  output?: string;
  policy?: string;
}

/**
 * `gwe verify --chain Q1.tar.gz Q2.tar.gz Q3.tar.gz (--trust t.yaml | --key pub.pem) [--output text|json]`:
 * verifies every bundle, every link and the order of capture times, then prints the change history (one
 * summary diff per consecutive pair). Exit 0 when the chain holds, 2 when it does not.
 */
export async function runChain(files: string[], flags: ChainFlags, ctx: CommandContext): Promise<void> {
  const { io } = ctx;
  if ((flags.trust === undefined) === (flags.key === undefined)) throw new UsageError('verify --chain: expected exactly one of --trust trust.yaml or --key pub.pem');
  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`verify --chain: expected --output text or json, found ${JSON.stringify(output)}`);
  if (files.length < 2) throw new UsageError(`verify --chain: expected at least 2 bundles, oldest first, found ${files.length}`);
  const trust = flags.trust !== undefined ? parseTrust(await readFile(absPath(io, flags.trust), 'utf8'), flags.trust) : trustFromPublicKey(await readFile(absPath(io, flags.key!), 'utf8'), flags.key!);
  const caps = capsFromFlags(flags);
  const policy = flags.policy !== undefined ? loadPolicy(await readFile(absPath(io, flags.policy), 'utf8'), flags.policy) : undefined;
  const inputs: ChainInput[] = [];
  for (const f of files) inputs.push({ name: f, bytes: new Uint8Array(await readFile(absPath(io, f))) });
  const report = verifyChain(inputs, { verify: bundleVerifier({ trust, caps }) });
  // The change history classifies services and lists findings with the policy, when one is given.
  const history = changeHistory(inputs, policy ? { policy } : {}, caps);
  if (output === 'json') {
    io.stdout(`${JSON.stringify({ chain: report, history: history.map((h) => ({ from: h.from, to: h.to, diff: h.diff })) }, null, 2)}\n`);
  } else {
    io.stdout(renderChainText(report, history));
  }
  ctx.exitCode = report.ok ? Exit.OK : Exit.INTEGRITY;
}

export function renderChainText(r: ChainReport, history: HistoryStep[]): string {
  const t = (s: string): string => escapeText(s); // bundle strings, value by value (src/model/display.ts)
  const out: string[] = [];
  out.push(`${r.ok ? 'CHAIN VERIFIED' : 'CHAIN BROKEN: do not trust this history'}  ${r.links.length} bundle(s)`);
  out.push('');
  for (const l of r.links) {
    const link =
      l.index === 0
        ? l.previous
          ? `follows ${l.previous.bundleId} (not given)`
          : 'first'
        : l.linksToPrevious
          ? `links to #${l.index} (${l.linkDigestKind} digest)`
          : r.findings.some((f) => f.code === 'CHAIN_BUNDLE_MISSING' && f.detail?.index === l.index)
            ? `LINK BROKEN: follows ${l.previous?.bundleId ?? '?'}, which was not given (a bundle is missing before this one)`
            : 'LINK BROKEN';
    out.push(`  #${l.index + 1} ${t(l.name)}  ${t(l.bundleId ?? '(unreadable)')}  captured ${t(l.capturedAt ?? '?')}  ${l.verified ? l.verdict : `NOT VERIFIED (${l.verdict})`}  ${t(link)}`);
  }
  if (r.suggestedOrder) out.push('', `the links imply this order: ${r.suggestedOrder.map(t).join(' -> ')}`);
  for (const sev of ['error', 'warning', 'info'] as Severity[]) {
    const list = r.findings.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    out.push('', `${sev === 'error' ? 'errors' : sev === 'warning' ? 'warnings' : 'info'} (${list.length})`);
    for (const f of list) out.push(`  ${t(f.code)}${f.subject ? `  ${t(f.subject)}` : ''}\n    ${t(f.message)}`);
  }
  if (history.length > 0) {
    out.push('', 'change history');
    for (const h of history) {
      out.push(`  ${t(h.from)} (${t(String(h.diff.old.capturedAt))}) -> ${t(h.to)} (${t(String(h.diff.new.capturedAt))})`);
      out.push(...renderDiffSummary(h.diff).trimEnd().split('\n').map((l) => `    ${l}`));
    }
  }
  return out.join('\n') + '\n';
}
