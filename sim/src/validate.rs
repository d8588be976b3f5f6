//! The gateway's own validation of request bodies. Every limit of the five seed pages
//! (and of the neighbouring interfaces the simulator serves) is checked here and a
//! violation is answered with `000-002`, so a client's validation can be compared with
//! the gateway's on the same inputs.
//!
//! The gateway's samples send numbers and booleans both as JSON values and as strings
//! (reference §1 "Number typing", §11.3, §11.6), so both are accepted.

use serde_json::{Map, Value};

/// A refused body: the field path and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid(pub String);

type R<T> = Result<T, Invalid>;

fn bad<T>(msg: impl Into<String>) -> R<T> {
    Err(Invalid(msg.into()))
}

pub fn object(body: &Value) -> R<&Map<String, Value>> {
    match body {
        Value::Object(m) => Ok(m),
        _ => bad("the message body must be a JSON object"),
    }
}

/// A member that is absent or `null` counts as not given.
fn member<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).filter(|v| !v.is_null())
}

pub fn lenient_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let t = s.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().ok()
            } else {
                None
            }
        }
        _ => None,
    }
}

pub fn lenient_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn opt_int(m: &Map<String, Value>, key: &str, min: i64, max: i64) -> R<Option<i64>> {
    match member(m, key) {
        None => Ok(None),
        Some(v) => match lenient_int(v) {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            Some(n) => bad(format!("{key}: {n} is outside {min}..{max}")),
            None => bad(format!("{key}: must be an integer")),
        },
    }
}

fn opt_bool(m: &Map<String, Value>, key: &str) -> R<Option<bool>> {
    match member(m, key) {
        None => Ok(None),
        Some(v) => lenient_bool(v).map(Some).ok_or_else(|| Invalid(format!("{key}: must be a boolean"))),
    }
}

/// How a text limit is counted: the seed pages say "characters" on most fields and
/// "bytes" on `holdparticipant.address` and `callappdata` ("16 KB").
#[derive(Clone, Copy)]
enum Unit {
    Chars,
    Bytes,
}

fn text_len(s: &str, unit: Unit) -> usize {
    match unit {
        Unit::Chars => s.chars().count(),
        Unit::Bytes => s.len(),
    }
}

fn opt_str(m: &Map<String, Value>, key: &str, max: usize, unit: Unit) -> R<Option<String>> {
    match member(m, key) {
        None => Ok(None),
        Some(Value::String(s)) => {
            let n = text_len(s, unit);
            if n > max {
                let what = match unit {
                    Unit::Chars => "characters",
                    Unit::Bytes => "bytes",
                };
                bad(format!("{key}: {n} {what}, at most {max}"))
            } else {
                Ok(Some(s.clone()))
            }
        }
        Some(_) => bad(format!("{key}: must be a string")),
    }
}

fn req_str(m: &Map<String, Value>, key: &str, max: usize, unit: Unit) -> R<String> {
    match opt_str(m, key, max, unit)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => bad(format!("{key}: is mandatory and must not be blank")),
    }
}

fn prefixed(prefix: &str, r: Invalid) -> Invalid {
    Invalid(format!("{prefix}.{}", r.0))
}

/// `addressType`: "6" phone number or "9" agent id, as string or number.
fn address_type(m: &Map<String, Value>) -> R<u8> {
    match member(m, "addressType").and_then(lenient_int) {
        Some(6) => Ok(6),
        Some(9) => Ok(9),
        Some(n) => bad(format!("addressType: {n} is neither 6 (phone number) nor 9 (agent id)")),
        None => bad("addressType: is mandatory, 6 (phone number) or 9 (agent id)"),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub address_type: u8,
    pub address: String,
    pub device_call_type: i64,
    pub device_type: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BatchAdd {
    pub addresses: Vec<Participant>,
    pub beep_tone: bool,
    pub play_mode: i64,
    pub voice_path: Option<String>,
    pub caller: Option<String>,
}

fn array<'a>(m: &'a Map<String, Value>, key: &str, min: usize, max: usize) -> R<&'a Vec<Value>> {
    match member(m, key) {
        Some(Value::Array(a)) if a.len() < min => bad(format!("{key}: {} entries, at least {min}", a.len())),
        Some(Value::Array(a)) if a.len() > max => bad(format!("{key}: {} entries, at most {max}", a.len())),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => bad(format!("{key}: must be an array")),
        None => bad(format!("{key}: is mandatory")),
    }
}

/// `agentconf/{id}/batchaddparticipant` (seed page 000, Tables 3 and 4).
pub fn batch_add(body: &Value) -> R<BatchAdd> {
    let m = object(body)?;
    let list = array(m, "addresses", 1, 120)?;
    let mut addresses = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let at = format!("addresses[{i}]");
        let e = object(entry).map_err(|r| prefixed(&at, r))?;
        let p = (|| {
            Ok(Participant {
                address_type: address_type(e)?,
                address: req_str(e, "address", 24, Unit::Chars)?,
                device_call_type: opt_int(e, "deviceCallType", 0, 255)?.unwrap_or(0),
                device_type: opt_int(e, "deviceType", 0, 255)?.unwrap_or(0),
            })
        })()
        .map_err(|r| prefixed(&at, r))?;
        addresses.push(p);
    }
    let beep_tone = opt_bool(m, "beepTone")?.unwrap_or(false);
    let play_mode = opt_int(m, "playMode", i32::MIN as i64, i32::MAX as i64)?;
    let voice_path = opt_str(m, "voicePath", 127, Unit::Chars)?;
    let caller = opt_str(m, "caller", 24, Unit::Chars)?;
    if beep_tone {
        if voice_path.as_deref().is_none_or(|p| p.trim().is_empty()) {
            return bad("voicePath: is mandatory when beepTone is true");
        }
        if let Some(pm) = play_mode {
            if pm != 2 {
                return bad(format!("playMode: must be 2 when beepTone is true, not {pm}"));
            }
        }
    }
    Ok(BatchAdd { addresses, beep_tone, play_mode: play_mode.unwrap_or(2), voice_path, caller })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub address_type: u8,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    pub target: Address,
    pub play_mode: i64,
    pub voice_path: String,
}

/// `agentconf/{id}/holdparticipant` (seed page 001, Table 3).
pub fn hold(body: &Value) -> R<Hold> {
    let m = object(body)?;
    Ok(Hold {
        target: Address { address_type: address_type(m)?, address: req_str(m, "address", 24, Unit::Bytes)? },
        play_mode: opt_int(m, "playMode", i32::MIN as i64, i32::MAX as i64)?.unwrap_or(2),
        voice_path: req_str(m, "voicePath", 127, Unit::Chars)?,
    })
}

/// `agentconf/{id}/unholdparticipant`: its body fields were not retrievable (reference §11.19);
/// the simulator takes the same address pair as `holdparticipant`.
pub fn unhold(body: &Value) -> R<Address> {
    let m = object(body)?;
    Ok(Address { address_type: address_type(m)?, address: req_str(m, "address", 24, Unit::Bytes)? })
}

/// An `addressType`/`address` pair (control API; address ≤ 24 characters).
pub fn address_pair(body: &Value) -> R<Address> {
    let m = object(body)?;
    Ok(Address { address_type: address_type(m)?, address: req_str(m, "address", 24, Unit::Chars)? })
}

/// `agentconf/{id}/queryconfinfos` (seed page 002, Table 3): 1 to 20 conference ids.
pub fn query(body: &Value) -> R<Vec<u64>> {
    let m = object(body)?;
    let list = array(m, "confIds", 1, 20)?;
    list.iter()
        .enumerate()
        .map(|(i, v)| match lenient_int(v) {
            Some(n) if n >= 0 => Ok(n as u64),
            _ => bad(format!("confIds[{i}]: must be a non-negative integer")),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfJoin {
    pub callid: String,
    pub callappdata: Option<String>,
}

/// Upper bound of `callappdata`: "16 KB".
pub const CALLAPPDATA_MAX_BYTES: usize = 16 * 1024;

/// `voicecall/{id}/confjoin` (seed page 003, Table 3).
pub fn conf_join(body: &Value) -> R<ConfJoin> {
    let m = object(body)?;
    Ok(ConfJoin {
        callid: req_str(m, "callid", usize::MAX, Unit::Chars)?,
        callappdata: opt_str(m, "callappdata", CALLAPPDATA_MAX_BYTES, Unit::Bytes)?,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestConf {
    pub member_num: i64,
    pub conf_caller_no: Option<String>,
    pub time: i64,
    pub prompt_time: i64,
    pub beep_tone: bool,
    pub voice_path: Option<String>,
}

/// `agentconf/{id}/requestagentconf` (reference §5).
pub fn request_conf(body: &Value) -> R<RequestConf> {
    let m = object(body)?;
    let member_num =
        opt_int(m, "memberNum", 1, 120)?.ok_or_else(|| Invalid("memberNum: is mandatory, 1..120".into()))?;
    let time = opt_int(m, "time", 4, 1440)?.unwrap_or(60);
    let mut prompt_time = opt_int(m, "promptTime", 3, 1440)?.unwrap_or(3);
    if prompt_time >= time {
        prompt_time = time - 1;
    }
    let beep_tone = opt_bool(m, "beepTone")?.unwrap_or(false);
    let voice_path = opt_str(m, "voicePath", 127, Unit::Chars)?;
    if beep_tone && voice_path.as_deref().is_none_or(|p| p.trim().is_empty()) {
        return bad("voicePath: is mandatory when beepTone is true");
    }
    opt_int(m, "playMode", i32::MIN as i64, i32::MAX as i64)?;
    Ok(RequestConf {
        member_num,
        conf_caller_no: opt_str(m, "confCallerNo", 24, Unit::Chars)?,
        time,
        prompt_time,
        beep_tone,
        voice_path,
    })
}

/// `agentconf/{id}/batchremoveparticipant` (reference §5): 1 to 30 addresses.
pub fn batch_remove(body: &Value) -> R<Vec<Address>> {
    let m = object(body)?;
    let list = array(m, "addresses", 1, 30)?;
    list.iter()
        .enumerate()
        .map(|(i, entry)| {
            let at = format!("addresses[{i}]");
            let e = object(entry).map_err(|r| prefixed(&at, r))?;
            Ok(Address {
                address_type: address_type(e).map_err(|r| prefixed(&at, r))?,
                address: req_str(e, "address", 24, Unit::Chars).map_err(|r| prefixed(&at, r))?,
            })
        })
        .collect()
}

/// `agentconf/{id}/changeparticipantmode` (reference §5): `attribute` 1 listen only,
/// 2 speak only, 3 both, 4 neither; the address pair.
pub fn change_mode(body: &Value) -> R<(Address, i64)> {
    let m = object(body)?;
    let attribute = opt_int(m, "attribute", 1, 4)?.ok_or_else(|| Invalid("attribute: is mandatory, 1..4".into()))?;
    Ok((Address { address_type: address_type(m)?, address: req_str(m, "address", 24, Unit::Chars)? }, attribute))
}

/// `agentconf/{id}/prolongtime` (reference §5): `prolongTime` 1-1440 minutes (the total is
/// checked against the conference).
pub fn prolong(body: &Value) -> R<i64> {
    let m = object(body)?;
    opt_int(m, "prolongTime", 1, 1440)?.ok_or_else(|| Invalid("prolongTime: is mandatory, 1..1440".into()))
}

/// `agentconf/{id}/applytoshiftpresident` (reference §5): `destAgentNo`, an agent id.
pub fn shift_president(body: &Value) -> R<u32> {
    let m = object(body)?;
    match member(m, "destAgentNo").map(lenient_int) {
        None => bad("destAgentNo: is mandatory"),
        Some(Some(n)) if (1..=i64::from(u32::MAX)).contains(&n) => Ok(n as u32),
        Some(_) => bad("destAgentNo: must be an agent id"),
    }
}

/// `agentconf/{id}/playvoicetoconf`: `playMode` and `voicePath` (≤ 127, mandatory), as the
/// other announcement pages of the family (reference §5, seed page 001).
pub fn play_to_conf(body: &Value) -> R<String> {
    let m = object(body)?;
    opt_int(m, "playMode", i32::MIN as i64, i32::MAX as i64)?;
    req_str(m, "voicePath", 127, Unit::Chars)
}

/// `agentconf/{id}/modifyconfresource` (reference §5): `modifyType` 0 add / 1 remove,
/// `modifyNum` 2-118.
pub fn modify_resource(body: &Value) -> R<(i64, i64)> {
    let m = object(body)?;
    let kind = opt_int(m, "modifyType", 0, 1)?.ok_or_else(|| Invalid("modifyType: is mandatory, 0 or 1".into()))?;
    let num = opt_int(m, "modifyNum", 2, 118)?.ok_or_else(|| Invalid("modifyNum: is mandatory, 2..118".into()))?;
    Ok((kind, num))
}

/// A dialled string of 1-24 digits, `*` and `#` (`callout.called`, `seconddialex?number=`).
pub fn dial_string(key: &str, value: Option<&str>) -> R<String> {
    match value {
        None | Some("") => bad(format!("{key}: is mandatory, 1..24 of digits, * and #")),
        Some(v) if v.chars().count() > 24 => bad(format!("{key}: {} characters, at most 24", v.chars().count())),
        Some(v) if !v.bytes().all(|b| b.is_ascii_digit() || b == b'*' || b == b'#') => {
            bad(format!("{key}: only digits, * and # are allowed"))
        }
        Some(v) => Ok(v.to_string()),
    }
}

/// `disconnect/{number}`: 1-24 digits (a phone number or an agent id).
pub fn party_number(value: &str) -> R<String> {
    if value.is_empty() || value.len() > 24 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return bad("number: must be 1..24 digits (a phone number or an agent id)");
    }
    Ok(value.to_string())
}

/// An optional boolean query parameter (`callinfo?isNoContainLastCall=`).
pub fn query_bool(key: &str, value: Option<&str>) -> R<bool> {
    match value {
        None | Some("") => Ok(false),
        Some(v) => {
            lenient_bool(&Value::String(v.to_string())).ok_or_else(|| Invalid(format!("{key}: must be true or false")))
        }
    }
}

/// `saybusy?reason=`: optional, 200-250 (reference §3.5).
pub fn busy_reason(value: Option<&str>) -> R<Option<i64>> {
    match value {
        None | Some("") => Ok(None),
        Some(v) => match lenient_int(&Value::String(v.to_string())) {
            Some(n) if (200..=250).contains(&n) => Ok(Some(n)),
            _ => bad("reason: must be an integer 200..250"),
        },
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignIn {
    pub password: String,
    pub phonenum: Option<String>,
    pub autoanswer: bool,
    pub status: i64,
    pub agenttype: i64,
}

/// Sign-in and forced sign-in bodies (reference §3.1). Refusals here are `100-001`/`100-011`
/// rather than `000-002`; the caller picks the code.
pub fn sign_in(body: &Value, forced: bool) -> R<SignIn> {
    let m = object(body)?;
    let password = opt_str(m, "password", 32, Unit::Chars)?.unwrap_or_default();
    let phonenum = opt_str(m, "phonenum", 24, Unit::Chars)?;
    if let Some(p) = &phonenum {
        if !p.bytes().all(|b| b.is_ascii_digit()) {
            return bad("phonenum: digits only");
        }
    }
    if forced && phonenum.as_deref().is_none_or(str::is_empty) {
        return bad("phonenum: is mandatory for forced sign-in");
    }
    let status = opt_int(m, "status", 3, 5)?.unwrap_or(4);
    let agenttype = match opt_int(m, "agenttype", 0, i32::MAX as i64)? {
        None => 4,
        Some(t @ (4 | 11)) => t,
        Some(t) => return bad(format!("agenttype: {t} is neither 4 nor 11")),
    };
    for key in ["autoenteridle", "releasephone", "phonelinkage", "checkInWebm", "checkInMailm", "listenStatus"] {
        opt_bool(m, key)?;
    }
    opt_str(m, "ip", 15, Unit::Chars)?;
    opt_str(m, "vcPhoneNumber", 24, Unit::Chars)?;
    Ok(SignIn { password, phonenum, autoanswer: opt_bool(m, "autoanswer")?.unwrap_or(true), status, agenttype })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Callout {
    pub called: String,
    pub caller: Option<String>,
    pub callappdata: Option<String>,
}

/// `voicecall/{id}/callout` (reference §6): `called` 1-24 of digits, `*`, `#`.
pub fn callout(body: &Value) -> R<Callout> {
    let m = object(body)?;
    let called = match member(m, "called") {
        None => return bad("called: is mandatory, 1..24 of digits, * and #"),
        Some(Value::String(c)) => dial_string("called", Some(c))?,
        Some(_) => return bad("called: must be a string"),
    };
    let caller = opt_str(m, "caller", 24, Unit::Chars)?;
    if let Some(c) = &caller {
        if !c.bytes().all(|b| b.is_ascii_digit()) {
            return bad("caller: digits only");
        }
    }
    opt_int(m, "skillid", 0, i32::MAX as i64)?;
    opt_int(m, "mediaability", 0, 2)?;
    Ok(Callout { called, caller, callappdata: opt_str(m, "callappdata", CALLAPPDATA_MAX_BYTES, Unit::Bytes)? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn addr(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!({"addressType": "6", "address": format!("7000{i}")})).collect()
    }

    #[test]
    fn batch_add_limits() {
        assert!(batch_add(&json!({"addresses": addr(120)})).is_ok());
        assert!(batch_add(&json!({"addresses": addr(121)})).is_err());
        assert!(batch_add(&json!({"addresses": []})).is_err());
        assert!(batch_add(&json!({"addresses": [{"addressType": 9, "address": "a".repeat(24)}]})).is_ok());
        assert!(batch_add(&json!({"addresses": [{"addressType": 9, "address": "a".repeat(25)}]})).is_err());
        assert!(batch_add(&json!({"addresses": [{"addressType": "7", "address": "1"}]})).is_err());
        assert!(batch_add(&json!({"addresses": [{"addressType": "6", "address": "1", "deviceType": 255}]})).is_ok());
        assert!(batch_add(&json!({"addresses": [{"addressType": "6", "address": "1", "deviceType": 256}]})).is_err());
        assert!(batch_add(&json!({"addresses": [{"addressType": "6", "address": "1", "deviceCallType": -1}]})).is_err());
        assert!(batch_add(&json!({"addresses": addr(1), "beepTone": true})).is_err());
        assert!(
            batch_add(&json!({"addresses": addr(1), "beepTone": true, "voicePath": "y:/a", "playMode": 1})).is_err()
        );
        assert!(batch_add(&json!({"addresses": addr(1), "beepTone": "true", "voicePath": "y:/a"})).is_ok());
        assert!(batch_add(&json!({"addresses": addr(1), "voicePath": "v".repeat(128)})).is_err());
        assert!(batch_add(&json!({"addresses": addr(1), "caller": "1".repeat(25)})).is_err());
    }

    #[test]
    fn hold_counts_address_bytes() {
        assert!(hold(&json!({"addressType": "6", "address": "1".repeat(24), "voicePath": "p"})).is_ok());
        // 12 two-byte characters are 24 bytes; 13 are 26.
        assert!(hold(&json!({"addressType": "6", "address": "é".repeat(12), "voicePath": "p"})).is_ok());
        assert!(hold(&json!({"addressType": "6", "address": "é".repeat(13), "voicePath": "p"})).is_err());
        assert!(hold(&json!({"addressType": "6", "address": "1"})).is_err());
    }

    #[test]
    fn query_and_confjoin_limits() {
        let ids: Vec<u64> = (0..20).collect();
        assert_eq!(query(&json!({"confIds": ids})).unwrap().len(), 20);
        let ids: Vec<u64> = (0..21).collect();
        assert!(query(&json!({"confIds": ids})).is_err());
        assert_eq!(query(&json!({"confIds": ["1029888"]})).unwrap(), vec![1029888]);
        assert!(conf_join(&json!({"callid": "  "})).is_err());
        assert!(conf_join(&json!({"callid": "1-1", "callappdata": "x".repeat(16384)})).is_ok());
        assert!(conf_join(&json!({"callid": "1-1", "callappdata": "x".repeat(16385)})).is_err());
    }
}
