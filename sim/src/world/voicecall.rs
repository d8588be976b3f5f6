//! `voicecall` and `calldata`: outbound and inbound calls, hold, three-party calls,
//! release, DTMF, the held-call list and call information, and the party hang-ups the
//! control API injects (reference §6; event contents as the event pages show them, see
//! `sim/README.md`).

use super::{invalid, now_ms, Answer, Deferred, Fail, Reply, World};
use crate::config::Outcome;
use crate::validate;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallState {
    /// Outbound: the called party is being rung (`AgentEvent_Customer_Alerting` sent).
    Dialing,
    /// Inbound: the agent's phone rings until `voicecall/{id}/answer`.
    Alerting,
    Talking,
    Held,
}

impl CallState {
    fn name(self) -> &'static str {
        match self {
            CallState::Dialing => "dialing",
            CallState::Alerting => "alerting",
            CallState::Talking => "talking",
            CallState::Held => "held",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyKind {
    Customer,
    Ivr,
}

#[derive(Debug, Clone)]
pub struct Party {
    pub number: String,
    pub kind: PartyKind,
}

#[derive(Debug, Clone)]
pub struct Call {
    pub id: String,
    pub state: CallState,
    /// `callout` (call feature 7) or a customer calling in (feature 0).
    pub outbound: bool,
    pub caller: String,
    pub called: String,
    pub parties: Vec<Party>,
    pub three_party: bool,
    pub transmit_num: bool,
    pub callappdata: Option<String>,
    pub created_ms: u64,
    /// When the call was answered (`begintime`); 0 while it rings.
    pub answered_ms: u64,
    /// When it ended (`endtime` of the last call); 0 while it lasts.
    pub ended_ms: u64,
    /// Digits sent with `seconddialex`, in order.
    pub dtmf: String,
}

impl Call {
    /// The simulator's view (`/sim/agents/{id}`).
    pub(super) fn to_json(&self) -> Value {
        json!({
            "callid": self.id,
            "state": self.state.name(),
            "outbound": self.outbound,
            "caller": self.caller,
            "called": self.called,
            "parties": self.parties.iter().map(|p| json!({
                "number": p.number,
                "kind": match p.kind { PartyKind::Customer => "customer", PartyKind::Ivr => "ivr" },
            })).collect::<Vec<_>>(),
            "threeParty": self.three_party,
            "transmitNum": self.transmit_num,
            "callappdataBytes": self.callappdata.as_ref().map_or(0, |d| d.len()),
            "dtmf": self.dtmf,
        })
    }

    fn feature(&self) -> i64 {
        if self.outbound {
            7
        } else {
            0
        }
    }

    /// `AgentEvent_Talking` content, as the event page's sample (strings throughout).
    fn talking_content(&self) -> Value {
        json!({
            "caller": self.caller,
            "callid": self.id,
            "called": self.called,
            "feature": self.feature().to_string(),
            "type": "main",
            "mediaAbility": "1",
        })
    }

    /// One call-information object, as `calldata/{id}/holdlist`, `callinfo` and
    /// `callinfobycallid` describe it (numbers as strings: they may carry `*`, `#` or
    /// leading zeros).
    pub(super) fn info_json(&self) -> Value {
        json!({
            "callfeature": self.feature(),
            "callid": self.id,
            "caller": self.caller,
            "called": self.called,
            "callskill": "",
            "callskillid": 0,
            "orgicallednum": "",
            "calldata": self.callappdata.clone().unwrap_or_default(),
            "begintime": self.answered_ms,
            "endtime": self.ended_ms,
            "userPriority": 0,
            "trunkNo": 0,
            "logontimes": now_ms().saturating_sub(self.created_ms) / 1000,
            "mediaType": 5,
            "mediaAbility": 0,
            "waitTime": 0,
            "trace": Value::Null,
        })
    }
}

impl World {
    fn new_callid(&mut self) -> String {
        self.call_counter += 1;
        format!("{}-{}", now_ms() / 1000, self.call_counter)
    }

    fn party_for(&self, number: &str) -> Party {
        let kind = if self.settings.is_ivr(number) { PartyKind::Ivr } else { PartyKind::Customer };
        Party { number: number.to_string(), kind }
    }

    fn new_call(
        &mut self,
        state: CallState,
        outbound: bool,
        caller: &str,
        called: &str,
        callappdata: Option<String>,
    ) -> Call {
        let party = self.party_for(if outbound { called } else { caller });
        let now = now_ms();
        Call {
            id: self.new_callid(),
            state,
            outbound,
            caller: caller.to_string(),
            called: called.to_string(),
            parties: vec![party],
            three_party: false,
            transmit_num: false,
            callappdata,
            created_ms: now,
            answered_ms: if state == CallState::Talking { now } else { 0 },
            ended_ms: 0,
            dtmf: String::new(),
        }
    }

    fn call_index(&mut self, agent: u32, callid: &str) -> Option<usize> {
        self.agent(agent).calls.iter().position(|c| c.id == callid)
    }

    /// Removes a call and keeps it as the agent's last call.
    fn take_call(&mut self, agent: u32, i: usize) -> Call {
        let a = self.agent(agent);
        let mut call = a.calls.remove(i);
        call.ended_ms = now_ms();
        a.last_call = Some(call.clone());
        call
    }

    /// `callout`: the call is dialled (`AgentState_Busy`, `AgentEvent_Customer_Alerting`);
    /// the called number then answers or not as `answer_rules` say (no rule: at once).
    pub fn callout(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::callout(body)?;
        if self.agent(agent).active().is_some() {
            return Err(Fail::new("200-001", "the agent already has an active call; hold it before calling out"));
        }
        let caller = req.caller.clone().unwrap_or_else(|| agent.to_string());
        let call = self.new_call(CallState::Dialing, true, &caller, &req.called, req.callappdata);
        let callid = call.id.clone();
        self.agent(agent).calls.push(call);
        self.emit(agent, "AgentState_Busy", Value::Null);
        self.emit(
            agent,
            "AgentEvent_Customer_Alerting",
            json!({"callid": callid, "otherPhoneWorkno": "", "otherPhone": req.called, "type": "main"}),
        );
        let (outcome, delay) = match self.settings.answer_rule(6, &req.called) {
            Some(r) => (r.outcome, r.delay_ms.unwrap_or(0)),
            None => (Outcome::Join, 0),
        };
        if outcome != Outcome::Never {
            self.later(delay, Deferred::Callout { agent, callid: callid.clone(), outcome });
        }
        Ok(Reply::with(json!(callid)))
    }

    /// The called party of a dialled call answers (`AgentEvent_Talking`) or the call fails:
    /// `AgentOther_PhoneRelease`, `AgentEvent_Call_Out_Fail`, `AgentEvent_Connect_Fail`,
    /// `AgentState_Ready` (the order of the CC-Gateway guide's outbound-call page).
    pub(super) fn callout_outcome(&mut self, agent: u32, callid: &str, outcome: Outcome) {
        let Some(i) =
            self.call_index(agent, callid).filter(|&i| self.agent(agent).calls[i].state == CallState::Dialing)
        else {
            return;
        };
        match outcome {
            Outcome::Never => {}
            Outcome::Join => {
                let call = &mut self.agent(agent).calls[i];
                call.state = CallState::Talking;
                call.answered_ms = now_ms();
                let content = call.talking_content();
                self.emit(agent, "AgentEvent_Talking", content);
            }
            Outcome::Reject | Outcome::Busy | Outcome::NoAnswer => {
                self.take_call(agent, i);
                self.emit(agent, "AgentOther_PhoneRelease", json!({"phoneState": 3}));
                self.emit(agent, "AgentEvent_Call_Out_Fail", json!(callid));
                self.emit(agent, "AgentEvent_Connect_Fail", json!(callid));
                self.rest_if_free(agent);
            }
        }
    }

    /// Control API: the called party of a dialled call answers (`answer`) or not.
    pub fn remote_answer(&mut self, agent: u32, callid: &str, answer: bool) -> Result<(), String> {
        let dialing = self
            .agents
            .get(&agent)
            .is_some_and(|a| a.calls.iter().any(|c| c.id == callid && c.state == CallState::Dialing));
        if !dialing {
            return Err(format!("agent {agent} has no call {callid} being dialled"));
        }
        self.callout_outcome(agent, callid, if answer { Outcome::Join } else { Outcome::Busy });
        Ok(())
    }

    /// Control API: a customer calls the agent. Auto-answered when the agent signed in
    /// with `autoanswer` (the default); otherwise it rings until `voicecall/{id}/answer`.
    pub fn inbound(&mut self, agent: u32, caller: &str, callappdata: Option<String>) -> Result<String, String> {
        let Some(autoanswer) = self.agents.get(&agent).and_then(|a| a.session.as_ref()).map(|s| s.autoanswer) else {
            return Err(format!("agent {agent} is not signed in"));
        };
        if self.agent(agent).active().is_some() {
            return Err(format!("agent {agent} already has an active call"));
        }
        let state = if autoanswer { CallState::Talking } else { CallState::Alerting };
        let call = self.new_call(state, false, caller, &agent.to_string(), callappdata);
        let callid = call.id.clone();
        let talking = call.talking_content();
        self.agent(agent).calls.push(call);
        self.emit(agent, "AgentOther_PhoneAlerting", json!({"type": "main"}));
        self.emit(
            agent,
            "AgentEvent_Ringing",
            json!({"caller": caller, "transfer": "no", "callid": callid, "transfrom": "",
                   "called": agent.to_string(), "type": "main", "mediaAbility": "1", "feature": "0"}),
        );
        if autoanswer {
            self.emit(agent, "AgentState_Busy", Value::Null);
            self.emit(agent, "AgentEvent_Talking", talking);
        }
        Ok(callid)
    }

    pub fn answer(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        let Some(i) = a.calls.iter().position(|c| c.state == CallState::Alerting) else {
            return Err(Fail::new("200-002", "there is no call to answer"));
        };
        a.calls[i].state = CallState::Talking;
        a.calls[i].answered_ms = now_ms();
        let content = a.calls[i].talking_content();
        self.emit(agent, "AgentState_Busy", Value::Null);
        self.emit(agent, "AgentEvent_Talking", content);
        Ok(Reply::ok())
    }

    /// `hold`: `AgentEvent_Hold` with the call id as its content (event page sample).
    pub fn hold(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        if a.calls.is_empty() {
            return Err(Fail::new("200-013", "there is no call to hold"));
        }
        let Some(i) = a.talking() else {
            return Err(Fail::new("200-014", "the call is not in a state that can be held"));
        };
        a.calls[i].state = CallState::Held;
        let callid = a.calls[i].id.clone();
        self.emit(agent, "AgentEvent_Hold", json!(callid));
        Ok(Reply::ok())
    }

    pub fn gethold(&mut self, agent: u32, callid: Option<&str>) -> Answer {
        let a = self.agent(agent);
        let held = a.calls.iter().position(|c| c.state == CallState::Held && callid.is_none_or(|id| c.id == id));
        let Some(i) = held else {
            return Err(Fail::new("200-015", "there is no held call to take back"));
        };
        if a.active().is_some() {
            return Err(Fail::new("200-016", "another call is active; hold or release it first"));
        }
        a.calls[i].state = CallState::Talking;
        let content = a.calls[i].talking_content();
        self.emit(agent, "AgentEvent_Talking", content);
        Ok(Reply::ok())
    }

    /// `connecthold/{callid}`: the active call's parties and the held call's parties are
    /// connected to each other and the agent drops out of both: per call
    /// `AgentEvent_Call_Release` and `AgentEvent_Customer_Release`, then
    /// `AgentOther_PhoneRelease`, `AgentMediaEvent_StopRecordDone`. Refusals use the codes
    /// its page lists: `200-013` without any call, `200-014` without an active call or a held
    /// call of that id.
    pub fn connect_hold(&mut self, agent: u32, callid: &str) -> Answer {
        let a = self.agent(agent);
        if a.calls.is_empty() {
            return Err(Fail::new("200-013", "there is no call to connect"));
        }
        let Some(active) = a.talking() else {
            return Err(Fail::new("200-014", "there is no active call to connect with the held call"));
        };
        if !a.calls.iter().any(|c| c.state == CallState::Held && c.id == callid) {
            return Err(Fail::new("200-014", format!("no held call has id {callid}")));
        }
        let first = self.take_call(agent, active);
        let held = self.call_index(agent, callid).expect("held call checked above");
        let second = self.take_call(agent, held);
        for call in [&first, &second] {
            self.emit(agent, "AgentEvent_Call_Release", json!(call.id));
            for p in &call.parties {
                self.emit(agent, "AgentEvent_Customer_Release", json!({"callid": call.id, "number": p.number}));
            }
        }
        self.emit(agent, "AgentOther_PhoneRelease", json!({"phoneState": 2}));
        self.emit(agent, "AgentMediaEvent_StopRecordDone", json!({"callid": first.id}));
        self.rest_if_free(agent);
        Ok(Reply::ok())
    }

    /// `confjoin`: the held call `callid` and the active call become one three-party call.
    pub fn conf_join(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::conf_join(body)?;
        let sep = self.settings.partner_separator.clone();
        let a = self.agent(agent);
        let Some(active) = a.talking() else {
            return Err(Fail::new("200-010", "three-party call requested but the agent has no active call"));
        };
        let Some(held) = a.calls.iter().position(|c| c.state == CallState::Held && c.id == req.callid) else {
            return Err(Fail::new(
                "200-011",
                format!("three-party call requested but no held call has id {}", req.callid),
            ));
        };
        let talking = a.calls[active].clone();
        let merged = &mut a.calls[held];
        merged.parties.extend(talking.parties);
        merged.state = CallState::Talking;
        merged.three_party = true;
        if req.callappdata.is_some() {
            merged.callappdata = req.callappdata;
        }
        let partner = merged.parties.iter().map(|p| p.number.as_str()).collect::<Vec<_>>().join(&sep);
        let callid = merged.id.clone();
        a.calls.retain(|c| c.id != talking.id);
        self.emit(agent, "AgentEvent_Conference", json!({"callid": callid, "partner": partner}));
        Ok(Reply::ok())
    }

    /// `thirdPartyConfTransmitNum`: only in a three-party call of agent, customer and a
    /// third-party IVR. The page lists one error code, `10001`, used for every refusal.
    pub fn transmit_num(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        let Some(i) = a.talking() else {
            return Err(Fail::new("10001", "the agent has no active call"));
        };
        let call = &mut a.calls[i];
        let has = |k| call.parties.iter().any(|p| p.kind == k);
        if !call.three_party || !has(PartyKind::Customer) || !has(PartyKind::Ivr) {
            return Err(Fail::new(
                "10001",
                "the active call is not a three-party call of the agent, a customer and a third-party IVR",
            ));
        }
        call.transmit_num = true;
        Ok(Reply::ok())
    }

    /// `seconddialex?number=`: DTMF on the talking call. Its page lists `000-002`,
    /// `100-006` and `100-007`; without a talking call the simulator answers `100-007`.
    pub fn second_dial(&mut self, agent: u32, number: Option<&str>) -> Answer {
        let digits = validate::dial_string("number", number)?;
        let a = self.agent(agent);
        let Some(i) = a.talking() else {
            return Err(Fail::new("100-007", "the agent has no call in progress to dial into"));
        };
        a.calls[i].dtmf.push_str(&digits);
        Ok(Reply::ok())
    }

    /// The agent releases call `i`: `AgentEvent_Call_Release` (the call id as content),
    /// `AgentEvent_Customer_Release` per remaining party, `AgentOther_PhoneRelease`, then
    /// the resting state when no call is left (reference §6 release, in its order).
    fn release_call_at(&mut self, agent: u32, i: usize) {
        let call = self.take_call(agent, i);
        self.emit(agent, "AgentEvent_Call_Release", json!(call.id));
        for p in &call.parties {
            self.emit(agent, "AgentEvent_Customer_Release", json!({"callid": call.id, "number": p.number}));
        }
        self.phone_released(agent, true);
    }

    /// `release`: the call that is not on hold (talking, ringing in or being dialled).
    pub fn release(&mut self, agent: u32) -> Answer {
        let Some(i) = self.agent(agent).active() else {
            return Err(Fail::new("200-017", "there is no call to release"));
        };
        self.release_call_at(agent, i);
        Ok(Reply::ok())
    }

    /// `dropcall/{callid}`: any of the agent's calls, held or not. `200-025` (listed on its
    /// page without a meaning) answers a call id the agent does not have.
    pub fn drop_call(&mut self, agent: u32, callid: &str) -> Answer {
        let Some(i) = self.call_index(agent, callid) else {
            return Err(Fail::new("200-025", format!("the agent has no call with id {callid}")));
        };
        self.release_call_at(agent, i);
        Ok(Reply::ok())
    }

    /// `disconnect/{number}`: one party of the agent's last call leaves.
    pub fn disconnect(&mut self, agent: u32, number: &str) -> Answer {
        let number = validate::party_number(number)?;
        self.party_leaves(agent, None, Some(&number), true).map(|_| Reply::ok())
    }

    /// A party leaves a call: `disconnect/{number}` by the agent, or a hang-up injected
    /// through the control API. The last party leaving releases the call; a party hanging
    /// up on a call being dialled makes the call fail.
    pub fn party_leaves(
        &mut self,
        agent: u32,
        callid: Option<&str>,
        number: Option<&str>,
        by_agent: bool,
    ) -> Result<(String, String), Fail> {
        let a = self.agent(agent);
        let ci = match callid {
            Some(id) => a.calls.iter().position(|c| c.id == id),
            None => a.active().or(if a.calls.is_empty() { None } else { Some(a.calls.len() - 1) }),
        }
        .ok_or_else(|| Fail::new("200-017", "there is no such call"))?;
        let call = &mut a.calls[ci];
        let pi = match number {
            Some(n) => call.parties.iter().position(|p| p.number == n),
            None => call.parties.iter().position(|p| p.kind == PartyKind::Customer).or(Some(0)),
        }
        .filter(|&i| i < call.parties.len())
        .ok_or_else(|| invalid("that number is not a party of the agent's last call"))?;
        let callid = call.id.clone();
        let number = call.parties[pi].number.clone();
        if call.state == CallState::Dialing && call.parties.len() == 1 {
            self.callout_outcome(agent, &callid, Outcome::Reject);
            return Ok((callid, number));
        }
        call.parties.remove(pi);
        if call.parties.len() < 2 {
            call.three_party = false;
            call.transmit_num = false;
        }
        let empty = call.parties.is_empty();
        self.emit(agent, "AgentEvent_Customer_Release", json!({"callid": callid, "number": number}));
        if empty {
            self.take_call(agent, ci);
            self.emit(agent, "AgentEvent_Call_Release", json!(callid));
            self.phone_released(agent, by_agent);
        }
        Ok((callid, number))
    }

    /// `calldata/{id}/holdlist`: the held calls; `400-003` when there is none.
    pub fn hold_list(&mut self, agent: u32) -> Answer {
        let held: Vec<Value> =
            self.agent(agent).calls.iter().filter(|c| c.state == CallState::Held).map(Call::info_json).collect();
        if held.is_empty() {
            return Err(Fail::new("400-003", "the agent holds no call"));
        }
        Ok(Reply::with(json!(held)))
    }

    /// `calldata/{id}/callinfo?isNoContainLastCall=`: the agent's current call (the one not
    /// on hold, else the last held one); with no call, the last call that ended when the
    /// flag is true, otherwise an empty object.
    pub fn call_info(&mut self, agent: u32, with_last: Option<&str>) -> Answer {
        let with_last = validate::query_bool("isNoContainLastCall", with_last)?;
        let a = self.agent(agent);
        let current = a.active().or(a.calls.iter().rposition(|c| c.state == CallState::Held));
        let info = match current {
            Some(i) => a.calls[i].info_json(),
            None if with_last => a.last_call.as_ref().map_or_else(|| json!({}), Call::info_json),
            None => json!({}),
        };
        Ok(Reply::with(info))
    }

    /// `calldata/{id}/callinfobycallid/{callid}`: one of the agent's calls (or its last
    /// call); `000-002` for an id it does not have (the URL parameter is wrong).
    pub fn call_info_by_id(&mut self, agent: u32, callid: &str) -> Answer {
        let a = self.agent(agent);
        let call = a.calls.iter().find(|c| c.id == callid).or(a.last_call.as_ref().filter(|c| c.id == callid));
        match call {
            Some(c) => Ok(Reply::with(c.info_json())),
            None => Err(invalid(format!("the agent has no call with id {callid}"))),
        }
    }
}
