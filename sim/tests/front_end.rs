//! Front-end conditions as settings (the connection and answer layer): `411-strict`
//! (`require_content_length`).

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn strict_front_end_answers_411_to_a_bodiless_post_without_content_length() {
    let s = TestSim::start(json!({"require_content_length": true}));
    let a = s.sign_in(101).await;
    let path = gateway_path("voicecall/thirdPartyConfTransmitNum", "101");
    // reqwest sends neither Content-Length nor Transfer-Encoding for a bodiless POST.
    let r = s.http.post(s.url(&path)).header("Guid", a.guid.as_str()).send().await.unwrap();
    assert_eq!(r.status(), 411);
    let e = s.sim.journal().pop().unwrap();
    assert_eq!((e.status, e.outcome.as_str()), (411, "answered"));
    // With the header the same request reaches the gateway.
    let r =
        s.http.post(s.url(&path)).header("Guid", a.guid.as_str()).header("Content-Length", "0").send().await.unwrap();
    assert_eq!(r.status(), 200);
    // A GET needs nothing, and the setting is off by default.
    let lax = TestSim::start(json!({}));
    let a = lax.sign_in(101).await;
    let r = lax.http.post(lax.url(&path)).header("Guid", a.guid.as_str()).send().await.unwrap();
    assert_eq!(r.status(), 200);
}
