//! The server's TLS identity: either a throw-away certificate authority made at start-up
//! and the server certificate it signs (for `localhost`, `127.0.0.1`, `::1` and any extra
//! names asked for), or a certificate chain and key the user supplies as PEM files.
//! Clients verify the server normally; nothing needs "accept any certificate".

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose, SanType};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

pub struct ServerTls {
    /// The generated CA certificate, PEM, for clients to trust (`None` for a certificate
    /// the user supplied: they have its CA).
    pub ca_pem: Option<String>,
    pub server_config: Arc<rustls::ServerConfig>,
}

fn err(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("certificate generation failed: {e}"))
}

/// A subject alternative name from a command-line word: an IP address when it parses as
/// one, else a DNS name (RFC 5280 §4.2.1.6; validated as a hostname).
fn san(name: &str) -> std::io::Result<SanType> {
    if let Ok(ip) = name.parse::<IpAddr>() {
        return Ok(SanType::IpAddress(ip));
    }
    rustls::pki_types::DnsName::try_from(name).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{name:?} is neither an IP address nor a valid DNS name"),
        )
    })?;
    Ok(SanType::DnsName(name.try_into().map_err(err)?))
}

/// A new CA and a server certificate it signs for `localhost`, `127.0.0.1`, `::1` and
/// `extra_names` (DNS names or IP addresses).
pub fn generate(extra_names: &[String]) -> std::io::Result<ServerTls> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca_params.distinguished_name.push(DnType::CommonName, "ccgw-sim test CA");
    ca_params.distinguished_name.push(DnType::OrganizationName, "ccgw-sim");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages =
        vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca_key = KeyPair::generate().map_err(err)?;
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).map_err(err)?;

    let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).map_err(err)?;
    leaf.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)));
    leaf.subject_alt_names.push(SanType::IpAddress(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)));
    for name in extra_names {
        let name = san(name)?;
        if !leaf.subject_alt_names.contains(&name) {
            leaf.subject_alt_names.push(name);
        }
    }
    leaf.distinguished_name.push(DnType::CommonName, "ccgw-sim AgentGateway");
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    leaf.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().map_err(err)?;
    let leaf_cert = leaf.signed_by(&leaf_key, &ca).map_err(err)?;

    let chain = vec![CertificateDer::from(leaf_cert.der().to_vec()), ca.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    Ok(ServerTls { ca_pem: Some(ca.pem()), server_config: server_config(chain, key).map_err(err)? })
}

/// The certificate chain (PEM, the server's certificate first) and private key (PEM:
/// PKCS#8, PKCS#1 or SEC1) in the given files.
pub fn load(cert_file: &Path, key_file: &Path) -> std::io::Result<ServerTls> {
    let bad = |file: &Path, what: String| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{}: {what}", file.display()))
    };
    let chain = CertificateDer::pem_file_iter(cert_file)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| bad(cert_file, format!("not a PEM certificate chain: {e}")))?;
    if chain.is_empty() {
        return Err(bad(cert_file, "no certificate in the file".into()));
    }
    let key = PrivateKeyDer::from_pem_file(key_file).map_err(|e| bad(key_file, format!("no PEM private key: {e}")))?;
    let server_config = server_config(chain, key)
        .map_err(|e| bad(cert_file, format!("the certificate and the key do not make a server identity: {e}")))?;
    Ok(ServerTls { ca_pem: None, server_config })
}

fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<rustls::ServerConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
