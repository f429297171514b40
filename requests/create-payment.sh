#!/usr/bin/env bash
# Sends a signed create-payment request to Lunas (or DOKU) with curl and openssl.
#   LUNAS_URL=http://localhost:5080 CLIENT_ID=BRN-... SECRET_KEY=SK-... requests/create-payment.sh [body.json]
# With no file, a basic request with a fresh invoice number is sent.
set -euo pipefail
url=${LUNAS_URL:-http://localhost:5080}
: "${CLIENT_ID:?set CLIENT_ID}" "${SECRET_KEY:?set SECRET_KEY}"
target=/checkout/v1/payment
if [ $# -gt 0 ]; then body=$(cat "$1"); else
  body="{\"order\":{\"amount\":20000,\"invoice_number\":\"INV-$(date +%s%N)\"},\"payment\":{\"payment_due_date\":60}}"
fi
request_id=$(cat /proc/sys/kernel/random/uuid)
timestamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
digest=$(printf '%s' "$body" | openssl dgst -sha256 -binary | base64 -w0)
string_to_sign=$(printf 'Client-Id:%s\nRequest-Id:%s\nRequest-Timestamp:%s\nRequest-Target:%s\nDigest:%s' \
  "$CLIENT_ID" "$request_id" "$timestamp" "$target" "$digest")
signature=$(printf '%s' "$string_to_sign" | openssl dgst -sha256 -hmac "$SECRET_KEY" -binary | base64 -w0)
curl -sS -i "$url$target" \
  -H "Content-Type: application/json" \
  -H "Client-Id: $CLIENT_ID" -H "Request-Id: $request_id" \
  -H "Request-Timestamp: $timestamp" -H "Signature: HMACSHA256=$signature" \
  --data-binary "$body"
echo
