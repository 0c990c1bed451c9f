// Types the sample queries into the search box of a built site served under a sub-path and
// reads the results from the page, as a reader would.
// Usage: node search.mjs PUBLIC_DIR BASE_PATH   (a site built from the repository's content/)
import { serve, launch, Tally } from "./harness.mjs";

const [dir, base = "/"] = process.argv.slice(2);
const EXPECT = [
  ["青云", "青云科技2021年报"],
  ["融资", "首发| 青云QingCloud宣布完成10.8亿元D轮融资"],
  ["阿里云 出海", "阿里云们的十字路口"],
  ["OpenStack", "云计算为中国式创新打开了一扇门"],
  ["蚂蚁金服", "政府领导及企业高管参阅"],
  ["KubeSphere", "青云科技2021年报"],
  ["东数西算", "青云科技2021年报"],
];
const t = new Tally("search");
const server = await serve(dir, base);
const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // from the home page: the header's search box leads to the search page
  await page.goto(server.url);
  await page.fill("#site-search", "阿里云 出海");
  await page.press("#site-search", "Enter");
  await page.waitForURL(/\/search\/\?q=/);
  t.check(page.url().startsWith(server.url + "search/"), `header search went to ${page.url()}`);
  await page.waitForSelector(".search-results li a", { timeout: 5000 });
  const first = await page.locator(".search-results li a").first().textContent();
  t.check(first.includes("阿里云们的十字路口"), `header search first result: ${first}`);

  for (const [query, expected] of EXPECT) {
    await page.fill("#search-q", "");
    await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 0, null, { timeout: 5000 });
    const start = Date.now();
    await page.fill("#search-q", query);
    await page.waitForFunction(
      (exp) => {
        const a = document.querySelector(".search-results li a");
        return a && a.textContent.includes(exp);
      },
      expected,
      { timeout: 5000 },
    ).catch(() => {});
    const ms = Date.now() - start;
    const titles = await page.locator(".search-results li a").allTextContents();
    t.check(titles.length > 0 && titles[0].includes(expected), `${query}: first result ${JSON.stringify(titles[0])}, expected ${expected}`);
    const marks = await page.locator(".search-results mark").count();
    t.check(marks > 0, `${query}: no highlighted terms`);
    const href = await page.locator(".search-results li a").first().getAttribute("href");
    t.check(new URL(href, page.url()).pathname.startsWith(base), `${query}: result link ${href} is not under ${base}`);
    console.log(`  ${query}: ${titles.length} results, first ${JSON.stringify(titles[0])}, ${ms} ms from input to first results (150 ms debounce included)`);
  }
  await page.fill("#search-q", "区块链游戏元宇宙");
  await page.waitForTimeout(600);
  t.check((await page.locator(".search-results li").count()) === 0, "a query that matches nothing shows results");
  // keyboard: the first result can be reached and followed without a mouse
  await page.fill("#search-q", "OpenStack");
  await page.waitForSelector(".search-results li a");
  await page.focus("#search-q");
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  t.check(focused && focused.includes("云计算为中国式创新"), `ArrowDown focused ${focused}`);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/posts\//);
  t.check(page.url().includes("/posts/"), `Enter on a result opened ${page.url()}`);
  t.check(errors.length === 0, `script errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
  await server.close();
}
t.finish();
