//! Every simulator fault mode against every operation: each call returns its own status
//! within its timeout plus a small margin, and the session stays usable.

mod common;

use ccgw::status::*;
use common::ops::*;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn every_fault_against_every_operation() {
    let sim = sim(json!({"reject_duplicates": false}));
    let s = signed_in(&sim, "950");
    for op in operations() {
        let clean = baseline(&sim, &s, &op);
        assert!(clean == CCGW_OK || is_gateway(clean), "{}: {clean}", op.0);
        for (spec, expected) in faults(op.0) {
            let kind = spec.kind;
            sim.add_fault(spec).unwrap();
            let t = Instant::now();
            let st = (op.1)(&s);
            let took = t.elapsed();
            assert_eq!(st, expected, "{} under {kind:?}: {:?}", op.0, last_error());
            assert!(took < Duration::from_millis(TIMEOUT_MS as u64 + 1_000), "{} under {kind:?} took {took:?}", op.0);
            assert_eq!((op.1)(&s), clean, "{} after {kind:?}: the session is still usable", op.0);
        }
    }
}
