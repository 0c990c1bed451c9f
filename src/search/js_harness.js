// Runs themes/default/static/search.js under Node against index files on disk, with just
// enough of a DOM stubbed in, and prints what the search page would list for each query.
// Used by the Rust test `search_js_ranks_like_rust` to keep the two implementations in step.
//
//   node js_harness.js <index dir> <search.js> <base path> <queries as JSON>
// prints JSON: [{ "query": q, "status": text, "results": [{ "href", "title", "marks" }] }]
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [dir, scriptPath, basePath, queriesJson] = process.argv.slice(2);
const code = fs.readFileSync(scriptPath, 'utf8');
const ORIGIN = 'http://localhost';

class Node {
  constructor(tag, text) { this.tag = tag; this.children = []; this.text = text || ''; this.hidden = false; this.dataset = {}; }
  appendChild(c) { this.children.push(c); return c; }
  set textContent(v) { this.children = []; this.text = String(v); }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(''); }
  addEventListener() {}
  focus() {}
  all(tag, out = []) { for (const c of this.children) { if (c.tag === tag) out.push(c); c.all(tag, out); } return out; }
}

async function run(q) {
  const els = {
    'input[name="q"]': new Node('input'), form: new Node('form'), '.search-status': new Node('p'),
    '.search-results': new Node('ol'), '.search-more': new Node('button'),
  };
  const root = new Node('section');
  root.dataset.base = basePath;
  root.querySelector = (s) => els[s];
  const href = ORIGIN + basePath + 'search/?q=' + encodeURIComponent(q);
  const fetched = [];
  const fetch = (url) => {
    fetched.push(url);
    const rel = url.startsWith(ORIGIN + basePath) ? url.slice((ORIGIN + basePath).length).split('?')[0] : null;
    const file = rel && path.join(dir, rel);
    if (!file || !fs.existsSync(file)) return Promise.resolve({ ok: false, status: 404 });
    const body = fs.readFileSync(file, 'utf8');
    return Promise.resolve({ ok: true, status: 200, text: async () => body, json: async () => JSON.parse(body) });
  };
  const sandbox = {
    document: { getElementById: (id) => (id === 'search' ? root : null), createElement: (t) => new Node(t),
      createTextNode: (t) => new Node('#text', t), activeElement: null },
    location: { href, origin: ORIGIN, pathname: basePath + 'search/', search: '?q=' + encodeURIComponent(q) },
    history: { replaceState() {} },
    URL, URLSearchParams, setTimeout, clearTimeout, Promise, Array, Map, Set, JSON, Math, String, Error,
  };
  sandbox.window = { fetch };
  sandbox.fetch = fetch;
  vm.runInNewContext(code, sandbox);
  for (let i = 0; i < 500; i++) await new Promise((r) => setImmediate(r));
  const results = els['.search-results'].children.map((li) => {
    const a = li.children[0];
    return { href: a.href, title: a.textContent, marks: li.all('mark').map((m) => m.textContent) };
  });
  return { query: q, status: els['.search-status'].textContent, results, fetched };
}

(async () => {
  const out = [];
  for (const q of JSON.parse(queriesJson)) out.push(await run(q));
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
