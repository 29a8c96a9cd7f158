//! What a session knows of its bind: the request an MC decides, and how a
//! session is bound.

use core::net::SocketAddr;

use smpp_core::session::{BindType, Version};
use smpp_core::{InterfaceVersion, Npi, Ton};

use crate::owned::{Bind, COctet, Pdu};

/// A bind to decide ([`Handler::bind`](crate::server::Handler::bind)).
///
/// See the example on [`Handler`](crate::server::Handler).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindRequest {
    /// How the ESME binds.
    pub bind_type: BindType,
    /// The bind's body: `system_id`, `password`, `system_type`,
    /// `interface_version`, `addr_ton`, `addr_npi`, `address_range`.
    pub bind: Bind,
    /// The ESME's address, on a TCP connection.
    pub peer_addr: Option<SocketAddr>,
}

impl BindRequest {
    /// The ESME's `system_id`.
    ///
    /// See the example on [`Handler`](crate::server::Handler).
    pub fn system_id(&self) -> &[u8] {
        self.bind.system_id.as_bytes()
    }

    /// The ESME's `password`.
    ///
    /// See the example on [`Handler`](crate::server::Handler).
    pub fn password(&self) -> &[u8] {
        self.bind.password.as_bytes()
    }
}

/// How a session is bound: what the bind exchange settled.
///
/// On the MC side the ESME's bind says it all (but its password, which is
/// not kept); on the ESME side `system_id` and `version` come from the
/// MC's bind response, the rest from the ESME's own configuration.
///
/// See the examples on [`Handler`](crate::server::Handler) (MC side) and
/// [`Handle`](crate::session::Handle) (ESME side).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BindInfo {
    /// How the ESME bound.
    pub bind_type: BindType,
    /// The peer's `system_id`: the MC's (from its bind response) on the
    /// ESME side, the ESME's (from its bind) on the MC side.
    pub system_id: COctet,
    /// The version whose operation matrix applies: the lower of both
    /// sides'.
    pub version: Version,
    /// The bind's `system_type`.
    pub system_type: COctet,
    /// The bind's `interface_version`: the ESME's.
    pub interface_version: InterfaceVersion,
    /// The bind's `addr_ton`.
    pub addr_ton: Ton,
    /// The bind's `addr_npi`.
    pub addr_npi: Npi,
    /// The bind's `address_range`: the addresses the ESME serves (a
    /// regular expression; empty when it names none).
    pub address_range: COctet,
}

impl BindInfo {
    /// MC side: how the ESME's `bind` binds, once accepted.
    #[cfg(feature = "tokio")]
    pub(crate) fn of_bind(bind_type: BindType, bind: &Bind, version: Version) -> Self {
        Self {
            bind_type,
            system_id: bind.system_id.clone(),
            version,
            system_type: bind.system_type.clone(),
            interface_version: bind.interface_version,
            addr_ton: bind.addr_ton,
            addr_npi: bind.addr_npi,
            address_range: bind.address_range.clone(),
        }
    }

    /// ESME side: bound as `config` asked, to the MC `system_id`.
    pub(crate) fn of_config(
        bind_type: BindType,
        system_id: COctet,
        version: Version,
        config: &smpp_core::session::Config,
    ) -> Self {
        let owned = |bytes: &[u8]| COctet::new(bytes::Bytes::copy_from_slice(bytes));
        Self {
            bind_type,
            system_id,
            version,
            system_type: owned(config.system_type()),
            interface_version: config.interface_version(),
            addr_ton: config.addr_ton(),
            addr_npi: config.addr_npi(),
            address_range: owned(config.address_range()),
        }
    }
}

/// The `system_id` of a bind response, if `pdu` is one with a body.
pub(crate) fn responder_system_id(pdu: Option<Pdu>) -> Option<COctet> {
    match pdu?.body {
        smpp_core::Body::BindTransmitterResp(Some(r))
        | smpp_core::Body::BindReceiverResp(Some(r))
        | smpp_core::Body::BindTransceiverResp(Some(r)) => Some(r.system_id),
        _ => None,
    }
}
