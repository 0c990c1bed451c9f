//! `digest serve`: the site built in memory and served on loopback while an editor writes,
//! rebuilt on every change, with open tabs reloaded after each rebuild.
//!
//! Every rebuild is the pipeline of `digest build` ([`crate::build::prepare`] and
//! [`crate::build::emit`]) through two other ports: a store that keeps the parsed posts and
//! the search index in memory between rebuilds ([`Cache::in_memory`], seeded from the
//! `.digest-cache/` of the last `digest build` when there is one; bodies go to that folder,
//! so memory grows with the number of posts, not their length), and a sink that keeps the
//! pages in memory ([`Memory`]). So a save re-reads only the files whose length or mtime
//! changed, parses only those, and renders only the pages whose inputs changed; every other
//! page is the previous build's, shared, not copied.
//!
//! The published `public/` is never touched and no request can reach a file on disk. The
//! reload script (and, after a failed rebuild, the error box) is added to an HTML page as
//! it is sent, so each page is held once. A change that does not build keeps the last good
//! site on screen, with the errors laid over every page and printed in the terminal.
//!
//! The HTTP side is axum on tokio: it streams server-sent events and shuts down gracefully
//! without extra code. Watching and building run on their own thread, since building is
//! CPU work that the request workers should not wait behind.

pub mod route;
mod watch;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::watch as channel;

use crate::build::{self, NoProgress};
use crate::cache::Cache;
use crate::diagnostics::Diagnostic;
use crate::discover;
use crate::output::{Memory, Pages};
use route::Route;

/// What the editor asked `digest serve` to do, validated.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on; loopback unless the editor asks otherwise.
    pub bind: IpAddr,
    /// The port; 0 picks a free one (the address is reported).
    pub port: u16,
    /// Serve drafts too.
    pub drafts: bool,
}

/// Something the server has to tell the editor; the command line decides how to show it.
#[derive(Debug)]
pub enum Notice<'a> {
    /// The site is being served at `url`.
    Serving {
        /// The address to open, such as `http://127.0.0.1:1111/`.
        url: &'a str,
    },
    /// A build (the first, or a rebuild after `changed`) succeeded.
    Built {
        /// Posts in the site.
        posts: usize,
        /// HTML pages in the site.
        pages: usize,
        /// How long loading and building took.
        elapsed: Duration,
        /// Warnings found on the way.
        warnings: &'a [Diagnostic],
        /// The changed files that caused the rebuild (empty for the first build).
        changed: &'a [PathBuf],
    },
    /// A build failed; the last good site is still served.
    Failed {
        /// Every problem found.
        diagnostics: &'a [Diagnostic],
        /// The changed files that caused the rebuild (empty for the first build).
        changed: &'a [PathBuf],
    },
    /// Ctrl-C (or SIGTERM) was received; the server is stopping.
    Stopping,
}

/// Why serving could not start or went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site folder is missing or unreadable.
    #[error("cannot open the site folder {path}: {cause}")]
    Root {
        /// The folder.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// The address could not be listened on (in use, not local, no permission).
    #[error("cannot listen on {addr}: {cause}; choose another port with --port")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        cause: std::io::Error,
    },
    /// The sources could not be watched.
    #[error("cannot watch the site's files: {0}")]
    Watch(String),
    /// The server itself failed.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// The function the server reports through.
pub type Reporter = Arc<dyn Fn(&Notice<'_>) + Send + Sync>;

/// Serves the site until Ctrl-C (or SIGTERM). Returns when the server has stopped.
pub fn run(opts: &ServeOptions, report: Reporter) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&opts.root).map_err(|cause| ServeError::Root {
        path: opts.root.clone(),
        cause,
    })?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(addr).map_err(|cause| ServeError::Listen { addr, cause })?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    let url = local_url(local);

    let live = Arc::new(Live::new());
    let cache = Cache::in_memory(&root);
    cache.prepare();
    let builder = Builder {
        root: root.clone(),
        base_url: url.clone(),
        drafts: opts.drafts,
        live: Arc::clone(&live),
        report: Arc::clone(&report),
        cache,
    };
    builder.rebuild(&[]);
    let watcher =
        watch::start(&root, move |changed| builder.rebuild(changed)).map_err(ServeError::Watch)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = Router::new().fallback(handle).with_state(Arc::clone(&live));
        report(&Notice::Serving { url: &url });
        let (stopping_tx, mut stopping_rx) = channel::channel(false);
        let shutdown = {
            let live = Arc::clone(&live);
            let report = Arc::clone(&report);
            async move {
                stop_signal().await;
                report(&Notice::Stopping);
                // ends every event stream, so open tabs do not hold the shutdown up
                live.close();
                let _ = stopping_tx.send(true);
            }
        };
        let server = axum::serve(listener, app).with_graceful_shutdown(shutdown);
        // Connections that do not finish within a moment of Ctrl-C are dropped.
        let deadline = async move {
            let _ = stopping_rx.wait_for(|s| *s).await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        };
        tokio::select! {
            r = server => r,
            () = deadline => Ok(()),
        }
    });
    watcher.stop();
    runtime.shutdown_timeout(Duration::from_secs(1));
    result.map_err(ServeError::Io)
}

/// The URL the site is served at: the bound address, with loopback standing in for "all
/// addresses" (a browser cannot open 0.0.0.0).
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Loads and builds the site, publishing each result to the server.
struct Builder {
    root: PathBuf,
    base_url: String,
    drafts: bool,
    live: Arc<Live>,
    report: Reporter,
    /// What the next rebuild may take from this one (parsed posts, the search index).
    cache: Cache,
}

/// One build's outcome: its pages, the number of posts and the warnings; or every problem.
type BuildResult = Result<(Pages, usize, Vec<Diagnostic>), Vec<Diagnostic>>;

impl Builder {
    fn rebuild(&self, changed: &[PathBuf]) {
        let start = Instant::now();
        let changed: Vec<PathBuf> = changed
            .iter()
            .map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf())
            .collect();
        match self.build() {
            Ok((pages, posts, warnings)) => {
                let count = pages.iter().filter(|(p, _)| p.ends_with(".html")).count();
                self.live.publish(Ok(pages));
                (self.report)(&Notice::Built {
                    posts,
                    pages: count,
                    elapsed: start.elapsed(),
                    warnings: &warnings,
                    changed: &changed,
                });
            }
            Err(diagnostics) => {
                let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                self.live.publish(Err(text.join("\n\n")));
                (self.report)(&Notice::Failed {
                    diagnostics: &diagnostics,
                    changed: &changed,
                });
            }
        }
    }

    /// One build, as `digest build` does it, with base_url pointing at the local server,
    /// taking what it can from the last one.
    fn build(&self) -> BuildResult {
        let mut input = discover::load(&self.root)?;
        input.config.base_url = self.base_url.clone();
        let p = build::prepare(input, self.drafts, &self.cache, &NoProgress)?;
        let previous = self.live.snapshot().pages.clone().unwrap_or_default();
        let sink = Memory::new(previous);
        if let Err(e) = build::emit(&p, &self.cache, &sink, &NoProgress) {
            let mut d = p.diagnostics.clone();
            d.push(e);
            return Err(d);
        }
        Ok((sink.into_pages(), p.site.posts.len(), p.diagnostics))
    }
}

/// What the server answers from: one build, ready to send.
#[derive(Default)]
struct Snapshot {
    /// Counts builds, good and bad; tabs reload when it changes.
    generation: u64,
    /// The last good build's files; `None` until a build succeeds.
    pages: Option<Arc<Pages>>,
    /// What every HTML page gets as it is sent: the reload script, after the error box
    /// when the latest build failed.
    snippet: String,
    /// The errors of the latest build, when it failed.
    error: Option<String>,
}

impl Snapshot {
    /// The response body of a built file: HTML with the snippet, anything else as built.
    fn body(&self, path: &str, bytes: &Arc<[u8]>) -> Bytes {
        if path.ends_with(".html") {
            Bytes::from(route::inject(bytes, &self.snippet))
        } else {
            Bytes::from_owner(Arc::clone(bytes))
        }
    }
}

/// The server's shared state: the current snapshot and the channel tabs listen on.
struct Live {
    current: RwLock<Arc<Snapshot>>,
    events: channel::Sender<Option<u64>>,
}

impl Live {
    fn new() -> Self {
        Live {
            current: RwLock::new(Arc::new(Snapshot::default())),
            events: channel::Sender::new(Some(0)),
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Makes a build's outcome the one served and tells open tabs. A failed build keeps the
    /// last good files and adds its errors.
    fn publish(&self, outcome: Result<Pages, String>) {
        let old = self.snapshot();
        let generation = old.generation + 1;
        let (pages, error) = match outcome {
            Ok(pages) => (Some(Arc::new(pages)), None),
            Err(e) => (old.pages.clone(), Some(e)),
        };
        let mut snippet = route::reload_script(generation);
        if let Some(e) = &error {
            snippet.insert_str(0, &route::error_overlay(e));
        }
        let next = Arc::new(Snapshot {
            generation,
            pages,
            snippet,
            error,
        });
        match self.current.write() {
            Ok(mut s) => *s = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        self.events.send_replace(Some(generation));
    }

    /// Ends every event stream (the server is stopping).
    fn close(&self) {
        self.events.send_replace(None);
    }
}

async fn handle(State(live): State<Arc<Live>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let snap = live.snapshot();
    let Some(pages) = snap.pages.as_deref() else {
        if uri.path() == route::EVENTS_PATH {
            return events(&live).into_response();
        }
        let errors = snap.error.as_deref().unwrap_or("the site is not built yet");
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "index.html",
            Bytes::from(route::error_page(errors, snap.generation)),
        );
    };
    let found = route::route(uri.path(), |p| pages.contains(p));
    if found == Route::Events {
        return events(&live).into_response();
    }
    match found {
        Route::File(path) => match pages.get(&path) {
            Some(bytes) => page(StatusCode::OK, &path, snap.body(&path, bytes)),
            None => not_found(&snap),
        },
        Route::Redirect(to) => {
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Route::NotFound | Route::Events => not_found(&snap),
    }
}

fn not_found(snap: &Snapshot) -> Response {
    match snap.pages.as_deref().and_then(|p| p.get("404.html")) {
        Some(bytes) => page(
            StatusCode::NOT_FOUND,
            "404.html",
            snap.body("404.html", bytes),
        ),
        None => page(
            StatusCode::NOT_FOUND,
            "404.txt",
            Bytes::from_static(b"not found\n"),
        ),
    }
}

fn page(status: StatusCode, path: &str, bytes: Bytes) -> Response {
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(route::content_type(path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The event stream: the current build number at once, then one event per rebuild; it
/// ends when the server stops.
fn events(
    live: &Live,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>> + Send + 'static> {
    let rx = live.events.subscribe();
    let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let generation = (*rx.borrow_and_update())?;
        let event = Event::default().event("build").data(generation.to_string());
        Some((Ok(event), (rx, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspecified_addresses_are_shown_as_loopback() {
        assert_eq!(
            local_url("0.0.0.0:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(local_url("[::]:80".parse().unwrap()), "http://[::1]:80/");
        assert_eq!(
            local_url("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080/"
        );
    }

    fn pages(files: &[(&str, &str)]) -> Pages {
        let sink = Memory::new(Arc::default());
        for (path, text) in files {
            crate::output::Sink::put(&sink, path, path, 0, text.as_bytes()).unwrap();
        }
        sink.into_pages()
    }

    fn served(snap: &Snapshot, path: &str) -> String {
        let pages = snap.pages.as_deref().unwrap();
        String::from_utf8(snap.body(path, pages.get(path).unwrap()).to_vec()).unwrap()
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_files_and_adds_the_errors() {
        let live = Live::new();
        live.publish(Ok(pages(&[
            ("index.html", "<html><body>good</body></html>"),
            ("style.css", "body{}"),
        ])));
        live.publish(Err("error: content/a.md:3:7: date: bad".into()));
        let snap = live.snapshot();
        assert_eq!(snap.generation, 2);
        let html = served(&snap, "index.html");
        assert!(html.contains("good"), "{html}");
        assert!(html.contains("content/a.md:3:7"), "{html}");
        assert!(html.contains("var built=\"2\""), "{html}");
        assert_eq!(served(&snap, "style.css"), "body{}");
        live.publish(Ok(pages(&[("index.html", "<body>fixed</body>")])));
        let snap = live.snapshot();
        assert!(snap.error.is_none());
        assert!(!served(&snap, "index.html").contains("digest-serve-error"));
        // the page is held as built: the script is added only as it is sent
        let stored = snap.pages.as_deref().unwrap().get("index.html").unwrap();
        assert_eq!(&stored[..], b"<body>fixed</body>");
    }
}
