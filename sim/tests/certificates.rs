//! The server certificate: extra names and addresses in the generated one, or a chain and
//! key the user supplies; each verified by a client that trusts only the right CA.

mod common;

use ccgw_sim::{Settings, SimConfig, Simulator, TlsIdentity};
use common::*;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

fn start(config: SimConfig) -> Simulator {
    let settings = Settings::default().merged(&base_settings()).unwrap();
    Simulator::start(SimConfig { settings, ..config }).expect("the simulator starts")
}

/// A client trusting `ca_pem` that resolves `host` to `addr` (as a container network's
/// DNS would).
fn client_resolving(ca_pem: &str, host: &str, addr: SocketAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config(ca_pem))
        .no_proxy()
        .http1_only()
        .resolve(host, addr)
        .build()
        .expect("client builds")
}

async fn health(client: &reqwest::Client, url: String) -> Result<u16, String> {
    match client.get(url).send().await {
        Ok(r) => Ok(r.status().as_u16()),
        Err(e) => {
            let mut chain = e.to_string();
            let mut cur = std::error::Error::source(&e);
            while let Some(s) = cur {
                chain.push_str(" / ");
                chain.push_str(&s.to_string());
                cur = s.source();
            }
            Err(chain)
        }
    }
}

#[tokio::test]
async fn extra_dns_names_verify_and_other_names_do_not() {
    let names = vec!["ccgw-sim".to_string(), "gateway.cc.example".to_string()];
    let sim = start(SimConfig { tls_names: names, ..SimConfig::default() });
    let (ca, addr, port) = (sim.ca_pem().unwrap().to_string(), sim.addr(), sim.addr().port());
    for host in ["ccgw-sim", "gateway.cc.example"] {
        let client = client_resolving(&ca, host, addr);
        assert_eq!(health(&client, format!("https://{host}:{port}/sim/health")).await, Ok(200), "{host}");
    }
    // The defaults are still there.
    let client = client_resolving(&ca, "localhost", addr);
    assert_eq!(health(&client, format!("https://localhost:{port}/sim/health")).await, Ok(200));
    // A name that was not asked for fails verification.
    let client = client_resolving(&ca, "other-host", addr);
    let err = health(&client, format!("https://other-host:{port}/sim/health")).await.unwrap_err();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
}

#[tokio::test]
async fn an_extra_ip_address_verifies_and_is_needed() {
    // 127.0.0.2 is loopback on Linux too, but not in the default certificate.
    let bind = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let plain = start(SimConfig { bind, ..SimConfig::default() });
    let err = health(&client_for(plain.ca_pem()), format!("{}/sim/health", plain.base_url())).await.unwrap_err();
    assert!(err.to_lowercase().contains("certificate"), "{err}");

    let named = start(SimConfig { bind, tls_names: vec!["127.0.0.2".into()], ..SimConfig::default() });
    assert!(named.base_url().starts_with("https://127.0.0.2:"));
    assert_eq!(health(&client_for(named.ca_pem()), format!("{}/sim/health", named.base_url())).await, Ok(200));
}

#[test]
fn a_bad_extra_name_is_refused_as_invalid_input() {
    for bad in ["two words", "under_score!", "", "-leading.example"] {
        let err = Simulator::start(SimConfig { tls_names: vec![bad.into()], ..SimConfig::default() })
            .err()
            .unwrap_or_else(|| panic!("{bad:?} was accepted"));
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}: {err}");
        assert!(err.to_string().contains("neither an IP address nor a valid DNS name"), "{err}");
    }
}

/// A CA of the test's own and a server certificate it signs for `names`, written as PEM
/// files: (directory, CA PEM, certificate chain file, key file).
fn own_identity(tag: &str, names: &[&str]) -> (PathBuf, String, PathBuf, PathBuf) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let dir = std::env::temp_dir().join(format!("ccgw-sim-certs-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert_file, key_file) = (dir.join("server.pem"), dir.join("server.key"));
    std::fs::write(&cert_file, leaf.pem() + &ca.pem()).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    (dir, ca.pem(), cert_file, key_file)
}

#[tokio::test]
async fn a_supplied_certificate_and_key_are_served() {
    let (dir, ca, cert_file, key_file) = own_identity("served", &["gw.cc.example"]);
    let sim = start(SimConfig { tls_identity: Some(TlsIdentity { cert_file, key_file }), ..SimConfig::default() });
    assert!(sim.ca_pem().is_none(), "no generated CA with a supplied certificate");
    let port = sim.addr().port();
    let client = client_resolving(&ca, "gw.cc.example", sim.addr());
    assert_eq!(health(&client, format!("https://gw.cc.example:{port}/sim/health")).await, Ok(200));
    // It is the supplied certificate: localhost is not in it.
    let client = client_resolving(&ca, "localhost", sim.addr());
    assert!(health(&client, format!("https://localhost:{port}/sim/health")).await.is_err());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_identity_files_are_refused_as_invalid_input() {
    let (dir, _, cert_file, key_file) = own_identity("bad", &["gw.cc.example"]);
    let (other_dir, _, _, other_key) = own_identity("other", &["gw.cc.example"]);
    let missing = dir.join("missing.pem");
    let cases = [
        ("key of another certificate", cert_file.clone(), other_key),
        ("missing certificate file", missing.clone(), key_file.clone()),
        ("missing key file", cert_file.clone(), missing),
        ("key file given as certificate", key_file.clone(), key_file.clone()),
        ("certificate given as key", cert_file.clone(), cert_file.clone()),
    ];
    for (what, cert_file, key_file) in cases {
        let err = Simulator::start(SimConfig {
            tls_identity: Some(TlsIdentity { cert_file, key_file }),
            ..SimConfig::default()
        })
        .err()
        .unwrap_or_else(|| panic!("{what}: accepted"));
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{what}: {err}");
    }
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(other_dir);
}
