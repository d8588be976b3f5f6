//! The `agentconf` family's seed operations: `batchaddparticipant`, `holdparticipant`
//! and `queryconfinfos` (seed pages 000-002). Every limit of their tables is checked
//! before anything is sent.

use crate::error::{Error, Result};
use crate::limits::{self, Unit};
use crate::session::{lenient_i64, lenient_string, CallOptions, Session};
use crate::status::*;
use serde_json::{json, Map, Value};

/// `addressType` 6: a phone number.
pub const ADDRESS_PHONE: i64 = 6;
/// `addressType` 9: an agent id.
pub const ADDRESS_AGENT: i64 = 9;

fn check_address_type(field: &str, t: i64) -> Result<()> {
    limits::one_of(field, t, &[ADDRESS_PHONE, ADDRESS_AGENT], "6 (phone number) or 9 (agent id)")
}

/// One invitee of `batchaddparticipant` (Table 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub address_type: i64,
    pub address: String,
    /// 0-255; `None` leaves it to the gateway's default (0).
    pub device_call_type: Option<i64>,
    /// 0-255; `None` leaves it to the gateway's default (0).
    pub device_type: Option<i64>,
}

/// `batchaddparticipant` (Table 3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchAddRequest {
    pub participants: Vec<Participant>,
    pub beep_tone: Option<bool>,
    pub play_mode: Option<i64>,
    pub voice_path: Option<String>,
    pub caller: Option<String>,
}

impl BatchAddRequest {
    pub fn validate(&self) -> Result<()> {
        limits::count("addresses", self.participants.len(), 120)?;
        for (i, p) in self.participants.iter().enumerate() {
            check_address_type(&format!("addresses[{i}].addressType"), p.address_type)?;
            limits::required(&format!("addresses[{i}].address"), Some(&p.address), 24, Unit::Chars)?;
            if let Some(v) = p.device_call_type {
                limits::range(&format!("addresses[{i}].deviceCallType"), v, 0, 255)?;
            }
            if let Some(v) = p.device_type {
                limits::range(&format!("addresses[{i}].deviceType"), v, 0, 255)?;
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

    pub fn to_json(&self) -> Value {
        let addresses: Vec<Value> = self
            .participants
            .iter()
            .map(|p| {
                let mut a = json!({"addressType": p.address_type.to_string(), "address": p.address});
                if let Some(v) = p.device_call_type {
                    a["deviceCallType"] = json!(v);
                }
                if let Some(v) = p.device_type {
                    a["deviceType"] = json!(v);
                }
                a
            })
            .collect();
        let mut m = Map::new();
        m.insert("addresses".into(), Value::Array(addresses));
        if let Some(b) = self.beep_tone {
            m.insert("beepTone".into(), json!(b));
        }
        if let Some(p) = self.play_mode {
            m.insert("playMode".into(), json!(p));
        }
        if let Some(v) = &self.voice_path {
            m.insert("voicePath".into(), json!(v));
        }
        if let Some(c) = &self.caller {
            m.insert("caller".into(), json!(c));
        }
        Value::Object(m)
    }
}

/// `holdparticipant` (Table 3): who to hold and the announcement the held party hears.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HoldRequest {
    pub address_type: i64,
    pub address: String,
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

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "addressType": self.address_type.to_string(),
            "address": self.address,
            "voicePath": self.voice_path,
        });
        if let Some(m) = self.play_mode {
            v["playMode"] = json!(m);
        }
        v
    }
}

/// At most this many ids per `queryconfinfos`.
pub const QUERY_MAX_IDS: usize = 20;

pub fn validate_conf_ids(ids: &[i64]) -> Result<()> {
    limits::count("confIds", ids.len(), QUERY_MAX_IDS)?;
    for (i, id) in ids.iter().enumerate() {
        limits::range(&format!("confIds[{i}]"), *id, 0, i64::MAX)?;
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

/// An `int` field: -1 when absent, malformed when not an integer or beyond 32 bits.
fn int32(obj: &Map<String, Value>, key: &str) -> Result<i32> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(-1),
        v => lenient_i64(v)
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| malformed(format!("{key} is not a 32-bit integer"))),
    }
}

/// A `long` field: -1 when absent, malformed when not an integer.
fn int64(obj: &Map<String, Value>, key: &str) -> Result<i64> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(-1),
        v => lenient_i64(v).ok_or_else(|| malformed(format!("{key} is not an integer"))),
    }
}

/// Parses `result` in either documented shape: an array of conferences (the table) or
/// `{"confs": [...]}` (the sample). Unknown members are ignored.
pub fn parse_conf_list(result: Option<&Value>) -> Result<Vec<ConfInfo>> {
    let list = match result {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(Value::Object(o)) => match o.get("confs") {
            Some(Value::Array(a)) => a,
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(_) => return Err(malformed("result.confs is not an array".into())),
        },
        Some(_) => return Err(malformed("result is neither an array nor an object".into())),
    };
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            let c = c.as_object().ok_or_else(|| malformed(format!("conference {i} is not an object")))?;
            let parts = match c.get("addresses") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) => a
                    .iter()
                    .enumerate()
                    .map(|(j, p)| {
                        let p = p
                            .as_object()
                            .ok_or_else(|| malformed(format!("conference {i} participant {j} is not an object")))?;
                        Ok(ConfParticipant {
                            address_type: int32(p, "addressType")?,
                            address: lenient_string(p.get("address")),
                            device_call_type: int32(p, "deviceCallType")?,
                            device_type: int32(p, "deviceType")?,
                            channel_attrib: int32(p, "channelAttrib")?,
                            channel_state: int32(p, "channelState")?,
                            role: int32(p, "role")?,
                            enter_time: int64(p, "enterTime")?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
                Some(_) => return Err(malformed(format!("conference {i} addresses is not an array"))),
            };
            Ok(ConfInfo {
                conf_id: int64(c, "confId")?,
                conf_state: int32(c, "confState")?,
                start_time: int64(c, "startTime")?,
                apply_conf_time: int32(c, "applyConfTime")?,
                conf_have_been_time: int32(c, "confHaveBeenTime")?,
                participants: parts,
            })
        })
        .collect()
}

impl Session {
    /// `POST agentconf/{agentid}/batchaddparticipant` (chairperson only).
    pub async fn batch_add_participant(&self, req: &BatchAddRequest, opts: &CallOptions) -> Result<()> {
        const OP: &str = "batchAddParticipant";
        req.validate().map_err(|e| e.in_operation(OP))?;
        let path = format!("agentconf/{}/batchaddparticipant", self.agent_id());
        self.post(OP, &path, Some(&req.to_json()), opts).await.map(|_| ())
    }

    /// `POST agentconf/{agentid}/holdparticipant` (chairperson only).
    pub async fn hold_participant(&self, req: &HoldRequest, opts: &CallOptions) -> Result<()> {
        const OP: &str = "holdParticipant";
        req.validate().map_err(|e| e.in_operation(OP))?;
        let path = format!("agentconf/{}/holdparticipant", self.agent_id());
        self.post(OP, &path, Some(&req.to_json()), opts).await.map(|_| ())
    }

    /// `POST agentconf/{agentid}/queryconfinfos`: the conferences among `conf_ids` the
    /// agent may see (an inspector: all of its VDN; others: their own).
    pub async fn query_conf_infos(&self, conf_ids: &[i64], opts: &CallOptions) -> Result<Vec<ConfInfo>> {
        const OP: &str = "queryConfInfos";
        validate_conf_ids(conf_ids).map_err(|e| e.in_operation(OP))?;
        let path = format!("agentconf/{}/queryconfinfos", self.agent_id());
        let answer = self.post(OP, &path, Some(&json!({ "confIds": conf_ids })), opts).await?;
        parse_conf_list(answer.env.json.get("result")).map_err(|e| e.with_http_status(answer.env.http_status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            r.to_json(),
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
}
