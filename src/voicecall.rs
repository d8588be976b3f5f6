//! The `voicecall` family (reference §6): the seed operations `confjoin` (three-party
//! call) and `thirdPartyConfTransmitNum` (passing numbers in a three-party call with an
//! IVR), and the calls a conference is built from: `callout`, `hold`, `gethold`,
//! `connecthold`, `release`, `dropcall`, `disconnect/{number}` and `seconddialex` (DTMF).
//! Every limit is checked before anything is sent; call ids and numbers in a URL are
//! percent-encoded.

use crate::error::{Error, Result};
use crate::limits::{self, Unit};
use crate::session::{CallOptions, Session};
use crate::status::*;
use crate::wire::{answer_result, encode_component};
use reqwest::Method;
use serde::{Deserialize, Serialize};

/// `callappdata` is at most "16 KB".
pub const CALLAPPDATA_MAX_BYTES: usize = 16 * 1024;
/// The page sets no upper bound on `callid`; gateway call ids look like `1455885056-1095`.
/// This library refuses more than this many bytes as certainly wrong.
pub const CALLID_MAX_BYTES: usize = 256;

/// `confjoin` (Table 3): the held call to join with the active one; serialized as the
/// request's JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConfJoinRequest {
    pub callid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callappdata: Option<String>,
}

impl ConfJoinRequest {
    pub fn validate(&self) -> Result<()> {
        limits::required("callid", Some(&self.callid), CALLID_MAX_BYTES, Unit::Bytes)?;
        limits::optional("callappdata", self.callappdata.as_deref(), CALLAPPDATA_MAX_BYTES, Unit::Bytes)
    }
}

impl Session {
    /// `POST voicecall/{agentid}/confjoin`: the held call `callid` and the active call
    /// become one three-party call.
    pub async fn conf_join(&self, req: &ConfJoinRequest, opts: &CallOptions) -> Result<()> {
        const OP: &str = "confJoin";
        req.validate().map_err(|e| e.in_operation(OP))?;
        let path = format!("voicecall/{}/confjoin", self.agent_id());
        self.post(OP, &path, Some(req), opts).await.map(|_| ())
    }

    /// `POST voicecall/{agentid}/thirdPartyConfTransmitNum` (no body): in a three-party
    /// call of agent, customer and third-party IVR, pass key presses to the IVR.
    pub async fn third_party_conf_transmit_num(&self, opts: &CallOptions) -> Result<()> {
        const OP: &str = "thirdPartyConfTransmitNum";
        let path = format!("voicecall/{}/thirdPartyConfTransmitNum", self.agent_id());
        self.post::<()>(OP, &path, None, opts).await.map(|_| ())
    }
}

// ---------------------------------------------------------------------------------------
// The calls a conference is built from (reference §6), with serde wire types.

/// `callout` (reference §6, [callout]): a common outbound call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalloutRequest {
    /// Calling number shown, 0-24 digits (absent or empty: the platform's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    /// The number to call, 1-24 of the digits, `*` and `#` (mandatory).
    pub called: String,
    /// Skill queue of the call (a non-negative 32-bit id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skillid: Option<i64>,
    /// Call data, at most 16 KB (16384 bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callappdata: Option<String>,
    /// 0 audio (the default), 1 video, 2 the most the device can.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediaability: Option<i64>,
    /// Video direction 1-4.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_video_direction: Option<i64>,
}

/// Longest dialled string (`called`, `seconddialex`) and party number.
pub const NUMBER_MAX: usize = 24;

impl CalloutRequest {
    pub fn validate(&self) -> Result<()> {
        limits::dial_string("called", &self.called, NUMBER_MAX)?;
        if let Some(c) = &self.caller {
            limits::max_len("caller", c, NUMBER_MAX, Unit::Chars)?;
            limits::charset("caller", c, |c| c.is_ascii_digit(), "the digits 0-9")?;
        }
        if let Some(s) = self.skillid {
            limits::range("skillid", s, 0, i32::MAX.into())?;
        }
        limits::optional("callappdata", self.callappdata.as_deref(), CALLAPPDATA_MAX_BYTES, Unit::Bytes)?;
        if let Some(m) = self.mediaability {
            limits::range("mediaability", m, 0, 2)?;
        }
        if let Some(d) = self.user_video_direction {
            limits::range("userVideoDirection", d, 1, 4)?;
        }
        Ok(())
    }
}

fn check_callid(callid: &str) -> Result<()> {
    limits::required("callid", Some(callid), CALLID_MAX_BYTES, Unit::Bytes)
}

impl Session {
    fn call_path(&self, op: &str) -> String {
        format!("voicecall/{}/{op}", self.agent_id())
    }

    /// `PUT voicecall/{agentid}/callout` (log name `callout`): returns the new call's id
    /// (`result`). `AgentEvent_Talking` follows when the number answers,
    /// `AgentEvent_Call_Out_Fail` / `AgentEvent_Connect_Fail` when it does not.
    pub async fn callout(&self, req: &CalloutRequest, opts: &CallOptions) -> Result<String> {
        const OP: &str = "callout";
        req.validate().map_err(|e| e.in_operation(OP))?;
        let answer = self.send(OP, Method::PUT, &self.call_path("callout"), Some(req), opts).await?;
        let callid = answer_result::<Option<CallId>>(OP, &answer)?.map(|c| c.0).unwrap_or_default();
        if callid.trim().is_empty() {
            return Err(Error::new(CCGW_E_MALFORMED_RESPONSE, "callout: the answer carries no call id")
                .with_http_status(answer.env.http_status));
        }
        Ok(callid)
    }

    /// `POST voicecall/{agentid}/hold` (log name `hold`): holds the talking call
    /// (`AgentEvent_Hold`).
    pub async fn hold_call(&self, opts: &CallOptions) -> Result<()> {
        self.send_empty("hold", Method::POST, &self.call_path("hold"), opts).await
    }

    /// `POST voicecall/{agentid}/gethold?callid=` (log name `getHold`): takes a held call
    /// back (`AgentEvent_Talking`); `None` takes the gateway's choice.
    pub async fn get_hold(&self, callid: Option<&str>, opts: &CallOptions) -> Result<()> {
        const OP: &str = "getHold";
        let mut path = self.call_path("gethold");
        if let Some(c) = callid {
            check_callid(c).map_err(|e| e.in_operation(OP))?;
            path = format!("{path}?callid={}", encode_component(c));
        }
        self.send_empty(OP, Method::POST, &path, opts).await
    }

    /// `POST voicecall/{agentid}/connecthold/{callid}` (log name `connectHold`): connects
    /// the talking party with the held call `callid`; the agent drops out of both.
    pub async fn connect_hold(&self, callid: &str, opts: &CallOptions) -> Result<()> {
        const OP: &str = "connectHold";
        check_callid(callid).map_err(|e| e.in_operation(OP))?;
        let path = format!("{}/{}", self.call_path("connecthold"), encode_component(callid));
        self.send_empty(OP, Method::POST, &path, opts).await
    }

    /// `DELETE voicecall/{agentid}/release` (log name `release`): releases the call that is
    /// not on hold.
    pub async fn release_call(&self, opts: &CallOptions) -> Result<()> {
        self.send_empty("release", Method::DELETE, &self.call_path("release"), opts).await
    }

    /// `POST voicecall/{agentid}/dropcall/{callid}` (log name `dropCall`): releases the
    /// call `callid`, held or not.
    pub async fn drop_call(&self, callid: &str, opts: &CallOptions) -> Result<()> {
        const OP: &str = "dropCall";
        check_callid(callid).map_err(|e| e.in_operation(OP))?;
        let path = format!("{}/{}", self.call_path("dropcall"), encode_component(callid));
        self.send_empty(OP, Method::POST, &path, opts).await
    }

    /// `POST voicecall/{agentid}/disconnect/{number}` (log name `disconnect`): the party
    /// `number` (1-24 digits: a phone number or an agent id) of the last call leaves it.
    pub async fn disconnect(&self, number: &str, opts: &CallOptions) -> Result<()> {
        const OP: &str = "disconnect";
        limits::digits("number", number, NUMBER_MAX).map_err(|e| e.in_operation(OP))?;
        let path = format!("{}/{}", self.call_path("disconnect"), encode_component(number));
        self.send_empty(OP, Method::POST, &path, opts).await
    }

    /// `POST voicecall/{agentid}/seconddialex?number=` (log name `secondDialEx`): sends DTMF
    /// digits on the talking call, 1-24 of `0-9`, `*` and `#`.
    pub async fn second_dial(&self, digits: &str, opts: &CallOptions) -> Result<()> {
        const OP: &str = "secondDialEx";
        limits::dial_string("number", digits, NUMBER_MAX).map_err(|e| e.in_operation(OP))?;
        let path = format!("{}?number={}", self.call_path("seconddialex"), encode_component(digits));
        self.send_empty(OP, Method::POST, &path, opts).await
    }
}

/// `result` of `callout`: the call id, as a string (or a number written as one).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct CallId(#[serde(deserialize_with = "crate::wire::de::string")] pub String);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn confjoin_limits() {
        let ok = ConfJoinRequest { callid: "1455885056-1095".into(), callappdata: Some("x".repeat(16384)) };
        assert!(ok.validate().is_ok());
        let long = ConfJoinRequest { callappdata: Some("x".repeat(16385)), ..ok.clone() };
        assert_eq!(long.validate().unwrap_err().status, CCGW_E_TOO_LONG);
        let blank = ConfJoinRequest { callid: " \t".into(), callappdata: None };
        assert_eq!(blank.validate().unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
        // The body as the table names it; callappdata only when given.
        let join = ConfJoinRequest { callid: "1455885056-1095".into(), callappdata: None };
        assert_eq!(serde_json::to_value(&join).unwrap(), json!({"callid": "1455885056-1095"}));
        let join = ConfJoinRequest { callappdata: Some("x".into()), ..join };
        assert_eq!(serde_json::to_value(&join).unwrap(), json!({"callid": "1455885056-1095", "callappdata": "x"}));
    }

    #[test]
    fn callout_limits_and_body() {
        let mut r = CalloutRequest { called: "0123456789*#".into(), ..Default::default() };
        assert!(r.validate().is_ok());
        assert_eq!(serde_json::to_value(&r).unwrap(), json!({"called": "0123456789*#"}));
        r.caller = Some(String::new());
        r.user_video_direction = Some(4);
        assert!(r.validate().is_ok());
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"caller": "", "called": "0123456789*#", "userVideoDirection": 4})
        );
        for (bad, status) in [
            (CalloutRequest { called: "1".repeat(25), ..Default::default() }, CCGW_E_TOO_LONG),
            (CalloutRequest { called: "12-3".into(), ..Default::default() }, CCGW_E_INVALID_ARGUMENT),
            (
                CalloutRequest { called: "1".into(), caller: Some("1*".into()), ..Default::default() },
                CCGW_E_INVALID_ARGUMENT,
            ),
            (CalloutRequest { called: "1".into(), skillid: Some(-1), ..Default::default() }, CCGW_E_OUT_OF_RANGE),
            (CalloutRequest { called: "1".into(), mediaability: Some(3), ..Default::default() }, CCGW_E_OUT_OF_RANGE),
            (
                CalloutRequest { called: "1".into(), user_video_direction: Some(0), ..Default::default() },
                CCGW_E_OUT_OF_RANGE,
            ),
            (
                CalloutRequest { called: "1".into(), callappdata: Some("x".repeat(16385)), ..Default::default() },
                CCGW_E_TOO_LONG,
            ),
        ] {
            assert_eq!(bad.validate().unwrap_err().status, status, "{bad:?}");
        }
    }
}
