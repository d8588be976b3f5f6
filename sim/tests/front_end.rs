//! Front-end conditions as settings (the connection and answer layer): `411-strict`
//! (`require_content_length`), answers in a declared `charset`.

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

#[tokio::test]
async fn answers_are_encoded_in_the_charset_setting() {
    let s = TestSim::start(json!({"charset": "GBK"}));
    let a = s.sign_in(101).await;
    let path = gateway_path("voicecall/callout", "101");
    let r = s
        .http
        .put(s.url(&path))
        .header("Guid", a.guid.as_str())
        .header("Content-Type", "application/json;charset=UTF-8")
        .body(json!({"called": "70005", "callappdata": "订单"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/json;charset=GBK");
    let r = s
        .http
        .get(s.url(&gateway_path("calldata/callinfo", "101")))
        .header("Guid", a.guid.as_str())
        .send()
        .await
        .unwrap();
    let bytes = r.bytes().await.unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK, not UTF-8");
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["result"]["calldata"], "订单");
    // UTF-16 carries a byte order mark; an unknown label is refused.
    let s16 = TestSim::start(json!({"charset": "UTF-16BE"}));
    let r = s16.http.put(s16.url(&gateway_path("onlineagent", "101"))).body("{}").send().await.unwrap();
    assert_eq!(&r.bytes().await.unwrap()[..2], &[0xFE, 0xFF]);
    assert!(ccgw_sim::Settings::default().merged(&json!({"charset": "klingon"})).is_err());
}
