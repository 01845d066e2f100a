//! What `tlsprobe ciphers [--tls-version V]` lists: the selection of cipher suites (and SSL 2.0
//! cipher kinds) for a version, as data. `report::ciphers` writes it as an aligned table or JSON.
//!
//! Without a version every TLS suite (signalling values included) is listed, followed by the
//! SSL 2.0 cipher kinds; with a version only what can be negotiated at that version. This module
//! does not format anything.

use super::cipher_suites::{SUITES, SuiteInfo, suites_for};
use super::ssl2::{SSL2_CIPHERS, Ssl2CipherInfo};
use super::versions::ProtocolVersion;

/// The registry rows `tlsprobe ciphers` lists for one version filter.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The `--tls-version` filter (`None`: everything).
    pub version: Option<ProtocolVersion>,
    /// TLS cipher suites, in registry order.
    pub suites: Vec<&'static SuiteInfo>,
    /// SSL 2.0 cipher kinds.
    pub ssl2: &'static [Ssl2CipherInfo],
}

/// The suites and SSL 2.0 kinds listed for `version` (all of them, signalling values included,
/// for `None`; SSL 2.0 kinds only for `None` or SSL 2.0).
pub fn listing(version: Option<ProtocolVersion>) -> Listing {
    Listing {
        version,
        suites: match version {
            None => SUITES.iter().collect(),
            Some(v) => suites_for(v).collect(),
        },
        ssl2: match version {
            None | Some(ProtocolVersion::Ssl2) => SSL2_CIPHERS,
            Some(_) => &[],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_version() {
        let all = listing(None);
        assert_eq!(all.suites.len(), SUITES.len());
        assert_eq!(all.ssl2.len(), SSL2_CIPHERS.len());
        let t12 = listing(Some(ProtocolVersion::Tls12));
        assert_eq!(t12.suites.len(), suites_for(ProtocolVersion::Tls12).count());
        assert!(t12.ssl2.is_empty());
        let ssl2 = listing(Some(ProtocolVersion::Ssl2));
        assert!(ssl2.suites.is_empty());
        assert_eq!(ssl2.ssl2.len(), SSL2_CIPHERS.len());
    }
}
