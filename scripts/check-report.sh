#!/usr/bin/env bash
# Renders a service report in headless Chromium, saves a screenshot and checks that its
# four charts drew. Installs what it needs: Debian's chromium (apt-get, as root) and
# playwright-core from npm into scripts/reportcheck/node_modules.
# Usage: scripts/check-report.sh REPORT.html [SCREENSHOT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
report=$(realpath "${1:?usage: scripts/check-report.sh REPORT.html [SCREENSHOT.png]}")
shot=$(realpath -m "${2:-${report%.html}.png}")
if ! command -v chromium >/dev/null; then
  echo "installing chromium (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null; then
  echo "installing nodejs and npm (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -d scripts/reportcheck/node_modules/playwright-core ]; then
  (cd scripts/reportcheck && npm install --no-audit --no-fund --silent)
fi
node scripts/reportcheck/check.mjs "$report" "$shot"
