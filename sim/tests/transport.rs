//! Transport: HTTPS with the generated CA, plain HTTP, and the `ccgw-sim` binary (its options,
//! environment variables and certificate options).

mod common;

use ccgw_sim::{Settings, SimConfig};
use common::*;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn base_url_is_https_on_loopback_with_the_bound_port() {
    let s = TestSim::start(json!({}));
    let url = s.sim.base_url();
    let port = s.sim.addr().port();
    assert_ne!(port, 0);
    assert_eq!(url, format!("https://127.0.0.1:{port}"));
    assert!(s.sim.ca_pem().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    let r = s.request("GET", "/sim/health", None, None).await;
    assert_eq!((r.status, r.json.clone()), (200, json!({"status": "ok"})));
}

#[tokio::test]
async fn the_certificate_also_verifies_for_localhost() {
    let s = TestSim::start(json!({}));
    let url = format!("https://localhost:{}/sim/health", s.sim.addr().port());
    let r = s.http.get(url).send().await.expect("localhost is in the certificate");
    assert_eq!(r.status(), 200);
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(" / ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

#[tokio::test]
async fn a_client_without_the_ca_fails_the_handshake() {
    let s = TestSim::start(json!({}));
    let other = TestSim::start(json!({}));
    let no_roots = client_with(tls_config_with_roots(rustls::RootCertStore::empty()));
    let wrong_ca = client_for(other.sim.ca_pem());
    for (what, client) in [("no roots", &no_roots), ("another simulator's CA", &wrong_ca)] {
        let err =
            client.get(s.url("/sim/health")).send().await.expect_err(&format!("a client with {what} must not connect"));
        assert!(err.is_connect(), "{what}: not a connect error: {err:?}");
        let chain = error_chain(&err);
        assert!(chain.to_lowercase().contains("certificate"), "{what}: {chain}");
    }
    // Nothing reached the HTTP layer, so nothing was journaled.
    assert!(s.sim.journal().is_empty());
    // The right CA still works on the same server.
    assert_eq!(s.request("GET", "/sim/health", None, None).await.status, 200);
}

#[tokio::test]
async fn plain_http_mode_serves_the_same_interface() {
    let settings = Settings::default().merged(&base_settings()).unwrap();
    let s = TestSim::start_config(SimConfig { tls: false, settings, ..SimConfig::default() });
    assert!(s.sim.ca_pem().is_none());
    assert_eq!(s.sim.base_url(), format!("http://127.0.0.1:{}", s.sim.addr().port()));
    let mut a = s.sign_in(101).await;
    assert_eq!(s.next_event(&mut a).await["eventType"], "AgentOther_InService");
    // An HTTPS client cannot talk to it.
    let https = client_for(Some(TestSim::start(json!({})).sim.ca_pem().unwrap()));
    let url = s.url("/sim/health").replace("http://", "https://");
    assert!(https.get(url).send().await.is_err());
}

#[tokio::test]
async fn binary_prints_the_url_first_writes_the_ca_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("ccgw-sim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_path = dir.join("ca.pem");
    let _ = std::fs::remove_file(&ca_path);
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccgw-sim"))
        .args(["--port", "0", "--ca-out"])
        .arg(&ca_path)
        .args(["--set", "poll_wait_ms=300"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let line = first_line(&mut child, Duration::from_secs(20));
    let url = line.strip_suffix('\n').expect("the first line ends with a newline");
    let port: u16 = url
        .strip_prefix("https://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line {url:?} is not https://127.0.0.1:PORT"))
        .parse()
        .unwrap_or_else(|_| panic!("first line {url:?} has no numeric port"));
    assert_ne!(port, 0);

    // The CA file exists when the URL is printed and verifies the server.
    let pem = std::fs::read_to_string(&ca_path).expect("the CA file was written before the URL");
    let client = client_for(Some(&pem));
    let r = client.get(format!("{url}/sim/health")).send().await.expect("the CA verifies the server");
    assert_eq!(r.status(), 200);
    // --set reached the settings.
    let cfg: serde_json::Value =
        serde_json::from_slice(&client.get(format!("{url}/sim/config")).send().await.unwrap().bytes().await.unwrap())
            .unwrap();
    assert_eq!(cfg["poll_wait_ms"], 300);

    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
    let status = wait_exit(&mut child, Duration::from_secs(5));
    assert_eq!(status.code(), Some(0), "exit status after SIGTERM: {status:?}");
    // And it no longer listens.
    assert!(client.get(format!("{url}/sim/health")).send().await.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_rejects_unknown_settings_with_status_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_ccgw-sim"))
        .args(["--port", "0", "--set", "no_such_setting=1"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout: {:?}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_setting"));
}

#[test]
fn binary_stops_cleanly_on_a_signal_sent_right_after_the_url() {
    // Scripts signal the simulator as soon as they have the URL: the handlers must already
    // be in place then, or the signal's default action kills it.
    for (round, signal) in [libc::SIGINT, libc::SIGTERM].into_iter().cycle().take(12).enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ccgw-sim"))
            .args(["--port", "0", "--http"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let line = first_line(&mut child, Duration::from_secs(20));
        assert!(line.starts_with("http://127.0.0.1:"), "{line:?}");
        let rc = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        assert_eq!(rc, 0);
        let status = wait_exit(&mut child, Duration::from_secs(5));
        assert_eq!(status.code(), Some(0), "round {round}: exit status after signal {signal}: {status:?}");
    }
}

/// Starts the binary with `env` as its only `CCGW_SIM_*` configuration; returns the child
/// and its URL.
fn start_binary_with_env(env: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccgw-sim"))
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let url = first_line(&mut child, Duration::from_secs(20)).trim().to_string();
    (child, url)
}

fn stop_binary(mut child: Child) {
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)).code(), Some(0));
}

#[tokio::test]
async fn binary_takes_options_and_settings_from_the_environment() {
    let (child, url) = start_binary_with_env(&[
        ("CCGW_SIM_HTTP", "true"),
        ("CCGW_SIM_PORT", "0"),
        ("CCGW_SIM_PASSWORD", "from-env"),
        ("CCGW_SIM_POLL_WAIT_MS", "300"),
        ("CCGW_SIM_AUTH_MODE", "static"),
        ("CCGW_SIM_AGENTS", r#"{"153": {"inspector": true}}"#),
    ]);
    assert!(url.starts_with("http://127.0.0.1:"), "CCGW_SIM_HTTP: {url:?}");
    let client = client_for(None);
    let cfg: serde_json::Value =
        serde_json::from_slice(&client.get(format!("{url}/sim/config")).send().await.unwrap().bytes().await.unwrap())
            .unwrap();
    assert_eq!(cfg["poll_wait_ms"], 300);
    assert_eq!(cfg["auth_mode"], "static");
    assert_eq!(cfg["default_password"], "from-env");
    assert_eq!(cfg["agents"]["153"]["inspector"], true);
    stop_binary(child);
}

#[tokio::test]
async fn binary_serves_a_certificate_named_in_the_environment() {
    // The user's own CA (made with rcgen here) and a server certificate it signs for the
    // name a container network gives the simulator.
    let dir = std::env::temp_dir().join(format!("ccgw-sim-envcert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate().unwrap()).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["ccgw-sim".to_string()]).unwrap().signed_by(&key, &ca).unwrap();
    let (cert_file, key_file) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_file, leaf.pem()).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();

    let (child, url) = start_binary_with_env(&[
        ("CCGW_SIM_CERT", cert_file.to_str().unwrap()),
        ("CCGW_SIM_KEY", key_file.to_str().unwrap()),
    ]);
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config(&ca.pem()))
        .no_proxy()
        .resolve("ccgw-sim", ([127, 0, 0, 1], port).into())
        .build()
        .unwrap();
    let r = client.get(format!("https://ccgw-sim:{port}/sim/health")).send().await.expect("the supplied certificate");
    assert_eq!(r.status(), 200);
    stop_binary(child);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_refuses_bad_certificate_options_with_status_2() {
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_ccgw-sim")).args(args).output().expect("runs");
    for (args, says) in [
        (&["--cert", "/nonexistent/cert.pem", "--key", "/nonexistent/key.pem"][..], "/nonexistent/cert.pem"),
        (&["--cert", "/nonexistent/cert.pem"][..], "--key"),
        (&["--http", "--ca-out", "ca.pem"][..], "--ca-out"),
        (&["--san", "not a name"][..], "not a name"),
    ] {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn binary_help_lists_the_environment_variables() {
    let out = Command::new(env!("CARGO_BIN_EXE_ccgw-sim")).arg("--help").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for var in
        ["CCGW_SIM_PORT", "CCGW_SIM_SAN", "CCGW_SIM_CERT", "CCGW_SIM_KEY", "CCGW_SIM_POLL_WAIT_MS", "CCGW_SIM_AGENTS"]
    {
        assert!(help.contains(var), "{var} missing from --help:\n{help}");
    }
    // The password's value is never shown, even when it comes from the environment.
    let out = Command::new(env!("CARGO_BIN_EXE_ccgw-sim"))
        .arg("--help")
        .env("CCGW_SIM_PASSWORD", "secret-from-env")
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("secret-from-env"));
}
