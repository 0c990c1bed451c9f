#!/usr/bin/env python3
"""Checks a built digest site the way feed readers, crawlers and browsers see it.

Usage: check_site.py PUBLIC_DIR BASE_URL [--feeds] [--sitemap XSD]

- links: every href/src on every HTML page that points into the site (under BASE_URL, or
  site-relative) resolves to a file in PUBLIC_DIR;
- feeds (--feeds): every atom.xml and rss.xml parses with feedparser without a bozo error,
  has as many entries as the listing it belongs to (up to the feed limit), and each entry's
  title and date match the post page it links to;
- sitemap (--sitemap XSD): sitemap.xml validates against the schema (xmllint), and lists
  every HTML page but 404.html.
Prints a summary line and exits 1 on any problem.
"""
import argparse
import datetime as dt
import html.parser
import os
import re
import subprocess
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []
        self.h1 = None
        self._in_h1 = False
        self.times = []
        self._in_meta = False
        self._body_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div":
            if self._body_depth:
                self._body_depth += 1
            elif "post-body" in (a.get("class") or ""):
                self._body_depth = 1
        for key in ("href", "src"):
            if a.get(key) is not None and tag in ("a", "link", "img", "script", "source"):
                self.refs.append((a[key], self._body_depth > 0))
        if tag == "h1" and "post-title" in (a.get("class") or ""):
            self._in_h1 = True
            self.h1 = ""
        if tag == "p" and "post-meta" in (a.get("class") or ""):
            self._in_meta = True
        if tag == "time" and self._in_meta and a.get("datetime"):
            self.times.append(a["datetime"])

    def handle_endtag(self, tag):
        if tag == "div" and self._body_depth:
            self._body_depth -= 1
        if tag == "h1":
            self._in_h1 = False
        if tag == "p":
            self._in_meta = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def parse_page(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def target(public, base, ref):
    """The file a reference resolves to, or None when it leaves the site."""
    ref = ref.split("#")[0].split("?")[0]
    if not ref or ref.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*:", ref) and not ref.startswith(base):
        return None
    if ref.startswith(base):
        rest = ref[len(base):]
    elif ref.startswith("/"):
        base_path = urllib.parse.urlparse(base).path if "://" in base else base
        if not ref.startswith(base_path):
            return ("outside", ref)
        rest = ref[len(base_path):]
    else:
        return None  # page-relative: not produced by digest's templates
    rest = urllib.parse.unquote(rest)
    if rest == "" or rest.endswith("/"):
        rest += "index.html"
    return os.path.join(public, rest)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("public")
    ap.add_argument("base_url")
    ap.add_argument("--feeds", action="store_true")
    ap.add_argument("--sitemap")
    ap.add_argument("--feed-limit", type=int, default=20)
    ap.add_argument(
        "--skip-post-body-links",
        action="store_true",
        help="count, but do not fail on, missing files that post bodies link to "
        "(third-party posts whose images were not copied)",
    )
    args = ap.parse_args()
    public, base = args.public.rstrip("/"), args.base_url
    problems = []
    pages = {}
    for dirpath, _, files in os.walk(public):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(dirpath, name)
                pages[os.path.relpath(path, public)] = parse_page(path)
    links = 0
    skipped = 0
    for rel, page in sorted(pages.items()):
        for ref, in_body in page.refs:
            t = target(public, base, ref)
            if t is None:
                continue
            links += 1
            problem = None
            if isinstance(t, tuple):
                problem = f"{rel}: link {ref} points outside the base URL {base}"
            elif not os.path.isfile(t):
                problem = f"{rel}: link {ref} resolves to missing {os.path.relpath(t, public)}"
            if problem and in_body and args.skip_post_body_links:
                skipped += 1
            elif problem:
                problems.append(problem)
    summary = [f"{len(pages)} pages", f"{links} internal links"]
    if args.skip_post_body_links:
        summary.append(f"{skipped} missing files linked from post bodies (not checked)")

    if args.feeds:
        import feedparser

        feeds = 0
        for dirpath, _, files in os.walk(public):
            for name in files:
                if name not in ("atom.xml", "rss.xml"):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, public)
                feeds += 1
                d = feedparser.parse(path)
                if d.bozo:
                    problems.append(f"{rel}: feed does not parse: {d.bozo_exception}")
                    continue
                listing_dir = os.path.dirname(rel)
                if listing_dir == "":
                    expected = sum(1 for p in pages if p.startswith("posts/"))
                else:
                    listing = pages.get(os.path.join(listing_dir, "index.html"))
                    if listing is None:
                        problems.append(f"{rel}: no listing page beside the feed")
                        continue
                    with open(os.path.join(public, listing_dir, "index.html"), encoding="utf-8") as f:
                        m = re.search(r'<h1>.*?<span class="count">\((\d+)\)</span>', f.read(), re.S)
                    expected = int(m.group(1)) if m else -1
                expected = min(expected, args.feed_limit)
                if len(d.entries) != expected:
                    problems.append(f"{rel}: {len(d.entries)} entries, expected {expected}")
                for e in d.entries:
                    t = target(public, base, e.link)
                    if t is None or isinstance(t, tuple) or not os.path.isfile(t):
                        problems.append(f"{rel}: entry link {e.link} does not resolve")
                        continue
                    page = pages[os.path.relpath(t, public)]
                    if (page.h1 or "").strip() != e.title:
                        problems.append(f"{rel}: entry title {e.title!r} != page title {page.h1!r}")
                    stamp = e.get("published_parsed") or (e.get("updated_parsed") if name == "rss.xml" else None)
                    if page.times and stamp:
                        want = dt.datetime.fromisoformat(page.times[0].replace("Z", "+00:00")).astimezone(dt.timezone.utc)
                        got = dt.datetime(*stamp[:6], tzinfo=dt.timezone.utc)
                        if want != got:
                            problems.append(f"{rel}: entry {e.title!r} dated {got}, page says {want}")
                    elif page.times and not stamp:
                        problems.append(f"{rel}: entry {e.title!r} has no date")
        summary.append(f"{feeds} feeds")

    if args.sitemap:
        sm = os.path.join(public, "sitemap.xml")
        r = subprocess.run(["xmllint", "--noout", "--schema", args.sitemap, sm], capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"sitemap.xml: {r.stderr.strip()}")
        with open(sm, encoding="utf-8") as f:
            locs = set(re.findall(r"<loc>(.*?)</loc>", f.read()))
        for rel in pages:
            if rel == "404.html":
                continue
            url = base + rel[: -len("index.html")] if rel.endswith("index.html") else base + rel
            if url not in locs:
                problems.append(f"sitemap.xml: missing {url}")
        summary.append(f"sitemap {len(locs)} urls")

    for p in problems:
        print(p)
    print(f"check_site {public} ({base}): " + ", ".join(summary) + f"; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
