//! Delivery receipts as real MCs and gateways write them, read with
//! `smpp_core::receipt`. Each input states the facts of a published receipt
//! (an issue report, a vendor's documentation) and where they come from.

use smpp_core::receipt::{DeliveryReceipt, MessageState, Receipt, ReceiptBuilder, ReceiptDate};
use smpp_core::{Body, DataCoding, DataSm, DeliverSm, EsmClass, Pdu, TlvBuf, TlvTag};

/// `SCHEDLD` is the `stat:` text of the SCHEDULED state (`message_state` 0):
/// Melrose Labs' SMPP gateway documents it in its table of receipt states
/// ("Delivery receipts (DLRs)", melroselabs.scrollhelp.site/ssg/delivery-receipts-dlrs),
/// and Mobius Software's SMPP stack writes it for SCHEDULED when it builds a
/// receipt text. A receipt in that state is read as SCHEDULED, and one built
/// in it is written that way.
#[test]
fn schedld_is_the_scheduled_stat() {
    let text = b"id:1600001 sub:001 dlvrd:000 submit date:2401101200 done date:2401101200 stat:SCHEDLD err:000 text:";
    let r = DeliveryReceipt::parse(text).unwrap();
    assert_eq!(r.state(), Some(MessageState::SCHEDULED));
    assert_eq!(
        MessageState::from_stat(b"schedld"),
        Some(MessageState::SCHEDULED)
    );

    let built = ReceiptBuilder::new(b"1600001", MessageState::SCHEDULED);
    let mut out = [0u8; 128];
    let n = built.write_text(&mut out).unwrap();
    let written = DeliveryReceipt::parse(&out[..n]).unwrap();
    assert_eq!(written.stat, Some(&b"SCHEDLD"[..]));
    assert_eq!(written.state(), Some(MessageState::SCHEDULED));
}

/// An MC reporting a failure writes its done date as ten zeros: jookies/jasmin
/// issue #447 logs `id:1216080510463401720 sub:001 dlvrd:001 submit
/// date:1608051046 done date:0000000000 stat:FAILED err:002 Text:`. The zeros
/// are no date, not a malformed one; the submit date still reads.
#[test]
fn a_done_date_of_zeros_is_no_date() {
    let text = b"id:1216080510463401720 sub:001 dlvrd:001 submit date:1608051046 done date:0000000000 stat:FAILED err:002 Text:";
    let r = DeliveryReceipt::parse(text).unwrap();
    assert_eq!(r.done_date, Some(&b"0000000000"[..]));
    assert_eq!(r.done_date(), None);
    let submitted = r.submit_date().unwrap().unwrap();
    assert_eq!(
        (
            submitted.year,
            submitted.month,
            submitted.day,
            submitted.hour,
            submitted.minute
        ),
        (16, 8, 5, 10, 46)
    );
    assert_eq!(r.error_code(), Some(2));
    // Twelve zeros too; a date of zeros cut short is still malformed.
    let r = DeliveryReceipt::parse(b"id:7 submit date:000000000000 stat:UNDELIV").unwrap();
    assert_eq!(r.submit_date(), None);
    let r = DeliveryReceipt::parse(b"id:7 done date:00000 stat:UNDELIV").unwrap();
    assert!(matches!(r.done_date(), Some(Err(_))));
    // A real date of year 2000 is not mistaken for zeros.
    assert_eq!(ReceiptDate::parse(b"0001010000").map(|d| d.day), Ok(1));
}

/// `stat:FAILED` is a final failure: SMS Central's SMPP server lists it among
/// its final receipt states ("the message could not be delivered and has
/// failed at the carrier level", smscentral.com.au/sms-api/smpp/receive-dlrs/),
/// vumi had to accept it (praekeltfoundation/vumi pull request #897, "we've
/// received `stat:FAILED`") and jasmin issue #447 logs it with err:002. It
/// reads as UNDELIVERABLE, the final failure of `message_state`, and the
/// word written stays in `stat`. A `message_state` TLV still wins.
#[test]
fn stat_failed_is_a_final_failure() {
    let text = b"id:1216080510463401720 sub:001 dlvrd:001 submit date:1608051046 done date:0000000000 stat:FAILED err:002 Text:";
    let r = DeliveryReceipt::parse(text).unwrap();
    assert_eq!(r.stat, Some(&b"FAILED"[..]));
    assert_eq!(r.state(), Some(MessageState::UNDELIVERABLE));
    assert_eq!(
        MessageState::from_stat(b"failed"),
        Some(MessageState::UNDELIVERABLE)
    );
    let with_tlv = Receipt::new(text, None, Some(MessageState::EXPIRED.0), None);
    assert_eq!(with_tlv.state(), Some(MessageState::EXPIRED));
    // Vendor words with no clear state stay without one.
    for word in ["BUFFRED", "NOCRED", "SYSERR", "ENQUEUE"] {
        assert_eq!(MessageState::from_stat(word.as_bytes()), None, "{word}");
    }
}

/// Jasmin's SMPP server wrote receipt dates with a four-digit year and no
/// seconds (jookies/jasmin issue #753: `id:dbd1d8e8-d2a4-4efe-b508-60761b1ae484
/// submit date:201906190720 done date:201906190720 stat:EXPIRED err:030`).
/// Twelve digits that are no `YYMMDDhhmmss` (month 19) read as
/// `YYYYMMDDhhmm`: 2019-06-19 07:20. Twelve digits valid both ways keep the
/// usual reading.
#[test]
fn four_digit_year_dates_read() {
    let text = b"id:dbd1d8e8-d2a4-4efe-b508-60761b1ae484 submit date:201906190720 done date:201906190720 stat:EXPIRED err:030";
    let r = DeliveryReceipt::parse(text).unwrap();
    assert_eq!(r.state(), Some(MessageState::EXPIRED));
    for date in [r.submit_date(), r.done_date()] {
        let d = date.unwrap().unwrap();
        assert_eq!(
            (d.year, d.month, d.day, d.hour, d.minute, d.second),
            (19, 6, 19, 7, 20, None)
        );
        assert_eq!(d.to_unix_seconds(), 1_560_928_800);
    }
    // 2026-12-08 00:20, and the last minute of 2099.
    let d = ReceiptDate::parse(b"202612080020").unwrap();
    assert_eq!(
        (d.year, d.month, d.day, d.hour, d.minute),
        (26, 12, 8, 0, 20)
    );
    assert_eq!(
        ReceiptDate::parse(b"209912312359").map(|d| d.minute),
        Ok(59)
    );
    // Valid as YYMMDDhhmmss: 2020-12-06 19:07:20, not 2012-06-19 07:20.
    let d = ReceiptDate::parse(b"201206190720").unwrap();
    assert_eq!((d.year, d.month, d.day, d.second), (20, 12, 6, Some(20)));
    // Neither reading: another century, a 13th month, a 30 February.
    for bad in [&b"191906190720"[..], b"201913190720", b"202102300000"] {
        assert!(ReceiptDate::parse(bad).is_err(), "{}", bad.escape_ascii());
    }
}

/// An operator's receipt with the state written without its `stat:` label
/// (kneodev/ksmppd issue #108: `id:ce5bc5a9-4f7d-4282-9244-2e1022a9335c
/// sub:000 dlvrd:000 submit date:180903120815 done date:180903120816 DELIVRD
/// err:000 Text:`): the lone state word is the receipt's state. A state word
/// that is a field's value, or stands after `text:`, is not.
#[test]
fn a_state_without_its_label_is_read() {
    let text = b"id:ce5bc5a9-4f7d-4282-9244-2e1022a9335c sub:000 dlvrd:000 submit date:180903120815 done date:180903120816 DELIVRD err:000 Text:";
    let r = DeliveryReceipt::parse(text).unwrap();
    assert_eq!(r.stat, Some(&b"DELIVRD"[..]));
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    assert_eq!(r.err, Some(&b"000"[..]));
    assert_eq!(r.text, Some(&b""[..]));
    // A stat: label wins; values and the free text are no state.
    let r = DeliveryReceipt::parse(b"id:1 UNDELIV stat:DELIVRD err:000").unwrap();
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    let r = DeliveryReceipt::parse(b"id:1 err: EXPIRED sub:001 text:REJECTD now").unwrap();
    assert_eq!((r.stat, r.err), (None, Some(&b"EXPIRED"[..])));
    // A word cut by the end of the text may be the start of another.
    let r = DeliveryReceipt::parse(b"id:1 sub:001 UNDELIV").unwrap();
    assert_eq!(r.stat, None);
}

/// Whole `deliver_sm` PDUs of published receipts, read in one call.
#[test]
fn published_receipt_pdus_read_in_one_call() {
    // onlinecity/php-smpp issue #70: a deliver_sm body whose receipt has a
    // four-digit err, a text holding a GSM escape (0x1B 0x65, the euro sign),
    // no receipt TLVs but network_error_code and two vendor TLVs (0x1454, 0x1418).
    let body = hex(
        "000101393137303133313033303330000500414d41525654000400000000000000007b69643a3131373036\
         32373134323434373938323631207375623a30303120646c7672643a303031207375626d697420646174653a\
         3137303632373136323420646f6e6520646174653a3137303632373136323420737461743a44454c49565244\
         206572723a3030303020746578743a481b656c6c6f20776f726c64042300030300001454000400000001141800\
         0400000000",
    );
    let frame = deliver_sm_frame(&body);
    let sm = deliver_sm(&frame);
    let r = Receipt::from_deliver_sm(&sm);
    assert_eq!(r.message_id(), Some(&b"117062714244798261"[..]));
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    assert_eq!(r.text.unwrap().err, Some(&b"0000"[..]));
    assert_eq!(r.text.unwrap().text, Some(&b"H\x1bello world"[..]));
    assert_eq!(r.network_error_code, Some((3, 0)));

    // python-smpplib tests/test_command.py: the receipt in message_payload
    // (short_message empty), receipted_message_id 1d305b4c (hex) next to the
    // text's decimal id 0489708364, message_state 2, and a text: of UCS-2
    // octets (the original message's start).
    let text = b"id:0489708364 sub:001 dlvrd:001 submit date:1810151907 done date:1810151907 stat:DELIVRD err:000 text:\x04\x1f\x04\x40\x04\x38\x04\x32\x04\x35\x04\x42";
    let mut body = Vec::new();
    body.extend_from_slice(
        b"\x00\x01\x0131600000000\x00\x05\x00XXX YYYY\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    );
    body.extend_from_slice(
        b"\x00\x0e\x00\x01\x01\x00\x06\x00\x01\x01\x00\x1e\x00\x091d305b4c\x00\x04\x27\x00\x01\x02",
    );
    body.extend_from_slice(&[0x04, 0x24, 0x00, u8::try_from(text.len()).unwrap()]);
    body.extend_from_slice(text);
    body.extend_from_slice(b"\x04\x26\x00\x01\x01");
    let frame = deliver_sm_frame(&body);
    let sm = deliver_sm(&frame);
    let r = Receipt::from_deliver_sm(&sm);
    assert_eq!(r.message_id(), Some(&b"1d305b4c"[..]));
    assert_eq!(r.ids_agree(), Some(true));
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    assert_eq!(r.text.unwrap().text, Some(&text[text.len() - 12..]));
}

/// A `deliver_sm` frame (sequence number 1) around `body`.
fn deliver_sm_frame(body: &[u8]) -> Vec<u8> {
    let len = u32::try_from(16 + body.len()).unwrap();
    [
        &len.to_be_bytes()[..],
        &[0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1],
        body,
    ]
    .concat()
}

/// The `deliver_sm` body of `frame`.
fn deliver_sm(frame: &[u8]) -> DeliverSm<&[u8]> {
    match Pdu::parse(frame).unwrap().body {
        Body::DeliverSm(sm) => sm,
        other => panic!("not a deliver_sm: {other:?}"),
    }
}

fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// Some operators send the receipt text itself in UCS-2 (praekeltfoundation/vumi
/// pull request #635, "SMPP transport mishandles encoded delivery reports"),
/// while others set `data_coding` to UCS-2 and send ASCII octets all the same
/// (farhadi/node-smpp issue #68, whose receipt is used here: id
/// S21311242091636504458661711, 12-digit dates, `text:` and trailing blanks).
/// Both read as the same receipt when the text is read in its `data_coding`.
#[test]
fn a_receipt_text_in_ucs2_reads_like_the_ascii_one() {
    let ascii = "id:S21311242091636504458661711 sub:001 dlvrd:001 submit date:170609163650 done date:170609163657 stat:DELIVRD err:000 text:     ";
    let ucs2: Vec<u8> = ascii.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for octets in [ascii.as_bytes(), &ucs2[..]] {
        let sm = DeliverSm {
            esm_class: EsmClass::DELIVERY_RECEIPT,
            data_coding: DataCoding(0x08),
            short_message: octets,
            ..DeliverSm::default()
        };
        let mut buf = vec![0u8; 2 * octets.len() + 3];
        let r = Receipt::from_deliver_sm_in(&sm, &mut buf);
        assert_eq!(r.message_id(), Some(&b"S21311242091636504458661711"[..]));
        assert_eq!(r.state(), Some(MessageState::DELIVERED));
        let text = r.text.unwrap();
        let done = text.done_date().unwrap().unwrap();
        assert_eq!((done.minute, done.second), (36, Some(57)));
        assert_eq!(text.text, Some(&b"     "[..]));
    }
    // In another coding, or without a buffer, UCS-2 octets are no receipt text.
    let sm = DeliverSm {
        esm_class: EsmClass::DELIVERY_RECEIPT,
        short_message: &ucs2[..],
        ..DeliverSm::default()
    };
    let mut buf = vec![0u8; 2 * ucs2.len() + 3];
    assert!(!Receipt::from_deliver_sm_in(&sm, &mut buf).is_receipt());
    let sm = DeliverSm {
        data_coding: DataCoding(0x08),
        ..sm
    };
    assert!(!Receipt::from_deliver_sm(&sm).is_receipt());
    // Too small a buffer: no text, no panic.
    let mut small = [0u8; 16];
    assert!(!Receipt::from_deliver_sm_in(&sm, &mut small).is_receipt());
    // The same through a data_sm's message_payload, and DeliveryReceipt alone.
    let mut tlvs = TlvBuf::<512>::new();
    tlvs.push(TlvTag::MESSAGE_PAYLOAD, &ucs2).unwrap();
    let data_sm = DataSm {
        data_coding: DataCoding(0x08),
        tlvs: tlvs.tlvs(),
        ..DataSm::default()
    };
    let r = Receipt::from_data_sm_in(&data_sm, &mut buf);
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    let r = DeliveryReceipt::parse_coded(&ucs2, DataCoding(0x08), &mut buf).unwrap();
    assert_eq!(r.sub, Some(&b"001"[..]));
}
