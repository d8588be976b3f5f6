//! Fault injection: rules that make chosen gateway requests fail in a chosen way, for
//! the next N matching requests or with a probability drawn from a seeded generator (so
//! a failing test can be replayed exactly).

use serde::{Deserialize, Serialize};

/// What a fault does to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait `delay_ms`, then process and answer normally.
    Delay,
    /// Answer HTTP `status` (500, 502 or 503) with an HTML page; not processed.
    HttpStatus,
    /// Process, then answer 200 with a body that is not valid JSON.
    MalformedJson,
    /// Process, then send part of the body and close the connection.
    TruncatedBody,
    /// Answer 200 `text/html` (a proxy's page); not processed.
    WrongContentType,
    /// Reset the connection (TCP RST) after reading the request head; not processed.
    ResetBefore,
    /// Process, then reset the connection instead of answering.
    ResetAfter,
    /// Never answer; the request is held until the client gives up (or `hang_limit_ms`).
    Hang,
    /// Answer with `retcode` (and `message`); not processed.
    Retcode,
    /// Answer `000-004` (agent switchover in progress); not processed.
    Switchover,
    /// Answer as if the Guid had expired (the `auth_failure_retcode`); not processed.
    GuidExpired,
}

impl FaultKind {
    /// Whether the simulator carries the request out before the fault shows.
    pub fn processes(self) -> bool {
        matches!(self, FaultKind::Delay | FaultKind::MalformedJson | FaultKind::TruncatedBody | FaultKind::ResetAfter)
    }
}

/// A fault rule as the control API takes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// Route key (`agentconf/batchaddparticipant`, `agentevent`, `onlineagent`,
    /// `voicecall/confjoin`, ...), a prefix ending in `*` (`agentconf/*`), or `*` for all.
    #[serde(default = "star")]
    pub route: String,
    /// Only requests for this agent id.
    #[serde(default)]
    pub agent: Option<String>,
    /// Only requests with this HTTP method.
    #[serde(default)]
    pub method: Option<String>,
    pub kind: FaultKind,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub retcode: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// Apply to this many matching requests, then retire. Default 1 when no probability is
    /// given; unlimited when a probability is given without a count.
    #[serde(default)]
    pub count: Option<u64>,
    /// Apply to each matching request with this probability (0..1).
    #[serde(default)]
    pub probability: Option<f64>,
    /// Seed of the generator behind `probability`.
    #[serde(default)]
    pub seed: Option<u64>,
}

fn star() -> String {
    "*".to_string()
}

impl FaultSpec {
    pub fn new(route: &str, kind: FaultKind) -> FaultSpec {
        FaultSpec {
            route: route.to_string(),
            agent: None,
            method: None,
            kind,
            delay_ms: None,
            status: None,
            retcode: None,
            message: None,
            count: None,
            probability: None,
            seed: None,
        }
    }

    pub fn times(mut self, n: u64) -> FaultSpec {
        self.count = Some(n);
        self
    }

    pub fn with_delay(mut self, ms: u64) -> FaultSpec {
        self.delay_ms = Some(ms);
        self
    }

    pub fn with_status(mut self, status: u16) -> FaultSpec {
        self.status = Some(status);
        self
    }

    pub fn with_retcode(mut self, retcode: &str) -> FaultSpec {
        self.retcode = Some(retcode.to_string());
        self
    }

    pub fn for_agent(mut self, agent: &str) -> FaultSpec {
        self.agent = Some(agent.to_string());
        self
    }

    pub fn with_probability(mut self, p: f64, seed: u64) -> FaultSpec {
        self.probability = Some(p);
        self.seed = Some(seed);
        self
    }

    pub fn check(&self) -> Result<(), String> {
        if let Some(p) = self.probability {
            if !(0.0..=1.0).contains(&p) {
                return Err("probability must be within 0..1".into());
            }
        }
        match self.kind {
            FaultKind::Delay if self.delay_ms.is_none() => Err("a delay fault needs delay_ms".into()),
            FaultKind::HttpStatus if !matches!(self.status, Some(500 | 502 | 503)) => {
                Err("an http_status fault needs status 500, 502 or 503".into())
            }
            FaultKind::Retcode if self.retcode.as_deref().is_none_or(str::is_empty) => {
                Err("a retcode fault needs retcode".into())
            }
            _ => Ok(()),
        }
    }

    fn matches(&self, route: &str, agent: Option<&str>, method: &str) -> bool {
        let route_ok = match self.route.strip_suffix('*') {
            Some(prefix) => route.starts_with(prefix),
            None => self.route == route,
        };
        route_ok
            && self.agent.as_deref().is_none_or(|a| Some(a) == agent)
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}

/// SplitMix64: small, fast, and fully determined by its seed. Fault rules draw from it; tests
/// use it for seeded random walks.
#[derive(Clone, Debug)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0; the modulo bias is negligible for small n).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

#[derive(Clone, Debug)]
struct Rule {
    id: u64,
    spec: FaultSpec,
    remaining: Option<u64>,
    rng: SplitMix64,
    hits: u64,
}

/// The installed rules, first match wins.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
    next_id: u64,
}

impl Faults {
    pub fn add(&mut self, spec: FaultSpec) -> Result<u64, String> {
        spec.check()?;
        self.next_id += 1;
        let remaining = match (spec.count, spec.probability) {
            (Some(n), _) => Some(n),
            (None, Some(_)) => None,
            (None, None) => Some(1),
        };
        let rng = SplitMix64(spec.seed.unwrap_or(0));
        self.rules.push(Rule { id: self.next_id, spec, remaining, rng, hits: 0 });
        Ok(self.next_id)
    }

    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        before != self.rules.len()
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The fault for this request, if a rule applies; consumes one use of it.
    pub fn pick(&mut self, route: &str, agent: Option<&str>, method: &str) -> Option<FaultSpec> {
        for i in 0..self.rules.len() {
            let rule = &mut self.rules[i];
            if !rule.spec.matches(route, agent, method) {
                continue;
            }
            if let Some(p) = rule.spec.probability {
                if rule.rng.next_f64() >= p {
                    continue;
                }
            }
            rule.hits += 1;
            let spec = rule.spec.clone();
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
                if *n == 0 {
                    self.rules.remove(i);
                }
            }
            return Some(spec);
        }
        None
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.rules
                .iter()
                .map(|r| {
                    let mut v = serde_json::to_value(&r.spec).unwrap_or_default();
                    v["id"] = r.id.into();
                    v["hits"] = r.hits.into();
                    v["remaining"] = serde_json::to_value(r.remaining).unwrap_or_default();
                    v
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_rules_retire_and_routes_match() {
        let mut f = Faults::default();
        f.add(FaultSpec::new("agentconf/*", FaultKind::Switchover).times(2)).unwrap();
        assert!(f.pick("voicecall/confjoin", Some("101"), "POST").is_none());
        assert!(f.pick("agentconf/holdparticipant", Some("101"), "POST").is_some());
        assert!(f.pick("agentconf/queryconfinfos", Some("101"), "POST").is_some());
        assert!(f.pick("agentconf/queryconfinfos", Some("101"), "POST").is_none());
    }

    #[test]
    fn probability_is_reproducible_from_the_seed() {
        let draw = |seed| {
            let mut f = Faults::default();
            f.add(FaultSpec::new("*", FaultKind::HttpStatus).with_status(503).with_probability(0.3, seed)).unwrap();
            (0..200).map(|_| f.pick("agentevent", None, "GET").is_some()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        let hits = draw(7).iter().filter(|h| **h).count();
        assert!((30..=90).contains(&hits), "{hits} hits of 200 at p=0.3");
    }

    #[test]
    fn bad_specs_are_refused() {
        let mut f = Faults::default();
        assert!(f.add(FaultSpec::new("*", FaultKind::HttpStatus).with_status(404)).is_err());
        assert!(f.add(FaultSpec::new("*", FaultKind::Delay)).is_err());
        assert!(f.add(FaultSpec::new("*", FaultKind::Retcode)).is_err());
    }
}
