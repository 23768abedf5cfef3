import { describe, expect, it } from 'vitest';
import { bagInfoText, manifestText, parseBagInfo, parseManifest } from '../../../src/bundle/bagit.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const H = 'a'.repeat(64);

describe('manifests', () => {
  it('writes sha256sum format sorted bytewise', () => {
    const text = new TextDecoder().decode(manifestText(new Map([['data/b', enc('')], ['data/a', enc('abc')]])));
    expect(text).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  data/a\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  data/b\n');
  });
  it('parses strictly and collects every problem', () => {
    expect(parseManifest(enc(`${H}  data/a\n${H}  data/b\n`)).problems).toEqual([]);
    const bad = parseManifest(enc(`${H}  data/b\n${H}  data/a\n${H}  data/a\n${H.toUpperCase()}  data/c\n${H} data/d\n${H} *data/e\r\n`)).problems;
    expect(bad).toEqual([
      'line 2: expected paths sorted bytewise, found data/a after data/b',
      'line 3: expected each path once, found data/a again',
      expect.stringMatching(/^line 4: expected "<64 lowercase hex>  <path>"/),
      expect.stringMatching(/^line 5: expected/),
      expect.stringMatching(/^line 6: expected/),
    ]);
    expect(parseManifest(enc(`${H}  data/a`)).problems).toEqual(['expected a final line feed']);
    expect(parseManifest(enc(`\ufeff${H}  data/a\n`)).problems[0]).toBe('expected no byte order mark');
    expect(parseManifest(enc(`${H}  data/a\\b\n`)).problems[0]).toMatch(/^line 1/);
  });
});

describe('bag-info.txt', () => {
  it('writes the fixed label order and reads it back', () => {
    const b = bagInfoText({ softwareAgent: 'gateway-evidence 0.1.0', capturedAt: '2026-11-01T10:00:00Z', collectorVersion: '0.1.0', bundleId: 'gwe-x', payloadBytes: 10, payloadFiles: 2 });
    expect(new TextDecoder().decode(b)).toBe('Bag-Software-Agent: gateway-evidence 0.1.0\nBagging-Date: 2026-11-01\nBundle-Format-Version: 1\nCaptured-At: 2026-11-01T10:00:00Z\nCollector-Version: 0.1.0\nExternal-Identifier: gwe-x\nPayload-Oxum: 10.2\n');
    const { fields, problems } = parseBagInfo(b);
    expect(problems).toEqual([]);
    expect(fields.get('Payload-Oxum')).toEqual(['10.2']);
  });
  it('refuses control characters in values', () => {
    expect(() => bagInfoText({ softwareAgent: 'x', capturedAt: '2026-11-01T10:00:00Z', clusterName: 'a\nPayload-Oxum: 1.1', collectorVersion: '1', bundleId: 'b', payloadBytes: 0, payloadFiles: 0 })).toThrow(/Cluster-Name: expected no control characters/);
  });
});
