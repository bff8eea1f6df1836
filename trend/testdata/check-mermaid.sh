#!/usr/bin/env bash
# Renders every Mermaid block of a Markdown trend report with the real
# Mermaid renderer (@mermaid-js/mermaid-cli) on Debian's chromium, and fails
# when one does not render. Usage: check-mermaid.sh [REPORT.md] (default:
# the golden trend.md beside this script). Needs npm and /usr/bin/chromium;
# installs mermaid-cli into $MMDC_DIR (default /tmp/bench-action-mmdc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
report=${1:-$here/trend.md}
dir=${MMDC_DIR:-/tmp/bench-action-mmdc}
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "check-mermaid: $chromium not found (apt-get install chromium)" >&2; exit 1; }
mkdir -p "$dir"
if [ ! -x "$dir/node_modules/.bin/mmdc" ]; then
  (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent @mermaid-js/mermaid-cli@11 >/dev/null)
fi
printf '{"executablePath":"%s","args":["--no-sandbox","--disable-gpu"]}\n' "$chromium" > "$dir/puppeteer.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Split the report's ```mermaid blocks into one file each.
awk -v dir="$work" '
  /^```mermaid$/ { n++; f = sprintf("%s/chart-%02d.mmd", dir, n); inblock = 1; next }
  /^```$/ && inblock { inblock = 0; close(f); next }
  inblock { print > f }
' "$report"
count=0
for f in "$work"/chart-*.mmd; do
  [ -e "$f" ] || { echo "check-mermaid: no mermaid block in $report" >&2; exit 1; }
  out=${f%.mmd}.svg
  if ! "$dir/node_modules/.bin/mmdc" -q -p "$dir/puppeteer.json" -i "$f" -o "$out" >"$work/log" 2>&1; then
    echo "check-mermaid: $(basename "$f") of $report does not render:" >&2
    cat "$work/log" >&2; cat "$f" >&2
    exit 1
  fi
  # mermaid-cli writes an error diagram rather than failing on some syntax errors.
  if grep -q 'Syntax error' "$out"; then
    echo "check-mermaid: $(basename "$f") of $report: Mermaid reports a syntax error" >&2
    cat "$f" >&2
    exit 1
  fi
  grep -q '<polyline\|<path' "$out" || { echo "check-mermaid: $(basename "$f"): no lines drawn" >&2; exit 1; }
  count=$((count + 1))
done
echo "check-mermaid: $count Mermaid chart(s) of $report render"
