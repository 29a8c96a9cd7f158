//! Running SMPP sessions over tokio (feature `tokio`): the types the
//! [`client`](crate::client) (ESME) and the [`server`](crate::server) (SMSC)
//! share.
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
//! # What the session does by itself
//!
//! Everything the engine does ([`smpp_core::session`]): `enquire_link`
//! answered and sent when the link is idle, wrong-state PDUs refused with
//! `ESME_RINVBNDSTS`, malformed PDUs answered (`generic_nack` or the
//! request's response with the error's status) while the session goes on,
//! the peer throttled beyond the window, `unbind` answered, requests timed
//! out. On top of that:
//!
//! - a request waits for a window slot before it is queued, so the window
//!   is the back-pressure and nothing queues without bound;
//! - when the connection ends, every request still outstanding fails with
//!   [`Error::Closed`], and so does every later call;
//! - [`Handle::unbind`] lets outstanding requests finish before `unbind`
//!   goes out; the side that sent `unbind` closes the connection when the
//!   `unbind_resp` comes, the other waits for it (at most the
//!   `response_timer`);
//! - once closed, queued octets (a last response) get up to two seconds
//!   to leave, then the connection is shut down.
//!
//! A session allows a window of at most 512 requests
//! ([`Config::with_window`](smpp_core::session::Config::with_window) is
//! capped there) and PDUs of at most 70,000 octets, the frame decoder's
//! default maximum.

pub(crate) mod answer;
pub(crate) mod driver;
mod error;
pub(crate) mod handle;

pub use answer::{Answer, Incoming, Request};
pub use error::Error;
pub use handle::{BindInfo, Handle, Pending, SmResponse};
