//! The `voicecall` family's seed operations: `confjoin` (three-party call) and
//! `thirdPartyConfTransmitNum` (passing numbers in a three-party call with an IVR).

use crate::error::Result;
use crate::limits::{self, Unit};
use crate::session::{CallOptions, Session};
use serde_json::{json, Value};

/// `callappdata` is at most "16 KB".
pub const CALLAPPDATA_MAX_BYTES: usize = 16 * 1024;
/// The page sets no upper bound on `callid`; gateway call ids look like `1455885056-1095`.
/// This library refuses more than this many bytes as certainly wrong.
pub const CALLID_MAX_BYTES: usize = 256;

/// `confjoin` (Table 3): the held call to join with the active one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfJoinRequest {
    pub callid: String,
    pub callappdata: Option<String>,
}

impl ConfJoinRequest {
    pub fn validate(&self) -> Result<()> {
        limits::required("callid", Some(&self.callid), CALLID_MAX_BYTES, Unit::Bytes)?;
        limits::optional("callappdata", self.callappdata.as_deref(), CALLAPPDATA_MAX_BYTES, Unit::Bytes)
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({ "callid": self.callid });
        if let Some(d) = &self.callappdata {
            v["callappdata"] = json!(d);
        }
        v
    }
}

impl Session {
    /// `POST voicecall/{agentid}/confjoin`: the held call `callid` and the active call
    /// become one three-party call.
    pub async fn conf_join(&self, req: &ConfJoinRequest, opts: &CallOptions) -> Result<()> {
        const OP: &str = "confJoin";
        req.validate().map_err(|e| e.in_operation(OP))?;
        let path = format!("voicecall/{}/confjoin", self.agent_id());
        self.post(OP, &path, Some(&req.to_json()), opts).await.map(|_| ())
    }

    /// `POST voicecall/{agentid}/thirdPartyConfTransmitNum` (no body): in a three-party
    /// call of agent, customer and third-party IVR, pass key presses to the IVR.
    pub async fn third_party_conf_transmit_num(&self, opts: &CallOptions) -> Result<()> {
        const OP: &str = "thirdPartyConfTransmitNum";
        let path = format!("voicecall/{}/thirdPartyConfTransmitNum", self.agent_id());
        self.post(OP, &path, None, opts).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::*;

    #[test]
    fn confjoin_limits() {
        let ok = ConfJoinRequest { callid: "1455885056-1095".into(), callappdata: Some("x".repeat(16384)) };
        assert!(ok.validate().is_ok());
        let long = ConfJoinRequest { callappdata: Some("x".repeat(16385)), ..ok.clone() };
        assert_eq!(long.validate().unwrap_err().status, CCGW_E_TOO_LONG);
        let blank = ConfJoinRequest { callid: " \t".into(), callappdata: None };
        assert_eq!(blank.validate().unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
    }
}
