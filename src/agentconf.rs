//! The `agentconf` family (reference §5, §7): the seed operations `batchaddparticipant`,
//! `holdparticipant` and `queryconfinfos` (seed pages 000-002), and the rest of the family:
//! requesting, releasing, answering, rejecting and leaving a conference, unholding and
//! removing participants, their talk/listen mode, prolonging, handing the chair over,
//! announcements, resources and the VDN's conference ids. Every limit of the interface
//! tables is checked before anything is sent. The operations this session makes also
//! update its live conference view (`crate::confview`) once the gateway accepts them.
//!
//! Request bodies are serialized from their structs; the seed `queryconfinfos` answer is
//! read straight from the answer's text by the visitors below ([`ConfList`]), the other
//! answers through the serde types of `crate::wire`. No JSON value is built on the way.

use crate::confview::Local;
use crate::error::{Error, Result};
use crate::limits::{self, Unit};
use crate::session::{CallOptions, Session};
use crate::status::*;
use crate::wire::{answer_result, de, ser};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `addressType` 6: a phone number.
pub const ADDRESS_PHONE: i64 = 6;
/// `addressType` 9: an agent id.
pub const ADDRESS_AGENT: i64 = 9;

fn check_address_type(field: &str, t: i64) -> Result<()> {
    limits::one_of(field, t, &[ADDRESS_PHONE, ADDRESS_AGENT], "6 (phone number) or 9 (agent id)")
}

/// One invitee of `batchaddparticipant` (Table 4); serialized as the request's JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    #[serde(serialize_with = "ser::address_type")]
    pub address_type: i64,
    pub address: String,
    /// 0-255; `None` leaves it to the gateway's default (0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_call_type: Option<i64>,
    /// 0-255; `None` leaves it to the gateway's default (0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_type: Option<i64>,
}

/// `batchaddparticipant` (Table 3); serialized as the request's JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchAddRequest {
    #[serde(rename = "addresses")]
    pub participants: Vec<Participant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beep_tone: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_mode: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
}

impl BatchAddRequest {
    pub fn validate(&self) -> Result<()> {
        limits::count("addresses", self.participants.len(), 120)?;
        for (i, p) in self.participants.iter().enumerate() {
            let at = |field: &'static str| move || format!("addresses[{i}].{field}");
            limits::named(|f| check_address_type(f, p.address_type), at("addressType"))?;
            limits::named(|f| limits::required(f, Some(&p.address), 24, Unit::Chars), at("address"))?;
            if let Some(v) = p.device_call_type {
                limits::named(|f| limits::range(f, v, 0, 255), at("deviceCallType"))?;
            }
            if let Some(v) = p.device_type {
                limits::named(|f| limits::range(f, v, 0, 255), at("deviceType"))?;
            }
        }
        if let Some(m) = self.play_mode {
            limits::range("playMode", m, i32::MIN.into(), i32::MAX.into())?;
        }
        limits::optional("voicePath", self.voice_path.as_deref(), 127, Unit::Chars)?;
        limits::optional("caller", self.caller.as_deref(), 24, Unit::Chars)?;
        if self.beep_tone == Some(true) {
            limits::required(
                "voicePath (mandatory when beepTone is true)",
                self.voice_path.as_deref(),
                127,
                Unit::Chars,
            )?;
            if let Some(m) = self.play_mode {
                limits::one_of("playMode", m, &[2], "2 (announcement file) when beepTone is true")?;
            }
        }
        Ok(())
    }
}

/// `holdparticipant` (Table 3): who to hold and the announcement the held party hears;
/// serialized as the request's JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldRequest {
    #[serde(serialize_with = "ser::address_type")]
    pub address_type: i64,
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_mode: Option<i64>,
    pub voice_path: String,
}

impl HoldRequest {
    pub fn validate(&self) -> Result<()> {
        check_address_type("addressType", self.address_type)?;
        // This page counts the address in bytes ("The maximum length is 24 bytes").
        limits::required("address", Some(&self.address), 24, Unit::Bytes)?;
        if let Some(m) = self.play_mode {
            limits::range("playMode", m, i32::MIN.into(), i32::MAX.into())?;
        }
        limits::required("voicePath", Some(&self.voice_path), 127, Unit::Chars)
    }
}

/// At most this many ids per `queryconfinfos`.
pub const QUERY_MAX_IDS: usize = 20;

pub fn validate_conf_ids(ids: &[i64]) -> Result<()> {
    limits::count("confIds", ids.len(), QUERY_MAX_IDS)?;
    for (i, id) in ids.iter().enumerate() {
        limits::named(|f| limits::range(f, *id, 0, i64::MAX), || format!("confIds[{i}]"))?;
    }
    Ok(())
}

/// A participant as `queryconfinfos` reports it (Table 6). Numbers the gateway left out are -1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfParticipant {
    /// 6 phone number, 9 agent id (sent as a string by the gateway).
    pub address_type: i32,
    pub address: String,
    pub device_call_type: i32,
    pub device_type: i32,
    /// 1 listen only, 2 speak only, 3 listen and speak.
    pub channel_attrib: i32,
    /// 0 talking, 1 held, 2 announcement playing.
    pub channel_state: i32,
    /// 0 participant, 1 chairperson.
    pub role: i32,
    /// ms since the epoch.
    pub enter_time: i64,
}

/// A conference as `queryconfinfos` reports it (Table 5). Numbers left out are -1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfInfo {
    pub conf_id: i64,
    /// 0 normal, 1 announcement playing.
    pub conf_state: i32,
    /// ms since the epoch.
    pub start_time: i64,
    /// Applied duration, minutes.
    pub apply_conf_time: i32,
    /// Minutes since the start.
    pub conf_have_been_time: i32,
    pub participants: Vec<ConfParticipant>,
}

fn malformed(msg: String) -> Error {
    Error::new(CCGW_E_MALFORMED_RESPONSE, format!("queryConfInfos: {msg}"))
}

/// Parses `result` in either documented shape: an array of conferences (the table) or
/// `{"confs": [...]}` (the sample). Unknown members are ignored; integers come as numbers
/// or decimal strings, absent or `null` ones are -1; `address` is text (a number as
/// written). A JSON value's entry point (the answer itself is read by [`ConfList`]).
pub fn parse_conf_list(result: Option<&Value>) -> Result<Vec<ConfInfo>> {
    match result {
        None => Ok(Vec::new()),
        Some(v) => ConfList::deserialize(v).map(|l| l.0).map_err(|e| malformed(e.to_string())),
    }
}

/// `result` of `queryconfinfos`, read straight from the answer's text (no JSON tree),
/// as leniently as the table and the sample need ([`crate::wire::stream`]).
pub struct ConfList(pub Vec<ConfInfo>);

impl<'de> Deserialize<'de> for ConfList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<ConfList, D::Error> {
        d.deserialize_any(ResultVisitor).map(ConfList)
    }
}

use crate::wire::stream::{refuse, seed_of_visitor, Int, Key, Text};
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};

/// `result`: `null`, an array of conferences, or an object whose `confs` is one.
struct ResultVisitor;

impl ResultVisitor {
    fn refusal(&self) -> &'static str {
        "result is neither an array nor an object"
    }
}

impl<'de> Visitor<'de> for ResultVisitor {
    type Value = Vec<ConfInfo>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.refusal())
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Vec<ConfInfo>, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Vec<ConfInfo>, A::Error> {
        ConfsVisitor.visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Vec<ConfInfo>, A::Error> {
        let mut confs = Vec::new();
        while let Some(k) = map.next_key_seed(Key(&["confs"]))? {
            match k {
                Some(_) => confs = map.next_value_seed(ConfsVisitor)?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(confs)
    }
    refuse!(bool, num, str);
}

/// `result.confs`: `null` or an array of conferences.
struct ConfsVisitor;

impl ConfsVisitor {
    fn refusal(&self) -> &'static str {
        "result.confs is not an array"
    }
}

seed_of_visitor!(ConfsVisitor);

impl<'de> Visitor<'de> for ConfsVisitor {
    type Value = Vec<ConfInfo>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.refusal())
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Vec<ConfInfo>, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<ConfInfo>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(QUERY_MAX_IDS));
        while let Some(c) = seq.next_element_seed(ConfVisitor { i: out.len() })? {
            out.push(c);
        }
        Ok(out)
    }
    refuse!(bool, num, str, map);
}

const CONF_KEYS: &[&str] = &["confId", "confState", "startTime", "applyConfTime", "confHaveBeenTime", "addresses"];
const PARTICIPANT_KEYS: &[&str] =
    &["addressType", "address", "deviceCallType", "deviceType", "channelAttrib", "channelState", "role", "enterTime"];

/// Conference `i` (Table 5).
struct ConfVisitor {
    i: usize,
}

impl ConfVisitor {
    fn refusal(&self) -> String {
        format!("conference {} is not an object", self.i)
    }
}

seed_of_visitor!(ConfVisitor);

impl<'de> Visitor<'de> for ConfVisitor {
    type Value = ConfInfo;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a conference")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<ConfInfo, A::Error> {
        let i = self.i;
        let mut c = ConfInfo {
            conf_id: -1,
            conf_state: -1,
            start_time: -1,
            apply_conf_time: -1,
            conf_have_been_time: -1,
            participants: Vec::new(),
        };
        let int = |map: &mut A, key: &'static str, bits32: bool| -> std::result::Result<i64, A::Error> {
            Ok(map.next_value_seed(Int { key, bits32 })?.unwrap_or(-1))
        };
        while let Some(k) = map.next_key_seed(Key(CONF_KEYS))? {
            match k {
                Some(0) => c.conf_id = int(&mut map, "confId", false)?,
                Some(1) => c.conf_state = int(&mut map, "confState", true)? as i32,
                Some(2) => c.start_time = int(&mut map, "startTime", false)?,
                Some(3) => c.apply_conf_time = int(&mut map, "applyConfTime", true)? as i32,
                Some(4) => c.conf_have_been_time = int(&mut map, "confHaveBeenTime", true)? as i32,
                Some(_) => c.participants = map.next_value_seed(ParticipantsVisitor { i })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
    refuse!(bool, num, str, unit, seq);
}

/// Conference `i`'s `addresses`: `null` or an array of participants.
struct ParticipantsVisitor {
    i: usize,
}

impl ParticipantsVisitor {
    fn refusal(&self) -> String {
        format!("conference {} addresses is not an array", self.i)
    }
}

seed_of_visitor!(ParticipantsVisitor);

impl<'de> Visitor<'de> for ParticipantsVisitor {
    type Value = Vec<ConfParticipant>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("participants")
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Vec<ConfParticipant>, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<ConfParticipant>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(120));
        while let Some(p) = seq.next_element_seed(ParticipantVisitor { i: self.i, j: out.len() })? {
            out.push(p);
        }
        Ok(out)
    }
    refuse!(bool, num, str, map);
}

/// Participant `j` of conference `i` (Table 6).
struct ParticipantVisitor {
    i: usize,
    j: usize,
}

impl ParticipantVisitor {
    fn refusal(&self) -> String {
        format!("conference {} participant {} is not an object", self.i, self.j)
    }
}

seed_of_visitor!(ParticipantVisitor);

impl<'de> Visitor<'de> for ParticipantVisitor {
    type Value = ConfParticipant;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a participant")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<ConfParticipant, A::Error> {
        let mut p = ConfParticipant {
            address_type: -1,
            address: String::new(),
            device_call_type: -1,
            device_type: -1,
            channel_attrib: -1,
            channel_state: -1,
            role: -1,
            enter_time: -1,
        };
        let int32 = |map: &mut A, key: &'static str| -> std::result::Result<i32, A::Error> {
            // In range: `Int` refuses what does not fit.
            Ok(map.next_value_seed(Int { key, bits32: true })?.unwrap_or(-1) as i32)
        };
        while let Some(k) = map.next_key_seed(Key(PARTICIPANT_KEYS))? {
            match k {
                Some(0) => p.address_type = int32(&mut map, "addressType")?,
                Some(1) => p.address = map.next_value_seed(Text)?,
                Some(2) => p.device_call_type = int32(&mut map, "deviceCallType")?,
                Some(3) => p.device_type = int32(&mut map, "deviceType")?,
                Some(4) => p.channel_attrib = int32(&mut map, "channelAttrib")?,
                Some(5) => p.channel_state = int32(&mut map, "channelState")?,
                Some(6) => p.role = int32(&mut map, "role")?,
                Some(_) => p.enter_time = map.next_value_seed(Int { key: "enterTime", bits32: false })?.unwrap_or(-1),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(p)
    }
    refuse!(bool, num, str, unit, seq);
}

impl Session {
    /// `POST agentconf/{agentid}/batchaddparticipant` (chairperson only).
    pub async fn batch_add_participant(&self, req: &BatchAddRequest, opts: &CallOptions) -> Result<()> {
        const OP: &str = "batchAddParticipant";
        req.validate().map_err(|e| e.in_operation(OP))?;
        let path = format!("agentconf/{}/batchaddparticipant", self.agent_id());
        self.post(OP, &path, Some(req), opts).await.map(|_| ())
    }

    /// `POST agentconf/{agentid}/holdparticipant` (chairperson only).
    pub async fn hold_participant(&self, req: &HoldRequest, opts: &CallOptions) -> Result<()> {
        const OP: &str = "holdParticipant";
        req.validate().map_err(|e| e.in_operation(OP))?;
        let path = format!("agentconf/{}/holdparticipant", self.agent_id());
        self.post(OP, &path, Some(req), opts).await?;
        self.0.confs.local(Local::Held {
            address_type: req.address_type,
            address: req.address.clone(),
            voice_path: req.voice_path.clone(),
        });
        Ok(())
    }

    /// `POST agentconf/{agentid}/queryconfinfos`: the conferences among `conf_ids` the
    /// agent may see (an inspector: all of its VDN; others: their own).
    pub async fn query_conf_infos(&self, conf_ids: &[i64], opts: &CallOptions) -> Result<Vec<ConfInfo>> {
        const OP: &str = "queryConfInfos";
        validate_conf_ids(conf_ids).map_err(|e| e.in_operation(OP))?;
        let path = format!("agentconf/{}/queryconfinfos", self.agent_id());
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "confIds")]
            conf_ids: &'a [i64],
        }
        let answer = self.post(OP, &path, Some(&Body { conf_ids }), opts).await?;
        match answer.env.result::<ConfList>() {
            Ok(list) => Ok(list.0),
            Err(e) => Err(malformed(crate::wire::stream::message(&e)).with_http_status(answer.env.http_status)),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The rest of the family, with serde wire types.

/// `requestagentconf` (reference §5, [conf-apply]): the agent applies for a conference
/// and becomes its chair when `AgentConf_RequestSuccess` arrives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentConfRequest {
    /// Member places, 1-120 (mandatory).
    pub member_num: i64,
    /// Calling number shown to invitees, at most 24 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conf_caller_no: Option<String>,
    /// Duration in minutes, 4-1440 (gateway default 60).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<i64>,
    /// Warning before the end in minutes, 3-1440 (gateway default 3; at or above `time` the
    /// gateway uses `time - 1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_time: Option<i64>,
    /// Play a tone to each joiner (gateway default false); needs `voice_path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beep_tone: Option<bool>,
    /// 2 = play the `voice_path` file (the default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_mode: Option<i64>,
    /// Announcement file, at most 127 characters; mandatory when `beep_tone` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_path: Option<String>,
}

fn check_play_mode(m: Option<i64>) -> Result<()> {
    m.map_or(Ok(()), |m| limits::range("playMode", m, i32::MIN.into(), i32::MAX.into()))
}

impl AgentConfRequest {
    pub fn validate(&self) -> Result<()> {
        limits::range("memberNum", self.member_num, 1, 120)?;
        limits::optional("confCallerNo", self.conf_caller_no.as_deref(), 24, Unit::Chars)?;
        if let Some(t) = self.time {
            limits::range("time", t, 4, 1440)?;
        }
        if let Some(p) = self.prompt_time {
            limits::range("promptTime", p, 3, 1440)?;
        }
        check_play_mode(self.play_mode)?;
        limits::optional("voicePath", self.voice_path.as_deref(), 127, Unit::Chars)?;
        if self.beep_tone == Some(true) {
            limits::required(
                "voicePath (mandatory when beepTone is true)",
                self.voice_path.as_deref(),
                127,
                Unit::Chars,
            )?;
        }
        Ok(())
    }
}

/// A participant address (`AgentConfAddressExParam`): type 6 (phone number) or 9 (agent
/// id), and the address, at most 24 characters (24 bytes on the pages that say bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(serialize_with = "ser::address_type")]
    pub address_type: i64,
    pub address: String,
}

impl Address {
    pub fn new(address_type: i64, address: &str) -> Address {
        Address { address_type, address: address.to_string() }
    }

    fn validate(&self, prefix: &str, unit: Unit) -> Result<()> {
        check_address_type(&format!("{prefix}addressType"), self.address_type)?;
        limits::required(&format!("{prefix}address"), Some(&self.address), 24, unit)
    }

    fn key(&self) -> (i64, String) {
        (self.address_type, self.address.clone())
    }
}

/// An address as an answer writes it (`noExistParticipants`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerAddress {
    #[serde(default = "de::minus_one", deserialize_with = "de::int")]
    pub address_type: i64,
    #[serde(default, deserialize_with = "de::string")]
    pub address: String,
}

/// At most this many addresses per `batchremoveparticipant`.
pub const REMOVE_MAX: usize = 30;

#[derive(Serialize)]
struct BatchRemoveBody<'a> {
    addresses: &'a [Address],
}

/// `batchremoveparticipant`'s `result`.
#[derive(Clone, Debug, Deserialize, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BatchRemoveResult {
    #[serde(default)]
    pub no_exist_participants: Option<Vec<AnswerAddress>>,
}

pub fn validate_remove(addresses: &[Address]) -> Result<()> {
    limits::count("addresses", addresses.len(), REMOVE_MAX)?;
    for (i, a) in addresses.iter().enumerate() {
        a.validate(&format!("addresses[{i}]."), Unit::Chars)?;
    }
    Ok(())
}

/// `channelAttrib` / `attribute` of `changeparticipantmode` (reference §5, [conf-mode]).
pub const MODE_LISTEN: i64 = 1;
pub const MODE_SPEAK: i64 = 2;
pub const MODE_LISTEN_SPEAK: i64 = 3;
pub const MODE_NONE: i64 = 4;

#[derive(Serialize)]
struct ChangeModeBody<'a> {
    attribute: i64,
    #[serde(flatten)]
    target: &'a Address,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProlongBody {
    prolong_time: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ShiftBody {
    dest_agent_no: i64,
}

/// `playvoicetoparticipant` / `playvoicetoconf`: the announcement file (at most 127
/// characters, mandatory) and how to play it (2 = the file, the default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlayVoice {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_mode: Option<i64>,
    pub voice_path: String,
}

impl PlayVoice {
    fn validate(&self) -> Result<()> {
        check_play_mode(self.play_mode)?;
        limits::required("voicePath", Some(&self.voice_path), 127, Unit::Chars)
    }
}

#[derive(Serialize)]
struct PlayToParticipantBody<'a> {
    #[serde(flatten)]
    target: &'a Address,
    #[serde(flatten)]
    voice: &'a PlayVoice,
}

/// `modifyType` of `modifyconfresource`.
pub const RESOURCE_ADD: i64 = 0;
pub const RESOURCE_REMOVE: i64 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModifyResourceBody {
    modify_type: i64,
    modify_num: i64,
}

/// `queryvdnconfid`'s `result`.
#[derive(Clone, Debug, Deserialize, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VdnConfIds {
    #[serde(default, deserialize_with = "de::int_vec")]
    pub conf_ids: Vec<i64>,
}

/// The widest documented agent-id range (newer pages): the chair may be handed to any
/// agent of it.
pub const DEST_AGENT_MAX: u32 = 999_999;

impl Session {
    fn conf_path(&self, op: &str) -> String {
        format!("agentconf/{}/{op}", self.agent_id())
    }

    /// `POST agentconf/{agentid}/requestagentconf` (log name `requestAgentConf`). The
    /// conference is granted (or refused) later by `AgentConf_RequestSuccess` /
    /// `AgentConf_RequestFailed`.
    pub async fn request_agent_conf(&self, req: &AgentConfRequest, opts: &CallOptions) -> Result<()> {
        const OP: &str = "requestAgentConf";
        req.validate().map_err(|e| e.in_operation(OP))?;
        // The grant may arrive before this answer: the view must know it asked.
        self.0
            .confs
            .local(Local::Requesting { time: req.time.unwrap_or(60) as i32, member_num: req.member_num as i32 });
        let r = self.send(OP, Method::POST, &self.conf_path("requestagentconf"), Some(req), opts).await;
        if r.is_err() {
            self.0.confs.local(Local::RequestAborted);
        }
        r.map(|_| ())
    }

    /// `POST agentconf/{agentid}/releaseagentconf` (chair; log name `releaseAgentConf`):
    /// the conference ends for everyone.
    pub async fn release_agent_conf(&self, opts: &CallOptions) -> Result<()> {
        self.send_empty("releaseAgentConf", Method::POST, &self.conf_path("releaseagentconf"), opts).await?;
        self.0.confs.local(Local::Released);
        Ok(())
    }

    /// `POST agentconf/{agentid}/answeragentconf` (an agent that got `AgentConf_Ringing`;
    /// log name `answerAgentConf`): it joins.
    pub async fn answer_agent_conf(&self, opts: &CallOptions) -> Result<()> {
        self.send_empty("answerAgentConf", Method::POST, &self.conf_path("answeragentconf"), opts).await
    }

    /// `POST agentconf/{agentid}/rejectagentconf` (log name `rejectAgentConf`): declines
    /// the invitation.
    pub async fn reject_agent_conf(&self, opts: &CallOptions) -> Result<()> {
        self.send_empty("rejectAgentConf", Method::POST, &self.conf_path("rejectagentconf"), opts).await?;
        self.0.confs.local(Local::Rejected);
        Ok(())
    }

    /// `POST agentconf/{agentid}/requestleaveagentconf` (a participant, not the chair; log
    /// name `requestLeaveAgentConf`).
    pub async fn leave_agent_conf(&self, opts: &CallOptions) -> Result<()> {
        self.send_empty("requestLeaveAgentConf", Method::POST, &self.conf_path("requestleaveagentconf"), opts).await?;
        self.0.confs.local(Local::Left);
        Ok(())
    }

    /// `POST agentconf/{agentid}/unholdparticipant` (chair; log name `unholdParticipant`):
    /// the address pair of `holdparticipant` (reference §11.19), address at most 24 bytes.
    pub async fn unhold_participant(&self, target: &Address, opts: &CallOptions) -> Result<()> {
        const OP: &str = "unholdParticipant";
        target.validate("", Unit::Bytes).map_err(|e| e.in_operation(OP))?;
        self.send(OP, Method::POST, &self.conf_path("unholdparticipant"), Some(target), opts).await?;
        self.0.confs.local(Local::Unheld { address_type: target.address_type, address: target.address.clone() });
        Ok(())
    }

    /// `POST agentconf/{agentid}/batchremoveparticipant` (chair; log name
    /// `batchRemoveParticipant`): 1-30 addresses. Returns those the gateway did not find
    /// in the conference (`result.noExistParticipants`).
    pub async fn batch_remove_participant(
        &self,
        addresses: &[Address],
        opts: &CallOptions,
    ) -> Result<Vec<AnswerAddress>> {
        const OP: &str = "batchRemoveParticipant";
        validate_remove(addresses).map_err(|e| e.in_operation(OP))?;
        let body = BatchRemoveBody { addresses };
        let answer = self.send(OP, Method::POST, &self.conf_path("batchremoveparticipant"), Some(&body), opts).await?;
        let missing = answer_result::<Option<BatchRemoveResult>>(OP, &answer)?
            .and_then(|r| r.no_exist_participants)
            .unwrap_or_default();
        let removed = addresses
            .iter()
            .filter(|a| !missing.iter().any(|m| m.address_type == a.address_type && m.address == a.address))
            .map(Address::key)
            .collect();
        self.0.confs.local(Local::Removed(removed));
        Ok(missing)
    }

    /// `POST agentconf/{agentid}/changeparticipantmode` (chair; log name
    /// `changeParticipantMode`): `attribute` 1 listen only, 2 speak only, 3 both, 4 neither.
    pub async fn change_participant_mode(&self, target: &Address, attribute: i64, opts: &CallOptions) -> Result<()> {
        const OP: &str = "changeParticipantMode";
        (|| -> Result<()> {
            limits::range("attribute", attribute, MODE_LISTEN, MODE_NONE)?;
            target.validate("", Unit::Chars)
        })()
        .map_err(|e| e.in_operation(OP))?;
        let body = ChangeModeBody { attribute, target };
        let (address_type, address) = (target.address_type, target.address.clone());
        self.0.confs.local(Local::ModeSent { address_type, address: address.clone() });
        let sent = self.send(OP, Method::POST, &self.conf_path("changeparticipantmode"), Some(&body), opts).await;
        if let Err(e) = sent {
            self.0.confs.local(Local::ModeFailed { address_type, address });
            return Err(e);
        }
        self.0.confs.local(Local::Mode {
            address_type: target.address_type,
            address: target.address.clone(),
            attribute: attribute as i32,
        });
        Ok(())
    }

    /// `POST agentconf/{agentid}/prolongtime` (chair; log name `prolongTime`; the answer to
    /// `AgentConf_Timeout`): `minutes` 1-1440, and the conference's whole time at most 1440
    /// (checked here too when the live view knows the conference's time).
    pub async fn prolong_time(&self, minutes: i64, opts: &CallOptions) -> Result<()> {
        const OP: &str = "prolongTime";
        (|| -> Result<()> {
            limits::range("prolongTime", minutes, 1, 1440)?;
            if let Some(applied) = self.0.confs.chaired().map(|c| c.apply_conf_time).filter(|&t| t > 0) {
                limits::range(
                    &format!("prolongTime (the conference has {applied} minutes; the total may not pass 1440)"),
                    minutes,
                    1,
                    1440 - i64::from(applied),
                )?;
            }
            Ok(())
        })()
        .map_err(|e| e.in_operation(OP))?;
        self.send(OP, Method::POST, &self.conf_path("prolongtime"), Some(&ProlongBody { prolong_time: minutes }), opts)
            .await?;
        self.0.confs.local(Local::Prolonged(minutes as i32));
        Ok(())
    }

    /// `POST agentconf/{agentid}/applytoshiftpresident` (chair; log name
    /// `applyToShiftPresident`): the joined agent `dest_agent` (an agent id, 101-999999)
    /// becomes the chair.
    pub async fn shift_president(&self, dest_agent: &str, opts: &CallOptions) -> Result<()> {
        const OP: &str = "applyToShiftPresident";
        let dest = limits::agent_id(dest_agent, DEST_AGENT_MAX).map_err(|e| e.in_operation(OP))?;
        let body = ShiftBody { dest_agent_no: i64::from(dest) };
        self.send(OP, Method::POST, &self.conf_path("applytoshiftpresident"), Some(&body), opts).await?;
        self.0.confs.local(Local::ChairTo(dest.to_string()));
        Ok(())
    }

    /// `POST agentconf/{agentid}/playvoicetoparticipant` (chair; log name
    /// `playVoiceToParticipant`): address at most 24 bytes, as `holdparticipant`.
    /// `AgentConf_StopParticipantVoice` reports the end.
    pub async fn play_voice_to_participant(
        &self,
        target: &Address,
        voice: &PlayVoice,
        opts: &CallOptions,
    ) -> Result<()> {
        const OP: &str = "playVoiceToParticipant";
        target.validate("", Unit::Bytes).and_then(|_| voice.validate()).map_err(|e| e.in_operation(OP))?;
        let body = PlayToParticipantBody { target, voice };
        self.send(OP, Method::POST, &self.conf_path("playvoicetoparticipant"), Some(&body), opts).await?;
        self.0.confs.local(Local::ParticipantAnnouncement {
            address_type: target.address_type,
            address: target.address.clone(),
            playing: true,
        });
        Ok(())
    }

    /// `POST agentconf/{agentid}/stopvoicetoparticipant` (chair; log name
    /// `stopVoiceToParticipant`): the address pair (reference §11.19).
    pub async fn stop_voice_to_participant(&self, target: &Address, opts: &CallOptions) -> Result<()> {
        const OP: &str = "stopVoiceToParticipant";
        target.validate("", Unit::Bytes).map_err(|e| e.in_operation(OP))?;
        self.0.confs.local(Local::StopSent { participant: true });
        let sent = self.send(OP, Method::POST, &self.conf_path("stopvoicetoparticipant"), Some(target), opts).await;
        if let Err(e) = sent {
            self.0.confs.local(Local::StopFailed { participant: true });
            return Err(e);
        }
        self.0.confs.local(Local::ParticipantAnnouncement {
            address_type: target.address_type,
            address: target.address.clone(),
            playing: false,
        });
        Ok(())
    }

    /// `POST agentconf/{agentid}/playvoicetoconf` (chair; log name `playVoiceToConf`): the
    /// whole conference hears the file until it ends (`AgentConf_StopVoice`) or is stopped.
    pub async fn play_voice_to_conf(&self, voice: &PlayVoice, opts: &CallOptions) -> Result<()> {
        const OP: &str = "playVoiceToConf";
        voice.validate().map_err(|e| e.in_operation(OP))?;
        self.send(OP, Method::POST, &self.conf_path("playvoicetoconf"), Some(voice), opts).await?;
        self.0.confs.local(Local::ConfAnnouncement(true));
        Ok(())
    }

    /// `POST agentconf/{agentid}/stopvoicetoconf` (chair; log name `stopVoiceToConf`).
    pub async fn stop_voice_to_conf(&self, opts: &CallOptions) -> Result<()> {
        self.0.confs.local(Local::StopSent { participant: false });
        let sent = self.send_empty("stopVoiceToConf", Method::POST, &self.conf_path("stopvoicetoconf"), opts).await;
        if let Err(e) = sent {
            self.0.confs.local(Local::StopFailed { participant: false });
            return Err(e);
        }
        self.0.confs.local(Local::ConfAnnouncement(false));
        Ok(())
    }

    /// `POST agentconf/{agentid}/modifyconfresource` (chair; log name
    /// `modifyConfResource`): add (`modify_type` 0) or remove (1) `modify_num` (2-118) member
    /// places; the result must stay within 1-120 (checked here too when the view knows it).
    pub async fn modify_conf_resource(&self, modify_type: i64, modify_num: i64, opts: &CallOptions) -> Result<()> {
        const OP: &str = "modifyConfResource";
        (|| -> Result<()> {
            limits::one_of("modifyType", modify_type, &[RESOURCE_ADD, RESOURCE_REMOVE], "0 (add) or 1 (remove)")?;
            limits::range("modifyNum", modify_num, 2, 118)?;
            if let Some(places) = self.0.confs.chaired().map(|c| c.member_num).filter(|&n| n > 0) {
                let places = i64::from(places);
                let (min, max) = if modify_type == RESOURCE_ADD { (2, 120 - places) } else { (2, places - 1) };
                limits::range(
                    &format!("modifyNum (the conference has {places} member places, 1..120 allowed)"),
                    modify_num,
                    min,
                    max,
                )?;
            }
            Ok(())
        })()
        .map_err(|e| e.in_operation(OP))?;
        let body = ModifyResourceBody { modify_type, modify_num };
        self.send(OP, Method::POST, &self.conf_path("modifyconfresource"), Some(&body), opts).await?;
        let delta = if modify_type == RESOURCE_ADD { modify_num } else { -modify_num };
        self.0.confs.local(Local::Resource(delta as i32));
        Ok(())
    }

    /// `GET agentconf/{agentid}/queryvdnconfid` (inspector; log name `queryAllConfIds`):
    /// the ids of every conference of the agent's VDN.
    pub async fn query_vdn_conf_ids(&self, opts: &CallOptions) -> Result<Vec<i64>> {
        const OP: &str = "queryAllConfIds";
        let answer = self.send::<()>(OP, Method::GET, &self.conf_path("queryvdnconfid"), None, opts).await?;
        Ok(answer_result::<Option<VdnConfIds>>(OP, &answer)?.unwrap_or_default().conf_ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(t: i64, a: &str) -> Participant {
        Participant { address_type: t, address: a.into(), device_call_type: None, device_type: None }
    }

    #[test]
    fn batch_add_limits() {
        let mut r = BatchAddRequest { participants: vec![p(6, "70005")], ..Default::default() };
        assert!(r.validate().is_ok());
        r.participants = (0..121).map(|i| p(6, &i.to_string())).collect();
        assert_eq!(r.validate().unwrap_err().status, CCGW_E_TOO_MANY);
        r.participants = vec![p(7, "1")];
        assert_eq!(r.validate().unwrap_err().status, CCGW_E_OUT_OF_RANGE);
        r.participants = vec![Participant { device_type: Some(256), ..p(9, "153") }];
        assert_eq!(r.validate().unwrap_err().status, CCGW_E_OUT_OF_RANGE);
        r.participants = vec![p(9, "153")];
        r.beep_tone = Some(true);
        assert_eq!(r.validate().unwrap_err().status, CCGW_E_MISSING_ARGUMENT);
        r.voice_path = Some("y:/conf/120/1136287.V3".into());
        r.play_mode = Some(1);
        assert_eq!(r.validate().unwrap_err().status, CCGW_E_OUT_OF_RANGE);
        r.play_mode = Some(2);
        assert!(r.validate().is_ok());
    }

    #[test]
    fn batch_add_body_matches_the_sample() {
        let r = BatchAddRequest {
            participants: vec![Participant {
                address_type: 9,
                address: "2002".into(),
                device_call_type: Some(1),
                device_type: Some(66),
            }],
            beep_tone: Some(false),
            play_mode: Some(2),
            voice_path: Some("y:/conf/120/1136287.V3".into()),
            caller: Some("1111".into()),
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"addresses": [{"address": "2002", "addressType": "9", "deviceCallType": 1, "deviceType": 66}],
                   "beepTone": false, "playMode": 2, "voicePath": "y:/conf/120/1136287.V3", "caller": "1111"})
        );
    }

    #[test]
    fn both_query_shapes_parse() {
        let conf = json!({"confId": 1029888, "confState": 0, "startTime": 1475745454000i64, "applyConfTime": 60,
            "confHaveBeenTime": "29", "extra": true,
            "addresses": [{"addressType": "6", "address": "70005", "deviceCallType": 0, "deviceType": 0,
                           "channelAttrib": 3, "channelState": 0, "role": 0, "enterTime": 1475745464000i64}]});
        let a = parse_conf_list(Some(&json!({"confs": [conf.clone()]}))).unwrap();
        let b = parse_conf_list(Some(&json!([conf]))).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].conf_have_been_time, 29);
        assert_eq!(a[0].participants[0].address_type, 6);
        assert_eq!(parse_conf_list(Some(&json!({}))).unwrap(), vec![]);
        assert_eq!(parse_conf_list(Some(&json!("x"))).unwrap_err().status, CCGW_E_MALFORMED_RESPONSE);
        assert_eq!(
            parse_conf_list(Some(&json!([{"confState": 1u64 << 40}]))).unwrap_err().status,
            CCGW_E_MALFORMED_RESPONSE
        );
    }

    /// The typings the answer may use, read from the answer's text and from a JSON value
    /// alike: numbers as strings (trimmed) and integral floats, absent or null as -1, text
    /// as a string or a number, the last of a member given twice, unknown members ignored.
    #[test]
    fn lenient_typings_read_the_same_from_text_and_value() {
        let read = |text: &str| -> Result<Vec<ConfInfo>> {
            let from_text = serde_json::from_str::<ConfList>(text)
                .map(|l| l.0)
                .map_err(|e| malformed(crate::wire::stream::message(&e)));
            let from_value = parse_conf_list(Some(&serde_json::from_str::<Value>(text).unwrap()));
            match (&from_text, &from_value) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(a), Err(b)) => assert_eq!((a.status, &a.message), (b.status, &b.message), "{text}"),
                _ => panic!("{text}: {from_text:?} / {from_value:?}"),
            }
            from_text
        };
        let c = &read(
            r#"{"confs":[{"confId":"1029888","confState":" 1 ","startTime":1.475745454e12,"applyConfTime":null,
               "confId":7,"x":{"y":[1,2]},"addresses":[{"addressType":"9","address":70005,"role":1.0,
               "enterTime":"-5"},{"address":true},{}]}],"other":1}"#,
        )
        .unwrap()[0];
        assert_eq!(
            (c.conf_id, c.conf_state, c.start_time, c.apply_conf_time, c.conf_have_been_time),
            (7, 1, 1475745454000, -1, -1)
        );
        let p = &c.participants;
        assert_eq!((p[0].address_type, p[0].address.as_str(), p[0].role, p[0].enter_time), (9, "70005", 1, -5));
        assert_eq!((p[1].address.as_str(), p[1].address_type), ("", -1));
        assert_eq!(p[2], ConfParticipant { address: String::new(), ..p[1].clone() });
        // Beyond i64: as a JSON value reads it (through f64, saturating).
        assert_eq!(read(r#"[{"confId":18446744073709551615}]"#).unwrap()[0].conf_id, i64::MAX);
        assert!(read("null").unwrap().is_empty());
        assert!(read(r#"{"confs":null}"#).unwrap().is_empty());
        for (bad, why) in [
            (r#"[{"confState":""}]"#, "confState is not a 32-bit integer"),
            (r#"[{"confId":1.5}]"#, "confId is not an integer"),
            (r#"[{"confId":true}]"#, "confId is not an integer"),
            (r#"[{"startTime":[1]}]"#, "startTime is not an integer"),
            (r#"[{"applyConfTime":2147483648}]"#, "applyConfTime is not a 32-bit integer"),
            (r#"[{"addresses":[{"role":"x"}]}]"#, "role is not a 32-bit integer"),
            (r#"[1]"#, "conference 0 is not an object"),
            (r#"[{},{"addresses":{}}]"#, "conference 1 addresses is not an array"),
            (r#"[{"addresses":[{},"a"]}]"#, "conference 0 participant 1 is not an object"),
            (r#"{"confs":{}}"#, "result.confs is not an array"),
            (r#""x""#, "result is neither an array nor an object"),
            ("7", "result is neither an array nor an object"),
        ] {
            let e = read(bad).unwrap_err();
            assert_eq!(
                (e.status, e.message.as_str()),
                (CCGW_E_MALFORMED_RESPONSE, format!("queryConfInfos: {why}").as_str()),
                "{bad}"
            );
        }
    }
}
