//! `agentconf`: agent conferences, from the application to the end, their participants
//! and timers (reference §4.4, §5, §7).

use super::{invalid, now_ms, Answer, CallState, Deferred, Fail, Reply, World};
use crate::validate::{self, Address};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Member {
    pub address_type: u8,
    pub address: String,
    pub device_call_type: i64,
    pub device_type: i64,
    pub channel_attrib: i64,
    pub channel_state: i64,
    pub role: i64,
    pub enter_ms: u64,
    pub joined: bool,
    pub hold_voice_path: Option<String>,
}

impl Member {
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
    fn to_json(&self) -> Value {
        json!({
            "addressType": self.address_type.to_string(),
            "address": self.address,
            "deviceCallType": self.device_call_type,
            "deviceType": self.device_type,
            "channelAttrib": self.channel_attrib,
            "channelState": self.channel_state,
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
    pub members: Vec<Member>,
}

impl Conference {
    fn member(&self, address_type: u8, address: &str) -> Option<usize> {
        self.members.iter().position(|m| m.is(address_type, address))
    }

    /// The conference as `queryconfinfos` reports it (Tables 5 and 6).
    fn to_json(&self) -> Value {
        json!({
            "confId": self.id,
            "confState": 0,
            "startTime": self.start_ms,
            "applyConfTime": self.apply_minutes,
            "confHaveBeenTime": self.started.elapsed().as_secs() / 60,
            "addresses": self.members.iter().filter(|m| m.joined).map(Member::to_json).collect::<Vec<_>>(),
        })
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

    /// `AgentConf_ParticipantChanged` to every joined agent of the conference except the
    /// subject (and to the subject too when `participant_changed_to_subject`).
    fn broadcast_change(&mut self, conf: u64, subject: &Member, change_type: i64, change_reason: i64) {
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
            "result": 0,
            "changeReason": change_reason,
            "changeType": change_type,
            "confId": conf,
            "participant": subject.address,
            "participantType": subject.address_type,
            "deviceCallType": subject.device_call_type,
            "deviceType": subject.device_type,
        });
        // A subject that already left is not among the members; it still hears of it when asked.
        let extra = subject_agent.filter(|id| to_subject && !recipients.contains(id));
        for id in recipients.into_iter().chain(extra) {
            self.emit(id, "AgentConf_ParticipantChanged", content.clone());
        }
    }

    pub fn request_conf(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::request_conf(body)?;
        if self.agent(agent).conf.is_some() {
            return Err(Fail::new("101-003", "the agent is already in a conference"));
        }
        let id = self.next_conf_id;
        self.next_conf_id += 1;
        let vdn = self.settings.vdn_of(agent);
        let now = now_ms();
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
                members: vec![Member {
                    address_type: 9,
                    address: agent.to_string(),
                    device_call_type: 0,
                    device_type: 0,
                    channel_attrib: 3,
                    channel_state: 0,
                    role: 1,
                    enter_ms: now,
                    joined: true,
                    hold_voice_path: None,
                }],
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
        self.emit(chair, "AgentOther_PhoneAlerting", Value::Null);
        self.emit(chair, "AgentOther_PhoneOffhook", Value::Null);
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
                c.members.push(Member {
                    address_type: 6,
                    address: p.number.clone(),
                    device_call_type: 0,
                    device_type: 0,
                    channel_attrib: 3,
                    channel_state: 0,
                    role: 0,
                    enter_ms: now,
                    joined: true,
                    hold_voice_path: None,
                });
            }
        }
        self.emit(chair, "AgentConf_RequestSuccess", json!({"confId": conf}));
    }

    pub(super) fn join(&mut self, conf: u64, address_type: u8, address: &str) {
        let now = now_ms();
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let Some(i) = c.member(address_type, address).filter(|&i| !c.members[i].joined) else { return };
        c.members[i].joined = true;
        c.members[i].enter_ms = now;
        let member = c.members[i].clone();
        if let Some(id) = member.agent_id() {
            self.emit(id, "AgentConf_SelfJoinResult", json!({"confId": conf}));
        }
        self.broadcast_change(conf, &member, 0, 255);
    }

    pub fn batch_add(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::batch_add(body)?;
        let conf = self.chaired(agent)?;
        let delay = self.settings.invite_answer_delay_ms;
        for p in req.addresses {
            let already = self.confs[&conf].member(p.address_type, &p.address).is_some();
            if already {
                continue;
            }
            let member = Member {
                address_type: p.address_type,
                address: p.address.clone(),
                device_call_type: p.device_call_type,
                device_type: p.device_type,
                channel_attrib: 3,
                channel_state: 0,
                role: 0,
                enter_ms: 0,
                joined: false,
                hold_voice_path: None,
            };
            if p.address_type == 9 {
                let id: Option<u32> = p.address.parse().ok();
                let reachable = id.filter(|&id| self.signed_in(id) && self.agents[&id].conf.is_none());
                let Some(id) = reachable else {
                    // Not signed in, unknown or busy in another conference: the invitation fails.
                    let failed = json!({
                        "result": 1, "changeReason": 255, "changeType": 0, "confId": conf,
                        "participant": p.address, "participantType": 9,
                        "deviceCallType": p.device_call_type, "deviceType": p.device_type,
                    });
                    self.emit(agent, "AgentConf_ParticipantChanged", failed);
                    continue;
                };
                let autoanswer = self.agents[&id].session.as_ref().is_some_and(|s| s.autoanswer);
                self.agent(id).conf = Some(conf);
                self.confs.get_mut(&conf).expect("chaired conference exists").members.push(member);
                self.emit(id, "AgentConf_Ringing", json!({"confId": conf}));
                if autoanswer {
                    self.deferred.push((delay, Deferred::Join { conf, address_type: 9, address: p.address }));
                }
            } else {
                self.confs.get_mut(&conf).expect("chaired conference exists").members.push(member);
                self.deferred.push((delay, Deferred::Join { conf, address_type: 6, address: p.address }));
            }
        }
        Ok(Reply::ok())
    }

    /// `answeragentconf`: an invited agent whose conference is ringing joins.
    pub fn answer_conf(&mut self, agent: u32) -> Answer {
        let conf = self.ringing_conf(agent)?;
        self.join(conf, 9, &agent.to_string());
        Ok(Reply::ok())
    }

    fn ringing_conf(&self, agent: u32) -> Result<u64, Fail> {
        let id = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        let c = &self.confs[&id];
        match c.member(9, &agent.to_string()) {
            Some(i) if !c.members[i].joined => Ok(id),
            _ => Err(Fail::new("101-003", "the agent has already joined the conference")),
        }
    }

    pub fn reject_conf(&mut self, agent: u32) -> Answer {
        let conf = self.ringing_conf(agent)?;
        self.leave_conf(conf, 9, &agent.to_string(), 0);
        self.emit(agent, "AgentOther_PhoneRelease", Value::Null);
        self.emit(agent, "AgentState_Ready", Value::Null);
        Ok(Reply::ok())
    }

    pub fn leave_request(&mut self, agent: u32) -> Answer {
        let conf = self
            .agents
            .get(&agent)
            .and_then(|a| a.conf)
            .ok_or_else(|| Fail::new("101-001", "the agent has no conference"))?;
        if self.confs[&conf].chair == agent {
            return Err(Fail::new("101-007", "the chairperson cannot leave the conference; release it instead"));
        }
        self.leave_conf(conf, 9, &agent.to_string(), 0);
        Ok(Reply::ok())
    }

    /// A member leaves (changeType 1 with `reason`); an agent gets `SelfLeaveResult`.
    pub(super) fn leave_conf(&mut self, conf: u64, address_type: u8, address: &str, reason: i64) {
        let Some(c) = self.confs.get_mut(&conf) else { return };
        let Some(i) = c.member(address_type, address) else { return };
        let member = c.members.remove(i);
        if member.joined {
            self.broadcast_change(conf, &member, 1, reason);
        }
        if let Some(id) = member.agent_id() {
            self.agent(id).conf = None;
            if member.joined {
                self.emit(id, "AgentConf_SelfLeaveResult", json!({"confId": conf}));
            }
        }
    }

    /// The conference ends: every agent member gets `SelfLeaveResult`.
    pub(super) fn release_conf(&mut self, conf: u64) {
        let Some(c) = self.confs.remove(&conf) else { return };
        for m in &c.members {
            if let Some(id) = m.agent_id() {
                self.agent(id).conf = None;
                if m.joined {
                    self.emit(id, "AgentConf_SelfLeaveResult", json!({"confId": conf}));
                }
            }
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
        self.release_conf(conf);
        Ok(Reply::ok())
    }

    /// Hold (`held`) or unhold a joined participant: channelState 1/0, changeType 5/6.
    fn set_held(&mut self, agent: u32, target: &Address, held: bool, voice_path: Option<String>) -> Answer {
        let conf = self.chaired(agent)?;
        let c = self.confs.get_mut(&conf).expect("chaired conference exists");
        let Some(i) = c.member(target.address_type, &target.address).filter(|&i| c.members[i].joined) else {
            return Err(invalid(format!("{} is not a participant of conference {conf}", target.address)));
        };
        let m = &mut c.members[i];
        m.channel_state = if held { 1 } else { 0 };
        m.hold_voice_path = voice_path;
        let member = m.clone();
        self.broadcast_change(conf, &member, if held { 5 } else { 6 }, 255);
        Ok(Reply::ok())
    }

    pub fn hold_participant(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::hold(body)?;
        self.set_held(agent, &req.target, true, Some(req.voice_path))
    }

    pub fn unhold_participant(&mut self, agent: u32, body: &Value) -> Answer {
        let target = validate::unhold(body)?;
        self.set_held(agent, &target, false, None)
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
                self.leave_conf(conf, a.address_type, &a.address, 1);
            } else {
                missing.push(json!({"addressType": a.address_type.to_string(), "address": a.address}));
            }
        }
        Ok(Reply::with(json!({ "noExistParticipants": missing })))
    }

    /// `queryconfinfos`: an inspector sees every conference of its VDN, any other agent
    /// only the conference it belongs to; ids it may not see are left out of the answer.
    pub fn query_confs(&mut self, agent: u32, body: &Value) -> Answer {
        let ids = validate::query(body)?;
        let inspector = self.settings.is_inspector(agent);
        let vdn = self.settings.vdn_of(agent);
        let own = self.agents.get(&agent).and_then(|a| a.conf);
        let confs: Vec<Value> = ids
            .iter()
            .filter_map(|id| self.confs.get(id))
            .filter(|c| c.granted && (Some(c.id) == own || (inspector && c.vdn == vdn)))
            .map(Conference::to_json)
            .collect();
        Ok(Reply::with(match self.settings.query_shape {
            crate::config::QueryShape::Confs => json!({ "confs": confs }),
            crate::config::QueryShape::Array => json!(confs),
        }))
    }

    /// `AgentConf_Timeout` to the chair at `time - promptTime`, release at `time`.
    pub(super) fn conf_timers(&mut self, now: Instant) {
        let mut warn = Vec::new();
        let mut end = Vec::new();
        for c in self.confs.values_mut().filter(|c| c.granted) {
            let elapsed = now.duration_since(c.started);
            let apply = Duration::from_secs(c.apply_minutes.max(0) as u64 * 60);
            let prompt_at = Duration::from_secs((c.apply_minutes - c.prompt_minutes).max(0) as u64 * 60);
            if elapsed >= apply {
                end.push(c.id);
            } else if elapsed >= prompt_at && !c.timeout_sent {
                c.timeout_sent = true;
                warn.push((c.chair, c.id));
            }
        }
        for (chair, id) in warn {
            self.emit(chair, "AgentConf_Timeout", json!({"confId": id}));
        }
        for id in end {
            self.release_conf(id);
        }
    }

    pub fn confs_json(&self) -> Value {
        let confs: Vec<Value> = self
            .confs
            .values()
            .map(|c| {
                let mut v = c.to_json();
                v["chair"] = json!(c.chair.to_string());
                v["vdn"] = json!(c.vdn);
                v["granted"] = json!(c.granted);
                v["memberNum"] = json!(c.member_num);
                v["promptTime"] = json!(c.prompt_minutes);
                v["members"] = c
                    .members
                    .iter()
                    .map(|m| {
                        let mut j = m.to_json();
                        j["joined"] = json!(m.joined);
                        j["holdVoicePath"] = json!(m.hold_voice_path);
                        j
                    })
                    .collect();
                v
            })
            .collect();
        json!({ "confs": confs })
    }
}
