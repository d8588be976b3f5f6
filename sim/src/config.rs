//! Simulator settings: everything the Huawei docs leave to deployment or leave
//! unsaid is a setting here, so tests can pick the behaviour they exercise.
//!
//! Settings are plain JSON (the same document a `--config` file holds and that
//! `PUT /sim/config` merges). Every field has a default; unknown fields are refused
//! so a misspelt setting never silently does nothing.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Guid authentication mode, `AUTHMODE` in the gateway's `basic.properties` (reference §2.2, §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// `AUTHMODE = 1`: the Guid issued at sign-in stays valid for the whole session.
    Static,
    /// `AUTHMODE = 2` (the gateway default): the Guid rotates every `guid_interval_ms`,
    /// delivered in `Set-GUID` on the next event-poll response.
    Dynamic,
}

/// How an event poll that found no event is answered (reference §11.10: undocumented).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmptyPoll {
    /// `{"message":"","retcode":"0"}`: no `event` member at all.
    Absent,
    /// `{"message":"","retcode":"0","event":null}`.
    Null,
}

/// Shape of a successful `queryconfinfos` answer (reference §11.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryShape {
    /// `"result": {"confs": [...]}`, as in the published sample.
    Confs,
    /// `"result": [...]`, as in the interface table.
    Array,
}

/// How a called address behaves (setting `answer_rules`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answers: a phone or agent invitee joins the conference, a called number talks.
    Join,
    /// Declines: an invited agent rejects (as `rejectagentconf`); a phone hangs up.
    Reject,
    /// The line is busy: the invitation or the outbound call fails.
    Busy,
    /// Rings out unanswered: the invitation or the outbound call fails.
    NoAnswer,
    /// Rings for ever: no event until the chair removes it, the conference ends or the
    /// control API decides.
    Never,
}

/// One rule of `answer_rules`: which addresses it matches, and what they do after how long.
/// The first matching rule applies; an address no rule matches behaves as before the rules
/// existed (phones answer, agents answer when they signed in with `autoanswer`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerRule {
    /// Matches exactly this address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Matches every address starting with this (`""` matches all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Only addresses of this type: 6 phone number, 9 agent id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_type: Option<u8>,
    pub outcome: Outcome,
    /// Delay before the outcome; default `invite_answer_delay_ms` for invitations and 0 for
    /// `callout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// `result` of the `AgentConf_ParticipantChanged` reporting a failed invitation (non-zero;
    /// default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<i64>,
}

impl AnswerRule {
    pub fn matches(&self, address_type: u8, address: &str) -> bool {
        self.address_type.is_none_or(|t| t == address_type)
            && self.address.as_deref().is_none_or(|a| a == address)
            && self.prefix.as_deref().is_none_or(|p| address.starts_with(p))
    }
}

/// Per-agent overrides (`agents` map, keyed by agent id).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgentSettings {
    /// Password for this agent; `default_password` when absent.
    pub password: Option<String>,
    /// An inspector sees every conference of its VDN in `queryconfinfos`.
    pub inspector: bool,
    /// VDN (VCC) id; `default_vdn` when absent.
    pub vdn: Option<u32>,
}

/// Every behavioural setting of the simulator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Lowest agent id that exists (every id in the range exists).
    pub agent_id_min: u32,
    /// Highest agent id that exists: 59999 per the seed pages, 999999 on the newer pages.
    pub agent_id_max: u32,
    /// Password of every agent without its own entry in `agents`.
    pub default_password: String,
    /// VDN of every agent without its own entry in `agents`.
    pub default_vdn: u32,
    /// Per-agent passwords, inspector role and VDN. Ids listed here exist even outside the range.
    pub agents: BTreeMap<String, AgentSettings>,

    /// Static or dynamic Guid authentication.
    pub auth_mode: AuthMode,
    /// `GUIDINTERVAL`: dynamic-mode Guid renewal period, ms.
    pub guid_interval_ms: u64,
    /// `GUIDTIMEOUT`: lifetime of a Guid, ms. The previous Guid stays accepted for
    /// `guid_timeout_ms - guid_interval_ms` after a rotation, then is refused.
    pub guid_timeout_ms: u64,
    /// Retcode for a wrong or expired Guid of a signed-in agent (`000-003` or `100-006`).
    pub auth_failure_retcode: String,
    /// `N` in the `.AgentGateway<N>` suffix of issued Guids.
    pub node: u32,
    /// Also send `Set-GUID` (the current Guid) on every answer to a signed-in agent, not only
    /// on sign-in, `updateGuid` and rotations; some deployments do, and clients must cope.
    pub set_guid_on_every_response: bool,

    /// Automatic sign-out after this long without an event poll (gateway: 2 minutes).
    pub idle_signout_ms: u64,
    /// Long-poll hold time when no event is queued (gateway: 100 x 100 ms = 10 s).
    pub poll_wait_ms: u64,
    /// Answer of a poll that found no event.
    pub empty_poll: EmptyPoll,
    /// Put `eventGenTime` (ms since the epoch) in every event, as the newest samples do.
    pub event_gen_time: bool,
    /// Per-agent event queue bound; beyond it the oldest event is dropped and counted.
    pub event_queue_limit: usize,

    /// Refuse a second identical request (same agent, method, path, body) while the first
    /// is still being answered, with `000-007` (`100-021` for sign-in).
    pub reject_duplicates: bool,

    /// Shape of the `queryconfinfos` answer.
    pub query_shape: QueryShape,
    /// Also send `AgentConf_ParticipantChanged` to the agent whose state changed
    /// (the event page's reading), not only to the other participants (the interface pages').
    pub participant_changed_to_subject: bool,
    /// Separator between numbers in `AgentEvent_Conference.partner`: `","`, `", "` or `"，"`.
    pub partner_separator: String,
    /// Delay between `requestagentconf` and `AgentConf_RequestSuccess`; chair operations are
    /// refused with `101-001` until it has passed.
    pub conf_grant_delay_ms: u64,
    /// Delay before an invited party answers (phones always; agents that signed in with
    /// `autoanswer` true).
    pub invite_answer_delay_ms: u64,
    /// How invited and called addresses answer, first match wins (see [`AnswerRule`]).
    pub answer_rules: Vec<AnswerRule>,
    /// Length of one conference "minute" (`time`, `promptTime`, `prolongTime`,
    /// `applyConfTime`, `confHaveBeenTime`); shorten it to test timeouts.
    pub conf_minute_ms: u64,
    /// How long an announcement (`playvoicetoconf`, `playvoicetoparticipant`) plays before it
    /// ends by itself with `AgentConf_StopVoice` / `AgentConf_StopParticipantVoice`; 0 plays
    /// until stopped.
    pub announcement_ms: u64,
    /// Called numbers starting with one of these prefixes are third-party IVRs.
    pub ivr_prefixes: Vec<String>,
    /// First conference id handed out.
    pub first_conf_id: u64,

    /// Front-end conditions (the connection and answer layer, as an IIS, WAF or nginx in
    /// front of a gateway behaves): answer `411 Length Required` to a POST or PUT that
    /// carries neither `Content-Length` nor `Transfer-Encoding` (RFC 9110 §8.6, §15.5.12).
    pub require_content_length: bool,
    /// Charset of the gateway's JSON answers, declared in their `Content-Type` and used to
    /// encode them: any WHATWG Encoding Standard label (`UTF-8`, `GBK`, `GB18030`, `Big5`,
    /// `Shift_JIS`, `ISO-8859-1`, `UTF-16LE`, `UTF-16BE`; the UTF-16 ones are sent with a
    /// byte order mark), as servers in Chinese and other deployments answer.
    pub charset: String,
    /// Close a kept-alive connection after this long without a request in progress and
    /// without I/O, ms, as nginx's `keepalive_timeout` (75 s by default there) and
    /// Apache's `KeepAliveTimeout` (5 s) do; 0 keeps idle connections open.
    pub idle_close_ms: u64,

    /// Longest time a `hang` fault holds a request when the client does not give up first.
    pub hang_limit_ms: u64,
    /// Journal bound; the oldest entries are dropped beyond it.
    pub journal_limit: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            agent_id_min: 101,
            agent_id_max: 59999,
            default_password: "ccgw-sim".to_string(),
            default_vdn: 1,
            agents: BTreeMap::new(),
            auth_mode: AuthMode::Dynamic,
            guid_interval_ms: 60_000,
            guid_timeout_ms: 120_000,
            auth_failure_retcode: "000-003".to_string(),
            node: 0,
            set_guid_on_every_response: false,
            idle_signout_ms: 120_000,
            poll_wait_ms: 10_000,
            empty_poll: EmptyPoll::Absent,
            event_gen_time: true,
            event_queue_limit: 100_000,
            reject_duplicates: true,
            query_shape: QueryShape::Confs,
            participant_changed_to_subject: false,
            partner_separator: ",".to_string(),
            conf_grant_delay_ms: 20,
            invite_answer_delay_ms: 20,
            answer_rules: Vec::new(),
            conf_minute_ms: 60_000,
            announcement_ms: 5_000,
            ivr_prefixes: vec!["9000".to_string()],
            first_conf_id: 1_029_888,
            require_content_length: false,
            charset: "UTF-8".to_string(),
            idle_close_ms: 0,
            hang_limit_ms: 600_000,
            journal_limit: 200_000,
        }
    }
}

impl Settings {
    /// Checks the cross-field rules; the error names the offending setting.
    pub fn validate(&self) -> Result<(), String> {
        if self.agent_id_min > self.agent_id_max {
            return Err("agent_id_min must not exceed agent_id_max".into());
        }
        if self.auth_mode == AuthMode::Dynamic && self.guid_interval_ms >= self.guid_timeout_ms {
            return Err("guid_interval_ms must be smaller than guid_timeout_ms (as GUIDINTERVAL < GUIDTIMEOUT)".into());
        }
        if self.guid_interval_ms == 0 {
            return Err("guid_interval_ms must be positive".into());
        }
        if self.idle_signout_ms == 0 || self.poll_wait_ms == 0 {
            return Err("idle_signout_ms and poll_wait_ms must be positive".into());
        }
        if self.event_queue_limit == 0 || self.journal_limit == 0 {
            return Err("event_queue_limit and journal_limit must be positive".into());
        }
        if self.conf_minute_ms == 0 {
            return Err("conf_minute_ms must be positive".into());
        }
        for (i, r) in self.answer_rules.iter().enumerate() {
            if r.address_type.is_some_and(|t| t != 6 && t != 9) {
                return Err(format!("answer_rules[{i}].address_type must be 6 or 9"));
            }
            if r.address.is_some() && r.prefix.is_some() {
                return Err(format!("answer_rules[{i}]: give address or prefix, not both"));
            }
            if r.result == Some(0) {
                return Err(format!("answer_rules[{i}].result must be non-zero (a failure)"));
            }
        }
        if encoding_rs::Encoding::for_label(self.charset.trim().as_bytes())
            .is_none_or(|e| e == encoding_rs::REPLACEMENT)
        {
            return Err(format!("charset {:?} is not a WHATWG Encoding Standard label", self.charset));
        }
        for id in self.agents.keys() {
            if parse_agent_id(id).is_none() {
                return Err(format!("agents: {id:?} is not an agent id"));
            }
        }
        Ok(())
    }

    /// Applies a partial settings document (only the members present change).
    pub fn merged(&self, patch: &serde_json::Value) -> Result<Settings, String> {
        let mut base = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let patch = patch.as_object().ok_or("settings must be a JSON object")?;
        let obj = base.as_object_mut().expect("settings serialize to an object");
        for (k, v) in patch {
            if !obj.contains_key(k) {
                return Err(format!("unknown setting {k:?}"));
            }
            obj.insert(k.clone(), v.clone());
        }
        let merged: Settings = serde_json::from_value(base).map_err(|e| e.to_string())?;
        merged.validate()?;
        Ok(merged)
    }

    /// Whether `id` names an existing agent.
    pub fn agent_exists(&self, id: u32) -> bool {
        (self.agent_id_min..=self.agent_id_max).contains(&id) || self.agents.contains_key(&id.to_string())
    }

    pub fn password_of(&self, id: u32) -> &str {
        self.agents.get(&id.to_string()).and_then(|a| a.password.as_deref()).unwrap_or(&self.default_password)
    }

    pub fn vdn_of(&self, id: u32) -> u32 {
        self.agents.get(&id.to_string()).and_then(|a| a.vdn).unwrap_or(self.default_vdn)
    }

    pub fn is_inspector(&self, id: u32) -> bool {
        self.agents.get(&id.to_string()).is_some_and(|a| a.inspector)
    }

    /// How long the previous Guid stays accepted after a rotation.
    pub fn previous_guid_grace_ms(&self) -> u64 {
        self.guid_timeout_ms.saturating_sub(self.guid_interval_ms)
    }

    /// The first rule of `answer_rules` matching the address.
    pub fn answer_rule(&self, address_type: u8, address: &str) -> Option<&AnswerRule> {
        self.answer_rules.iter().find(|r| r.matches(address_type, address))
    }

    pub fn is_ivr(&self, number: &str) -> bool {
        self.ivr_prefixes.iter().any(|p| !p.is_empty() && number.starts_with(p.as_str()))
    }
}

/// Parses an agent id as it appears in a URL: canonical decimal, no sign, no leading zero.
pub fn parse_agent_id(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Where and how the simulator listens, plus its behaviour.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Address to bind; loopback by default.
    pub bind: std::net::IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Serve HTTPS (default) or plain HTTP.
    pub tls: bool,
    /// Extra subject alternative names of the generated server certificate, besides
    /// `localhost`, `127.0.0.1` and `::1`: DNS names (e.g. `ccgw-sim` for a container
    /// reached by that name) or IP addresses.
    pub tls_names: Vec<String>,
    /// Serve this certificate chain and key (PEM files) instead of generating a CA and a
    /// certificate; [`crate::Simulator::ca_pem`] is then `None`.
    pub tls_identity: Option<TlsIdentity>,
    /// Worker threads of the simulator's own tokio runtime.
    pub threads: usize,
    pub settings: Settings,
}

/// A server identity supplied by the user, as PEM files.
#[derive(Clone, Debug)]
pub struct TlsIdentity {
    /// The certificate chain, the server's certificate first.
    pub cert_file: std::path::PathBuf,
    /// Its private key: PKCS#8, PKCS#1 or SEC1.
    pub key_file: std::path::PathBuf,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            port: 0,
            tls: true,
            tls_names: Vec::new(),
            tls_identity: None,
            threads: 2,
            settings: Settings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_ids_parse_canonically() {
        assert_eq!(parse_agent_id("101"), Some(101));
        assert_eq!(parse_agent_id("0101"), None);
        assert_eq!(parse_agent_id("+101"), None);
        assert_eq!(parse_agent_id(""), None);
        assert_eq!(parse_agent_id("1a"), None);
    }

    #[test]
    fn merge_refuses_unknown_and_invalid_settings() {
        let s = Settings::default();
        assert!(s.merged(&serde_json::json!({"nope": 1})).is_err());
        assert!(s.merged(&serde_json::json!({"guid_interval_ms": 200000})).is_err());
        let m = s.merged(&serde_json::json!({"poll_wait_ms": 500})).unwrap();
        assert_eq!(m.poll_wait_ms, 500);
        assert_eq!(m.guid_interval_ms, s.guid_interval_ms);
    }

    #[test]
    fn agents_exist_by_range_or_entry() {
        let mut s = Settings::default();
        assert!(s.agent_exists(101) && s.agent_exists(59999));
        assert!(!s.agent_exists(100) && !s.agent_exists(60000));
        s.agents.insert("600000".into(), AgentSettings::default());
        assert!(s.agent_exists(600000));
    }
}
