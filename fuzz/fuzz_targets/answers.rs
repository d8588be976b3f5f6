//! Any answer of the typed operations beyond the seed ones: call information (holdlist,
//! callinfo, callinfobycallid), agent status, batchremoveparticipant, queryvdnconfid and
//! the callout call id parse or are refused as malformed, never panic.
#![no_main]
use ccgw::agentconf::{BatchRemoveResult, VdnConfIds};
use ccgw::calldata::CallInfo;
use ccgw::onlineagent::AgentStatus;
use ccgw::voicecall::CallId;
use ccgw::wire::result_of;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = result_of::<Option<Vec<CallInfo>>>("fuzz", &v, 200);
        let _ = result_of::<Option<CallInfo>>("fuzz", &v, 200);
        let _ = result_of::<Option<AgentStatus>>("fuzz", &v, 200);
        let _ = result_of::<Option<BatchRemoveResult>>("fuzz", &v, 200);
        let _ = result_of::<Option<VdnConfIds>>("fuzz", &v, 200);
        let _ = result_of::<Option<CallId>>("fuzz", &v, 200);
    }
});
