//! Zero-copy, `no_std`, allocation-free SMPP v3.4 / v5.0 codec.
#![no_std]
#![forbid(unsafe_code)]
#![doc(test(attr(deny(warnings))))]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

#[cfg(test)]
extern crate std;

pub mod receipt;
pub mod text;
pub mod time;
