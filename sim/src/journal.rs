//! The request journal: every gateway request with its masked headers and body and the
//! answer given, so tests can assert what a client sent (or that it sent nothing).
//! Guids appear as `<guid#N>` (the N-th Guid the simulator issued), passwords and
//! service tokens as `***`.

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: u64,
    pub at_ms: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Route key, as fault rules name routes.
    pub route: String,
    pub agent: Option<String>,
    pub headers: BTreeMap<String, String>,
    /// The body as JSON when it parsed, otherwise as text; absent when it was not read.
    pub body: Option<Value>,
    /// HTTP status sent; 0 when none was (reset, hang, client gone).
    pub status: u16,
    /// The gateway retcode answered, when the answer had one.
    pub retcode: Option<String>,
    /// The answer body as sent (masked).
    pub response: Option<Value>,
    /// The `Set-GUID` header of the answer (masked), when there was one.
    pub set_guid: Option<String>,
    pub fault: Option<String>,
    /// `pending`, `answered`, `reset`, `truncated`, `client_gone`, `hung`.
    pub outcome: String,
    pub duration_ms: u64,
}

#[derive(Debug, Default)]
pub struct Journal {
    entries: VecDeque<Entry>,
    next_id: u64,
}

impl Journal {
    pub fn push(&mut self, mut e: Entry, limit: usize) -> u64 {
        self.next_id += 1;
        e.id = self.next_id;
        self.entries.push_back(e);
        while self.entries.len() > limit {
            self.entries.pop_front();
        }
        self.next_id
    }

    pub fn update(&mut self, id: u64, f: impl FnOnce(&mut Entry)) {
        let Some(first) = self.entries.front().map(|e| e.id) else { return };
        if id < first {
            return;
        }
        if let Some(e) = self.entries.get_mut((id - first) as usize) {
            f(e);
        }
    }

    /// Entries with an id above `since`.
    pub fn since(&self, since: u64) -> Vec<Entry> {
        self.entries.iter().filter(|e| e.id > since).cloned().collect()
    }

    pub fn last_id(&self) -> u64 {
        self.next_id
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

const SECRET_KEYS: [&str; 4] = ["password", "servicetoken", "service_token", "oldpassword"];

/// Replaces secrets in a JSON body; `guid` members are relabelled by `label`.
pub fn mask_json(v: &mut Value, label: &dyn Fn(&str) -> String) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                let key = k.to_ascii_lowercase();
                if SECRET_KEYS.contains(&key.as_str()) {
                    *val = Value::String("***".into());
                } else if key == "guid" {
                    if let Value::String(g) = val {
                        *val = Value::String(label(g));
                    }
                } else {
                    mask_json(val, label);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| mask_json(x, label)),
        _ => {}
    }
}

/// Masks one header value.
pub fn mask_header(name: &str, value: &str, label: &dyn Fn(&str) -> String) -> String {
    match name.to_ascii_lowercase().as_str() {
        "guid" => label(value),
        "set-guid" => match value.split_once('=') {
            Some((k, g)) => format!("{k}={}", label(g)),
            None => label(value),
        },
        "authorization" | "cookie" | "service_token" | "servicetoken" => "***".to_string(),
        _ => value.to_string(),
    }
}

/// A body for the journal: JSON if it parses, else text (lossy), masked either way.
pub fn body_value(bytes: &[u8], label: &dyn Fn(&str) -> String) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut v) => {
            mask_json(&mut v, label);
            Some(v)
        }
        Err(_) => Some(Value::String(String::from_utf8_lossy(bytes).into_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked() {
        let label = |_: &str| "<guid#1>".to_string();
        let mut v =
            json!({"password": "pw", "nested": [{"Password": "x"}], "result": {"guid": "abc"}, "phonenum": "1"});
        mask_json(&mut v, &label);
        assert_eq!(
            v,
            json!({"password": "***", "nested": [{"Password": "***"}], "result": {"guid": "<guid#1>"}, "phonenum": "1"})
        );
        assert_eq!(mask_header("Guid", "abc", &label), "<guid#1>");
        assert_eq!(mask_header("Set-GUID", "JSESSIONID=abc", &label), "JSESSIONID=<guid#1>");
    }

    #[test]
    fn journal_is_bounded_and_updatable() {
        let mut j = Journal::default();
        let blank = || Entry {
            id: 0,
            at_ms: 0,
            method: "GET".into(),
            path: "/".into(),
            query: None,
            route: "x".into(),
            agent: None,
            headers: BTreeMap::new(),
            body: None,
            status: 0,
            retcode: None,
            response: None,
            set_guid: None,
            fault: None,
            outcome: "pending".into(),
            duration_ms: 0,
        };
        for _ in 0..5 {
            j.push(blank(), 3);
        }
        let all = j.since(0);
        assert_eq!(all.iter().map(|e| e.id).collect::<Vec<_>>(), vec![3, 4, 5]);
        j.update(4, |e| e.outcome = "answered".into());
        j.update(1, |e| e.outcome = "lost".into());
        assert_eq!(j.since(3)[0].outcome, "answered");
    }
}
