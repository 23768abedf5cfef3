/**
 * Upstream example manifests (../shared/real-world/examples, kubernetes-sigs/gateway-api): every folder is a unit
 * for `gwe resolve` (in-process) and for `collect` + `verifyBundle`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { main } from '../../src/cli/main.ts';
import { InputError } from '../../src/errors.ts';
import type { Resolution } from '../../src/resolve/index.ts';
import { memoryIO } from '../helpers/io.ts';
import { HAVE_REAL_WORLD, REPO_ROOT, SKIP_MESSAGE, collectAndVerifyBundle, exampleUnits, rel } from './shared.ts';

if (!HAVE_REAL_WORLD) console.warn(SKIP_MESSAGE);

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'resolution.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const UNITS = exampleUnits();
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);
/** Why a route gets no status: each is a finding on the route (docs/resolution.md "Controllers"). */
const NO_STATUS_CODES = new Set(['PARENT_NOT_FOUND', 'PARENT_NOT_HANDLED', 'PARENT_KIND_UNSUPPORTED', 'ROUTE_NO_PARENT_REFS']);
/** Codes that would mean the engine or the analysis crashed rather than judged the input. */
const CRASH_CODES = /INTERNAL|EXCEPTION|ANALYSIS_FAILED|ENGINE/;

interface RawObj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, any>;
  file: string;
}

function rawObjects(files: string[]): RawObj[] {
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(f, 'utf8'))
      .map((d) => d.toJS() as RawObj | null)
      .filter((o): o is RawObj => o !== null && typeof o.kind === 'string')
      .map((o) => ({ ...o, file: f })),
  );
}

/** Identities that appear with different content in several files of the unit (alternative versions of one example). */
function duplicates(objs: RawObj[]): string[] {
  const seen = new Map<string, string>();
  const dups = new Set<string>();
  for (const o of objs) {
    const id = `${o.apiVersion.split('/')[0]} ${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    const { file: _f, ...content } = o;
    const c = JSON.stringify(content);
    if (seen.has(id) && seen.get(id) !== c) dups.add(id);
    seen.set(id, c);
  }
  return [...dups].sort();
}

async function collectAndVerify(from: string[], cwd: string, allowEmpty = false): Promise<{ verdict: string; errors: unknown[]; objects: number }> {
  const { collected: res, report } = await collectAndVerifyBundle(from, { cwd, allowEmpty });
  const errors = [...report.findings, ...report.analysis.findings].filter((f) => f.severity === 'error');
  expect(errors.filter((f) => CRASH_CODES.test(f.code)), `${from.join(', ')}: analysis crashed`).toEqual([]);
  return { verdict: report.verdict, errors, objects: Object.values(res.record.counts).reduce((a, b) => a + b, 0) };
}

/**
 * `gwe resolve FILES -o json` in-process: exit 0, nothing on stderr, schema-valid JSON, no crash findings, every
 * route either has status or a finding saying why not; Gateways of classes absent from the files are left out
 * with a finding. Objects without a namespace are in "default", as kubectl (and `resolve`'s normalisation) puts them.
 */
async function checkResolve(name: string, cwd: string, files: string[], objs: RawObj[]): Promise<Resolution> {
  const routes = objs.filter((o) => ROUTE_KINDS.has(o.kind) && o.apiVersion.startsWith('gateway.networking.k8s.io/'));
  const classes = new Set(objs.filter((o) => o.kind === 'GatewayClass').map((o) => o.metadata.name));
  const io = memoryIO({ cwd });
  const code = await main(['resolve', ...files.map((f) => basename(f)), '-o', 'json'], io);
  expect(io.err(), `${name}: stderr`).toBe('');
  expect(code, `${name}: exit code`).toBe(0);
  const res = JSON.parse(io.out()) as Resolution;
  expect(validate(res), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
  expect(res.findings.filter((f) => f.severity === 'error' && CRASH_CODES.test(f.code))).toEqual([]);

  for (const r of routes) {
    const ns = r.metadata.namespace ?? 'default';
    const label = `${r.kind} ${ns}/${r.metadata.name}`;
    const inOutput = res.routes.filter((x) => x.kind === r.kind && x.namespace === ns && x.name === r.metadata.name);
    const onRoute = res.findings.filter((f) => f.subject === label);
    if (inOutput.length > 0) {
      expect(inOutput.every((x) => x.parents.length > 0), `${name}: ${label} has parents`).toBe(true);
    } else {
      // No status written (e.g. the GatewayClass lives in another folder): findings say why, never silence.
      expect(onRoute.map((f) => f.code).filter((c) => NO_STATUS_CODES.has(c)), `${name} (${rel(r.file)}): ${label} is neither in routes nor explained by a finding`).not.toEqual([]);
    }
  }
  // Gateways whose class is not in the folder are left out, with a finding; their routes get no status.
  for (const g of objs.filter((o) => o.kind === 'Gateway')) {
    const cls = g.spec?.['gatewayClassName'] as string;
    const gwOut = res.gateways.some((x) => x.name === g.metadata.name && x.namespace === (g.metadata.namespace ?? 'default'));
    if (classes.has(cls)) expect(gwOut, `${name}: Gateway ${g.metadata.name} (class ${cls} present)`).toBe(true);
    else {
      expect(gwOut, `${name}: Gateway ${g.metadata.name} of absent class ${cls}`).toBe(false);
      expect(res.findings.some((f) => f.code === 'GATEWAYCLASS_NOT_FOUND' && f.subject === `Gateway ${g.metadata.namespace ?? 'default'}/${g.metadata.name}`)).toBe(true);
    }
  }
  return res;
}

describe.skipIf(!HAVE_REAL_WORLD)('real-world examples: every folder is a unit', () => {
  it('finds the example folders', () => {
    expect(UNITS.map((u) => u.name)).toEqual(expect.arrayContaining(['examples/standard', 'examples/experimental', 'examples/standard/listenerset', 'examples/experimental/v1alpha2/tls-routing']));
    expect(UNITS.length).toBeGreaterThanOrEqual(20);
  });

  const summary: string[] = [];
  for (const unit of UNITS) {
    describe(unit.name, () => {
      const objs = rawObjects(unit.files);
      const routes = objs.filter((o) => ROUTE_KINDS.has(o.kind) && o.apiVersion.startsWith('gateway.networking.k8s.io/'));
      const classes = new Set(objs.filter((o) => o.kind === 'GatewayClass').map((o) => o.metadata.name));

      const dups = duplicates(objs);
      it('gwe resolve DIR -o json succeeds, validates against the schema, and accounts for every route', async () => {
        if (dups.length === 0) {
          const res = await checkResolve(unit.name, unit.dir, unit.files, objs);
          summary.push(`${unit.name}: ${unit.files.length} files, ${routes.length} routes, ${res.routes.length} with status, ${res.gateways.length} gateways resolved, ${res.findings.length} findings`);
          return;
        }
        // Alternative versions of one object in several files: like collect, resolve refuses to pick one and names
        // both files (exit 65); each file resolves on its own.
        const io = memoryIO({ cwd: unit.dir });
        expect(await main(['resolve', ...unit.files.map((f) => basename(f)), '-o', 'json'], io)).toBe(65);
        expect(io.err()).toMatch(/appears twice with different content: in ".+" and in ".+"/);
        for (const f of unit.files) await checkResolve(rel(f), unit.dir, [f], rawObjects([f]));
        summary.push(`${unit.name}: ${unit.files.length} files resolved one by one (alternative versions of ${dups.length} object(s))`);
      });

      if (dups.length === 0) {
        it('collect --from DIR then verifyBundle: verdict is not failed', async () => {
          // The folder's own files (a directory input would also walk the sub-folders, which are units of their own).
          const v = await collectAndVerify(unit.files, unit.dir);
          expect(v.verdict, `${unit.name}: ${JSON.stringify(v.errors)}`).not.toBe('failed');
          expect(v.objects).toBe(objs.filter((o) => o.kind !== 'ConfigMap' && o.kind !== 'Secret').length);
        });
      } else {
        it(`collect --from DIR rejects the alternative versions of ${dups.length} object(s) as duplicates; each file collects and verifies`, async () => {
          // Issue 2: duplicate objects (same group/kind/namespace/name) with different content are an error naming
          // both sources. These folders hold alternative versions of one example, so the unit is each file.
          let err: unknown;
          try {
            await collectAndVerify(unit.files, unit.dir);
          } catch (e) {
            err = e;
          }
          expect(err, `${unit.name}: duplicates ${dups.join(', ')}`).toBeInstanceOf(InputError);
          expect((err as InputError).code).toBe('INPUT_DUPLICATE');
          for (const f of unit.files) {
            // One file of a folder may hold only its Namespaces: an empty capture on its own (issue 8 item 8).
            const v = await collectAndVerify([f], unit.dir, true);
            expect(v.verdict, `${rel(f)}: ${JSON.stringify(v.errors)}`).not.toBe('failed');
          }
        });
      }
    });
  }

  it('prints the per-unit summary', () => {
    if (summary.length > 0) console.log(`real-world examples:\n${summary.join('\n')}`);
    expect(summary.length).toBe(UNITS.length);
  });
});
