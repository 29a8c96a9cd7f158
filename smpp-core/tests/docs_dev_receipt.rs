//! A receipt reader written from the documentation of
//! `smpp_core::receipt`: receipts as MCs send them (text in
//! `short_message` or `message_payload`, behind a user data header, in
//! UCS-2, NUL-terminated, TLVs only), each checked against what the docs
//! promise.

use smpp_core::receipt::{
    DeliveryReceipt, MessageState, NetworkError, Receipt, ReceiptBuilder, ReceiptDate, ReceiptError,
};
use smpp_core::{DataCoding, DataSm, DeliverSm, EsmClass, TlvBuf, TlvTag};

/// UTF-16BE octets of `s`.
fn ucs2(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

/// What the application keeps of a receipt.
fn read(sm: &DeliverSm<&[u8]>) -> Option<(Vec<u8>, MessageState)> {
    let mut buf = vec![0u8; 2 * sm.short_message.len() + 3];
    let receipt = Receipt::from_deliver_sm_in(sm, &mut buf);
    if !receipt.is_receipt() {
        return None;
    }
    Some((receipt.message_id()?.to_vec(), receipt.state()?))
}

#[test]
fn receipts_as_mcs_send_them() {
    let text = b"id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:Hi\0\0";
    let plain = DeliverSm {
        esm_class: EsmClass::DELIVERY_RECEIPT,
        short_message: &text[..],
        ..DeliverSm::default()
    };
    assert_eq!(
        read(&plain),
        Some((b"0059113978".to_vec(), MessageState::DELIVERED))
    );
    // Trailing NULs are not part of the text.
    let parsed = DeliveryReceipt::parse(text).unwrap();
    assert_eq!(parsed.text, Some(&b"Hi"[..]));
    assert_eq!(parsed.submitted(), Some(1));
    assert_eq!(parsed.error_code(), Some(0));
    let done = parsed.done_date().unwrap().unwrap();
    assert_eq!(
        (
            done.year,
            done.month,
            done.day,
            done.hour,
            done.minute,
            done.second
        ),
        (10, 2, 10, 17, 31, None)
    );

    // In UCS-2.
    let wide = ucs2("ID:7 STAT:undeliv err:0a text:é€");
    let sm = DeliverSm {
        esm_class: EsmClass::DELIVERY_RECEIPT,
        data_coding: DataCoding::UCS2,
        short_message: &wide[..],
        ..DeliverSm::default()
    };
    assert_eq!(
        read(&sm),
        Some((b"7".to_vec(), MessageState::UNDELIVERABLE))
    );
    let mut buf = vec![0u8; wide.len() / 2 * 3 + 3];
    let r = DeliveryReceipt::parse_coded(&wide, DataCoding::UCS2, &mut buf).unwrap();
    assert_eq!(r.text, Some("é€".as_bytes()));
    assert_eq!(r.error_code(), None); // "0a" is no decimal number
    let mut small = [0u8; 8];
    assert_eq!(
        DeliveryReceipt::parse_coded(&wide, DataCoding::UCS2, &mut small),
        Err(ReceiptError::BufferTooSmall)
    );

    // Behind a user data header, in message_payload.
    let mut tlvs = TlvBuf::<128>::new();
    let mut payload = vec![0x05, 0x00, 0x03, 0x01, 0x01, 0x01];
    payload.extend_from_slice(b"id:abc stat:EXPIRED");
    tlvs.push(TlvTag::MESSAGE_PAYLOAD, &payload).unwrap();
    let sm = DeliverSm {
        esm_class: EsmClass(EsmClass::DELIVERY_RECEIPT.0 | 0x40),
        tlvs: tlvs.tlvs(),
        ..DeliverSm::default()
    };
    assert_eq!(read(&sm), Some((b"abc".to_vec(), MessageState::EXPIRED)));

    // TLVs only, in a data_sm; the TLV id wins and its NUL is not part of it.
    let mut tlvs = TlvBuf::<64>::new();
    tlvs.push_cstr(TlvTag::RECEIPTED_MESSAGE_ID, b"ff").unwrap();
    tlvs.push_u8(TlvTag::MESSAGE_STATE, MessageState::REJECTED.0)
        .unwrap();
    tlvs.push(TlvTag::NETWORK_ERROR_CODE, &[3, 0, 6]).unwrap();
    let data = DataSm {
        esm_class: EsmClass::DELIVERY_RECEIPT,
        tlvs: tlvs.tlvs(),
        ..DataSm::default()
    };
    let receipt = Receipt::from_data_sm(&data);
    assert!(receipt.is_receipt());
    assert_eq!(receipt.message_id(), Some(&b"ff"[..]));
    assert_eq!(receipt.receipted_message_id, Some(&b"ff\0"[..]));
    assert_eq!(receipt.state(), Some(MessageState::REJECTED));
    assert_eq!(
        receipt.network_error(),
        Some(NetworkError::Tlv {
            network_type: 3,
            code: 6
        })
    );
    assert_eq!(receipt.ids_agree(), None);

    // A mobile-originated text is no receipt.
    let mo = DeliverSm {
        short_message: &b"see you at 5"[..],
        ..DeliverSm::default()
    };
    assert_eq!(read(&mo), None);
    assert_eq!(
        DeliveryReceipt::parse(b"id:5"),
        Err(ReceiptError::NotAReceipt)
    );
}

/// `format` and `ReceiptDate::format` with a buffer too small: the error
/// their docs name, never a panic or a cut text.
#[test]
fn formatting_into_a_small_buffer() {
    let r = DeliveryReceipt::parse(b"id:1 stat:DELIVRD").unwrap();
    let len = r.formatted_len();
    let mut out = vec![0u8; len];
    assert_eq!(r.format(&mut out), Ok(len));
    assert_eq!(DeliveryReceipt::parse(&out).unwrap().id, Some(&b"1"[..]));
    for short in 0..len {
        assert_eq!(
            r.format(&mut out[..short]),
            Err(ReceiptError::BufferTooSmall),
            "{short}"
        );
    }
    let date = ReceiptDate::parse(b"1002101730").unwrap();
    let mut d = [0u8; 12];
    assert_eq!(date.format(&mut d), Ok(10));
    assert_eq!(date.format(&mut d[..9]), Err(ReceiptError::BufferTooSmall));
    assert_eq!(
        ReceiptDate::parse(b"1302301730"),
        Err(ReceiptError::BadDate)
    ); // 30 February
    assert!(ReceiptDate::from_unix_seconds(0, false).is_err()); // 1970: outside 2000-2099
}

/// The builder's receipt reads back through the reader above.
#[test]
fn a_built_receipt_reads_back() {
    let receipt = ReceiptBuilder::new(b"m-9", MessageState::DELIVERED);
    let template = DeliverSm::default();
    let (mut text, mut tlvs) = ([0u8; 160], TlvBuf::<96>::new());
    let sm = receipt.deliver_sm(&template, &mut text, &mut tlvs).unwrap();
    assert_eq!(read(&sm), Some((b"m-9".to_vec(), MessageState::DELIVERED)));
}
