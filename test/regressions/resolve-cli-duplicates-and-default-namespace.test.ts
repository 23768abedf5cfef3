import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../helpers/io.ts';

// Bug (found on the upstream examples): `gwe resolve` took manifest objects raw, so an object without
// metadata.namespace resolved in namespace "" instead of "default", and the same object in two files was
// resolved twice. It now normalises like `collect`: "default" namespace, identical duplicates kept once,
// conflicting duplicates an error naming both files.
const GW = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: c}
spec: {controllerName: example.com/c}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  gatewayClassName: c
  listeners: [{name: http, port: 80, protocol: HTTP}]
`;
const route = (weight: number): string => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: web, port: 80, weight: ${weight}}]}]
`;

describe('regression: resolve CLI duplicates and default namespace', () => {
  it('puts objects without a namespace in "default" and resolves an identical duplicate once', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gwe-res-'));
    writeFileSync(join(cwd, 'gw.yaml'), GW);
    writeFileSync(join(cwd, 'a.yaml'), route(1));
    writeFileSync(join(cwd, 'b.yaml'), route(1));
    const io = memoryIO({ cwd });
    expect(await main(['resolve', 'gw.yaml', 'a.yaml', 'b.yaml', '-o', 'json'], io)).toBe(0);
    const res = JSON.parse(io.out());
    expect(res.routes).toHaveLength(1);
    expect(res.routes[0]).toMatchObject({ namespace: 'default', name: 'r' });
    expect(res.gateways[0]).toMatchObject({ namespace: 'default', name: 'gw' });
    expect(res.routes[0].parents[0].conditions.find((c: { type: string }) => c.type === 'Accepted').status).toBe('True');
  });

  it('refuses two different versions of one object, naming both files', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gwe-res-'));
    writeFileSync(join(cwd, 'gw.yaml'), GW);
    writeFileSync(join(cwd, 'a.yaml'), route(1));
    writeFileSync(join(cwd, 'b.yaml'), route(2));
    const io = memoryIO({ cwd });
    expect(await main(['resolve', 'gw.yaml', 'a.yaml', 'b.yaml'], io)).toBe(65);
    expect(io.err()).toMatch(/HTTPRoute default\/r appears twice with different content: in "a\.yaml" and in "b\.yaml"/);
  });
});
