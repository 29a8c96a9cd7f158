#![doc = include_str!("../README.md")]
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

// Tests and the `arbitrary` derive (fuzzing, host only) use std.
#[cfg(any(test, feature = "arbitrary"))]
extern crate std;

#[cfg(feature = "alloc")]
extern crate alloc;

#[macro_use]
mod macros;

mod command_id;
mod command_status;
pub mod error;
mod fields;
mod frame;
mod header;
#[doc(hidden)]
pub mod hex;
pub mod pdu;
pub mod receipt;
pub mod session;
pub mod text;
pub mod time;
pub mod tlv;
mod types;
pub mod values;
mod wire;

#[cfg(feature = "arbitrary")]
mod arbitrary_impls;
#[cfg(feature = "serde")]
pub mod serde;

pub use command_id::CommandId;
pub use command_status::CommandStatus;
pub use error::{Error, ErrorKind, Field, FieldProblem, ForeignProtocol, Reply, TlvProblem};
pub use frame::FrameBuf;
pub use header::{DEFAULT_MAX_COMMAND_LENGTH, Header, frame_len};
pub use pdu::*;
pub use tlv::{Tlv, TlvBuf, TlvIter, TlvTag, TlvValue, Tlvs};
pub use types::COctet;
pub use values::{
    DataCoding, EsmClass, InterfaceVersion, MessageState, Npi, PriorityFlag, RegisteredDelivery,
    ReplaceIfPresentFlag, Ton,
};
