//! 1000 faulted calls in a row leave the process's threads and memory where they were.
//! (Its own test binary, so no other test's threads disturb the count.)

mod common;

use ccgw::status::*;
use ccgw_sim::{FaultKind, FaultSpec};
use common::ops::*;
use common::*;
use serde_json::json;

fn proc_status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap()
}

#[test]
fn a_thousand_faulted_calls_leave_threads_and_memory_alone() {
    let sim = sim(json!({"reject_duplicates": false, "journal_limit": 500}));
    let s = signed_in(&sim, "951");
    let ops = operations();
    let kinds = [
        FaultKind::HttpStatus,
        FaultKind::MalformedJson,
        FaultKind::TruncatedBody,
        FaultKind::WrongContentType,
        FaultKind::ResetBefore,
        FaultKind::ResetAfter,
        FaultKind::Switchover,
        FaultKind::GuidExpired,
    ];
    let run = |n: usize| {
        for i in 0..n {
            let op = &ops[i % ops.len()];
            let mut spec = FaultSpec::new(op.0, kinds[i % kinds.len()]);
            if spec.kind == FaultKind::HttpStatus {
                spec = spec.with_status(503);
            }
            sim.add_fault(spec).unwrap();
            assert_ne!((op.1)(&s), CCGW_OK);
        }
    };
    // Warm up: lanes, pools and allocator arenas reach their working size.
    run(200);
    let (threads0, rss0) = (proc_status("Threads:"), proc_status("VmRSS:"));
    run(1000);
    let (threads1, rss1) = (proc_status("Threads:"), proc_status("VmRSS:"));
    assert_eq!(threads1, threads0, "threads after 1000 faulted calls");
    assert!(rss1 < rss0 + 16 * 1024, "RSS grew from {rss0} KB to {rss1} KB over 1000 faulted calls");
    assert_eq!(baseline(&sim, &s, &ops[4]), CCGW_E_GW_TRANSMIT_NUM_FAILED, "still usable");
}
