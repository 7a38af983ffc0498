#!/usr/bin/env bash
# Exam machine launcher (考试机): Debian Chromium in kiosk mode on the venue's exam page over HTTPS.
# The seat and machine id come from /etc/kaowu/kiosk.env, written at the T-90 machine check-in by
# the 机房管理员. The attestation key is derived here, at every launch, from the configuration this
# machine really runs (the installed policy, the flags below, the kiosk version) and the venue's
# kiosk secret: a changed policy or flag gives another key and the venue refuses the machine.
# kaowu-kiosk-setup.sh has installed those files and made the venue CA the only added trust anchor.
set -euo pipefail
source /etc/kaowu/kiosk.env   # VENUE_URL (https://kaowu-venue.local:3200), ROOM, SEAT, MACHINE_ID
case "$VENUE_URL" in https://*) ;; *) echo "VENUE_URL must be https:// (the venue certificate)" >&2; exit 1 ;; esac
key=$(/etc/kaowu/kaowu-kiosk-attest.sh --secret /etc/kaowu/kiosk-secret --policy /etc/chromium/policies/managed/kaowu.json \
  --flags /etc/kaowu/chromium-flags.conf --version /etc/kaowu/VERSION)
mapfile -t flags < <(sed -e 's/\r$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' /etc/kaowu/chromium-flags.conf | grep -v -e '^#' -e '^$')
profile=$(mktemp -d /tmp/kaowu-kiosk.XXXXXX)
export HOME=/var/lib/kaowu-kiosk   # its ~/.pki/nssdb trusts the venue CA
exec chromium "${flags[@]}" --user-data-dir="$profile" \
  "${VENUE_URL}/?room=${ROOM}&seat=${SEAT}&machine=${MACHINE_ID}&k=${key}"
