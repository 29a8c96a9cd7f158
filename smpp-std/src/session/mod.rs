//! Running SMPP sessions over tokio (feature `tokio`): the types the
//! [`client`](crate::client) (ESME) and the [`server`](crate::server) (SMSC)
//! share; [`Answer`], [`Error`], [`IntoRequest`], [`SmResponse`],
//! [`BindInfo`] and [`BindRequest`] are also the
//! [`blocking`](crate::blocking) client's, and there without the feature.
//!
//! Each session runs in a task of its own that drives one sans-I/O
//! [`smpp_core::session::Session`]: it cuts frames from the connection's
//! read buffer, hands them to the engine, acts on the engine's events,
//! writes what the engine queued, and calls the engine's timers on the
//! tokio clock. The application talks to that task through:
//!
//! - [`Handle`]: sends requests through the SMPP window and waits for their
//!   responses ([`Handle::submit_sm`], [`Handle::deliver_sm`],
//!   [`Handle::send`], [`Handle::queue`] for pipelining), unbinds, closes;
//! - [`Answer`]: what the application answers a request of the peer with;
//! - [`Request`] and [`Incoming`]: an ESME's stream of the MC's requests,
//!   each answered once (`ESME_ROK` by default when dropped);
//! - [`Error`]: why a call got no answer (a timeout, the session closed,
//!   a refusal of the engine, a bind refused).
//!
//! Received PDUs are owned [`Pdu`](crate::Pdu)s whose fields are slices of
//! the frame they came in: nothing is copied between the socket and the
//! application.
//!
//! # Example
//!
//! An ESME and an SMSC over an in-memory pipe ([`server::serve`](crate::server::serve)
//! and [`client::bind`](crate::client::bind) take any connection), with one
//! task keeping the window busy:
//!
//! ```
//! use std::sync::Arc;
//!
//! use smpp_core::session::{BindType, CloseReason, Config};
//! use smpp_core::{Body, CommandStatus};
//! use smpp_std::server::{self, BindRequest, Context, Handler};
//! use smpp_std::session::{Answer, SmResponse};
//! use smpp_std::{Pdu, SubmitSmBuilder, client};
//!
//! struct Smsc;
//!
//! impl Handler for Smsc {
//!     async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
//!         CommandStatus::ESME_ROK
//!     }
//!
//!     async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
//!         match pdu.body {
//!             Body::SubmitSm(sm) => Answer::MessageId(sm.short_message),
//!             _ => Answer::Status(CommandStatus::ESME_RINVCMDID),
//!         }
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
//! runtime.block_on(async {
//!     let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
//!     let mc = tokio::spawn(server::serve(mc_side, Config::mc(), Arc::new(Smsc)));
//!     let config = Config::esme(BindType::Transmitter).with_window(16);
//!     let (esme, _incoming) = client::bind(esme_side, config).await?;
//!
//!     // queue() returns once the request has one of the 16 window slots.
//!     let mut pending = Vec::new();
//!     for n in 0..100 {
//!         let submit = SubmitSmBuilder::new(0)
//!             .destination_addr("447700900123")
//!             .short_message(format!("{n}"))
//!             .build()?;
//!         pending.push(esme.queue(submit).await?);
//!         assert!(esme.available_window() <= 16);
//!     }
//!     for (n, response) in pending.into_iter().enumerate() {
//!         let resp = SmResponse::from(response.await?);
//!         assert_eq!(resp.message_id.to_string(), n.to_string());
//!     }
//!
//!     esme.unbind().await?;
//!     assert_eq!(mc.await?, CloseReason::Unbound);
//!     Ok(())
//! })
//! # }
//! ```
//!
//! # What the session does by itself
//!
//! Everything the engine does ([`smpp_core::session`]): `enquire_link`
//! answered and sent when the link is idle, wrong-state PDUs refused with
//! `ESME_RINVBNDSTS`, malformed PDUs answered (`generic_nack` or the
//! request's response with the error's status) while the session goes on,
//! `unbind` answered, requests timed out, a peer that stops reading closed
//! by the write timer. On top of that:
//!
//! - **Back-pressure, both ways.** A request waits for a window slot
//!   before it is queued ([`Config::with_window`](smpp_core::session::Config::with_window)),
//!   so the window bounds what is queued. Once 64 KiB wait to be written,
//!   the session takes no new request or answer, and hands the engine no
//!   frame, until writing brought them down. The peer's requests go to the
//!   application up to the inbound window
//!   ([`Config::with_inbound_window`](smpp_core::session::Config::with_inbound_window));
//!   beyond it (or while an ESME's application has not taken what waits in
//!   [`Incoming`]) the next frame is held and nothing more is read: TCP
//!   slows the peer down, and nothing is refused or lost.
//! - **Nothing acknowledged that was not received.** An ESME answers
//!   `ESME_ROK` only for a request the application took from [`Incoming`];
//!   requests nobody takes get `ESME_RX_T_APPN`, so that the MC delivers
//!   them again.
//! - [`Handle::set_max_rate`] spaces the requests of a session evenly to
//!   at most so many per second (an MC account's throughput), for every
//!   clone of its handle.
//! - **Every request comes back with a known outcome.** When the
//!   connection ends, a request still outstanding fails with
//!   [`Error::Closed`] if nothing of it was written (safe to send again;
//!   it is taken off the queue) or [`Error::OutcomeUnknown`] if it was
//!   (the peer may have it); a request without response within the
//!   `response_timer` fails with [`Error::Timeout`]. Every later call
//!   fails with [`Error::Closed`].
//! - **A half-close loses nothing.** When the peer ends its side of the
//!   connection, the requests it sent before are still answered (the
//!   session waits for the application's answers, at most the
//!   `response_timer`), then the session closes.
//! - [`Handle::unbind`] lets outstanding requests finish before `unbind`
//!   goes out; the side that sent `unbind` closes the connection when the
//!   `unbind_resp` comes, the other waits for it (at most the
//!   `response_timer`);
//! - once closed, queued octets (a last response) get up to two seconds
//!   to leave (none if the peer stopped reading), then the connection is
//!   shut down.
//!
//! # Memory
//!
//! A session holds what is in flight and little more: its lists and its
//! transmit queue grow as used and are given back when they empty, and the
//! read buffer holds only the octets that arrived (a `command_length`
//! announcing a large PDU reserves nothing). Each side's window is at most
//! 65,536 requests; a PDU sent is at most 960 KiB, one received at most
//! 70,000 octets (the frame decoder's default maximum).

use std::sync::{Mutex, MutexGuard, PoisonError};

// What the async session and the blocking client share.
pub(crate) mod answer;
mod error;
pub(crate) mod info;
mod request;

/// Locks `mutex`, also one that a panicking thread left poisoned.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// The async session (feature `tokio`).
#[cfg(feature = "tokio")]
pub(crate) mod driver;
#[cfg(feature = "tokio")]
pub(crate) mod handle;
pub(crate) mod inbound;
#[cfg(feature = "tokio")]
pub(crate) mod incoming;
#[cfg(feature = "tokio")]
mod metrics;
#[cfg(feature = "tokio")]
mod observe;

pub use answer::Answer;
pub use error::Error;
#[cfg(feature = "tokio")]
pub use handle::{Handle, Pending};
#[cfg(feature = "tokio")]
pub use incoming::{Incoming, Request};
pub use info::{BindInfo, BindRequest};
#[cfg(feature = "tokio")]
pub use metrics::{Latency, PduCount, SessionStats, Traffic};
#[cfg(feature = "tokio")]
pub(crate) use metrics::{SharedMeter, is_throttling};
pub use request::{IntoRequest, SmResponse};
