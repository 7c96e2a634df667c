//! The import's progress on a terminal: one step per phase (reading the
//! monolith, checking its rows, then each service's share), with the time
//! spent so far. Drawn on stderr only when stderr is a terminal, so the
//! report on stdout, a `--report` file and a CI log stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress(ProgressBar);

impl Progress {
    pub fn new(steps: u64) -> Self {
        let bar = ProgressBar::with_draw_target(Some(steps), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Self(bar)
    }

    /// Marks the previous phase done and names the one starting.
    pub fn step(&self, phase: &'static str) {
        if self.0.message().is_empty() {
            self.0.set_message(phase);
        } else {
            self.0.inc(1);
            self.0.set_message(phase);
        }
    }

    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}
