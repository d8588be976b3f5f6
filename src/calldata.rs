//! The `calldata` queries a conference application uses (reference §6): the held-call
//! list (`holdlist`), the current call (`callinfo`) and one call by id
//! (`callinfobycallid/{callid}`, page cec_07_1266). All three answer the call-information
//! object of the `holdlist` page, read here with lenient serde types (numbers as JSON
//! numbers or strings; `caller` and `called` as text, since numbers may carry `*`, `#` or
//! leading zeros).

use crate::error::Result;
use crate::session::{CallOptions, Session};
use crate::wire::{answer_result, de, encode_component};
use reqwest::Method;
use serde::Deserialize;

/// One call as the gateway describes it. Numbers the answer left out are -1, texts empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallInfo {
    /// 7 outbound, 0 inbound, ... (`callfeature`).
    #[serde(rename = "callfeature", default = "de::minus_one", deserialize_with = "de::int32")]
    pub call_feature: i32,
    #[serde(default, deserialize_with = "de::string")]
    pub callid: String,
    #[serde(default, deserialize_with = "de::string")]
    pub caller: String,
    #[serde(default, deserialize_with = "de::string")]
    pub called: String,
    #[serde(rename = "callskill", default, deserialize_with = "de::string")]
    pub call_skill: String,
    #[serde(rename = "callskillid", default = "de::minus_one", deserialize_with = "de::int")]
    pub call_skill_id: i64,
    /// The originally called number (`orgicallednum`).
    #[serde(rename = "orgicallednum", default, deserialize_with = "de::string")]
    pub orig_called: String,
    /// The call's `callappdata`.
    #[serde(rename = "calldata", default, deserialize_with = "de::string")]
    pub call_data: String,
    /// When it was answered, ms since the epoch (0 while ringing).
    #[serde(rename = "begintime", default = "de::minus_one", deserialize_with = "de::int")]
    pub begin_time: i64,
    /// When it ended, ms since the epoch (0 while it lasts).
    #[serde(rename = "endtime", default = "de::minus_one", deserialize_with = "de::int")]
    pub end_time: i64,
    #[serde(default = "de::minus_one", deserialize_with = "de::int32")]
    pub user_priority: i32,
    #[serde(default = "de::minus_one", deserialize_with = "de::int")]
    pub trunk_no: i64,
    /// Seconds since the call started (`logontimes`).
    #[serde(rename = "logontimes", default = "de::minus_one", deserialize_with = "de::int")]
    pub logon_times: i64,
    #[serde(default = "de::minus_one", deserialize_with = "de::int32")]
    pub media_type: i32,
    #[serde(default = "de::minus_one", deserialize_with = "de::int32")]
    pub media_ability: i32,
    /// Seconds it waited in a queue.
    #[serde(default = "de::minus_one", deserialize_with = "de::int")]
    pub wait_time: i64,
}

impl Session {
    fn data_path(&self, op: &str) -> String {
        format!("calldata/{}/{op}", self.agent_id())
    }

    /// `GET calldata/{agentid}/holdlist` (log name `holdList`): the held calls, oldest
    /// first. With nothing held the gateway refuses with `400-003`
    /// (`CCGW_E_GW_NO_HELD_CALLS`).
    pub async fn hold_list(&self, opts: &CallOptions) -> Result<Vec<CallInfo>> {
        const OP: &str = "holdList";
        let answer = self.send::<()>(OP, Method::GET, &self.data_path("holdlist"), None, opts).await?;
        Ok(answer_result::<Option<Vec<CallInfo>>>(OP, &answer)?.unwrap_or_default())
    }

    /// `GET calldata/{agentid}/callinfo[?isNoContainLastCall=]` (log name `queryCallInfo`):
    /// the agent's current call; `None` when there is none (the gateway answers `{}`).
    pub async fn call_info(
        &self,
        is_no_contain_last_call: Option<bool>,
        opts: &CallOptions,
    ) -> Result<Option<CallInfo>> {
        const OP: &str = "queryCallInfo";
        let mut path = self.data_path("callinfo");
        if let Some(flag) = is_no_contain_last_call {
            path = format!("{path}?isNoContainLastCall={flag}");
        }
        let answer = self.send::<()>(OP, Method::GET, &path, None, opts).await?;
        Ok(answer_result::<Option<CallInfo>>(OP, &answer)?.filter(|c| !c.callid.is_empty()))
    }

    /// `GET calldata/{agentid}/callinfobycallid/{callid}` (log name `queryCallInfoByCallId`).
    pub async fn call_info_by_callid(&self, callid: &str, opts: &CallOptions) -> Result<Option<CallInfo>> {
        const OP: &str = "queryCallInfoByCallId";
        crate::limits::required("callid", Some(callid), crate::voicecall::CALLID_MAX_BYTES, crate::limits::Unit::Bytes)
            .map_err(|e| e.in_operation(OP))?;
        let path = format!("{}/{}", self.data_path("callinfobycallid"), encode_component(callid));
        let answer = self.send::<()>(OP, Method::GET, &path, None, opts).await?;
        Ok(answer_result::<Option<CallInfo>>(OP, &answer)?.filter(|c| !c.callid.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn call_information_takes_both_typings() {
        let c: CallInfo = serde_json::from_value(json!({"callfeature": 7, "callid": "1795000000-7", "caller": "40038",
            "called": "0070005", "callskill": "", "callskillid": "0", "orgicallednum": "", "calldata": "order=42",
            "begintime": 1795000000123i64, "endtime": "0", "userPriority": 0, "trunkNo": 0, "logontimes": 3,
            "mediaType": 5, "mediaAbility": 0, "waitTime": 0, "trace": null, "extra": [1]}))
        .unwrap();
        assert_eq!(
            (c.call_feature, c.callid.as_str(), c.called.as_str(), c.call_skill_id),
            (7, "1795000000-7", "0070005", 0)
        );
        assert_eq!((c.call_data.as_str(), c.begin_time, c.end_time, c.media_type), ("order=42", 1795000000123, 0, 5));
        let empty: CallInfo = serde_json::from_value(json!({})).unwrap();
        assert_eq!((empty.callid.as_str(), empty.begin_time, empty.call_feature), ("", -1, -1));
        assert!(serde_json::from_value::<CallInfo>(json!({"begintime": "soon"})).is_err());
    }
}
