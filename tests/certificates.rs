//! The certificates gateways really have (issue 10.5): pinning a gateway certificate by
//! its SHA-256 or by the certificate itself (an `openssl req -x509` self-signed CA:TRUE
//! certificate, a `keytool`-style certificate naming its host only in the CN), and every
//! TLS failure explained in words a CTI engineer can act on. Each certificate is generated
//! here and served by the simulator (its `tls_identity`); the old-TLS servers are
//! `openssl s_server`.

mod common;

use ccgw::status::*;
use common::*;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, SanType};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ccgw-certs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

fn ca(cn: &str) -> Ca {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    Ca { issuer: CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap() }
}

/// A server certificate: `cn`, subjectAltNames `sans` (empty: none at all), valid from
/// `days` = (from, to) relative to today, signed by `ca` (None: self-signed, CA:TRUE like
/// `openssl req -x509`). Written as `cert.pem`/`key.pem` in `d`; returns the cert's DER.
fn leaf(d: &Path, cn: &str, sans: &[&str], days: (i64, i64), ca: Option<&Ca>) -> Vec<u8> {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    for s in sans {
        p.subject_alt_names.push(match s.parse() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*s).try_into().unwrap()),
        });
    }
    let at = |d: i64| time::OffsetDateTime::now_utc() + time::Duration::days(d);
    p.not_before = at(days.0);
    p.not_after = at(days.1);
    let key = KeyPair::generate().unwrap();
    let cert = match ca {
        Some(ca) => {
            p.is_ca = IsCa::ExplicitNoCa;
            p.signed_by(&key, &ca.issuer).unwrap()
        }
        None => {
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p.self_signed(&key).unwrap()
        }
    };
    std::fs::write(d.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(d.join("key.pem"), key.serialize_pem()).unwrap();
    cert.der().to_vec()
}

fn serve(d: &Path) -> ccgw_sim::Simulator {
    let settings = ccgw_sim::Settings::default().merged(&json!({"default_password": PASSWORD})).unwrap();
    ccgw_sim::Simulator::start(ccgw_sim::SimConfig {
        settings,
        tls_identity: Some(ccgw_sim::TlsIdentity { cert_file: d.join("cert.pem"), key_file: d.join("key.pem") }),
        ..Default::default()
    })
    .expect("simulator with the test certificate")
}

fn sha256_hex(der: &[u8]) -> String {
    ccgw::tls::fingerprint(der)
}

/// Options for `url` (host as given) with no CA at all: set trust by hand.
fn opts_for(url: &str, agent: &str) -> (Opts, Vec<std::ffi::CString>) {
    let mut o = Opts::bare(url, agent);
    o.raw.request_timeout_ms = 5_000;
    (o, Vec::new())
}

/// Signs in through `o`; on failure the status and message.
fn try_sign_in(o: &Opts) -> Result<S, (ccgw_status, String)> {
    let s = new_session(o).map_err(|st| (st, last_error().1))?;
    match sign_in(&s) {
        CCGW_OK => Ok(s),
        st => Err((st, last_error().1)),
    }
}

#[test]
fn a_pinned_openssl_req_x509_certificate_is_trusted_and_nothing_else_is() {
    let d = dir("openssl");
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30"])
        .args(["-subj", "/CN=gw.example", "-keyout"])
        .arg(d.join("key.pem"))
        .arg("-out")
        .arg(d.join("cert.pem"))
        .stderr(Stdio::null())
        .status()
        .expect("the openssl CLI");
    assert!(made.success());
    let sim = serve(&d);
    let url = format!("https://127.0.0.1:{}", sim.addr().port());
    let pem = std::fs::read(d.join("cert.pem")).unwrap();

    // As a CA file it is refused, and the message says why and what to do.
    let (mut o, _k) = opts_for(&url, "101");
    o.raw.ca_pem = pem.as_ptr();
    o.raw.ca_pem_len = pem.len();
    let (st, msg) = try_sign_in(&o).err().expect("a CA:TRUE certificate is no server certificate");
    assert_eq!(st, CCGW_E_TLS, "{msg}");
    assert!(msg.contains("CA certificate") && msg.contains("CA:TRUE") && msg.contains("pinned_sha256 = "), "{msg}");
    assert!(sim.journal().is_empty());

    // Pinned by the fingerprint openssl prints, in openssl's own spelling.
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(d.join("cert.pem"))
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.starts_with("sha256 Fingerprint=") || printed.starts_with("SHA256 Fingerprint="), "{printed}");
    let pin = cs(printed.trim());
    let (mut o, _k) = opts_for(&url, "101");
    o.raw.pinned_sha256 = pin.as_ptr();
    let s = try_sign_in(&o).unwrap_or_else(|e| panic!("pinned: {e:?}"));
    request(&s, "GET", "onlineagent/{agentid}/agentstatus", None).unwrap();

    // Pinned by the certificate file (PEM, and DER).
    let file = cs(d.join("cert.pem").to_str().unwrap());
    let (mut o, _k) = opts_for(&url, "102");
    o.raw.pinned_cert_file = file.as_ptr();
    try_sign_in(&o).unwrap_or_else(|e| panic!("pinned by PEM file: {e:?}"));
    let der = CertificateDerOf::pem(&pem);
    std::fs::write(d.join("cert.der"), &der).unwrap();
    let file = cs(d.join("cert.der").to_str().unwrap());
    let (mut o, _k) = opts_for(&url, "103");
    o.raw.pinned_cert_file = file.as_ptr();
    try_sign_in(&o).unwrap_or_else(|e| panic!("pinned by DER file: {e:?}"));

    // Another pin: refused, naming the certificate's fingerprint; nothing sent.
    let mark = sim.journal_mark();
    let other = cs(&"ab".repeat(32));
    let (mut o, _k) = opts_for(&url, "104");
    o.raw.pinned_sha256 = other.as_ptr();
    let (st, msg) = try_sign_in(&o).err().unwrap();
    assert_eq!(st, CCGW_E_TLS);
    assert!(msg.contains("not pinned") && msg.contains(&sha256_hex(&der)), "{msg}");
    assert!(sim.journal_since(mark).is_empty());
}

/// Minimal PEM → DER for the test (the library has its own reader).
struct CertificateDerOf;
impl CertificateDerOf {
    fn pem(pem: &[u8]) -> Vec<u8> {
        use rustls::pki_types::pem::PemObject;
        rustls::pki_types::CertificateDer::from_pem_slice(pem).unwrap().to_vec()
    }
}

#[test]
fn pin_options_are_checked_before_anything_is_sent() {
    let sim = sim(json!({}));
    let url = sim.base_url().to_string();
    for bad in ["", "abc", &"ab".repeat(31), &"zz".repeat(32)] {
        let p = cs(bad);
        let (mut o, _k) = opts_for(&url, "101");
        o.raw.pinned_sha256 = p.as_ptr();
        assert_eq!(new_session(&o).err(), Some(CCGW_E_INVALID_ARGUMENT), "{bad:?}");
        assert!(last_error().1.contains("pinned_sha256"), "{}", last_error().1);
    }
    // A file that is no certificate, a missing file, and a pin together with a CA.
    let d = dir("badpin");
    std::fs::write(d.join("junk.pem"), "not a certificate").unwrap();
    for f in [d.join("junk.pem"), d.join("missing.pem")] {
        let p = cs(f.to_str().unwrap());
        let (mut o, _k) = opts_for(&url, "101");
        o.raw.pinned_cert_file = p.as_ptr();
        assert_eq!(new_session(&o).err(), Some(CCGW_E_INVALID_ARGUMENT), "{f:?}");
        assert!(last_error().1.contains("pinned_cert_file"), "{}", last_error().1);
    }
    let p = cs(&"ab".repeat(32));
    let mut o = opts(&sim, "101");
    o.raw.pinned_sha256 = p.as_ptr();
    assert_eq!(new_session(&o).err(), Some(CCGW_E_INVALID_ARGUMENT));
    assert!(last_error().1.contains("not both"), "{}", last_error().1);
    assert!(sim.journal().is_empty());
}

/// Each kind of certificate trouble: the status is `CCGW_E_TLS` and the message says
/// what is wrong and what to do; the pin then works for every one of them.
#[test]
fn certificate_failures_are_explained() {
    let the_ca = ca("Example Gateway CA");
    let ca_pem = the_ca.issuer.pem();
    struct Case {
        name: &'static str,
        host: &'static str,
        cn: &'static str,
        sans: &'static [&'static str],
        days: (i64, i64),
        signed: bool,
        give_ca: bool,
        says: &'static [&'static str],
    }
    let cases = [
        Case {
            name: "keytool-cn-only",
            host: "localhost",
            cn: "localhost",
            sans: &[],
            days: (-1, 365),
            signed: true,
            give_ca: true,
            says: &["only in its subject's Common Name (CN=localhost)", "subjectAltName", "pinned_sha256 = "],
        },
        Case {
            name: "name-mismatch",
            host: "127.0.0.1",
            cn: "gw1",
            sans: &["gw1.example", "10.9.8.7"],
            days: (-1, 365),
            signed: true,
            give_ca: true,
            says: &["is for gw1.example, 10.9.8.7", "not for 127.0.0.1"],
        },
        Case {
            name: "expired",
            host: "127.0.0.1",
            cn: "gw",
            sans: &["127.0.0.1"],
            days: (-400, -35),
            signed: true,
            give_ca: true,
            says: &["expired on", "valid from", "UTC", "it is now"],
        },
        Case {
            name: "not-yet-valid",
            host: "127.0.0.1",
            cn: "gw",
            sans: &["127.0.0.1"],
            days: (30, 400),
            signed: true,
            give_ca: true,
            says: &["not valid before", "clock"],
        },
        Case {
            name: "unknown-issuer",
            host: "127.0.0.1",
            cn: "gw",
            sans: &["127.0.0.1"],
            days: (-1, 365),
            signed: true,
            give_ca: false,
            says: &["issued by", "Example Gateway CA", "not among", "ca_file"],
        },
    ];
    for c in &cases {
        let d = dir(c.name);
        let der = leaf(&d, c.cn, c.sans, c.days, c.signed.then_some(&the_ca));
        let sim = serve(&d);
        let url = format!("https://{}:{}", c.host, sim.addr().port());
        let other_ca = ca("Some Other CA").issuer.pem();
        let given = if c.give_ca { ca_pem.as_bytes() } else { other_ca.as_bytes() };
        let (mut o, _k) = opts_for(&url, "101");
        o.raw.ca_pem = given.as_ptr();
        o.raw.ca_pem_len = given.len();
        let (st, msg) = try_sign_in(&o).err().unwrap_or_else(|| panic!("{}: accepted", c.name));
        assert_eq!(st, CCGW_E_TLS, "{}: {msg}", c.name);
        assert!(msg.starts_with("login: TLS with the gateway failed: "), "{}: {msg}", c.name);
        for w in c.says {
            assert!(msg.contains(w), "{}: {w:?} missing in {msg}", c.name);
        }
        assert!(sim.journal().is_empty(), "{}: nothing sent", c.name);
        // Pinning the very certificate works whatever was wrong with it.
        let pin = cs(&sha256_hex(&der));
        let (mut o, _k) = opts_for(&url, "101");
        o.raw.pinned_sha256 = pin.as_ptr();
        try_sign_in(&o).unwrap_or_else(|e| panic!("{}: pinned: {e:?}", c.name));
    }
}

/// An `openssl s_server` speaking only what `args` allow; None when this openssl cannot.
struct SServer(std::process::Child, u16);

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn s_server(d: &Path, args: &[&str]) -> SServer {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(port.to_string())
        .arg("-cert")
        .arg(d.join("cert.pem"))
        .arg("-key")
        .arg(d.join("key.pem"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "s_server did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    SServer(child, port)
}

#[test]
fn old_protocols_and_cipher_suites_are_explained() {
    let d = dir("oldtls");
    // RSA: the legacy suites below need an RSA key.
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
        .arg(d.join("key.pem"))
        .arg("-out")
        .arg(d.join("cert.pem"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    let pin = cs(&sha256_hex(&CertificateDerOf::pem(&std::fs::read(d.join("cert.pem")).unwrap())));
    let cases: [(&str, &[&str], &[&str]); 3] = [
        ("TLS 1.0 only", &["-tls1", "-cipher", "ALL:@SECLEVEL=0"], &["only TLS 1.0 or 1.1", "enable TLS 1.2 or 1.3"]),
        ("TLS 1.1 only", &["-tls1_1", "-cipher", "ALL:@SECLEVEL=0"], &["only TLS 1.0 or 1.1"]),
        (
            "TLS 1.2 without ECDHE/AEAD",
            &["-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0"],
            &["shares no cipher suite", "ECDHE"],
        ),
    ];
    for (what, args, says) in cases {
        let srv = s_server(&d, args);
        let url = format!("https://127.0.0.1:{}", srv.1);
        let (mut o, _k) = opts_for(&url, "101");
        o.raw.pinned_sha256 = pin.as_ptr();
        let (st, msg) = try_sign_in(&o).err().unwrap_or_else(|| panic!("{what}: accepted"));
        assert_eq!(st, CCGW_E_TLS, "{what}: {msg}");
        for w in says {
            assert!(msg.contains(w), "{what}: {w:?} missing in {msg}");
        }
    }
}
