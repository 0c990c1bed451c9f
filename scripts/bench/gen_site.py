#!/usr/bin/env python3
"""Deterministic benchmark sites: N posts for digest and the same N posts for Hugo.

usage: gen_site.py N OUT [--seed S] [--content DIR]

Reads the five sample posts in the repository's content/ (one of each shape digest reads)
and recombines their sentences, HTML paragraphs and report lines into N new posts, one
fifth in each shape:

  tsv     OUT/digest/content/rongzi/<year>/pNNNNNN.tsv    title TAB summary TAB body,
                                                          paragraphs after U+3000 U+3000
  jekyll  OUT/digest/content/finews/<year>/pNNNNNN.md     Jekyll YAML front matter + HTML
  report  OUT/digest/content/baogao/<year>/pNNNNNN.txt    markdown-ish report, no front matter
  hexo    OUT/digest/content/cls/<year>/pNNNNNN.html      Hexo front matter after a blank
                                                          line, list categories, RFC 2822 date
  plain   OUT/digest/content/guancha/<year>/pNNNNNN.txt   plain text, a paragraph a line

and each post again as OUT/hugo/content/posts/pNNNNNN.md: YAML front matter with the
same title, date, categories and tags digest reads from the native file, and the same
body as HTML or markdown. Shapes without categories take the folder's name, as digest
does. Python 3 standard library only; the same (N, seed, content/) give the same bytes.
"""
import argparse
import datetime as dt
import html
import json
import random
import re
from pathlib import Path

SHAPES = ["tsv", "jekyll", "report", "hexo", "plain"]
FOLDER = {"tsv": "rongzi", "report": "baogao", "plain": "guancha"}
CATEGORIES = ["阿里云", "腾讯云", "华为云", "青云", "金融", "财联社", "深度", "云原生",
              "数据中心", "政策", "aws", "azure", "kubernetes", "openstack", "devops"]
TAGS = ("阿里云 腾讯云 华为云 青云 容器 微服务 边缘计算 混合云 私有云 公有云 数据库 大数据 "
        "人工智能 大模型 算力 芯片 信创 开源 生态 出海 融资 财报 上市 营收 政策 安全 运维 "
        "SaaS PaaS IaaS AWS Azure Kubernetes Docker OpenStack Ceph Serverless DevOps Redis "
        "MySQL Kafka Spark TiDB KubeSphere EasyStack").split()
CST = dt.timezone(dt.timedelta(hours=8))


def shape_of(text):
    """The shape of a sample post, from its content."""
    first = text.lstrip("\n").split("\n", 1)[0]
    if text.count("\t") >= 2 and len(first.split("\t")) >= 3:
        return "tsv"
    if text.startswith("---") and "layout:" in text[:200]:
        return "jekyll"
    if text.lstrip("\n").startswith("---"):
        return "hexo"
    if text.startswith("\n") or "\n- " in text[:3000]:
        return "report"
    return "plain"


def strip_tags(s):
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<!--.*?-->", "", s, flags=re.S)))


class Pool:
    """The pieces new posts are made of, taken from the samples."""

    def __init__(self, content):
        texts = {}
        for f in sorted(Path(content).rglob("*")):
            if f.is_file():
                t = f.read_text(encoding="utf-8")
                texts.setdefault(shape_of(t), t)
        missing = set(SHAPES) - set(texts)
        if missing:
            raise SystemExit(f"no sample of shape {sorted(missing)} in {content}")
        plain = "\n".join(strip_tags(t) for t in texts.values())
        self.sentences = [s.strip("\u3000 \t") for s in re.findall(r"[^。！？!?\n\t]*[。！？!?]", plain)
                          if len(s.strip()) >= 8]
        self.paragraphs = []
        for shape in ("jekyll", "hexo"):
            body = re.split(r"\n---\s*\n", texts[shape], maxsplit=2)[-1]
            self.paragraphs += [p for p in re.findall(r"<p[^>]*>.*?</p>", body, re.S)
                                if "display:none" not in p]
        self.report_lines = [l for l in texts["report"].split("\n") if l.strip()]


class Gen:
    def __init__(self, pool, rng):
        self.pool, self.rng = pool, rng

    def para(self, lo=1, hi=5):
        return "".join(self.rng.choice(self.pool.sentences) for _ in range(self.rng.randint(lo, hi)))

    def title(self):
        s = re.split(r"[，,。！？!?；：]", self.rng.choice(self.pool.sentences))[0][:26].strip()
        prefix = self.rng.choice(["", "", "首发| ", "阿里云：", "腾讯云：", "AWS："])
        return (prefix + (s or "云计算观察")).replace("'", "’").replace('"', "”")

    def size(self, shape):
        lo, hi = {"tsv": (2000, 14000), "jekyll": (2000, 12000), "report": (6000, 40000),
                  "hexo": (3000, 16000), "plain": (3000, 24000)}[shape]
        return self.rng.randint(lo, hi)

    def html_paragraphs(self, size):
        out, n = [], 0
        while n < size:
            if self.rng.random() < 0.3 and self.pool.paragraphs:
                p = self.rng.choice(self.pool.paragraphs)
            else:
                p = f"<p>{self.para()}</p>"
            out.append(p)
            n += len(p.encode())
        return out

    def text_paragraphs(self, size):
        out, n = [], 0
        while n < size:
            p = self.para(2, 6)
            out.append(p)
            n += len(p.encode())
        return out

    def report_lines(self, size):
        out, n = [], 0
        while n < size:
            r = self.rng.random()
            if r < 0.25:
                l = self.rng.choice(self.pool.report_lines)
            elif r < 0.35:
                l = "\n".join("- " + self.para(1, 1) for _ in range(self.rng.randint(2, 5)))
            else:
                l = self.para(1, 6)
            out.append(l)
            n += len(l.encode())
        return out


def yq(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("posts", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--content", default=str(Path(__file__).resolve().parents[2] / "content"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    g = Gen(Pool(a.content), rng)
    out = Path(a.out)
    digest, hugo = out / "digest" / "content", out / "hugo" / "content" / "posts"
    hugo.mkdir(parents=True, exist_ok=True)
    shapes = [SHAPES[i % 5] for i in range(a.posts)]
    rng.shuffle(shapes)
    t0 = dt.datetime(2015, 1, 1, tzinfo=CST).timestamp()
    t1 = dt.datetime(2025, 12, 31, tzinfo=CST).timestamp()
    total = 0
    for k, shape in enumerate(shapes):
        slug = f"p{k:06d}"
        when = dt.datetime.fromtimestamp(int(rng.uniform(t0, t1)), CST)
        title = g.title()
        size = g.size(shape)
        cats = [FOLDER[shape]] if shape in FOLDER else sorted(set(rng.sample(CATEGORIES, rng.randint(1, 2))))
        tags = sorted(set(rng.sample(TAGS, rng.randint(0, 4)))) if shape in ("jekyll", "hexo") else []
        folder = FOLDER.get(shape) or {"jekyll": "finews", "hexo": "cls"}[shape]
        if shape == "tsv":
            summary = g.para(1, 2)
            paras = g.text_paragraphs(size)
            date_line = f"{when.year}年{when.month}月{when.day}日消息，"
            native = f"{title}\t{summary}\t" + "".join("\u3000\u3000" + (date_line if i == 0 else "") + p
                                                        for i, p in enumerate(paras)) + "\n"
            body = f"<p>{html.escape(summary)}</p>\n\n" + "\n\n".join(
                (date_line if i == 0 else "") + p for i, p in enumerate(paras))
            ext = "tsv"
        elif shape == "jekyll":
            paras = g.html_paragraphs(size)
            tag_yaml = "[" + ", ".join(yq(t) for t in tags) + "]"
            native = (f"---\nlayout: post\ntitle: {yq(title)}\ndate: {when:%Y-%m-%d %H:%M:%S %z}\n"
                      f"categories: {' '.join(cats)}\ntags: {tag_yaml}\n---\n" + "".join(paras) + "\n")
            body = "\n".join(paras)
            ext = "md"
        elif shape == "hexo":
            paras = g.html_paragraphs(size)
            utc = when.astimezone(dt.timezone.utc)
            fm = [f"title: '{title}'", "categories:"] + [f" - {c}" for c in cats]
            if tags:
                fm += ["tags:"] + [f" - {yq(t)}" for t in tags]
            fm += ["author: 财联社", f"date: {utc:%a, %d %b %Y %H:%M:%S} GMT"]
            native = "\n---\n" + "\n".join(fm) + "\n---\n\n<div>\n" + "\n".join(paras) + "\n</div>\n"
            body = "\n".join(paras)
            ext = "html"
        elif shape == "report":
            lines = g.report_lines(size)
            native = f"\n\n{title}\n\n{when.year}年{when.month}月{when.day}日\n\n" + "\n\n".join(lines) + "\n"
            body = "\n\n".join(lines)
            ext = "txt"
        else:  # plain: the title is the first sentence, the date in the first line
            lines = g.text_paragraphs(size)
            title = f"{when.year}年{when.month}月{when.day}日，" + title + "。"
            native = title + lines[0] + "\n" + "\n".join(lines[1:]) + "\n全部0条评论\n快来发表一下你的评论吧 !\n"
            body = "\n\n".join(lines)
            ext = "txt"
        path = digest / folder / str(when.year) / f"{slug}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = native.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
        fm = (f"---\ntitle: {yq(title)}\ndate: {when.isoformat()}\nslug: {slug}\n"
              f"categories: [{', '.join(yq(c) for c in cats)}]\ntags: [{', '.join(yq(t) for t in tags)}]\n---\n")
        (hugo / f"{slug}.md").write_text(fm + body + "\n", encoding="utf-8")
    print(json.dumps({"posts": a.posts, "seed": a.seed, "bytes": total}))


if __name__ == "__main__":
    main()
