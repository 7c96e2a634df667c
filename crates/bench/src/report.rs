//! Printing results: one row per scenario, then the gateway's overhead
//! against the direct call, as differences and ratios.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::load::{Config, Outcome};

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn quantile(o: &Outcome, q: f64) -> f64 {
    ms(o.histogram.value_at_quantile(q))
}

pub fn table(results: &[Outcome], config: &Config) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n{} workers, {} s measured after {} s warm-up per scenario\n",
        config.concurrency,
        config.duration.as_secs(),
        config.warmup.as_secs()
    );
    let _ = writeln!(
        s,
        "{:<20} {:>9} {:>7} {:>10} {:>8} {:>8} {:>8} {:>8}",
        "scenario", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for o in results {
        let _ = writeln!(
            s,
            "{:<20} {:>9} {:>7} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            o.name,
            o.histogram.len(),
            o.errors,
            o.throughput(),
            quantile(o, 0.5),
            quantile(o, 0.9),
            quantile(o, 0.99),
            ms(o.histogram.max())
        );
    }
    if let Some((via, direct)) = overhead_pair(results) {
        let _ = writeln!(s, "\ngateway overhead on GET /api/v1/auth/me (gateway vs. auth directly):");
        for (label, q) in [("p50", 0.5), ("p99", 0.99)] {
            let (g, d) = (quantile(via, q), quantile(direct, q));
            let _ = writeln!(
                s,
                "  {label}: +{:.2} ms ({:.2}× the direct latency)",
                g - d,
                g / d.max(f64::EPSILON)
            );
        }
        let _ = writeln!(
            s,
            "  throughput: {:.0} vs {:.0} req/s ({:.2}× of direct)",
            via.throughput(),
            direct.throughput(),
            via.throughput() / direct.throughput().max(f64::EPSILON)
        );
        match results.iter().find(|o| o.name == "me via nginx") {
            Some(nginx) => {
                let _ = writeln!(
                    s,
                    "gateway vs. nginx: {:.0} vs {:.0} req/s ({:.2}× nginx); p50 {:.2} vs {:.2} ms; p99 {:.2} vs {:.2} ms; nginx is {:.2}× direct",
                    via.throughput(),
                    nginx.throughput(),
                    via.throughput() / nginx.throughput().max(f64::EPSILON),
                    quantile(via, 0.5),
                    quantile(nginx, 0.5),
                    quantile(via, 0.99),
                    quantile(nginx, 0.99),
                    nginx.throughput() / direct.throughput().max(f64::EPSILON)
                );
            }
            None => {
                let _ = writeln!(s, "gateway vs. nginx: not measured (no nginx binary found)");
            }
        }
    }
    s
}

fn overhead_pair(results: &[Outcome]) -> Option<(&Outcome, &Outcome)> {
    let via = results.iter().find(|o| o.name == "me via gateway")?;
    let direct = results.iter().find(|o| o.name == "me direct (auth)")?;
    Some((via, direct))
}

pub fn json(results: &[Outcome]) -> Value {
    Value::Array(
        results
            .iter()
            .map(|o| {
                json!({
                    "scenario": o.name, "requests": o.histogram.len(), "errors": o.errors,
                    "throughput_rps": o.throughput(), "p50_ms": quantile(o, 0.5), "p90_ms": quantile(o, 0.9),
                    "p99_ms": quantile(o, 0.99), "max_ms": ms(o.histogram.max()),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use hdrhistogram::Histogram;
    use std::time::Duration;

    fn outcome(name: &str, values: &[u64]) -> Outcome {
        let mut h = Histogram::new_with_bounds(1, 60_000_000, 3).unwrap();
        for v in values {
            h.record(*v).unwrap();
        }
        Outcome { name: name.into(), histogram: h, errors: 0, elapsed: Duration::from_secs(1) }
    }

    #[test]
    fn percentiles_and_overhead() {
        let via = outcome("me via gateway", &(1..=100).map(|i| i * 1000).collect::<Vec<_>>());
        let direct = outcome("me direct (auth)", &[500; 100]);
        assert!((quantile(&via, 0.5) - 50.0).abs() < 0.1);
        assert!((quantile(&via, 0.99) - 99.0).abs() < 0.1);
        assert_eq!(via.throughput(), 100.0);
        let config = Config { duration: Duration::from_secs(1), warmup: Duration::ZERO, concurrency: 1 };
        let text = table(&[via, direct], &config);
        assert!(text.contains("gateway overhead") && text.contains("p99: +"), "{text}");
        assert!(text.contains("nginx: not measured"), "{text}");
        let via = outcome("me via gateway", &[1000; 90]);
        let nginx = outcome("me via nginx", &[1000; 100]);
        let direct = outcome("me direct (auth)", &[500; 100]);
        let text = table(&[via, nginx, direct], &config);
        assert!(text.contains("(0.90× nginx)"), "{text}");
    }
}
