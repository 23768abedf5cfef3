#!/bin/sh
# Reviewer recipe for a gateway-evidence bundle (format v1, docs/bundle-format.md), using only
# tar, sha256sum (coreutils) and openssl >= 3.0. No gateway-evidence code is involved.
#
#   sh docs/reviewer-recipe.sh bundle.tar.gz signer.pub.pem
#
# Exits non-zero at the first check that fails. What this recipe cannot check (use `gwe verify`):
# files that are in the bag but missing from a manifest, strict path rules, caps, duplicate JSON keys,
# trust policy (thresholds, roles, key validity windows).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 bundle.tar.gz signer.pub.pem" >&2; exit 64; }
BUNDLE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PUB=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. Unpack into a scratch directory. The bundle holds exactly one directory, named after the bundle id.
mkdir "$WORK/x"
tar -xzf "$BUNDLE" -C "$WORK/x"
set -- "$WORK"/x/*
[ $# -eq 1 ] && [ -d "$1" ] || { echo "expected one bundle directory, found $#" >&2; exit 1; }
ROOT=$(basename "$1")
cd "$1"

# 2. Integrity: the tag manifest covers bagit.txt, bag-info.txt, collection.json and the payload manifest;
#    the payload manifest covers every file under data/.
sha256sum -c --strict tagmanifest-sha256.txt
sha256sum -c --strict manifest-sha256.txt

# 3. The signed statement names this tag manifest (its subject digest) and this bundle id.
TAGSUM=$(sha256sum tagmanifest-sha256.txt | cut -d' ' -f1)
grep -q "\"sha256\":\"$TAGSUM\"" signatures/statement.json || { echo "statement does not name tagmanifest-sha256.txt $TAGSUM" >&2; exit 1; }
grep -q "\"bundleId\":\"$ROOT\"" signatures/statement.json || { echo "statement does not name bundle $ROOT" >&2; exit 1; }
echo "statement: OK (subject $TAGSUM, bundle $ROOT)"

# 4. The signature: pure Ed25519 over the DSSE pre-authentication encoding (PAE) of statement.json.
#    The key id (hex SHA-256 of the DER public key) names the signature file.
KEYID=$(openssl pkey -pubin -in "$PUB" -outform DER | sha256sum | cut -d' ' -f1)
[ -f "signatures/$KEYID.sig" ] || { echo "no signature by key $KEYID in this bundle" >&2; exit 1; }
PT=application/vnd.in-toto+json
{ printf 'DSSEv1 %d %s %d ' ${#PT} "$PT" $(wc -c < signatures/statement.json); cat signatures/statement.json; } > "$WORK/pae.bin"
openssl pkeyutl -verify -pubin -inkey "$PUB" -rawin -in "$WORK/pae.bin" -sigfile "signatures/$KEYID.sig"
echo "signer: $KEYID"
