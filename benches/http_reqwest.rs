//! The HTTP benchmark's raw reqwest clients (run by `benches/http/run.py`, not by
//! `cargo bench` on its own): the same two requests as the C clients, written as a Rust
//! developer would: the body serialised from typed structs, the answer deserialised into
//! typed structs (serde), the retcode checked.
//!
//! * `ct`: every caller thread drives its own current-thread runtime and client, one
//!   `block_on` per request (the design ccgw's lanes follow);
//! * `mt`: async tasks on one 2-worker multi-thread runtime (a client per session).
//!
//! argv: ct|mt batch|query URL CA-FILE REQUESTS THREADS SESSIONS WARMUP; prints one JSON line.

mod common;

use serde::{Deserialize, Serialize};
use std::sync::{Arc, Barrier};
use std::time::Instant;

const GUID: &str = "279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0";
const CONF_ID: i64 = 1029888;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Address<'a> {
    address: &'a str,
    address_type: &'a str,
    device_call_type: i32,
    device_type: i32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchAdd<'a> {
    addresses: Vec<Address<'a>>,
    beep_tone: bool,
    caller: &'a str,
    play_mode: i32,
    voice_path: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Query {
    conf_ids: Vec<i64>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    retcode: String,
    #[allow(dead_code)]
    message: Option<String>,
    result: Option<T>,
}

#[derive(Deserialize)]
struct Confs {
    confs: Vec<Conf>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Conf {
    conf_id: i64,
    conf_state: i32,
    start_time: i64,
    apply_conf_time: i32,
    conf_have_been_time: i32,
    addresses: Vec<Participant>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Participant {
    address_type: String,
    address: String,
    device_call_type: i32,
    device_type: i32,
    channel_attrib: i32,
    channel_state: i32,
    role: i32,
    enter_time: i64,
}

struct Bench {
    query: bool,
    url: String,
    pem: Vec<u8>,
}

fn client(b: &Bench) -> reqwest::Client {
    common::client_trusting(&b.pem)
}

/// One request; true when the answer is the expected one.
async fn one(b: &Bench, http: &reqwest::Client) -> bool {
    let body = if b.query {
        serde_json::to_vec(&Query { conf_ids: vec![CONF_ID] })
    } else {
        serde_json::to_vec(&BatchAdd {
            addresses: vec![Address { address: "2002", address_type: "9", device_call_type: 1, device_type: 66 }],
            beep_tone: false,
            caller: "1111",
            play_mode: 2,
            voice_path: "y:/conf/120/1136287.V3",
        })
    }
    .unwrap();
    let sent = http
        .post(&b.url)
        .header("Content-Type", "application/json; charset=UTF-8")
        .header("Guid", GUID)
        .body(body)
        .send()
        .await;
    let Ok(resp) = sent else { return false };
    if resp.status() != 200 {
        return false;
    }
    let Ok(bytes) = resp.bytes().await else { return false };
    if b.query {
        match serde_json::from_slice::<Envelope<Confs>>(&bytes) {
            Ok(e) => {
                e.retcode == "0"
                    && e.result.is_some_and(|r| {
                        r.confs.len() == 1 && r.confs[0].conf_id == CONF_ID && r.confs[0].addresses[1].address == "153"
                    })
            }
            Err(_) => false,
        }
    } else {
        matches!(serde_json::from_slice::<Envelope<serde::de::IgnoredAny>>(&bytes), Ok(e) if e.retcode == "0")
    }
}

fn cpu_ns() -> i128 {
    let mut r: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut r) };
    let tv = |t: libc::timeval| t.tv_sec as i128 * 1_000_000_000 + t.tv_usec as i128 * 1000;
    tv(r.ru_utime) + tv(r.ru_stime)
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    assert_eq!(a.len(), 9, "usage: http_reqwest ct|mt batch|query URL CA-FILE REQUESTS THREADS SESSIONS WARMUP");
    let mt = a[1] == "mt";
    let query = a[2] == "query";
    let url = format!(
        "{}/agentgateway/resource/agentconf/153/{}",
        a[3],
        if query { "queryconfinfos" } else { "batchaddparticipant" }
    );
    let pem = std::fs::read(&a[4]).unwrap();
    let threads: usize = a[6].parse().unwrap();
    let per_thread: usize = a[5].parse::<usize>().unwrap() / threads;
    let shared = a[7] == "1";
    let warmup: usize = a[8].parse().unwrap();
    let b = Arc::new(Bench { query, url, pem });
    let name = if mt { "reqwest_mt" } else { "reqwest_ct" };

    // Everyone warmed up, then measured between two barriers.
    let (ok, bad, wall, cpu) = if mt {
        let barrier = Arc::new(tokio::sync::Barrier::new(threads + 1));
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let one_client = rt.block_on(async { client(&b) });
        let tasks: Vec<_> = (0..threads)
            .map(|_| {
                let b = b.clone();
                let barrier = barrier.clone();
                let http = if shared { one_client.clone() } else { rt.block_on(async { client(&b) }) };
                rt.spawn(async move {
                    let mut bad = 0;
                    for _ in 0..warmup {
                        bad += usize::from(!one(&b, &http).await);
                    }
                    barrier.wait().await;
                    let mut ok = 0;
                    for _ in 0..per_thread {
                        if one(&b, &http).await {
                            ok += 1
                        } else {
                            bad += 1
                        }
                    }
                    (ok, bad)
                })
            })
            .collect();
        rt.block_on(barrier.wait());
        let (t0, c0) = (Instant::now(), cpu_ns());
        let results: Vec<(usize, usize)> = rt.block_on(async {
            let mut v = Vec::new();
            for t in tasks {
                v.push(t.await.unwrap());
            }
            v
        });
        let (wall, cpu) = (t0.elapsed(), cpu_ns() - c0);
        (results.iter().map(|r| r.0).sum::<usize>(), results.iter().map(|r| r.1).sum::<usize>(), wall, cpu)
    } else {
        let barrier = Arc::new(Barrier::new(threads + 1));
        let done = Arc::new(Barrier::new(threads + 1));
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                let b = b.clone();
                let (barrier, done) = (barrier.clone(), done.clone());
                std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    let http = rt.block_on(async { client(&b) });
                    let mut bad = 0;
                    for _ in 0..warmup {
                        bad += usize::from(!rt.block_on(one(&b, &http)));
                    }
                    barrier.wait();
                    let mut ok = 0;
                    for _ in 0..per_thread {
                        if rt.block_on(one(&b, &http)) {
                            ok += 1
                        } else {
                            bad += 1
                        }
                    }
                    done.wait();
                    (ok, bad)
                })
            })
            .collect();
        barrier.wait();
        let (t0, c0) = (Instant::now(), cpu_ns());
        done.wait();
        let (wall, cpu) = (t0.elapsed(), cpu_ns() - c0);
        let results: Vec<(usize, usize)> = hs.into_iter().map(|h| h.join().unwrap()).collect();
        (results.iter().map(|r| r.0).sum::<usize>(), results.iter().map(|r| r.1).sum::<usize>(), wall, cpu)
    };
    println!(
        "{{\"client\":\"{name}\",\"requests\":{},\"ok\":{ok},\"bad\":{bad},\"wall_ns\":{},\"cpu_ns\":{cpu}}}",
        per_thread * threads,
        wall.as_nanos()
    );
    std::process::exit(if bad == 0 { 0 } else { 1 });
}
