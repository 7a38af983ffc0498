#!/usr/bin/env bash
# One-time exam-machine setup (机房管理员, at the venue's machine check): trust the venue CA and
# nothing else for the kiosk user. Usage: kaowu-kiosk-setup.sh https://kaowu-venue.local:3200 <CA SHA-256 fingerprint>
# The fingerprint is the one the venue server logs at boot ("venue TLS certificate ready").
set -euo pipefail
venue_url=${1:?venue URL, e.g. https://kaowu-venue.local:3200}
expected=${2:?CA fingerprint printed by the venue server}
kiosk_home=/var/lib/kaowu-kiosk
install -d -m 0755 "$kiosk_home" /etc/kaowu
# Fetch the CA without trusting anything yet, then accept it only if the fingerprint matches.
curl --silent --show-error --fail --insecure "$venue_url/api/v1/tls/ca" | python3 -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)["caPem"])' >/etc/kaowu/venue-ca.pem
actual=$(openssl x509 -in /etc/kaowu/venue-ca.pem -noout -fingerprint -sha256 | cut -d= -f2)
if [ "$actual" != "$expected" ]; then
  echo "考点 CA 指纹不符 / venue CA fingerprint mismatch: got $actual" >&2
  rm -f /etc/kaowu/venue-ca.pem
  exit 1
fi
# Chromium on Linux reads user trust anchors from ~/.pki/nssdb: a fresh database holding only the venue CA.
rm -rf "$kiosk_home/.pki" && install -d -m 0700 "$kiosk_home/.pki/nssdb"
certutil -d "sql:$kiosk_home/.pki/nssdb" -N --empty-password
certutil -d "sql:$kiosk_home/.pki/nssdb" -A -t "C,," -n kaowu-venue-ca -i /etc/kaowu/venue-ca.pem
install -m 0644 "$(dirname "$0")/policies/kaowu.json" /etc/chromium/policies/managed/kaowu.json
echo "考试机已信任考点 CA ($actual)"
