#!/usr/bin/env bash
# Install the Debian packages the portal needs, when missing (as root; otherwise say what
# to install). Usage: scripts/system-deps.sh run|test
set -euo pipefail
purpose=${1:-run}

packages=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
python3 -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv)
if [ "$purpose" = test ]; then
  packages+=(chromium poppler-utils postgresql redis-server)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
