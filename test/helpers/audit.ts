/** Builders for audit.k8s.io/v1 Events (tests and the bench). */
export interface EventOpts {
  id: string;
  at: string;
  verb?: string;
  user?: string;
  groups?: string[];
  resource: string;
  group?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  stage?: string;
  level?: string;
  code?: number;
  requestObject?: unknown;
  responseObject?: unknown;
}

export function auditEvent(o: EventOpts): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: o.level ?? 'Metadata',
    auditID: o.id,
    stage: o.stage ?? 'ResponseComplete',
    requestURI: `/apis/${o.group ?? ''}/v1/namespaces/${o.namespace ?? ''}/${o.resource}/${o.name ?? ''}`,
    verb: o.verb ?? 'update',
    user: { username: o.user ?? 'alice@example.com', groups: o.groups ?? ['system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=secret-ish'] } },
    sourceIPs: ['10.0.0.7'],
    userAgent: 'kubectl/v1.31.0 (linux/amd64)',
    objectRef: { resource: o.resource, ...(o.group ? { apiGroup: o.group } : {}), apiVersion: 'v1', ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.name ? { name: o.name } : {}), ...(o.subresource ? { subresource: o.subresource } : {}) },
    responseStatus: { metadata: {}, code: o.code ?? 200, message: 'ok' },
    ...(o.requestObject !== undefined ? { requestObject: o.requestObject } : {}),
    ...(o.responseObject !== undefined ? { responseObject: o.responseObject } : {}),
    requestReceivedTimestamp: o.at,
    stageTimestamp: o.at,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC' },
  };
}

export const jsonl = (events: unknown[]): string => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
