//! The control API under `/sim/`: no Guid, plain JSON. It lets a test in any language
//! inject calls and events, read the journal, set faults, change settings and reset.
//! Each operation is also a method of [`crate::Simulator`] for Rust tests.

use crate::faults::FaultSpec;
use crate::server::{json_response, lock, HttpBody, Shared};
use crate::world::{ControlError, ParticipantAction};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// A control-API refusal: HTTP status and message.
pub type Refusal = (StatusCode, String);
pub type ControlResult = Result<Value, Refusal>;

fn bad(msg: impl Into<String>) -> Refusal {
    (StatusCode::BAD_REQUEST, msg.into())
}

fn conflict(msg: impl Into<String>) -> Refusal {
    (StatusCode::CONFLICT, msg.into())
}

fn agent_id(s: &str) -> Result<u32, Refusal> {
    crate::config::parse_agent_id(s).ok_or_else(|| bad(format!("{s:?} is not an agent id")))
}

fn str_member<'a>(body: &'a Value, key: &str) -> Result<Option<&'a str>, Refusal> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad(format!("{key} must be a string"))),
    }
}

/// Queues events for an agent: `{"eventType", "content", "repeat"}`, `{"raw"}` or
/// `{"events": [...]}` of either. Answers the count and the first and last sequence numbers.
pub fn inject_events(shared: &Arc<Shared>, agent: u32, body: &Value) -> ControlResult {
    let one = |w: &mut crate::world::World, e: &Value| -> Result<(u64, u64), Refusal> {
        if let Some(raw) = e.get("raw") {
            let seq = w.inject_raw(agent, raw.clone()).map_err(conflict)?;
            return Ok((seq, seq));
        }
        let ty = str_member(e, "eventType")?.ok_or_else(|| bad("eventType is required"))?;
        let content = e.get("content").cloned().unwrap_or(Value::Null);
        let repeat = match e.get("repeat") {
            None => 1,
            Some(v) => {
                v.as_u64().filter(|&n| (1..=1_000_000).contains(&n)).ok_or_else(|| bad("repeat must be 1..1000000"))?
            }
        };
        let mut first = 0;
        let mut last = 0;
        for i in 0..repeat {
            last = w.inject(agent, ty, content.clone()).map_err(conflict)?;
            if i == 0 {
                first = last;
            }
        }
        Ok((first, last))
    };
    shared.with_world(|w| {
        let list: Vec<&Value> = match body.get("events") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(_) => return Err(bad("events must be an array")),
            None => vec![body],
        };
        let mut first = None;
        let mut last = 0;
        for e in list {
            let (f, l) = one(w, e)?;
            first.get_or_insert(f);
            last = l;
        }
        let first = first.unwrap_or(0);
        Ok(json!({"firstSeq": first, "lastSeq": last, "count": if first == 0 { 0 } else { last - first + 1 }}))
    })
}

pub fn inbound(shared: &Arc<Shared>, agent: u32, body: &Value) -> ControlResult {
    let caller = str_member(body, "caller")?.unwrap_or("70005").to_string();
    let data = str_member(body, "callappdata")?.map(str::to_string);
    if caller.is_empty() || caller.len() > 24 {
        return Err(bad("caller must be 1..24 characters"));
    }
    shared.with_world(|w| w.inbound(agent, &caller, data)).map(|id| json!({"callid": id})).map_err(conflict)
}

pub fn hangup(shared: &Arc<Shared>, agent: u32, body: &Value) -> ControlResult {
    let callid = str_member(body, "callid")?;
    let number = str_member(body, "number")?;
    shared
        .with_world(|w| w.party_leaves(agent, callid, number, false))
        .map(|(callid, number)| json!({"callid": callid, "number": number}))
        .map_err(|f| conflict(f.message))
}

/// `POST /sim/confs/{id}/participants`: `{"addressType", "address", "action", "reason"?,
/// "result"?, "attribute"?}`; answers the conference as `queryconfinfos` shows it afterwards.
pub fn participant(shared: &Arc<Shared>, conf: u64, body: &Value) -> ControlResult {
    let action = str_member(body, "action")?.ok_or_else(|| bad("action is required"))?;
    let action = ParticipantAction::parse(action).ok_or_else(|| {
        bad(format!("unknown action {action:?} (join, fail, leave, hold, unhold, mute, unmute, mode)"))
    })?;
    let target = crate::validate::address_pair(body).map_err(|e| bad(e.0))?;
    let int = |key: &str| match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => crate::validate::lenient_int(v).map(Some).ok_or_else(|| bad(format!("{key} must be an integer"))),
    };
    let (reason, result, attribute) = (int("reason")?, int("result")?, int("attribute")?);
    shared.with_world(|w| w.control_participant(conf, action, &target, reason, result, attribute)).map_err(
        |e| match e {
            ControlError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ControlError::Conflict(m) => conflict(m),
        },
    )
}

fn status_refusal((status, msg): (u16, String)) -> Refusal {
    (StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), msg)
}

fn conf_id(s: &str) -> Result<u64, Refusal> {
    s.parse().map_err(|_| bad(format!("{s:?} is not a conference id")))
}

fn rss_and_threads() -> Value {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    json!({"rssKb": field("VmRSS:"), "threads": field("Threads:")})
}

pub fn stats(shared: &Arc<Shared>) -> Value {
    let mut v = rss_and_threads();
    v["connections"] = json!(shared.connections.load(Ordering::Relaxed));
    v["connectionsAccepted"] = json!(shared.accepted.load(Ordering::Relaxed));
    v["signedIn"] = json!(lock(&shared.world).signed_in_count());
    v["journalLastId"] = json!(lock(&shared.journal).last_id());
    v
}

pub fn update_settings(shared: &Arc<Shared>, patch: &Value) -> ControlResult {
    let mut w = lock(&shared.world);
    let merged = w.settings.merged(patch).map_err(bad)?;
    w.settings = merged;
    Ok(serde_json::to_value(&w.settings).unwrap_or_default())
}

fn journal(shared: &Arc<Shared>, query: Option<&str>) -> ControlResult {
    let mut since = 0;
    let mut route = None;
    let mut agent = None;
    for kv in query.unwrap_or("").split('&').filter(|s| !s.is_empty()) {
        match kv.split_once('=') {
            Some(("since", v)) => since = v.parse().map_err(|_| bad("since must be a number"))?,
            Some(("route", v)) => route = Some(v.to_string()),
            Some(("agent", v)) => agent = Some(v.to_string()),
            _ => return Err(bad(format!("unknown journal parameter {kv:?}"))),
        }
    }
    let j = lock(&shared.journal);
    let entries: Vec<Value> = j
        .since(since)
        .into_iter()
        .filter(|e| route.as_deref().is_none_or(|r| e.route == r))
        .filter(|e| agent.is_none() || e.agent == agent)
        .map(|e| serde_json::to_value(e).unwrap_or_default())
        .collect();
    Ok(json!({"entries": entries, "lastId": j.last_id()}))
}

async fn route(
    shared: &Arc<Shared>,
    method: &Method,
    segs: &[&str],
    query: Option<&str>,
    body: &Value,
) -> ControlResult {
    let agent_op = |f: fn(&mut crate::world::World, u32) -> Result<(), String>, id: &str| -> ControlResult {
        let id = agent_id(id)?;
        shared.with_world(|w| f(w, id)).map(|_| json!({"ok": true})).map_err(conflict)
    };
    match (method.as_str(), segs) {
        // Any node's own control route, through any node of the cluster (a node that is
        // down can still be read and configured this way).
        (_, ["cluster", "nodes", i, rest @ ..])
            if !rest.is_empty() && rest[0] != "cluster" && !matches!(rest, ["switchover" | "stop" | "restart"]) =>
        {
            let node = crate::cluster::node_shared(shared, i).map_err(status_refusal)?;
            Box::pin(route(&node, method, rest, query, body)).await
        }
        (m, ["cluster", rest @ ..]) => crate::cluster::control(shared, m, rest, body).await.map_err(status_refusal),
        ("GET", ["health"]) => Ok(json!({"status": "ok"})),
        ("GET", ["stats"]) => Ok(stats(shared)),
        ("GET", ["config"]) => Ok(serde_json::to_value(shared.settings()).unwrap_or_default()),
        ("PUT", ["config"]) => update_settings(shared, body),
        ("POST", ["reset"]) => {
            shared.reset();
            Ok(json!({"ok": true}))
        }
        ("GET", ["journal"]) => journal(shared, query),
        ("DELETE", ["journal"]) => {
            lock(&shared.journal).clear();
            Ok(json!({"ok": true}))
        }
        ("GET", ["faults"]) => Ok(lock(&shared.faults).to_json()),
        ("POST", ["faults"]) => {
            let spec: FaultSpec = serde_json::from_value(body.clone()).map_err(|e| bad(format!("fault: {e}")))?;
            lock(&shared.faults).add(spec).map(|id| json!({"id": id})).map_err(bad)
        }
        ("DELETE", ["faults"]) => {
            lock(&shared.faults).clear();
            Ok(json!({"ok": true}))
        }
        ("DELETE", ["faults", id]) => {
            let id: u64 = id.parse().map_err(|_| bad("fault id must be a number"))?;
            if lock(&shared.faults).remove(id) {
                Ok(json!({"ok": true}))
            } else {
                Err((StatusCode::NOT_FOUND, format!("no fault {id}")))
            }
        }
        ("GET", ["agents"]) => Ok(lock(&shared.world).agents_json()),
        ("GET", ["agents", id]) => Ok(lock(&shared.world).agent_json(agent_id(id)?)),
        ("POST", ["agents", id, "events"]) => inject_events(shared, agent_id(id)?, body),
        ("POST", ["agents", id, "inbound"]) => inbound(shared, agent_id(id)?, body),
        ("POST", ["agents", id, "hangup"]) => hangup(shared, agent_id(id)?, body),
        ("POST", ["agents", id, "signout"]) => agent_op(
            |w, id| {
                if !w.signed_in(id) {
                    return Err(format!("agent {id} is not signed in"));
                }
                w.sign_out(id, crate::world::SignOutReason::Control);
                Ok(())
            },
            id,
        ),
        ("POST", ["agents", id, "guid", "rotate"]) => agent_op(World::force_rotation, id),
        ("POST", ["agents", id, "guid", "expire"]) => agent_op(World::expire_guid, id),
        ("POST", ["agents", id, "calls", callid, verb @ ("answer" | "fail")]) => {
            let id = agent_id(id)?;
            let answer = *verb == "answer";
            shared.with_world(|w| w.remote_answer(id, callid, answer)).map(|_| json!({"ok": true})).map_err(conflict)
        }
        ("GET", ["confs"]) => Ok(lock(&shared.world).confs_json()),
        ("GET", ["confs", id]) => {
            let id = conf_id(id)?;
            lock(&shared.world).conf_info(id).ok_or_else(|| (StatusCode::NOT_FOUND, format!("no conference {id}")))
        }
        ("POST", ["confs", id, "participants"]) => participant(shared, conf_id(id)?, body),
        _ => Err((StatusCode::NOT_FOUND, format!("no control route {} /sim/{}", method, segs.join("/")))),
    }
}

use crate::world::World;

pub async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Response<HttpBody> {
    let method = req.method().clone();
    let path = req.uri().path().trim_end_matches('/').to_string();
    let query = req.uri().query().map(str::to_string);
    let bytes = match Limited::new(req.into_body(), 64 * 1024 * 1024).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return json_response(StatusCode::BAD_REQUEST, &json!({"error": format!("body: {e}")})),
    };
    let body: Value = if bytes.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                return json_response(StatusCode::BAD_REQUEST, &json!({"error": format!("body is not JSON: {e}")}))
            }
        }
    };
    let segs: Vec<&str> = path.split('/').skip(2).collect();
    match route(&shared, &method, &segs, query.as_deref(), &body).await {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err((status, msg)) => json_response(status, &json!({"error": msg})),
    }
}
