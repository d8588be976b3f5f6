//! Any `queryconfinfos` answer: both documented result shapes and everything else parse
//! or are refused as malformed, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = ccgw::agentconf::parse_conf_list(Some(&v));
        let _ = ccgw::agentconf::parse_conf_list(v.get("result"));
    }
});
