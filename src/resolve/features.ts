/**
 * The Gateway API features the simulated controller claims (conformance `SupportedFeature` names).
 * The conformance test runs every case with exactly this list, and `resolve()` uses it by default.
 */
export const SUPPORTED_FEATURES: readonly string[] = Object.freeze([
  'BackendTLSPolicy',
  'GRPCRoute',
  'Gateway',
  'GatewayBackendClientCertificate',
  'GatewayFrontendClientCertificateValidation',
  'GatewayHTTPListenerIsolation',
  'GatewayPort8080',
  'HTTPRoute',
  // Extended filter, carried out and validated (rules.ts checkCors); filters are not gated by feature names.
  'HTTPRouteCORS',
  'HTTPRouteDestinationPortMatching',
  'HTTPRouteParentRefPort',
  'ListenerSet',
  'ReferenceGrant',
  'SupportInferencePool',
  'TCPRoute',
  'TLSRoute',
  'TLSRouteModeMixed',
  'TLSRouteModeTerminate',
  'UDPRoute',
]);
