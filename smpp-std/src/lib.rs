//! Owned SMPP PDUs, framing and I/O on top of `smpp-core`.
pub mod reassembly;
