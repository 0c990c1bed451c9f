//! Everything a build says to the user goes through here: diagnostics, cache warnings, the
//! progress bar and the closing line. One place knows about `--quiet`, whether stderr is a
//! terminal, and CI, so no other module prints.
//!
//! The progress bar (indicatif) is drawn only when stderr is a terminal, `--quiet` was not
//! given and the `CI` environment variable is not set: logs of CI runs and of scripts
//! should hold the closing line, not hundreds of redraws.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::{BuildFailure, BuildReport, Progress};

/// The build's voice on stderr.
#[derive(Debug)]
pub struct Reporter {
    quiet: bool,
    bar: Option<Mutex<ProgressBar>>,
    /// With `--timings`: when each stage began, in order.
    stages: Option<Mutex<Vec<(String, Instant)>>>,
}

impl Reporter {
    /// A reporter; `quiet` leaves only problems. The bar is shown when [`Reporter::wants_bar`].
    pub fn new(quiet: bool) -> Self {
        let show = Self::wants_bar(
            quiet,
            std::io::stderr().is_terminal(),
            std::env::var_os("CI").is_some(),
        );
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            Mutex::new(bar)
        });
        Reporter {
            quiet,
            bar,
            stages: None,
        }
    }

    /// Also prints, at the end, how long each stage of the build took: what an editor or a
    /// CI log needs to see where a slow build spends its time, without a profiler.
    pub fn with_timings(mut self) -> Self {
        self.stages = Some(Mutex::new(vec![("starting".to_string(), Instant::now())]));
        self
    }

    fn print_timings(&self) {
        let Some(stages) = &self.stages else { return };
        let Ok(stages) = stages.lock() else { return };
        let end = Instant::now();
        for (i, (name, start)) in stages.iter().enumerate() {
            let next = stages.get(i + 1).map_or(end, |s| s.1);
            eprintln!(
                "timing: {name:<18} {:>8.3} s",
                next.duration_since(*start).as_secs_f64()
            );
        }
    }

    /// Whether to draw a progress bar: on a terminal, not quiet, not in CI.
    pub fn wants_bar(quiet: bool, stderr_is_terminal: bool, in_ci: bool) -> bool {
        stderr_is_terminal && !quiet && !in_ci
    }

    fn clear_bar(&self) {
        if let Some(bar) = &self.bar {
            if let Ok(b) = bar.lock() {
                b.finish_and_clear();
            }
        }
    }

    /// Reports a finished build: its warnings, cache problems and the closing line.
    pub fn finished(&self, report: &BuildReport) {
        self.clear_bar();
        for d in &report.diagnostics {
            eprintln!("{d}");
        }
        for w in &report.cache_warnings {
            eprintln!("warning: {w}");
        }
        self.print_timings();
        if self.quiet {
            return;
        }
        for n in &report.cache_notes {
            eprintln!("note: build cache: {n}");
        }
        eprintln!("{}", closing_line(report));
    }

    /// Reports a failed build: every problem, then what it means for the output folder.
    pub fn failed(&self, failure: &BuildFailure, output: &Path) {
        self.clear_bar();
        for d in &failure.diagnostics {
            eprintln!("{d}");
        }
        let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = failure.diagnostics.len() - errors;
        eprintln!(
            "error: build failed ({errors} errors, {warnings} warnings); {} was left as it was",
            output.display()
        );
    }
}

/// "built 10000 posts into 13412 pages in 2.10 s", with what was reused when anything was.
pub fn closing_line(r: &BuildReport) -> String {
    let mut line = format!("built {} posts into {} pages", r.posts, r.pages);
    if r.cache_hits > 0 || r.reused > 0 {
        line.push_str(&format!(
            " ({} of {} files re-read, {} pages rendered, {} files unchanged)",
            r.parsed,
            r.parsed + r.cache_hits,
            r.rendered,
            r.stats.unchanged
        ));
    } else {
        line.push_str(&format!(
            " ({} files written, {} unchanged)",
            r.stats.written, r.stats.unchanged
        ));
    }
    line.push_str(&format!(" in {:.2} s", r.elapsed.as_secs_f64()));
    line
}

impl Progress for Reporter {
    fn stage(&self, name: &str, total: usize) {
        if let Some(stages) = &self.stages {
            if let Ok(mut s) = stages.lock() {
                s.push((name.to_string(), Instant::now()));
            }
        }
        if let Some(bar) = &self.bar {
            if let Ok(b) = bar.lock() {
                b.set_message(name.to_string());
                b.set_length(total as u64);
                b.set_position(0);
            }
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            if let Ok(b) = bar.lock() {
                b.inc(1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_only_on_a_terminal_outside_ci_and_not_quiet() {
        assert!(Reporter::wants_bar(false, true, false));
        assert!(!Reporter::wants_bar(true, true, false));
        assert!(!Reporter::wants_bar(false, false, false));
        assert!(!Reporter::wants_bar(false, true, true));
    }
}
