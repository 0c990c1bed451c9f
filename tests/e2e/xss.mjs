// Opens every page of a site built from the XSS corpora (examples/xss_site.rs) in headless
// Chromium and checks that no script of theirs ran:
//  - alert/confirm/prompt/print and document.write are hooked before any page script
//    (addInitScript, in every frame) and every dialog is recorded;
//  - after parsing, no DOM change outside the theme's own search UI (#search, search.js):
//    a MutationObserver, and a comparison of the live DOM with the page's source parsed
//    without scripts;
//  - no navigation away from the page, no frame, no popup, no script error;
//  - no request to another origin: all are blocked and recorded; only images (which the
//    sanitizer keeps for http(s) sources in post bodies) are allowed to have been tried.
// The search page is also run with hostile queries.
// Usage: node xss.mjs PUBLIC_DIR BASE_PATH     (closing line: "xss: N passed, M failed")
import fs from "node:fs";
import path from "node:path";
import { serve, launch, Tally } from "./harness.mjs";

const [dir, base = "/"] = process.argv.slice(2);
if (!dir || !fs.existsSync(path.join(dir, "index.html"))) {
  console.error("usage: node xss.mjs PUBLIC_DIR BASE_PATH (a built site with index.html)");
  process.exit(2);
}
const WORKERS = Number(process.env.XSS_WORKERS || 4);

function htmlFiles(root) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) out.push(path.relative(root, p).split(path.sep).join("/"));
    }
  };
  walk(root);
  return out.sort();
}

const INIT = `(() => {
  const report = (kind, detail) => {
    try { window.__xssReport(kind, String(detail).slice(0, 300)); } catch (e) { /* binding missing */ }
  };
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = function (...args) { report(name, args.join(" ")); return name === "confirm" ? false : null; };
  }
  Document.prototype.write = function (...a) { report("document.write", a.join("")); };
  Document.prototype.writeln = function (...a) { report("document.writeln", a.join("")); };
  // Watched from the end of parsing on: what the parser builds is compared with the source
  // after load instead (domMatchesSource), which also catches changes made while parsing.
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest && el.closest("#search")) continue; // search.js's own results
      report("dom change", r.type + " on <" + (el ? el.tagName.toLowerCase() : "?") + ">"
        + (r.attributeName ? " " + r.attributeName : "") + " (" + document.readyState + ")");
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }, { capture: true });
})();`;

// In the page: the live DOM against the page's own source parsed with scripting off.
async function domMatchesSource() {
  const src = await (await fetch(location.href, { cache: "no-store" })).text();
  const fresh = new DOMParser().parseFromString(src, "text/html");
  const sig = (doc) =>
    Array.from(doc.querySelectorAll("*"))
      .filter((e) => !e.closest("#search") && !(e.parentElement && e.parentElement.closest("noscript")))
      .map((e) => e.tagName + "[" + Array.from(e.attributes).map((a) => a.name + "=" + a.value).sort().join(" ") + "]");
  const live = sig(document), orig = sig(fresh);
  for (let i = 0; i < Math.max(live.length, orig.length); i++) {
    if (live[i] !== orig[i]) return `element ${i}: source ${orig[i]} but page ${live[i]}`;
  }
  return "";
}

// In the page: poke what a payload might wait for (hover, focus, scrolling), without clicks.
function poke() {
  window.scrollTo(0, document.body ? document.body.scrollHeight : 0);
  for (const el of document.querySelectorAll(".post-body *, .post-header *, .post-card *")) {
    for (const type of ["mouseover", "mouseenter", "mousemove", "focus", "focusin", "animationstart", "transitionend"]) {
      el.dispatchEvent(new Event(type, { bubbles: true }));
    }
  }
  window.dispatchEvent(new Event("scroll"));
  window.dispatchEvent(new Event("resize"));
}

const t = new Tally("xss");
const server = await serve(dir, base);
const browser = await launch();
const externalImages = new Set();
let opened = 0;

async function worker(queue) {
  const context = await browser.newContext();
  let events = [];
  let expected = null;
  await context.exposeBinding("__xssReport", (_source, kind, detail) => events.push(`${kind}: ${detail}`));
  await context.addInitScript(INIT);
  await context.route("**/*", (route) => {
    const req = route.request();
    const u = new URL(req.url());
    if (u.origin === server.origin) return route.continue();
    if (req.resourceType() === "image") externalImages.add(u.origin);
    else events.push(`request to another origin: ${req.resourceType()} ${req.url().slice(0, 200)}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("dialog", (d) => { events.push(`dialog ${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on("pageerror", (e) => events.push(`script error: ${String(e).slice(0, 200)}`));
  page.on("popup", (p) => events.push(`popup: ${p.url()}`));
  page.on("frameattached", (f) => events.push(`frame attached: ${f.url()}`));
  page.on("websocket", (w) => events.push(`websocket: ${w.url()}`));
  page.on("framenavigated", (f) => {
    if (f !== page.mainFrame()) return events.push(`frame navigated: ${f.url()}`);
    const u = new URL(f.url());
    if (expected && (u.origin !== expected.origin || u.pathname !== expected.pathname)) {
      events.push(`navigated away to ${f.url().slice(0, 200)}`);
    }
  });
  for (let job = queue.shift(); job; job = queue.shift()) {
    events = [];
    expected = new URL(job.url);
    try {
      const res = await page.goto(job.url, { waitUntil: "load", timeout: 30000 });
      const status = res ? res.status() : 0;
      if (status !== 200 && !job.url.endsWith("404.html")) events.push(`status ${status}`);
      if (job.search) {
        await page.waitForFunction(() => {
          const s = document.querySelector("#search-status");
          return s && s.textContent && s.textContent !== "正在搜索…";
        }, null, { timeout: 15000 }).catch(() => events.push("search did not finish"));
      }
      await page.evaluate(poke);
      await page.waitForTimeout(30);
      const diff = await page.evaluate(domMatchesSource);
      if (diff) events.push(`DOM differs from the source: ${diff.slice(0, 300)}`);
      if (new URL(page.url()).pathname !== expected.pathname) events.push(`left the page for ${page.url()}`);
    } catch (e) {
      events.push(`cannot check: ${String(e).slice(0, 200)}`);
    }
    opened += 1;
    if (opened % 500 === 0) console.error(`xss: ${opened} pages opened`);
    t.check(events.length === 0, `${job.name}: ${events.slice(0, 5).join(" | ")}`);
  }
  await context.close();
}

try {
  const queue = htmlFiles(dir).map((rel) => ({
    name: rel,
    url: server.url + rel.replace(/(^|\/)index\.html$/, "$1"),
  }));
  const pages = queue.length;
  for (const q of [
    "alert",
    "script",
    "onerror",
    "javascript",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
  ]) {
    queue.push({ name: `search ${q}`, url: `${server.url}search/?q=${encodeURIComponent(q)}`, search: true });
  }
  const searches = queue.length - pages;
  await Promise.all(Array.from({ length: WORKERS }, () => worker(queue)));
  console.log(
    `xss: opened ${opened} pages (${pages} pages of the site, ${searches} searches); ` +
      `external images blocked from ${externalImages.size} origins (allowed in post bodies, never loaded)`,
  );
} finally {
  await browser.close();
  await server.close();
}
t.finish();
// Open keep-alive connections can keep the server, and so node, alive after close().
process.exit(process.exitCode ?? 0);
