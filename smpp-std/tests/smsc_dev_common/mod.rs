//! The PDUs the SMSC tests send.
#![allow(dead_code)]

use smpp_core::EsmClass;
use smpp_std::{Pdu, SubmitSmBuilder};

/// A `submit_sm` of `text` to a UK number.
pub(crate) fn submit(sequence_number: u32, text: &str) -> Pdu {
    SubmitSmBuilder::new(sequence_number)
        .destination_addr("447700900123")
        .short_message(text)
        .build()
        .unwrap()
}

/// A delivery receipt for the message "1".
pub(crate) fn receipt() -> Pdu {
    SubmitSmBuilder::deliver_sm(0)
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .receipted_message_id("1")
        .build()
        .unwrap()
}
