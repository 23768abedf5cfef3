// Issue 10 item 6: helpUri pointed at a made-up github.com URL. DOCS_BASE_URI now follows package.json: its
// repository URL when one exists, else the docs/ directory inside the npm package of this exact version (which
// package.json "files" must then ship). SARIF wants an absolute URI (the Multitool check lives in
// sarif-github.test.ts); here: the constant is true to package.json, and every helpUri names a real anchor.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { DOCS_BASE_URI, REPOSITORY_URL, docsBaseUri, sarifRule, FAMILIES } from '../../../src/report/sarif-rules.ts';

const ROOT = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { name: string; version: string; files: string[]; repository?: string | { url: string } };

describe('SARIF helpUri base (DOCS_BASE_URI)', () => {
  it('REPOSITORY_URL is package.json repository.url (none today), and the base derives from it and the version', () => {
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    expect(REPOSITORY_URL).toBe(repo);
    expect(DOCS_BASE_URI).toBe(docsBaseUri(repo, pkg.version));
    expect(DOCS_BASE_URI).not.toMatch(/github\.com\/gateway-evidence\/gateway-evidence/);
  });

  it('without a repository it names docs/ in the npm package of this version, which the package ships', () => {
    expect(docsBaseUri(undefined, pkg.version)).toBe(`npm:${pkg.name}@${pkg.version}/docs/`);
    if (REPOSITORY_URL === undefined) {
      expect(pkg.files).toContain('docs');
      expect(DOCS_BASE_URI.startsWith(`npm:${pkg.name}@${pkg.version}/docs/`)).toBe(true);
    }
  });

  it('with a repository URL (npm forms) it is the docs of the release tag; junk is refused', () => {
    expect(docsBaseUri('git+https://github.com/acme/gwe.git', '1.2.3')).toBe('https://github.com/acme/gwe/blob/v1.2.3/docs/');
    expect(docsBaseUri('https://github.com/acme/gwe', '1.2.3')).toBe('https://github.com/acme/gwe/blob/v1.2.3/docs/');
    expect(docsBaseUri('git://github.com/acme/gwe.git', '1.2.3')).toBe('https://github.com/acme/gwe/blob/v1.2.3/docs/');
    expect(() => docsBaseUri('not a url', '1.2.3')).toThrow(/expected an https or git URL/);
  });

  it('every helpUri is an absolute URI whose path is a file under docs/ and whose fragment is an anchor there', () => {
    for (const f of Object.values(FAMILIES)) {
      const code = `X_${f.anchor.toUpperCase().replace(/-/g, '_')}`;
      const uri = sarifRule(code, 'error', 'analysis', 'error').helpUri;
      expect(uri).toMatch(/^[a-z][a-z0-9+.-]*:/); // RFC 3986 scheme: absolute
      expect(uri.startsWith(DOCS_BASE_URI)).toBe(true);
      const [file, anchor] = uri.slice(DOCS_BASE_URI.length).split('#');
      const doc = new URL(`docs/${file}`, ROOT);
      expect(existsSync(doc), String(doc)).toBe(true);
      expect(readFileSync(doc, 'utf8')).toContain(`<a id="${anchor}"></a>`);
    }
  });
});
