// Opens the home page of a built site in Chromium and checks it renders its posts.
// Usage: node smoke.mjs PUBLIC_DIR BASE_PATH
import { serve, launch, Tally } from "./harness.mjs";

const [dir, base = "/"] = process.argv.slice(2);
const t = new Tally("smoke");
const server = await serve(dir, base);
const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const res = await page.goto(server.url);
  t.check(res && res.status() === 200, `home page status ${res && res.status()}`);
  const cards = await page.locator(".post-card").count();
  t.check(cards > 0, `home page shows ${cards} posts`);
  t.check(errors.length === 0, `script errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
  await server.close();
}
t.finish();
