import { describe, expect, it } from 'vitest';
import { dnsCrosschecks, hostnameMatches, resolveName, indexRecords } from '../../../src/dns/checks.ts';
import type { DnsRecord } from '../../../src/model/operational.ts';
import type { Resolution, RoutingEntry } from '../../../src/resolve/types.ts';

const rec = (name: string, type: string, value: string): DnsRecord => ({ name, type, value, source: 'z.zone' });
const route = { kind: 'HTTPRoute', namespace: 'apps', name: 'r', servesTraffic: true, precedence: 0, rules: [] };
function entry(gw: string, listener: string, addresses: string[], hostnames: string[], listenerHostname?: string): RoutingEntry {
  return {
    gateway: { namespace: 'infra', name: gw }, listener, port: 443, protocol: 'HTTPS', listenerAccepted: true, listenerProgrammed: true, certificateRefs: [], addresses,
    hostnames: hostnames.map((h) => ({ hostname: h, routes: [route] })), ...(listenerHostname ? { listenerHostname } : {}),
  };
}
const resolution = (routing: RoutingEntry[]): Resolution => ({ gatewayClasses: [], gateways: [], routes: [], routing, findings: [] });

describe('DNS cross-checks', () => {
  const routing = [
    entry('public', 'https', ['203.0.113.10', 'lb-1.elb.example.net'], ['chat.example.ai', 'api.example.ai', 'nodns.example.ai', 'moved.example.ai', 'elsewhere.example.ai']),
    entry('public', 'apps', ['203.0.113.10'], ['a.apps.example.ai'], '*.apps.example.ai'),
    entry('other', 'https', ['203.0.113.20'], ['other.example.ai']),
    entry('internal', 'http', ['10.0.0.5'], ['internal.example.ai']),
  ];
  const records = [
    rec('chat.example.ai', 'A', '203.0.113.10'),
    rec('api.example.ai', 'CNAME', 'lb-1.elb.example.net'),
    rec('moved.example.ai', 'A', '203.0.113.20'),
    rec('elsewhere.example.ai', 'CNAME', 'cdn.example.org'),
    rec('cdn.example.org', 'A', '198.51.100.7'),
    rec('old.example.ai', 'A', '203.0.113.10'),
    rec('b.apps.example.ai', 'A', '203.0.113.10'),
    rec('a.apps.example.ai', 'A', '203.0.113.10'),
    rec('other.example.ai', 'A', '203.0.113.20'),
  ];
  const f = dnsCrosschecks(records, resolution(routing));
  const by = (code: string) => f.filter((x) => x.code === code).map((x) => x.subject);

  it('names a served hostname without a record, resolving to another Gateway, and to an address no Gateway owns', () => {
    expect(by('DNS_HOSTNAME_NO_RECORD')).toEqual(['nodns.example.ai']);
    expect(by('DNS_HOSTNAME_OTHER_GATEWAY')).toEqual(['moved.example.ai']);
    expect(by('DNS_ADDRESS_UNOWNED')).toEqual(['elsewhere.example.ai']);
    const m = f.find((x) => x.code === 'DNS_ADDRESS_UNOWNED')!.message;
    expect(m).toContain('Gateway infra/public listener https');
    expect(m).toContain('elsewhere.example.ai -> cdn.example.org');
  });

  it('a name pointing at a Gateway that serves it nowhere is dangling; under a wildcard listener it is unrouted', () => {
    // moved.example.ai points at Gateway other, which does not serve it either (misdirection)
    expect(by('DNS_NAME_DANGLING')).toEqual(['moved.example.ai', 'old.example.ai']);
    expect(f.find((x) => x.code === 'DNS_NAME_DANGLING' && x.subject === 'old.example.ai')!.message).toContain('from z.zone');
    expect(by('DNS_WILDCARD_UNROUTED')).toEqual(['b.apps.example.ai']);
  });

  it('CNAME to the Gateway address hostname counts; private-address Gateways are not checked for missing records', () => {
    expect(f.some((x) => x.subject === 'api.example.ai' || x.subject === 'chat.example.ai' || x.subject === 'internal.example.ai' || x.subject === 'other.example.ai')).toBe(false);
  });

  it('resolution follows CNAMEs, stops on loops, and uses DNS wildcards', () => {
    const idx = indexRecords([rec('a.x', 'CNAME', 'b.x'), rec('b.x', 'CNAME', 'a.x'), rec('*.w.x', 'A', '192.0.2.1')]);
    expect(resolveName('a.x', idx)).toEqual({ found: true, chain: ['a.x', 'b.x'], addresses: [] });
    expect(resolveName('q.w.x', idx).addresses).toEqual(['192.0.2.1']);
    expect(hostnameMatches('*.example.ai', 'a.b.example.ai')).toBe(true);
    expect(hostnameMatches('*.example.ai', 'example.ai')).toBe(false);
    expect(hostnameMatches('*.example.ai', '*.apps.example.ai')).toBe(true);
    expect(hostnameMatches('a.example.ai', '*.example.ai')).toBe(false);
  });
});
