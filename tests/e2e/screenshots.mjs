// Screenshots of a built site in headless Chromium: the home page and the newest post, 375 px
// and 1280 px wide, light and dark. Also runs axe's colour-contrast rule in both schemes
// (Lighthouse only sees the light one) and fails when it finds anything.
// Usage: node screenshots.mjs PUBLIC_DIR OUT_DIR [BASE_PATH] [--all]
//   writes OUT_DIR/{home,post}-{375,1280}-{light,dark}.png, whole pages; --all adds the
//   category list, a category, the tags, the archives, the search page with a query and 404
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serve, launch, Tally } from "./harness.mjs";

const args = process.argv.slice(2);
const all = args.includes("--all");
const [dir, out, base = "/"] = args.filter((a) => a !== "--all");
if (!dir || !out) {
  console.error("usage: node screenshots.mjs PUBLIC_DIR OUT_DIR [BASE_PATH]");
  process.exit(2);
}
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const home = fs.readFileSync(path.join(dir, "index.html"), "utf8");
const post = home.match(/class="post-card-title"[^]*?href="([^"]+)"/)?.[1];
const pages = [["home", base], ["post", post]];
if (all) {
  const cats = fs.readFileSync(path.join(dir, "categories", "index.html"), "utf8");
  pages.push(
    ["categories", base + "categories/"],
    ["category", cats.match(/class="term-tree"[^]*?href="([^"]+)"/)?.[1]],
    ["tags", base + "tags/"],
    ["archives", base + "archives/"],
    ["search", base + "search/?q=" + encodeURIComponent("阿里云 出海")],
    ["404", base + "no-such-page/"],
  );
}

const t = new Tally("screenshots");
fs.mkdirSync(out, { recursive: true });
const server = await serve(dir, base);
const browser = await launch();
try {
  for (const [name, href] of pages) {
    for (const width of [375, 1280]) {
      for (const colorScheme of ["light", "dark"]) {
        const page = await browser.newPage({ viewport: { width, height: width < 600 ? 812 : 900 } });
        // this network has no outside world: the posts' own remote images fail at once
        await page.route((u) => !u.href.startsWith(server.origin), (r) => r.abort());
        await page.emulateMedia({ colorScheme });
        await page.goto(new URL(href, server.origin).href, { waitUntil: "load" });
        if (name === "search") await page.waitForSelector(".search-results li", { timeout: 5000 }).catch(() => {});
        const file = path.join(out, `${name}-${width}-${colorScheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        // nothing wider than the viewport
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        t.check(scrollWidth <= width, `${name} ${width} ${colorScheme}: page is ${scrollWidth} px wide`);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run(document, { runOnly: ["color-contrast"] });
          return r.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`));
        });
        t.check(violations.length === 0, `${name} ${width} ${colorScheme}: contrast\n  ${violations.join("\n  ")}`);
        console.log(`  ${file}`);
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
t.finish();
