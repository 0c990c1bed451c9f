#!/usr/bin/env bash
# Load run against `digest serve`: the release binary on a free loopback port, then wrk with
# 100 connections for 10 seconds over a mix of pages (home, a post, listings, the stylesheet,
# the feed), then the server is stopped with Ctrl-C (SIGINT), whatever happened.
#
#   scripts/load-serve.sh [SITE_DIR]      (default: this repository, which serves content/)
#
# Needs wrk (apt-get install -y wrk) and python3. Loopback only; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
SITE=${1:-$PWD}
CONNECTIONS=100
DURATION=10s

command -v wrk >/dev/null || { echo "error: wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/digest"

WORK=$(mktemp -d)
"$BIN" serve --root "$SITE" --port 0 >"$WORK/out" 2>"$WORK/err" &
PID=$!
stop() {
  kill -INT "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT

URL=
for _ in $(seq 1 300); do
  URL=$(sed -n 's/^serving //p' "$WORK/out")
  [ -n "$URL" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ]; then
  cat "$WORK/err" >&2
  echo "error: digest serve did not start" >&2
  exit 1
fi
case "$URL" in
  http://127.*|http://\[::1\]*) ;;
  *) echo "error: refusing to load a non-loopback address: $URL" >&2; exit 1 ;;
esac

# The first post page linked from the home page joins the mix.
POST=$(python3 - "$URL" <<'EOF'
import re, sys, urllib.request
html = urllib.request.urlopen(sys.argv[1], timeout=10).read().decode()
m = re.search(r'href="' + re.escape(sys.argv[1]) + r'(posts/[^"]+/)"', html)
print("/" + m.group(1) if m else "/")
EOF
)
cat >"$WORK/mix.lua" <<EOF
local paths = {"/", "$POST", "/archives/", "/categories/", "/tags/", "/style.css", "/atom.xml"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
EOF

echo "digest serve at $URL; wrk: $CONNECTIONS connections, $DURATION, paths / $POST /archives/ /categories/ /tags/ /style.css /atom.xml"
timeout 60 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/mix.lua" "$URL"
