// Issue 10: a LICENSE file matching package.json's "license" field, shipped in the package.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

describe('LICENSE', () => {
  it('is the Apache License 2.0 text, as package.json declares, and is in "files"', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(new URL('../../LICENSE', import.meta.url), 'utf8');
    expect(text).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).toContain('END OF TERMS AND CONDITIONS');
    expect(pkg.files).toContain('LICENSE');
  });
});
