//! What the blocking C ABI costs per request, against a raw async reqwest loop doing the
//! same exchange with the same simulator in the same run.
//!
//! Variants (each sequential on one thread, and from 8 threads on one session):
//! * `raw`: reqwest on a 2-worker tokio runtime, async tasks, the same POST, Guid header,
//!   body read and JSON parse: the floor any client pays.
//! * `ccgw_c_abi`: `ccgw_query_conf_infos` through the C ABI (block_on on the caller's
//!   thread; argument checks, validation, result allocation and free included).
//! * `core_block_on`: the same operation through the Rust core, block_on on the caller.
//! * `core_spawn_wait`: the same, but spawned onto the runtime and waited for through a
//!   channel, the other way to bridge blocking callers to an async core.
//!
//! Run: `cargo bench --bench abi_overhead` (`CCGW_BENCH_N` sets requests per round).

mod common;

use ccgw::ffi::conf::{ccgw_conf_list_free, ccgw_query_conf_infos};
use ccgw::ffi::session::*;
use ccgw::status::CCGW_OK;
use ccgw_sim::{SimConfig, Simulator};
use std::ffi::CString;
use std::ptr;
use std::time::{Duration, Instant};

const THREADS: usize = 8;
const ROUNDS_DEFAULT: usize = 15;

struct Ctx {
    sim: Simulator,
    session: *mut ccgw_session,
    core: ccgw::Session,
    guid: String,
    client: reqwest::Client,
    raw_rt: tokio::runtime::Runtime,
}

struct SendPtr(*mut ccgw_session);
unsafe impl Send for SendPtr {}
unsafe impl Sync for SendPtr {}

fn setup() -> Ctx {
    let settings = ccgw_sim::Settings::default()
        .merged(&serde_json::json!({"reject_duplicates": false, "journal_limit": 1000, "default_password": "pw"}))
        .unwrap();
    let sim = Simulator::start(SimConfig { settings, ..SimConfig::default() }).unwrap();
    let url = CString::new(sim.base_url()).unwrap();
    let agent = CString::new("101").unwrap();
    let pem = sim.ca_pem().unwrap().as_bytes().to_vec();
    let mut o: ccgw_session_options = unsafe { std::mem::zeroed() };
    unsafe { ccgw_session_options_init(&mut o, CCGW_SESSION_OPTIONS_VERSION) };
    o.base_url = url.as_ptr();
    o.agent_id = agent.as_ptr();
    o.ca_pem = pem.as_ptr();
    o.ca_pem_len = pem.len();
    let mut session = ptr::null_mut();
    assert_eq!(unsafe { ccgw_session_new(&o, &mut session) }, CCGW_OK);
    let pw = CString::new("pw").unwrap();
    let mut si: ccgw_sign_in_options = unsafe { std::mem::zeroed() };
    unsafe { ccgw_sign_in_options_init(&mut si, CCGW_SIGN_IN_OPTIONS_VERSION) };
    si.password = pw.as_ptr();
    assert_eq!(unsafe { ccgw_session_sign_in(session, &si, ptr::null(), ptr::null_mut()) }, CCGW_OK);
    let mut g = ptr::null_mut();
    unsafe { ccgw_session_get_guid(session, &mut g) };
    let guid = unsafe { std::ffi::CStr::from_ptr(g) }.to_str().unwrap().to_string();
    unsafe { ccgw::ffi::common::ccgw_string_free(g) };

    let core = core_session(&sim, &pem, &guid);
    let raw_rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let client = {
        let _e = raw_rt.enter();
        common::client_trusting(&pem)
    };
    Ctx { sim, session, core, guid, client, raw_rt }
}

/// A core session object sharing the gateway session's Guid (its own connection pool).
fn core_session(sim: &Simulator, pem: &[u8], guid: &str) -> ccgw::Session {
    let cfg = ccgw::SessionConfig {
        transport: ccgw::transport::TransportConfig {
            base_urls: vec![sim.base_url().to_string()],
            roots: ccgw::transport::Roots::Pem(pem.to_vec()),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            ..Default::default()
        },
        agent_id: "101".into(),
        agent_id_max: 59999,
        auth_mode: ccgw::AuthMode::Dynamic,
    };
    let s = ccgw::Session::new(&cfg).unwrap();
    s.set_guid(guid).unwrap();
    s
}

async fn raw_once(client: &reqwest::Client, url: &str, guid: &str) {
    let r = client
        .post(url)
        .header("Content-Type", "application/json; charset=UTF-8")
        .header("Guid", guid)
        .body(r#"{"confIds":[1029888]}"#)
        .send()
        .await
        .unwrap();
    let body = r.bytes().await.unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["retcode"], "0");
}

fn ffi_once(s: *mut ccgw_session) {
    let ids = [1_029_888i64];
    let mut out = ptr::null_mut();
    let st = unsafe { ccgw_query_conf_infos(s, ids.as_ptr(), 1, ptr::null(), &mut out) };
    assert_eq!(st, CCGW_OK);
    unsafe { ccgw_conf_list_free(out) };
}

/// Mean µs per request of `n` requests split over `threads`.
fn timed(threads: usize, n: usize, per_thread: impl Fn(usize) + Send + Sync) -> f64 {
    let per = n / threads;
    let f = &per_thread;
    let t = Instant::now();
    std::thread::scope(|sc| {
        for _ in 0..threads {
            sc.spawn(move || f(per));
        }
    });
    t.elapsed().as_secs_f64() * 1e6 / (per * threads) as f64
}

/// (minimum, median) of the rounds: noise on a shared machine only ever adds time, so the
/// minimum is the steadier estimate; the median shows the typical case.
fn min_median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2])
}

fn main() {
    let n: usize = std::env::var("CCGW_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let rounds: usize = std::env::var("CCGW_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(ROUNDS_DEFAULT);
    let ctx = setup();
    let url = format!("{}/agentgateway/resource/agentconf/101/queryconfinfos", ctx.sim.base_url());
    let session = SendPtr(ctx.session);
    let sp = &session;

    let raw = |threads: usize| {
        timed(1, n, |_| {
            ctx.raw_rt.block_on(async {
                let per = n / threads;
                let tasks: Vec<_> = (0..threads)
                    .map(|_| {
                        let client = ctx.client.clone();
                        let url = url.clone();
                        let guid = ctx.guid.clone();
                        tokio::spawn(async move {
                            for _ in 0..per {
                                raw_once(&client, &url, &guid).await;
                            }
                        })
                    })
                    .collect();
                for t in tasks {
                    t.await.unwrap();
                }
            })
        })
    };
    // The floor for blocking threads: each thread drives its own current-thread runtime
    // and its own reqwest client (connections cannot cross runtimes), no library at all.
    let raw_threads = |threads: usize| {
        timed(threads, n, |per| {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let local = rt.block_on(async { common::client_trusting(ctx.sim.ca_pem().unwrap().as_bytes()) });
            for _ in 0..per {
                rt.block_on(raw_once(&local, &url, &ctx.guid));
            }
        })
    };
    let ffi = |threads: usize| {
        timed(threads, n, |per| {
            for _ in 0..per {
                ffi_once(sp.0);
            }
        })
    };
    // The multi-thread runtime alone: the caller parks, workers drive the socket.
    let mt = ccgw::runtime::handle().unwrap();
    let core_block_on = |threads: usize| {
        timed(threads, n, |per| {
            let opts = ccgw::CallOptions::default();
            for _ in 0..per {
                mt.block_on(ctx.core.query_conf_infos(&[1_029_888], &opts)).unwrap();
            }
        })
    };
    let core_spawn_wait = |threads: usize| {
        let h = ccgw::runtime::handle().unwrap();
        timed(threads, n, |per| {
            for _ in 0..per {
                let s = ctx.core.clone();
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                h.spawn(async move {
                    let r = s.query_conf_infos(&[1_029_888], &ccgw::CallOptions::default()).await;
                    let _ = tx.send(r);
                });
                rx.recv().unwrap().unwrap();
            }
        })
    };

    // A current-thread runtime shared by the calling threads: whoever blocks drives I/O.
    let ct_rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let ct_session = core_session(&ctx.sim, ctx.sim.ca_pem().unwrap().as_bytes(), &ctx.guid);
    let core_ct = |threads: usize| {
        timed(threads, n, |per| {
            let opts = ccgw::CallOptions::default();
            for _ in 0..per {
                ct_rt.block_on(ct_session.query_conf_infos(&[1_029_888], &opts)).unwrap();
            }
        })
    };
    type Variant<'a> = (&'a str, &'a dyn Fn(usize) -> f64);
    let all: [Variant; 6] = [
        ("raw", &raw),
        ("raw_blocking_threads", &raw_threads),
        ("ccgw_c_abi", &ffi),
        ("core_multi_thread", &core_block_on),
        ("core_spawn_wait", &core_spawn_wait),
        ("core_current_thread", &core_ct),
    ];
    // CCGW_BENCH_ONLY=name[,name] runs a subset (for profiling one variant).
    let only = std::env::var("CCGW_BENCH_ONLY").unwrap_or_default();
    let variants: Vec<Variant> =
        all.into_iter().filter(|(name, _)| only.is_empty() || only.split(',').any(|o| o == *name)).collect();
    // Warm-up: connections open, code paths hot.
    for (_, f) in &variants {
        f(1);
    }
    println!("requests per round: {n}; rounds: {rounds} (interleaved); µs per request, minimum / median of rounds\n");
    println!("| variant | 1 thread | {THREADS} threads, one session |");
    println!("|---|---|---|");
    let mut results: Vec<(&str, Vec<f64>, Vec<f64>)> =
        variants.iter().map(|(name, _)| (*name, Vec::new(), Vec::new())).collect();
    // CCGW_BENCH_THREADS=1 or 8 measures one column only (for profiling).
    let cols = std::env::var("CCGW_BENCH_THREADS").unwrap_or_default();
    for _ in 0..rounds {
        for (i, (_, f)) in variants.iter().enumerate() {
            results[i].1.push(if cols == "8" { f64::NAN } else { f(1) });
            results[i].2.push(if cols == "1" { f64::NAN } else { f(THREADS) });
        }
    }
    /// (minimum, median) of one column.
    type Spread = (f64, f64);
    let stats: Vec<(&str, Spread, Spread)> =
        results.into_iter().map(|(n, a, b)| (n, min_median(a), min_median(b))).collect();
    let base = stats.iter().find(|m| m.0 == "raw").map_or(((f64::NAN, f64::NAN), (f64::NAN, f64::NAN)), |m| (m.1, m.2));
    let cell = |name: &str, (min, med): (f64, f64), (bmin, bmed): (f64, f64)| {
        if name == "raw" {
            format!("{min:.1} / {med:.1}")
        } else {
            format!("{min:.1} ({:+.1} %) / {med:.1} ({:+.1} %)", (min / bmin - 1.0) * 100.0, (med / bmed - 1.0) * 100.0)
        }
    };
    for (name, one, many) in &stats {
        println!("| {name} | {} | {} |", cell(name, *one, base.0), cell(name, *many, base.1));
    }
    unsafe { ccgw_session_free(ctx.session) };
}
