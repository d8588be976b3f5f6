//! The fail-over policy: which base URL (node) a request goes to, when it moves to the
//! next one, when it is retried and after which pause, and when a session goes back to
//! the primary. [`crate::transport::Transport::send`] applies it; this module keeps the
//! per-session node health and the backoff with jitter, and decides.
//!
//! The policy (the C API reference says the same in `include/ccgw.h`, FAIL-OVER):
//!
//! * A request moves to the next node when its node cannot take it: the connection or
//!   the TLS handshake failed, the forward proxy refused the tunnel, the request was given
//!   up before it was written (all: surely never sent), HTTP 503 answered before any
//!   gateway envelope (not carried out), HTTP 502/504 before any envelope (outcome
//!   unknown), or `000-004` (switchover) answered after the node has been switching over
//!   for longer than the switchover wait.
//! * A request that surely never left is sent to the next node whatever it is (a first
//!   send elsewhere, not a re-send). Sign-in (`login`, `forceLogin`) and reads (GET) are
//!   also sent again after a 502/503/504, and ride a `000-004` out on the same node (with
//!   backoff) until the switchover wait has passed, then move. Any other operation that
//!   reached a node is never sent again: it returns its status
//!   (`CCGW_E_GATEWAY_UNAVAILABLE`, `CCGW_E_BAD_GATEWAY`, `CCGW_E_GW_SWITCHOVER`), and after
//!   a 502/503/504 (or a `000-004` past the wait) the session points at the next node, so
//!   the caller's retry goes there.
//! * Rounds: once every node has been tried, the next round starts after a pause with
//!   full jitter (uniform in `[0, min(backoff_max, backoff_initial * 2^(round-1)))`, drawn
//!   from `fastrand`'s generator, seeded from the operating system per thread, so
//!   sessions that failed together do not retry together); at most `retry_rounds` rounds (one when the last node's TLS handshake
//!   failed or the proxy refused its tunnel: neither mends with waiting), and everything
//!   within the call's own timeout. Riding out a switchover pauses the same way between its attempts.
//! * Staying and going back: a session stays on the node that last answered it (its Guid
//!   belongs there). A sign-in starts from the primary (the first base URL) again unless
//!   the primary failed within `failback_after`.

use crate::log::log;
use crate::status::*;
use reqwest::Method;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Default time a node may answer `000-004` before requests move to the next one.
pub const DEFAULT_SWITCHOVER_WAIT: Duration = Duration::from_secs(30);
/// Default time after a failure of the primary during which a sign-in does not go back to it.
pub const DEFAULT_FAILBACK_AFTER: Duration = Duration::from_secs(60);
/// Default upper bound of the first pause between retry rounds (the reference's
/// re-poll pause is 200-500 ms, §9).
pub const DEFAULT_BACKOFF_INITIAL: Duration = Duration::from_millis(250);
/// Default cap of the pause between retry rounds.
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(5);
/// Default number of rounds over the nodes for a request that surely never left or is
/// replayable (the C API's `CCGW_DEFAULT_RETRY_ROUNDS`; crate-private so that cbindgen,
/// which exports every public integer constant, does not put an unprefixed copy in the
/// header).
pub(crate) const DEFAULT_RETRY_ROUNDS: u32 = 3;

/// The tunable part of the policy (`ccgw_session_options` version 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub switchover_wait: Duration,
    pub failback_after: Duration,
    pub backoff_initial: Duration,
    pub backoff_max: Duration,
    /// Rounds over all the nodes; 1 means no retry round (each node tried once).
    pub retry_rounds: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            switchover_wait: DEFAULT_SWITCHOVER_WAIT,
            failback_after: DEFAULT_FAILBACK_AFTER,
            backoff_initial: DEFAULT_BACKOFF_INITIAL,
            backoff_max: DEFAULT_BACKOFF_MAX,
            retry_rounds: DEFAULT_RETRY_ROUNDS,
        }
    }
}

/// Whether a request may be sent again after it reached a node: reads (GET, RFC 9110
/// §9.2.2) and sign-in (`login`, `forceLogin`: signing in twice leaves the agent signed in
/// once, with the Guid of the answer that is taken).
pub fn replayable(method: &Method, op: &str) -> bool {
    *method == Method::GET || is_sign_in(op)
}

/// Whether `op` signs in (a new sign-in may go back to the primary).
pub fn is_sign_in(op: &str) -> bool {
    op == "login" || op == "forceLogin"
}

/// What one attempt's result asks of the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// An answer (success or a gateway retcode other than `000-004`), or a failure that
    /// moving cannot mend (timeouts, lost connections, malformed answers): returned as is.
    Done,
    /// Surely never sent: connection, TLS, proxy tunnel, given up before written.
    Unsent,
    /// HTTP 503 before any envelope: not carried out.
    Unavailable,
    /// HTTP 502/504 before any envelope: may have been carried out.
    BadGateway,
    /// `000-004`.
    Switchover,
}

/// The verdict on a status (`CCGW_OK` for an answer, its retcode's status otherwise).
pub fn verdict(status: ccgw_status) -> Verdict {
    match status {
        CCGW_E_CONNECT | CCGW_E_CONNECT_TIMEOUT | CCGW_E_TLS | CCGW_E_PROXY | CCGW_E_NOT_SENT => Verdict::Unsent,
        CCGW_E_GATEWAY_UNAVAILABLE => Verdict::Unavailable,
        CCGW_E_BAD_GATEWAY => Verdict::BadGateway,
        CCGW_E_GW_SWITCHOVER => Verdict::Switchover,
        _ => Verdict::Done,
    }
}

/// One node's health, as instants in ms after [`Nodes::epoch`] plus one (0: never).
#[derive(Default)]
struct Health {
    failed_at: AtomicU64,
    switchover_since: AtomicU64,
}

/// The nodes of one session: which one is current, their health and the policy.
pub struct Nodes {
    n: usize,
    current: AtomicUsize,
    health: Vec<Health>,
    epoch: Instant,
    pub policy: Policy,
}

impl Nodes {
    pub fn new(n: usize, policy: Policy) -> Nodes {
        Nodes {
            n,
            current: AtomicUsize::new(0),
            health: (0..n).map(|_| Health::default()).collect(),
            epoch: Instant::now(),
            policy,
        }
    }

    pub fn count(&self) -> usize {
        self.n
    }

    pub fn current(&self) -> usize {
        self.current.load(Ordering::Relaxed)
    }

    pub fn next(&self, i: usize) -> usize {
        (i + 1) % self.n
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX - 1) + 1
    }

    fn since(&self, stamp: u64) -> Option<Duration> {
        (stamp != 0).then(|| Duration::from_millis(self.now().saturating_sub(stamp)))
    }

    /// Notes that node `i` failed (a move away from it).
    pub fn failed(&self, i: usize) {
        self.health[i].failed_at.store(self.now(), Ordering::Relaxed);
    }

    /// Notes an answer from node `i` other than `000-004`: its switchover, if any, is over.
    pub fn answered(&self, i: usize) {
        let h = &self.health[i];
        if h.switchover_since.load(Ordering::Relaxed) != 0 {
            h.switchover_since.store(0, Ordering::Relaxed);
        }
    }

    /// Notes a `000-004` from node `i`; returns whether the node has been switching over
    /// for at least the switchover wait (then requests move on).
    pub fn switchover(&self, i: usize) -> bool {
        let h = &self.health[i];
        let _ = h.switchover_since.compare_exchange(0, self.now(), Ordering::Relaxed, Ordering::Relaxed);
        self.switchover_passed(i)
    }

    fn switchover_passed(&self, i: usize) -> bool {
        self.since(self.health[i].switchover_since.load(Ordering::Relaxed))
            .is_some_and(|d| d >= self.policy.switchover_wait)
    }

    /// Whether the primary failed within `failback_after`.
    fn primary_failed_recently(&self) -> bool {
        self.since(self.health[0].failed_at.load(Ordering::Relaxed)).is_some_and(|d| d < self.policy.failback_after)
    }

    /// The node a request starts on: the current one, except that a sign-in goes back to
    /// the primary unless it failed within `failback_after`, and a node switching over for
    /// longer than the wait is left for the next.
    pub fn start(&self, op: &str) -> usize {
        let cur = self.current();
        if is_sign_in(op) && cur != 0 && !self.primary_failed_recently() {
            log!(
                Warn,
                op,
                "signing in on gateway node 1 of {} again (the primary has not failed for {} ms)",
                self.n,
                self.policy.failback_after.as_millis()
            );
            return 0;
        }
        if self.n > 1 && self.switchover_passed(cur) {
            let next = self.next(cur);
            log!(
                Warn,
                op,
                "gateway node {} of {} has been switching over (000-004) for longer than {} ms; moving to node {}",
                cur + 1,
                self.n,
                self.policy.switchover_wait.as_millis(),
                next + 1
            );
            self.failed(cur);
            self.current.store(next, Ordering::Relaxed);
            return next;
        }
        cur
    }

    /// Makes `i` the current node if it is still `from`, the node current when the request
    /// began (so a request that began before another moved the session does not move it
    /// back); logged when it changes.
    pub fn settle(&self, op: &str, from: usize, i: usize, why: &str) {
        if from != i && self.current.compare_exchange(from, i, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
            log!(Warn, op, "now on gateway node {} of {} (was node {}): {why}", i + 1, self.n, from + 1);
        }
    }

    /// The pause before retry `k` (1 for the first): full jitter below
    /// `min(backoff_max, backoff_initial * 2^(k-1))`.
    pub fn backoff(&self, k: u32) -> Duration {
        let p = &self.policy;
        let ceiling = p.backoff_initial.saturating_mul(1u32 << (k.saturating_sub(1)).min(20)).min(p.backoff_max);
        ceiling.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_capped_and_differs_between_sessions() {
        let policy = Policy { backoff_initial: Duration::from_millis(100), ..Policy::default() };
        let a = Nodes::new(2, policy.clone());
        let b = Nodes::new(2, policy);
        let draws: Vec<Duration> = (0..2000).map(|_| a.backoff(1)).collect();
        assert!(draws.iter().all(|d| *d < Duration::from_millis(100)));
        let mean = draws.iter().map(Duration::as_secs_f64).sum::<f64>() / draws.len() as f64;
        assert!((0.04..0.06).contains(&mean), "mean {mean}");
        assert!(draws.iter().any(|d| *d < Duration::from_millis(10)));
        assert!(draws.iter().any(|d| *d > Duration::from_millis(90)));
        assert!((0..200).all(|_| a.backoff(3) < Duration::from_millis(400)));
        assert!((0..200).all(|_| a.backoff(30) < DEFAULT_BACKOFF_MAX));
        assert!((0..200).any(|_| a.backoff(30) > Duration::from_secs(4)));
        let sa: Vec<Duration> = (0..8).map(|_| a.backoff(1)).collect();
        let sb: Vec<Duration> = (0..8).map(|_| b.backoff(1)).collect();
        assert_ne!(sa, sb, "two sessions draw the same pauses");
    }

    #[test]
    fn sign_in_goes_back_to_the_primary_unless_it_failed_lately() {
        let nodes = Nodes::new(2, Policy { failback_after: Duration::from_millis(50), ..Policy::default() });
        nodes.failed(0);
        nodes.settle("t", 0, 1, "test");
        assert_eq!(nodes.current(), 1);
        nodes.settle("t", 0, 0, "a request begun before the move does not undo it");
        assert_eq!(nodes.current(), 1);
        assert_eq!(nodes.start("login"), 1);
        assert_eq!(nodes.start("getAgentEvent"), 1);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(nodes.start("login"), 0);
        assert_eq!(nodes.start("forceLogin"), 0);
        assert_eq!(nodes.start("getAgentEvent"), 1, "a signed-in session stays");
    }

    #[test]
    fn a_long_switchover_moves_the_session() {
        let nodes = Nodes::new(3, Policy { switchover_wait: Duration::from_millis(30), ..Policy::default() });
        assert!(!nodes.switchover(0));
        assert_eq!(nodes.start("op"), 0);
        std::thread::sleep(Duration::from_millis(40));
        assert!(nodes.switchover(0));
        assert_eq!(nodes.start("op"), 1);
        assert_eq!(nodes.current(), 1);
        // An answer ends it.
        assert!(!nodes.switchover(1));
        nodes.answered(1);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(nodes.start("op"), 1);
    }

    #[test]
    fn the_c_api_default_is_the_policy_default() {
        assert_eq!(crate::ffi::session::CCGW_DEFAULT_RETRY_ROUNDS, DEFAULT_RETRY_ROUNDS);
        assert_eq!(Policy::default().retry_rounds, crate::ffi::session::CCGW_DEFAULT_RETRY_ROUNDS);
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(CCGW_E_CONNECT), Verdict::Unsent);
        assert_eq!(verdict(CCGW_E_TLS), Verdict::Unsent);
        assert_eq!(verdict(CCGW_E_GATEWAY_UNAVAILABLE), Verdict::Unavailable);
        assert_eq!(verdict(CCGW_E_BAD_GATEWAY), Verdict::BadGateway);
        assert_eq!(verdict(CCGW_E_GW_SWITCHOVER), Verdict::Switchover);
        for s in [CCGW_OK, CCGW_E_RESPONSE_TIMEOUT, CCGW_E_CONNECTION_LOST, CCGW_E_HTTP_STATUS, CCGW_E_PROXY_AUTH] {
            assert_eq!(verdict(s), Verdict::Done, "{s}");
        }
        assert!(replayable(&Method::GET, "getAgentEvent"));
        assert!(replayable(&Method::PUT, "login"));
        assert!(!replayable(&Method::POST, "confJoin"));
        assert!(!replayable(&Method::DELETE, "logout"));
    }
}
