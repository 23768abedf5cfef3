// deploy/rbac.yaml granted GET on /api and /api/*, which the collector never requests (core kinds have
// fixed paths): not least privilege. test/live/rbac.test.ts now fails on any non-resource URL a capture
// does not use; this pins the exact list.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

it('grants exactly the discovery paths the collector reads', () => {
  const role = parseAllDocuments(readFileSync('deploy/rbac.yaml', 'utf8')).map((d) => d.toJS() as Record<string, any>).find((d) => d['kind'] === 'ClusterRole')!;
  const urls = (role['rules'] as Array<{ nonResourceURLs?: string[] }>).flatMap((r) => r.nonResourceURLs ?? []);
  expect(urls.sort()).toEqual(['/apis', '/apis/*', '/version']);
});
