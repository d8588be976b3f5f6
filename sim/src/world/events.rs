//! Event queues (one ordered queue per agent, with the simulator's `seq`) and the
//! long poll's view of them (reference §4.1).

use super::{now_ms, Fail, World};
use serde_json::{json, Value};
use std::time::Instant;

/// One queued event. `seq` is the simulator's per-agent sequence number (extension field
/// `seq` in the event object) so tests can prove that nothing was lost or repeated.
#[derive(Debug, Clone)]
pub struct Event {
    pub seq: u64,
    pub event_type: String,
    pub work_no: String,
    pub content: Value,
    pub gen_time_ms: u64,
    /// Sent verbatim as the `event` member instead of the usual object (control API
    /// `raw`, for testing how clients take malformed events).
    pub raw: Option<Value>,
    /// The session (epoch) the event was queued under; only a poll of that session takes it.
    pub epoch: u64,
}

impl Event {
    pub fn to_json(&self, with_gen_time: bool) -> Value {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let mut ev = json!({
            "eventType": self.event_type,
            "workNo": self.work_no,
            "content": self.content,
            "seq": self.seq,
        });
        if with_gen_time {
            ev["eventGenTime"] = json!(self.gen_time_ms);
        }
        ev
    }
}

/// What an event poll finds.
pub enum PollStep {
    Event(Value),
    Empty,
    Refused(Fail),
}

impl World {
    /// Queues an event for a signed-in agent; returns its sequence number.
    pub fn emit(&mut self, agent: u32, event_type: &str, content: Value) -> Option<u64> {
        self.enqueue(agent, event_type, content, None)
    }

    fn enqueue(&mut self, agent: u32, event_type: &str, content: Value, raw: Option<Value>) -> Option<u64> {
        let limit = self.settings.event_queue_limit;
        let a = self.agents.get_mut(&agent)?;
        let epoch = a.session.as_ref()?.epoch;
        a.seq += 1;
        let ev = Event {
            seq: a.seq,
            event_type: event_type.to_string(),
            work_no: agent.to_string(),
            content,
            gen_time_ms: now_ms(),
            raw,
            epoch,
        };
        if a.queue.len() >= limit {
            a.queue.pop_front();
            a.dropped += 1;
        }
        a.queue.push_back(ev);
        a.notify.notify_one();
        Some(a.seq)
    }

    /// Drops every queued event, as a gateway node that goes away loses what it held in
    /// memory (cluster switchover); counted per agent in `lostInSwitchover`. Returns how
    /// many were lost.
    pub fn lose_queued_events(&mut self) -> usize {
        let mut lost = 0;
        for a in self.agents.values_mut() {
            lost += a.queue.len();
            a.lost_in_switchover += a.queue.len() as u64;
            a.queue.clear();
        }
        lost
    }

    /// Queues an arbitrary event (control API); refused when the agent is not signed in.
    pub fn inject(&mut self, agent: u32, event_type: &str, content: Value) -> Result<u64, String> {
        self.emit(agent, event_type, content).ok_or_else(|| format!("agent {agent} is not signed in"))
    }

    /// Queues `raw` to be sent verbatim as the poll answer's `event` member.
    pub fn inject_raw(&mut self, agent: u32, raw: Value) -> Result<u64, String> {
        self.enqueue(agent, "", Value::Null, Some(raw)).ok_or_else(|| format!("agent {agent} is not signed in"))
    }

    pub fn poll_started(&mut self, agent: u32) {
        if let Some(s) = self.agent(agent).session.as_mut() {
            s.polls_in_flight += 1;
        }
    }

    pub fn poll_finished(&mut self, agent: u32, epoch: u64, now: Instant) {
        if let Some(s) = self.agent(agent).session.as_mut().filter(|s| s.epoch == epoch) {
            s.polls_in_flight = s.polls_in_flight.saturating_sub(1);
            s.idle_since = now;
        }
    }

    /// One look at the queue for a poll authorised under session `epoch`. Once that
    /// session has ended, events queued before the end (such as
    /// `AgentOther_ShutdownService`) are still handed out, then the poll is refused.
    pub fn poll_step(&mut self, agent: u32, epoch: u64) -> PollStep {
        let auth_fail = self.settings.auth_failure_retcode.clone();
        let with_time = self.settings.event_gen_time;
        let a = self.agent(agent);
        let same_session = a.session.as_ref().is_some_and(|s| s.epoch == epoch);
        // Only events of the poll's own session: after a forced sign-in the queue holds the
        // new session's events, which a poll still in flight for the old one must not take.
        if a.queue.front().is_some_and(|ev| ev.epoch == epoch) {
            let ev = a.queue.pop_front().expect("front checked");
            return PollStep::Event(ev.to_json(with_time));
        }
        if same_session {
            PollStep::Empty
        } else if a.session.is_some() {
            PollStep::Refused(Fail::new(&auth_fail, "the session was replaced by a forced sign-in"))
        } else {
            PollStep::Refused(Fail::new("100-006", "the agent has been signed out"))
        }
    }
}
