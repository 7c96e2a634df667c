//! A circuit breaker per upstream instance: after [`TRIP_AFTER`]
//! consecutive failures it opens and the instance gets no traffic; after
//! [`COOL_DOWN`] one probe request may pass (half-open); its outcome closes
//! or re-opens the circuit.

use std::time::{Duration, Instant};

pub const TRIP_AFTER: u32 = 5;
pub const COOL_DOWN: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
pub struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
    probing: bool,
}

impl Breaker {
    /// May a request go to this instance now? Taking the half-open probe
    /// slot is part of asking.
    pub fn allow(&mut self) -> bool {
        match self.open_until {
            None => true,
            Some(until) if Instant::now() < until => false,
            Some(_) if self.probing => false,
            Some(_) => {
                self.probing = true;
                true
            }
        }
    }

    /// Would [`allow`](Self::allow) say yes, without taking the probe slot.
    pub fn is_closed(&self) -> bool {
        self.open_until.is_none()
    }

    pub fn success(&mut self) {
        *self = Self::default();
    }

    pub fn failure(&mut self) {
        self.failures += 1;
        self.probing = false;
        if self.failures >= TRIP_AFTER || self.open_until.is_some() {
            self.open_until = Some(Instant::now() + COOL_DOWN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_consecutive_failures_and_probes_once() {
        let mut b = Breaker::default();
        for _ in 0..TRIP_AFTER - 1 {
            b.failure();
            assert!(b.allow());
        }
        b.failure();
        assert!(!b.allow(), "open");
        b.open_until = Some(Instant::now() - Duration::from_millis(1));
        assert!(b.allow(), "half-open probe");
        assert!(!b.allow(), "only one probe");
        b.success();
        assert!(b.allow() && b.is_closed());
    }
}
