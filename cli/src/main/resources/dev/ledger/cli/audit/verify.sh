#!/bin/sh
# Verifies this audit packet offline, with openssl (3.x), sha256sum and POSIX tools (awk, od, base64, tail).
#
#   sh verify.sh LEDGER_PUBLIC_KEY.pem       the ledger's public key, as the ledger operator published it
#   sh verify.sh --fingerprint SHA256_HEX    or the published SHA-256 of that key's DER encoding
#   sh verify.sh                             checks the packet against its own copy (ledger-key.pem) only
#
# Without a key or fingerprint obtained from the ledger operator, anyone who can write a packet could have
# signed it with a key of their own: the checks still run, but the result is "NOT VERIFIED" (exit 3), never PASS.
# Exit status: 0 the packet verifies with the ledger's key, 1 something does not (the first failure is named),
# 2 cannot run, 3 the packet is consistent but the key that signed it was not confirmed.
set -u
cd "$(dirname "$0")" || exit 2
PINNED_FP=""
TRUST="none"
case ${1:-} in
  --fingerprint)
    [ $# -eq 2 ] || { echo "usage: sh verify.sh [LEDGER_PUBLIC_KEY.pem | --fingerprint SHA256_HEX]"; exit 2; }
    PINNED_FP=$(printf '%s' "$2" | tr 'A-F' 'a-f' | tr -d ': ')
    [ "${#PINNED_FP}" -eq 64 ] || { echo "cannot run: the fingerprint must be 64 hex digits, got '$2'"; exit 2; }
    KEY=ledger-key.pem
    TRUST="fingerprint" ;;
  -h|--help)
    sed -n '2,14p' verify.sh; exit 0 ;;
  "") KEY=ledger-key.pem ;;
  *)
    [ $# -eq 1 ] || { echo "usage: sh verify.sh [LEDGER_PUBLIC_KEY.pem | --fingerprint SHA256_HEX]"; exit 2; }
    KEY=$1
    TRUST="key" ;;
esac
case $KEY in /*) ;; *) KEY="$PWD/$KEY" ;; esac
ZEROS=0000000000000000000000000000000000000000000000000000000000000000
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
for tool in openssl sha256sum awk od base64 tail; do
  command -v "$tool" >/dev/null 2>&1 || { echo "cannot run: $tool is not installed"; exit 2; }
done
[ -r "$KEY" ] || { echo "cannot run: no ledger public key at $KEY"; exit 2; }

sha() { sha256sum | cut -d' ' -f1; }
hex2bin() {
  printf "$(printf '%s' "$1" | awk '{ h = "0123456789abcdef"; s = ""
    for (i = 1; i <= length($0); i += 2) {
      v = (index(h, substr($0, i, 1)) - 1) * 16 + index(h, substr($0, i + 1, 1)) - 1; s = s sprintf("\\%03o", v)
    }
    printf "%s", s }')"
}
node() { { printf '\001'; hex2bin "$1"; hex2bin "$2"; } | sha; }
leaf() { { printf '\000'; printf '%s' "$1"; } | sha; }
field() { awk -F= -v k="$1" '$1 == k { sub(/^[^=]*=/, ""); print; exit }' packet.txt; }

# 1. Every file's SHA-256 is the one in the manifest, and every file is in it.
sha256sum -c --quiet manifest.sha256 || fail "manifest.sha256: the file(s) above do not match their SHA-256"
find . -type f | sed 's|^\./||' | LC_ALL=C sort > "$TMP/files"
while IFS= read -r f; do
  case $f in
    manifest.sha256|manifest.sig) ;;
    *) awk -v f="$f" 'substr($0, 67) == f { found = 1 } END { exit !found }' manifest.sha256 \
         || fail "$f is not in manifest.sha256" ;;
  esac
done < "$TMP/files"
echo "ok: manifest sums ($(wc -l < manifest.sha256 | tr -d ' ') files)"

# 2. The manifest is signed by the ledger key.
openssl pkeyutl -verify -pubin -inkey "$KEY" -rawin -in manifest.sha256 -sigfile manifest.sig >/dev/null 2>&1 \
  || fail "manifest.sig: not a valid Ed25519 signature of manifest.sha256 by the key in $KEY"
FP=$(openssl pkey -pubin -in "$KEY" -outform DER 2>/dev/null | sha)
if [ "$TRUST" = fingerprint ] && [ "$FP" != "$PINNED_FP" ]; then
  fail "ledger-key.pem: its fingerprint $FP is not the published $PINNED_FP"
fi
echo "ok: manifest signature by the ledger key (SHA-256 of its DER: $FP)"

# 3. The checkpoint is signed by the ledger key and is the head of this site's log.
awk '/^$/ { exit } { print }' checkpoint.note > "$TMP/body"
SIG=$(awk 'seen { print $3; exit } /^$/ { seen = 1 }' checkpoint.note)
printf '%s' "$SIG" | base64 -d > "$TMP/sigblob" 2>/dev/null || fail "checkpoint.note: the signature is not base64"
tail -c 64 "$TMP/sigblob" > "$TMP/sig"
openssl pkeyutl -verify -pubin -inkey "$KEY" -rawin -in "$TMP/body" -sigfile "$TMP/sig" >/dev/null 2>&1 \
  || fail "checkpoint.note: not a valid signature of the checkpoint by the ledger key"
ORIGIN=$(sed -n 1p "$TMP/body")
SIZE=$(sed -n 2p "$TMP/body")
ROOT=$(sed -n 3p "$TMP/body" | base64 -d 2>/dev/null | od -An -v -tx1 | tr -d ' \n')
[ "$ORIGIN" = "$(field origin)" ] || fail "checkpoint.note: origin '$ORIGIN' is not this site's log '$(field origin)'"
[ "${#ROOT}" -eq 64 ] || fail "checkpoint.note: the root is not a 32-byte hash"
echo "ok: checkpoint signature ($ORIGIN, size $SIZE)"

# 4. Each bundle's hash, each chain link, and each bundle's inclusion in the checkpointed log. The links are one
# run of consecutive positions, first_position..last_position of packet.txt: none can be left out unnoticed.
FIRST=$(field first_position)
LAST=$(field last_position)
exec 3< bundles.jsonl 4< proofs.txt
n=0
last_pos=""
last_chain=""
while read -r pos bh ph ch || [ -n "${pos:-}" ]; do
  n=$((n + 1))
  if [ -z "$last_pos" ]; then
    [ "$pos" = "$FIRST" ] || fail "chain.txt: the first link is at position $pos, packet.txt says first_position=$FIRST"
  else
    [ "$pos" = "$((last_pos + 1))" ] || fail "chain.txt: position $pos follows position $last_pos (a link is missing" \
      "or out of order)"
    [ "$ph" = "$last_chain" ] || fail "chain link at position $pos: prev_hash $ph is not the chain_hash" \
      "$last_chain of position $last_pos"
  fi
  IFS= read -r bundle <&3 || fail "bundles.jsonl: line $n is missing (chain.txt has a link at position $pos)"
  got=$(printf '%s' "$bundle" | sha)
  [ "$got" = "$bh" ] || fail "bundle at chain position $pos (line $n of bundles.jsonl): its SHA-256 is $got," \
    "the chain says bundle_hash $bh"
  got=$(printf '%s' "$bh:$ph:$pos" | sha)
  [ "$got" = "$ch" ] || fail "chain link at position $pos: chain_hash $ch is not" \
    "sha256(bundle_hash:prev_hash:position) = $got"
  if [ "$pos" -eq 1 ] && [ "$ph" != "$ZEROS" ]; then
    fail "chain link at position 1: prev_hash must be 64 zeros, is $ph"
  fi
  read -r ppos psize path <&4 || fail "proofs.txt: no inclusion proof for position $pos"
  [ "$ppos" = "$pos" ] || fail "proofs.txt: line $n is the proof of position $ppos, expected $pos"
  [ "$psize" = "$SIZE" ] || fail "proofs.txt: the proof of position $pos is for size $psize, the checkpoint's is $SIZE"
  [ "$pos" -le "$SIZE" ] || fail "position $pos is beyond the checkpoint's tree size $SIZE"
  fn=$((pos - 1))
  sn=$((SIZE - 1))
  r=$(leaf "$bh:$ph:$pos")
  for p in $path; do
    [ "$sn" -gt 0 ] || fail "Merkle inclusion of position $pos: the proof is too long"
    if [ $((fn & 1)) -eq 1 ] || [ "$fn" -eq "$sn" ]; then
      r=$(node "$p" "$r")
      while [ $((fn & 1)) -eq 0 ] && [ "$fn" -ne 0 ]; do
        fn=$((fn >> 1))
        sn=$((sn >> 1))
      done
    else
      r=$(node "$r" "$p")
    fi
    fn=$((fn >> 1))
    sn=$((sn >> 1))
  done
  [ "$sn" -eq 0 ] && [ "$r" = "$ROOT" ] || fail "Merkle inclusion of position $pos: the proof leads to root $r," \
    "the checkpoint's root is $ROOT"
  last_pos=$pos
  last_chain=$ch
  pos=""
done < chain.txt
IFS= read -r extra <&3 && fail "bundles.jsonl: more lines than links in chain.txt"
IFS= read -r extra <&4 && fail "proofs.txt: more lines than links in chain.txt"
[ "$last_pos" = "$LAST" ] || fail "chain.txt: the last link is at position ${last_pos:-none}, packet.txt says" \
  "last_position=$LAST"
[ "$n" -eq "$(field bundles)" ] || fail "chain.txt: $n links, packet.txt says $(field bundles)"
echo "ok: $n bundle hashes, chain links (positions $FIRST..$LAST, none missing) and Merkle inclusion proofs up to" \
  "the checkpoint root"
if [ "$TRUST" = none ]; then
  echo "NOT VERIFIED: the packet is consistent, but it was checked only against its own ledger-key.pem, which a"
  echo "  forger would replace too. Run again with the ledger's public key (sh verify.sh KEY.pem) or its published"
  echo "  fingerprint (sh verify.sh --fingerprint $FP)."
  exit 3
fi
echo "PASS: packet of site $(field site_id), bundles checked from $(field from) to $(field to)"
