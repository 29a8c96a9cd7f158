//! What a session tells `tracing` (feature `tracing`) and the `metrics`
//! facade (feature `metrics`); without those features every call here
//! compiles to nothing.

#[cfg(feature = "metrics")]
use core::time::Duration;

use core::net::SocketAddr;

use smpp_core::Header;
use smpp_core::session::{CloseReason, ProtocolError, Role};

use super::info::BindInfo;
use super::metrics::Meter;

/// One session's span and labels.
#[derive(Debug)]
pub(crate) struct Observer {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "metrics")]
    role: &'static str,
}

#[cfg_attr(
    not(any(feature = "tracing", feature = "metrics")),
    allow(clippy::unused_self, clippy::needless_pass_by_ref_mut)
)]
impl Observer {
    pub(crate) fn new(role: Role, peer: Option<SocketAddr>) -> Self {
        let _ = (role, peer);
        Self {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "smpp_session",
                role = ?role,
                peer = peer.map(tracing::field::display),
                system_id = tracing::field::Empty,
                bind_type = tracing::field::Empty,
            ),
            #[cfg(feature = "metrics")]
            role: match role {
                Role::Esme => "esme",
                Role::Mc => "mc",
            },
        }
    }

    /// The session's span, for the task that runs it.
    #[cfg(feature = "tracing")]
    pub(crate) fn span(&self) -> tracing::Span {
        self.span.clone()
    }

    pub(crate) fn received(&self, header: &Header) {
        self.pdu(header, "received");
    }

    pub(crate) fn sent(&self, header: &Header) {
        self.pdu(header, "queued");
    }

    /// A PDU's header went by: `what` says which way.
    fn pdu(&self, header: &Header, what: &'static str) {
        #[cfg(feature = "tracing")]
        tracing::trace!(
            parent: &self.span,
            command = %header.command_id,
            status = %header.command_status,
            sequence_number = header.sequence_number,
            length = header.command_length,
            "{what}"
        );
        let _ = (header, what);
    }

    pub(crate) fn bound(&self, info: &BindInfo) {
        #[cfg(feature = "tracing")]
        {
            let system_id = String::from_utf8_lossy(info.system_id.as_bytes());
            self.span
                .record("system_id", tracing::field::display(&system_id));
            self.span
                .record("bind_type", tracing::field::debug(info.bind_type));
            tracing::debug!(parent: &self.span, version = ?info.version, "bound");
        }
        #[cfg(feature = "metrics")]
        metrics::counter!("smpp_binds_total", "role" => self.role).increment(1);
        let _ = info;
    }

    pub(crate) fn bind_refused(&self, status: smpp_core::CommandStatus) {
        #[cfg(feature = "tracing")]
        tracing::debug!(parent: &self.span, %status, "bind refused");
        let _ = status;
    }

    pub(crate) fn end_of_stream(&self) {
        #[cfg(feature = "tracing")]
        tracing::debug!(parent: &self.span, "the peer ended its side of the connection");
    }

    pub(crate) fn closed(&self, reason: CloseReason) {
        #[cfg(feature = "tracing")]
        tracing::debug!(parent: &self.span, %reason, "closed");
        #[cfg(feature = "metrics")]
        metrics::counter!("smpp_sessions_closed_total", "role" => self.role).increment(1);
        let _ = reason;
    }

    pub(crate) fn protocol_error(&self, error: &ProtocolError) {
        #[cfg(feature = "tracing")]
        tracing::warn!(parent: &self.span, %error, "protocol error of the peer");
        let _ = error;
    }

    /// A response came after `waited`.
    #[cfg(feature = "metrics")]
    pub(crate) fn answered(&self, waited: Duration) {
        metrics::histogram!("smpp_response_seconds", "role" => self.role)
            .record(waited.as_secs_f64());
    }

    /// What a session counted since its last publish.
    pub(crate) fn publish(&self, delta: &Meter) {
        #[cfg(feature = "metrics")]
        {
            let role = self.role;
            for (direction, counts) in [("in", delta.received()), ("out", delta.sent())] {
                for c in counts {
                    metrics::counter!(
                        "smpp_pdus_total",
                        "role" => role,
                        "direction" => direction,
                        "command" => c.command_id.to_string(),
                        "status" => c.command_status.to_string(),
                    )
                    .increment(c.count);
                }
            }
            let (throttled, timeouts, errors) = delta.events();
            metrics::counter!("smpp_throttled_total", "role" => role).increment(throttled);
            metrics::counter!("smpp_timeouts_total", "role" => role).increment(timeouts);
            metrics::counter!("smpp_protocol_errors_total", "role" => role).increment(errors);
        }
        let _ = delta;
    }
}
