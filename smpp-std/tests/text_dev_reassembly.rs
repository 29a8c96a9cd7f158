//! Long messages as handsets and senders really cut them, put together again
//! with `smpp_std::reassembly` and read with `smpp_std::text::decode_message`.

use std::time::Instant;

use bytes::Bytes;
use smpp_core::text::gsm7::{Language, Tables};
use smpp_core::text::reassembly::{Part, Reassembler as CoreReassembler, Status};
use smpp_core::text::split::Method;
use smpp_core::text::udh::Udh;
use smpp_core::text::{OnUnmappable, TextError, decode_parts_into, decode_with};
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

/// The fixed-capacity reassembler of `smpp_core` keeps each part's tables
/// too (TS 23.038 annex C.2, as above), for receivers without an allocator:
/// the same three parts, inserted in another order, read the same.
#[test]
fn the_core_reassembler_keeps_each_parts_tables() {
    let turkish = [0x24, 1, 1];
    let short_messages = [
        part(3, 3, &turkish, b"Da\x1b\x67"),
        part(1, 3, &turkish, b"Da\x1b\x67 "),
        part(2, 3, &[], b"da\x1b\x67 "),
    ];
    let mut r: CoreReassembler<2, 4, 128> = CoreReassembler::new();
    let mut status = Status::Single;
    for sm in &short_messages {
        let part = Part::from_short_message(sm, true).unwrap().unwrap();
        let tables = Udh::split(sm).unwrap().0.tables().unwrap();
        status = r.insert_with_tables(1, 0, part, tables).unwrap();
    }
    let Status::Complete(done) = status else {
        panic!("{status:?}")
    };
    let mut out = [0u8; 64];
    let parts = r.parts_with_tables(done).unwrap();
    let text = decode_parts_into(parts, DataCoding(0), OnUnmappable::Error, &mut out).unwrap();
    assert_eq!(text, Some("Dağ dag Dağ"));
    // Inserted without tables, every part reads with the default ones.
    let mut r: CoreReassembler<2, 4, 128> = CoreReassembler::new();
    for sm in &short_messages {
        status = r
            .insert(1, 0, Part::from_short_message(sm, true).unwrap().unwrap())
            .unwrap();
    }
    let Status::Complete(done) = status else {
        panic!("{status:?}")
    };
    let parts = r.parts_with_tables(done).unwrap();
    let text = decode_parts_into(parts, DataCoding(0), OnUnmappable::Error, &mut out).unwrap();
    assert_eq!(text, Some("Dag dag Dag"));
}

/// Broken UCS-2 across parts gives what `decode_with` gives for the joined
/// octets: one U+FFFD per lone surrogate and for an odd last octet under
/// `Replace`, the first of those errors under `Error`; too small an output is
/// `BufferTooSmall`, never a cut character.
#[test]
fn broken_ucs2_across_parts_decodes_as_joined() {
    let t = Tables::DEFAULT;
    let parts = [
        (t, &[0xD8, 0x3D, 0x00][..]),
        (t, &[0x41, 0xDE]),
        (t, &[0x00, 0x42]),
    ];
    let joined: Vec<u8> = parts.iter().flat_map(|(_, p)| p.iter().copied()).collect();
    let mut out = [0u8; 64];
    for policy in [OnUnmappable::Replace, OnUnmappable::Error] {
        let expected: Result<String, TextError> = decode_with(DataCoding(0x08), t, &joined, policy)
            .unwrap()
            .collect();
        let got = decode_parts_into(parts, DataCoding(0x08), policy, &mut out);
        assert_eq!(got.map(|s| s.unwrap().to_string()), expected, "{policy:?}");
    }
    let odd = [(t, &[0x00, 0x41, 0x00][..])];
    let got = decode_parts_into(odd, DataCoding(0x08), OnUnmappable::Replace, &mut out);
    assert_eq!(got, Ok(Some("A\u{FFFD}")));
    let got = decode_parts_into(odd, DataCoding(0x08), OnUnmappable::Error, &mut out);
    assert_eq!(got, Err(TextError::OddLength));
    let mut small = [0u8; 4];
    let emoji = [(t, &[0x00, 0x41, 0xD8, 0x3D][..]), (t, &[0xDE, 0x00])];
    let got = decode_parts_into(emoji, DataCoding(0x08), OnUnmappable::Error, &mut small);
    assert_eq!(got, Err(TextError::BufferTooSmall));
    // Binary data is no text.
    let got = decode_parts_into(emoji, DataCoding(0x04), OnUnmappable::Error, &mut out);
    assert_eq!(got, Ok(None));
}
