// Search benchmark in headless Chromium: digest's search page and Pagefind's JS API on the
// same built site, served from loopback under a sub-path. Prints, per query, the time to the
// first results and the bytes the browser fetched, cold and warm, and the overlap of the two
// top-10 lists. Run by scripts/bench-search.sh, which builds the site, runs Pagefind on it and
// writes RUST_JSON (examples/search_bench.rs); it prints numbers and asserts nothing about them.
//
// Usage: node search-bench.mjs PUBLIC_DIR BASE_PATH RUST_JSON [--tries N] [--json OUT]
//
// Method, for each query and each of N tries:
// - cold: a new browser context (empty HTTP cache), the site's search page loaded, then the
//   query; warm: the same context, the page loaded again (scripts start afresh, the HTTP
//   cache holds what the cold run fetched; the server sends max-age and ETags the way GitHub
//   Pages does), then the same query;
// - digest: the timer starts when the script sets the search box's value and submits the form
//   (form.requestSubmit(), which search.js answers at once: the 150 ms typing debounce is not
//   in the figures) and stops when a MutationObserver sees the first result <li> in the list
//   (all ten of the first page are inserted together, after their doc files arrived);
// - Pagefind: /BASE/pagefind/pagefind.js is imported before the timer (as search.js is loaded
//   with the page), then the timer covers `await pagefind.search(q)` and `.data()` of the
//   first ten results; its first search also loads its WebAssembly and index metadata, as
//   digest's first query loads meta.json;
// - bytes: the requests of the browser context (page and workers) between start and stop
//   for files under BASE/search/ and BASE/pagefind/ (not the page's favicon, say),
//   bytes on the wire (Playwright's request.sizes(): headers and bodies; the server does not
//   gzip, and cached responses count only what was sent), and what the bodies fetched would
//   be gzipped (zlib level 6, as a gzipping server would send them; Pagefind's files are
//   already compressed and barely change).
// Medians over the tries are printed; every try is in the --json output.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { serve, launch } from "./harness.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const tries = Number(opt("--tries", "5"));
const jsonOut = opt("--json", null);
const [dir, base, rustJson] = args;
if (!dir || !base || !rustJson) {
  console.error("usage: node search-bench.mjs PUBLIC_DIR BASE_PATH RUST_JSON [--tries N] [--json OUT]");
  process.exit(2);
}
const rust = JSON.parse(fs.readFileSync(rustJson, "utf8"));
const queries = rust.queries.map((r) => r.query);
const hasPagefind = fs.existsSync(path.join(dir, "pagefind", "pagefind.js"));

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (!s.length) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Gzipped size of a file of the site, by URL path, cached.
const gzCache = new Map();
function gzSize(urlPath) {
  if (!gzCache.has(urlPath)) {
    let n = 0;
    try {
      let rel = decodeURIComponent(urlPath).slice(base.length);
      if (rel === "" || rel.endsWith("/")) rel += "index.html";
      n = zlib.gzipSync(fs.readFileSync(path.join(dir, rel)), { level: 6 }).length;
    } catch {
      n = 0;
    }
    gzCache.set(urlPath, n);
  }
  return gzCache.get(urlPath);
}

// Network accounting for one browser context, Pagefind's web worker included (Playwright
// reports a worker's requests with the context's; a page's CDP session would miss them).
function recorder(context) {
  let log = [];
  const pending = new Set();
  // Only the search's own files: the page's favicon request may fall inside a timed query.
  const counted = (url) => {
    const p = new URL(url).pathname;
    return p !== base + "search/" && (p.startsWith(base + "search/") || p.startsWith(base + "pagefind/"));
  };
  context.on("request", (r) => {
    pending.add(r);
    if (counted(r.url())) log.push(r);
  });
  const settle = (r) => pending.delete(r);
  context.on("requestfinished", settle);
  context.on("requestfailed", settle);
  return {
    reset() {
      log = [];
    },
    // Waits for requests in flight (up to 2 s), then sums them up. A response from the
    // HTTP cache has no body bytes on the wire; a 304 has headers only.
    async totals() {
      const mine = log;
      for (let i = 0; i < 200 && mine.some((r) => pending.has(r)); i++) {
        await new Promise((res) => setTimeout(res, 10));
      }
      const t = { requests: mine.length, fetched: 0, revalidated: 0, from_cache: 0, wire_bytes: 0, gzip_bytes: 0, list: [] };
      for (const r of mine) {
        const res = await r.response().catch(() => null);
        if (!res) continue;
        const sizes = await r.sizes().catch(() => ({ responseBodySize: 0, responseHeadersSize: 0 }));
        const wire = Math.max(0, sizes.responseBodySize) + Math.max(0, sizes.responseHeadersSize);
        t.list.push([r.url().replace(/^[^/]*\/\/[^/]*/, ""), res.status(), sizes.responseBodySize, sizes.responseHeadersSize]);
        if (res.status() === 304) {
          t.revalidated += 1;
          t.wire_bytes += Math.max(0, sizes.responseHeadersSize);
        } else if (res.status() === 200 && sizes.responseBodySize > 0) {
          t.fetched += 1;
          t.wire_bytes += wire;
          t.gzip_bytes += gzSize(new URL(r.url()).pathname);
        } else t.from_cache += 1;
      }
      return t;
    },
  };
}

// One digest query on a loaded search page: ms to the first result, the result links.
async function digestQuery(page, q) {
  return page.evaluate(
    (q) =>
      new Promise((resolve, reject) => {
        const root = document.getElementById("search");
        const input = root.querySelector('input[name="q"]');
        const list = root.querySelector(".search-results");
        const status = root.querySelector(".search-status");
        let t0 = 0;
        const finish = () => {
          const ms = performance.now() - t0;
          obs.disconnect();
          clearTimeout(timer);
          resolve({
            ms,
            hits: Number((status.textContent.match(/\d+/) || ["0"])[0]),
            top: Array.from(list.querySelectorAll("li > a")).map((a) => a.getAttribute("href")),
          });
        };
        const obs = new MutationObserver(() => {
          if (list.querySelector("li")) finish();
          else if (/没有找到/.test(status.textContent)) finish();
          else if (/不可用/.test(status.textContent)) reject(new Error(`search failed: ${status.textContent}`));
        });
        obs.observe(root, { childList: true, subtree: true, characterData: true });
        const timer = setTimeout(() => reject(new Error("no results within 30 s")), 30000);
        t0 = performance.now();
        input.value = q;
        input.form.requestSubmit();
      }),
    q,
  );
}

// One Pagefind query: pagefind.js imported first, then search + data() of the first ten.
async function pagefindImport(page) {
  await page.evaluate(async (base) => {
    window.__pf = await import(base + "pagefind/pagefind.js");
    await window.__pf.options({ baseUrl: base });
  }, base);
}
async function pagefindQuery(page, q) {
  return page.evaluate(async (q) => {
    const t0 = performance.now();
    const s = await window.__pf.search(q);
    const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
    const ms = performance.now() - t0;
    return { ms, hits: s.results.length, top: data.map((d) => d.url) };
  }, q);
}

// Site-relative path of a result link, whatever form it came in.
function rel(u) {
  let p = new URL(u, "http://x" + base).pathname;
  if (p.startsWith(base)) p = p.slice(base.length);
  return p.replace(/index\.html$/, "");
}

const server = await serve(dir, base, { maxAge: 600 });
const searchPage = server.url + "search/";
const browser = await launch();
const results = [];
try {
  for (const q of queries) {
    const row = { query: q, digest: { cold: [], warm: [] }, pagefind: { cold: [], warm: [] } };
    const engines = [["digest", digestQuery]];
    if (hasPagefind) engines.push(["pagefind", pagefindQuery]);
    // Tries alternate between the engines, so a change in the machine's load hits both.
    for (let i = 0; i < tries; i++) {
      for (const [name, run] of engines) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        const net = recorder(context);
        for (const phase of ["cold", "warm"]) {
          await page.goto(searchPage, { waitUntil: "load" });
          if (name === "pagefind") await pagefindImport(page);
          net.reset();
          const r = await run(page, q);
          r.net = await net.totals();
          if (errors.length) r.errors = errors.splice(0);
          row[name][phase].push(r);
        }
        await context.close();
      }
    }
    if (hasPagefind) {
      // Untimed: Pagefind's first hundred, to tell "ranked differently" from "found other posts".
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(searchPage, { waitUntil: "load" });
      await pagefindImport(page);
      row.pagefind.top100 = await page.evaluate(async (q) => {
        const s = await window.__pf.search(q);
        return (await Promise.all(s.results.slice(0, 100).map((r) => r.data()))).map((d) => d.url);
      }, q);
      await context.close();
    }
    results.push(row);
    const d = row.digest, p = row.pagefind;
    const line = [`${q}:`, `digest ${median(d.cold.map((r) => r.ms)).toFixed(0)}/${median(d.warm.map((r) => r.ms)).toFixed(0)} ms`];
    if (hasPagefind) line.push(`pagefind ${median(p.cold.map((r) => r.ms)).toFixed(0)}/${median(p.warm.map((r) => r.ms)).toFixed(0)} ms`);
    console.log("  " + line.join(" ") + " (cold/warm medians)");
  }
} finally {
  await browser.close();
  await server.close();
}

// ---- summary ----
const kb = (n) => (n === null || n === undefined ? "-" : (n / 1024).toFixed(1));
const ms = (n) => (n === null || n === undefined ? "-" : n.toFixed(0));
const rows = [];
const warnings = [];
for (const row of results) {
  const rq = rust.queries.find((r) => r.query === row.query);
  const d = row.digest, p = row.pagefind;
  const dTop = (d.cold[0]?.top || []).map(rel);
  const rustTop = (rq.top || []).map(rel);
  if (JSON.stringify(dTop) !== JSON.stringify(rustTop)) {
    warnings.push(`${row.query}: the browser's top 10 differs from the Rust mirror's (${dTop.length} vs ${rustTop.length})`);
  }
  const out = {
    query: row.query,
    hits: rq.hits,
    rust_bytes: rq.total_bytes,
    d_cold_ms: median(d.cold.map((r) => r.ms)),
    d_warm_ms: median(d.warm.map((r) => r.ms)),
    d_cold_wire: median(d.cold.map((r) => r.net.wire_bytes)),
    d_cold_gz: median(d.cold.map((r) => r.net.gzip_bytes)),
    d_cold_req: median(d.cold.map((r) => r.net.requests)),
    d_warm_wire: median(d.warm.map((r) => r.net.wire_bytes)),
  };
  if (hasPagefind) {
    const pTop = (p.cold[0]?.top || []).map(rel);
    const shared = dTop.filter((u) => pTop.includes(u)).length;
    const p100 = (p.top100 || []).map(rel);
    const d100 = (rq.top100 || []).map(rel);
    const union = new Set([...dTop, ...pTop]).size;
    Object.assign(out, {
      p_hits: p.cold[0]?.hits,
      p_cold_ms: median(p.cold.map((r) => r.ms)),
      p_warm_ms: median(p.warm.map((r) => r.ms)),
      p_cold_wire: median(p.cold.map((r) => r.net.wire_bytes)),
      p_cold_gz: median(p.cold.map((r) => r.net.gzip_bytes)),
      p_cold_req: median(p.cold.map((r) => r.net.requests)),
      p_warm_wire: median(p.warm.map((r) => r.net.wire_bytes)),
      shared,
      jaccard: union ? shared / union : 1,
      d10_in_p100: dTop.filter((u) => p100.includes(u)).length,
      p10_in_d100: pTop.filter((u) => d100.includes(u)).length,
    });
  }
  for (const side of ["digest", "pagefind"]) {
    for (const r of [...row[side].cold, ...row[side].warm]) {
      if (r.errors) warnings.push(`${row.query}: ${side} page errors: ${r.errors.join("; ")}`);
    }
  }
  rows.push(out);
}

// Index sizes: digest's from the Rust figures, Pagefind's by walking its bundle.
function walk(d, out = []) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const f = path.join(d, e.name);
    if (e.isDirectory()) walk(f, out);
    else out.push([path.relative(dir, f), fs.statSync(f).size]);
  }
  return out;
}
const fileSize = (rel) => (fs.existsSync(path.join(dir, rel)) ? fs.statSync(path.join(dir, rel)).size : 0);
const mb = (n) => (n / 1e6).toFixed(1) + " MB";
console.log("");
console.log("| index | bytes | files | of which |");
console.log("| --- | ---: | ---: | --- |");
const di = rust.index;
console.log(`| digest search/ | ${mb(di.bytes)} | ${di.files} | meta.json ${(di.meta_bytes / 1024).toFixed(1)} KB; ${di.shards} term shards ${mb(di.shard_bytes)}; ${di.docs} doc files ${mb(di.doc_bytes)}; search.js ${(fileSize("search.js") / 1024).toFixed(1)} KB |`);
if (hasPagefind) {
  const pf = walk(path.join(dir, "pagefind"));
  const sum = (re) => pf.filter(([f]) => re.test(f)).reduce((a, [, n]) => a + n, 0);
  const count = (re) => pf.filter(([f]) => re.test(f)).length;
  const total = pf.reduce((a, [, n]) => a + n, 0);
  console.log(`| Pagefind pagefind/ | ${mb(total)} | ${pf.length} | ${count(/\.pf_index$/)} index chunks ${mb(sum(/\.pf_index$/))}; ${count(/\.pf_fragment$/)} fragments ${mb(sum(/\.pf_fragment$/))}; pf_meta ${(sum(/\.pf_meta$/) / 1024).toFixed(1)} KB; pagefind.js + worker + wasm ${((fileSize("pagefind/pagefind.js") + fileSize("pagefind/pagefind-worker.js") + sum(/wasm\.[^/]*\.pagefind$/)) / 1024).toFixed(1)} KB (UI files not counted apart) |`);
}
console.log("");
console.log(`Medians of ${tries} tries. ms: from setting the query to the first results (digest: form submit,`);
console.log("no debounce, first <li> inserted; Pagefind: search() + data() of 10). KB: bytes the browser");
console.log("fetched (wire: uncompressed, with headers; gz: the same bodies gzipped). Rust: query_cost.");
if (hasPagefind) console.log("Overlap: top-10 URLs shared (Jaccard of the two sets), and each engine's top 10 found in the other's top 100.");
console.log("");
const head = ["query", "hits", "Rust KB", "cold ms", "warm ms", "cold KB wire", "cold KB gz", "warm KB wire"];
if (hasPagefind) head.push("PF hits", "PF cold ms", "PF warm ms", "PF cold KB wire", "PF cold KB gz", "PF warm KB wire", "top-10 shared", "Jaccard", "digest 10 in PF 100", "PF 10 in digest 100");
const table = [head];
for (const r of rows) {
  const cells = [r.query, String(r.hits), kb(r.rust_bytes), ms(r.d_cold_ms), ms(r.d_warm_ms), kb(r.d_cold_wire), kb(r.d_cold_gz), kb(r.d_warm_wire)];
  if (hasPagefind) cells.push(String(r.p_hits), ms(r.p_cold_ms), ms(r.p_warm_ms), kb(r.p_cold_wire), kb(r.p_cold_gz), kb(r.p_warm_wire), `${r.shared}/10`, r.jaccard.toFixed(2), `${r.d10_in_p100}/10`, `${r.p10_in_d100}/10`);
  table.push(cells);
}
console.log("| " + table[0].join(" | ") + " |");
console.log("|" + table[0].map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|") + "|");
for (const r of table.slice(1)) console.log("| " + r.join(" | ") + " |");
const max = (k) => Math.max(...rows.map((r) => r[k] ?? 0));
console.log("");
console.log(`digest: slowest cold median ${ms(max("d_cold_ms"))} ms (budget 200 ms); most bytes for a query ${kb(max("rust_bytes"))} KB by query_cost, ${kb(max("d_cold_wire"))} KB on the wire (budget 1 MB)`);
for (const w of warnings) console.log("warning: " + w);

if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ tries, base, rust, summary: rows, runs: results }, null, 1));
