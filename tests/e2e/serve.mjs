// `digest serve` in a real browser: an open tab reloads by itself after an edit, and shows
// the error box over the last good page when a post breaks, and loses it once fixed.
// Usage: node serve.mjs DIGEST_BINARY [SCREENSHOT_DIR]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, Tally } from "./harness.mjs";

const [bin, shots] = process.argv.slice(2);
const t = new Tally("serve");
const site = fs.mkdtempSync(path.join(os.tmpdir(), "digest-serve-"));
const post = path.join(site, "content", "posts", "2024-01-02-hello.md");
const write = (body, date) =>
  fs.writeFileSync(post, `---\ntitle: 你好\ndate: ${date}\n---\n\n${body}\n`);
fs.mkdirSync(path.dirname(post), { recursive: true });
write("第一版正文。", "2024-01-02 10:00:00 +0800");

const server = spawn(bin, ["serve", "--port", "0", "--root", site], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("digest serve did not start")), 60000);
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/^serving (\S+)/m);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.on("exit", () => reject(new Error("digest serve exited")));
});

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${url}posts/2024/01/hello/`);
  t.check((await page.textContent(".post-body")).includes("第一版正文。"), "first version shown");
  // a marker that survives only as long as the tab is not reloaded
  await page.evaluate(() => (window.__notReloaded = true));
  await page.waitForTimeout(300); // the tab's event stream connects

  write("第二版正文。", "2024-01-02 10:00:00 +0800");
  await page.waitForFunction(() => document.body.textContent.includes("第二版正文。"), null, {
    timeout: 5000,
  });
  t.check(!(await page.evaluate(() => window.__notReloaded)), "the tab reloaded by itself");

  write("第三版正文。", "2024-13-45");
  await page.waitForSelector("#digest-serve-error", { timeout: 5000 });
  const box = await page.textContent("#digest-serve-error");
  t.check(box.includes("content/posts/2024-01-02-hello.md:3:7"), `error box names the line: ${box}`);
  t.check(await page.isVisible("#digest-serve-error"), "error box is visible");
  t.check((await page.textContent(".post-body")).includes("第二版正文。"), "last good page kept");
  if (shots) await page.screenshot({ path: path.join(shots, "serve-error.png"), fullPage: false });

  write("第四版正文。", "2024-01-02");
  await page.waitForFunction(() => document.body.textContent.includes("第四版正文。"), null, {
    timeout: 5000,
  });
  t.check((await page.locator("#digest-serve-error").count()) === 0, "error box gone once fixed");
} catch (e) {
  t.check(false, String(e));
} finally {
  await browser.close();
  server.kill("SIGINT");
  fs.rmSync(site, { recursive: true, force: true });
}
t.finish();
