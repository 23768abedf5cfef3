// parseManifestFile's JSON fast path (issue 13): text that is exactly its own re-serialisation skips the strict
// text scan and the value walk. Differential: the same document written compact (always the scan) and pretty
// (the fast path when it applies) must give the same value or the same refusal, for plain and hostile input.
import { describe, expect, it } from 'vitest';
import { hasDigitRun, parseManifestFile } from '../../../src/collector/parse.ts';
import { InputError } from '../../../src/errors.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function outcome(text: string): { value: unknown } | { error: string } {
  try {
    const docs = parseManifestFile('in.json', enc(text));
    return { value: docs.map((d) => d.value) };
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return { error: (e as Error).message };
  }
}

/** A kubectl-like List: nested objects, arrays, numbers, escapes, HTML characters, non-ASCII, empty containers. */
const list = {
  apiVersion: 'v1',
  kind: 'List',
  metadata: { resourceVersion: '' },
  items: [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'n', labels: { 'a/b': 'x<y>&z', e: '' }, annotations: { note: 'line\nbreak "quoted" \\ tab\t \u2028 é 日本' } },
      spec: { parentRefs: [{ name: 'gw', port: 443 }], hostnames: [], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 's', port: 8080, weight: 0.5 }], filters: [] }], empty: {} },
      status: { parents: [] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { ports: [{ port: 9007199254740991 }, { port: -1 }, { port: 1.5e-7 }, { port: 1e21 }] } },
  ],
};

/** Go's encoding/json HTML-safe escaping, as kubectl writes it. */
const goEscape = (s: string): string => s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('parseManifestFile: JSON fast path and strict scan agree', () => {
  const layouts = (text: string): string[] => {
    const v: unknown = JSON.parse(text);
    return [JSON.stringify(v), JSON.stringify(v, null, 2), `${JSON.stringify(v, null, 2)}\n`, `${JSON.stringify(v, null, 4)}\n`, goEscape(`${JSON.stringify(v, null, 4)}\n`)];
  };

  it('gives the same value for a kubectl-like List in every layout (compact, 2 and 4 spaces, Go escaping)', () => {
    const want = outcome(JSON.stringify(list));
    expect('value' in want).toBe(true);
    for (const text of layouts(JSON.stringify(list))) expect(outcome(text)).toEqual(want);
  });

  it('keeps a "__proto__" member as a plain own member on the fast path, as the scan path does', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {\n    "name": "a",\n    "labels": {\n      "__proto__": "x"\n    }\n  }\n}\n';
    const r = outcome(text) as { value: Array<Record<string, Record<string, Record<string, unknown>>>> };
    const labels = r.value[0]!['metadata']!['labels']!;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(r).toEqual(outcome(text.replace(/\n */g, '')));
  });

  // Hostile documents written pretty (2 spaces, the layout the fast path accepts): each must be refused exactly
  // as its compact form is.
  const cases: Record<string, string> = {
    'duplicate key': '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "kind": "Service",\n  "metadata": {\n    "name": "a"\n  }\n}\n',
    'duplicate key spelled with an escape': '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {\n    "name": "a",\n    "n\\u0061me": "b"\n  }\n}\n',
    'integer 2^53 (prints the same, still unsafe)': '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {\n    "name": "a"\n  },\n  "spec": {\n    "port": 9007199254740992\n  }\n}\n',
    'integer above 2^53 (rounded)': '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {\n    "name": "a"\n  },\n  "spec": {\n    "port": 9007199254740993\n  }\n}\n',
    'negative integer beyond -(2^53-1)': '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {\n    "name": "a"\n  },\n  "spec": {\n    "port": -9007199254740992\n  }\n}\n',
    'number overflowing to Infinity': '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {\n    "name": "a"\n  },\n  "spec": {\n    "port": 1e400\n  }\n}\n',
    'lone high surrogate escape (lower case)': '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {\n    "name": "\\ud800"\n  }\n}\n',
    'lone low surrogate escape (upper case) in a key': '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {\n    "name": "a",\n    "labels": {\n      "\\uDC00": "x"\n    }\n  }\n}\n',
    'a surrogate pair (valid)': '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {\n    "name": "\\ud83d\\ude00"\n  }\n}\n',
    'top-level list': '[\n  1\n]\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: same outcome pretty and compact`, () => {
      const compact = JSON.stringify(JSON.parse(text)) === text ? text : text.replace(/\n */g, '').replace(/": /g, '":');
      expect(outcome(text)).toEqual(outcome(compact));
    });
  }

  it('refuses nesting deeper than MAX_JSON_DEPTH on the fast-path layout as the scan does, and accepts the limit itself', () => {
    const nest = (depth: number): string => {
      let v: unknown = 'x';
      for (let i = 0; i < depth - 1; i++) v = { a: v };
      return `${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: v }, null, 2)}\n`;
    };
    // nest(n): the root plus n - 1 containers under data, n levels in all; 512 is the limit.
    const atLimit = outcome(nest(512));
    expect('value' in atLimit).toBe(true);
    expect(atLimit).toEqual(outcome(JSON.stringify(JSON.parse(nest(512)))));
    const over = outcome(nest(513));
    expect(over).toEqual({ error: expect.stringContaining('nested at most 512 levels deep') });
    expect(over).toEqual(outcome(JSON.stringify(JSON.parse(nest(513)))));
    // An empty container one level too deep sits on a line indented 512 levels.
    const emptyDeep = nest(512).replace('"x"', '{}');
    expect(outcome(emptyDeep)).toEqual(outcome(JSON.stringify(JSON.parse(emptyDeep))));
    expect(outcome(emptyDeep)).toEqual({ error: expect.stringContaining('nested at most 512 levels deep') });
  });
});

describe('hasDigitRun (the fast path\'s 16-digit check)', () => {
  it('says exactly what /[0-9]{n}/ says, for runs at every offset and length around n', () => {
    let seed = 7;
    const rnd = (k: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % k);
    const alphabet = '0123456789012345678901234567890123456789ab :",\n-.e';
    for (let i = 0; i < 4000; i++) {
      const n = 8 + rnd(12);
      let s = '';
      for (let len = rnd(80); s.length < len; ) s += rnd(4) === 0 ? '7'.repeat(rnd(n + 3)) : alphabet[rnd(alphabet.length)]!;
      expect(hasDigitRun(s, n)).toBe(new RegExp(`[0-9]{${n}}`).test(s));
    }
    expect(hasDigitRun('1'.repeat(16), 16)).toBe(true);
    expect(hasDigitRun(`x${'1'.repeat(15)}y${'2'.repeat(15)}`, 16)).toBe(false);
    expect(hasDigitRun(`${'x'.repeat(9)}${'1'.repeat(16)}`, 16)).toBe(true);
    expect(() => hasDigitRun('123', 7)).toThrow(RangeError);
  });
});
