//! A real nginx in front of the simulator (TLS terminated by nginx, HTTP/1.1 keep-alive to
//! the simulator), with `keepalive_timeout` short: reads at gaps spread around it never
//! fail and each reaches the gateway exactly once; operations are never sent twice (issue
//! 10.1, against the front end the issue names). nginx comes from Debian (`.ci/run` installs it when missing); the binary
//! is `$CCGW_NGINX`, `nginx` on PATH, or `/usr/sbin/nginx`.

mod common;

use common::*;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, SanType};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn nginx_binary() -> String {
    if let Some(b) = std::env::var_os("CCGW_NGINX") {
        return b.to_string_lossy().into_owned();
    }
    for candidate in ["nginx", "/usr/sbin/nginx"] {
        if Command::new(candidate).arg("-v").stderr(Stdio::null()).status().is_ok_and(|s| s.success()) {
            return candidate.to_string();
        }
    }
    panic!("nginx is not installed (apt-get install nginx; .ci/run does it) and CCGW_NGINX is not set");
}

struct Nginx(Child, std::path::PathBuf);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

/// nginx on a free loopback port, HTTPS with a certificate for 127.0.0.1 signed by a CA
/// (returned, PEM), proxying to `upstream` with keep-alive, closing idle client
/// connections after `keepalive`.
fn start_nginx(upstream: std::net::SocketAddr, keepalive: &str) -> (Nginx, u16, String) {
    let dir = std::env::temp_dir().join(format!("ccgw-nginx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.distinguished_name.push(DnType::CommonName, "nginx test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let mut leaf = CertificateParams::new(Vec::<String>::new()).unwrap();
    leaf.subject_alt_names.push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    leaf.is_ca = IsCa::ExplicitNoCa;
    let key = KeyPair::generate().unwrap();
    let cert = leaf.signed_by(&key, &ca).unwrap();
    std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let d = dir.display();
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
           fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
           keepalive_timeout {keepalive};\n\
           upstream gw {{ server {upstream}; keepalive 16; }}\n\
           server {{\n    listen 127.0.0.1:{port} ssl;\n    ssl_certificate {d}/cert.pem;\n    ssl_certificate_key {d}/key.pem;\n\
             location / {{ proxy_pass http://gw; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_read_timeout 30s; }}\n\
           }}\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let child = Command::new(nginx_binary())
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .arg("-e")
        .arg(dir.join("error.log"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    let nginx = Nginx(child, dir.clone());
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not listen: {}",
            std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (nginx, port, ca.pem())
}

#[test]
fn behind_nginx_with_a_short_keepalive_timeout_reads_never_fail_and_nothing_is_sent_twice() {
    const KEEPALIVE_MS: u64 = 200;
    const THREADS: usize = 2;
    const CALLS: usize = 50;
    let settings = ccgw_sim::Settings::default()
        .merged(&json!({"default_password": PASSWORD, "reject_duplicates": false}))
        .unwrap();
    let sim = ccgw_sim::Simulator::start(ccgw_sim::SimConfig { tls: false, settings, ..Default::default() }).unwrap();
    let (_nginx, port, ca) = start_nginx(sim.addr(), &format!("{KEEPALIVE_MS}ms"));
    let sessions: Vec<S> = (0..THREADS)
        .map(|i| {
            let mut o = Opts::bare(&format!("https://127.0.0.1:{port}"), &(101 + i).to_string());
            o.raw.ca_pem = ca.as_ptr();
            o.raw.ca_pem_len = ca.len();
            let s = new_session(&o).unwrap();
            expect(sign_in(&s), ccgw::status::CCGW_OK);
            s
        })
        .collect();
    for method in ["GET", "POST"] {
        let mark = sim.journal_mark();
        // Gaps from 0.6 to 1.4 × the keep-alive timeout.
        let failures = calls_at_gaps(&sessions, method, CALLS, |t, i| {
            KEEPALIVE_MS * 6 / 10 + ((i * 7 + t * 11) as u64 % 17) * KEEPALIVE_MS / 20
        });
        let sent = sim.journal_since(mark);
        check_gap_run(
            &format!("nginx keepalive_timeout {KEEPALIVE_MS}ms"),
            method,
            THREADS * CALLS,
            &failures,
            sent.len(),
        );
    }
}
