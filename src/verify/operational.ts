/**
 * The verifier's checks of the operational record (format v2, issue 9): audit cross-checks (src/audit/checks.ts),
 * DNS records recomputed from the stored exports and cross-checked against the recomputed routing table
 * (src/dns/). Attachments are never parsed: their digests and listing are checked by the bundle layout and
 * the private-key scan covers them like every payload file.
 */
import type { Capture } from '../model/collection.ts';
import type { Finding } from '../model/finding.ts';
import type { Resolution } from '../resolve/types.ts';
import { canonicalize } from '../bundle/canonical.ts';
import { DNS_RECORDS } from '../bundle/operational.ts';
import { auditAnalysis } from '../audit/checks.ts';
import { dnsCrosschecks } from '../dns/checks.ts';
import { parseDnsFile, sortRecords } from '../dns/parse.ts';
import type { DnsRecord } from '../model/operational.ts';

export function operationalFindings(capture: Capture, resolution: Resolution): Finding[] {
  const findings = auditAnalysis(capture);
  const dns = capture.evidence?.dns;
  if (dns) {
    const recomputed: DnsRecord[] = [];
    let parsed = true;
    for (const f of dns.files) {
      try {
        recomputed.push(...parseDnsFile(f.name, f.bytes, f.format).records);
      } catch (e) {
        parsed = false;
        findings.push({ code: 'DNS_FILE_INVALID', severity: 'error', subject: f.name, message: (e as Error).message });
      }
    }
    if (parsed && canonicalize(sortRecords(recomputed)) !== canonicalize(dns.records)) {
      findings.push({ code: 'DNS_RECORDS_MISMATCH', severity: 'error', subject: DNS_RECORDS, message: `${DNS_RECORDS}: expected the records parsed from the DNS files in the bundle, found different records; cross-checks use the files` });
    }
    findings.push(...dnsCrosschecks(parsed ? recomputed : dns.records, resolution));
  }
  return findings;
}
