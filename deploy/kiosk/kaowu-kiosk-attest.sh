#!/usr/bin/env bash
# 考试机认证 key: HMAC-SHA256(venue kiosk secret, SHA-256 of the canonical kiosk configuration).
# The canonical configuration is, byte for byte (libs/shared/crypto kiosk-attestation.ts):
#   kaowu-kiosk-config/1\n  version <VERSION>\n  flag <flag>\n (each flag, in order)  policy\n  <policy file>
# The venue server derives the same key from its own secret (kiosk-attestation.key in its data
# dir) and the configuration it ships (KIOSK_CONFIG_DIR), so a plain browser or a changed policy,
# flag or version is refused (MACHINE_NOT_ATTESTED).
# Usage: kaowu-kiosk-attest.sh [--secret FILE] [--policy FILE] [--flags FILE] [--version FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secret=/etc/kaowu/kiosk-secret
policy="$here/policies/kaowu.json"
flags="$here/chromium-flags.conf"
version="$here/VERSION"
while [ $# -gt 0 ]; do
  case "$1" in
    --secret) secret=$2; shift 2 ;;
    --policy) policy=$2; shift 2 ;;
    --flags) flags=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for f in "$secret" "$policy" "$flags" "$version"; do
  [ -r "$f" ] || { echo "考试机认证：无法读取 $f / cannot read $f" >&2; exit 1; }
done
trim() { sed -e 's/\r$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'; }
digest=$(
  {
    printf 'kaowu-kiosk-config/1\n'
    printf 'version %s\n' "$(head -n 1 "$version" | trim)"
    trim <"$flags" | grep -v -e '^#' -e '^$' | while IFS= read -r flag; do printf 'flag %s\n' "$flag"; done
    printf 'policy\n'
    cat "$policy"
  } | sha256sum | cut -d' ' -f1
)
# The secret is read from its file by python3, never put on a command line.
python3 - "$secret" "$digest" <<'PY'
import hashlib, hmac, sys
secret = open(sys.argv[1], encoding="utf-8").read().strip().encode()
if len(secret) < 16:
    sys.exit("the venue kiosk secret must be at least 16 characters")
print(hmac.new(secret, sys.argv[2].encode(), hashlib.sha256).hexdigest())
PY
