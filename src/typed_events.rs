//! Typed fields of the call, phone and agent state events (reference §4.5, §5, §6 and the
//! event pages the simulator cites, sim/README.md "Event contents"): what a conference
//! application waits on besides the `AgentConf_*` events. Contents are read with serde
//! derive types that take numbers and strings alike; a content of the wrong JSON type is
//! a malformed event (reported, never dropped).
//!
//! | eventType | kind | fields |
//! |---|---|---|
//! | `AgentEvent_Talking` | `CallTalking` | `callid`, `caller`, `called` |
//! | `AgentEvent_Ringing` | `CallRinging` | `callid`, `caller`, `called` |
//! | `AgentEvent_Hold` | `CallHold` | `callid` (the content is the call id) |
//! | `AgentEvent_Call_Release` | `CallRelease` | `callid` |
//! | `AgentEvent_Connect_Fail` | `ConnectFail` | `callid` |
//! | `AgentEvent_Call_Out_Fail` | `CallOutFail` | `callid` |
//! | `AgentEvent_Customer_Alerting` | `CustomerAlerting` | `callid`, `number` (`otherPhone`) |
//! | `AgentOther_PhoneAlerting` / `_PhoneOffhook` | `PhoneAlerting` / `PhoneOffhook` | — |
//! | `AgentOther_PhoneRelease` | `PhoneRelease` | `phone_state` |
//! | `AgentOther_ShutdownService` | `ShutdownService` | `reason` |
//! | `AgentState_Ready`, `_Busy`, `_SetNotReady_Success`, `_Work` | `AgentState*` | — |
//! | any other `AgentState_*` | `AgentStateOther` | — (its name and JSON) |

use crate::events::{Event, EventKind};
use crate::wire::de;
use serde::Deserialize;
use serde_json::Value;

const NAMES: &[(&str, EventKind)] = &[
    ("AgentEvent_Talking", EventKind::CallTalking),
    ("AgentEvent_Hold", EventKind::CallHold),
    ("AgentEvent_Call_Release", EventKind::CallRelease),
    ("AgentEvent_Connect_Fail", EventKind::ConnectFail),
    ("AgentEvent_Call_Out_Fail", EventKind::CallOutFail),
    ("AgentEvent_Customer_Alerting", EventKind::CustomerAlerting),
    ("AgentEvent_Ringing", EventKind::CallRinging),
    ("AgentOther_PhoneAlerting", EventKind::PhoneAlerting),
    ("AgentOther_PhoneOffhook", EventKind::PhoneOffhook),
    ("AgentOther_PhoneRelease", EventKind::PhoneRelease),
    ("AgentOther_ShutdownService", EventKind::ShutdownService),
    ("AgentState_Ready", EventKind::AgentStateReady),
    ("AgentState_Busy", EventKind::AgentStateBusy),
    ("AgentState_SetNotReady_Success", EventKind::AgentStateNotReady),
    ("AgentState_Work", EventKind::AgentStateWork),
];

/// The kind of an event type this module types, if any.
pub fn kind_of(type_name: &str) -> Option<EventKind> {
    NAMES
        .iter()
        .find(|(n, _)| *n == type_name)
        .map(|(_, k)| *k)
        .or_else(|| type_name.starts_with("AgentState_").then_some(EventKind::AgentStateOther))
}

/// Whether `kind` is one of this module's.
pub fn handles(kind: EventKind) -> bool {
    (EventKind::CallTalking as i32..=EventKind::AgentStateOther as i32).contains(&(kind as i32))
}

/// The fields a call event's object content may carry.
#[derive(Deserialize, Default)]
#[serde(default)]
struct CallContent {
    #[serde(deserialize_with = "de::string")]
    callid: String,
    #[serde(deserialize_with = "de::string")]
    caller: String,
    #[serde(deserialize_with = "de::string")]
    called: String,
    #[serde(rename = "otherPhone", deserialize_with = "de::string")]
    other_phone: String,
}

#[derive(Deserialize)]
#[serde(default)]
struct PhoneContent {
    #[serde(rename = "phoneState", deserialize_with = "de::int")]
    phone_state: i64,
}

impl Default for PhoneContent {
    fn default() -> Self {
        PhoneContent { phone_state: -1 }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShutdownContent {
    #[serde(deserialize_with = "de::string")]
    reason: String,
}

/// An object content as `T`, `null` as `T::default()`; anything else is malformed.
fn object<T: for<'de> Deserialize<'de> + Default>(e: &Event) -> Result<T, String> {
    match &e.content {
        Value::Null => Ok(T::default()),
        Value::Object(_) => {
            T::deserialize(&e.content).map_err(|_| format!("{}: a content field has the wrong type", e.type_name))
        }
        _ => Err(format!("{}: content is not a JSON object", e.type_name)),
    }
}

/// A call event whose content is the call id itself (the event pages' samples), or an
/// object with `callid`.
fn call(e: &Event) -> Result<CallContent, String> {
    match &e.content {
        Value::String(s) => Ok(CallContent { callid: s.clone(), ..Default::default() }),
        Value::Number(n) => Ok(CallContent { callid: n.to_string(), ..Default::default() }),
        _ => object(e),
    }
}

/// Fills the typed fields of an event of one of this module's kinds.
pub fn fill(e: &mut Event) -> Result<(), String> {
    match e.kind {
        EventKind::CallTalking | EventKind::CallRinging => {
            let c = call(e)?;
            (e.callid, e.caller, e.called) = (c.callid, c.caller, c.called);
        }
        EventKind::CallHold | EventKind::CallRelease | EventKind::ConnectFail | EventKind::CallOutFail => {
            e.callid = call(e)?.callid;
        }
        EventKind::CustomerAlerting => {
            let c = call(e)?;
            (e.callid, e.number) = (c.callid, c.other_phone);
        }
        EventKind::PhoneRelease => e.phone_state = object::<PhoneContent>(e)?.phone_state,
        EventKind::ShutdownService => e.reason = object::<ShutdownContent>(e)?.reason,
        // Phone alerting/off-hook and the agent states carry nothing typed; their content is
        // still in `content` as received.
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(t: &str, content: Value) -> Event {
        Event::parse(&json!({"eventType": t, "workNo": "101", "content": content}))
    }

    #[test]
    fn call_events_take_the_sampled_shapes() {
        let e = parse(
            "AgentEvent_Talking",
            json!({"caller": "40038", "callid": "1795000000-7", "called": "70005", "feature": "7", "type": "main"}),
        );
        assert_eq!(
            (e.kind, e.callid.as_str(), e.caller.as_str(), e.called.as_str()),
            (EventKind::CallTalking, "1795000000-7", "40038", "70005")
        );
        for (t, k) in [
            ("AgentEvent_Hold", EventKind::CallHold),
            ("AgentEvent_Call_Release", EventKind::CallRelease),
            ("AgentEvent_Connect_Fail", EventKind::ConnectFail),
            ("AgentEvent_Call_Out_Fail", EventKind::CallOutFail),
        ] {
            let e = parse(t, json!("1795000000-8"));
            assert_eq!((e.kind, e.callid.as_str()), (k, "1795000000-8"), "{t}");
            let e = parse(t, json!({"callid": "1-2"}));
            assert_eq!(e.callid, "1-2", "{t} as an object");
        }
        let e = parse(
            "AgentEvent_Customer_Alerting",
            json!({"callid": "1-3", "otherPhoneWorkno": "", "otherPhone": "70005"}),
        );
        assert_eq!((e.kind, e.callid.as_str(), e.number.as_str()), (EventKind::CustomerAlerting, "1-3", "70005"));
        let e = parse("AgentEvent_Ringing", json!({"caller": "70005", "callid": "1-4", "called": 101}));
        assert_eq!((e.kind, e.caller.as_str(), e.called.as_str()), (EventKind::CallRinging, "70005", "101"));
    }

    #[test]
    fn phone_shutdown_and_agent_states() {
        let e = parse("AgentOther_PhoneRelease", json!({"phoneState": "3"}));
        assert_eq!((e.kind, e.phone_state), (EventKind::PhoneRelease, 3));
        let e = parse("AgentOther_PhoneRelease", Value::Null);
        assert_eq!(e.phone_state, -1);
        let e = parse("AgentOther_ShutdownService", json!({"reason": "forcelogout"}));
        assert_eq!((e.kind, e.reason.as_str()), (EventKind::ShutdownService, "forcelogout"));
        assert_eq!(parse("AgentOther_PhoneOffhook", json!({"type": "main"})).kind, EventKind::PhoneOffhook);
        assert_eq!(parse("AgentState_Ready", Value::Null).kind, EventKind::AgentStateReady);
        assert_eq!(parse("AgentState_SetNotReady_Success", Value::Null).kind, EventKind::AgentStateNotReady);
        let e = parse("AgentState_SetRest_Success", json!({"x": 1}));
        assert_eq!((e.kind, e.content.clone()), (EventKind::AgentStateOther, json!({"x": 1})));
        assert_eq!(parse("AgentMediaEvent_StopRecordDone", Value::Null).kind, EventKind::Other);
    }

    #[test]
    fn wrong_content_types_are_malformed() {
        for (t, c) in [
            ("AgentEvent_Hold", json!([1])),
            ("AgentEvent_Talking", json!({"callid": {"x": 1}})),
            ("AgentOther_PhoneRelease", json!({"phoneState": "on-hook"})),
            ("AgentOther_ShutdownService", json!("logout")),
        ] {
            let e = parse(t, c.clone());
            assert_eq!(e.kind, EventKind::Malformed, "{t} {c}");
            assert_eq!(e.type_name, t);
            assert!(!e.message.contains("on-hook"), "{}", e.message);
        }
    }
}
