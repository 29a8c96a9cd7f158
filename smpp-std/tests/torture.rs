//! A torture suite for the tokio ESME client and SMSC server: bulk load,
//! full queues, peers that stop reading, half-close, resets, garbage, bind
//! storms, over loopback TCP and over in-memory pipes of a few KiB, with
//! small PDUs and PDUs of 40,000 octets.
//!
//! Every test is bounded in time (see `harness::run`): a session that spins
//! or a peer left hanging fails the test, naming what it waited for.
#![cfg(feature = "tokio")]

#[path = "torture/admission.rs"]
mod admission;
#[path = "torture/close.rs"]
mod close;
mod common;
#[path = "torture/delivery.rs"]
mod delivery;
#[path = "torture/harness.rs"]
mod harness;
#[path = "torture/input.rs"]
mod input;
#[path = "common/server.rs"]
mod server;
#[path = "torture/spin.rs"]
mod spin;
#[path = "torture/timeouts.rs"]
mod timeouts;
