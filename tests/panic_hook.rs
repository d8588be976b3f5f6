//! The library writes nothing to the host's stderr: a panic in library code (on a thread
//! inside a C-ABI call, or on one of the library's threads) goes to the log, while a panic
//! of the host's own code still reaches the hook the host had. Runs in a child process of
//! this test binary (the panic hook is process-wide), whose stderr is captured.

mod common;

use ccgw::events::{Event, EventKind};
use ccgw::log::{set_sink, Level, Sink};
use ccgw::status::CCGW_OK;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CHILD: &str = "CCGW_PANIC_HOOK_CHILD";
const TEST: &str = "panics_in_library_code_never_reach_stderr";

#[test]
fn panics_in_library_code_never_reach_stderr() {
    if std::env::var_os(CHILD).is_some() {
        child();
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env_remove("CCGW_LOG")
        .output()
        .expect("the child runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("child: ok"), "{stdout}");
    for marker in ["dispatch-thread marker", "sink marker"] {
        assert!(!stderr.contains(marker), "a library panic ({marker}) reached stderr:\n{stderr}");
    }
    // The host's own panic went to the hook it had before (the default one: stderr).
    assert_eq!(stderr.matches("host marker").count(), 1, "{stderr}");
}

fn child() {
    let records: Arc<Mutex<Vec<(Level, String, String)>>> = Arc::default();
    let seen = records.clone();
    let sink: Sink = Arc::new(move |level, op, msg| {
        if msg.contains("insecure") {
            // A panic inside a C-ABI call (the host's sink, called by ccgw_session_new).
            panic!("sink marker");
        }
        seen.lock().unwrap().push((level, op.to_string(), msg.to_string()));
    });
    set_sink(Some(Level::Trace), Some(sink));

    // Through the C ABI (this installs the hook): the sink panics during the call, which
    // still succeeds, and nothing is printed.
    let sim = common::sim(serde_json::json!({}));
    let mut o = common::opts(&sim, "901");
    o.raw.insecure_accept_any_certificate = true;
    let s = common::new_session(&o).expect("session_new succeeds although the sink panicked");

    // On a library thread: a Rust event callback run by the session's dispatch thread.
    let core = ccgw::Session::new(&ccgw::SessionConfig {
        transport: ccgw::transport::TransportConfig {
            base_urls: vec![sim.base_url().to_string()],
            roots: ccgw::transport::Roots::System,
            connect_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_secs(1),
            ..Default::default()
        },
        agent_id: "902".into(),
        agent_id_max: 59_999,
        auth_mode: ccgw::AuthMode::Dynamic,
    })
    .unwrap();
    core.set_event_callback(Some(Box::new(|_: &Event| panic!("dispatch-thread marker")))).unwrap();
    core.0.events.queue.push(Event::library(EventKind::Other, "Test", CCGW_OK, ""));
    let deadline = Instant::now() + Duration::from_secs(10);
    let logged = loop {
        let found = records.lock().unwrap().iter().any(|(level, op, msg)| {
            *level == Level::Error && op == "panic" && msg.contains("dispatch-thread marker") && msg.contains(".rs:")
        });
        if found || Instant::now() > deadline {
            break found;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(logged, "the dispatch thread's panic was not logged: {:?}", records.lock().unwrap());
    core.set_event_callback(None).unwrap();
    drop(core);
    drop(s);

    // The host's own panic, outside any ccgw call, goes to the previous hook.
    let _ = std::panic::catch_unwind(|| panic!("host marker"));
    println!("child: ok");
}
