//! One session used from 8 threads at once, while its Guid changes underneath.

mod common;

use ccgw::ffi::conf::*;
use ccgw::ffi::session::*;
use ccgw::status::*;
use common::*;
use serde_json::json;
use std::ptr;
use std::sync::Arc;

const THREADS: usize = 8;
const ROUNDS: usize = 40;

#[test]
fn one_session_from_eight_threads() {
    // Duplicate detection off: identical concurrent requests are this test's point.
    let sim = sim(json!({"reject_duplicates": false}));
    let s = Arc::new(signed_in(&sim, "501"));
    let conf = conference(&sim, &s, "501");
    expect(batch_add(&s, &invitees(&[(CCGW_ADDRESS_PHONE, "70005")]), |_| {}), CCGW_OK);
    wait_until("the phone to join", || sim.confs()["confs"][0]["addresses"].as_array().unwrap().len() == 2);
    let first_guid = guid(&s).unwrap();

    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let s = s.clone();
            std::thread::spawn(move || {
                for round in 0..ROUNDS {
                    match (t + round) % 4 {
                        0 => {
                            let confs = query(&s, &[conf, 1000 + t as i64]).expect("query succeeds");
                            assert_eq!(confs.len(), 1);
                            assert_eq!(confs[0].participants.len(), 2);
                        }
                        1 => expect(hold(&s, CCGW_ADDRESS_PHONE, "70005", Some("y:/conf/1/hold.V3")), CCGW_OK),
                        2 => expect(transmit(&s), CCGW_E_GW_TRANSMIT_NUM_FAILED),
                        _ => {
                            if t == 0 && round % 10 == 3 {
                                // A new Guid while the other threads are mid-call.
                                expect(unsafe { ccgw_session_update_guid(s.0, ptr::null()) }, CCGW_OK);
                            } else {
                                expect(conf_join(&s, "1-1", None), CCGW_E_GW_THREE_PARTY_NO_CALL);
                            }
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker thread");
    }
    assert_ne!(guid(&s).unwrap(), first_guid, "the Guid changed during the run");
    let journal = sim.journal();
    let calls = journal.iter().filter(|e| e.route != "onlineagent").count();
    assert!(calls >= THREADS * ROUNDS, "every call reached the gateway ({calls})");
    assert!(journal.iter().all(|e| e.retcode.as_deref() != Some("000-003")), "no call was refused for its Guid");
}
