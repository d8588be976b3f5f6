//! `voicecall`: outbound and inbound calls, hold, three-party calls, release, and the
//! party hang-ups the control API injects (reference §6).

use super::{invalid, now_ms, Answer, Fail, Reply, World};
use crate::validate;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallState {
    Alerting,
    Talking,
    Held,
}

impl CallState {
    fn name(self) -> &'static str {
        match self {
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
    pub parties: Vec<Party>,
    pub three_party: bool,
    pub transmit_num: bool,
    pub callappdata: Option<String>,
}

impl Call {
    pub(super) fn to_json(&self) -> Value {
        json!({
            "callid": self.id,
            "state": self.state.name(),
            "parties": self.parties.iter().map(|p| json!({
                "number": p.number,
                "kind": match p.kind { PartyKind::Customer => "customer", PartyKind::Ivr => "ivr" },
            })).collect::<Vec<_>>(),
            "threeParty": self.three_party,
            "transmitNum": self.transmit_num,
            "callappdataBytes": self.callappdata.as_ref().map_or(0, |d| d.len()),
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

    pub fn callout(&mut self, agent: u32, body: &Value) -> Answer {
        let req = validate::callout(body)?;
        if self.agent(agent).calls.iter().any(|c| c.state != CallState::Held) {
            return Err(Fail::new("200-001", "the agent already has an active call; hold it before calling out"));
        }
        let callid = self.new_callid();
        let party = self.party_for(&req.called);
        let caller = req.caller.clone().unwrap_or_else(|| agent.to_string());
        self.agent(agent).calls.push(Call {
            id: callid.clone(),
            state: CallState::Talking,
            parties: vec![party],
            three_party: false,
            transmit_num: false,
            callappdata: req.callappdata,
        });
        self.emit(agent, "AgentState_Busy", Value::Null);
        self.emit(
            agent,
            "AgentEvent_Customer_Alerting",
            json!({"callid": callid, "caller": caller, "called": req.called}),
        );
        self.emit(agent, "AgentEvent_Talking", json!({"callid": callid, "caller": caller, "called": req.called}));
        Ok(Reply::with(json!(callid)))
    }

    /// Control API: a customer calls the agent. Auto-answered when the agent signed in
    /// with `autoanswer` (the default); otherwise it rings until `voicecall/{id}/answer`.
    pub fn inbound(&mut self, agent: u32, caller: &str, callappdata: Option<String>) -> Result<String, String> {
        let Some(autoanswer) = self.agents.get(&agent).and_then(|a| a.session.as_ref()).map(|s| s.autoanswer) else {
            return Err(format!("agent {agent} is not signed in"));
        };
        if self.agent(agent).calls.iter().any(|c| c.state != CallState::Held) {
            return Err(format!("agent {agent} already has an active call"));
        }
        let callid = self.new_callid();
        let party = self.party_for(caller);
        let state = if autoanswer { CallState::Talking } else { CallState::Alerting };
        self.agent(agent).calls.push(Call {
            id: callid.clone(),
            state,
            parties: vec![party],
            three_party: false,
            transmit_num: false,
            callappdata,
        });
        self.emit(agent, "AgentOther_PhoneAlerting", json!({"callid": callid}));
        self.emit(
            agent,
            "AgentEvent_Ringing",
            json!({"callid": callid, "caller": caller, "called": agent.to_string()}),
        );
        if autoanswer {
            self.emit(agent, "AgentState_Busy", Value::Null);
            self.emit(agent, "AgentEvent_Talking", json!({"callid": callid, "caller": caller}));
        }
        Ok(callid)
    }

    pub fn answer(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        let Some(i) = a.calls.iter().position(|c| c.state == CallState::Alerting) else {
            return Err(Fail::new("200-002", "there is no call to answer"));
        };
        a.calls[i].state = CallState::Talking;
        let callid = a.calls[i].id.clone();
        self.emit(agent, "AgentState_Busy", Value::Null);
        self.emit(agent, "AgentEvent_Talking", json!({"callid": callid}));
        Ok(Reply::ok())
    }

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
        self.emit(agent, "AgentEvent_Hold", json!({"callid": callid}));
        Ok(Reply::ok())
    }

    pub fn gethold(&mut self, agent: u32, callid: Option<&str>) -> Answer {
        let a = self.agent(agent);
        let held = a.calls.iter().position(|c| c.state == CallState::Held && callid.is_none_or(|id| c.id == id));
        let Some(i) = held else {
            return Err(Fail::new("200-015", "there is no held call to take back"));
        };
        if a.talking().is_some() {
            return Err(Fail::new("200-016", "another call is active; hold or release it first"));
        }
        a.calls[i].state = CallState::Talking;
        let callid = a.calls[i].id.clone();
        self.emit(agent, "AgentEvent_Talking", json!({"callid": callid}));
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

    fn release_call_at(&mut self, agent: u32, i: usize) {
        let call = self.agent(agent).calls.remove(i);
        for p in &call.parties {
            self.emit(agent, "AgentEvent_Customer_Release", json!({"callid": call.id, "number": p.number}));
        }
        self.emit(agent, "AgentEvent_Call_Release", json!({"callid": call.id}));
        self.emit(agent, "AgentOther_PhoneRelease", Value::Null);
        if self.agent(agent).calls.is_empty() {
            self.emit(agent, "AgentState_Ready", Value::Null);
        }
    }

    pub fn release(&mut self, agent: u32) -> Answer {
        let a = self.agent(agent);
        let Some(i) = a.talking().or_else(|| a.calls.iter().position(|c| c.state == CallState::Alerting)) else {
            return Err(Fail::new("200-017", "there is no call to release"));
        };
        self.release_call_at(agent, i);
        Ok(Reply::ok())
    }

    pub fn drop_call(&mut self, agent: u32, callid: &str) -> Answer {
        let Some(i) = self.agent(agent).calls.iter().position(|c| c.id == callid) else {
            return Err(Fail::new("200-025", format!("there is no call with id {callid}")));
        };
        self.release_call_at(agent, i);
        Ok(Reply::ok())
    }

    /// A party leaves a call: `disconnect/{number}` by the agent, or a hang-up injected
    /// through the control API. The last party leaving releases the call.
    pub fn party_leaves(
        &mut self,
        agent: u32,
        callid: Option<&str>,
        number: Option<&str>,
    ) -> Result<(String, String), Fail> {
        let a = self.agent(agent);
        let ci = match callid {
            Some(id) => a.calls.iter().position(|c| c.id == id),
            None => a.talking().or(if a.calls.is_empty() { None } else { Some(0) }),
        }
        .ok_or_else(|| Fail::new("200-017", "there is no such call"))?;
        let call = &mut a.calls[ci];
        let pi = match number {
            Some(n) => call.parties.iter().position(|p| p.number == n),
            None => call.parties.iter().position(|p| p.kind == PartyKind::Customer).or(Some(0)),
        }
        .filter(|&i| i < call.parties.len())
        .ok_or_else(|| invalid("that number is not a party of the call"))?;
        let party = call.parties.remove(pi);
        if call.parties.len() < 2 {
            call.three_party = false;
            call.transmit_num = false;
        }
        let callid = call.id.clone();
        let empty = call.parties.is_empty();
        self.emit(agent, "AgentEvent_Customer_Release", json!({"callid": callid, "number": party.number}));
        if empty {
            self.agent(agent).calls.remove(ci);
            self.emit(agent, "AgentEvent_Call_Release", json!({"callid": callid}));
            self.emit(agent, "AgentOther_PhoneRelease", Value::Null);
            if self.agent(agent).calls.is_empty() {
                self.emit(agent, "AgentState_Ready", Value::Null);
            }
        }
        Ok((callid, party.number))
    }
}
