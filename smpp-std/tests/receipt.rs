//! Delivery receipts as owned `deliver_sm` bodies, read back in one call.

use bytes::Bytes;
use smpp_core::receipt::{MessageState, NetworkError, Receipt, ReceiptBuilder, ReceiptDate};
use smpp_core::{Body, CommandStatus, ErrorKind, Field, TlvTag};
use smpp_std::{Pdu, parse_owned};

#[test]
fn an_owned_receipt_body_encodes_and_reads_back() {
    let receipt = ReceiptBuilder {
        network_error_code: Some((3, 0x0101)),
        submit_date: Some(ReceiptDate::from_unix_seconds(1_700_000_000, true).unwrap()),
        done_date: Some(ReceiptDate::from_unix_seconds(1_700_000_090, true).unwrap()),
        text: "Grüße".as_bytes(),
        ..ReceiptBuilder::new(b"a1b2c3", MessageState::EXPIRED)
    };
    let body = smpp_std::receipt::deliver_sm(&receipt, "447700900123", "40404").unwrap();
    assert_eq!(body.source_addr.as_bytes(), b"447700900123");
    assert_eq!(body.destination_addr.as_bytes(), b"40404");
    assert!(body.esm_class.is_delivery_receipt());
    assert_eq!(
        body.short_message,
        Bytes::from(
            "id:a1b2c3 sub:001 dlvrd:000 submit date:231114221320 done date:231114221450 stat:EXPIRED err:257 text:Grüße"
        )
    );
    assert_eq!(
        body.tlvs.get(TlvTag::RECEIPTED_MESSAGE_ID).map(|t| t.value),
        Some(&b"a1b2c3\0"[..])
    );

    // Sent and received: the same receipt.
    let pdu = Pdu::new(5, Body::DeliverSm(body));
    let mut frame = vec![0u8; pdu.encoded_len()];
    pdu.emit(&mut frame).unwrap();
    let back = parse_owned(&Bytes::from(frame)).unwrap();
    assert_eq!(back, pdu);
    let Body::DeliverSm(sm) = &back.body else {
        panic!("{back:?}")
    };
    let read = Receipt::from_deliver_sm(sm);
    assert_eq!(read.message_id(), Some(&b"a1b2c3"[..]));
    assert_eq!(read.state(), Some(MessageState::EXPIRED));
    assert_eq!(
        read.network_error(),
        Some(NetworkError::Tlv {
            network_type: 3,
            code: 0x0101
        })
    );
    assert_eq!(read.ids_agree(), Some(true));
    let text = read.text.unwrap();
    assert_eq!(
        text.done_date().unwrap().unwrap().to_unix_seconds(),
        1_700_000_090
    );
}

#[test]
fn an_owned_receipt_body_is_checked() {
    let receipt = ReceiptBuilder::new(b"1", MessageState::DELIVERED);
    let err = smpp_std::receipt::deliver_sm(&receipt, "1".repeat(21), "40404").unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Field {
            field: Field::SourceAddr,
            ..
        }
    ));
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVSRCADR);
    let long = [b'9'; 65];
    let receipt = ReceiptBuilder::new(&long, MessageState::DELIVERED);
    let err = smpp_std::receipt::deliver_sm(&receipt, "1", "2").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Tlv { tag, .. } if tag == TlvTag::RECEIPTED_MESSAGE_ID)
    );
}
