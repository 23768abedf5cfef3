/**
 * DNS exports -> normalised records (issue 9). Pure. Formats (docs/operational-record.md):
 *   zone          RFC 1035 master file, parsed with the dns-zonefile library (not by hand)
 *   route53       `aws route53 list-resource-record-sets` JSON ({ResourceRecordSets: [...]}, alias targets included)
 *   external-dns  external-dns DNSEndpoint objects (externaldns.k8s.io/v1alpha1), JSON or YAML, single or a List
 * Names are made absolute (zone: relative to $ORIGIN), lower case, without the trailing dot.
 */
import zonefile from 'dns-zonefile';
import { parseAllDocuments } from 'yaml';
import { compareStrings } from '../model/object.ts';
import type { DnsFormat, DnsRecord } from '../model/operational.ts';
import { InputError } from '../errors.ts';

export const DNS_FORMATS: readonly DnsFormat[] = ['zone', 'route53', 'external-dns'];

/** Absolute, lower-case name without the trailing dot. `@` and relative names are completed with `origin`. */
export function absoluteName(name: string, origin: string | undefined, file: string): string {
  const n = name.trim().toLowerCase();
  if (n === '@') {
    if (!origin) throw new InputError('INPUT_INVALID', `DNS file "${file}": expected $ORIGIN for the name "@", found none`, { file });
    return stripDot(origin.toLowerCase());
  }
  if (n.endsWith('.')) return stripDot(n);
  if (!origin) throw new InputError('INPUT_INVALID', `DNS file "${file}": expected $ORIGIN for the relative name ${JSON.stringify(name)}, found none`, { file });
  const o = stripDot(origin.toLowerCase());
  return o === '' ? n : `${n}.${o}`;
}

function stripDot(n: string): string {
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Which format a DNS export is in, from its content. */
export function detectDnsFormat(text: string): DnsFormat {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return 'zone';
    }
    if (isObj(v) && Array.isArray(v['ResourceRecordSets'])) return 'route53';
    return 'external-dns';
  }
  if (/^(apiVersion|kind):/m.test(t) && /externaldns\.k8s\.io/.test(t)) return 'external-dns';
  return 'zone';
}

/**
 * Parses one DNS export. Records are sorted (name, type, value) and tagged with `file` as their source.
 * @throws InputError naming the file when it is not in the format, or holds no record.
 */
export function parseDnsFile(file: string, bytes: Uint8Array, format?: DnsFormat): { format: DnsFormat; records: DnsRecord[] } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('INPUT_INVALID', `DNS file "${file}": expected UTF-8 text, found invalid UTF-8`, { file });
  }
  const f = format ?? detectDnsFormat(text);
  const records = f === 'zone' ? parseZone(file, text) : f === 'route53' ? parseRoute53(file, text) : parseExternalDns(file, text);
  if (records.length === 0) throw new InputError('INPUT_INVALID', `DNS file "${file}": expected at least one record (${f} format), found none`, { file });
  return { format: f, records: sortRecords(records) };
}

export function sortRecords(records: DnsRecord[]): DnsRecord[] {
  return records.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.type, b.type) || compareStrings(a.value, b.value) || compareStrings(a.source, b.source));
}

type ZoneRow = Record<string, unknown> & { name: string; ttl?: number };

function parseZone(file: string, text: string): DnsRecord[] {
  let z: Record<string, unknown>;
  try {
    z = zonefile.parse(text) as unknown as Record<string, unknown>;
  } catch (e) {
    throw new InputError('INPUT_INVALID', `DNS file "${file}": expected an RFC 1035 zone file, found a parse error (${(e as Error).message})`, { file });
  }
  const origin = typeof z['$origin'] === 'string' ? z['$origin'] : undefined;
  const defaultTtl = z['$ttl'] !== undefined && Number.isFinite(Number(z['$ttl'])) ? Number(z['$ttl']) : undefined;
  const out: DnsRecord[] = [];
  const add = (type: string, row: ZoneRow, value: string): void => {
    const r: DnsRecord = { name: absoluteName(row.name, origin, file), type, value, source: file };
    const ttl = row.ttl ?? defaultTtl;
    if (typeof ttl === 'number' && Number.isFinite(ttl)) r.ttl = ttl;
    out.push(r);
  };
  const rows = (k: string): ZoneRow[] => (Array.isArray(z[k]) ? (z[k] as ZoneRow[]).filter((r) => isObj(r) && typeof r.name === 'string') : []);
  for (const r of rows('a')) add('A', r, String(r['ip']));
  for (const r of rows('aaaa')) add('AAAA', r, String(r['ip']).toLowerCase());
  for (const r of rows('cname')) add('CNAME', r, absoluteName(String(r['alias']), origin, file));
  for (const r of rows('ns')) add('NS', r, absoluteName(String(r['host']), origin, file));
  for (const r of rows('mx')) add('MX', r, `${String(r['preference'])} ${absoluteName(String(r['host']), origin, file)}`);
  for (const r of rows('txt')) add('TXT', r, String(r['txt']));
  for (const r of rows('srv')) add('SRV', r, `${String(r['priority'])} ${String(r['weight'])} ${String(r['port'])} ${absoluteName(String(r['target']), origin, file)}`);
  for (const r of rows('caa')) add('CAA', r, `${String(r['flags'])} ${String(r['tag'])} ${String(r['value'])}`);
  return out;
}

function parseRoute53(file: string, text: string): DnsRecord[] {
  const v = JSON.parse(text) as Record<string, unknown>;
  const out: DnsRecord[] = [];
  (v['ResourceRecordSets'] as unknown[]).forEach((set, i) => {
    if (!isObj(set) || typeof set['Name'] !== 'string' || typeof set['Type'] !== 'string') {
      throw new InputError('INPUT_INVALID', `DNS file "${file}": ResourceRecordSets[${i}]: expected {Name, Type}, found another shape`, { file });
    }
    // Route 53 escapes `*` as \052 in names (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html).
    const name = absoluteName(set['Name'].replace(/\\052/g, '*').replace(/\.?$/, '.'), undefined, file);
    const type = set['Type'].toUpperCase();
    const ttl = typeof set['TTL'] === 'number' ? set['TTL'] : undefined;
    const push = (t: string, value: string): void => {
      out.push({ name, type: t, value, source: file, ...(ttl !== undefined ? { ttl } : {}) });
    };
    const alias = set['AliasTarget'];
    if (isObj(alias) && typeof alias['DNSName'] === 'string') {
      push('ALIAS', absoluteName(alias['DNSName'].replace(/\.?$/, '.'), undefined, file));
      return;
    }
    for (const rr of Array.isArray(set['ResourceRecords']) ? set['ResourceRecords'] : []) {
      if (!isObj(rr) || typeof rr['Value'] !== 'string') continue;
      const value = rr['Value'];
      push(type, type === 'CNAME' ? absoluteName(value.replace(/\.?$/, '.'), undefined, file) : type === 'AAAA' ? value.toLowerCase() : value);
    }
  });
  return out;
}

function parseExternalDns(file: string, text: string): DnsRecord[] {
  let docs: unknown[];
  try {
    docs = parseAllDocuments(text).map((d) => {
      if (d.errors.length > 0) throw new Error(d.errors[0]!.message);
      return d.toJS();
    });
  } catch (e) {
    throw new InputError('INPUT_INVALID', `DNS file "${file}": expected external-dns DNSEndpoint objects (JSON or YAML), found a parse error (${(e as Error).message})`, { file });
  }
  const endpoints: unknown[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isObj(v)) return;
    if (Array.isArray(v['items'])) return (v['items'] as unknown[]).forEach(visit);
    if (v['kind'] === 'DNSEndpoint' && isObj(v['spec']) && Array.isArray(v['spec']['endpoints'])) endpoints.push(...(v['spec']['endpoints'] as unknown[]));
    else throw new InputError('INPUT_INVALID', `DNS file "${file}": expected DNSEndpoint objects (externaldns.k8s.io/v1alpha1, spec.endpoints), found ${typeof v['kind'] === 'string' ? `a ${v['kind']}` : 'another shape'}`, { file });
  };
  docs.forEach(visit);
  const out: DnsRecord[] = [];
  for (const ep of endpoints) {
    if (!isObj(ep) || typeof ep['dnsName'] !== 'string' || typeof ep['recordType'] !== 'string' || !Array.isArray(ep['targets'])) continue;
    const name = absoluteName(ep['dnsName'].replace(/\.?$/, '.'), undefined, file);
    const type = ep['recordType'].toUpperCase();
    const ttl = typeof ep['recordTTL'] === 'number' ? ep['recordTTL'] : undefined;
    for (const t of ep['targets']) {
      if (typeof t !== 'string') continue;
      const value = type === 'CNAME' ? absoluteName(t.replace(/\.?$/, '.'), undefined, file) : type === 'AAAA' ? t.toLowerCase() : t;
      out.push({ name, type, value, source: file, ...(ttl !== undefined ? { ttl } : {}) });
    }
  }
  return out;
}
