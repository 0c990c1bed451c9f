//! `digest serve` end to end: the real binary on a free loopback port, fetched over HTTP,
//! edited under its feet, broken, and probed with paths that try to leave the site.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::TestSite;

const POST: &str = "content/posts/2024-01-02-hello.md";
const PAGE: &str = "posts/2024/01/hello/";
const SECRET: &str = "TOP-SECRET-7f3a";

fn post(body: &str, date: &str) -> String {
    format!("---\ntitle: 你好\ndate: {date}\n---\n\n{body}\n")
}

fn site() -> TestSite {
    TestSite::new()
        .file(POST, post("第一版正文。", "2024-01-02 10:00:00 +0800"))
        .file("content/观察/2024-01-01-other.md", "# 另一篇\n\n正文。\n")
        .file("static/files/note.txt", "纯文本")
        .file("secret.txt", SECRET)
}

/// The running server; killed when dropped, so a failed assertion never leaves it behind.
struct Server {
    child: Child,
    url: String,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &TestSite) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_digest"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start digest serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        {
            // drain stderr so the server never blocks on a full pipe
            let log = Arc::clone(&log);
            thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if let Ok(mut l) = log.lock() {
                        l.push_str(&line);
                        l.push('\n');
                    }
                }
            });
        }
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            port: 0,
            stderr: log,
        };
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no address printed; stderr:\n{}", server.stderr()));
        let url = line
            .strip_prefix("serving ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        server.port = url
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {url}"));
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        server.url = url;
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// GET over HTTP with a real client; returns status, content type and body.
    fn get(&self, path: &str) -> (u16, String, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        let mut resp = agent
            .get(&format!("{}{path}", self.url))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = resp.body_mut().read_to_string().expect("body");
        (resp.status().as_u16(), ctype, body)
    }

    /// Polls a page until `pred` holds, for at most `limit`; returns the last body.
    fn poll(&self, path: &str, limit: Duration, pred: impl Fn(&str) -> bool) -> Option<String> {
        let start = Instant::now();
        loop {
            let (_, _, body) = self.get(path);
            if pred(&body) {
                return Some(body);
            }
            if start.elapsed() > limit {
                return None;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends a request as written, byte for byte (clients would normalise `..` away), and
    /// returns the status and the whole response.
    fn raw(&self, request_target: &str, method: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10))).ok();
        write!(
            s,
            "{method} {request_target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }
}

/// A connection to the live-reload stream, read line by line on its own thread.
struct Events {
    lines: Receiver<String>,
    _stream: TcpStream,
}

impl Events {
    fn open(server: &Server) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        write!(
            s,
            "GET /__digest/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let reader = s.try_clone().expect("clone");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(reader).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Events {
            lines: rx,
            _stream: s,
        }
    }

    /// The next `data:` value, within `limit`.
    fn next_build(&self, limit: Duration) -> Option<u64> {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let line = self.lines.recv_timeout(left).ok()?;
            if let Some(n) = line.trim().strip_prefix("data: ") {
                return n.parse().ok();
            }
        }
        None
    }
}

#[test]
fn serves_the_site_from_memory_with_types_and_the_404_page() {
    let site = site();
    let server = Server::start(&site);

    let (status, ctype, body) = server.get("");
    assert_eq!(status, 200);
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert!(body.contains("/__digest/events"), "no reload script");
    // base_url points at the local server
    assert!(
        body.contains(&format!("href=\"{}style.css\"", server.url)),
        "{body}"
    );

    let (status, _, body) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(body.contains("第一版正文。"));

    let (status, ctype, _) = server.get("style.css");
    assert_eq!((status, ctype.as_str()), (200, "text/css; charset=utf-8"));
    let (status, ctype, body) = server.get("files/note.txt");
    assert_eq!((status, ctype.as_str()), (200, "text/plain; charset=utf-8"));
    assert_eq!(body, "纯文本", "static files are served as they are");
    let (_, ctype, _) = server.get("atom.xml");
    assert_eq!(ctype, "application/xml; charset=utf-8");

    // the site's own 404 page, with status 404
    let (status, ctype, body) = server.get("no/such/page/");
    assert_eq!(status, 404);
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert!(body.contains("页面不存在"), "{body}");

    // a folder without its slash redirects, so relative links on it work
    let (status, resp) = server.raw("/posts/2024/01/hello", "GET");
    assert_eq!(status, 302, "{resp}");
    assert!(resp
        .to_ascii_lowercase()
        .contains("location: /posts/2024/01/hello/"));

    let (status, _) = server.raw("/", "POST");
    assert_eq!(status, 405);

    // serving writes nothing into the site
    assert!(!site.public().exists());
}

#[test]
fn paths_outside_the_site_get_404_and_nothing_from_outside() {
    let site = site();
    let server = Server::start(&site);
    let root = site.root().display().to_string();
    for target in [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/posts/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/posts/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2fetc%2fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        &format!("/{root}/secret.txt"),
        "/secret.txt",
        "/content/posts/2024-01-02-hello.md",
        "/index.html%00",
        "/index.html%00.txt",
        "/./index.html",
        "/%",
    ] {
        let (status, resp) = server.raw(target, "GET");
        assert_eq!(status, 404, "{target}: {resp}");
        assert!(!resp.contains(SECRET), "{target} leaked the secret");
        assert!(!resp.contains("root:x:0:0"), "{target} leaked /etc/passwd");
        assert!(
            !resp.contains("title: 你好"),
            "{target} leaked a source file"
        );
    }
}

#[test]
fn edits_are_served_and_errors_shown_over_the_last_good_site() {
    let site = site();
    let server = Server::start(&site);
    let events = Events::open(&server);
    let first = events
        .next_build(Duration::from_secs(10))
        .expect("the event stream sends the current build at once");

    // an edit is served within 2 seconds
    fs::write(
        site.root().join(POST),
        post("第二版正文。", "2024-01-02 10:00:00 +0800"),
    )
    .unwrap();
    let body = server.poll(PAGE, Duration::from_secs(2), |b| b.contains("第二版正文。"));
    assert!(
        body.is_some(),
        "edit not served within 2 s; stderr:\n{}",
        server.stderr()
    );
    let after_edit = events
        .next_build(Duration::from_secs(5))
        .expect("open tabs are told about the rebuild");
    assert!(after_edit > first);

    // a broken post: the error is shown over the last good page, and printed
    fs::write(site.root().join(POST), post("第三版正文。", "2024-13-45")).unwrap();
    let body = server
        .poll(PAGE, Duration::from_secs(5), |b| {
            b.contains("digest-serve-error")
        })
        .unwrap_or_else(|| panic!("no error shown; stderr:\n{}", server.stderr()));
    assert!(
        body.contains("第二版正文。"),
        "the last good page is still served"
    );
    assert!(!body.contains("第三版正文。"));
    assert!(
        body.contains("content/posts/2024-01-02-hello.md:3:7"),
        "the overlay names file and line"
    );
    assert!(body.contains("2024-13-45"));
    let (status, _, _) = server.get("");
    assert_eq!(status, 200, "other pages are still served");
    assert!(events.next_build(Duration::from_secs(5)).is_some());
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server
        .stderr()
        .contains("error: content/posts/2024-01-02-hello.md:3:7")
        && Instant::now() < deadline
    {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(
        server
            .stderr()
            .contains("error: content/posts/2024-01-02-hello.md:3:7"),
        "terminal:\n{}",
        server.stderr()
    );

    // fixed again: the error goes away
    fs::write(site.root().join(POST), post("第四版正文。", "2024-01-02")).unwrap();
    let body = server
        .poll(PAGE, Duration::from_secs(5), |b| b.contains("第四版正文。"))
        .expect("fixed post served");
    assert!(!body.contains("digest-serve-error"));

    // a new post is picked up
    fs::write(
        site.root().join("content/posts/2024-02-03-new.md"),
        post("新文章。", "2024-02-03"),
    )
    .unwrap();
    assert!(server
        .poll("posts/2024/02/new/", Duration::from_secs(5), |b| b
            .contains("新文章。"))
        .is_some());
}

/// GET the bytes of a site path (percent-encoded on the way), with the reload script that
/// serve adds to HTML pages cut out again; `None` for a 404.
fn fetch_built(server: &Server, path: &str) -> Option<Vec<u8>> {
    let encoded: String = path
        .split('/')
        .map(|seg| {
            percent_encoding::utf8_percent_encode(seg, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("/");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut resp = agent
        .get(&format!("{}{encoded}", server.url))
        .call()
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    match resp.status().as_u16() {
        200 => {}
        404 => return None,
        other => panic!("GET {path}: status {other}"),
    }
    let mut body = resp
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .expect("body");
    const SCRIPT: &[u8] = b"<script>/* digest serve: live reload */";
    if let Some(at) = body.windows(SCRIPT.len()).position(|w| w == SCRIPT) {
        let end = body[at..]
            .windows(9)
            .position(|w| w == b"</script>")
            .map(|i| at + i + 9)
            .expect("the reload script ends");
        body.drain(at..end);
    }
    Some(body)
}

/// Waits for a build newer than `after`, then for the sources to stay quiet (a save can
/// come as several writes); returns the last build number seen.
fn settle(events: &Events, after: u64) -> u64 {
    let mut last = after;
    let deadline = Instant::now() + Duration::from_secs(20);
    while last == after && Instant::now() < deadline {
        if let Some(n) = events.next_build(Duration::from_secs(1)) {
            last = last.max(n);
        }
    }
    assert!(last > after, "no rebuild within 20 s");
    while let Some(n) = events.next_build(Duration::from_millis(400)) {
        last = last.max(n);
    }
    last
}

/// The files a fresh `digest build` of the site's current sources writes, built for the
/// server's address, so the bytes must match what serve answers.
fn fresh_build(site: &TestSite, base_url: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let fresh = TestSite::new();
    for dir in ["content", "templates"] {
        let from = site.root().join(dir);
        if from.is_dir() {
            common::copy_dir(&from, &fresh.root().join(dir));
        }
    }
    if let Ok(yaml) = fs::read(site.root().join("digest.yaml")) {
        fresh.write("digest.yaml", yaml);
    }
    if let Err(f) = fresh.build_with(|o| o.base_url = Some(base_url.to_string())) {
        panic!("fresh build failed: {:?}", f.diagnostics);
    }
    fresh
        .files()
        .into_iter()
        .filter(|p| p != ".digest-output")
        .map(|p| {
            let bytes = fresh.read_bytes(&p);
            (p, bytes)
        })
        .collect()
}

/// The differential test of serve's incremental rebuilds: after every kind of edit an
/// editor makes, one after another on one running server, the served site equals a fresh
/// `digest build` of the same sources, file for file, and the files the fresh build no
/// longer has are gone from serve too.
#[test]
fn after_every_kind_of_edit_the_served_site_equals_a_fresh_build() {
    let site = site()
        .file(
            "content/观察/2024-01-03-third.md",
            "---\ntitle: 第三篇\ntags: [云, 数据]\n---\n\n第三篇的正文。\n",
        )
        .file(
            "content/2024-01-04-batch.tsv",
            "甲\t摘要甲\t　　甲的正文。\n乙\t摘要乙\t　　乙的正文。\n",
        );
    let server = Server::start(&site);
    let events = Events::open(&server);
    let mut generation = events
        .next_build(Duration::from_secs(30))
        .expect("the event stream sends the current build at once");
    type Edit = Box<dyn Fn(&TestSite)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "a body",
            Box::new(|s| s.write(POST, post("改过的正文。", "2024-01-02 10:00:00 +0800"))),
        ),
        (
            "a title",
            Box::new(|s| {
                s.write(
                    "content/观察/2024-01-03-third.md",
                    "---\ntitle: 第三篇（更正）\ntags: [云, 数据]\n---\n\n第三篇的正文。\n",
                )
            }),
        ),
        (
            "a date",
            Box::new(|s| s.write(POST, post("改过的正文。", "2023-12-30 08:00:00 +0800"))),
        ),
        (
            "a category",
            Box::new(|s| {
                s.write(
                    "content/观察/2024-01-03-third.md",
                    "---\ntitle: 第三篇（更正）\ncategories: 金融\ntags: [云, 数据]\n---\n\n第三篇的正文。\n",
                )
            }),
        ),
        (
            "a new post",
            Box::new(|s| {
                s.write(
                    "content/posts/2024-02-03-new.md",
                    post("新文章。", "2024-02-03"),
                )
            }),
        ),
        (
            "a deleted post",
            Box::new(|s| s.remove("content/观察/2024-01-01-other.md")),
        ),
        (
            "a TSV record",
            Box::new(|s| {
                s.write(
                    "content/2024-01-04-batch.tsv",
                    "甲\t摘要甲\t　　甲的正文。\n丙\t摘要丙\t　　丙的正文。\n",
                )
            }),
        ),
        (
            "a template",
            Box::new(|s| {
                s.write(
                    "templates/404.html",
                    "{% extends \"base.html\" %}{% block main %}<p>找不到这一页（模板已改）</p>{% endblock %}",
                )
            }),
        ),
        (
            "digest.yaml",
            Box::new(|s| s.write("digest.yaml", "title: 改名的摘要\npaginate: 2\n")),
        ),
    ];
    let mut before = fresh_build(&site, &server.url);
    for (what, edit) in edits {
        edit(&site);
        generation = settle(&events, generation);
        let fresh = fresh_build(&site, &server.url);
        for (path, bytes) in &fresh {
            let served = fetch_built(&server, path)
                .unwrap_or_else(|| panic!("after {what}: /{path} is missing from serve"));
            assert!(
                served == *bytes,
                "after {what}: /{path} differs from a fresh build\nserved:\n{}\nfresh:\n{}",
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(bytes)
            );
        }
        for gone in before.keys().filter(|p| !fresh.contains_key(*p)) {
            assert!(
                fetch_built(&server, gone).is_none(),
                "after {what}: /{gone} is still served, though a fresh build has no such file"
            );
        }
        before = fresh;
    }
    assert!(
        !server.stderr().contains("error"),
        "serve reported errors:\n{}",
        server.stderr()
    );
}
