/** Stage 1, GatewayClasses (apis/v1/gatewayclass_types.go): Accepted per class. */
import { str, type Context } from './context.ts';
import { profileFor } from './profiles.ts';
import type { ClassState, Failure } from './state.ts';

export function resolveClasses(ctx: Context): Map<string, ClassState> {
  const out = new Map<string, ClassState>();
  for (const gc of ctx.gatewayClasses) {
    const controllerName = str(gc.spec?.controllerName) ?? '';
    let accepted: Failure | undefined;
    const pr = gc.spec?.parametersRef;
    if (pr && typeof pr === 'object') {
      // GatewayClass parametersRef: a reference that cannot be resolved gives Accepted=False/InvalidParameters.
      const key = `${str(pr.group) ?? ''}|${str(pr.kind) ?? ''}|${str(pr.namespace) ?? ''}|${str(pr.name) ?? ''}`;
      if (!ctx.all.has(key)) {
        // Missing is not absent: a parameters kind the capture does not hold at all (an EnvoyProxy, which the
        // collector does not keep) cannot be checked offline: Unknown/CaptureIncomplete.
        const offline = !ctx.kindCaptured(str(pr.group) ?? '', str(pr.kind) ?? '');
        accepted = {
          reason: 'InvalidParameters',
          message: offline
            ? `parametersRef ${str(pr.kind) ?? '?'} ${str(pr.namespace) ? `${pr.namespace}/` : ''}${str(pr.name) ?? '?'} (group "${str(pr.group) ?? ''}"): unknown, the capture holds no objects of that kind`
            : `parametersRef ${str(pr.kind) ?? '?'} ${str(pr.namespace) ? `${pr.namespace}/` : ''}${str(pr.name) ?? '?'} (group "${str(pr.group) ?? ''}") was not found in the snapshot`,
          ...(offline ? { offline: str(pr.kind) ?? '?' } : {}),
        };
      }
    }
    if (controllerName === '') accepted = { reason: 'Unsupported', message: 'spec.controllerName is empty' };
    // Controller profile (profiles.ts): the named one, or by controllerName under `auto`.
    out.set(gc.metadata.name, { name: gc.metadata.name, controllerName, accepted, profile: profileFor(ctx.semantics, controllerName) });
  }
  return out;
}
