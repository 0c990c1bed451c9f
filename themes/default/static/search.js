// digest search: CJK-aware, no server. Fetches search/meta.json once, then only the term
// shards a query needs and the doc files of the results on screen.
// Tokenizing and ranking mirror src/search/ (tokenize.rs, query.rs); change both together.
(() => {
  'use strict';
  const root = document.getElementById('search');
  if (!root || !window.fetch) return;
  const input = root.querySelector('input[name="q"]');
  const form = root.querySelector('form');
  const status = root.querySelector('.search-status');
  const list = root.querySelector('.search-results');
  const more = root.querySelector('.search-more');
  const PAGE = 10, MAX_TERMS = 16, MAX_WORD = 32;

  // The index sits under the site's base URL; a full base_url on another origin (a local
  // preview of a site configured for its real host) is used by its path.
  let base = root.dataset.base || '/';
  try {
    const u = new URL(base, location.href);
    base = u.origin === location.origin ? u.href : u.pathname;
  } catch (e) { /* keep base as given */ }

  // ---- tokenizer (tokenize.rs) ----
  const inRanges = (c, r) => { for (let i = 0; i < r.length; i += 2) if (c >= r[i] && c <= r[i + 1]) return true; return false; };
  const CJK = [0x1100, 0x11ff, 0x3005, 0x3007, 0x3040, 0x309f, 0x30a0, 0x30fa, 0x30fc, 0x30ff, 0x3130, 0x318f,
    0x31f0, 0x31ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xac00, 0xd7af, 0xf900, 0xfaff, 0xff66, 0xff9f, 0x20000, 0x3134f];
  const WORD = [0x30, 0x39, 0x61, 0x7a, 0xc0, 0xd6, 0xd8, 0xf6, 0xf8, 0x24f, 0x300, 0x36f, 0x370, 0x37d,
    0x37f, 0x386, 0x388, 0x3ff, 0x400, 0x4ff];
  const isCjk = (ch) => inRanges(ch.codePointAt(0), CJK);
  const isWord = (ch) => inRanges(ch.codePointAt(0), WORD);
  const isDigit = (ch) => ch >= '0' && ch <= '9';
  const normalize = (s) => s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).toLowerCase();

  // Query -> words; a word is a list of [term, isPrefix] that must all match.
  function queryWords(q) {
    const cs = Array.from(normalize(q)), words = [], seen = new Set();
    let budget = MAX_TERMS;
    for (let i = 0; i < cs.length && budget > 0;) {
      let terms, j = i + 1;
      if (isCjk(cs[i])) {
        while (j < cs.length && isCjk(cs[j])) j++;
        terms = [];
        if (j - i === 1) terms.push([cs[i], false]);
        for (let k = i; k + 1 < j; k++) terms.push([cs[k] + cs[k + 1], false]);
      } else if (isWord(cs[i])) {
        while (j < cs.length && (isWord(cs[j]) || (cs[j] === '.' && isDigit(cs[j - 1]) && j + 1 < cs.length && isDigit(cs[j + 1])))) j++;
        const w = cs.slice(i, Math.min(j, i + MAX_WORD)).join('');
        terms = [[w, Math.min(j - i, MAX_WORD) >= 2]];
      } else { i++; continue; }
      i = j;
      terms = terms.slice(0, budget);
      const key = JSON.stringify(terms);
      if (seen.has(key)) continue;
      seen.add(key);
      budget -= terms.length;
      words.push(terms);
    }
    return words;
  }

  // ---- index files (index.rs, postings.rs) ----
  const cache = new Map();
  function fetchOnce(path, parse, opts) {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path, opts).then((r) => {
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        return parse(r);
      }).catch((e) => { cache.delete(path); throw e; }));
    }
    return cache.get(path);
  }
  const loadMeta = () => fetchOnce('search/meta.json', async (r) => {
    const m = await r.json();
    if (m.version !== 1) throw new Error('search index format ' + m.version);
    m.firsts = m.shards ? m.shards.split(' ') : [];
    return m;
  }, { cache: 'no-cache' });
  const loadShard = (meta, n) => fetchOnce('search/t/' + n + '.txt?v=' + meta.hash, async (r) => {
    const map = new Map();
    for (const line of (await r.text()).split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0) map.set(line.slice(0, sp), line.slice(sp + 1));
    }
    return map;
  });
  const loadDoc = (meta, id) => fetchOnce('search/d/' + id + '.json?v=' + meta.hash, (r) => r.json());

  const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const DIGIT = new Int8Array(128).fill(-1); // character code -> position in DIGITS
  for (let i = 0; i < DIGITS.length; i++) DIGIT[DIGITS.charCodeAt(i)] = i;
  const isPair = (t) => { const a = Array.from(t); return a.length === 2 && isCjk(a[0]) && isCjk(a[1]); };
  // Posting list -> out: id -> fields | position signature << 4 (OR-ed into what is there).
  // One small integer a posting, no array: a common pair has a posting in most posts.
  function decode(text, pair, out) {
    const idShift = pair ? 256 : 16;
    let next = 0, v = 0, mul = 1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i), d = c < 128 ? DIGIT[c] : -1;
      if (d < 0) throw new Error('bad postings');
      if (d >= 32) { v += (d - 32) * mul; mul *= 32; continue; }
      v += d * mul;
      const id = next + Math.floor(v / idShift), bits = v % idShift, e = out.get(id);
      out.set(id, e === undefined ? bits : e | bits);
      next = id + 1; v = 0; mul = 1;
    }
  }

  // The shards that may hold a term (or, for a prefix, terms starting with it).
  function shardRange(firsts, t, prefix) {
    let lo = 0, hi = firsts.length; // first index with firsts[i] > t
    while (lo < hi) { const mid = (lo + hi) >> 1; if (firsts[mid] <= t) lo = mid + 1; else hi = mid; }
    const first = Math.max(0, lo - 1);
    let last = first;
    if (prefix) while (last + 1 < firsts.length && firsts[last + 1].startsWith(t)) last++;
    return firsts.length ? [first, last] : [0, -1];
  }

  async function lookup(meta, term, prefix) {
    const [a, b] = shardRange(meta.firsts, term, prefix), out = new Map(), shards = [];
    for (let n = a; n <= b; n++) shards.push(loadShard(meta, n));
    for (const shard of await Promise.all(shards)) {
      if (!prefix) { if (shard.has(term)) decode(shard.get(term), isPair(term), out); continue; }
      for (const [k, v] of shard) if (k.startsWith(term)) decode(v, isPair(k), out);
    }
    return out;
  }

  // ---- ranking (query.rs): all words must match; title 12, tag/category 8, summary 2,
  // body 1 for the fields holding the whole word (else 1); ties: newer (larger id) first.
  const WEIGHTS = [12, 8, 2, 1];
  const rotateBack = (s, k) => ((s >> (k % 4)) | (s << (4 - (k % 4)))) & 15;
  async function rank(meta, words) {
    const found = new Map();
    for (const w of words) for (const [t, p] of w) { const key = (p ? '>' : '=') + t; if (!found.has(key)) found.set(key, lookup(meta, t, p)); }
    const maps = new Map();
    for (const [key, pr] of found) maps.set(key, await pr);
    let scores = null;
    for (const w of words) {
      const ms = w.map(([t, p]) => maps.get((p ? '>' : '=') + t));
      const smallest = ms.reduce((a, b) => (b.size < a.size ? b : a));
      const next = new Map();
      for (const id of smallest.keys()) {
        if (scores && !scores.has(id)) continue;
        let fields = 15, start = 15, ok = true;
        for (let k = 0; k < ms.length && ok; k++) {
          const e = ms[k].get(id);
          if (e === undefined) ok = false; else { fields &= e & 15; start &= rotateBack(e >> 4, k); }
        }
        if (!ok || (ms.length > 1 && start === 0)) continue;
        let s = 0;
        for (let f = 0; f < 4; f++) if (fields & (1 << f)) s += WEIGHTS[f];
        next.set(id, (scores ? scores.get(id) : 0) + Math.max(s, 1));
      }
      scores = next;
    }
    return Array.from(scores || []).sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  }

  // ---- results ----
  // Text with every occurrence of a needle wrapped in <mark>, as DOM nodes (never innerHTML).
  function highlight(el, text, needles) {
    const low = normalize(text), hay = low.length === text.length ? low : text, marks = [];
    for (const n of needles) for (let i = hay.indexOf(n); n && i >= 0; i = hay.indexOf(n, i + 1)) marks.push([i, i + n.length]);
    marks.sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (let k = 0; k < marks.length; k++) {
      let [s, e] = marks[k];
      if (e <= at) continue;
      s = Math.max(s, at);
      while (k + 1 < marks.length && marks[k + 1][0] <= e) e = Math.max(e, marks[++k][1]); // merge overlaps
      if (s > at) el.appendChild(document.createTextNode(text.slice(at, s)));
      const m = document.createElement('mark');
      m.textContent = text.slice(s, e);
      el.appendChild(m);
      at = e;
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  // About 120 characters around the first match in the post's opening text.
  function snippet(text, needles) {
    const hay = normalize(text);
    let first = -1;
    for (const n of needles) { const i = hay.indexOf(n); if (i >= 0 && (first < 0 || i < first)) first = i; }
    const start = Math.max(0, first - 30), end = Math.min(text.length, start + 120);
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  function item(doc, needles) {
    const li = document.createElement('li'), a = document.createElement('a'), meta = document.createElement('p');
    a.href = base + doc.u;
    highlight(a, doc.t || doc.u, needles);
    li.appendChild(a);
    meta.className = 'search-meta';
    if (doc.d) {
      const time = document.createElement('time');
      if (doc.dt) time.dateTime = doc.dt;
      time.textContent = doc.d;
      meta.appendChild(time);
    }
    if (doc.c && doc.c.length) meta.appendChild(document.createTextNode((doc.d ? ' · ' : '') + doc.c.join('、')));
    li.appendChild(meta);
    if (doc.x) {
      const p = document.createElement('p');
      p.className = 'search-snippet';
      li.appendChild(highlight(p, snippet(doc.x, needles), needles));
    }
    return li;
  }

  let seq = 0, current = null;
  async function showMore(run) {
    const page = run.hits.slice(run.shown, run.shown + PAGE);
    run.shown += page.length;
    const docs = await Promise.all(page.map(([id]) => loadDoc(run.meta, id)));
    if (run.seq !== seq) return;
    for (const d of docs) list.appendChild(item(d, run.needles));
    more.hidden = run.shown >= run.hits.length;
  }

  async function search(q) {
    const mine = ++seq, words = queryWords(q);
    if (history.replaceState) history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname);
    if (!words.length) { list.textContent = ''; status.textContent = ''; more.hidden = true; return; }
    status.textContent = '正在搜索…';
    try {
      const meta = await loadMeta(), hits = await rank(meta, words);
      if (mine !== seq) return;
      const needles = [];
      for (const w of words) for (const [t] of w) needles.push(t);
      current = { seq: mine, meta, hits, needles, shown: 0 };
      list.textContent = '';
      status.textContent = hits.length ? '找到 ' + hits.length + ' 篇文章' : '没有找到与“' + q.trim() + '”相关的文章';
      await showMore(current);
    } catch (e) {
      if (mine === seq) { status.textContent = '搜索暂时不可用，请稍后再试。'; more.hidden = true; }
    }
  }

  let timer = 0;
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => search(input.value), 150); });
  form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(timer); search(input.value); });
  more.addEventListener('click', () => { if (current) showMore(current).catch(() => {}); });

  // Arrow keys: from the box into the results and between them; Escape returns to the box.
  root.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Escape') return;
    const links = Array.from(list.querySelectorAll('a')), i = links.indexOf(document.activeElement);
    if (e.key === 'Escape') { if (i >= 0) input.focus(); return; }
    if (e.target !== input && i < 0) return;
    const to = e.key === 'ArrowDown' ? i + 1 : i - 1;
    if (to >= 0 && to < links.length) links[to].focus(); else if (to < 0 && i >= 0) input.focus(); else return;
    e.preventDefault();
  });

  const q = new URLSearchParams(location.search).get('q');
  if (q) { input.value = q; search(q); }
})();
