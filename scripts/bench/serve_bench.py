#!/usr/bin/env python3
"""The editor's loop, timed: `digest serve` beside `hugo server` on the same posts.

usage: serve_bench.py --site-digest DIR [--site-hugo DIR --hugo BIN] --digest BIN [--tries N]

For each server: starts it on a free loopback port and times how long until the home page
answers; then, TRIES times each, times the editor's four saves from the moment the file is
written until the served page shows the change:

  body      a sentence of a post's body changes         (polls the post's page)
  title     the post's title changes                    (polls the home page, which lists it)
  new       a new post is saved                          (polls the new post's URL)
  delete    that post is deleted                         (polls its URL until it is gone)

and reads the server's peak RSS (VmHWM) at the end. Prints one markdown table, medians,
with each digest number's ratio to Hugo's. Stdlib only; every request goes to 127.0.0.1.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

POLL = 0.005
LIMIT = 120.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    """Status and body of a GET; 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, socket.timeout):
        return 0, ""


def wait_for(url, pred, limit=LIMIT):
    """Seconds until pred(status, body) holds for url, polling; None past limit."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        status, body = get(url)
        if pred(status, body):
            return time.monotonic() - start
        time.sleep(POLL)
    return None


def peak_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


class Tool:
    """How one generator lays out the bench post and starts its server."""

    def __init__(self, name, site, cmd, post_dir, front):
        self.name, self.site, self.cmd, self.post_dir, self.front = name, site, cmd, post_dir, front

    def path(self, slug):
        return os.path.join(self.site, self.post_dir, f"{slug}.md")

    def write(self, slug, title, date, body):
        with open(self.path(slug), "w", encoding="utf-8") as f:
            f.write(self.front(title, date, slug) + f"\n<p>{body}</p>\n")


def digest_front(title, date, slug):
    return f"---\ntitle: {title}\ndate: {date} 09:00:00 +0800\nslug: {slug}\ncategories: [基准]\ntags: [AWS]\n---\n"


def hugo_front(title, date, slug):
    return (f'---\ntitle: "{title}"\ndate: {date}T09:00:00+08:00\nslug: {slug}\n'
            f'categories: ["基准"]\ntags: ["AWS"]\n---\n')


def measure(tool, tries):
    os.makedirs(os.path.join(tool.site, tool.post_dir), exist_ok=True)
    tool.write("bench-edit", "基准编辑文章", "2030-01-01", "BENCH-BODY-0")
    if os.path.exists(tool.path("bench-new")):
        os.remove(tool.path("bench-new"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    proc = subprocess.Popen([a.format(port=port, site=tool.site) for a in tool.cmd],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        first = wait_for(base, lambda s, b: s == 200, limit=600)
        if first is None:
            sys.exit(f"{tool.name}: the home page did not answer within 600 s")
        first = time.monotonic() - started
        post = base + "posts/2030/01/bench-edit/"
        new = base + "posts/2030/01/bench-new/"
        if wait_for(post, lambda s, b: "BENCH-BODY-0" in b) is None:
            sys.exit(f"{tool.name}: the bench post is not at {post}")
        times = {"body": [], "title": [], "new": [], "delete": []}
        title = "基准编辑文章"
        for k in range(1, tries + 1):
            time.sleep(1.5)  # let the watcher settle after the last save
            tool.write("bench-edit", title, "2030-01-01", f"BENCH-BODY-{k}")
            times["body"].append(wait_for(post, lambda s, b: f"BENCH-BODY-{k}" in b))
            time.sleep(1.5)
            title = f"基准编辑标题{k}"
            tool.write("bench-edit", title, "2030-01-01", f"BENCH-BODY-{k}")
            times["title"].append(wait_for(base, lambda s, b: title in b))
            time.sleep(1.5)
            tool.write("bench-new", f"基准新文章{k}", "2030-01-02", f"BENCH-NEW-{k}")
            times["new"].append(wait_for(new, lambda s, b: s == 200 and f"BENCH-NEW-{k}" in b))
            time.sleep(1.5)
            os.remove(tool.path("bench-new"))
            times["delete"].append(wait_for(new, lambda s, b: s == 404))
        rss = peak_rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    os.remove(tool.path("bench-edit"))
    med = {}
    for what, ts in times.items():
        if any(t is None for t in ts):
            sys.exit(f"{tool.name}: a {what} save was not served within {LIMIT} s: {ts}")
        med[what] = statistics.median(ts)
    med["first"] = first
    med["rss"] = rss
    return med


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--digest", required=True)
    ap.add_argument("--site-digest", required=True)
    ap.add_argument("--hugo")
    ap.add_argument("--site-hugo")
    ap.add_argument("--tries", type=int, default=3)
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    tools = [Tool("digest serve", a.site_digest,
                  [a.digest, "serve", "--root", "{site}", "--port", "{port}"],
                  "content/bench", digest_front)]
    if a.hugo:
        tools.append(Tool("hugo server", a.site_hugo,
                          [a.hugo, "server", "--source", "{site}", "--port", "{port}",
                           "--bind", "127.0.0.1", "--baseURL", "http://127.0.0.1:{port}/",
                           "--appendPort=false", "--noBuildLock", "--quiet"],
                          "content/posts", hugo_front))
    rows = [(t.name, measure(t, a.tries)) for t in tools]
    hugo = rows[1][1] if len(rows) > 1 else None
    print(f"\n{a.label} (medians of {a.tries} saves each)\n")
    cols = [("first", "first page s"), ("body", "body edit s"), ("title", "title edit s"),
            ("new", "new post s"), ("delete", "deleted post s"), ("rss", "peak RSS MB")]
    print("| server | " + " | ".join(c[1] for c in cols) + " |")
    print("| --- |" + " ---: |" * len(cols))
    for name, m in rows:
        cells = []
        for key, _ in cols:
            v = m[key]
            cell = f"{v}" if key == "rss" else f"{v:.3f}"
            if hugo and name != "hugo server" and hugo.get(key):
                cell += f" ({v / hugo[key]:.2f}×)"
            cells.append(cell)
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
