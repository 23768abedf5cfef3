/**
 * JSON Schema (draft-07, as ajv validates it) of an exposure policy. schemas/policy.schema.json is
 * this object written out; test/unit/policy/schema.test.ts keeps the two equal.
 */
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const severity = { enum: ['error', 'warning', 'info'] } as const;
/** A built-in type or one declared in serviceTypeDefinitions (load.ts checks which). */
const serviceType = { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' } as const;
const POLICY_CATEGORY_ENUM = ['authentication', 'authorization', 'rate-limit', 'traffic', 'tls', 'extension', 'backend-auth', 'unknown'];
const ruleBase = {
  id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
  type: { type: 'string' },
  description: { type: 'string' },
  severity,
} as const;

function rule(properties: Record<string, unknown>, required: string[]): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, required: ['id', 'type', ...required], properties: { ...ruleBase, ...properties } };
}

const RULE_TYPES = ['attachment', 'service-exposure', 'tls-required', 'certificate-expiry', 'cross-namespace', 'hostname-namespaces', 'signers', 'require-policies'];

export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://gateway-evidence.io/schemas/policy.schema.json',
  title: 'gateway-evidence exposure policy',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'rules'],
  properties: {
    apiVersion: { const: 'gateway-evidence.io/v1alpha1' },
    kind: { const: 'ExposurePolicy' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string' }, description: { type: 'string' } },
    },
    public: { type: 'array', items: { $ref: '#/$defs/publicSelector' } },
    serviceTypes: { type: 'array', items: { $ref: '#/$defs/serviceTypeRule' } },
    serviceTypeDefinitions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: serviceType, description: { type: 'string' } },
      },
    },
    unclassifiedSeverity: severity,
    changeAuthors: stringList,
    ownershipKeys: stringList,
    requireApprovals: { type: 'boolean' },
    rules: { type: 'array', items: { $ref: '#/$defs/rule' } },
  },
  $defs: {
    publicSelector: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        gateways: stringList,
        listeners: stringList,
        ports: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 } },
        protocols: stringList,
        hostnames: stringList,
        gatewayLabels: stringMap,
      },
    },
    listenerSelector: {
      type: 'object',
      additionalProperties: false,
      properties: {
        public: { type: 'boolean' },
        gateways: stringList,
        listeners: stringList,
        ports: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 } },
        protocols: stringList,
        hostnames: stringList,
        gatewayLabels: stringMap,
      },
    },
    serviceTypeRule: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: serviceType,
        namespaces: stringList,
        names: stringList,
        labels: stringMap,
        annotations: stringMap,
        kinds: stringList,
      },
    },
    endpoint: {
      type: 'object',
      additionalProperties: false,
      required: ['namespace'],
      properties: { namespace: { type: 'string', minLength: 1 }, kind: { type: 'string' }, name: { type: 'string' } },
    },
    rule: {
      type: 'object',
      required: ['id', 'type'],
      properties: { id: ruleBase.id, type: { enum: RULE_TYPES } },
      allOf: [
        {
          if: { properties: { type: { const: 'require-policies' } }, required: ['type'] },
          then: rule(
            {
              listeners: { $ref: '#/$defs/listenerSelector' },
              serviceTypes: { type: 'array', items: serviceType },
              hostnames: stringList,
              kinds: stringList,
              categories: { type: 'array', items: { enum: POLICY_CATEGORY_ENUM } },
            },
            [],
          ),
        },
        {
          if: { properties: { type: { const: 'attachment' } }, required: ['type'] },
          then: rule({ listeners: { $ref: '#/$defs/listenerSelector' }, allowNamespaces: stringList }, ['allowNamespaces']),
        },
        {
          if: { properties: { type: { const: 'service-exposure' } }, required: ['type'] },
          then: rule(
            {
              listeners: { $ref: '#/$defs/listenerSelector' },
              allowServiceTypes: { type: 'array', items: serviceType },
              denyServiceTypes: { type: 'array', items: serviceType },
            },
            [],
          ),
        },
        {
          if: { properties: { type: { const: 'tls-required' } }, required: ['type'] },
          then: rule(
            {
              hostnames: stringList,
              serviceTypes: { type: 'array', items: serviceType },
              listeners: { $ref: '#/$defs/listenerSelector' },
            },
            [],
          ),
        },
        {
          if: { properties: { type: { const: 'certificate-expiry' } }, required: ['type'] },
          then: rule({ minDaysValid: { type: 'integer', minimum: 0 }, scope: { enum: ['listeners', 'all'] } }, ['minDaysValid']),
        },
        {
          if: { properties: { type: { const: 'cross-namespace' } }, required: ['type'] },
          then: rule(
            {
              expected: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['from', 'to'],
                  properties: { from: { $ref: '#/$defs/endpoint' }, to: { $ref: '#/$defs/endpoint' } },
                },
              },
            },
            ['expected'],
          ),
        },
        {
          if: { properties: { type: { const: 'hostname-namespaces' } }, required: ['type'] },
          then: rule({ hostnames: stringList, allowNamespaces: stringList }, ['hostnames', 'allowNamespaces']),
        },
        {
          if: { properties: { type: { const: 'signers' } }, required: ['type'] },
          then: rule(
            {
              required: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  additionalProperties: false,
                  minProperties: 1,
                  properties: { name: { type: 'string' }, role: { type: 'string' }, keyId: { type: 'string' } },
                },
              },
            },
            ['required'],
          ),
        },
      ],
    },
  },
} as const;
