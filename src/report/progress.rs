//! The progress display on stderr (indicatif): targets done / total, elapsed time, and what the
//! oldest target still in flight is doing. It is drawn only when the caller says stderr is a
//! terminal and `-q` was not given; otherwise every method is a no-op, so pipes and files see
//! nothing on stderr but errors.
//!
//! This module does not decide phases (probes report them) or schedule anything.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress display for one run.
pub struct Progress {
    bar: Option<ProgressBar>,
    labels: Vec<String>,
    in_flight: Mutex<BTreeMap<usize, String>>,
}

impl Progress {
    /// A display for `labels.len()` targets, drawn on stderr when `enabled`.
    pub fn new(enabled: bool, labels: Vec<String>) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(labels.len() as u64),
                ProgressDrawTarget::stderr(),
            );
            let style = ProgressStyle::with_template(
                "{spinner} {pos}/{len} targets [{bar:24}] {elapsed} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            labels,
            in_flight: Mutex::new(BTreeMap::new()),
        }
    }

    /// A display that draws nothing.
    pub fn hidden() -> Progress {
        Progress::new(false, Vec::new())
    }

    /// Whether anything is drawn.
    pub fn is_drawn(&self) -> bool {
        self.bar.is_some()
    }

    /// Target number `target` entered `phase`.
    pub fn phase(&self, target: usize, phase: &str) {
        let Some(bar) = &self.bar else { return };
        if let Ok(mut m) = self.in_flight.lock() {
            m.insert(target, phase.to_string());
            bar.set_message(self.message(&m));
        }
    }

    /// Target number `target` is finished.
    pub fn done(&self, target: usize) {
        let Some(bar) = &self.bar else { return };
        if let Ok(mut m) = self.in_flight.lock() {
            m.remove(&target);
            bar.set_message(self.message(&m));
        }
        bar.inc(1);
    }

    /// Runs `f` (which writes to the terminal) with the display cleared, then redraws it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn message(&self, m: &BTreeMap<usize, String>) -> String {
        let Some((first, phase)) = m.iter().next() else {
            return String::new();
        };
        let label = self.labels.get(*first).map_or("", String::as_str);
        match m.len() {
            1 => format!("{label}: {phase}"),
            n => format!("{label}: {phase} (+{} in flight)", n - 1),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_display_ignores_everything() {
        let p = Progress::hidden();
        p.phase(0, "resolving");
        p.done(0);
        assert!(!p.is_drawn());
        assert_eq!(p.suspend(|| 5), 5);
    }

    #[test]
    fn message_names_the_oldest_target_in_flight() {
        let p = Progress::new(false, vec!["a:443".into(), "b:443".into()]);
        let mut m = BTreeMap::new();
        m.insert(1, "resolving".to_string());
        assert_eq!(p.message(&m), "b:443: resolving");
        m.insert(0, "handshakes".to_string());
        assert_eq!(p.message(&m), "a:443: handshakes (+1 in flight)");
    }
}
