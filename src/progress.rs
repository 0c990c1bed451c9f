//! How a run of the pipeline tells the user how it is getting on. The stages call these
//! hooks; the command line decides what to show (a bar on a terminal, nothing in CI).

/// Told how a build is getting on, for a progress bar. Every method has a default that does
/// nothing; implementations must be cheap, they are called from the worker threads.
pub trait Progress: Sync {
    /// A stage begins with `total` steps.
    fn stage(&self, _name: &str, _total: usize) {}
    /// One step of the current stage is done.
    fn tick(&self) {}
}

/// Progress nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
