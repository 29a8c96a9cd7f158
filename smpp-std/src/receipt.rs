//! Delivery receipts as owned `deliver_sm` bodies.
//!
//! [`smpp_core::receipt`] reads a receipt from a received `deliver_sm` or `data_sm`
//! ([`Receipt::from_deliver_sm`](smpp_core::receipt::Receipt::from_deliver_sm), which takes the
//! owned bodies of this crate as they are) and describes one to send
//! ([`ReceiptBuilder`]); [`deliver_sm`] turns that description into an owned body an MC sends.

use bytes::Bytes;
use smpp_core::receipt::ReceiptBuilder;
use smpp_core::{COctet, Error, TlvBuf};

use crate::IntoOctets;
use crate::owned::DeliverSm;

/// Room for the receipt TLVs: `receipted_message_id` (at most 65 octets), `message_state` and
/// `network_error_code`, each with its 4-octet header.
const RECEIPT_TLVS: usize = 4 + 65 + 4 + 1 + 4 + 3;

/// The `deliver_sm` body that carries `receipt` from `source_addr` to `destination_addr` (the
/// original message's destination and source): the receipt text in `short_message`, the
/// delivery receipt message type in `esm_class`, and the receipt TLVs; every other field has
/// its default, and the body's fields can be changed before it is sent. The body is checked as
/// encoding checks it.
///
/// ```
/// use smpp_core::receipt::{MessageState, Receipt, ReceiptBuilder, ReceiptDate};
/// use smpp_core::Ton;
///
/// let done = ReceiptDate::from_unix_seconds(1_265_823_060, false)?;
/// let receipt = ReceiptBuilder {
///     done_date: Some(done),
///     ..ReceiptBuilder::new(b"38601fa", MessageState::DELIVERED)
/// };
/// let mut body = smpp_std::receipt::deliver_sm(&receipt, "447700900123", "40404")?;
/// body.source_addr_ton = Ton::INTERNATIONAL;
/// assert!(body.esm_class.is_delivery_receipt());
/// assert_eq!(body.short_message, "id:38601fa sub:001 dlvrd:001 done date:1002101731 stat:DELIVRD err:000 text:");
///
/// // The receiving ESME reads it back in one call.
/// let read = Receipt::from_deliver_sm(&body);
/// assert_eq!(read.message_id(), Some(&b"38601fa"[..]));
/// assert_eq!(read.state(), Some(MessageState::DELIVERED));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn deliver_sm(
    receipt: &ReceiptBuilder<'_>,
    source_addr: impl IntoOctets,
    destination_addr: impl IntoOctets,
) -> Result<DeliverSm, Error> {
    let (source_addr, destination_addr) =
        (source_addr.into_octets(), destination_addr.into_octets());
    let template = smpp_core::DeliverSm {
        source_addr: COctet::new(&source_addr[..]),
        destination_addr: COctet::new(&destination_addr[..]),
        ..smpp_core::DeliverSm::default()
    };
    let mut text = vec![0u8; receipt.text_len()];
    let mut tlvs = TlvBuf::<RECEIPT_TLVS>::new();
    let sm = receipt.deliver_sm(&template, &mut text, &mut tlvs)?;
    sm.validate()?;
    Ok(sm.map(Bytes::copy_from_slice))
}
