#!/usr/bin/env bash
# One-time exam-machine setup (机房管理员, at the venue's machine check): trust the venue CA and
# nothing else for the kiosk user; install the kiosk configuration and the venue's kiosk secret.
# Usage: kaowu-kiosk-setup.sh https://kaowu-venue.local:3200 <CA SHA-256 fingerprint> <kiosk secret file>
# The fingerprint is the one the venue server logs at boot ("venue TLS certificate ready"); the
# secret file is kiosk-attestation.key from the venue data dir, brought on the technician's medium.
set -euo pipefail
venue_url=${1:?venue URL, e.g. https://kaowu-venue.local:3200}
expected=${2:?CA fingerprint printed by the venue server}
secret_file=${3:?kiosk secret file (kiosk-attestation.key from the venue data dir)}
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
here=$(dirname "$0")
install -m 0644 "$here/policies/kaowu.json" /etc/chromium/policies/managed/kaowu.json
install -m 0644 "$here/chromium-flags.conf" "$here/VERSION" /etc/kaowu/
install -m 0755 "$here/kaowu-kiosk-attest.sh" /etc/kaowu/kaowu-kiosk-attest.sh
# Readable by the kiosk user (the launcher derives the key), by nobody else.
install -m 0640 -o root -g kaowu-kiosk "$secret_file" /etc/kaowu/kiosk-secret
echo "考试机认证 key: $(/etc/kaowu/kaowu-kiosk-attest.sh --secret /etc/kaowu/kiosk-secret --policy /etc/chromium/policies/managed/kaowu.json --flags /etc/kaowu/chromium-flags.conf --version /etc/kaowu/VERSION | cut -c1-12)…"
echo "考试机已信任考点 CA ($actual)"
