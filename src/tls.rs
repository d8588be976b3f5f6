//! TLS towards the gateway: which certificates are trusted (the system store, a CA file,
//! or exactly the pinned gateway certificates), and failures explained in words a CTI
//! engineer can act on.
//!
//! Requirements (README, `include/ccgw.h`): TLS 1.3, or TLS 1.2 with an ECDHE key exchange
//! and an AEAD cipher (AES-GCM, ChaCha20-Poly1305), as rustls offers them; a certificate
//! with an RSA (2048 bits or more), ECDSA P-256/P-384 or Ed25519 key.
//!
//! Pinning: the gateway's certificate is accepted when its SHA-256 (over the DER, the value
//! `openssl x509 -noout -fingerprint -sha256` prints) is one of the pinned ones. The pin
//! replaces the chain, name and CA-flag checks, and the validity dates (a self-signed
//! gateway certificate is often past its dates; an expired pinned certificate is logged as
//! a warning once per set of pins in use, sessions with the same pins sharing one
//! configuration); the handshake's signature is still verified with the certificate's key,
//! so only the holder of that key can be the gateway.

use crate::error::{invalid, sanitize, Error, Result, NETWORK_TEXT_MAX};
use crate::log::log;
use crate::status::*;
use crate::transport::{Roots, TransportConfig};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The SHA-256 of a certificate as `openssl x509 -fingerprint -sha256` prints it:
/// `AB:CD:...` (32 bytes, 95 characters).
pub fn fingerprint(der: &[u8]) -> String {
    fingerprint_text(&sha256(der))
}

fn fingerprint_text(d: &[u8; 32]) -> String {
    d.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

fn sha256(der: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, der);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Reads `pinned_sha256`: one or more SHA-256 fingerprints separated by commas, each 64
/// hex digits, optionally with `:` or spaces between bytes and a `SHA256 Fingerprint=`
/// (openssl) or `sha256:` prefix.
pub fn parse_fingerprints(text: &str) -> Result<Vec<[u8; 32]>> {
    let mut pins = Vec::new();
    for (i, item) in text.split(',').enumerate() {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let value = match item.split_once('=') {
            Some((prefix, v)) if prefix.trim().eq_ignore_ascii_case("sha256 fingerprint") => v,
            Some(_) => {
                return Err(invalid(format!(
                    "pinned_sha256 entry {} has an unknown prefix before '=' (only openssl's `SHA256 Fingerprint=` or `sha256:` may come before the digits)",
                    i + 1
                )))
            }
            None => item.strip_prefix("sha256:").or_else(|| item.strip_prefix("SHA256:")).unwrap_or(item),
        };
        let hex: String = value.chars().filter(|c| *c != ':' && !c.is_whitespace()).collect();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid(format!(
                "pinned_sha256 entry {} is not a SHA-256 fingerprint (64 hex digits, optionally separated by ':')",
                i + 1
            )));
        }
        let mut pin = [0u8; 32];
        for (j, byte) in pin.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * j..2 * j + 2], 16).expect("checked hex");
        }
        pins.push(pin);
    }
    if pins.is_empty() {
        return Err(invalid("pinned_sha256 holds no fingerprint"));
    }
    Ok(pins)
}

/// The pins of `pinned_cert`: every certificate of a PEM text, or one DER certificate.
pub fn pins_from_certificates(bytes: &[u8], what: &str) -> Result<Vec<[u8; 32]>> {
    let ders: Vec<Vec<u8>> = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        CertificateDer::pem_slice_iter(bytes)
            .map(|c| c.map(|c| c.to_vec()))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| invalid(format!("{what}: the PEM cannot be read: {e}")))?
    } else {
        vec![bytes.to_vec()]
    };
    if ders.is_empty() {
        return Err(invalid(format!("{what} holds no certificate")));
    }
    for der in &ders {
        if x509_parser::parse_x509_certificate(der).is_err() {
            return Err(invalid(format!("{what} is not a certificate (PEM or DER X.509)")));
        }
    }
    Ok(ders.iter().map(|d| sha256(d)).collect())
}

/// The operating system's trust store, read once per process.
fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| rustls_native_certs::load_native_certs().certs)
}

/// What makes two sessions' TLS configurations the same: the verifier's inputs (the CA
/// PEM by its SHA-256).
#[derive(PartialEq, Eq)]
struct ConfigKey {
    insecure: bool,
    pins: Vec<[u8; 32]>,
    roots: Option<[u8; 32]>,
}

/// The configurations in use, shared by every session whose key is the same: the verifier
/// (for the system store, ~140 parsed trust anchors), the crypto provider and the TLS
/// session-resumption store (rustls's in-memory cache, sized for 256 servers) are then
/// made once, not per session. Sharing the resumption store is sound only between sessions
/// that verify the server the same way, hence the key. Entries go when their last
/// session does.
static CONFIGS: std::sync::Mutex<Vec<(ConfigKey, std::sync::Weak<rustls::ClientConfig>)>> =
    std::sync::Mutex::new(Vec::new());

/// The client configuration for a session: TLS 1.2 and 1.3 (rustls's safe defaults), the
/// verifier the configuration asks for (see [`crate::transport::TransportConfig`]), no
/// client certificate; the one already made for the same settings if a live session has
/// it ([`CONFIGS`]).
pub fn client_config(cfg: &TransportConfig) -> Result<Arc<rustls::ClientConfig>> {
    if cfg.insecure_accept_any_certificate {
        log!(
            Warn,
            "session",
            "TLS certificate verification is OFF (insecure_accept_any_certificate); use this only in a lab"
        );
    }
    let key = ConfigKey {
        insecure: cfg.insecure_accept_any_certificate,
        pins: cfg.pins.clone(),
        roots: match &cfg.roots {
            Roots::System => None,
            Roots::Pem(pem) => Some(sha256(pem)),
        },
    };
    let mut configs = CONFIGS.lock().unwrap_or_else(|e| e.into_inner());
    configs.retain(|(_, c)| c.strong_count() > 0);
    if let Some(c) = configs.iter().find(|(k, _)| *k == key).and_then(|(_, c)| c.upgrade()) {
        return Ok(c);
    }
    let made = Arc::new(new_client_config(cfg)?);
    configs.push((key, Arc::downgrade(&made)));
    Ok(made)
}

/// The process's crypto provider (ring), made once.
fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider())).clone()
}

fn new_client_config(cfg: &TransportConfig) -> Result<rustls::ClientConfig> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("TLS set-up failed: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = if cfg.insecure_accept_any_certificate {
        Arc::new(AcceptAny(provider))
    } else if !cfg.pins.is_empty() {
        if cfg.roots != Roots::System {
            return Err(invalid(
                "give either a CA (ca_file / ca_pem) or a pinned certificate (pinned_sha256 / pinned_cert_file), not both",
            ));
        }
        Arc::new(Pinned { pins: cfg.pins.clone(), provider, expiry_warned: AtomicBool::new(false) })
    } else {
        match &cfg.roots {
            Roots::Pem(pem) => {
                let mut roots = rustls::RootCertStore::empty();
                let mut n = 0;
                for cert in CertificateDer::pem_slice_iter(pem) {
                    let cert = cert.map_err(|e| invalid(format!("the CA PEM cannot be read: {e}")))?;
                    roots.add(cert).map_err(|e| invalid(format!("the CA PEM holds an unusable certificate: {e}")))?;
                    n += 1;
                }
                if n == 0 {
                    return Err(invalid("the CA PEM holds no certificate"));
                }
                explained(roots, provider, false)?
            }
            Roots::System => {
                let mut roots = rustls::RootCertStore::empty();
                let (added, _ignored) = roots.add_parsable_certificates(system_roots().iter().cloned());
                if added == 0 {
                    return Err(Error::new(
                        CCGW_E_TLS,
                        "no usable certificate in the system trust store; give the gateway's CA (ca_file) or pin its certificate (pinned_cert_file)",
                    ));
                }
                explained(roots, provider, true)?
            }
        }
    };
    Ok(builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth())
}

fn explained(
    roots: rustls::RootCertStore,
    provider: Arc<CryptoProvider>,
    system: bool,
) -> Result<Arc<dyn ServerCertVerifier>> {
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("TLS set-up failed: {e}")))?;
    Ok(Arc::new(Explained { inner, system }))
}

/// A verification failure in words (the text of `CCGW_E_TLS`'s message), carried through
/// rustls as `CertificateError::Other`.
#[derive(Debug)]
pub struct Explanation(pub String);

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Explanation {}

fn explanation(text: String) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(Explanation(text)))))
}

/// rustls's WebPKI verification (chain to the roots, name in subjectAltName, dates,
/// end-entity not a CA), with its failures explained from the certificate itself.
#[derive(Debug)]
struct Explained {
    inner: Arc<WebPkiServerVerifier>,
    system: bool,
}

impl ServerCertVerifier for Explained {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Ok(v) => Ok(v),
            Err(rustls::Error::InvalidCertificate(e)) => {
                Err(explanation(explain_certificate(&e, end_entity, server_name, now, self.system)))
            }
            Err(e) => Err(e),
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The handshake-signature methods of a verifier that checks them itself: with the
/// certificate's key, by the algorithms of the crypto provider in field `$p`.
macro_rules! handshake_signatures_by {
    ($p:tt) => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.$p.signature_verification_algorithms)
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.$p.signature_verification_algorithms)
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.$p.signature_verification_algorithms.supported_schemes()
        }
    };
}

/// Exactly the pinned certificates (see the module documentation).
#[derive(Debug)]
struct Pinned {
    pins: Vec<[u8; 32]>,
    provider: Arc<CryptoProvider>,
    expiry_warned: AtomicBool,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let digest = sha256(end_entity);
        if !self.pins.contains(&digest) {
            return Err(explanation(format!(
                "the gateway presented a certificate that is not pinned (its SHA-256 is {}; {} pinned){}",
                fingerprint_text(&digest),
                self.pins.len(),
                describe(end_entity).map(|d| format!("; it is {d}")).unwrap_or_default()
            )));
        }
        if let Ok((_, cert)) = x509_parser::parse_x509_certificate(end_entity) {
            let v = cert.validity();
            let t = now.as_secs() as i64;
            if (t > v.not_after.timestamp() || t < v.not_before.timestamp())
                && !self.expiry_warned.swap(true, Ordering::Relaxed)
            {
                log!(
                    Warn,
                    "session",
                    "the pinned gateway certificate is valid from {} to {} only (now {}); it is accepted because it is pinned",
                    date(v.not_before.timestamp()),
                    date(v.not_after.timestamp()),
                    date(t)
                );
            }
        }
        Ok(ServerCertVerified::assertion())
    }
    handshake_signatures_by!(provider);
}

/// Accepts any certificate, still checking the handshake signature.
#[derive(Debug)]
struct AcceptAny(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    handshake_signatures_by!(0);
}

/// A UTC time as `2024-05-01 12:00:00 UTC`.
pub fn date(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC", secs / 3600, secs / 60 % 60, secs % 60)
}

/// What a certificate says about itself, for messages: its names and whether it is
/// self-signed. Every piece is network text: sanitized, at most 8 names.
struct Facts {
    subject_cn: Vec<String>,
    san_names: Vec<String>,
    is_ca: bool,
    self_signed: bool,
    issuer: String,
    not_before: i64,
    not_after: i64,
}

fn facts(der: &[u8]) -> Option<Facts> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let clean = |s: &str| sanitize(s, 80);
    let subject_cn = cert.subject().iter_common_name().filter_map(|a| a.as_str().ok()).take(4).map(clean).collect();
    let mut san_names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in san.value.general_names.iter().take(8) {
            match name {
                x509_parser::extensions::GeneralName::DNSName(n) => san_names.push(clean(n)),
                x509_parser::extensions::GeneralName::IPAddress(ip) => match ip.len() {
                    4 => san_names.push(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*ip).ok()?).to_string()),
                    16 => san_names.push(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*ip).ok()?).to_string()),
                    _ => {}
                },
                _ => {}
            }
        }
    }
    let is_ca = matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca);
    let self_signed = cert.tbs_certificate.subject.as_raw() == cert.tbs_certificate.issuer.as_raw();
    Some(Facts {
        subject_cn,
        san_names,
        is_ca,
        self_signed,
        issuer: sanitize(&cert.issuer().to_string(), NETWORK_TEXT_MAX),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
    })
}

/// `CN=gw.example (self-signed)`: what a certificate is, briefly.
fn describe(der: &[u8]) -> Option<String> {
    let f = facts(der)?;
    let cn = f.subject_cn.first().map(|c| format!("CN={c}")).unwrap_or_else(|| "without a CN".into());
    Some(if f.self_signed { format!("{cn}, self-signed") } else { format!("{cn}, issued by {}", f.issuer) })
}

fn host_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => "the gateway".into(),
    }
}

/// A certificate verification failure in words: what is wrong, and what to do.
fn explain_certificate(
    e: &CertificateError,
    der: &[u8],
    server_name: &ServerName<'_>,
    now: UnixTime,
    system: bool,
) -> String {
    let host = host_text(server_name);
    let fp = fingerprint(der);
    // The fingerprint is read from this unverified connection: the advice says to check it.
    let pin = format!(
        "pin it instead (pinned_sha256 = {fp}, once that fingerprint is confirmed with the gateway's \
         administrator: it was read from this unverified connection)"
    );
    // An address is matched against iPAddress entries, a name against dNSName ones.
    let (keytool_san, openssl_san) = if host.parse::<std::net::IpAddr>().is_ok() {
        (format!("ip:{host}"), format!("IP:{host}"))
    } else {
        (format!("dns:{host}"), format!("DNS:{host}"))
    };
    let f = facts(der);
    let trust_store = if system { "the system trust store" } else { "the CA given (ca_file / ca_pem)" };
    match e {
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            let Some(f) = f else { return format!("the gateway's certificate is not valid for {host}") };
            let cn_matches = f.subject_cn.iter().any(|c| c.eq_ignore_ascii_case(&host));
            if f.san_names.is_empty() && cn_matches {
                format!(
                    "the gateway's certificate names {host} only in its subject's Common Name (CN={host}) and has no \
                     subjectAltName; TLS clients match the host only against subjectAltName (RFC 9525 §6.3): re-issue \
                     it with the host as a subjectAltName (keytool -ext SAN={keytool_san}, openssl -addext \
                     subjectAltName={openssl_san}), or {pin}"
                )
            } else if f.san_names.is_empty() {
                format!(
                    "the gateway's certificate has no subjectAltName and its CN ({}) is not {host}: it is not for \
                     this host; connect by a name it carries, re-issue it, or {pin}",
                    f.subject_cn.join(", ")
                )
            } else {
                format!(
                    "the gateway's certificate is for {} (subjectAltName), not for {host}: connect by one of those \
                     names, re-issue it with subjectAltName={openssl_san}, or {pin}",
                    f.san_names.join(", ")
                )
            }
        }
        CertificateError::Other(OtherError(inner))
            if matches!(inner.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity)) =>
        {
            format!(
            "the gateway's certificate is a CA certificate (basicConstraints CA:TRUE, as `openssl req -x509` makes by \
             default) serving as the server's own certificate, which certificate verification refuses even when it \
             is given as the CA; {pin}, or re-issue it as a server certificate signed by a CA"
            )
        }
        CertificateError::UnknownIssuer => match f {
            Some(f) if f.self_signed => format!(
                "the gateway's certificate is self-signed ({}) and not in {trust_store}; {pin}{}",
                f.subject_cn.first().map(|c| format!("CN={c}")).unwrap_or_default(),
                if f.is_ca { "" } else { ", or give it as ca_file" }
            ),
            Some(f) => format!(
                "the gateway's certificate is issued by {}, which is not among {trust_store}: give that CA (and any \
                 intermediate the gateway does not send) as ca_file, or {pin}",
                f.issuer
            ),
            None => format!("the gateway's certificate is issued by a CA not in {trust_store}; {pin}"),
        },
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            let (nb, na) = f.map(|f| (f.not_before, f.not_after)).unwrap_or((0, 0));
            format!(
                "the gateway's certificate expired on {} (valid from {}; it is now {}); renew it on the gateway, or \
                 check this machine's clock",
                date(na),
                date(nb),
                date(now.as_secs() as i64)
            )
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            let (nb, na) = f.map(|f| (f.not_before, f.not_after)).unwrap_or((0, 0));
            format!(
                "the gateway's certificate is not valid before {} (until {}; it is now {}): check this machine's \
                 clock and the gateway's",
                date(nb),
                date(na),
                date(now.as_secs() as i64)
            )
        }
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => format!(
            "the gateway's certificate is not for TLS servers (its extendedKeyUsage lacks serverAuth); re-issue it, \
             or {pin}"
        ),
        CertificateError::BadSignature => {
            "the gateway's certificate chain has a bad signature (a corrupt or forged certificate)".to_string()
        }
        CertificateError::BadEncoding => "the gateway's certificate cannot be parsed (bad encoding)".to_string(),
        other => format!("the gateway's certificate was refused: {}", sanitize(&other.to_string(), NETWORK_TEXT_MAX)),
    }
}

/// Every TLS failure in words: certificate explanations as made during verification,
/// handshake failures by what they mean for a gateway.
pub fn explain(e: &rustls::Error) -> String {
    use rustls::{AlertDescription as A, PeerIncompatible as P};
    const OFFERED: &str = "ccgw offers TLS 1.3, and TLS 1.2 with ECDHE key exchange and AES-GCM or \
                           ChaCha20-Poly1305 (RFC 9325's recommendations)";
    match e {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(inner))) => {
            match inner.downcast_ref::<Explanation>() {
                Some(x) => x.0.clone(),
                None => {
                    format!("the gateway's certificate was refused: {}", sanitize(&inner.to_string(), NETWORK_TEXT_MAX))
                }
            }
        }
        rustls::Error::AlertReceived(A::ProtocolVersion)
        | rustls::Error::PeerIncompatible(
            P::ServerDoesNotSupportTls12Or13 | P::ServerTlsVersionIsDisabledByOurConfig,
        )
        | rustls::Error::PeerIncompatible(P::SupportedVersionsExtensionRequired) => format!(
            "the gateway speaks only TLS 1.0 or 1.1 (or older), which ccgw does not accept; enable TLS 1.2 or 1.3 on \
             the gateway (or its front end); {OFFERED}"
        ),
        rustls::Error::AlertReceived(A::HandshakeFailure | A::InsufficientSecurity)
        | rustls::Error::PeerIncompatible(P::NoCipherSuitesInCommon | P::NoKxGroupsInCommon) => format!(
            "the gateway refused the TLS handshake: it shares no cipher suite with ccgw (no TLS 1.2+ ECDHE suite \
             with AEAD enabled on the gateway?); {OFFERED}"
        ),
        rustls::Error::InvalidMessage(_) => {
            "the gateway did not answer in TLS: through a proxy, the proxy's tunnel may be passing something else \
             (check the proxy); directly, the port may speak plain HTTP (then an http:// base URL with \
             allow_plain_http, in a lab only)"
                .to_string()
        }
        rustls::Error::AlertReceived(a) => format!("the gateway ended the TLS handshake with the alert {a:?}"),
        other => sanitize(&other.to_string(), NETWORK_TEXT_MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(date(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(date(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(date(1_714_564_800 + 3_723), "2024-05-01 13:02:03 UTC");
        assert_eq!(date(-86_400), "1969-12-31 00:00:00 UTC");
    }

    #[test]
    fn fingerprints_parse_in_the_usual_spellings() {
        let hex = "AB".repeat(32);
        let colons = vec!["ab"; 32].join(":");
        for text in [
            hex.clone(),
            colons.clone(),
            format!("SHA256 Fingerprint={colons}"),
            format!("sha256:{hex}"),
            format!("sha256 Fingerprint={hex}"),
            format!(" {hex} , {colons}"),
        ] {
            let pins = parse_fingerprints(&text).unwrap();
            assert!(pins.iter().all(|p| *p == [0xab; 32]), "{text}");
        }
        let prefixed = format!("MD5 Fingerprint={hex}");
        let nonsense = format!("anything at all={colons}");
        for bad in ["", ",", "abc", &"AB".repeat(31), &"ZZ".repeat(32), &"AB".repeat(33), &prefixed, &nonsense] {
            assert_eq!(parse_fingerprints(bad).unwrap_err().status, CCGW_E_INVALID_ARGUMENT, "{bad}");
        }
    }

    #[test]
    fn fingerprint_text_is_openssl_style() {
        assert_eq!(fingerprint_text(&[0x0f; 32]).len(), 95);
        assert!(fingerprint_text(&[0x0f; 32]).starts_with("0F:0F:"));
    }
}
