//! Owned text helpers: content to the owned `submit_sm` / `deliver_sm` PDUs of its segments,
//! and received octets back to text.

#![allow(clippy::cast_possible_truncation)]

use std::time::Instant;

use bytes::Bytes;
use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::{Language, Tables};
use smpp_core::text::split::{Content, Method, SplitError, SplitOptions};
use smpp_core::text::udh::{Ie, Udh, UdhError};
use smpp_core::text::{OnUnmappable, TextError};
use smpp_core::{Body, CommandId, DataCoding, EsmClass, TlvTag};
use smpp_std::reassembly::{Config, Outcome, Reassembler};
use smpp_std::text::{
    DecodeError, SplitPduError, decode_short_message, decode_short_message_with, decode_to_string,
    decode_to_string_with, deliver_sms, submit_sms, submit_sms_for_text,
};
use smpp_std::{COctet, Pdu, SubmitSm};

fn template() -> SubmitSm {
    let tlvs = smpp_std::SubmitSmBuilder::new(1)
        .destination_addr("447700900123")
        .user_message_reference(77)
        .build()
        .unwrap();
    let Body::SubmitSm(sm) = tlvs.body else {
        panic!("the builder makes a submit_sm")
    };
    SubmitSm {
        source_addr: COctet::new(Bytes::from_static(b"INFO")),
        short_message: Bytes::from_static(b"replaced"),
        esm_class: EsmClass(0x03),
        ..sm
    }
}

/// `content` split by `method` into `submit_sm` parts of [`template`], with
/// the default options.
fn submit_parts(content: Content<'_>, method: Method) -> Vec<Pdu> {
    submit_sms(&template(), content, method, SplitOptions::default()).unwrap()
}

/// As [`submit_parts`], into `deliver_sm` parts.
fn deliver_parts(content: Content<'_>, method: Method) -> Vec<Pdu> {
    deliver_sms(&template(), content, method, SplitOptions::default()).unwrap()
}

fn sm(pdu: &Pdu) -> &SubmitSm {
    match &pdu.body {
        Body::SubmitSm(sm) | Body::DeliverSm(sm) => sm,
        other => panic!("not a submit_sm: {other:?}"),
    }
}

fn decode_all(pdus: &[Pdu]) -> String {
    pdus.iter()
        .map(|p| {
            let sm = sm(p);
            decode_short_message(&sm.short_message, sm.esm_class.udhi(), sm.data_coding)
                .unwrap()
                .unwrap()
        })
        .collect()
}

#[test]
fn udh_parts_keep_the_template_and_come_in_order() {
    let text = "Привет, мир! ".repeat(10); // 130 UCS-2 units: two parts of at most 67
    let pdus = submit_parts(
        Content::Text(&text, Encoding::Ucs2),
        Method::Udh8 { reference: 0x33 },
    );
    assert_eq!(pdus.len(), 2);
    for (i, pdu) in pdus.iter().enumerate() {
        assert_eq!(pdu.header().command_id, CommandId::SUBMIT_SM);
        assert_eq!(pdu.sequence_number, 0, "the session numbers them");
        let sm = sm(pdu);
        assert_eq!(sm.source_addr.as_bytes(), b"INFO");
        assert_eq!(sm.destination_addr.as_bytes(), b"447700900123");
        assert_eq!(sm.esm_class, EsmClass(0x43), "mode bits kept, UDHI added");
        assert_eq!(sm.data_coding, DataCoding(0x08));
        assert_eq!(
            sm.tlvs
                .get(TlvTag::USER_MESSAGE_REFERENCE)
                .and_then(|t| t.as_u16()),
            Some(77)
        );
        let (udh, body) = Udh::split(&sm.short_message).unwrap();
        let concat = udh.concat().unwrap().unwrap();
        assert_eq!(
            (concat.reference, concat.total, usize::from(concat.seq)),
            (0x33, 2, i + 1)
        );
        assert!(body.len() <= 134);
    }
    assert_eq!(decode_all(&pdus), text);
}

#[test]
fn sar_and_payload_methods() {
    let text = "x".repeat(200);
    let content = Content::Text(&text, Encoding::Gsm7(Tables::DEFAULT));
    let pdus = submit_parts(content, Method::Sar { reference: 0xBEEF });
    assert_eq!(pdus.len(), 2);
    for (i, pdu) in pdus.iter().enumerate() {
        let sm = sm(pdu);
        assert!(!sm.esm_class.udhi());
        let tlv = |tag| sm.tlvs.get(tag).unwrap();
        assert_eq!(tlv(TlvTag::SAR_MSG_REF_NUM).as_u16(), Some(0xBEEF));
        assert_eq!(tlv(TlvTag::SAR_TOTAL_SEGMENTS).as_u8(), Some(2));
        assert_eq!(tlv(TlvTag::SAR_SEGMENT_SEQNUM).as_u8(), Some(i as u8 + 1));
    }
    assert_eq!(decode_all(&pdus), text);

    let long = "y".repeat(1000);
    let pdus = submit_parts(Content::Text(&long, Encoding::Latin1), Method::Payload);
    assert_eq!(pdus.len(), 1);
    let sm = sm(&pdus[0]);
    assert!(sm.short_message.is_empty());
    let payload = sm.tlvs.get(TlvTag::MESSAGE_PAYLOAD).unwrap().value;
    assert_eq!(payload, long.as_bytes());
    assert_eq!(
        decode_to_string(sm.data_coding, Tables::DEFAULT, payload),
        Some(Ok(long))
    );
}

#[test]
fn payload_beyond_the_message_payload_limit_is_refused() {
    // One octet more than a message_payload TLV holds: refused by the splitter, before the
    // segment buffer is made.
    let data = vec![0x5Au8; 65_536];
    assert_eq!(
        submit_sms(
            &template(),
            Content::Binary(&data),
            Method::Payload,
            SplitOptions::default()
        ),
        Err(SplitPduError::Split(SplitError::MessagePayloadTooLong {
            len: 65_536
        }))
    );
    let text = "ж".repeat(1 << 20);
    assert_eq!(
        submit_sms_for_text(&template(), &text, &[], Method::Payload),
        Err(SplitPduError::Split(SplitError::MessagePayloadTooLong {
            len: 2 << 20
        }))
    );
    // At the limit it fits.
    let pdus = submit_parts(Content::Binary(&data[..65_535]), Method::Payload);
    let payload = sm(&pdus[0])
        .tlvs
        .get(TlvTag::MESSAGE_PAYLOAD)
        .unwrap()
        .value;
    assert_eq!(payload.len(), 65_535);
}

#[test]
fn deliver_sm_and_chosen_national_tables() {
    let pdus = deliver_parts(
        Content::Text("hi", Encoding::Gsm7(Tables::DEFAULT)),
        Method::Udh8 { reference: 1 },
    );
    assert_eq!(pdus[0].header().command_id, CommandId::DELIVER_SM);
    assert_eq!(sm(&pdus[0]).short_message, Bytes::from_static(b"hi"));

    // Turkish letters: the Turkish tables hold them in GSM 7-bit, with a shift element.
    let text = "Günaydın, İstanbul! Şimdi çay içiyoruz. ".repeat(5);
    let pdus = submit_sms_for_text(
        &template(),
        &text,
        &[Language::Turkish],
        Method::Udh16 { reference: 9 },
    )
    .unwrap();
    assert!(pdus.len() >= 2);
    for pdu in &pdus {
        let sm = sm(pdu);
        assert_eq!(sm.data_coding, DataCoding(0x00));
        let (udh, _) = Udh::split(&sm.short_message).unwrap();
        let turkish = (udh.single_shift(), udh.locking_shift());
        assert!(
            turkish.0 == Ok(Some(Language::Turkish)) || turkish.1 == Ok(Some(Language::Turkish))
        );
    }
    assert_eq!(decode_all(&pdus), text);
    // Without Turkish allowed, the same text needs UCS-2.
    let pdus =
        submit_sms_for_text(&template(), &text, &[], Method::Udh16 { reference: 9 }).unwrap();
    assert_eq!(sm(&pdus[0]).data_coding, DataCoding(0x08));
    assert_eq!(decode_all(&pdus), text);
}

#[test]
fn binary_with_ports_reassembles() {
    let wsp: Vec<u8> = (0..300u32).map(|i| (i % 251) as u8).collect();
    let ports = [Ie::Port16 {
        dest: 2948,
        src: 9200,
    }];
    let options = SplitOptions {
        ies: &ports,
        ..SplitOptions::default()
    };
    let pdus = submit_sms(
        &template(),
        Content::Binary(&wsp),
        Method::Udh8 { reference: 5 },
        options,
    )
    .unwrap();
    assert_eq!(pdus.len(), 3);
    let mut r = Reassembler::new(Config::default());
    let now = Instant::now();
    let mut done = None;
    for pdu in pdus.iter().rev() {
        let sm = sm(pdu);
        assert!(sm.short_message.len() <= 140);
        assert_eq!(sm.data_coding, DataCoding(0x04));
        if let Outcome::Complete(m) = r
            .insert_short_message(
                now,
                1,
                b"INFO",
                b"447700900123",
                sm.short_message.clone(),
                true,
            )
            .unwrap()
        {
            done = Some(m.concat());
        }
    }
    assert_eq!(done.unwrap(), wsp);
    // Binary data is not text.
    let sm = sm(&pdus[0]);
    assert_eq!(
        decode_short_message(&sm.short_message, true, sm.data_coding),
        Ok(None)
    );
}

#[test]
fn errors_name_what_failed() {
    let latin = Content::Text("naïve жук", Encoding::Latin1);
    let method = Method::Udh8 { reference: 1 };
    assert!(matches!(
        submit_sms(&template(), latin, method, SplitOptions::default()),
        Err(SplitPduError::Split(SplitError::Text(
            TextError::Unmappable { ch: 'ж', .. }
        )))
    ));
    let replace = SplitOptions {
        on_unmappable: OnUnmappable::Replace,
        ..SplitOptions::default()
    };
    let pdus = submit_sms(&template(), latin, method, replace).unwrap();
    assert_eq!(
        sm(&pdus[0]).short_message,
        Bytes::from_static(b"na\xEFve ???")
    );

    let bad = SubmitSm {
        destination_addr: COctet::new(Bytes::from(vec![b'1'; 40])),
        ..template()
    };
    assert!(matches!(
        submit_sms(
            &bad,
            Content::Text("hi", Encoding::Latin1),
            method,
            SplitOptions::default()
        ),
        Err(SplitPduError::Pdu(_))
    ));

    assert_eq!(
        decode_short_message(&[0x09, 0x00], true, DataCoding(0)),
        Err(DecodeError::Udh(UdhError::UdhlPastEnd {
            udhl: 9,
            available: 1
        }))
    );
    assert_eq!(
        decode_short_message(&[0x80], false, DataCoding(0)),
        Err(DecodeError::Text(TextError::InvalidSeptet(0x80)))
    );
    assert_eq!(
        decode_to_string(DataCoding(0x08), Tables::DEFAULT, &[0xD8, 0x00]),
        Some(Err(TextError::UnpairedSurrogate(0xD800)))
    );
}

#[test]
fn decoding_with_replacement() {
    const R: char = '\u{FFFD}';
    let replace = OnUnmappable::Replace;
    // The errors of the strict decoders, replaced in place.
    assert_eq!(
        decode_short_message_with(&[0x41, 0x80, 0x42], false, DataCoding(0), replace),
        Ok(Some(format!("A{R}B")))
    );
    let ucs2 = |octets: &[u8], policy| {
        decode_to_string_with(DataCoding(0x08), Tables::DEFAULT, octets, policy)
    };
    assert_eq!(
        ucs2(&[0xD8, 0x00, 0x00, 0x41], replace),
        Some(Ok(format!("{R}A")))
    );
    assert_eq!(
        ucs2(&[0x00, 0x41, 0x42], replace),
        Some(Ok(format!("A{R}")))
    );
    // The error policy is the plain functions'.
    assert_eq!(
        ucs2(&[0xD8, 0x00], OnUnmappable::Error),
        decode_to_string(DataCoding(0x08), Tables::DEFAULT, &[0xD8, 0x00])
    );
    // A Bengali locking shift in the header: 0x0C has no character there, so '?'.
    let sm = [0x03, 0x25, 0x01, 0x04, 0x0C];
    assert_eq!(
        decode_short_message(&sm, true, DataCoding(0)),
        Err(DecodeError::Text(TextError::Unassigned(0x0C)))
    );
    assert_eq!(
        decode_short_message_with(&sm, true, DataCoding(0), replace),
        Ok(Some("?".to_string()))
    );
    // A broken header is still an error: the text cannot be found.
    assert_eq!(
        decode_short_message_with(&[0x09, 0x00], true, DataCoding(0), replace),
        Err(DecodeError::Udh(UdhError::UdhlPastEnd {
            udhl: 9,
            available: 1
        }))
    );
    // Binary data is not text under either policy.
    assert_eq!(
        decode_short_message_with(b"\xD8", false, DataCoding(0x04), replace),
        Ok(None)
    );
}

/// `deliver_sm` parts reassemble in one call whichever way they are joined:
/// SAR TLVs or 8-bit or 16-bit header elements, in any order; a message
/// of one part comes back at once, its payload shared with the PDU.
#[test]
fn deliver_sm_parts_reassemble_by_sar_or_header() {
    let text = "Grüße aus Köln! ".repeat(20); // 320 GSM 7-bit characters
    for method in [
        Method::Sar { reference: 0x1234 },
        Method::Udh8 { reference: 7 },
        Method::Udh16 { reference: 0x0102 },
    ] {
        let pdus = deliver_parts(
            Content::Text(&text, Encoding::Gsm7(Tables::DEFAULT)),
            method,
        );
        assert_eq!(pdus.len(), 3, "{method:?}");
        let mut r = Reassembler::new(Config::default());
        let now = Instant::now();
        let mut outcomes = Vec::new();
        for i in [2, 0, 1] {
            let Body::DeliverSm(sm) = &pdus[i].body else {
                panic!("{:?}", pdus[i])
            };
            outcomes.push(r.insert_deliver_sm(now, "esme", sm).unwrap());
        }
        assert!(matches!(
            outcomes[0],
            Outcome::Incomplete {
                received: 1,
                total: 3
            }
        ));
        assert!(matches!(
            outcomes[1],
            Outcome::Incomplete {
                received: 2,
                total: 3
            }
        ));
        let Outcome::Complete(message) = &outcomes[2] else {
            panic!("{method:?}: {outcomes:?}")
        };
        let back = decode_to_string(DataCoding(0), Tables::DEFAULT, &message.concat());
        assert_eq!(back, Some(Ok(text.clone())), "{method:?}");
        assert!(r.is_empty());
    }

    // One part: complete at once, the payload a slice of the PDU's storage.
    let one = &deliver_parts(
        Content::Text("short", Encoding::Gsm7(Tables::DEFAULT)),
        Method::Udh8 { reference: 1 },
    )[0];
    let Body::DeliverSm(sm) = &one.body else {
        panic!()
    };
    let mut r = Reassembler::new(Config::default());
    let Ok(Outcome::Complete(m)) = r.insert_deliver_sm(Instant::now(), "esme", sm) else {
        panic!()
    };
    assert_eq!(m.parts.len(), 1);
    assert_eq!(m.parts[0].as_ptr_range(), sm.short_message.as_ptr_range());
}

/// `data_sm` carries its part in `message_payload`; SAR TLVs that are
/// not all there are an error.
#[test]
fn data_sm_parts_and_incomplete_sar() {
    use smpp_core::TlvBuf;
    use smpp_std::DataSm;
    use smpp_std::reassembly::ReassemblyError;
    let data_sm = |seq: Option<u8>, payload: &'static [u8]| {
        let mut tlvs = TlvBuf::<64>::new();
        tlvs.push(TlvTag::MESSAGE_PAYLOAD, payload).unwrap();
        tlvs.push_u16(TlvTag::SAR_MSG_REF_NUM, 9).unwrap();
        tlvs.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, 2).unwrap();
        if let Some(seq) = seq {
            tlvs.push_u8(TlvTag::SAR_SEGMENT_SEQNUM, seq).unwrap();
        }
        DataSm {
            source_addr: COctet::new(Bytes::from_static(b"1")),
            tlvs: tlvs.tlvs().map(Bytes::copy_from_slice),
            ..DataSm::default()
        }
    };
    let mut r = Reassembler::new(Config::default());
    let now = Instant::now();
    assert!(matches!(
        r.insert_data_sm(now, 1, &data_sm(Some(2), b" world")),
        Ok(Outcome::Incomplete {
            received: 1,
            total: 2
        })
    ));
    let Ok(Outcome::Complete(m)) = r.insert_data_sm(now, 1, &data_sm(Some(1), b"hello")) else {
        panic!()
    };
    assert_eq!(m.concat(), Bytes::from_static(b"hello world"));
    assert_eq!(
        r.insert_data_sm(now, 1, &data_sm(None, b"x")),
        Err(ReassemblyError::IncompleteSar)
    );
    // Another sender's part with the same reference is another message.
    assert!(matches!(
        r.insert_data_sm(now, 2, &data_sm(Some(1), b"a")),
        Ok(Outcome::Incomplete { .. })
    ));
}

#[test]
fn a_builders_pdu_is_a_template_and_other_commands_are_not() {
    let template = smpp_std::SubmitSmBuilder::new(9)
        .destination_addr("447700900123")
        .build()
        .unwrap();
    let pdus = submit_sms_for_text(&template, "Hello", &[], Method::Udh8 { reference: 1 }).unwrap();
    assert_eq!(pdus.len(), 1);
    assert_eq!(sm(&pdus[0]).destination_addr.as_bytes(), b"447700900123");
    let receipt = smpp_std::SubmitSmBuilder::deliver_sm(0).build().unwrap();
    let parts = deliver_sms(
        &receipt,
        Content::Binary(b"abc"),
        Method::Udh8 { reference: 1 },
        SplitOptions::default(),
    )
    .unwrap();
    assert_eq!(parts[0].command_id(), CommandId::DELIVER_SM);
    let query = smpp_std::QuerySmBuilder::new(1)
        .message_id("1")
        .build()
        .unwrap();
    assert_eq!(
        submit_sms_for_text(&query, "Hello", &[], Method::Udh8 { reference: 1 }),
        Err(SplitPduError::NotAMessage(CommandId::QUERY_SM))
    );
}

/// An 8-bit reference comes back after 256 messages. A message whose
/// later parts were lost does not hold its reference against the next
/// message numbered with it: that one is reassembled, and the lost one is
/// reported by `expire`.
#[test]
fn an_8_bit_reference_reused_after_256_messages() {
    let part = |reference: u8, total: u8, seq: u8, text: &[u8]| {
        Bytes::from([&[5, 0x00, 3, reference, total, seq][..], text].concat())
    };
    let mut r = Reassembler::new(Config::default());
    let now = Instant::now();
    let mut insert =
        |sm| r.insert_short_message(now, "esme-1", b"447700900001", b"40404", sm, true);
    assert_eq!(
        insert(part(0, 3, 1, b"lost ")),
        Ok(Outcome::Incomplete {
            received: 1,
            total: 3
        })
    );
    for reference in 1..=255 {
        insert(part(reference, 2, 1, b"a")).unwrap();
        let Ok(Outcome::Complete(m)) = insert(part(reference, 2, 2, b"b")) else {
            panic!("message {reference} incomplete")
        };
        assert_eq!(m.concat(), "ab", "message {reference}");
    }
    // The 257th message: reference 0 again, in 2 parts where the lost one
    // had 3, its last part first.
    assert_eq!(
        insert(part(0, 2, 2, b"round")),
        Ok(Outcome::Incomplete {
            received: 1,
            total: 2
        })
    );
    let Ok(Outcome::Complete(m)) = insert(part(0, 2, 1, b"wrapped ")) else {
        panic!("incomplete")
    };
    assert_eq!(m.concat(), "wrapped round");
    assert!(r.is_empty());
    let lost = r.expire(now);
    assert_eq!(lost.len(), 1);
    assert_eq!(
        (lost[0].key.reference, lost[0].received, lost[0].total),
        (0, 1, 3)
    );
    assert_eq!(r.held_by(&"esme-1"), 0);
}
