// Shared pieces of the browser checks: a static server for a built site (mounted under a
// base path, as GitHub Pages serves a project page) and Debian's Chromium, headless.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { chromium } from "playwright-core";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * Serves `root` under `basePath` (e.g. "/digest/") on a free loopback port. With
 * `{ maxAge: SECONDS }` responses carry `Cache-Control: max-age` and an `ETag`, and a
 * matching `If-None-Match` gets a 304, the way GitHub Pages lets a browser cache a site.
 */
export async function serve(root, basePath = "/", { maxAge } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(basePath)) {
      res.writeHead(404).end("outside the site");
      return;
    }
    rel = rel.slice(basePath.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(root, rel);
    if (!file.startsWith(path.resolve(root) + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        const page404 = path.join(root, "404.html");
        res.writeHead(404, { "content-type": TYPES[".html"] });
        res.end(fs.existsSync(page404) ? fs.readFileSync(page404) : "not found");
        return;
      }
      const headers = { "content-type": TYPES[path.extname(file)] || "application/octet-stream" };
      if (maxAge !== undefined) {
        const etag = `"${createHash("sha1").update(data).digest("hex").slice(0, 16)}"`;
        headers["cache-control"] = `max-age=${maxAge}`;
        headers.etag = etag;
        if (req.headers["if-none-match"] === etag) {
          res.writeHead(304, headers).end();
          return;
        }
      }
      res.writeHead(200, headers);
      res.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${basePath}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The flags Chromium needs here: no sandbox in a container, no GPU, no calls home. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/** Counts failures and prints the closing line the CI log reads. */
export class Tally {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.failed = 0;
  }
  check(ok, what) {
    if (ok) this.passed += 1;
    else {
      this.failed += 1;
      console.log(`FAIL ${this.name}: ${what}`);
    }
  }
  finish() {
    console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed ? 1 : 0;
  }
}
