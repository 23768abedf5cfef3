import type { KubeObject } from '../../../src/model/object.ts';

export const G = 'gateway.networking.k8s.io';
export const CTRL = 'example.com/ctrl';
export const PEM_B64 = btoa('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

export function ns(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}
export function gc(name = 'gc', controllerName = CTRL): KubeObject {
  return { apiVersion: `${G}/v1`, kind: 'GatewayClass', metadata: { name }, spec: { controllerName } };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function gw(namespace: string, name: string, listeners: any[], extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: `${G}/v1`, kind: 'Gateway', metadata: { namespace, name }, spec: { gatewayClassName: 'gc', listeners, ...extra } };
}
export function svc(namespace: string, name: string, ports = [80], extra: { type?: string; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { ...(extra.type ? { type: extra.type } : {}), ports: ports.map((port) => ({ port })) },
  };
}
export function tlsSecret(namespace: string, name: string, crt = PEM_B64): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name }, type: 'kubernetes.io/tls', data: { 'tls.crt': crt, 'tls.key': btoa('key') } };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function route(kind: string, namespace: string, name: string, spec: any, meta: Record<string, unknown> = {}, version = 'v1'): KubeObject {
  return { apiVersion: `${G}/${version}`, kind, metadata: { namespace, name, ...meta }, spec };
}
export function grant(namespace: string, name: string, from: { group: string; kind: string; namespace: string }[], to: { group: string; kind: string; name?: string }[]): KubeObject {
  return { apiVersion: `${G}/v1beta1`, kind: 'ReferenceGrant', metadata: { namespace, name }, spec: { from, to } };
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}
