//! When a failed attempt is tried again, and after how long.
//!
//! 429 and 503 say "later", so every method retries them, after the
//! server's `Retry-After` when it gives one. Other 5xx answers and lost
//! connections may have left the request done, so only idempotent methods
//! retry them: never `POST` or `PATCH`, unless the connection was never
//! made and the request cannot have reached the server. Attempts and total time are
//! bounded; waits grow exponentially with jitter, from `backon`.

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How a client retries failed attempts.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    max_attempts: usize,
    initial_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts within 30 seconds, waits starting at 250 ms and
    /// growing to at most 8 s.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every failure is returned at once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `attempts` attempts in all, the first included.
    pub fn max_attempts(mut self, attempts: usize) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first wait; later ones double, with jitter.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest wait between two attempts.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// No retry starts once this much time has passed since the first attempt.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    pub(super) fn start(&self) -> Attempts<'_> {
        Attempts {
            policy: self,
            started: Instant::now(),
            made: 1,
            backoff: ExponentialBuilder::new()
                .with_jitter()
                .with_min_delay(self.initial_delay)
                .with_max_delay(self.max_delay)
                .with_max_times(self.max_attempts.saturating_sub(1))
                .build(),
        }
    }
}

/// Why an attempt failed, as far as retrying cares.
#[derive(Clone, Copy, Debug)]
pub(super) enum Failure {
    /// The server answered this status.
    Status(StatusCode, Option<Duration>),
    /// No complete answer: connection refused, dropped or timed out.
    Connection {
        /// False when no connection was made, so nothing was sent.
        may_have_reached_server: bool,
    },
}

/// The attempts of one request.
pub(super) struct Attempts<'p> {
    policy: &'p RetryPolicy,
    started: Instant,
    made: usize,
    backoff: backon::ExponentialBackoff,
}

impl Attempts<'_> {
    /// How many attempts have been made.
    pub(super) fn made(&self) -> usize {
        self.made
    }

    /// How long to wait before trying again after `failure`, or `None` to
    /// give up; `idempotent` says whether doing the request twice does no
    /// more than doing it once (see [`idempotent`]).
    pub(super) fn next_delay(&mut self, idempotent: bool, failure: Failure) -> Option<Duration> {
        let (retryable, retry_after) = match failure {
            Failure::Status(status, retry_after)
                if status == StatusCode::TOO_MANY_REQUESTS
                    || status == StatusCode::SERVICE_UNAVAILABLE =>
            {
                (true, retry_after)
            }
            Failure::Status(status, _) if status.is_server_error() => (idempotent, None),
            Failure::Status(..) => (false, None),
            Failure::Connection {
                may_have_reached_server,
            } => (idempotent || !may_have_reached_server, None),
        };
        if !retryable {
            return None;
        }
        let backoff = self.backoff.next()?;
        let delay = retry_after.unwrap_or(backoff);
        if self.started.elapsed() + delay > self.policy.max_elapsed {
            return None;
        }
        self.made += 1;
        Some(delay)
    }
}

/// The `Retry-After` delay, when given in seconds.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// Methods whose repetition does no more than doing them once, as far as
/// this client retries them.
pub(super) fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOST: Failure = Failure::Connection {
        may_have_reached_server: true,
    };
    const NEVER_CONNECTED: Failure = Failure::Connection {
        may_have_reached_server: false,
    };

    fn status(code: u16) -> Failure {
        Failure::Status(StatusCode::from_u16(code).unwrap(), None)
    }

    #[test]
    fn post_and_patch_retry_only_429_503_and_connections_never_made() {
        let policy = RetryPolicy::default();
        for method in [Method::POST, Method::PATCH] {
            let once = idempotent(&method);
            assert!(policy.start().next_delay(once, status(500)).is_none());
            assert!(policy.start().next_delay(once, LOST).is_none());
            assert!(policy.start().next_delay(once, status(429)).is_some());
            assert!(policy.start().next_delay(once, status(503)).is_some());
            assert!(policy.start().next_delay(once, NEVER_CONNECTED).is_some());
        }
        for method in [Method::GET, Method::DELETE] {
            let once = idempotent(&method);
            assert!(policy.start().next_delay(once, status(502)).is_some());
            assert!(policy.start().next_delay(once, LOST).is_some());
            assert!(policy.start().next_delay(once, status(404)).is_none());
        }
    }

    #[test]
    fn attempts_are_bounded_and_retry_after_is_honoured() {
        let policy = RetryPolicy::default().max_attempts(3);
        let mut attempts = policy.start();
        let wait = Failure::Status(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(2)));
        assert_eq!(
            attempts.next_delay(true, wait),
            Some(Duration::from_secs(2))
        );
        assert!(attempts.next_delay(true, status(500)).unwrap() <= Duration::from_secs(8));
        assert_eq!(attempts.next_delay(true, status(500)), None);
        assert_eq!(attempts.made(), 3);
    }

    #[test]
    fn a_retry_after_beyond_the_time_budget_gives_up() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(5));
        let wait = Failure::Status(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(60)));
        assert_eq!(policy.start().next_delay(true, wait), None);
    }

    #[test]
    fn none_never_retries() {
        assert_eq!(
            RetryPolicy::none().start().next_delay(true, status(503)),
            None
        );
    }
}
