//! 1,000 sessions through one switchover (issue 11): every session signed in on node A of
//! an in-process cluster simulator with `auto_resign_in` and its event pump running; node
//! A answers `000-004` for 0.8 s, then refuses connections. Reports whether all recovered
//! on node B, the spread of their retry instants, the time to recover per session, and the
//! process's threads and RSS before, during and after (the simulator shares the process:
//! its threads and memory are in the figures).
//!
//! Run: `make bench-failover` (= `cargo bench --bench failover`); `CCGW_FAILOVER_SESSIONS`
//! (default 1000).

#[path = "../tests/common/fleet.rs"]
mod fleet;

use std::time::Duration;

fn main() {
    let sessions: usize = std::env::var("CCGW_FAILOVER_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let c = fleet::fleet_cluster();
    fleet::warm_up(&c);
    let cfg = fleet::FleetConfig {
        sessions,
        sign_in_threads: 8,
        busy_for: Duration::from_millis(800),
        switchover_wait_ms: 300,
        recover_within: Duration::from_secs(300),
    };
    let r = fleet::run_fleet(&c, &cfg);
    println!("{}", r.summary());
    let all = r.signed_in_again == sessions && r.signed_in_on_b == sessions && r.gap_reports.iter().all(|&g| g == 1);
    println!("all recovered with one gap report each: {all}");
    println!("sign-ins on B per session: max {}", r.sign_ins_on_b.iter().max().copied().unwrap_or(0));
    // The simulator shares the process: node B still holds every session and both
    // journals. Without it, what is left is the library's.
    drop(c);
    fleet::trim_heap();
    std::thread::sleep(Duration::from_millis(500));
    println!(
        "with the cluster simulator dropped too: threads {}, RSS {} KB",
        fleet::proc_status("Threads:"),
        fleet::proc_status("VmRSS:")
    );
    if !all {
        std::process::exit(1);
    }
}
