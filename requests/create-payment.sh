#!/usr/bin/env bash
# Sends a signed create-payment request to Lunas (or DOKU).
#   LUNAS_URL=http://localhost:5080 CLIENT_ID=BRN-... SECRET_KEY=SK-... requests/create-payment.sh [body.json]
# With no file, DOKU's basic request with a fresh invoice number is sent.
set -euo pipefail
if [ $# -gt 0 ]; then body=$(cat "$1"); else
  body="{\"order\":{\"amount\":20000,\"invoice_number\":\"INV-$(date +%s%N)\"},\"payment\":{\"payment_due_date\":60}}"
fi
exec "$(dirname "$0")/signed.sh" POST /checkout/v1/payment "$body"
