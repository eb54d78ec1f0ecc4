#!/usr/bin/env bash
# Debian packages the tests need: Chromium for Playwright (never a downloaded browser),
# qpdf for the PDF checks and the fast ficha merger, clamav-daemon (clamd) for the
# antivirus tests (they run it on loopback with a local EICAR signature: freshclam is
# never run), poppler-utils (pdftotext) for the tests that read a PDF's text as a reader
# would (the ficha, the constancia), nginx for the cluster journey.
# Installed only when missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v qpdf >/dev/null || need+=(qpdf)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ -x /usr/sbin/clamd ] || command -v clamd >/dev/null || need+=(clamav-daemon)
# nginx: the reverse proxy of scripts/cluster.sh and its journey (docs/deploy.md).
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
