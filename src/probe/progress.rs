//! Phase reports for a progress display: a probe says what it is doing (`resolving`,
//! `handshakes on 2 addresses`, …) with [`phase`], and whoever scheduled the target (the app's
//! scheduler) decides what to do with it. Outside a [`scoped`] future [`phase`] does nothing, so
//! probes run the same in tests, exporters and one-off calls.
//!
//! This module draws nothing and knows no terminal; the display lives in `report`.

use std::future::Future;
use std::sync::Arc;

/// Receives the phases of the targets being probed.
pub trait PhaseSink: Send + Sync {
    /// Target number `target` (its index in the run) entered `phase`.
    fn phase(&self, target: usize, phase: &str);
}

#[derive(Clone)]
struct Scope {
    sink: Arc<dyn PhaseSink>,
    target: usize,
}

tokio::task_local! {
    static SCOPE: Scope;
}

/// Runs `fut` (the probe of target number `target`) with its phases sent to `sink`.
pub async fn scoped<F: Future>(sink: Arc<dyn PhaseSink>, target: usize, fut: F) -> F::Output {
    SCOPE.scope(Scope { sink, target }, fut).await
}

/// Reports that the current target entered `phase` (a no-op outside [`scoped`]).
pub fn phase(phase: &str) {
    let _ = SCOPE.try_with(|s| s.sink.phase(s.target, phase));
}

/// Wraps a future about to be spawned on another task so that its [`phase`] calls still reach
/// the current target's sink (task-locals do not cross `tokio::spawn`).
pub fn carry<F: Future>(fut: F) -> impl Future<Output = F::Output> {
    let scope = SCOPE.try_with(Clone::clone).ok();
    async move {
        match scope {
            Some(s) => SCOPE.scope(s, fut).await,
            None => fut.await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Record(Mutex<Vec<(usize, String)>>);
    impl PhaseSink for Record {
        fn phase(&self, target: usize, phase: &str) {
            if let Ok(mut v) = self.0.lock() {
                v.push((target, phase.to_string()));
            }
        }
    }

    #[tokio::test]
    async fn phases_reach_the_sink_of_their_target_only_inside_a_scope() {
        let rec = Arc::new(Record::default());
        phase("outside");
        scoped(rec.clone(), 7, async {
            phase("resolving");
            let inner = tokio::spawn(carry(async { phase("spawned") }));
            let _ = inner.await;
            let lost = tokio::spawn(async { phase("not carried") });
            let _ = lost.await;
        })
        .await;
        let got = rec.0.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(
            got,
            [(7, "resolving".to_string()), (7, "spawned".to_string())]
        );
    }
}
