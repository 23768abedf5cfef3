/**
 * The collect-time private-key guard over everything that goes into a bundle (issue 8 item 3): every kept
 * object, every ConformanceReport (byte for byte, so scanned as text and as decoded YAML: `\x2d` armour in
 * a double-quoted scalar is seen as `-`) and the collection record (sources, warnings, gaps, cluster; which
 * also fill bag-info.txt). It runs on the Capture just before it is built, for files and live capture
 * alike, with the detector the verifier uses (src/crypto/key-material.ts), so collect never writes what
 * verify would flag. Refuses (InputError, exit 65) naming where the material is; never writes it.
 */
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.ts';
import type { Capture } from '../model/collection.ts';
import { refLabel, refOf } from '../model/object.ts';
import { findKeyMaterialInText, findKeyMaterialInValue } from '../crypto/key-material.ts';

const refuse = (where: string, form: string): never => {
  throw new InputError('INPUT_INVALID', `${where} holds ${form}; refusing to put private key material in evidence (remove it from the input)`);
};

/**
 * Refuses a Capture that holds key material. `objects: false` skips the objects: collect has already checked
 * each one where it knows its source file (normalize.ts, and live Secrets in collect-live.ts), so the pass
 * before the build only adds the ConformanceReports and the record; one pass over everything in total.
 */
export function refuseKeyMaterial(capture: Capture, opts: { objects: boolean } = { objects: true }): void {
  if (opts.objects) for (const obj of capture.snapshot.objects) {
    const hit = findKeyMaterialInValue(obj);
    if (hit) refuse(`${refLabel(refOf(obj))} (${hit.path})`, hit.form);
  }
  for (const report of capture.snapshot.conformanceReports) {
    const text = new TextDecoder().decode(report.bytes);
    let decoded: unknown;
    try {
      decoded = parseYaml(text, { maxAliasCount: 100 });
    } catch {
      decoded = undefined; // read as a report already; if it does not parse here, the text scan still runs
    }
    const hit = findKeyMaterialInValue(decoded);
    if (hit) refuse(`ConformanceReport "${report.name}" (${hit.path})`, hit.form);
    const form = findKeyMaterialInText(text);
    if (form) refuse(`ConformanceReport "${report.name}"`, form);
  }
  const hit = findKeyMaterialInValue(capture.record);
  if (hit) refuse(`the collection record (collection.json ${hit.path})`, hit.form);
}
