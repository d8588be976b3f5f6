//! `agentconf`: agent conferences, from the application to the end, their participants,
//! announcements and timers (reference §4.4, §5, §7), and the control API's hand on
//! participants.
//!
//! Who hears of a participant change: `AgentConf_ParticipantChanged` goes to every joined
//! agent of the conference except the participant it is about (and to that participant too
//! with `participant_changed_to_subject`). A member that goes away (leaves, is removed, hangs
//! up, signs out) is `changeType` 1 with its reason; an invitation that fails (rejected, busy,
//! not answered, agent unreachable) is `changeType` 0 with a non-zero `result`.

use super::{invalid, now_ms, Answer, CallState, Deferred, Fail, Reply, World};
use crate::config::Outcome;
use crate::validate::{self, Address};
use serde_json::{json, Value};
use std::time::Instant;

/// One member of a conference: the chair, a joined participant, or an invitee that has not
/// answered yet (`joined` false; not shown by `queryconfinfos`).
#[derive(Debug, Clone)]
pub struct Member {
    pub address_type: u8,
    pub address: String,
    pub device_call_type: i64,
    pub device_type: i64,
    /// `channelAttrib`: 1 listen only, 2 speak only, 3 both, 4 neither.
    pub channel_attrib: i64,
    pub held: bool,
    /// An announcement plays to this participant (`playvoicetoparticipant`).
    pub playing: bool,
    pub voice_serial: u64,
    /// `role`: 1 chair, 0 participant.
    pub role: i64,
    pub enter_ms: u64,
    pub joined: bool,
    /// The invitation this member came from (guards timed answers).
    pub invite_serial: u64,
    pub hold_voice_path: Option<String>,
    pub voice_path: Option<String>,
}

impl Member {
    fn new(address_type: u8, address: &str, device_call_type: i64, device_type: i64) -> Member {
        Member {
            address_type,
            address: address.to_string(),
            device_call_type,
            device_type,
            channel_attrib: 3,
            held: false,
            playing: false,
            voice_serial: 0,
            role: 0,
            enter_ms: 0,
            joined: false,
            invite_serial: 0,
            hold_voice_path: None,
            voice_path: None,
        }
    }

    fn is(&self, address_type: u8, address: &str) -> bool {
        self.address_type == address_type && self.address == address
    }

    fn agent_id(&self) -> Option<u32> {
        if self.address_type == 9 {
            self.address.parse().ok()
        } else {
            None
        }
    }

    /// `channelState`: 1 held, 2 an announcement plays to it, 0 talking.
    fn channel_state(&self) -> i64 {
        if self.held {
            1
        } else if self.playing {
            2
        } else {
            0
        }
    }

    /// One entry of `addresses` (Table 6 of `queryconfinfos`).
    fn to_json(&self) -> Value {
        json!({
            "addressType": self.address_type.to_string(),
            "address": self.address,
            "deviceCallType": self.device_call_type,
            "deviceType": self.device_type,
            "channelAttrib": self.channel_attrib,
            "channelState": self.channel_state(),
            "role": self.role,
            "enterTime": self.enter_ms,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Conference {
    pub id: u64,
    pub chair: u32,
    pub vdn: u32,
    pub granted: bool,
    pub start_ms: u64,
    pub started: Instant,
    pub apply_minutes: i64,
    pub prompt_minutes: i64,
    pub member_num: i64,
    pub timeout_sent: bool,
    /// Bumped whenever the timers are rescheduled (`prolongtime`), so stale ones do nothing.
    pub timer_serial: u64,
    /// An announcement plays to the whole conference (`confState` 1).
    pub playing: bool,
    pub voice_serial: u64,
    pub voice_path: Option<String>,
    pub members: Vec<Member>,
}

impl Conference {
    fn member(&self, address_type: u8, address: &str) -> Option<usize> {
        self.members.iter().position(|m| m.is(address_type, address))
    }

    fn joined(&self, address_type: u8, address: &str) -> Option<usize> {
        self.member(address_type, address).filter(|&i| self.members[i].joined)
    }

    /// The conference as `queryconfinfos` reports it (Tables 5 and 6), joined members in
    /// the order they joined.
    pub fn to_json(&self, minute_ms: u64) -> Value {
        json!({
            "confId": self.id,
            "confState": if self.playing { 1 } else { 0 },
            "startTime": self.start_ms,
            "applyConfTime": self.apply_minutes,
            "confHaveBeenTime": self.started.elapsed().as_millis() as u64 / minute_ms.max(1),
            "addresses": self.members.iter().filter(|m| m.joined).map(Member::to_json).collect::<Vec<_>>(),
        })
    }
}

/// What the control API can make a participant do (`POST /sim/confs/{id}/participants`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantAction {
    Join,
    Fail,
    Leave,
    Hold,
    Unhold,
    Mute,
    Unmute,
    Mode,
}

impl ParticipantAction {
    pub fn parse(s: &str) -> Option<ParticipantAction> {
        Some(match s {
            "join" => ParticipantAction::Join,
            "fail" | "reject" => ParticipantAction::Fail,
            "leave" => ParticipantAction::Leave,
            "hold" => ParticipantAction::Hold,
            "unhold" => ParticipantAction::Unhold,
            "mute" => ParticipantAction::Mute,
            "unmute" => ParticipantAction::Unmute,
            "mode" => ParticipantAction::Mode,
            _ => return None,
        })
    }
}

/// A control-API refusal: `NotFound` (no such conference) or `Conflict` (the state forbids it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlError {
    NotFound(String),
    Conflict(String),
}

/// `changeType` of a mode change: 3 (muted) when the participant can no longer speak
/// (`attribute` 1 or 4), 4 (unmuted) when it can (2 or 3). Reference §7 (inference).
fn mode_change_type(attribute: i64) -> i64 {
    if attribute == 1 || attribute == 4 {
        3
    } else {
        4
    }
}

impl World {
    /// The conference `agent` chairs, refusing `101-001` (no conference, or not granted yet)
    /// and `101-002` (not the chair).
    fn chaired(&self, agent: u32) -> Result<u64, Fail> {
        let conf = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .and_then(|id| self.confs.get(&id))
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        if conf.chair != agent {
            return Err(Fail::new("101-002", "the agent is not the chairperson of the conference"));
        }
        if !conf.granted {
            // Chair operations before AgentConf_RequestSuccess: undocumented code (reference §11.18).
            return Err(Fail::new(
                "101-001",
                "the conference is not established yet (wait for AgentConf_RequestSuccess)",
            ));
        }
        Ok(conf.id)
    }

    /// The joined member of the agent's chaired conference named by `target`; `000-002` when
    /// the address is not a participant (the parameter is wrong).
    fn chaired_target(&self, agent: u32, target: &Address) -> Result<(u64, usize), Fail> {
        let conf = self.chaired(agent)?;
        let i = self.confs[&conf]
            .joined(target.address_type, &target.address)
            .ok_or_else(|| invalid(format!("{} is not a participant of conference {conf}", target.address)))?;
        Ok((conf, i))
    }

    /// Whether the agent is a joined (`Some(true)`) or invited (`Some(false)`) member.
    pub(super) fn conf_member_joined(&self, conf: u64, agent: u32) -> Option<bool> {
        let c = self.confs.get(&conf)?;
        c.member(9, &agent.to_string()).map(|i| c.members[i].joined)
    }

    /// `AgentConf_ParticipantChanged` about `subject` (see the module comment for who gets it).
    fn broadcast_change(&mut self, conf: u64, subject: &Member, result: i64, change_type: i64, change_reason: i64) {
        let Some(c) = self.confs.get(&conf) else { return };
        let to_subject = self.settings.participant_changed_to_subject;
        let subject_agent = subject.agent_id();
        let recipients: Vec<u32> = c
            .members
            .iter()
            .filter(|m| m.joined)
            .filter_map(Member::agent_id)
            .filter(|&id| to_subject || Some(id) != subject_agent)
            .collect();
        let content = json!({
            "result": result,
            "changeReason": change_reason,
            "changeType": change_type,
            "confId": conf,
            "participant": subject.address,
            "participantType": subject.address_type,
            "deviceCallType": subject.device_call_type,
            "deviceType": subject.device_type,
        });
        // A subject that is not (or no longer) a joined member still hears of it when asked.
        let extra = subject_agent.filter(|id| to_subject && !recipients.contains(id));
        for id in recipients.into_iter().chain(extra) {
            self.emit(id, "AgentConf_ParticipantChanged", content.clone());
        }
    }

    fn emit_to_chair(&mut self, conf: u64, event_type: &str, content: Value) {
        if let Some(chair) = self.confs.get(&conf).map(|c| c.chair) {
            self.emit(chair, event_type, content);
        }
    }

    // ------------------------------------------------------------------ the conference

    pub fn request_conf(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::request_conf(body)?;
        if self.agent(agent).conf.is_some() {
            return Err(Fail::new("101-003", "the agent is already in a conference"));
        }
        let id = self.next_conf_id;
        self.next_conf_id += 1;
        let vdn = self.settings.vdn_of(agent);
        let now = now_ms();
        let mut chair = Member::new(9, &agent.to_string(), 0, 0);
        chair.role = 1;
        chair.joined = true;
        chair.enter_ms = now;
        self.confs.insert(
            id,
            Conference {
                id,
                chair: agent,
                vdn,
                granted: false,
                start_ms: now,
                started: Instant::now(),
                apply_minutes: req.time,
                prompt_minutes: req.prompt_time,
                member_num: req.member_num,
                timeout_sent: false,
                timer_serial: 0,
                playing: false,
                voice_serial: 0,
                voice_path: None,
                members: vec![chair],
            },
        );
        self.agent(agent).conf = Some(id);
        self.deferred.push((self.settings.conf_grant_delay_ms, Deferred::GrantConf { conf: id }));
        Ok(Reply::ok())
    }

    /// The application completes. An agent holding a call fails (`RequestFailed`); an
    /// agent in a stable call brings that call's parties into the conference.
    pub(super) fn grant_conf(&mut self, conf: u64) {
        let Some(chair) = self.confs.get(&conf).filter(|c| !c.granted).map(|c| c.chair) else { return };
        if self.agent(chair).calls.iter().any(|c| c.state == CallState::Held) {
            self.confs.remove(&conf);
            self.agent(chair).conf = None;
            self.emit(chair, "AgentConf_RequestFailed", json!({"cause": 21234}));
            return;
        }
        self.emit(chair, "AgentState_Busy", Value::Null);
        self.emit(chair, "AgentOther_PhoneAlerting", json!({"type": "main"}));
        self.emit(chair, "AgentOther_PhoneOffhook", json!({"type": "main"}));
        self.emit(chair, "AgentConf_SelfJoinResult", json!({"confId": conf}));
        let absorbed = {
            let a = self.agent(chair);
            a.talking().map(|i| a.calls.remove(i))
        };
        let now = now_ms();
        if let Some(c) = self.confs.get_mut(&conf) {
            c.granted = true;
            c.started = Instant::now();
            c.start_ms = now;
            for p in absorbed.iter().flat_map(|call| call.parties.iter()) {
                let mut m = Member::new(6, &p.number, 0, 0);
                m.joined = true;
                m.enter_ms = now;
                c.members.push(m);
            }
        }
        self.emit(chair, "AgentConf_RequestSuccess", json!({"confId": conf}));
        self.schedule_conf_timers(conf);
    }

    /// (Re)schedules `AgentConf_Timeout` at `applyConfTime - promptTime` and the end at
    /// `applyConfTime`, counted from the start in `conf_minute_ms` minutes.
    fn schedule_conf_timers(&mut self, conf: u64) {
        let minute = self.settings.conf_minute_ms;
        let Some(c) = self.confs.get_mut(&conf) else { return };
        c.timer_serial += 1;
        let serial = c.timer_serial;
        let elapsed = c.started.elapsed().as_millis() as u64;
        let warn_at = (c.apply_minutes - c.prompt_minutes).max(0) as u64 * minute;
        let end_at = c.apply_minutes.max(0) as u64 * minute;
        if warn_at > elapsed {
            c.timeout_sent = false;
            self.deferred.push((warn_at - elapsed, Deferred::ConfWarn { conf, serial }));
        } else if !c.timeout_sent {
            self.deferred.push((0, Deferred::ConfWarn { conf, serial }));
        }
        self.deferred.push((end_at.saturating_sub(elapsed), Deferred::ConfEnd { conf, serial }));
    }

    pub(super) fn conf_warn(&mut self, conf: u64, serial: u64) {
        let Some(c) = self.confs.get_mut(&conf).filter(|c| c.timer_serial == serial && !c.timeout_sent) else {
            return;
        };
        c.timeout_sent = true;
        self.emit_to_chair(conf, "AgentConf_Timeout", json!({"confId": conf}));
    }

    pub(super) fn conf_end(&mut self, conf: u64, serial: u64) {
        if self.confs.get(&conf).is_some_and(|c| c.timer_serial == serial) {
            self.end_conf(conf, None);
        }
    }

    /// The conference ends (`releaseagentconf` by `released_by`, the end of its time, or the
    /// chair signing out): every joined agent gets `AgentConf_SelfLeaveResult`, then its phone
    /// goes on-hook (`AgentOther_PhoneRelease`, `phoneState` 2 for the releasing chair, 3 for
    /// the others) and it returns to its resting state; an agent still being invited gets the
    /// on-hook and resting events only.
    pub(super) fn end_conf(&mut self, conf: u64, released_by: Option<u32>) {
        let Some(c) = self.confs.remove(&conf) else { return };
        for m in &c.members {
            let Some(id) = m.agent_id() else { continue };
            self.agent(id).conf = None;
            if !c.granted {
                // Released before it was granted: the chair's phone never went off-hook.
                continue;
            }
            if m.joined {
                self.emit(id, "AgentConf_SelfLeaveResult", json!({"confId": conf}));
            }
            self.phone_released(id, released_by == Some(id));
        }
    }

    pub fn release_conf_request(&mut self, agent: u32) -> Answer {
        let conf = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        if self.confs[&conf].chair != agent {
            return Err(Fail::new("101-002", "the agent is not the chairperson of the conference"));
        }
        self.end_conf(conf, Some(agent));
        Ok(Reply::ok())
    }

    // ------------------------------------------------------------------ invitations

    pub fn batch_add(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::batch_add(body)?;
        let conf = self.chaired(agent)?;
        for p in req.addresses {
            if self.confs[&conf].member(p.address_type, &p.address).is_some() {
                continue;
            }
            self.invite(conf, p.address_type, &p.address, p.device_call_type, p.device_type);
        }
        Ok(Reply::ok())
    }

    /// One invitation: an agent gets `AgentConf_Ringing` (an agent not signed in or busy in
    /// another conference fails at once); then the address answers as `answer_rules` say,
    /// or by default: phones join after `invite_answer_delay_ms`, agents too when they signed
    /// in with `autoanswer`, otherwise they wait for `answeragentconf`/`rejectagentconf`.
    fn invite(&mut self, conf: u64, address_type: u8, address: &str, device_call_type: i64, device_type: i64) {
        self.invite_counter += 1;
        let serial = self.invite_counter;
        let mut member = Member::new(address_type, address, device_call_type, device_type);
        member.invite_serial = serial;
        let mut autoanswer = true;
        if address_type == 9 {
            let id: Option<u32> = address.parse().ok();
            let reachable = id.filter(|&id| self.signed_in(id) && self.agents[&id].conf.is_none());
            let Some(id) = reachable else {
                self.broadcast_change(conf, &member, 1, 0, 255);
                return;
            };
            autoanswer = self.agents[&id].session.as_ref().is_some_and(|s| s.autoanswer);
            self.agent(id).conf = Some(conf);
            self.confs.get_mut(&conf).expect("conference exists").members.push(member);
            self.emit(id, "AgentConf_Ringing", json!({"confId": conf}));
        } else {
            self.confs.get_mut(&conf).expect("conference exists").members.push(member);
        }
        let default_delay = self.settings.invite_answer_delay_ms;
        let (outcome, delay, result) = match self.settings.answer_rule(address_type, address) {
            Some(r) => (r.outcome, r.delay_ms.unwrap_or(default_delay), r.result.unwrap_or(1)),
            None if autoanswer => (Outcome::Join, default_delay, 1),
            None => (Outcome::Never, 0, 1),
        };
        if outcome != Outcome::Never {
            let address = address.to_string();
            self.later(delay, Deferred::Invite { conf, address_type, address, serial, outcome, result });
        }
    }

    /// A timed answer to invitation `serial` (ignored when that invitation is over).
    pub(super) fn invite_outcome(
        &mut self,
        conf: u64,
        address_type: u8,
        address: &str,
        serial: u64,
        outcome: Outcome,
        result: i64,
    ) {
        let pending = self.confs.get(&conf).and_then(|c| c.member(address_type, address).map(|i| &c.members[i]));
        if !pending.is_some_and(|m| !m.joined && m.invite_serial == serial) {
            return;
        }
        match outcome {
            Outcome::Never => {}
            Outcome::Join => self.join(conf, address_type, address),
            Outcome::Reject => self.fail_invite(conf, address_type, address, result, true),
            Outcome::Busy | Outcome::NoAnswer => self.fail_invite(conf, address_type, address, result, false),
        }
    }

    /// A pending invitee joins: an agent gets `AgentConf_SelfJoinResult`; the others
    /// `ParticipantChanged` changeType 0.
    fn join(&mut self, conf: u64, address_type: u8, address: &str) {
        let now = now_ms();
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let Some(i) = c.member(address_type, address).filter(|&i| !c.members[i].joined) else { return };
        // Joined members are listed in the order they joined.
        let mut member = c.members.remove(i);
        member.joined = true;
        member.enter_ms = now;
        c.members.push(member.clone());
        if let Some(id) = member.agent_id() {
            self.emit(id, "AgentConf_SelfJoinResult", json!({"confId": conf}));
        }
        self.broadcast_change(conf, &member, 0, 0, 255);
    }

    /// A pending invitation fails (rejected by the agent, busy, not answered): the others get
    /// `ParticipantChanged` changeType 0 with `result`; an invited agent's phone goes on-hook.
    fn fail_invite(&mut self, conf: u64, address_type: u8, address: &str, result: i64, by_invitee: bool) {
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let Some(i) = c.member(address_type, address).filter(|&i| !c.members[i].joined) else { return };
        let member = c.members.remove(i);
        self.broadcast_change(conf, &member, result, 0, 255);
        if let Some(id) = member.agent_id() {
            self.agent(id).conf = None;
            self.phone_released(id, by_invitee);
        }
    }

    /// The invitation the agent is ringing for: `101-001` without one, `101-003` when it
    /// has joined already.
    fn ringing_conf(&self, agent: u32) -> Result<u64, Fail> {
        let id = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        match self.conf_member_joined(id, agent) {
            Some(false) => Ok(id),
            _ => Err(Fail::new("101-003", "the agent has already joined the conference")),
        }
    }

    /// `answeragentconf`: an invited agent whose conference is ringing joins.
    pub fn answer_conf(&mut self, agent: u32) -> Answer {
        let conf = self.ringing_conf(agent)?;
        self.join(conf, 9, &agent.to_string());
        Ok(Reply::ok())
    }

    /// `rejectagentconf`: self `AgentOther_PhoneRelease`, `AgentState_Ready` (reference §5);
    /// the others `ParticipantChanged` changeType 0, result 1.
    pub fn reject_conf(&mut self, agent: u32) -> Answer {
        let conf = self.ringing_conf(agent)?;
        self.fail_invite(conf, 9, &agent.to_string(), 1, true);
        Ok(Reply::ok())
    }

    // ------------------------------------------------------------------ leaving

    /// `requestleaveagentconf`: `101-007` for the chair; an invitee still ringing declines
    /// (as `rejectagentconf`).
    pub fn leave_request(&mut self, agent: u32) -> Answer {
        let conf = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        if self.confs[&conf].chair == agent {
            return Err(Fail::new("101-007", "the chairperson cannot leave the conference; release it instead"));
        }
        if self.conf_member_joined(conf, agent) == Some(false) {
            self.fail_invite(conf, 9, &agent.to_string(), 1, true);
        } else {
            self.remove_member(conf, 9, &agent.to_string(), 0);
        }
        Ok(Reply::ok())
    }

    /// A member goes away with `reason` (0 left, 1 removed by the chair, 2 hung up, 4 signed
    /// out, 6 other): the others get `ParticipantChanged` changeType 1. A joined agent gets
    /// (reason 0: `AgentMediaEvent_StopRecordDone`,) `AgentOther_PhoneRelease`,
    /// `AgentConf_SelfLeaveResult` and its resting state, an invited one the on-hook and
    /// resting events; nothing for reason 4 (its queue ends with the session).
    pub(super) fn remove_member(&mut self, conf: u64, address_type: u8, address: &str, reason: i64) {
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let Some(i) = c.member(address_type, address) else { return };
        let member = c.members.remove(i);
        self.broadcast_change(conf, &member, 0, 1, reason);
        let Some(id) = member.agent_id() else { return };
        self.agent(id).conf = None;
        if reason == 4 {
            return;
        }
        let by_agent = reason == 0 || reason == 2;
        if member.joined {
            if reason == 0 {
                self.emit(id, "AgentMediaEvent_StopRecordDone", Value::Null);
            }
            self.emit(id, "AgentOther_PhoneRelease", json!({"phoneState": if by_agent { 2 } else { 3 }}));
            self.emit(id, "AgentConf_SelfLeaveResult", json!({"confId": conf}));
            self.rest_if_free(id);
        } else {
            self.phone_released(id, by_agent);
        }
    }

    pub fn batch_remove(&mut self, agent: u32, body: &Value) -> Answer {
        let addresses = validate::batch_remove(body)?;
        let conf = self.chaired(agent)?;
        if addresses.iter().any(|a| a.address_type == 9 && a.address == agent.to_string()) {
            return Err(Fail::new("101-006", "the chairperson cannot remove itself"));
        }
        let mut missing = Vec::new();
        for a in addresses {
            if self.confs[&conf].member(a.address_type, &a.address).is_some() {
                self.remove_member(conf, a.address_type, &a.address, 1);
            } else {
                missing.push(json!({"addressType": a.address_type.to_string(), "address": a.address}));
            }
        }
        Ok(Reply::with(json!({ "noExistParticipants": missing })))
    }

    // ------------------------------------------------------------------ participants

    /// Hold (`held`) or unhold a joined participant: channelState 1/0, changeType 5/6.
    fn set_held(&mut self, conf: u64, i: usize, held: bool, voice_path: Option<String>) {
        let c = self.confs.get_mut(&conf).expect("conference exists");
        let m = &mut c.members[i];
        m.held = held;
        m.hold_voice_path = voice_path;
        let member = m.clone();
        self.broadcast_change(conf, &member, 0, if held { 5 } else { 6 }, 255);
    }

    pub fn hold_participant(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::hold(body)?;
        let (conf, i) = self.chaired_target(agent, &req.target)?;
        self.set_held(conf, i, true, Some(req.voice_path));
        Ok(Reply::ok())
    }

    pub fn unhold_participant(&mut self, agent: u32, body: &Value) -> Answer {
        let target = validate::unhold(body)?;
        let (conf, i) = self.chaired_target(agent, &target)?;
        self.set_held(conf, i, false, None);
        Ok(Reply::ok())
    }

    /// Sets `channelAttrib` and tells the others: changeType 3 (muted) or 4 (unmuted).
    fn set_mode(&mut self, conf: u64, i: usize, attribute: i64) {
        let c = self.confs.get_mut(&conf).expect("conference exists");
        c.members[i].channel_attrib = attribute;
        let member = c.members[i].clone();
        self.broadcast_change(conf, &member, 0, mode_change_type(attribute), 255);
    }

    /// `changeparticipantmode`: `attribute` 1-4 becomes the participant's `channelAttrib`.
    pub fn change_mode(&mut self, agent: u32, body: &Value) -> Answer {
        let (target, attribute) = validate::change_mode(body)?;
        let (conf, i) = self.chaired_target(agent, &target)?;
        self.set_mode(conf, i, attribute);
        Ok(Reply::ok())
    }

    /// `applytoshiftpresident`: the chair passes to a joined agent; the others get
    /// `ParticipantChanged` changeType 2 about the new chair, then the new chair
    /// `AgentConf_PresidentChanged` (reference §5). `101-005` to itself; `000-002` for an
    /// agent that is not a joined participant.
    pub fn shift_president(&mut self, agent: u32, body: &Value) -> Answer {
        let dest = validate::shift_president(body)?;
        let conf = self.chaired(agent)?;
        if dest == agent {
            return Err(Fail::new("101-005", "the chairperson cannot hand the chair to itself"));
        }
        let c = self.confs.get_mut(&conf).expect("chaired conference exists");
        let Some(i) = c.joined(9, &dest.to_string()) else {
            return Err(invalid(format!("agent {dest} is not a participant of conference {conf}")));
        };
        for m in c.members.iter_mut() {
            m.role = 0;
        }
        c.members[i].role = 1;
        c.chair = dest;
        let member = c.members[i].clone();
        self.broadcast_change(conf, &member, 0, 2, 255);
        self.emit(dest, "AgentConf_PresidentChanged", json!({"confId": conf}));
        Ok(Reply::ok())
    }

    // ------------------------------------------------------------------ time and resources

    /// `prolongtime`: `prolongTime` minutes more; the total may not pass 1440 (`000-002`).
    /// A warning already sent is sent again at the new `applyConfTime - promptTime`.
    pub fn prolong(&mut self, agent: u32, body: &Value) -> Answer {
        let minutes = validate::prolong(body)?;
        let conf = self.chaired(agent)?;
        let c = self.confs.get_mut(&conf).expect("chaired conference exists");
        if c.apply_minutes + minutes > 1440 {
            return Err(invalid(format!(
                "prolongTime: {} + {minutes} minutes is more than 1440 in total",
                c.apply_minutes
            )));
        }
        c.apply_minutes += minutes;
        self.schedule_conf_timers(conf);
        Ok(Reply::ok())
    }

    /// `modifyconfresource`: `modifyType` 0 adds and 1 removes `modifyNum` member places;
    /// the result must stay within `memberNum`'s 1-120 (`000-002`).
    pub fn modify_resource(&mut self, agent: u32, body: &Value) -> Answer {
        let (kind, num) = validate::modify_resource(body)?;
        let conf = self.chaired(agent)?;
        let c = self.confs.get_mut(&conf).expect("chaired conference exists");
        let new = if kind == 0 { c.member_num + num } else { c.member_num - num };
        if !(1..=120).contains(&new) {
            return Err(invalid(format!("memberNum {} would become {new}, outside 1..120", c.member_num)));
        }
        c.member_num = new;
        Ok(Reply::ok())
    }

    // ------------------------------------------------------------------ announcements

    fn voice_timer(&mut self, conf: u64, target: Option<(u8, String)>, serial: u64) {
        let ms = self.settings.announcement_ms;
        if ms > 0 {
            self.deferred.push((ms, Deferred::VoiceEnd { conf, target, serial }));
        }
    }

    /// `playvoicetoconf`: `confState` 1 until it ends by itself (`announcement_ms`) or is
    /// stopped; either way the chair gets `AgentConf_StopVoice` `{"result": 0}`.
    pub fn play_to_conf(&mut self, agent: u32, body: &Value) -> Answer {
        let path = validate::play_to_conf(body)?;
        let conf = self.chaired(agent)?;
        let c = self.confs.get_mut(&conf).expect("chaired conference exists");
        c.playing = true;
        c.voice_path = Some(path);
        c.voice_serial += 1;
        let serial = c.voice_serial;
        self.voice_timer(conf, None, serial);
        Ok(Reply::ok())
    }

    /// `stopvoicetoconf`: `AgentConf_StopVoice` `{"result": 0}`, or `{"result": 1}` when no
    /// announcement was playing.
    pub fn stop_conf_voice(&mut self, agent: u32) -> Answer {
        let conf = self.chaired(agent)?;
        let c = self.confs.get_mut(&conf).expect("chaired conference exists");
        let was = std::mem::replace(&mut c.playing, false);
        c.voice_path = None;
        self.emit(agent, "AgentConf_StopVoice", json!({"result": if was { 0 } else { 1 }}));
        Ok(Reply::ok())
    }

    /// `playvoicetoparticipant`: the participant's `channelState` is 2 until the
    /// announcement ends or is stopped (`AgentConf_StopParticipantVoice` to the chair).
    pub fn play_to_participant(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::hold(body)?;
        let (conf, i) = self.chaired_target(agent, &req.target)?;
        let m = &mut self.confs.get_mut(&conf).expect("chaired conference exists").members[i];
        m.playing = true;
        m.voice_path = Some(req.voice_path);
        m.voice_serial += 1;
        let (serial, target) = (m.voice_serial, Some((m.address_type, m.address.clone())));
        self.voice_timer(conf, target, serial);
        Ok(Reply::ok())
    }

    /// `stopvoicetoparticipant`: `AgentConf_StopParticipantVoice` `{"result": 0}`, or 1 when
    /// nothing was playing to that participant.
    pub fn stop_participant_voice(&mut self, agent: u32, body: &Value) -> Answer {
        let target = validate::unhold(body)?;
        let (conf, i) = self.chaired_target(agent, &target)?;
        let m = &mut self.confs.get_mut(&conf).expect("chaired conference exists").members[i];
        let was = std::mem::replace(&mut m.playing, false);
        m.voice_path = None;
        self.emit(agent, "AgentConf_StopParticipantVoice", json!({"result": if was { 0 } else { 1 }}));
        Ok(Reply::ok())
    }

    pub(super) fn voice_end(&mut self, conf: u64, target: Option<(u8, String)>, serial: u64) {
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let event = match &target {
            None if c.playing && c.voice_serial == serial => {
                c.playing = false;
                c.voice_path = None;
                "AgentConf_StopVoice"
            }
            Some((t, a)) => {
                let Some(i) = c.member(*t, a) else { return };
                let m = &mut c.members[i];
                if !m.playing || m.voice_serial != serial {
                    return;
                }
                m.playing = false;
                m.voice_path = None;
                "AgentConf_StopParticipantVoice"
            }
            None => return,
        };
        self.emit_to_chair(conf, event, json!({"result": 0}));
    }

    // ------------------------------------------------------------------ queries

    /// `queryconfinfos`: an inspector sees every conference of its VDN, any other agent
    /// only the conference it belongs to; ids it may not see are left out of the answer.
    pub fn query_confs(&mut self, agent: u32, body: &Value) -> Answer {
        let ids = validate::query(body)?;
        let inspector = self.settings.is_inspector(agent);
        let vdn = self.settings.vdn_of(agent);
        let own = self.agents.get(&agent).and_then(|a| a.conf);
        let minute = self.settings.conf_minute_ms;
        let confs: Vec<Value> = ids
            .iter()
            .filter_map(|id| self.confs.get(id))
            .filter(|c| c.granted && (Some(c.id) == own || (inspector && c.vdn == vdn)))
            .map(|c| c.to_json(minute))
            .collect();
        Ok(Reply::with(match self.settings.query_shape {
            crate::config::QueryShape::Confs => json!({ "confs": confs }),
            crate::config::QueryShape::Array => json!(confs),
        }))
    }

    /// `GET queryvdnconfid`: the ids of every conference of the inspector's VDN; `101-004`
    /// for an agent that is not an inspector.
    pub fn query_vdn_conf_ids(&mut self, agent: u32) -> Answer {
        if !self.settings.is_inspector(agent) {
            return Err(Fail::new("101-004", "only an inspector may query the conferences of its VDN"));
        }
        let vdn = self.settings.vdn_of(agent);
        let ids: Vec<u64> = self.confs.values().filter(|c| c.granted && c.vdn == vdn).map(|c| c.id).collect();
        Ok(Reply::with(json!({ "confIds": ids })))
    }

    /// The conference exactly as one entry of `queryconfinfos` shows it, whoever asks.
    pub fn conf_info(&self, conf: u64) -> Option<Value> {
        self.confs.get(&conf).filter(|c| c.granted).map(|c| c.to_json(self.settings.conf_minute_ms))
    }

    pub fn confs_json(&self) -> Value {
        let minute = self.settings.conf_minute_ms;
        let confs: Vec<Value> = self
            .confs
            .values()
            .map(|c| {
                let mut v = c.to_json(minute);
                v["chair"] = json!(c.chair.to_string());
                v["vdn"] = json!(c.vdn);
                v["granted"] = json!(c.granted);
                v["memberNum"] = json!(c.member_num);
                v["promptTime"] = json!(c.prompt_minutes);
                v["timeoutSent"] = json!(c.timeout_sent);
                v["voicePath"] = json!(c.voice_path);
                v["members"] = c
                    .members
                    .iter()
                    .map(|m| {
                        let mut j = m.to_json();
                        j["joined"] = json!(m.joined);
                        j["holdVoicePath"] = json!(m.hold_voice_path);
                        j["voicePath"] = json!(m.voice_path);
                        j
                    })
                    .collect();
                v
            })
            .collect();
        json!({ "confs": confs })
    }

    // ------------------------------------------------------------------ control API

    /// `POST /sim/confs/{id}/participants`: makes a participant do what a real one would,
    /// with the events the gateway would send; answers the conference as `queryconfinfos`
    /// shows it afterwards.
    pub fn control_participant(
        &mut self,
        conf: u64,
        action: ParticipantAction,
        target: &Address,
        reason: Option<i64>,
        result: Option<i64>,
        attribute: Option<i64>,
    ) -> Result<Value, ControlError> {
        let conflict = |m: String| ControlError::Conflict(m);
        let c = self
            .confs
            .get(&conf)
            .filter(|c| c.granted)
            .ok_or_else(|| ControlError::NotFound(format!("no conference {conf} (or not granted yet)")))?;
        let (t, a) = (target.address_type, target.address.as_str());
        let member = c.member(t, a);
        let joined = member.filter(|&i| c.members[i].joined);
        let is_chair = t == 9 && a == c.chair.to_string();
        match action {
            ParticipantAction::Join => match member {
                Some(i) if c.members[i].joined => return Err(conflict(format!("{a} has joined already"))),
                Some(_) => self.join(conf, t, a),
                None => {
                    // Not invited: it dials in. An agent must be signed in and free.
                    if t == 9 {
                        let free = a.parse().ok().filter(|&id| self.signed_in(id) && self.agents[&id].conf.is_none());
                        let Some(id) = free else {
                            return Err(conflict(format!("agent {a} is not signed in or is in a conference")));
                        };
                        self.agent(id).conf = Some(conf);
                    }
                    self.confs.get_mut(&conf).expect("checked").members.push(Member::new(t, a, 0, 0));
                    self.join(conf, t, a);
                }
            },
            ParticipantAction::Fail => {
                if member.is_none() || joined.is_some() {
                    return Err(conflict(format!("{a} has no pending invitation")));
                }
                if result == Some(0) {
                    return Err(conflict("result must be non-zero".into()));
                }
                self.fail_invite(conf, t, a, result.unwrap_or(1), t == 9);
            }
            ParticipantAction::Leave => {
                if joined.is_none() {
                    return Err(conflict(format!("{a} is not a joined participant")));
                }
                if is_chair {
                    return Err(conflict("the chair cannot leave; release the conference".into()));
                }
                let reason = reason.unwrap_or(if t == 9 { 0 } else { 2 });
                if !matches!(reason, 0..=6) {
                    return Err(conflict("reason must be 0..6".into()));
                }
                self.remove_member(conf, t, a, reason);
            }
            ParticipantAction::Hold | ParticipantAction::Unhold => {
                let i = joined.ok_or_else(|| conflict(format!("{a} is not a joined participant")))?;
                let held = action == ParticipantAction::Hold;
                self.set_held(conf, i, held, held.then(|| "sim:control".to_string()));
            }
            ParticipantAction::Mute | ParticipantAction::Unmute | ParticipantAction::Mode => {
                let i = joined.ok_or_else(|| conflict(format!("{a} is not a joined participant")))?;
                let attribute = match action {
                    ParticipantAction::Mute => 1,
                    ParticipantAction::Unmute => 3,
                    _ => attribute
                        .filter(|a| (1..=4).contains(a))
                        .ok_or_else(|| conflict("mode needs attribute 1..4".into()))?,
                };
                self.set_mode(conf, i, attribute);
            }
        }
        Ok(self.conf_info(conf).unwrap_or(Value::Null))
    }
}
