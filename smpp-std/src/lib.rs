//! Owned SMPP v3.4/v5.0 PDUs on [`bytes::Bytes`], framing over a read
//! buffer, blocking and `tokio` I/O adapters, an async ESME client and SMSC
//! server, builders, and `serde` support, all built on the `no_std` codec and
//! session engine of `smpp-core`.
//!
//! - [`Pdu`] and the other aliases in this crate are the core's types with
//!   [`Bytes`](bytes::Bytes) storage: one definition per PDU, generic over
//!   storage. A PDU decoded from a [`Frame`] shares the frame's memory
//!   instead of copying its fields; it is cheap to clone and `Send + Sync`.
//! - [`FrameDecoder`] cuts frames out of a [`BytesMut`](bytes::BytesMut);
//!   [`SmppReader`] and [`SmppWriter`] wrap blocking streams, and
//!   `SmppCodec` and `PduCodec` (feature `tokio`) plug into
//!   `tokio_util::codec::Framed`, giving frames, or frames with their
//!   decoded PDU (a body error inside the item, not ending the stream).
//! - [`client`] and [`server`] (feature `tokio`, on by default): an async
//!   ESME that binds and sends through the SMPP window (one session, or
//!   [`client::Esme`]: several binds kept bound across reconnections), and
//!   an SMSC that serves many connections with an application
//!   [`server::Handler`], routes messages to bound receivers and admits
//!   per account. Each session runs the sans-I/O engine of
//!   `smpp_core::session` in a task of its own, with back-pressure both
//!   ways; [`session`] has what both share (the cloneable
//!   [`session::Handle`], [`session::Answer`], [`session::Error`], the
//!   counters). Features `tls` (rustls), `tracing` and `metrics` add to
//!   them.
//! - [`blocking`]: an ESME on `std::net` over the same engine, for programs
//!   without an async runtime.
//! - The builders ([`SubmitSmBuilder`] and friends) make the PDUs an
//!   application sends, with the specification's defaults, and check every
//!   field when built.
//! - [`text`]: a text or binary payload as the owned `submit_sm` PDUs of its
//!   segments ([`text::submit_sms`]), and received text as a [`String`];
//!   [`reassembly`] joins the parts of incoming concatenated messages.
//! - Feature `serde`: `Serialize`/`Deserialize` for every PDU, body and TLV
//!   list, derived from the types, each value checked by its `validate`
//!   after deserializing (described in `smpp_core::serde`). The JSON shape
//!   printed by the `smppdump` tool is `smpp-tools`' own.
//!
//! Only two kinds of error end a connection: I/O errors and an impossible
//! `command_length` ([`StreamError::Framing`], answered with a
//! `generic_nack` carrying `ESME_RINVCMDLEN`). A PDU whose body does not
//! decode still arrives as a [`Frame`]; its parse error tells what to answer
//! ([`smpp_core::Error::reply`], [`Frame::error_reply`]).
//!
//! # Example
//!
//! ```
//! use smpp_core::{Body, CommandId};
//! use smpp_std::{SmppReader, SmppWriter, SubmitSmBuilder};
//!
//! // An application builds a submit_sm and writes it.
//! let submit = SubmitSmBuilder::new(7)
//!     .source_addr("INFO")
//!     .destination_addr("447700900123")
//!     .short_message("Hello")
//!     .build()
//!     .unwrap();
//! let mut writer = SmppWriter::new(Vec::new());
//! writer.send(&submit).unwrap();
//! let wire = writer.into_inner().unwrap();
//!
//! // The peer reads it back as a frame, then as an owned PDU.
//! let mut reader = SmppReader::new(&wire[..]);
//! let frame = reader.read_frame().unwrap().unwrap();
//! assert_eq!(frame.header.command_id, CommandId::SUBMIT_SM);
//! let pdu = frame.to_pdu().unwrap();
//! assert!(matches!(&pdu.body, Body::SubmitSm(sm) if sm.short_message == "Hello"));
//! assert_eq!(pdu, submit);
//! ```
#![forbid(unsafe_code)]
#![doc(test(attr(deny(warnings))))]

// The README's example runs as a doc test, so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[macro_use]
mod macros;

pub mod blocking;
mod builder;
#[cfg(feature = "tokio")]
pub mod client;
#[cfg(feature = "tokio")]
mod codec;
mod frame;
mod io;
mod owned;
pub mod reassembly;
pub mod receipt;
#[cfg(feature = "tokio")]
pub mod server;
pub mod session;
pub mod text;

pub use builder::*;
#[cfg(feature = "tokio")]
pub use codec::{PduCodec, SmppCodec};
pub use frame::{Frame, FrameDecoder};
pub use io::{DEFAULT_BATCH, SmppReader, SmppWriter, StreamError};
pub use owned::*;
