/**
 * Recognising the Deployments, DaemonSets and Pods of Gateway API controllers and their data planes.
 * An object is a gateway controller when one of its labels (object labels or pod template labels) or one
 * of its container images matches the table below. The table is documented in docs/collector.md.
 */
export interface ControllerSignature {
  implementation: string;
  /** [label key, exact value or undefined for "any value"]. */
  labels: Array<[string, string | undefined]>;
  /** Regular expressions tested against each container image reference. */
  images: RegExp[];
}

export const CONTROLLER_SIGNATURES: readonly ControllerSignature[] = [
  {
    implementation: 'gateway-api',
    // GEP-1762: implementations that provision a data plane per Gateway label it with the Gateway name.
    labels: [['gateway.networking.k8s.io/gateway-name', undefined], ['gateway.networking.k8s.io/gateway-class-name', undefined]],
    images: [],
  },
  {
    implementation: 'envoy-gateway',
    labels: [['control-plane', 'envoy-gateway'], ['app.kubernetes.io/name', 'envoy-gateway'], ['app.kubernetes.io/name', 'gateway-helm'], ['app.kubernetes.io/managed-by', 'envoy-gateway'], ['gateway.envoyproxy.io/owning-gateway-name', undefined]],
    images: [/(^|\/)envoyproxy\/gateway(-dev)?[:@]/, /(^|\/)envoyproxy\/envoy(-distroless|-dev)?[:@]/],
  },
  {
    implementation: 'istio',
    labels: [['app', 'istiod'], ['istio', 'pilot'], ['gateway.istio.io/managed', undefined], ['istio.io/gateway-name', undefined]],
    images: [/(^|\/)(istio\/)?pilot[:@]/], // not proxyv2: every sidecar runs it
  },
  {
    implementation: 'nginx-gateway-fabric',
    labels: [['app.kubernetes.io/name', 'nginx-gateway'], ['app.kubernetes.io/name', 'nginx-gateway-fabric']],
    images: [/nginx-gateway-fabric/],
  },
  {
    implementation: 'contour',
    labels: [['app.kubernetes.io/name', 'contour'], ['app', 'contour'], ['app.kubernetes.io/managed-by', 'contour-gateway-provisioner'], ['app.kubernetes.io/name', 'contour-gateway-provisioner']],
    images: [/(^|\/)projectcontour\/contour[:@]/],
  },
  {
    implementation: 'cilium',
    labels: [['k8s-app', 'cilium'], ['io.cilium/app', 'operator'], ['app.kubernetes.io/name', 'cilium-operator'], ['app.kubernetes.io/name', 'cilium-envoy']],
    images: [/(^|\/)cilium\/(operator(-generic)?|cilium|cilium-envoy)[:@]/],
  },
  {
    implementation: 'kong',
    labels: [['app.kubernetes.io/name', 'kong'], ['app', 'kong'], ['app.kubernetes.io/name', 'kong-operator'], ['app.kubernetes.io/name', 'gateway-operator'], ['konghq.com/gateway-operator', undefined]],
    images: [/(^|\/)kong\/(kubernetes-ingress-controller|gateway-operator|kong-operator|kong-gateway)[:@]/],
  },
  {
    implementation: 'traefik',
    labels: [['app.kubernetes.io/name', 'traefik']],
    images: [/(^|\/)traefik[:@]/],
  },
  {
    implementation: 'kgateway',
    labels: [['app.kubernetes.io/name', 'kgateway'], ['kgateway', 'kgateway'], ['kgateway', 'kube-gateway']],
    images: [/kgateway-dev\/(kgateway|envoy-wrapper)[:@]/],
  },
  {
    implementation: 'agentgateway',
    labels: [['app.kubernetes.io/name', 'agentgateway']],
    images: [/agentgateway/],
  },
  {
    implementation: 'gloo',
    labels: [['gloo', 'gloo'], ['gloo', 'gateway-proxy']],
    images: [/solo-io\/gloo(-ee)?[:@]/],
  },
];

/** Returns the implementation name when the workload belongs to a gateway controller, else undefined. */
export function identifyController(labels: Record<string, string>, images: readonly string[]): string | undefined {
  for (const sig of CONTROLLER_SIGNATURES) {
    for (const [k, v] of sig.labels) {
      if (labels[k] !== undefined && (v === undefined || labels[k] === v)) return sig.implementation;
    }
  }
  for (const sig of CONTROLLER_SIGNATURES) {
    if (images.some((img) => sig.images.some((re) => re.test(img)))) return sig.implementation;
  }
  return undefined;
}
