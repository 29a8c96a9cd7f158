//! What the `smsc-sim` and `esme` tools share: messages read out of PDUs
//! (concatenated parts joined, text decoded, receipts, as JSON), and TLS
//! configurations from PEM files.
//!
//! The binaries are the product; this library is their common code, with
//! no promise of a stable API.

pub mod json;
pub mod message;
pub mod tls;
