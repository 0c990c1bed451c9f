//! Watching the site's sources for `digest serve`: content/, templates/, themes/, static/
//! and digest.yaml, debounced, so that one save (which editors often do as several writes
//! and a rename) gives one rebuild.
//!
//! Events that only say a file was read (open, close, access time) are dropped where they
//! arrive: every build reads every source, and counting those reads as changes would make
//! each rebuild start the next. The debounce is a few lines here rather than a debouncer
//! crate because the ones on offer drop the event kind this filter needs.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;
use crate::discover::is_ignored_name;

/// The folders under the site root whose changes change the site.
pub const WATCHED_DIRS: &[&str] = &["content", "templates", "themes", "static"];

/// How long the sources must stay quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(100);

/// The longest a stream of changes can put a rebuild off.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// A running watcher; stops its thread when [`SourceWatcher::stop`] is called or it is dropped.
pub(crate) struct SourceWatcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _watcher: Arc<Mutex<RecommendedWatcher>>,
}

impl SourceWatcher {
    /// Stops watching and waits for a rebuild in progress to finish.
    pub(crate) fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SourceWatcher {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Whether an event can mean the site changed: not a read, not a metadata-only change.
fn is_change(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
    )
}

/// Starts watching the site under `root` (an absolute, canonical path); `on_change` runs on
/// the watcher's own thread with the changed paths, once per burst of changes.
pub(crate) fn start(
    root: &Path,
    mut on_change: impl FnMut(&[PathBuf]) + Send + 'static,
) -> Result<SourceWatcher, String> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if is_change(&event.kind) {
                for path in event.paths {
                    let _ = tx.send(path);
                }
            }
        }
    })
    .map_err(|e| e.to_string())?;
    // The root itself, not recursively: digest.yaml, and the watched folders appearing.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("{}: {e}", root.display()))?;
    for dir in WATCHED_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = Arc::clone(&stop);
        let watcher = Arc::clone(&watcher);
        let root = root.to_path_buf();
        std::thread::Builder::new()
            .name("digest-watch".into())
            .spawn(move || watch_loop(&root, &rx, &stop, &watcher, &mut on_change))
            .map_err(|e| format!("cannot start the watcher thread: {e}"))?
    };
    Ok(SourceWatcher {
        stop,
        thread: Some(thread),
        _watcher: watcher,
    })
}

fn watch_loop(
    root: &Path,
    rx: &Receiver<PathBuf>,
    stop: &AtomicBool,
    watcher: &Mutex<RecommendedWatcher>,
    on_change: &mut impl FnMut(&[PathBuf]),
) {
    while !stop.load(Ordering::SeqCst) {
        let first = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(path) => path,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // Wait for the burst to end (or for MAX_DELAY), gathering what changed.
        let started = Instant::now();
        let mut paths = vec![first];
        while started.elapsed() < MAX_DELAY {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(path) => paths.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        paths.sort();
        paths.dedup();
        paths.retain(|p| is_relevant(root, p));
        if paths.is_empty() || stop.load(Ordering::SeqCst) {
            continue;
        }
        // A watched folder created after serving started gets its own recursive watch.
        for dir in WATCHED_DIRS {
            let path = root.join(dir);
            if paths.contains(&path) && path.is_dir() {
                if let Ok(mut w) = watcher.lock() {
                    let _ = w.watch(&path, RecursiveMode::Recursive);
                }
            }
        }
        on_change(&paths);
    }
}

/// Whether a changed path can change the site: digest.yaml, or something inside a watched
/// folder that discovery would read (not a dotfile or an editor's temporary file).
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let names: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect();
    match names.as_deref() {
        Some([CONFIG_FILE]) => true,
        Some([first, rest @ ..]) if WATCHED_DIRS.contains(first) => {
            rest.iter().all(|n| !is_ignored_name(n))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_source_changes_count() {
        let root = Path::new("/site");
        for yes in [
            "/site/digest.yaml",
            "/site/content",
            "/site/content/融资/a.md",
            "/site/templates/post.html",
            "/site/themes/x/static/a.css",
            "/site/static/logo.png",
        ] {
            assert!(is_relevant(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.git/HEAD",
            "/site/README.md",
            "/elsewhere/content/a.md",
            "/site/digest.yaml.bak",
        ] {
            assert!(!is_relevant(root, Path::new(no)), "{no}");
        }
    }
}
