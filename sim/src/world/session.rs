//! `onlineagent`: sign-in, forced sign-in, sign-out, `updateGuid`, the Guid lifecycle
//! (static and dynamic, reference §2) and the idle sign-out (§3.1).

use super::{now_ms, Answer, CallState, Fail, Reply, World};
use crate::config::AuthMode;
use crate::validate;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Session {
    pub epoch: u64,
    pub guid: String,
    pub guid_issued: Instant,
    /// The Guid before the last rotation and the instant it stops being accepted.
    pub previous: Option<(String, Instant)>,
    pub rotate_now: bool,
    pub login_ms: u64,
    pub phonenum: Option<String>,
    pub autoanswer: bool,
    pub status: i64,
    /// Start of the current idle period: sign-in, or the end of the last poll.
    pub idle_since: Instant,
    pub polls_in_flight: u32,
}

/// Why an agent was signed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutReason {
    Logout,
    ForceLogout,
    ForcedSignIn,
    Idle,
    Control,
}

impl SignOutReason {
    fn name(self) -> &'static str {
        match self {
            SignOutReason::Logout => "logout",
            SignOutReason::ForceLogout => "forcelogout",
            SignOutReason::ForcedSignIn => "forced_sign_in",
            SignOutReason::Idle => "idle",
            SignOutReason::Control => "control",
        }
    }
}

impl World {
    /// Journal label of a Guid: `guid#N` for one the simulator issued.
    pub fn guid_label(&self, guid: &str) -> String {
        match self.guid_serials.get(guid) {
            Some(n) => format!("<guid#{n}>"),
            None => "<unknown guid>".to_string(),
        }
    }

    fn new_guid(&mut self) -> String {
        let guid = format!("{}.AgentGateway{}", uuid::Uuid::new_v4(), self.settings.node);
        let serial = self.guid_serials.len() as u64 + 1;
        self.guid_serials.insert(guid.clone(), serial);
        guid
    }

    /// Checks the `Guid` header of a request for `agent`; returns the session epoch.
    pub fn authorize(&mut self, agent: u32, guid: Option<&str>, now: Instant) -> Result<u64, Fail> {
        let auth_fail = self.settings.auth_failure_retcode.clone();
        let Some(s) = self.agents.get_mut(&agent).and_then(|a| a.session.as_mut()) else {
            return Err(Fail::new("100-006", "the agent has not signed in"));
        };
        let Some(guid) = guid.filter(|g| !g.is_empty()) else {
            return Err(Fail::new(&auth_fail, "no Guid header: no right to call the interface"));
        };
        if guid == s.guid {
            return Ok(s.epoch);
        }
        if let Some((prev, until)) = &s.previous {
            if guid == prev {
                if now < *until {
                    return Ok(s.epoch);
                }
                return Err(Fail::new(&auth_fail, "the Guid has expired; use the one from the last Set-GUID"));
            }
        }
        Err(Fail::new(&auth_fail, "the Guid does not match the agent's session"))
    }

    pub fn current_guid(&self, agent: u32) -> Option<String> {
        self.agents.get(&agent)?.session.as_ref().map(|s| s.guid.clone())
    }

    fn rotate(&mut self, agent: u32, now: Instant) -> Option<String> {
        let grace = Duration::from_millis(self.settings.previous_guid_grace_ms());
        let guid = self.new_guid();
        let s = self.agents.get_mut(&agent)?.session.as_mut()?;
        let old = std::mem::replace(&mut s.guid, guid.clone());
        s.previous = Some((old, now + grace));
        s.guid_issued = now;
        s.rotate_now = false;
        Some(guid)
    }

    /// Dynamic mode: a new Guid when the current one is `guid_interval_ms` old (or a
    /// rotation was forced), to be delivered on the poll answer being built.
    pub fn rotation_for_poll(&mut self, agent: u32, epoch: u64, now: Instant) -> Option<String> {
        let interval = Duration::from_millis(self.settings.guid_interval_ms);
        let dynamic = self.settings.auth_mode == AuthMode::Dynamic;
        let s = self.agents.get(&agent)?.session.as_ref().filter(|s| s.epoch == epoch)?;
        if s.rotate_now || (dynamic && now.duration_since(s.guid_issued) >= interval) {
            self.rotate(agent, now)
        } else {
            None
        }
    }

    /// Control API: rotate at the next poll answer, whatever the mode.
    pub fn force_rotation(&mut self, agent: u32) -> Result<(), String> {
        match self.agents.get_mut(&agent).and_then(|a| a.session.as_mut()) {
            Some(s) => {
                s.rotate_now = true;
                Ok(())
            }
            None => Err(format!("agent {agent} is not signed in")),
        }
    }

    /// Control API: the current and previous Guid stop being accepted at once (the agent
    /// stays signed in; only a new sign-in recovers, as after a missed rotation).
    pub fn expire_guid(&mut self, agent: u32) -> Result<(), String> {
        let guid = self.new_guid();
        match self.agents.get_mut(&agent).and_then(|a| a.session.as_mut()) {
            Some(s) => {
                s.guid = guid;
                s.previous = None;
                Ok(())
            }
            None => Err(format!("agent {agent} is not signed in")),
        }
    }

    pub fn sign_in(&mut self, agent: u32, body: &Value, forced: bool, now: Instant) -> Answer {
        let req = validate::sign_in(body, forced).map_err(|e| Fail::new("100-001", e.0))?;
        if req.password != self.settings.password_of(agent) {
            return Err(Fail::new("100-004", "wrong user name or password"));
        }
        if self.signed_in(agent) {
            if !forced {
                return Err(Fail::new("100-002", "the agent has already signed in"));
            }
            // Forced sign-in replaces the session; the old Guid is dead at once (reference §7).
            self.sign_out(agent, SignOutReason::ForcedSignIn);
        }
        self.epoch_counter += 1;
        let epoch = self.epoch_counter;
        let guid = self.new_guid();
        let login_ms = now_ms();
        let a = self.agent(agent);
        a.queue.clear();
        a.session = Some(Session {
            epoch,
            guid: guid.clone(),
            guid_issued: now,
            previous: None,
            rotate_now: false,
            login_ms,
            phonenum: req.phonenum.clone(),
            autoanswer: req.autoanswer,
            status: req.status,
            idle_since: now,
            polls_in_flight: 0,
        });
        // Events by the requested state (reference §3.1).
        self.emit(agent, "AgentOther_InService", json!({"workNo": agent.to_string()}));
        self.emit(agent, "AgentState_Ready", Value::Null);
        match req.status {
            3 => {
                self.emit(agent, "AgentState_SetNotReady_Success", Value::Null);
            }
            5 => {
                self.emit(agent, "AgentState_Work", Value::Null);
            }
            _ => {}
        }
        Ok(Reply {
            result: Some(json!({
                "vdnid": self.settings.vdn_of(agent),
                "workno": agent.to_string(),
                "mediatype": "TTF",
                "loginTime": login_ms.to_string(),
                "isForceChange": "false",
                "serverName": "AgentGateway",
                "timeRemaining": "90",
            })),
            set_guid: Some(guid),
        })
    }

    pub fn logout(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        if a.calls.iter().any(|c| c.state != CallState::Held) {
            return Err(Fail::new(
                "100-010",
                "the agent is in a call and cannot sign out; release it or use forcelogout",
            ));
        }
        self.sign_out(agent, SignOutReason::Logout);
        Ok(Reply::ok())
    }

    pub fn force_logout(&mut self, agent: u32) -> Answer {
        self.sign_out(agent, SignOutReason::ForceLogout);
        Ok(Reply::ok())
    }

    pub fn update_guid(&mut self, agent: u32, now: Instant) -> Answer {
        let guid = self.rotate(agent, now).ok_or_else(|| Fail::new("100-006", "the agent has not signed in"))?;
        Ok(Reply { result: Some(json!({ "guid": guid })), set_guid: Some(guid) })
    }

    /// Ends the agent's session: calls are released, its conference is released (chair)
    /// or left, and an in-flight poll gets `AgentOther_ShutdownService`.
    pub fn sign_out(&mut self, agent: u32, reason: SignOutReason) {
        if !self.signed_in(agent) {
            return;
        }
        if let Some(conf) = self.agents.get(&agent).and_then(|a| a.conf) {
            let is_chair = self.confs.get(&conf).is_some_and(|c| c.chair == agent);
            if is_chair {
                self.end_conf(conf, None);
            } else {
                self.remove_member(conf, 9, &agent.to_string(), 4);
            }
        }
        let a = self.agent(agent);
        a.calls.clear();
        a.queue.clear();
        a.signouts += 1;
        a.last_signout_reason = Some(reason.name());
        self.emit(agent, "AgentOther_ShutdownService", json!({"reason": reason.name()}));
        let a = self.agent(agent);
        a.session = None;
        a.notify.notify_waiters();
        a.notify.notify_one();
    }

    /// `GET onlineagent/{id}/agentstatus`: `agentState` as the CTI status codes (reference
    /// §3.5: 1 idle, 3 occupied, 4 answering, 5 talking, 6 working, 7 busy) and `isWorking`
    /// (talking).
    pub fn agent_status(&mut self, agent: u32) -> Answer {
        let code = self.agent_state_code(agent);
        Ok(Reply::with(json!({"agentState": code, "isWorking": code == 5})))
    }

    /// The agent's CTI status: talking in a call or a joined conference (5); a call or an
    /// invitation ringing for the agent (4); a call being dialled or only held calls (3);
    /// otherwise the state set at sign-in or with `saybusy` (7), `work` (6), `sayfree` (1).
    pub(super) fn agent_state_code(&self, agent: u32) -> i64 {
        let Some(a) = self.agents.get(&agent) else { return 0 };
        let Some(s) = a.session.as_ref() else { return 0 };
        let conf_member = a.conf.and_then(|c| self.conf_member_joined(c, agent));
        if a.calls.iter().any(|c| c.state == CallState::Talking) || conf_member == Some(true) {
            5
        } else if a.calls.iter().any(|c| c.state == CallState::Alerting) || conf_member == Some(false) {
            4
        } else if !a.calls.is_empty() {
            3
        } else {
            match s.status {
                3 => 7,
                5 => 6,
                _ => 1,
            }
        }
    }

    /// `sayfree`, `saybusy?reason=`, `work`, `cancelwork` (reference §3.5): the state the
    /// agent rests in, with the event sign-in gives for it (`AgentState_Ready`,
    /// `AgentState_SetNotReady_Success`, `AgentState_Work`).
    pub fn set_rest_state(&mut self, agent: u32, status: i64) -> Answer {
        if let Some(s) = self.agent(agent).session.as_mut() {
            s.status = status;
        }
        let event = match status {
            3 => "AgentState_SetNotReady_Success",
            5 => "AgentState_Work",
            _ => "AgentState_Ready",
        };
        self.emit(agent, event, Value::Null);
        Ok(Reply::ok())
    }

    /// Signs out every agent that has not polled for `idle_signout_ms`; returns them.
    pub(super) fn sign_out_idle(&mut self, now: Instant) -> Vec<u32> {
        let idle = Duration::from_millis(self.settings.idle_signout_ms);
        let idle_agents: Vec<u32> = self
            .agents
            .values()
            .filter_map(|a| {
                let s = a.session.as_ref()?;
                (s.polls_in_flight == 0 && now.duration_since(s.idle_since) >= idle).then_some(a.id)
            })
            .collect();
        for &id in &idle_agents {
            self.sign_out(id, SignOutReason::Idle);
        }
        idle_agents
    }
}
