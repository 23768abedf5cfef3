#!/usr/bin/env bash
# Generates the TEST-ONLY certificates and private keys of the sample cluster (run once; the results are
# committed under samples/tools/certs/). Needs OpenSSL >= 3. Dates are relative to the day it runs; the
# demo's --captured-at (samples/demo.sh) was chosen inside their validity windows.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p certs && cd certs
[ -f ca.crt ] && { echo "certs/ already exists; delete it to regenerate" >&2; exit 1; }
# A private CA (EC P-384) that signs the shared Gateway certificate and the inference backend certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ca.key -out ca.crt -days 3650 \
  -subj "/O=Example AI Platform (TEST ONLY)/CN=Example AI Test Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
leaf() { # name days subj san keyopts...
  local name=$1 days=$2 subj=$3 san=$4; shift 4
  openssl req -new -newkey "$@" -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" -days "$days" \
    -extfile <(printf "subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n" "$san") -out "$name.crt"
  rm "$name.csr"
}
# *.example.ai for the shared Gateway's HTTPS listener (EC P-256, ~2 years), served with the CA as a chain.
leaf shared-gw 825 "/O=Example AI Platform (TEST ONLY)/CN=*.example.ai" "DNS:*.example.ai,DNS:example.ai" ec -pkeyopt ec_paramgen_curve:P-256
cat shared-gw.crt ca.crt > shared-gw-chain.crt
# Backend certificate of the internal inference service (RSA 2048), validated by a BackendTLSPolicy.
leaf llm-inference 365 "/CN=llm-inference.inference.svc" "DNS:llm-inference.inference.svc,DNS:llm-inference.inference.svc.cluster.local,IP:10.96.40.12" rsa:2048
# The agent tool gateway: self-signed RSA 3072 that expires SOON after the demo's capture time (20 days).
openssl req -x509 -newkey rsa:3072 -nodes -keyout agents-tools.key -out agents-tools.crt -days 20 \
  -subj "/O=Example AI Platform (TEST ONLY)/CN=tools.example.ai" -addext "subjectAltName=DNS:tools.example.ai"
rm -f ca.srl
ls -l
