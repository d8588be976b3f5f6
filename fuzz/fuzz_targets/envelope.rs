//! Any answer body and content type: the gateway envelope parser, plus the Set-GUID and
//! retcode readers, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (ct, body) = match data.split_first() {
        Some((b, rest)) if b % 3 == 0 => ("text/html", rest),
        Some((b, rest)) if b % 3 == 1 => ("", rest),
        Some((_, rest)) => ("application/json;charset=UTF-8", rest),
        None => ("", data),
    };
    for status in [200u16, 503] {
        if let Ok(env) = ccgw::transport::parse_envelope("fuzz", status, ct, body) {
            let st = ccgw::status::from_retcode(&env.retcode);
            assert!(!ccgw::status::describe(st).is_empty());
        }
    }
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = ccgw::transport::guid_from_header_value(text);
        let st = ccgw::status::from_retcode(text);
        assert!(st != ccgw::status::CCGW_OK);
    }
});
