//! Long messages as handsets and senders really cut them, put together again
//! with `smpp_std::reassembly` and read with `smpp_std::text::decode_message`.

use std::time::Instant;

use bytes::Bytes;
use smpp_core::text::gsm7::{Language, Tables};
use smpp_core::text::split::Method;
use smpp_core::text::udh::Udh;
use smpp_core::{DataCoding, TlvBuf, TlvTag};
use smpp_std::reassembly::{Config, Message, Outcome, Reassembler};
use smpp_std::text::{decode_message, decode_short_message, submit_sms_for_text};
use smpp_std::{Body, COctet, DeliverSm, SubmitSmBuilder};

/// Feeds `parts` (short messages with a header) to a reassembler; the message
/// they complete.
fn reassemble(parts: impl IntoIterator<Item = Bytes>) -> Message {
    let mut r = Reassembler::new(Config::default());
    let now = Instant::now();
    let mut outcome = None;
    for sm in parts {
        outcome = Some(r.insert_short_message(now, "peer", b"4477", b"404", sm, true));
    }
    match outcome {
        Some(Ok(Outcome::Complete(message))) => message,
        other => panic!("not complete: {other:?}"),
    }
}

/// A short message: an 8-bit concatenation element (reference 7, part `seq`
/// of `total`), the elements `more`, then `payload`.
fn part(seq: u8, total: u8, more: &[u8], payload: &[u8]) -> Bytes {
    let ies = [&[0x00, 3, 7, total, seq][..], more].concat();
    let udhl = u8::try_from(ies.len()).unwrap();
    Bytes::from([&[udhl][..], &ies, payload].concat())
}

/// A national language shift applies to its own segment only: TS 23.038
/// annex C.2 has the single shift table used "until the end of the current
/// segment of a concatenated message" (3GPP TS 23.038 Release 18, annex C,
/// as rendered at itecspec.com/spec/3gpp-23-038-c-2-example-of-single-shift).
/// So each part is decoded with its own header's tables: 0x1B 0x67 is 'ğ'
/// under the Turkish single shift (language 1) and, where a part names no
/// shift, falls back to 'g' of the default table.
#[test]
fn each_part_is_decoded_with_its_own_shift_tables() {
    let turkish = [0x24, 1, 1];
    let message = reassemble([
        part(1, 3, &turkish, b"Da\x1b\x67 "),
        part(2, 3, &[], b"da\x1b\x67 "),
        part(3, 3, &turkish, b"Da\x1b\x67"),
    ]);
    assert_eq!(message.headers.len(), 3);
    assert_eq!(
        decode_message(&message, DataCoding(0)).unwrap(),
        Some("Dağ dag Dağ".to_string())
    );

    // A Turkish text as this crate sends it: the parts' headers carry the
    // shift elements, and the whole reads back.
    let text = "Öğretmen Ayşe, İstanbul'da ılık bir güz sabahı çay içti. ".repeat(4);
    let template = SubmitSmBuilder::new(0)
        .destination_addr("905321234567")
        .build()
        .unwrap();
    let pdus = submit_sms_for_text(
        &template,
        &text,
        &[Language::Turkish],
        Method::Udh8 { reference: 9 },
    )
    .unwrap();
    assert!(pdus.len() > 1);
    let mut data_coding = DataCoding(0xFF);
    let message = reassemble(pdus.iter().map(|pdu| match &pdu.body {
        Body::SubmitSm(sm) => {
            data_coding = sm.data_coding;
            let (udh, _) = Udh::split(&sm.short_message).unwrap();
            assert_ne!(udh.tables().unwrap(), Tables::DEFAULT);
            sm.short_message.clone()
        }
        other => panic!("not a submit_sm: {other:?}"),
    }));
    assert_eq!(decode_message(&message, data_coding).unwrap(), Some(text));
}

/// Handsets cut an emoji's surrogate pair between two UCS-2 parts (rilmodem/
/// ofono pull request #77, "Allow concatenated UTF-16 SMS": a code point that
/// needs 4 octets split between the messages). Each part alone has a lone
/// surrogate; the message reads as the one character.
#[test]
fn a_surrogate_pair_cut_between_parts_is_one_character() {
    // "ab😱" then "😱c": the second 😱 (D83D DE31) cut after its high surrogate.
    let message = reassemble([
        part(
            1,
            2,
            &[],
            &[0x00, 0x61, 0x00, 0x62, 0xD8, 0x3D, 0xDE, 0x31, 0xD8, 0x3D],
        ),
        part(2, 2, &[], &[0xDE, 0x31, 0x00, 0x63]),
    ]);
    let first = [&message.headers[0][..], &message.parts[0]].concat();
    assert!(decode_short_message(&first, true, DataCoding(0x08)).is_err());
    assert_eq!(
        decode_message(&message, DataCoding(0x08)).unwrap(),
        Some("ab😱😱c".to_string())
    );
}

/// Senders have cut a GSM extension character between parts (jsmpp issue
/// #141: its concatenation example "did not handle extended GSM characters
/// correctly" until rewritten), leaving the escape 0x1B at the end of one part
/// and the character's code at the start of the next. The pair is read as
/// one character, '[' (0x1B 0x3C), not an error and a '<'.
#[test]
fn an_escape_ending_a_part_joins_the_next_part() {
    let message = reassemble([part(1, 2, &[], b"x\x1b"), part(2, 2, &[], b"\x3cy")]);
    assert_eq!(
        decode_message(&message, DataCoding(0)).unwrap(),
        Some("x[y".to_string())
    );
    // A doubled escape ending a part is a pair of its own (0x1B 0x1B shows a space).
    let message = reassemble([part(1, 2, &[], b"x\x1b\x1b"), part(2, 2, &[], b"\x3cy")]);
    assert_eq!(
        decode_message(&message, DataCoding(0)).unwrap(),
        Some("x <y".to_string())
    );
    // An escape ending the last part is a lone escape.
    let message = reassemble([part(1, 2, &[], b"x"), part(2, 2, &[], b"y\x1b")]);
    assert!(decode_message(&message, DataCoding(0)).is_err());
}

/// A WAP push is cut into parts that each carry application ports with the
/// concatenation element (the 16-bit ports 2948/9200 of WAP push, as in
/// this crate's `submit_sms` example); parts joined by the SAR TLVs may carry
/// a header of their own. Each part's whole header is kept with the message.
#[test]
fn headers_are_kept_with_ports_and_with_sar() {
    let ports = [0x05, 4, 0x0B, 0x84, 0x23, 0xF0];
    let message = reassemble([part(2, 2, &ports, b"CD"), part(1, 2, &ports, b"AB")]);
    assert_eq!(message.concat(), Bytes::from_static(b"ABCD"));
    for header in &message.headers {
        let (udh, rest) = Udh::split(header).unwrap();
        assert!(rest.is_empty());
        assert_eq!(udh.ports().unwrap(), Some((2948, 9200)));
    }

    // SAR parts with a Turkish single shift element in a header (UDHI set).
    let mut r = Reassembler::new(Config::default());
    let now = Instant::now();
    let mut outcome = None;
    for (seq, text) in [(2u8, &b"\x1b\x67"[..]), (1, b"a")] {
        let mut tlvs = TlvBuf::<32>::new();
        tlvs.push_u16(TlvTag::SAR_MSG_REF_NUM, 0x2A).unwrap();
        tlvs.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, 2).unwrap();
        tlvs.push_u8(TlvTag::SAR_SEGMENT_SEQNUM, seq).unwrap();
        let sm = DeliverSm {
            source_addr: COctet::new(Bytes::from_static(b"905321234567")),
            esm_class: smpp_core::EsmClass(0x40),
            short_message: Bytes::from([&[3, 0x24, 1, 1][..], text].concat()),
            tlvs: tlvs.tlvs().map(Bytes::copy_from_slice),
            ..DeliverSm::default()
        };
        outcome = Some(r.insert_deliver_sm(now, "peer", &sm));
    }
    let Some(Ok(Outcome::Complete(message))) = outcome else {
        panic!("not complete: {outcome:?}")
    };
    assert_eq!(
        message.headers,
        vec![Bytes::from_static(&[3, 0x24, 1, 1]); 2]
    );
    assert_eq!(
        decode_message(&message, DataCoding(0)).unwrap(),
        Some("ağ".to_string())
    );
}
