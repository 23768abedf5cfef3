// Issue 13: `gwe report -o sarif --out FILE` writes renderSarifBytes, which skips terminalSafe's scan of the whole
// 62 MiB text when every character is ASCII and none is DEL (JSON.stringify escapes every C0 control). The bytes
// must be exactly what the CLI wrote before: the UTF-8 of terminalSafe(renderSarif(...)). Held here on real
// findings (the report fixtures, with and without a policy and a verification) and on hostile strings in every
// place a bundle's text reaches (messages, subjects, detail keys and values, ids, the cluster name, the bundle id).
import { describe, expect, it } from 'vitest';
import { buildReportModel, type ReportFinding, type ReportInput, type ReportModel } from '../../../src/report/index.ts';
import { renderSarif, renderSarifBytes, type SarifOptions } from '../../../src/report/sarif.ts';
import { terminalSafe } from '../../../src/model/escape.ts';
import { reportTestInput, reportTestPolicy } from '../policy/fixture.ts';

const reference = (m: ReportModel, opts?: SarifOptions): Uint8Array => new TextEncoder().encode(terminalSafe(renderSarif(m, opts)));

function inputs(): [string, ReportInput][] {
  const base = reportTestInput;
  return [
    ['no policy', base()],
    ['policy', { ...base(), policy: reportTestPolicy(), policySource: 'policy.yaml' }],
    ['policy, findings only', { ...base(), policy: reportTestPolicy(), policySource: 'policy.yaml', findingsOnly: true }],
  ];
}

const OPTS: SarifOptions = {
  artifactUri: 'out/q%201.tar.gz',
  objectFiles: new Map([['Gateway.gateway.networking.k8s.io/infra/public', 'data/objects/gateway.networking.k8s.io/gateway/infra/public.json']]),
  objectKeys: new Map([['Gateway infra/public', 'Gateway.gateway.networking.k8s.io/infra/public']]),
};

// Every kind of character terminalSafe or JSON.stringify treats specially, and plain non-ASCII.
const HOSTILE = [
  'quote " backslash \\ slash /',
  'C0 \u0000\u0001\u0007\b\f\u000b\u001b[2J\u001f newline \n tab \t return \r',
  'DEL \u007f',
  'C1 \u0080\u009b\u009f NBSP \u00a0 soft hyphen \u00ad',
  'separators \u2028 \u2029',
  'bidi \u202e\u2066 zero width \u200b\u200d BOM \ufeff tag \u{e0041}',
  'lone surrogates \ud800 x \udfff and a pair \ud83d\ude00',
  'non-ASCII café 東京 ß',
];

function hostileFindings(m: ReportModel): ReportFinding[] {
  const f0 = m.findings[0]!;
  return HOSTILE.map((s, i) => ({
    ...f0,
    id: `F${i + 1}`,
    code: i % 2 === 0 ? f0.code : `CODE_${s}`,
    message: `message ${s}`,
    subject: `HTTPRoute ns/${s}`,
    object: `HTTPRoute ns/${s}`,
    detail: { [`key ${s}`]: s, list: [s, i, null, true, { deep: [s] }], objects: [`Service/ns/${s}`], empty: {}, none: [] },
  }));
}

describe('renderSarifBytes: the bytes the CLI wrote (UTF-8 of terminalSafe(renderSarif))', () => {
  for (const [name, input] of inputs()) {
    it(`real findings: ${name}`, () => {
      const m = buildReportModel(input);
      expect(m.findings.length).toBeGreaterThan(0);
      // The fixtures' text is ASCII: the fast path (no terminalSafe scan) is the one taken here.
      expect(/^[\x20-\x7e\n]*$/.test(renderSarif(m, OPTS))).toBe(true);
      expect(renderSarifBytes(m, OPTS)).toEqual(reference(m, OPTS));
      expect(renderSarifBytes(m)).toEqual(reference(m));
    });
  }

  it('hostile strings in messages, subjects, codes and detail keys and values', () => {
    const m = buildReportModel(inputs()[1]![1]);
    for (const s of HOSTILE) {
      const one = { ...m, findings: hostileFindings(m).filter((f) => f.message === `message ${s}`) };
      expect(renderSarifBytes(one, OPTS)).toEqual(reference(one, OPTS));
    }
    const all = { ...m, findings: [...m.findings, ...hostileFindings(m)] };
    const bytes = renderSarifBytes(all, OPTS);
    expect(bytes).toEqual(reference(all, OPTS));
    // What a terminal must never get raw is escaped, and the text still parses to the same strings.
    const text = new TextDecoder().decode(bytes);
    expect(text).not.toMatch(/[\u007f\u0080-\u009f\u2028\u2029\u202e\ufeff]/);
    expect(text).toContain('\\u007f');
    const parsed = JSON.parse(text) as { runs: { results: { message: { text: string } }[] }[] };
    expect(parsed.runs[0]!.results.map((r) => r.message.text)).toContain('message DEL \u007f');
  });

  it('DEL alone (an ASCII text terminalSafe still changes) and a hostile cluster name and bundle id', () => {
    const m = buildReportModel(inputs()[0]![1]);
    const del = { ...m, findings: m.findings.map((f, i) => (i === 0 ? { ...f, message: `${f.message}\u007f` } : f)) };
    expect(renderSarifBytes(del)).toEqual(reference(del));
    expect(new TextDecoder().decode(renderSarifBytes(del))).toContain('\\u007f');
    for (const s of HOSTILE) {
      const named = { ...m, bundle: { ...m.bundle, id: `gwe-${s}`, cluster: { ...m.bundle.cluster, name: s } } };
      expect(renderSarifBytes(named, OPTS)).toEqual(reference(named, OPTS));
    }
  });

  it('a run without results', () => {
    const m = buildReportModel(inputs()[0]![1]);
    const empty = { ...m, findings: [] };
    expect(renderSarifBytes(empty)).toEqual(reference(empty));
  });
});
