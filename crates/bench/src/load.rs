//! A closed-loop load generator: `concurrency` workers each send the next
//! request as soon as the previous answered; every latency goes into an
//! HDR histogram (µs). Warm-up requests are sent and discarded.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use futures::future::BoxFuture;
use hdrhistogram::Histogram;

pub struct Config {
    pub duration: Duration,
    pub warmup: Duration,
    pub concurrency: usize,
}

/// Makes one request; `i` numbers the calls (to cycle over users). Ok when
/// the answer was a success.
pub type Request = Arc<dyn Fn(usize) -> BoxFuture<'static, bool> + Send + Sync>;

pub struct Outcome {
    pub name: String,
    pub histogram: Histogram<u64>,
    pub errors: u64,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn throughput(&self) -> f64 {
        self.histogram.len() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// Two measurements of one scenario as one (latencies pooled, times added).
    pub fn merge(mut self, other: Outcome) -> anyhow::Result<Outcome> {
        self.histogram.add(other.histogram)?;
        self.errors += other.errors;
        self.elapsed += other.elapsed;
        Ok(self)
    }
}

pub async fn run(name: &str, config: &Config, request: Request) -> anyhow::Result<Outcome> {
    phase(config.warmup, config.concurrency, request.clone()).await?;
    let started = Instant::now();
    let (histogram, errors) = phase(config.duration, config.concurrency, request).await?;
    Ok(Outcome { name: name.to_owned(), histogram, errors, elapsed: started.elapsed() })
}

/// Sends requests (unmeasured) until `done` says so or the time is up.
pub async fn until(config: &Config, request: Request, done: impl Fn() -> bool) -> anyhow::Result<()> {
    let deadline = Instant::now() + config.duration;
    while !done() && Instant::now() < deadline {
        phase(Duration::from_secs(1), config.concurrency, request.clone()).await?;
    }
    Ok(())
}

async fn phase(
    length: Duration,
    concurrency: usize,
    request: Request,
) -> anyhow::Result<(Histogram<u64>, u64)> {
    let deadline = Instant::now() + length;
    let mut workers = Vec::with_capacity(concurrency);
    for w in 0..concurrency {
        let request = request.clone();
        workers.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
            let mut errors = 0u64;
            let mut i = w;
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = request(i).await;
                if ok {
                    hist.saturating_record(t.elapsed().as_micros() as u64);
                } else {
                    errors += 1;
                }
                i += concurrency;
            }
            anyhow::Ok((hist, errors))
        }));
    }
    let mut total = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    let mut errors = 0;
    for w in workers {
        let (h, e) = w.await??;
        total.add(h)?;
        errors += e;
    }
    Ok((total, errors))
}
