//! The proxy environment variables are honoured only when the application opts in
//! (`proxy_from_environment`). Its own test program: it sets `HTTPS_PROXY` for the whole
//! process, which no other test may see.

mod common;

use ccgw::status::*;
use common::proxy::{Policy, Proxy};
use common::*;
use serde_json::json;

#[test]
fn environment_proxy_only_when_opted_in() {
    let sim = sim(json!({}));
    let proxy = Proxy::start(Policy::Open);
    for var in ["NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "https_proxy"] {
        std::env::remove_var(var);
    }
    std::env::set_var("HTTPS_PROXY", proxy.url());

    // Not opted in: straight to the gateway.
    let s = session(&sim, "101");
    expect(sign_in(&s), CCGW_OK);
    assert!(proxy.connects().is_empty(), "the environment's proxy was used without opting in");

    // Opted in: through the proxy.
    let mut o = opts(&sim, "102");
    o.raw.proxy_from_environment = true;
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_OK);
    let target = format!("127.0.0.1:{}", sim.addr().port());
    assert!(!proxy.connects().is_empty() && proxy.connects().iter().all(|c| c.target == target));

    // And NO_PROXY from the environment applies too.
    std::env::set_var("NO_PROXY", "127.0.0.1");
    let before = proxy.connects().len();
    let mut o = opts(&sim, "103");
    o.raw.proxy_from_environment = true;
    let s = new_session(&o).unwrap();
    expect(sign_in(&s), CCGW_OK);
    assert_eq!(proxy.connects().len(), before, "NO_PROXY honoured");
}
