// Lighthouse 12 on three pages of a built site, in Debian's headless Chromium: the home page,
// the newest post and the first category. Prints the four category scores per page and fails
// when one is below its target (performance 95, accessibility, best practices and SEO 100).
//
// Outside requests: the theme makes none, so on every page each request to another host must
// be an <img> of the post itself (the sample posts show pictures from news sites' CDNs). This
// closed network cannot resolve those hosts; a failed load is logged as a console error, which
// would cost "best practices" points for the network, not the page. So the run blocks the
// hosts the page's images name (Lighthouse's own blockedUrlPatterns, whose failures its
// errors-in-console audit leaves out by default) and says so on the page's line.
//
// Usage: node lighthouse.mjs PUBLIC_DIR [BASE_PATH] [--json OUT_DIR] [--no-block]
//   --no-block         let the image requests fail as they do here, to see what that costs
//   LIGHTHOUSE_RUNS=N  runs per page (default 3); the median by performance is reported
import fs from "node:fs";
import path from "node:path";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { serve, CHROMIUM_FLAGS, Tally } from "./harness.mjs";

const args = process.argv.slice(2);
const jsonAt = args.indexOf("--json");
const jsonDir = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : null;
const noBlockAt = args.indexOf("--no-block");
const block = noBlockAt < 0;
if (!block) args.splice(noBlockAt, 1);
const [dir, base = "/"] = args;
if (!dir) {
  console.error("usage: node lighthouse.mjs PUBLIC_DIR [BASE_PATH] [--json OUT_DIR]");
  process.exit(2);
}

const TARGETS = { performance: 95, accessibility: 100, "best-practices": 100, seo: 100 };
// Performance is timed on a shared machine, so it is the median of a few runs; the other
// categories check the page itself and come out the same on every run.
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS || 3));

const read = (rel) => fs.readFileSync(path.join(dir, rel), "utf8");
/** The first `href` after `class="cls"` in the theme's own markup. */
function firstLink(html, cls) {
  const m = html.match(new RegExp(`class="${cls}"[^]*?href="([^"]+)"`));
  return m && m[1];
}
/** The built file a site URL path is served from. */
function fileOf(urlPath) {
  const rel = decodeURIComponent(urlPath).slice(base.length);
  return rel === "" || rel.endsWith("/") ? rel + "index.html" : rel;
}
/** `src` of every <img> in a page. */
function imageSources(html) {
  return [...html.matchAll(/<img\b[^>]*?\ssrc="([^"]+)"/g)].map((m) => m[1].replaceAll("&amp;", "&"));
}

const pages = [
  ["home", base],
  ["post", firstLink(read("index.html"), "post-card-title")],
  ["category", firstLink(read("categories/index.html"), "term-tree")],
];

const t = new Tally("lighthouse");
const server = await serve(dir, base);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", ...CHROMIUM_FLAGS],
});
try {
  for (const [name, href] of pages) {
    if (!href) {
      t.check(false, `${name}: no link to it in the built site`);
      continue;
    }
    const url = new URL(href, server.origin);
    const images = imageSources(read(fileOf(url.pathname)))
      .map((src) => new URL(src, url))
      .filter((u) => u.origin !== server.origin);
    const blockedHosts = block ? [...new Set(images.map((u) => u.host))].sort() : [];
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const result = await lighthouse(url.href, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: Object.keys(TARGETS),
        blockedUrlPatterns: blockedHosts.map((h) => `*://${h}/*`),
      });
      runs.push(result.lhr);
    }
    runs.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
    const lhr = runs[Math.floor(runs.length / 2)];
    if (jsonDir) {
      fs.mkdirSync(jsonDir, { recursive: true });
      fs.writeFileSync(path.join(jsonDir, `${name}.json`), JSON.stringify(lhr));
    }
    const scores = Object.fromEntries(
      Object.keys(TARGETS).map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)]),
    );
    const perfRuns = runs.map((r) => Math.round(r.categories.performance.score * 100));
    console.log(`${name}: ${url.pathname}`);
    console.log(
      "  " + Object.entries(scores).map(([c, s]) => `${c} ${s}`).join(", ") +
        (RUNS > 1 ? `  (performance of ${RUNS} runs: ${perfRuns.join(" ")})` : ""),
    );

    // every request to another host is one of the post's own images
    const outside = [...new Set((lhr.audits["network-requests"].details?.items || []).map((r) => r.url))]
      .map((r) => new URL(r))
      .filter((u) => u.protocol.startsWith("http") && u.origin !== server.origin);
    const imageSet = new Set(images.map((u) => u.href));
    const notImages = outside.filter((u) => !imageSet.has(u.href));
    t.check(notImages.length === 0, `${name}: requests outside the site that no post image explains: ${notImages.join(", ")}`);
    if (outside.length) {
      console.log(
        `  ${outside.length} request(s) for the post's own images ` +
          (block ? `blocked (no outside network here): ${blockedHosts.join(", ")}` : "left to fail (--no-block)"),
      );
    }

    for (const [c, target] of Object.entries(TARGETS)) {
      const failing = lhr.categories[c].auditRefs
        .filter((r) => r.weight > 0 && (lhr.audits[r.id].score ?? 1) < 1)
        .map((r) => `${r.id} (${lhr.audits[r.id].displayValue || lhr.audits[r.id].score})`);
      t.check(scores[c] >= target, `${name}: ${c} ${scores[c]} < ${target}: ${failing.join(", ")}`);
    }
  }
} finally {
  chrome.kill();
  await server.close();
}
t.finish();
