import { describe, expect, it } from 'vitest';
import { detectDnsFormat, parseDnsFile } from '../../../src/dns/parse.ts';
import { InputError } from '../../../src/errors.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('DNS exports', () => {
  it('zone file (dns-zonefile): names made absolute from $ORIGIN, CNAME targets too, TTL defaulted', () => {
    const zone = `$ORIGIN Example.AI.
$TTL 300
@      IN SOA ns1.example.ai. admin.example.ai. ( 1 3600 600 86400 300 )
@      IN NS  ns1.example.ai.
chat   IN A   203.0.113.10
www    IN CNAME chat
*.apps 60 IN A 203.0.113.11
legacy IN CNAME lb.other.net.
v6     IN AAAA 2001:DB8::1
`;
    const r = parseDnsFile('example.ai.zone', enc(zone));
    expect(r.format).toBe('zone');
    expect(r.records.filter((x) => x.type !== 'NS')).toEqual([
      { name: '*.apps.example.ai', type: 'A', value: '203.0.113.11', ttl: 60, source: 'example.ai.zone' },
      { name: 'chat.example.ai', type: 'A', value: '203.0.113.10', ttl: 300, source: 'example.ai.zone' },
      { name: 'legacy.example.ai', type: 'CNAME', value: 'lb.other.net', ttl: 300, source: 'example.ai.zone' },
      { name: 'v6.example.ai', type: 'AAAA', value: '2001:db8::1', ttl: 300, source: 'example.ai.zone' },
      { name: 'www.example.ai', type: 'CNAME', value: 'chat.example.ai', ttl: 300, source: 'example.ai.zone' },
    ]);
  });

  it('a relative name without $ORIGIN is refused, naming the file', () => {
    expect(() => parseDnsFile('bare.zone', enc('chat IN A 192.0.2.1\n'))).toThrow(/bare\.zone.*\$ORIGIN/);
  });

  it('Route 53 list-resource-record-sets JSON, with alias targets and the \\052 wildcard escape', () => {
    const json = JSON.stringify({
      ResourceRecordSets: [
        { Name: 'chat.example.ai.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '203.0.113.10' }] },
        { Name: '\\052.apps.example.ai.', Type: 'A', AliasTarget: { HostedZoneId: 'Z1', DNSName: 'k8s-gw-123.elb.amazonaws.com.', EvaluateTargetHealth: false } },
        { Name: 'www.example.ai.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'chat.example.ai' }] },
      ],
    });
    expect(detectDnsFormat(json)).toBe('route53');
    expect(parseDnsFile('r53.json', enc(json)).records).toEqual([
      { name: '*.apps.example.ai', type: 'ALIAS', value: 'k8s-gw-123.elb.amazonaws.com', source: 'r53.json' },
      { name: 'chat.example.ai', type: 'A', value: '203.0.113.10', ttl: 60, source: 'r53.json' },
      { name: 'www.example.ai', type: 'CNAME', value: 'chat.example.ai', ttl: 300, source: 'r53.json' },
    ]);
  });

  it('external-dns DNSEndpoint objects (YAML list and JSON), other kinds refused', () => {
    const yaml = `apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata: {name: chat, namespace: infra}
spec:
  endpoints:
    - {dnsName: chat.example.ai, recordType: A, recordTTL: 180, targets: [203.0.113.10, 203.0.113.12]}
    - {dnsName: api.example.ai, recordType: CNAME, targets: [chat.example.ai]}
`;
    expect(parseDnsFile('endpoints.yaml', enc(yaml)).records.map((r) => `${r.name} ${r.type} ${r.value}`)).toEqual([
      'api.example.ai CNAME chat.example.ai', 'chat.example.ai A 203.0.113.10', 'chat.example.ai A 203.0.113.12',
    ]);
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'externaldns.k8s.io/v1alpha1', kind: 'DNSEndpoint', spec: { endpoints: [{ dnsName: 'x.example.ai', recordType: 'A', targets: ['192.0.2.9'] }] } }] });
    expect(parseDnsFile('eps.json', enc(list)).format).toBe('external-dns');
    expect(() => parseDnsFile('svc.json', enc(JSON.stringify({ kind: 'Service' })))).toThrow(InputError);
  });

  it('an empty export is refused', () => {
    expect(() => parseDnsFile('empty.zone', enc('$ORIGIN example.ai.\n'))).toThrow(/at least one record/);
  });
});
