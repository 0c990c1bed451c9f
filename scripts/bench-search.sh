#!/usr/bin/env bash
# Search benchmark (issue 6): digest's search index beside Pagefind's on the same generated
# site, in the same run. Prints numbers; asserts nothing about them.
#
#   scripts/bench-search.sh [--quick] [--posts N] [--tries T] [--seed S] [--keep]
#
#   --quick     500 posts and 3 tries a query (a couple of minutes)
#   --posts N   posts to generate (default 10000)
#   --tries T   browser tries per query, engine and cache state (default 5); medians printed
#   --seed S    gen_site.py's seed (default 1)
#   --keep      keep the work folder on /dev/shm (the site, both indexes, the JSON results)
#
# Steps:
#   1. scripts/bench/gen_site.py writes N posts in the five sample shapes; the release digest
#      builds them with --base-url /bench/ into a folder on /dev/shm;
#   2. examples/search_bench.rs prints digest's index size and, per query, the bytes a browser
#      fetches (digest::search::query_cost) and the top ten of the Rust mirror of search.js;
#   3. Pagefind (the pagefind npm package, installed in the work folder; its binary ships
#      inside the package) indexes the same built site: the post pages only (--glob), and in
#      them the <article> (--root-selector), which holds what digest indexes (title, date,
#      categories, tags, body) and leaves out the header, the related-posts list and the
#      previous/next links;
#   4. tests/e2e/search-bench.mjs serves the site from loopback under /bench/ and runs every
#      query in Debian's headless Chromium against digest's search page and Pagefind's JS
#      API, cold and warm cache, and prints the summary table with the overlap of the two
#      top-10 lists (see its header for how time and bytes are measured).
#
# Needs python3, node and npm, chromium (apt-get install -y chromium), and the npm registry
# for pagefind. The machine's load is printed before and after: timings on a busy machine
# are slower and noisier than a reader's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
POSTS=10000
TRIES=5
SEED=1
KEEP=0
PAGEFIND_VERSION=${PAGEFIND_VERSION:-1.6.0}
COMMAND="scripts/bench-search.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) POSTS=500; TRIES=3 ;;
    --posts) POSTS=$2; shift ;;
    --tries) TRIES=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# The sample queries of issue 6, then two-term queries over words of the generator's TAGS and
# CATEGORIES lists (which its posts' text also holds), and one single character that nearly
# every post holds: the longest posting list there is.
QUERIES=(
  "青云" "融资" "阿里云 出海" "OpenStack" "蚂蚁金服" "KubeSphere" "东数西算"
  "容器 微服务" "腾讯云 财报" "Kubernetes Docker" "人工智能 大数据" "云计算 数据中心" "云"
)

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "error: chromium is not installed: apt-get install -y chromium" >&2; exit 1; }

SHM=/dev/shm
[ -d "$SHM" ] && [ -w "$SHM" ] || SHM=${TMPDIR:-/tmp}
WORK=$(mktemp -d "$SHM/digest-search-bench.XXXXXX")
cleanup() { if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }

echo "== search benchmark: $POSTS posts, $TRIES tries, seed $SEED"
echo "command: $COMMAND"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "chromium: $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null || echo '?'); node $(node --version)"
echo "load:    $(uptime)"
echo "work:    $WORK"

echo
echo "== build digest (release) and the search_bench example"
cargo build --release --quiet
cargo build --release --quiet --example search_bench
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DIGEST="$TARGET/release/digest"
SEARCH_BENCH="$TARGET/release/examples/search_bench"

echo
echo "== generate $POSTS posts"
python3 scripts/bench/gen_site.py "$POSTS" "$WORK/gen" --seed "$SEED"
rm -rf "$WORK/gen/hugo" # the generator's Hugo copy of the posts; not used here

echo
echo "== digest build"
SITE="$WORK/site"
t0=$(now)
if ! "$DIGEST" build --quiet --root "$WORK/gen/digest" --base-url /bench/ --output "$SITE" 2>"$WORK/build.log"; then
  tail -n 20 "$WORK/build.log" >&2
  echo "error: digest build failed" >&2
  exit 1
fi
t1=$(now)
echo "digest build: $(secs "$t0" "$t1") s for the whole site, $(find "$SITE" -type f | wc -l) files; $(grep -c '^warning' "$WORK/build.log" || true) warnings (see build.log with --keep)"

echo
echo "== digest index and bytes per query (examples/search_bench.rs)"
"$SEARCH_BENCH" "$SITE" --json "$WORK/digest.json" "${QUERIES[@]}"

echo
echo "== Pagefind $PAGEFIND_VERSION on the same site"
mkdir -p "$WORK/pagefind-npm"
(cd "$WORK/pagefind-npm" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "pagefind@$PAGEFIND_VERSION" >/dev/null)
t0=$(now)
(cd "$WORK/pagefind-npm" && npx --no-install pagefind --site "$SITE" --glob 'posts/**/*.html' --root-selector article.post) >"$WORK/pagefind.log" 2>&1 || {
  cat "$WORK/pagefind.log" >&2
  echo "error: pagefind failed" >&2
  exit 1
}
t1=$(now)
grep -E 'Running Pagefind|Discovered|Indexed [0-9]+ (pages|words)' "$WORK/pagefind.log" | sed 's/^ */  /'
echo "pagefind indexing: $(secs "$t0" "$t1") s"

echo
echo "== browser: headless Chromium, site served from loopback under /bench/"
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
node tests/e2e/search-bench.mjs "$SITE" /bench/ "$WORK/digest.json" --tries "$TRIES" --json "$WORK/results.json"

echo
echo "load after: $(uptime)"
