//! Scale benchmark: how many agents the simulator holds signed in with a long poll open
//! each, and the memory and threads that takes.
//!
//! Starts the `ccgw-sim` binary as its own process (`--threads 2`), signs in N agents
//! (`SIM_SCALE_AGENTS`, default 5000) over HTTPS verified against the generated CA, opens
//! one long poll per agent from this one tokio process (tasks, not threads), reads
//! `GET /sim/stats` and the journal while every poll is held, then signs every agent out
//! (each held poll ends with `AgentOther_ShutdownService`) and stops the simulator with
//! SIGTERM. Prints a markdown table.
//!
//! Run: `cargo bench -p ccgw-sim --bench scale`

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const PASSWORD: &str = "ccgw-sim";
const FIRST_AGENT: u32 = 101;
/// Requests in flight at once while signing in and out.
const CONCURRENCY: usize = 64;
/// Agents whose polls are opened before waiting for them to be held.
const RAMP_BATCH: usize = 250;

fn sim_binary() -> PathBuf {
    match option_env!("CARGO_BIN_EXE_ccgw-sim") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/ccgw-sim"),
    }
}

/// Raises this process's open-file limit to its hard limit (the simulator inherits it).
fn raise_nofile() -> u64 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
    }
    lim.rlim_cur
}

fn client(ca_pem: &str) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.expect("CA PEM")).expect("CA certificate");
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .http1_only()
        .timeout(Duration::from_secs(120))
        .connect_timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

struct Sim {
    child: Child,
    url: String,
    ca_pem: String,
    ca_path: PathBuf,
}

fn start_sim(agents: usize) -> Sim {
    let ca_path = std::env::temp_dir().join(format!("ccgw-sim-scale-{}.pem", std::process::id()));
    let max_id = FIRST_AGENT as usize + agents;
    let mut child = Command::new(sim_binary())
        .args(["--port", "0", "--threads", "2", "--ca-out"])
        .arg(&ca_path)
        .args(["--set", "poll_wait_ms=30000", "--set", "idle_signout_ms=3600000", "--set", "auth_mode=\"static\""])
        .args(["--set", &format!("agent_id_max={}", max_id.max(59999))])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", sim_binary().display()));
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the URL line");
    let url = line.trim_end().to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "unexpected first line {url:?}");
    let ca_pem = std::fs::read_to_string(&ca_path).expect("CA file");
    Sim { child, url, ca_pem, ca_path }
}

async fn get_json(c: &reqwest::Client, url: &str) -> Value {
    let r = c.get(url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    serde_json::from_slice(&r.bytes().await.expect("body")).expect("JSON")
}

/// Sends a gateway request; answers the JSON body and the Guid of `Set-GUID`.
async fn gateway(
    c: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    guid: Option<&str>,
    body: Option<Value>,
) -> Result<(Value, Option<String>), String> {
    let mut rb = c.request(method, &url).header("Content-Type", "application/json; charset=UTF-8");
    if let Some(g) = guid {
        rb = rb.header("Guid", g);
    }
    if let Some(b) = body {
        rb = rb.body(b.to_string());
    }
    let r = rb.send().await.map_err(|e| format!("{url}: {e}"))?;
    let set_guid = r
        .headers()
        .get("set-guid")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("JSESSIONID="))
        .map(str::to_string);
    let bytes = r.bytes().await.map_err(|e| format!("{url}: {e}"))?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|e| format!("{url}: {e}"))?;
    Ok((v, set_guid))
}

fn retcode(v: &Value) -> &str {
    v["retcode"].as_str().unwrap_or("<none>")
}

/// One agent's poll loop: takes the sign-in events, then holds a poll until an event ends
/// it (the shutdown event at sign-out). Answers the type of that last event.
async fn poll_loop(c: reqwest::Client, base: String, id: u32, guid: String, held: Arc<AtomicUsize>) -> String {
    let url = format!("{base}/agentgateway/resource/agentevent/{id}");
    for _ in 0..2 {
        let (v, _) = gateway(&c, reqwest::Method::GET, url.clone(), Some(&guid), None).await.expect("poll");
        assert!(v["event"].is_object(), "agent {id}: a sign-in event expected, got {v}");
    }
    held.fetch_add(1, Ordering::SeqCst);
    loop {
        let (v, _) = gateway(&c, reqwest::Method::GET, url.clone(), Some(&guid), None).await.expect("held poll");
        assert_eq!(retcode(&v), "0", "agent {id}: {v}");
        if let Some(t) = v["event"]["eventType"].as_str() {
            return t.to_string();
        }
        // The hold time ran out before the release: poll again, as a client would.
    }
}

fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let agents: usize = std::env::var("SIM_SCALE_AGENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let nofile = raise_nofile();
    assert!(nofile as usize > agents + 200, "open-file limit {nofile} is too low for {agents} connections");
    let mut sim = start_sim(agents);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let rows = rt.block_on(run(&sim, agents));

    let t = Instant::now();
    unsafe { libc::kill(sim.child.id() as libc::pid_t, libc::SIGTERM) };
    let status = loop {
        if let Some(s) = sim.child.try_wait().expect("wait") {
            break s;
        }
        if t.elapsed() > Duration::from_secs(20) {
            let _ = sim.child.kill();
            panic!("the simulator did not stop within 20 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = std::fs::remove_file(&sim.ca_path);

    println!();
    println!("| ccgw-sim scale ({agents} agents, `--threads 2`) | value |");
    println!("|---|---|");
    for (k, v) in rows {
        println!("| {k} | {v} |");
    }
    println!("| simulator exit after SIGTERM | {} in {} ms |", status, t.elapsed().as_millis());
    assert!(status.success(), "the simulator exited with {status}");
}

async fn run(sim: &Sim, agents: usize) -> Vec<(String, String)> {
    let c = client(&sim.ca_pem);
    let base = sim.url.clone();
    let stats_url = format!("{base}/sim/stats");
    let before = get_json(&c, &stats_url).await;

    // Sign in every agent, CONCURRENCY at a time.
    let t_sign_in = Instant::now();
    let sem = Arc::new(Semaphore::new(CONCURRENCY));
    let mut set = tokio::task::JoinSet::new();
    for i in 0..agents {
        let id = FIRST_AGENT + i as u32;
        let (c, base, sem) = (c.clone(), base.clone(), sem.clone());
        set.spawn(async move {
            let _permit = sem.acquire_owned().await.expect("semaphore");
            let url = format!("{base}/agentgateway/resource/onlineagent/{id}");
            let body = json!({"password": PASSWORD, "phonenum": id.to_string(), "status": "4"});
            let (v, guid) = gateway(&c, reqwest::Method::PUT, url, None, Some(body)).await.expect("sign-in");
            assert_eq!(retcode(&v), "0", "sign-in of {id}: {v}");
            (id, guid.expect("Set-GUID"))
        });
    }
    let mut sessions = Vec::with_capacity(agents);
    while let Some(r) = set.join_next().await {
        sessions.push(r.expect("sign-in task"));
    }
    let sign_in_time = t_sign_in.elapsed();
    sessions.sort_unstable();
    let signed_in = get_json(&c, &stats_url).await["signedIn"].as_u64().unwrap_or(0);
    let mark = get_json(&c, &stats_url).await["journalLastId"].as_u64().unwrap_or(0);

    // One poll loop per agent, opened in batches so the listen backlog is not flooded.
    let t_polls = Instant::now();
    let held = Arc::new(AtomicUsize::new(0));
    let mut polls = tokio::task::JoinSet::new();
    for (n, (id, guid)) in sessions.iter().enumerate() {
        polls.spawn(poll_loop(c.clone(), base.clone(), *id, guid.clone(), held.clone()));
        if (n + 1) % RAMP_BATCH == 0 || n + 1 == agents {
            let deadline = Instant::now() + Duration::from_secs(60);
            while held.load(Ordering::SeqCst) < n + 1 {
                assert!(Instant::now() < deadline, "polls of batch ending at {n} not sent within 60 s");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
    // Every held poll reached the simulator: count the pending ones in its journal.
    let deadline = Instant::now() + Duration::from_secs(60);
    let pending = loop {
        let j = get_json(&c, &format!("{base}/sim/journal?since={mark}&route=agentevent")).await;
        let pending = j["entries"].as_array().expect("entries").iter().filter(|e| e["outcome"] == "pending").count();
        if pending >= agents || Instant::now() > deadline {
            break pending;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let open_time = t_polls.elapsed();
    let during = get_json(&c, &stats_url).await;

    // Release: sign every agent out; each held poll ends with the shutdown event.
    let t_release = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for (id, guid) in sessions {
        let (c, base, sem) = (c.clone(), base.clone(), sem.clone());
        set.spawn(async move {
            let _permit = sem.acquire_owned().await.expect("semaphore");
            let url = format!("{base}/agentgateway/resource/onlineagent/{id}/logout");
            let (v, _) = gateway(&c, reqwest::Method::DELETE, url, Some(&guid), None).await.expect("logout");
            assert_eq!(retcode(&v), "0", "logout of {id}: {v}");
        });
    }
    while let Some(r) = set.join_next().await {
        r.expect("logout task");
    }
    let mut shutdown_events = 0;
    while let Some(r) = polls.join_next().await {
        if r.expect("poll task") == "AgentOther_ShutdownService" {
            shutdown_events += 1;
        }
    }
    let release_time = t_release.elapsed();
    // Closing the client closes its connections; wait (bounded) until the simulator sees them go.
    drop(c);
    let c = client(&sim.ca_pem);
    let deadline = Instant::now() + Duration::from_secs(10);
    let after = loop {
        let st = get_json(&c, &stats_url).await;
        if st["connections"].as_u64().unwrap_or(u64::MAX) <= 1 || Instant::now() > deadline {
            break st;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    let kb = |v: &Value| v["rssKb"].as_u64().unwrap_or(0);
    let rss_before = kb(&before);
    let rss_during = kb(&during);
    let n = agents.max(1) as f64;
    vec![
        ("agents signed in (server `signedIn`)".into(), format!("{signed_in} of {agents}")),
        ("polls held open at once (pending in the server journal)".into(), format!("{pending}")),
        ("open connections (server, while held)".into(), during["connections"].to_string()),
        ("simulator RSS before sign-in".into(), mb(rss_before)),
        ("simulator RSS with every poll held".into(), mb(rss_during)),
        ("RSS per agent (total / agents)".into(), format!("{:.1} KB", rss_during as f64 / n)),
        (
            "RSS per agent (growth / agents)".into(),
            format!("{:.1} KB", rss_during.saturating_sub(rss_before) as f64 / n),
        ),
        ("simulator threads".into(), during["threads"].to_string()),
        (
            format!("time to sign in all agents ({CONCURRENCY} in flight)"),
            format!("{:.2} s ({:.0} sign-ins/s)", sign_in_time.as_secs_f64(), n / sign_in_time.as_secs_f64()),
        ),
        ("time to open every poll (batches of 250)".into(), format!("{:.2} s", open_time.as_secs_f64())),
        ("held polls ended by `AgentOther_ShutdownService` at sign-out".into(), format!("{shutdown_events}")),
        ("time to sign everyone out and end every poll".into(), format!("{:.2} s", release_time.as_secs_f64())),
        (
            "after release: signed in / connections / RSS".into(),
            format!("{} / {} / {}", after["signedIn"], after["connections"], mb(kb(&after))),
        ),
    ]
}
