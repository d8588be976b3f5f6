//! Per-invitee outcomes of a batch invitation (`batchaddparticipant`).
//!
//! The gateway answers `batchaddparticipant` at once; what each invitee did arrives later
//! as `AgentConf_ParticipantChanged` events to the chair (reference §4.4, sim/README.md
//! "For a per-invitee tracker"): `result` 0 with `changeType` 0 is a join, a non-zero
//! `result` with `changeType` 0 a failed invitation (rejected, busy, not answered,
//! unreachable; the code says which), `changeType` 1 a member that went away before it
//! answered (removed, hung up, signed out; `changeReason` says which), and nothing at all
//! an invitee that never answers. A [`Tracker`] is registered with the session's
//! conference model before the request is sent (so no event can slip past it), matches
//! those events by address and address type exactly as the gateway writes them
//! (`participant`, `participantType`), and settles every invitee still pending at the
//! caller's deadline as [`Outcome::NoAnswer`]. The conference ending first (the chair's
//! `AgentConf_SelfLeaveResult`, or the agent signed out) settles them as
//! [`Outcome::ConfEnded`].
//!
//! Tracking never takes events from the application: the pump shows each event to the
//! model (and so to the trackers) and then queues it as usual. What a tracker learns is
//! reported after the event that taught it as library events (`InviteOutcome` per
//! invitee, `InvitesSettled` once none is pending), so an event-driven application needs
//! no blocking call; a blocking one calls [`Tracker::wait`].

use crate::agentconf::BatchAddRequest;
use crate::error::Result;
use crate::events::{Event, EventKind, Queue};
use crate::session::{CallOptions, Session};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Name of the library event reporting one invitee's outcome.
pub const INVITE_OUTCOME: &str = "ccgw.InviteOutcome";
/// Name of the library event reporting that a tracker has no pending invitee left.
pub const INVITES_SETTLED: &str = "ccgw.InvitesSettled";

/// What became of one invitee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Outcome {
    /// No answer yet, and the deadline has not passed.
    Pending = 0,
    /// It joined (`ParticipantChanged` result 0, changeType 0), or was a participant already.
    Joined = 1,
    /// The invitation failed: rejected, busy, not answered or unreachable (`result` ≠ 0
    /// with changeType 0; `result` is the gateway's code).
    Failed = 2,
    /// It went away before it answered (changeType 1; `change_reason` says why: 1 removed
    /// by the chair, 2 hung up, 4 signed out, ...).
    Released = 3,
    /// No answer by the caller's deadline.
    NoAnswer = 4,
    /// The conference ended (or the agent was signed out) before it answered.
    ConfEnded = 5,
}

/// One invitee and its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    /// 6 phone number, 9 agent id.
    pub address_type: i64,
    pub address: String,
    pub outcome: Outcome,
    /// The event's `result` (0 joined, the failure code for Failed); -1 when no event said.
    pub result: i64,
    /// The event's `changeReason` for Released; -1 otherwise.
    pub change_reason: i64,
    /// When the outcome was settled, ms since the epoch; -1 while pending.
    pub settled_time: i64,
}

/// A consistent copy of a tracker's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub tracker_id: u64,
    /// The conference the invitation is for (-1 until an event named it, when the session
    /// did not know the conference it chairs).
    pub conf_id: i64,
    /// Invitees in the order of the request (duplicates listed once).
    pub invitees: Vec<Invitee>,
    pub pending: usize,
    /// The deadline has passed.
    pub deadline_passed: bool,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

struct State {
    conf_id: i64,
    invitees: Vec<Invitee>,
    pending: usize,
    /// The session closed: waiters stop waiting.
    closed: bool,
    /// InvitesSettled was reported.
    settled_reported: bool,
}

/// The part of a tracker the conference model and the deadline timer reach.
pub(crate) struct Shared {
    pub id: u64,
    deadline: Instant,
    state: Mutex<State>,
    changed: Condvar,
    queue: Arc<Queue>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn outcome_event(&self, conf_id: i64, i: &Invitee) -> Event {
        let mut e = Event::blank(EventKind::InviteOutcome, INVITE_OUTCOME);
        e.tracker_id = self.id;
        e.conf_id = conf_id;
        e.participant = i.address.clone();
        e.participant_type = i.address_type;
        e.outcome = i.outcome as i32;
        e.result = i.result;
        e.change_reason = i.change_reason;
        e
    }

    /// Settles invitee `idx` and records the events that report it.
    fn settle(&self, st: &mut State, idx: usize, outcome: Outcome, result: i64, reason: i64, out: &mut Vec<Event>) {
        let inv = &mut st.invitees[idx];
        if inv.outcome != Outcome::Pending {
            return;
        }
        inv.outcome = outcome;
        inv.result = result;
        inv.change_reason = reason;
        inv.settled_time = now_ms();
        st.pending -= 1;
        out.push(self.outcome_event(st.conf_id, &st.invitees[idx]));
        if st.pending == 0 && !st.settled_reported {
            st.settled_reported = true;
            let mut e = Event::blank(EventKind::InvitesSettled, INVITES_SETTLED);
            e.tracker_id = self.id;
            e.conf_id = st.conf_id;
            out.push(e);
        }
    }

    /// Shows the tracker a gateway event (called by the conference model, before the event
    /// is queued); the library events it causes go to `out`, to be queued after it.
    pub(crate) fn observe(&self, e: &Event, out: &mut Vec<Event>) {
        let before = out.len();
        let mut st = self.lock();
        if st.pending == 0 {
            return;
        }
        match e.kind {
            EventKind::ConfParticipantChanged if matches!(e.change_type, 0 | 1) => {
                if st.conf_id >= 0 && e.conf_id >= 0 && e.conf_id != st.conf_id {
                    return;
                }
                let address = e.participant.trim();
                let Some(idx) = st.invitees.iter().position(|i| {
                    i.outcome == Outcome::Pending && i.address_type == e.participant_type && i.address == address
                }) else {
                    return;
                };
                if st.conf_id < 0 {
                    st.conf_id = e.conf_id;
                }
                let (outcome, reason) = match (e.change_type, e.result) {
                    (0, 0) => (Outcome::Joined, -1),
                    (0, _) => (Outcome::Failed, -1),
                    _ => (Outcome::Released, e.change_reason),
                };
                self.settle(&mut st, idx, outcome, e.result, reason, out);
            }
            EventKind::ConfSelfLeaveResult if st.conf_id < 0 || e.conf_id == st.conf_id => self.end_all(&mut st, out),
            EventKind::ShutdownService => self.end_all(&mut st, out),
            _ => {}
        }
        if out.len() > before {
            self.changed.notify_all();
        }
    }

    fn end_all(&self, st: &mut State, out: &mut Vec<Event>) {
        for idx in 0..st.invitees.len() {
            self.settle(st, idx, Outcome::ConfEnded, -1, -1, out);
        }
    }

    /// Settles every pending invitee as NoAnswer once the deadline has passed; queues the
    /// events at once (no gateway event to follow). Idempotent.
    pub(crate) fn expire(&self) {
        if Instant::now() < self.deadline {
            return;
        }
        let mut out = Vec::new();
        {
            let mut st = self.lock();
            for idx in 0..st.invitees.len() {
                self.settle(&mut st, idx, Outcome::NoAnswer, -1, -1, &mut out);
            }
        }
        if !out.is_empty() {
            for e in out {
                self.queue.push(e);
            }
            self.changed.notify_all();
        }
    }

    /// The agent signed out (no event tells it then): pending invitees are settled as
    /// ConfEnded, the events queued at once.
    pub(crate) fn end_now(&self) {
        let mut out = Vec::new();
        {
            let mut st = self.lock();
            self.end_all(&mut st, &mut out);
        }
        if !out.is_empty() {
            for e in out {
                self.queue.push(e);
            }
            self.changed.notify_all();
        }
    }

    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }

    /// Settles invitees the conference already has as participants (the gateway skips them
    /// without an event).
    pub(crate) fn settle_present(&self, present: &[(i64, String)]) {
        let mut out = Vec::new();
        {
            let mut st = self.lock();
            for idx in 0..st.invitees.len() {
                let i = &st.invitees[idx];
                if present.iter().any(|(t, a)| *t == i.address_type && *a == i.address) {
                    self.settle(&mut st, idx, Outcome::Joined, 0, -1, &mut out);
                }
            }
        }
        for e in out {
            self.queue.push(e);
        }
        self.changed.notify_all();
    }
}

/// Why [`Tracker::wait`] returned without every outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitEnd {
    /// `timeout` passed first (the deadline is later).
    Timeout,
    /// The session was closed.
    Closed,
}

/// The per-invitee outcomes of one batch invitation.
pub struct Tracker {
    pub(crate) shared: Arc<Shared>,
}

impl Tracker {
    /// A tracker for `invitees` (address type, address; duplicates counted once), settling
    /// at `deadline`. `conf_id` is the conference the session chairs, -1 when unknown.
    pub(crate) fn new(invitees: &[(i64, String)], conf_id: i64, deadline: Instant, queue: Arc<Queue>) -> Tracker {
        let mut list: Vec<Invitee> = Vec::with_capacity(invitees.len());
        for (t, a) in invitees {
            let a = a.trim();
            if !list.iter().any(|i| i.address_type == *t && i.address == a) {
                list.push(Invitee {
                    address_type: *t,
                    address: a.to_string(),
                    outcome: Outcome::Pending,
                    result: -1,
                    change_reason: -1,
                    settled_time: -1,
                });
            }
        }
        let pending = list.len();
        Tracker {
            shared: Arc::new(Shared {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                deadline,
                state: Mutex::new(State { conf_id, invitees: list, pending, closed: false, settled_reported: false }),
                changed: Condvar::new(),
                queue,
            }),
        }
    }

    pub fn id(&self) -> u64 {
        self.shared.id
    }

    /// Waits until no invitee is pending (at the latest at the deadline, which settles the
    /// rest as NoAnswer), `timeout` passes, or the session closes. `None` waits without limit
    /// (that is, until the deadline).
    pub fn wait(&self, timeout: Option<Duration>) -> Result<(), WaitEnd> {
        let until = timeout.and_then(|t| Instant::now().checked_add(t));
        loop {
            self.shared.expire();
            let st = self.shared.lock();
            if st.pending == 0 {
                return Ok(());
            }
            if st.closed {
                return Err(WaitEnd::Closed);
            }
            let now = Instant::now();
            if until.is_some_and(|u| now >= u) {
                return Err(WaitEnd::Timeout);
            }
            // Wake at the deadline even if the timer task is late, or at `until`.
            let mut wake = self.shared.deadline;
            if let Some(u) = until {
                wake = wake.min(u);
            }
            let pause = wake.saturating_duration_since(now).max(Duration::from_millis(1));
            drop(self.shared.changed.wait_timeout(st, pause).unwrap_or_else(|e| e.into_inner()));
        }
    }

    /// A consistent copy of the outcomes so far.
    pub fn snapshot(&self) -> Snapshot {
        self.shared.expire();
        let st = self.shared.lock();
        Snapshot {
            tracker_id: self.shared.id,
            conf_id: st.conf_id,
            invitees: st.invitees.clone(),
            pending: st.pending,
            deadline_passed: Instant::now() >= self.shared.deadline,
        }
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        // The deadline timer holds the shared part; nobody waits any more.
        self.shared.close();
    }
}

impl Session {
    /// `batchaddparticipant` with a [`Tracker`] of its invitees' outcomes, settling at
    /// `deadline` from now. The tracker is registered before the request is sent; when the
    /// request fails no tracker is returned. Invitees the live view already lists as
    /// participants are settled as joined (the gateway skips them without an event).
    pub async fn batch_add_participant_tracked(
        &self,
        req: &BatchAddRequest,
        deadline: Duration,
        opts: &CallOptions,
    ) -> Result<Tracker> {
        req.validate().map_err(|e| e.in_operation("batchAddParticipant"))?;
        let chaired = self.0.confs.chaired();
        let list: Vec<(i64, String)> = req.participants.iter().map(|p| (p.address_type, p.address.clone())).collect();
        let at = Instant::now() + deadline;
        let tracker = Tracker::new(&list, chaired.as_ref().map_or(-1, |c| c.conf_id), at, self.0.events.queue.clone());
        self.0.confs.track(Arc::downgrade(&tracker.shared));
        self.batch_add_participant(req, opts).await?;
        if let Some(c) = chaired {
            tracker.shared.settle_present(&c.present);
        }
        // The timer holds neither the tracker nor the session (a session freed early is not
        // kept alive until the deadline).
        let shared = Arc::downgrade(&tracker.shared);
        let closed = self.close_token();
        crate::runtime::handle()?.spawn(async move {
            tokio::select! {
                _ = tokio::time::sleep_until(at.into()) => {
                    if let Some(s) = shared.upgrade() {
                        s.expire();
                    }
                }
                _ = closed.cancelled() => {
                    if let Some(s) = shared.upgrade() {
                        s.close();
                    }
                }
            }
        });
        Ok(tracker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Take;
    use serde_json::json;

    fn pc(conf: i64, who: &str, t: i64, result: i64, change_type: i64, reason: i64) -> Event {
        Event::parse(&json!({"eventType": "AgentConf_ParticipantChanged", "workNo": "101", "content": {
            "result": result, "changeType": change_type, "changeReason": reason, "confId": conf,
            "participant": who, "participantType": t, "deviceCallType": 0, "deviceType": 0}}))
    }

    fn tracker(deadline: Duration) -> (Tracker, Arc<Queue>) {
        let q = Arc::new(Queue::new(100, usize::MAX));
        let list = vec![
            (6, "70001".to_string()),
            (6, "70002".into()),
            (9, "154".into()),
            (6, "70001".into()),
            (6, "70004".into()),
            (6, "70005".into()),
        ];
        (Tracker::new(&list, 7, Instant::now() + deadline, q.clone()), q)
    }

    #[test]
    fn events_settle_invitees_by_address_and_type() {
        let (t, q) = tracker(Duration::from_secs(60));
        let mut out = Vec::new();
        let s = &t.shared;
        s.observe(&pc(7, "70001", 6, 0, 0, 255), &mut out);
        s.observe(&pc(8, "70002", 6, 0, 0, 255), &mut out); // another conference
        s.observe(&pc(7, "70002", 9, 0, 0, 255), &mut out); // another type
        s.observe(&pc(7, "70002", 6, 17, 0, 255), &mut out);
        s.observe(&pc(7, "154", 9, 0, 1, 1), &mut out);
        s.observe(&pc(7, "70001", 6, 0, 1, 2), &mut out); // after its join: no change
        s.observe(&pc(7, "70004", 6, 0, 3, 255), &mut out); // muted: not an outcome
        assert_eq!(out.len(), 3);
        assert!(out.iter().all(|e| e.kind == EventKind::InviteOutcome && e.tracker_id == t.id()));
        let snap = t.snapshot();
        let o: Vec<(Outcome, i64, i64)> =
            snap.invitees.iter().map(|i| (i.outcome, i.result, i.change_reason)).collect();
        assert_eq!(
            o,
            vec![
                (Outcome::Joined, 0, -1),
                (Outcome::Failed, 17, -1),
                (Outcome::Released, 0, 1),
                (Outcome::Pending, -1, -1),
                (Outcome::Pending, -1, -1)
            ]
        );
        assert_eq!(snap.pending, 2);
        assert_eq!(t.wait(Some(Duration::from_millis(5))), Err(WaitEnd::Timeout));
        s.observe(
            &Event::parse(
                &json!({"eventType": "AgentConf_SelfLeaveResult", "workNo": "101", "content": {"confId": 7}}),
            ),
            &mut out,
        );
        assert_eq!(out.len(), 6, "two ConfEnded outcomes and the settled report");
        assert_eq!(out[5].kind, EventKind::InvitesSettled);
        assert_eq!(t.wait(None), Ok(()));
        assert!(q.is_empty(), "observed outcomes are queued by the pump, after their event");
    }

    #[test]
    fn the_deadline_settles_the_rest_as_no_answer() {
        let (t, q) = tracker(Duration::from_millis(30));
        let mut out = Vec::new();
        t.shared.observe(&pc(7, "70001", 6, 0, 0, 255), &mut out);
        let started = Instant::now();
        assert_eq!(t.wait(Some(Duration::from_secs(10))), Ok(()));
        assert!(started.elapsed() < Duration::from_secs(5));
        let snap = t.snapshot();
        assert!(snap.deadline_passed);
        assert_eq!(snap.invitees.iter().filter(|i| i.outcome == Outcome::NoAnswer).count(), 4);
        let mut names = Vec::new();
        while let Take::Event(e) = q.take(Duration::ZERO) {
            names.push((e.kind, e.participant.clone()));
        }
        assert_eq!(names.len(), 5, "{names:?}");
        assert_eq!(names[4].0, EventKind::InvitesSettled);
    }

    #[test]
    fn present_participants_count_as_joined_and_close_ends_waits() {
        let (t, _q) = tracker(Duration::from_secs(60));
        t.shared.settle_present(&[(9, "154".into()), (6, "99999".into())]);
        assert_eq!(t.snapshot().invitees[2].outcome, Outcome::Joined);
        t.shared.close();
        assert_eq!(t.wait(None), Err(WaitEnd::Closed));
    }
}
