//! `onlineagent` queries beyond the session itself (reference §3.5): the agent's CTI
//! status (`agentstatus`). Sign-in and sign-out stay in `crate::session`.

use crate::error::Result;
use crate::session::{CallOptions, Session};
use crate::wire::{answer_result, de};
use reqwest::Method;
use serde::Deserialize;

/// `agentstatus`'s answer (page cec_07_1222; one object although the table types
/// `result` as an array).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentStatus {
    /// The CTI status code (reference §3.5): 0 not signed in, 1 idle, 2 pre-occupied,
    /// 3 occupied, 4 answering, 5 talking, 6 working, 7 busy, 8 rest, 9 study, 10
    /// adjusting; -1 when the answer left it out.
    #[serde(default = "de::minus_one", deserialize_with = "de::int32")]
    pub agent_state: i32,
    /// Whether the agent is in a call; None when the answer left it out.
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub is_working: Option<bool>,
}

impl Session {
    /// `GET onlineagent/{agentid}/agentstatus` (log name `queryAgentStatus`).
    pub async fn agent_status(&self, opts: &CallOptions) -> Result<AgentStatus> {
        const OP: &str = "queryAgentStatus";
        let path = format!("onlineagent/{}/agentstatus", self.agent_id());
        let answer = self.send::<()>(OP, Method::GET, &path, None, opts).await?;
        Ok(answer_result::<Option<AgentStatus>>(OP, &answer)?
            .unwrap_or(AgentStatus { agent_state: -1, is_working: None }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_takes_both_typings() {
        let s: AgentStatus = serde_json::from_value(json!({"agentState": "5", "isWorking": "true"})).unwrap();
        assert_eq!(s, AgentStatus { agent_state: 5, is_working: Some(true) });
        let s: AgentStatus = serde_json::from_value(json!({})).unwrap();
        assert_eq!(s, AgentStatus { agent_state: -1, is_working: None });
    }
}
