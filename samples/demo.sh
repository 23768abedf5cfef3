#!/usr/bin/env bash
# The main job on the bundled sample AI platform: collect -> signed bundle -> verify -> report on screen.
# Run from anywhere after `npm ci` (which builds dist/ through the prepare script): `npm run demo`.
# Exit status: 0 when the bundle verified (findings about the sample's deliberate misconfigurations are
# expected and shown), the verifier's code otherwise (2 integrity/signature, 64 usage, 65 input, 70 internal).
set -euo pipefail
cd "$(dirname "$0")/.."

GWE=(node bin/gwe.js)
BUNDLE=out/sample-bundle.tar.gz
# A fixed capture time makes the bundle byte-reproducible: run the demo twice and compare the sha256.
CAPTURED_AT=2026-12-01T09:00:00Z

mkdir -p out
echo "== 1/3 collect: samples/cluster -> $BUNDLE (signed with the TEST-ONLY collector key)"
"${GWE[@]}" collect --from samples/cluster --out "$BUNDLE" --key keys/collector.test-only.key.pem \
  --captured-at "$CAPTURED_AT" --cluster-name ai-platform-prod --force
echo
echo "== 2/3 verify: $BUNDLE against keys/trust.yaml (offline)"
set +e
"${GWE[@]}" verify "$BUNDLE" --trust keys/trust.yaml
code=$?
set -e
echo
echo
echo "== 3/3 report: verdict, findings grouped by object, against the sample exposure policy (samples/policy.yaml)"
echo "   (the same report as one self-contained HTML file: out/sample-report.html)"
set +e
"${GWE[@]}" report "$BUNDLE" --trust keys/trust.yaml --policy samples/policy.yaml -o html --out out/sample-report.html
"${GWE[@]}" report "$BUNDLE" --trust keys/trust.yaml --policy samples/policy.yaml -o text
set -e
echo
case $code in
  0) echo "demo: bundle verified, no error findings" ;;
  1) echo "demo: bundle verified; the error findings above are the sample's deliberate misconfigurations (see samples/README.md)" ;;
  *) echo "demo: verification failed with exit code $code" >&2; exit "$code" ;;
esac
