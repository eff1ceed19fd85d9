//! Trusting exactly one certificate: the relay's own, as relay.json names it on the engine's
//! machine. Its name need not match the address (a certificate for vps.example.com, reached as
//! 127.0.0.1): the server must present that very certificate and prove it holds its key.

use std::path::Path;
use std::sync::Arc;

use tokio_rustls::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use tokio_rustls::rustls::crypto::{self, WebPkiSupportedAlgorithms};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{self, DigitallySignedStruct, SignatureScheme};
use tokio_tungstenite::Connector;

use super::ConnectError;

/// A TLS connector that accepts exactly the first certificate in the PEM file `cert`.
pub fn connector(cert: &Path) -> Result<Connector, ConnectError> {
    let bad = |what: String| {
        ConnectError::Usage(format!(
            "{}: {what}: expected the relay's PEM certificate (relay.json's cert)",
            cert.display()
        ))
    };
    let Some(first) = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(e.to_string()))?
        .next()
    else {
        return Err(bad("no certificate in it".into()));
    };
    let expected = first.map_err(|e| bad(e.to_string()))?.into_owned();
    // ring, named: the only provider in the tree (see `trusting`).
    #[allow(deprecated)]
    let provider = Arc::new(crypto::ring::default_provider());
    let verifier = Arc::new(Pinned {
        expected,
        algorithms: provider.signature_verification_algorithms,
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Connector::Rustls(Arc::new(config)))
}

#[derive(Debug)]
struct Pinned {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "the relay presented another certificate than the one relay.json names".into(),
            ))
        }
    }

    // The signatures prove the server holds the key of the certificate it presented.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
