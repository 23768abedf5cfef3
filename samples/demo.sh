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
echo "== 1/4 collect: samples/cluster -> $BUNDLE (signed with the TEST-ONLY collector key)"
"${GWE[@]}" collect --from samples/cluster --out "$BUNDLE" --key keys/collector.test-only.key.pem \
  --captured-at "$CAPTURED_AT" --cluster-name ai-platform-prod --force
echo
echo "== 2/4 verify: $BUNDLE against keys/trust.yaml (offline)"
set +e
"${GWE[@]}" verify "$BUNDLE" --trust keys/trust.yaml
code=$?
set -e
echo
echo
echo "== 3/4 report: verdict, findings grouped by object, against the sample exposure policy (samples/policy.yaml)"
echo "   (the same report as one self-contained HTML file: out/sample-report.html)"
set +e
"${GWE[@]}" report "$BUNDLE" --trust keys/trust.yaml --policy samples/policy.yaml -o html --out out/sample-report.html
"${GWE[@]}" report "$BUNDLE" --trust keys/trust.yaml --policy samples/policy.yaml -o text
set -e
echo
echo
echo "== 4/4 the operational record: last quarter's bundle, audit log, DNS, a ticket export, a signed approval"
Q3=out/sample-q3.tar.gz
Q4=out/sample-q4.tar.gz
# Q3: the same cluster a quarter earlier (samples/operational/q3-routes.yaml instead of 03-routes.yaml).
Q3_FROM=()
for f in samples/cluster/*; do [ "$(basename "$f")" = 03-routes.yaml ] || Q3_FROM+=("$f"); done
"${GWE[@]}" collect --from "${Q3_FROM[@]}" samples/operational/q3-routes.yaml --out "$Q3" \
  --key keys/collector.test-only.key.pem --captured-at 2026-09-30T09:00:00Z --cluster-name ai-platform-prod --force --quiet
# Q4 with its operational record. The audit log holds a Secret update at RequestResponse level (with the
# TEST-ONLY private key in it): the bundle keeps who/when/verb and nothing of the Secret.
"${GWE[@]}" collect --from samples/cluster --out "$Q4" --key keys/collector.test-only.key.pem \
  --captured-at "$CAPTURED_AT" --cluster-name ai-platform-prod --previous "$Q3" \
  --audit-log samples/operational/audit.log --dns samples/operational/example.ai.zone \
  --attach samples/operational/change-ticket-CHG-2041.txt:text/plain --force
"${GWE[@]}" approve "$Q3" "$Q4" --key keys/approver.test-only.key.pem --ticket CHG-2041 \
  --note "canary chat-model-v2 at 10%" --out out/sample-approval.json --force
set +e
"${GWE[@]}" report "$Q4" --trust keys/trust.yaml --policy samples/policy.yaml --format html --out out/sample-q4-report.html
"${GWE[@]}" report "$Q4" --trust keys/trust.yaml --policy samples/policy.yaml --format text | sed -n '/^Change history/,$p'
"${GWE[@]}" verify --chain "$Q3" "$Q4" --trust keys/trust.yaml --policy samples/policy.yaml --approval out/sample-approval.json | head -20
set -e
echo
case $code in
  0) echo "demo: bundle verified, no error findings" ;;
  1) echo "demo: bundle verified; the error findings above are the sample's deliberate misconfigurations (see samples/README.md)" ;;
  *) echo "demo: verification failed with exit code $code" >&2; exit "$code" ;;
esac
