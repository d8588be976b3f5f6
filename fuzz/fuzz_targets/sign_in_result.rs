//! Any sign-in `result`: read leniently (numbers as JSON numbers or strings), never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = ccgw::session::SignInResult::from_answer(Some(&v), false);
        let _ = ccgw::session::SignInResult::from_answer(v.get("result"), true);
    }
});
