/**
 * Parses and validates a policy file (YAML or JSON) into a Policy. Pure over text: the CLI reads the file.
 * Every schema error is reported at once, each with its JSON pointer in the file and, for YAML, its line.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import { SERVICE_TYPES } from './types.ts';
import { POLICY_SCHEMA } from './schema.ts';
import type { Policy } from './types.ts';

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    validator = ajv.compile(POLICY_SCHEMA as unknown as Record<string, unknown>);
  }
  return validator;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** One ajv error -> `pointer: expected ..., found ...`. Returns undefined for errors that only wrap others. */
function describe(e: ErrorObject, root: unknown): { pointer: string; message: string } | undefined {
  const p = e.instancePath;
  const found = valueAt(root, p);
  switch (e.keyword) {
    case 'if':
      return undefined; // "must match then schema": the then-branch errors say what is wrong
    case 'type':
      return { pointer: p, message: `expected ${String(e.params.type)}, found ${typeName(found)}` };
    case 'required':
      return { pointer: `${p}/${String(e.params.missingProperty)}`, message: 'expected a value, found none (required)' };
    case 'additionalProperties':
      return { pointer: `${p}/${String(e.params.additionalProperty)}`, message: 'expected no such property, found one (unknown field)' };
    case 'enum':
      return {
        pointer: p,
        message: `expected one of ${(e.params.allowedValues as unknown[]).map((v) => show(v)).join(', ')}, found ${show(found)}`,
      };
    case 'const':
      return { pointer: p, message: `expected ${show(e.params.allowedValue)}, found ${show(found)}` };
    case 'pattern':
      return { pointer: p, message: `expected a string matching ${String(e.params.pattern)}, found ${show(found)}` };
    case 'minimum':
    case 'maximum':
      return { pointer: p, message: `expected ${e.keyword === 'minimum' ? '>=' : '<='} ${String(e.params.limit)}, found ${show(found)}` };
    case 'minItems':
      return { pointer: p, message: `expected at least ${String(e.params.limit)} item(s), found ${Array.isArray(found) ? found.length : 0}` };
    case 'minProperties':
      return { pointer: p, message: `expected at least ${String(e.params.limit)} field(s), found none` };
    case 'minLength':
      return { pointer: p, message: `expected a non-empty string, found ${show(found)}` };
    default:
      return { pointer: p, message: `${e.message ?? e.keyword}, found ${show(found)}` };
  }
}

function lineOf(doc: Document | undefined, lc: LineCounter, pointer: string): number | undefined {
  if (!doc) return undefined;
  const parts = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Walk down to the deepest node that exists (a missing property points at its parent).
  for (let n = parts.length; n >= 0; n--) {
    const path = parts.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const node = n === 0 ? doc.contents : doc.getIn(path, true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * @param text policy file contents
 * @param file the name used in messages (e.g. `policy.yaml`)
 * @throws InputError INPUT_INVALID when the text is not YAML/JSON, INPUT_SCHEMA listing every violation
 * @example loadPolicy(fs.readFileSync('policy.yaml', 'utf8'), 'policy.yaml')
 */
export function loadPolicy(text: string, file: string): Policy {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    throw new InputError('INPUT_INVALID', `${file}: not valid YAML or JSON\n${lines.join('\n')}`, { file });
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  // `requirePolicies` (the issue's spelling) is accepted as a synonym of the rule type `require-policies`.
  const rules = (data as { rules?: unknown } | null)?.rules;
  if (Array.isArray(rules)) for (const r of rules) if (r && typeof r === 'object' && (r as Record<string, unknown>)['type'] === 'requirePolicies') (r as Record<string, unknown>)['type'] = 'require-policies';
  const v = validate();
  const problems: { pointer: string; message: string }[] = [];
  if (!v(data)) {
    for (const e of v.errors ?? []) {
      const d = describe(e, data);
      if (d && !problems.some((x) => x.pointer === d.pointer && x.message === d.message)) problems.push(d);
    }
  } else {
    problems.push(...semanticProblems(data as Policy));
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => {
      const line = lineOf(doc, lc, p.pointer);
      return `${file}: ${p.pointer || '/'}: ${p.message}${line !== undefined ? ` (line ${line})` : ''}`;
    });
    throw new InputError('INPUT_SCHEMA', `${file}: invalid exposure policy (${problems.length} error${problems.length === 1 ? '' : 's'})\n${lines.join('\n')}`, {
      file,
      fields: problems.map((p) => p.pointer),
    });
  }
  return data as Policy;
}

/**
 * Checks JSON Schema cannot express: unique rule ids, rules that say something, and every service type named
 * being a built-in one or declared in serviceTypeDefinitions (declared once, not shadowing a built-in).
 */
function semanticProblems(policy: Policy): { pointer: string; message: string }[] {
  const out: { pointer: string; message: string }[] = [];
  const known = new Set<string>(SERVICE_TYPES);
  (policy.serviceTypeDefinitions ?? []).forEach((d, i) => {
    if (known.has(d.name)) out.push({ pointer: `/serviceTypeDefinitions/${i}/name`, message: `expected a new service type name, found ${show(d.name)} (${(SERVICE_TYPES as readonly string[]).includes(d.name) ? 'a built-in type' : 'declared twice'})` });
    known.add(d.name);
  });
  const knownList = `one of the built-in types [${SERVICE_TYPES.join(', ')}]${policy.serviceTypeDefinitions?.length ? ` or the declared [${policy.serviceTypeDefinitions.map((d) => d.name).join(', ')}]` : ''}`;
  const checkType = (pointer: string, t: string, allowUnclassified: boolean): void => {
    if (!known.has(t) || (!allowUnclassified && t === 'unclassified')) out.push({ pointer, message: `expected ${allowUnclassified ? knownList : `${knownList} except unclassified`}, found ${show(t)}` });
  };
  (policy.serviceTypes ?? []).forEach((r, i) => checkType(`/serviceTypes/${i}/type`, r.type, false));
  const seen = new Map<string, number>();
  policy.rules.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) out.push({ pointer: `/rules/${i}/id`, message: `expected a unique rule id, found ${show(r.id)} (also /rules/${first}/id)` });
    else seen.set(r.id, i);
    if (r.type === 'service-exposure' && !r.allowServiceTypes && !r.denyServiceTypes) {
      out.push({ pointer: `/rules/${i}`, message: 'expected allowServiceTypes or denyServiceTypes, found neither' });
    }
    if (r.type === 'tls-required' && !r.hostnames && !r.serviceTypes && !r.listeners) {
      out.push({ pointer: `/rules/${i}`, message: 'expected hostnames, serviceTypes or listeners, found none' });
    }
    if (r.type === 'require-policies' && !r.kinds?.length && !r.categories?.length) {
      out.push({ pointer: `/rules/${i}`, message: 'expected kinds or categories (the policies that satisfy the rule), found neither' });
    }
    const lists: Array<[string, readonly string[] | undefined]> =
      r.type === 'service-exposure' ? [['allowServiceTypes', r.allowServiceTypes], ['denyServiceTypes', r.denyServiceTypes]] : r.type === 'tls-required' || r.type === 'require-policies' ? [['serviceTypes', r.serviceTypes]] : [];
    for (const [field, list] of lists) (list ?? []).forEach((t, j) => checkType(`/rules/${i}/${field}/${j}`, t, true));
  });
  return out;
}
