#!/usr/bin/env bash
# Exam machine launcher (考试机): Debian Chromium in kiosk mode on the venue's exam page over HTTPS.
# The seat, machine id and attestation key come from /etc/kaowu/kiosk.env, written at the
# T-90 machine check-in by the 机房管理员. The policies in policies/ switch off everything else;
# kaowu-kiosk-setup.sh has made the venue CA the only trust anchor the kiosk user adds.
set -euo pipefail
source /etc/kaowu/kiosk.env   # VENUE_URL (https://kaowu-venue.local:3200), ROOM, SEAT, MACHINE_ID, ATTESTATION_KEY
case "$VENUE_URL" in https://*) ;; *) echo "VENUE_URL must be https:// (the venue certificate)" >&2; exit 1 ;; esac
profile=$(mktemp -d /tmp/kaowu-kiosk.XXXXXX)
export HOME=/var/lib/kaowu-kiosk   # its ~/.pki/nssdb trusts the venue CA
exec chromium \
  --kiosk --incognito --no-first-run --disable-sync --disable-background-networking \
  --disable-component-update --disable-features=Translate,AutofillServerCommunication \
  --disable-print-preview --disable-dev-tools --noerrdialogs --disable-pinch \
  --user-data-dir="$profile" \
  "${VENUE_URL}/?room=${ROOM}&seat=${SEAT}&machine=${MACHINE_ID}&k=${ATTESTATION_KEY}"
