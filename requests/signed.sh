#!/usr/bin/env bash
# Sends any DOKU-signed request (the spec's section 1) with curl and openssl.
#   LUNAS_URL=http://localhost:5080 CLIENT_ID=BRN-... SECRET_KEY=SK-... requests/signed.sh GET  /orders/v1/status/INV-1
#   ... requests/signed.sh POST /sandbox/v1/payments '{"invoice_number":"INV-1","payment_method_type":"VIRTUAL_ACCOUNT_BCA","result":"SUCCESS"}'
#   ... requests/signed.sh POST /checkout/v1/payment @body.json
#   ... requests/signed.sh DELETE /sandbox/v1/data
#   ... requests/signed.sh PUT  /sandbox/v1/notification-faults '{"faults":[{"kind":"duplicate","copies":2}]}'
# A POST or PUT signs the Digest of the exact body bytes; a GET or DELETE uses the four-line form (no Digest line).
set -euo pipefail
url=${LUNAS_URL:-http://localhost:5080}
: "${CLIENT_ID:?set CLIENT_ID}" "${SECRET_KEY:?set SECRET_KEY}"
method=${1:?method (GET, POST, PUT or DELETE)}; target=${2:?path, e.g. /orders/v1/status/INV-1}; body=${3:-}
[ "${body:0:1}" = "@" ] && body=$(cat "${body:1}")
request_id=$(cat /proc/sys/kernel/random/uuid)
timestamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
string_to_sign=$(printf 'Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\nRequest-Target:%s' \
  "$CLIENT_ID" "$request_id" "$timestamp" "$target")
args=()
if [ "$method" = "POST" ] || [ "$method" = "PUT" ]; then
  digest=$(printf '%s' "$body" | openssl dgst -sha256 -binary | base64 -w0)
  string_to_sign=$(printf '%s\nDigest:%s' "$string_to_sign" "$digest")
  args=(-H "Content-Type: application/json" --data-binary "$body")
fi
signature=$(printf '%s' "$string_to_sign" | openssl dgst -sha256 -hmac "$SECRET_KEY" -binary | base64 -w0)
curl -sS -X "$method" "$url$target" \
  -H "Client-Id: $CLIENT_ID" -H "Request-Id: $request_id" \
  -H "Request-Timestamp: $timestamp" -H "Signature: HMACSHA256=$signature" "${args[@]}"
echo
