#!/usr/bin/env bash
# Install the Debian packages the project needs, when they are missing.
#   fonts    -> fonts-noto-cjk (Chinese in charts and reports)
#   browser  -> chromium (the HTML reports are opened in headless Chromium by the tests, and
#               `indicators run --pdf` / `indicators report --pdf` print PDFs with it)
#   pdf      -> poppler-utils (pdfinfo and pdftotext: the tests count a PDF's pages and read its text)
# Usage: scripts/install-system-deps.sh fonts [browser] [pdf]
set -euo pipefail

want=()
for what in "$@"; do
  case "$what" in
    fonts)   [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || want+=(fonts-noto-cjk) ;;
    browser) command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || want+=(chromium) ;;
    pdf)     { command -v pdfinfo && command -v pdftotext; } >/dev/null 2>&1 || want+=(poppler-utils) ;;
    *) echo "error: unknown group '$what' (use fonts, browser, pdf)" >&2; exit 2 ;;
  esac
done
[ ${#want[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing Debian packages: ${want[*]}. Install them with: sudo apt-get install ${want[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
