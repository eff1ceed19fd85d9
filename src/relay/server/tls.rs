//! wss://: the certificate chain and key from PEM files, with ring as rustls's only provider.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

/// A TLS acceptor for the chain in `cert` and the key in `key`; errors name the file at fault.
pub fn acceptor(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            anyhow::anyhow!(
                "[relay] tls_cert {}: expected a PEM certificate chain ({e})",
                cert.display()
            )
        })?;
    if chain.is_empty() {
        anyhow::bail!(
            "[relay] tls_cert {}: expected a PEM certificate chain, found no certificate",
            cert.display()
        );
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        anyhow::anyhow!(
            "[relay] tls_key {}: expected a PEM private key ({e})",
            key.display()
        )
    })?;
    // ring is the only provider in the tree (teloxide brings it; a second one makes rustls
    // panic at run time), so it is named here rather than left to a process-wide default.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .context("[relay] TLS: no protocol version available")?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .with_context(|| {
            format!(
                "[relay] tls_key {} does not go with the certificate in {}",
                key.display(),
                cert.display()
            )
        })?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}
