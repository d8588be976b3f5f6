//! Any `event` member of a poll answer: typed, `Other` or reported as malformed, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let e = ccgw::events::Event::parse(&v);
        if e.kind == ccgw::events::EventKind::Malformed {
            assert!(!e.message.is_empty());
        }
        if let Some(inner) = v.get("event") {
            let _ = ccgw::events::Event::parse(inner);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for p in ccgw::events::split_partners(text) {
            assert!(!p.is_empty() && p.trim() == p);
        }
    }
});
