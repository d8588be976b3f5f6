//! The live conference view against the simulator: a seeded random walk of conference
//! operations (the chair's typed calls) and participant actions injected through the
//! simulator's control API; after every step the chair's view equals the simulator's
//! `queryconfinfos` view of the conference, up to what events cannot carry (an inferred
//! `channelAttrib` agrees on whether the participant can speak; times agree within a
//! second); every 100 steps a resync makes it exact.

mod common;

use ccgw::confview::ConfView;
use ccgw::ffi::agentconf::*;
use ccgw::ffi::conf::{CCGW_ADDRESS_AGENT, CCGW_ADDRESS_PHONE};
use ccgw::status::*;
use ccgw_sim::faults::SplitMix64;
use common::conf::*;
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Compares the view of `conf` with the simulator's. `exact`: attributes and times too.
fn compare(view: &[ConfView], sim_conf: &Value, member_num: i64, exact: bool) -> Result<(), String> {
    let v = view
        .iter()
        .find(|c| Some(c.conf_id) == sim_conf["confId"].as_i64())
        .ok_or_else(|| format!("conference {} is not in the view {view:?}", sim_conf["confId"]))?;
    let near = |a: i64, b: i64| if exact { a == b } else { (a - b).abs() <= 1_000 };
    let mut problems = Vec::new();
    if !v.synced {
        problems.push("the view is not synced".to_string());
    }
    if i64::from(v.conf_state) != sim_conf["confState"].as_i64().unwrap() {
        problems.push(format!("confState {} vs {}", v.conf_state, sim_conf["confState"]));
    }
    if i64::from(v.apply_conf_time) != sim_conf["applyConfTime"].as_i64().unwrap() {
        problems.push(format!("applyConfTime {} vs {}", v.apply_conf_time, sim_conf["applyConfTime"]));
    }
    if i64::from(v.member_num) != member_num {
        problems.push(format!("memberNum {} vs {member_num}", v.member_num));
    }
    if !near(v.start_time, sim_conf["startTime"].as_i64().unwrap()) {
        problems.push(format!("startTime {} vs {}", v.start_time, sim_conf["startTime"]));
    }
    let theirs = sim_conf["addresses"].as_array().unwrap();
    if theirs.len() != v.participants.len() {
        problems.push(format!(
            "participants {:?} vs {:?}",
            v.participants.iter().map(|p| &p.address).collect::<Vec<_>>(),
            theirs.iter().map(|p| &p["address"]).collect::<Vec<_>>()
        ));
    }
    for (i, t) in theirs.iter().enumerate() {
        let int = |k: &str| t[k].as_i64().or_else(|| t[k].as_str().and_then(|s| s.parse().ok())).unwrap();
        let Some(p) = v
            .participants
            .iter()
            .find(|p| i64::from(p.address_type) == int("addressType") && p.address == t["address"])
        else {
            problems.push(format!("{} missing from the view", t["address"]));
            continue;
        };
        let who = &p.address;
        if v.participants.get(i).map(|q| &q.address) != Some(who) {
            problems.push(format!("{who}: not in join order"));
        }
        for (name, mine, theirs) in [
            ("deviceCallType", p.device_call_type, int("deviceCallType")),
            ("deviceType", p.device_type, int("deviceType")),
            ("channelState", p.channel_state(), int("channelState")),
            ("role", p.role, int("role")),
        ] {
            if i64::from(mine) != theirs {
                problems.push(format!("{who}: {name} {mine} vs {theirs}"));
            }
        }
        let attrib = int("channelAttrib");
        let speaks = |a: i64| matches!(a, 2 | 3);
        let same = if p.attrib_inferred && !exact {
            speaks(i64::from(p.channel_attrib)) == speaks(attrib)
        } else {
            i64::from(p.channel_attrib) == attrib
        };
        if !same || (exact && p.attrib_inferred) {
            problems.push(format!(
                "{who}: channelAttrib {} (inferred {}) vs {attrib}",
                p.channel_attrib, p.attrib_inferred
            ));
        }
        if !near(p.enter_time, int("enterTime")) {
            problems.push(format!("{who}: enterTime {} vs {}", p.enter_time, int("enterTime")));
        }
        if p.is_self != (p.address_type == 9 && p.address == "701") {
            problems.push(format!("{who}: is_self {}", p.is_self));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The walk's state, as the test drives it.
struct Walk {
    sim: ccgw_sim::Simulator,
    chair: S,
    /// Agent sessions that can be invited (auto-answering), with the pump running.
    agents: Vec<(String, S)>,
    conf: i64,
    rng: SplitMix64,
    /// The chair's events taken so far, by the simulator's sequence number.
    seen_seq: u64,
    next_phone: u32,
    /// Steps by kind, for the report.
    counts: std::collections::BTreeMap<&'static str, u32>,
}

impl Walk {
    fn pick<T: Clone>(&mut self, v: &[T]) -> Option<T> {
        (!v.is_empty()).then(|| v[self.rng.below(v.len() as u64) as usize].clone())
    }

    fn sim_conf(&self) -> Value {
        self.sim.conf_info(self.conf as u64).expect("the conference exists")
    }

    fn member_num(&self) -> i64 {
        let all = self.sim.confs();
        let c = all["confs"].as_array().unwrap().iter().find(|c| c["confId"] == self.conf).unwrap().clone();
        c["memberNum"].as_i64().unwrap()
    }

    /// Joined participants other than the chair: (type, address).
    fn others(&self) -> Vec<(i32, String)> {
        let c = self.sim_conf();
        let chair = self.chair_id();
        c["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["address"] != chair.as_str())
            .map(|p| (p["addressType"].as_str().unwrap().parse().unwrap(), p["address"].as_str().unwrap().to_string()))
            .collect()
    }

    fn chair_id(&self) -> String {
        let all = self.sim.confs();
        all["confs"].as_array().unwrap().iter().find(|c| c["confId"] == self.conf).unwrap()["chair"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Pending invitees (invited, not joined).
    fn pending(&self) -> Vec<(i32, String)> {
        let all = self.sim.confs();
        let c = all["confs"].as_array().unwrap().iter().find(|c| c["confId"] == self.conf).unwrap().clone();
        c["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["joined"] == false)
            .map(|m| (m["addressType"].as_str().unwrap().parse().unwrap(), m["address"].as_str().unwrap().to_string()))
            .collect()
    }

    fn free_agents(&self) -> Vec<String> {
        self.agents
            .iter()
            .filter(|(id, _)| self.sim.agent_state(id.parse().unwrap())["conf"].is_null())
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Waits until the simulator has answered every invitation that answers by itself
    /// (phones 78xxx and auto-answering agents), then until the chair has taken every event
    /// the simulator queued for it: the view has seen them all.
    fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.pending().iter().any(|(t, a)| *t == CCGW_ADDRESS_AGENT || a.starts_with("78")) {
            assert!(Instant::now() < deadline, "invitations did not settle");
            std::thread::sleep(Duration::from_millis(2));
        }
        let target = self.sim.agent_state(701)["lastSeq"].as_u64().unwrap();
        while self.seen_seq < target {
            match next_event(&self.chair, 5_000) {
                Ok(e) => {
                    if let Some(seq) = e.sim_seq() {
                        self.seen_seq = seq;
                    }
                }
                Err(st) => panic!("the chair's events stopped: {st} (seen {} of {target})", self.seen_seq),
            }
        }
    }

    fn phone(&mut self, answers: bool) -> String {
        self.next_phone += 1;
        format!("{}{:04}", if answers { 78 } else { 79 }, self.next_phone)
    }

    fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    fn control(&mut self, what: &'static str, body: Value) {
        self.sim.participant(self.conf as u64, &body).unwrap_or_else(|e| panic!("{what} {body}: {e}"));
        self.count(what);
    }

    /// One random step; returns what it did.
    fn step(&mut self) -> String {
        // The chair is this session unless a hand-over is in flight (then give it back).
        if self.chair_id() != "701" {
            let holder = self.chair_id();
            let s = &self.agents.iter().find(|(id, _)| *id == holder).unwrap().1;
            expect(shift(s, "701"), CCGW_OK);
            self.count("chair back");
            return format!("{holder} hands the chair back");
        }
        let others = self.others();
        let target = self.pick(&others);
        let roll = self.rng.below(100);
        match (roll, target) {
            (0..=11, _) if others.len() < 40 => {
                let n = 1 + self.rng.below(3) as usize;
                let mut list: Vec<(i32, String)> = Vec::new();
                for _ in 0..n {
                    let kind = self.rng.below(10);
                    if kind < 2 {
                        if let Some(a) = self.pick(&self.free_agents()) {
                            if !list.iter().any(|(_, x)| *x == a) {
                                list.push((CCGW_ADDRESS_AGENT, a));
                            }
                            continue;
                        }
                    }
                    let p = self.phone(kind >= 4);
                    list.push((CCGW_ADDRESS_PHONE, p));
                }
                let refs: Vec<(i32, &str)> = list.iter().map(|(t, a)| (*t, a.as_str())).collect();
                let mut inv = invitees(&refs);
                for p in inv.list.iter_mut() {
                    p.device_call_type = self.rng.below(3) as i32;
                    p.device_type = self.rng.below(3) as i32;
                }
                expect(batch_add(&self.chair, &inv, |_| {}), CCGW_OK);
                self.count("invite");
                format!("invite {list:?}")
            }
            (12..=17, Some(_)) => {
                let mut list = vec![];
                for _ in 0..1 + self.rng.below(2) {
                    if let Some(t) = self.pick(&others) {
                        list.push(t);
                    }
                }
                if let Some(p) = self.pick(&self.pending()) {
                    list.push(p);
                }
                list.dedup();
                let refs: Vec<(i32, &str)> = list.iter().map(|(t, a)| (*t, a.as_str())).collect();
                expect(remove(&self.chair, &refs).0, CCGW_OK);
                self.count("remove");
                format!("remove {list:?}")
            }
            (18..=25, Some((t, a))) => {
                expect(hold(&self.chair, t, &a, Some("y:/conf/1/hold.V3")), CCGW_OK);
                self.count("hold");
                format!("hold {a}")
            }
            (26..=32, Some((t, a))) => {
                expect(unhold(&self.chair, t, &a), CCGW_OK);
                self.count("unhold");
                format!("unhold {a}")
            }
            (33..=40, Some((t, a))) => {
                let attr = 1 + self.rng.below(4) as i32;
                expect(mode(&self.chair, t, &a, attr), CCGW_OK);
                self.count("mode");
                format!("mode {a} {attr}")
            }
            (41..=45, Some((t, a))) => {
                expect(play_part(&self.chair, t, &a, "y:/conf/1/part.V3"), CCGW_OK);
                self.count("play to participant");
                format!("play to {a}")
            }
            (46..=50, Some((t, a))) => {
                expect(stop_part(&self.chair, t, &a), CCGW_OK);
                self.count("stop participant voice");
                format!("stop voice of {a}")
            }
            (51..=53, _) => {
                expect(play_conf(&self.chair, "y:/conf/1/all.V3"), CCGW_OK);
                self.count("play to conference");
                "play to the conference".into()
            }
            (54..=56, _) => {
                expect(stop_conf(&self.chair), CCGW_OK);
                self.count("stop conference voice");
                "stop the conference's voice".into()
            }
            (57..=58, _) => {
                let apply = self.sim_conf()["applyConfTime"].as_i64().unwrap();
                let m = 1 + self.rng.below(3) as i32;
                let want = if apply + i64::from(m) <= 1440 { CCGW_OK } else { CCGW_E_OUT_OF_RANGE };
                expect(prolong(&self.chair, m), want);
                self.count("prolong");
                format!("prolong {m}")
            }
            (59..=60, _) => {
                let places = self.member_num();
                let (kind, num) = if places > 60 { (CCGW_RESOURCE_REMOVE, 2) } else { (CCGW_RESOURCE_ADD, 2) };
                expect(resource(&self.chair, kind, num), CCGW_OK);
                self.count("resource");
                format!("resource {kind} {num}")
            }
            (61..=62, Some((CCGW_ADDRESS_AGENT, a))) => {
                expect(shift(&self.chair, &a), CCGW_OK);
                self.count("hand the chair over");
                format!("chair to {a}")
            }
            // Injected participant actions (never about the chair: the gateway tells the
            // others, not the subject).
            (63..=70, _) => {
                if let Some((t, a)) = self.pick(&self.pending()) {
                    self.control("inject join", json!({"addressType": t, "address": a, "action": "join"}));
                    format!("{a} answers")
                } else {
                    let p = self.phone(true);
                    self.control("inject dial-in", json!({"addressType": 6, "address": p, "action": "join"}));
                    format!("{p} dials in")
                }
            }
            (71..=73, _) => match self.pick(&self.pending()) {
                Some((t, a)) => {
                    let result = 1 + self.rng.below(30);
                    self.control(
                        "inject fail",
                        json!({"addressType": t, "address": a, "action": "fail", "result": result}),
                    );
                    format!("{a} fails")
                }
                None => "nothing pending".into(),
            },
            (74..=78, Some((t, a))) => {
                let reason = self.rng.below(7);
                self.control(
                    "inject leave",
                    json!({"addressType": t, "address": a, "action": "leave", "reason": reason}),
                );
                format!("{a} leaves ({reason})")
            }
            (79..=89, Some((t, a))) => {
                let actions = ["hold", "unhold", "mute", "unmute", "mode"];
                let action = actions[self.rng.below(5) as usize];
                let mut body = json!({"addressType": t, "address": a, "action": action});
                if action == "mode" {
                    body["attribute"] = json!(1 + self.rng.below(4));
                }
                self.control("inject change", body.clone());
                format!("{a} {action} {}", body["attribute"])
            }
            _ => "nothing".into(),
        }
    }
}

#[test]
fn random_walk_of_2000_steps_keeps_the_view_equal_to_the_gateway() {
    const STEPS: usize = 2_000;
    let seed = std::env::var("CCGW_WALK_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_c0f3);
    let sim = sim(json!({
        "announcement_ms": 0,
        "answer_rules": [{"prefix": "79", "outcome": "never"}],
        "poll_wait_ms": 2000,
    }));
    let chair = pumped(&sim, "701");
    let agents: Vec<(String, S)> = (702..708).map(|id| (id.to_string(), pumped(&sim, &id.to_string()))).collect();
    expect(request_conf(&chair, 60, |_| {}), CCGW_OK);
    let granted = wait_event(&chair, "AgentConf_RequestSuccess").0;
    let conf = granted.conf_id;
    let mut walk = Walk {
        sim,
        chair,
        agents,
        conf,
        rng: SplitMix64(seed),
        seen_seq: granted.sim_seq().unwrap(),
        next_phone: 0,
        counts: Default::default(),
    };
    walk.settle();
    let started = Instant::now();
    let mut resyncs = 0;
    for step in 0..STEPS {
        let what = walk.step();
        walk.settle();
        let sim_conf = walk.sim_conf();
        let member_num = walk.member_num();
        if let Err(e) = compare(&view(&walk.chair), &sim_conf, member_num, false) {
            panic!("seed {seed:#x} step {step} ({what}): the view differs: {e}\nsim: {sim_conf}");
        }
        if step % 100 == 99 {
            expect(resync(&walk.chair, &[]), CCGW_OK);
            resyncs += 1;
            if let Err(e) = compare(&view(&walk.chair), &walk.sim_conf(), member_num, true) {
                panic!("seed {seed:#x} step {step}: after a resync the view differs: {e}");
            }
        }
    }
    let participants = walk.sim_conf()["addresses"].as_array().unwrap().len();
    eprintln!(
        "random walk, seed {seed:#x}: {STEPS} steps in {:?}, {resyncs} resyncs, {participants} participants at the end; {:?}",
        started.elapsed(),
        walk.counts
    );
    assert!(walk.counts.values().filter(|&&n| n > 0).count() >= 15, "every kind of step ran: {:?}", walk.counts);
}
