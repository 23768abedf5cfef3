/**
 * The Gateway API resolution engine: from a snapshot of objects, the status a conformant controller must
 * write (GatewayClass, Gateway + listeners, ListenerSet, route parents, BackendTLSPolicy ancestors), the
 * effective routing table, and findings. Pure: no I/O, no clock, never mutates its input.
 *
 * Pipeline (../shared/docs/gateway-api-semantics.md section 0), one file per stage:
 *   classes.ts        GatewayClasses
 *   gateways.ts       Gateways and ListenerSets, with listeners.ts for each listener's validation
 *   conflicts.ts      listener conflicts on a port, overlapping TLS, address/port clashes across Gateways
 *   policies.ts       BackendTLSPolicies
 *   routes.ts         routes: parentRefs, allowedRoutes, hostnames, clashes, attachedRoutes, route parent status
 *   backends.ts       backendRefs of each rule, rule validity (rules.ts)
 *   output.ts         summary conditions and the Resolution, with routing-table.ts for the routing table
 *   inference.ts      InferencePool status.parents (after route status); backend-kinds.ts lists the backend kinds
 * Shared state types are in state.ts; the indexes over the input and the semantics profile are in context.ts.
 */
import type { KubeObject } from '../model/object.ts';
import { resolveClasses } from './classes.ts';
import { detectAddressPortClashes, detectConflicts } from './conflicts.ts';
import { Context } from './context.ts';
import { SUPPORTED_FEATURES } from './features.ts';
import { resolveGateways, resolveListenerSets } from './gateways.ts';
import { buildOutput } from './output.ts';
import { computePoolStatus, poolFindings, poolUses } from './inference.ts';
import { sortFindings } from '../model/finding.ts';
import { resolvePolicies } from './policies.ts';
import { resolveRoutes } from './routes.ts';
import { defaultAttachedRoutesSemantics } from './semantics.ts';
import type { AttachedRoutesSemantics, Resolution, ResolveOptions } from './types.ts';

/**
 * Recomputes Gateway API status and the effective routing table from `objects`.
 * Every GatewayClass present acts as a controller (its controllerName).
 */
export function resolve(objects: readonly KubeObject[], options: ResolveOptions = {}): Resolution {
  const features = new Set(options.features ?? SUPPORTED_FEATURES);
  const ctx = new Context(objects, features, {
    ...(options.semantics !== undefined ? { semantics: options.semantics } : {}),
    ...(options.kindsPresent !== undefined ? { kindsPresent: options.kindsPresent } : {}),
    ...(options.onKindNotCaptured !== undefined ? { onKindNotCaptured: options.onKindNotCaptured } : {}),
  });
  const def = defaultAttachedRoutesSemantics(objects);
  const semantics: AttachedRoutesSemantics = options.attachedRoutesSemantics ?? def.semantics;
  ctx.findings.push({
    code: 'ATTACHED_ROUTES_SEMANTICS',
    severity: 'info',
    message:
      options.attachedRoutesSemantics !== undefined
        ? `attachedRoutes counted with ${semantics} semantics (chosen by option)`
        : def.bundleVersion !== undefined
          ? `attachedRoutes counted with ${semantics} semantics (captured CRD bundle-version ${def.bundleVersion})`
          : `attachedRoutes counted with ${semantics} semantics (no Gateway API CRD bundle-version captured; default)`,
    detail: { semantics, ...(def.bundleVersion !== undefined ? { bundleVersion: def.bundleVersion } : {}) },
  });

  const classes = resolveClasses(ctx);
  const gateways = resolveGateways(ctx, classes);
  resolveListenerSets(ctx, gateways);
  for (const gw of gateways.values()) detectConflicts(ctx, gw);
  detectAddressPortClashes(ctx, gateways);
  const policies = resolvePolicies(ctx);
  const routes = resolveRoutes(ctx, gateways, policies, semantics);

  const res = buildOutput(ctx, classes, gateways, routes, def.bundleVersion);
  // InferencePool status (inference.ts), after route status: a pool's parents are the Gateways of its routes.
  if (ctx.inferencePools.length > 0) {
    res.inferencePools = computePoolStatus(ctx.inferencePools, ctx.services, poolUses(routes, gateways), ctx.features);
    res.findings = sortFindings([...res.findings, ...poolFindings(res.inferencePools)]);
  }
  return res;
}
