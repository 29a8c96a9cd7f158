//! Typed TLV values beyond the one valid value per tag of `spec_tables.rs`:
//! the lenient forms implementations send, and every encoding error.

mod common;

use common::tlv_error;
use smpp_core::{
    CommandStatus, DataCoding, ErrorKind, Tlv, TlvBuf, TlvProblem, TlvTag, TlvValue, Tlvs,
};

fn typed(tag: TlvTag, value: &[u8]) -> TlvValue<'_> {
    TlvValue::from_tlv(Tlv::new(tag, value))
}

/// `value` under `tag` is kept untyped.
fn assert_untyped(tag: TlvTag, value: &[u8]) {
    assert_eq!(typed(tag, value), TlvValue::Unknown(tag, value), "{tag:?}");
}

/// `TlvValue::write_value` or `TlvValue::emit`.
type Write = fn(&TlvValue<'static>, &mut [u8]) -> Result<usize, smpp_core::Error>;

fn encode(value: &TlvValue<'_>) -> Result<Vec<u8>, smpp_core::Error> {
    let mut out = vec![0u8; value.encoded_value_len()];
    let n = value.write_value(&mut out)?;
    assert_eq!(n, out.len());
    Ok(out)
}

/// `raw` under `tag` reads as `value`, which writes `raw` again.
fn assert_typed(tag: TlvTag, raw: &[u8], value: TlvValue<'_>) {
    assert_eq!(typed(tag, raw), value, "{tag:?}");
    assert_eq!(encode(&value).unwrap(), raw, "{tag:?}");
}

/// `value` is refused with `problem`, naming its own tag.
fn assert_refused(value: &TlvValue<'_>, problem: TlvProblem) {
    let err = value.validate().unwrap_err();
    assert_eq!(err.kind(), tlv_error(value.tag(), problem), "{value:?}");
}

#[test]
fn source_telematics_id_two_octet_form_round_trips() {
    let value = TlvValue::SourceTelematicsId {
        protocol_id: 0x7F,
        reserved: Some(1),
    };
    assert_typed(TlvTag::SOURCE_TELEMATICS_ID, &[0x7F, 0x01], value);
}

#[test]
fn broadcast_rep_num_one_octet_form_round_trips() {
    let value = TlvValue::BroadcastRepNum {
        number: 9,
        one_octet: true,
    };
    assert_typed(TlvTag::BROADCAST_REP_NUM, &[9], value);
    let too_big = TlvValue::BroadcastRepNum {
        number: 256,
        one_octet: true,
    };
    assert_refused(&too_big, TlvProblem::InvalidValue);
    let two = TlvValue::BroadcastRepNum {
        number: 256,
        one_octet: false,
    };
    assert_eq!(encode(&two).unwrap(), [1, 0]);
}

#[test]
fn alert_on_message_delivery_v50_value() {
    let value = TlvValue::AlertOnMessageDelivery(Some(3));
    assert_typed(TlvTag::ALERT_ON_MESSAGE_DELIVERY, &[3], value);
    assert_eq!(
        encode(&TlvValue::AlertOnMessageDelivery(None)).unwrap(),
        [0u8; 0]
    );
}

#[test]
fn callback_num_atag_empty_and_inconsistent() {
    let value = TlvValue::CallbackNumAtag {
        data_coding: None,
        display_text: b"",
    };
    assert_typed(TlvTag::CALLBACK_NUM_ATAG, &[], value);
    let bad = TlvValue::CallbackNumAtag {
        data_coding: None,
        display_text: b"x",
    };
    assert_refused(&bad, TlvProblem::InvalidValue);
    let ucs2 = TlvValue::CallbackNumAtag {
        data_coding: Some(DataCoding::UCS2),
        display_text: &[0, b'A'],
    };
    assert_eq!(encode(&ucs2).unwrap(), [8, 0, b'A']);
}

#[test]
fn cstring_without_nul_is_accepted_and_gains_its_nul() {
    let v = typed(TlvTag::RECEIPTED_MESSAGE_ID, b"abc");
    assert_eq!(v, TlvValue::ReceiptedMessageId(b"abc"));
    assert_eq!(encode(&v).unwrap(), b"abc\0");
    // 65 octets without NUL would need 66 with it: left untyped.
    let long = [b'7'; 65];
    assert_untyped(TlvTag::RECEIPTED_MESSAGE_ID, &long);
    // 64 characters plus NUL is the maximum.
    let mut max = vec![b'7'; 64];
    max.push(0);
    assert_eq!(
        typed(TlvTag::RECEIPTED_MESSAGE_ID, &max),
        TlvValue::ReceiptedMessageId(&max[..64])
    );
    assert_eq!(
        encode(&TlvValue::ReceiptedMessageId(&max[..64])).unwrap(),
        max
    );
    assert_refused(
        &TlvValue::ReceiptedMessageId(&long),
        TlvProblem::InvalidLength { len: 66 },
    );
}

#[test]
fn cstring_with_inner_nul_is_untyped() {
    let raw = b"ab\0cd\0";
    assert_untyped(TlvTag::RECEIPTED_MESSAGE_ID, raw);
    assert_refused(
        &TlvValue::AdditionalStatusInfoText(b"a\0b"),
        TlvProblem::InvalidValue,
    );
    assert_refused(
        &TlvValue::SourceNetworkId(b"131\x0002600"),
        TlvProblem::InvalidValue,
    );
}

#[test]
fn broadcast_end_time_forms() {
    let time = b"250101120000000+";
    // 16 octets without NUL (Kannel): accepted, encoded with NUL (17).
    let v = typed(TlvTag::BROADCAST_END_TIME, time);
    assert_eq!(v, TlvValue::BroadcastEndTime(time));
    assert_eq!(encode(&v).unwrap(), b"250101120000000+\0");
    // 16 octets ending in NUL: only 15 characters, not a time.
    let short = b"25010112000000+\0";
    assert_untyped(TlvTag::BROADCAST_END_TIME, short);
    // 17 octets without a final NUL.
    let unterminated = b"250101120000000+X";
    assert_untyped(TlvTag::BROADCAST_END_TIME, unterminated);
    assert_refused(
        &TlvValue::BroadcastEndTime(b"2501011200"),
        TlvProblem::InvalidLength { len: 11 },
    );
    // 15 characters fit the length rule (16 octets) but are not a time.
    assert_refused(
        &TlvValue::BroadcastEndTime(b"25010112000000+"),
        TlvProblem::InvalidValue,
    );
}

#[test]
fn its_session_info_packs_bits() {
    let v = TlvValue::ItsSessionInfo {
        session_number: 0xFF,
        sequence_number: 127,
        end_of_session: false,
    };
    assert_typed(TlvTag::ITS_SESSION_INFO, &[0xFF, 0xFE], v);
    let bad = TlvValue::ItsSessionInfo {
        session_number: 0,
        sequence_number: 128,
        end_of_session: true,
    };
    assert_refused(&bad, TlvProblem::InvalidValue);
}

#[test]
fn vendor_and_unknown_tags_round_trip_raw() {
    for tag in [0x1400, 0x2000, 0x3FFF, 0x0001, 0x060C, 0xFFFF] {
        let tag = TlvTag(tag);
        for value in [&b""[..], b"\x00", b"vendor data"] {
            let v = typed(tag, value);
            assert_eq!(v, TlvValue::Unknown(tag, value));
            assert_eq!(v.tag(), tag);
            assert_eq!(encode(&v).unwrap(), value);
        }
    }
}

#[test]
fn unknown_with_a_known_tag_is_checked_on_encode() {
    let v = TlvValue::Unknown(TlvTag::SAR_MSG_REF_NUM, &[1, 2, 3]);
    assert_refused(&v, TlvProblem::InvalidLength { len: 3 });
    let ok = TlvValue::Unknown(TlvTag::SAR_MSG_REF_NUM, &[1, 2]);
    assert_eq!(encode(&ok).unwrap(), [1, 2]);
}

#[test]
fn encoding_errors() {
    // Lengths the rules forbid.
    let long = [b'1'; 20];
    let number = TlvValue::CallbackNum {
        digit_mode: 1,
        ton: smpp_core::Ton(1),
        npi: smpp_core::Npi(1),
        number: &long[..17],
    };
    assert_refused(&number, TlvProblem::InvalidLength { len: 20 });
    assert_refused(
        &TlvValue::BroadcastAreaIdentifier {
            format: 0,
            area: &[b'a'; 101],
        },
        TlvProblem::InvalidLength { len: 102 },
    );
    assert_refused(
        &TlvValue::SourceSubaddress {
            subaddress_type: 0xA0,
            subaddress: &[],
        },
        TlvProblem::InvalidLength { len: 1 },
    );
    // More than a 16-bit length can carry.
    let huge = vec![0u8; 65_536];
    let err = TlvValue::MessagePayload(&huge).validate().unwrap_err();
    assert_eq!(
        err.kind(),
        tlv_error(TlvTag::MESSAGE_PAYLOAD, TlvProblem::TooLong { len: 65_536 })
    );
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVLEN);
    let max = vec![7u8; 65_535];
    assert_eq!(encode(&TlvValue::MessagePayload(&max)).unwrap(), max);
}

#[test]
fn short_buffers_are_refused_without_writing() {
    let v = TlvValue::NetworkErrorCode {
        network_type: 3,
        error_code: 0x22,
    };
    // The value alone (3 octets) and the whole TLV (7), one octet short.
    let writers: [(&str, Write, usize); 2] = [
        ("write_value", TlvValue::write_value, 3),
        ("emit", TlvValue::emit, 7),
    ];
    for (what, write, needed) in writers {
        let available = needed - 1;
        let mut out = vec![0xEEu8; available];
        assert_eq!(
            write(&v, &mut out).unwrap_err().kind(),
            ErrorKind::BufferTooSmall { needed, available },
            "{what}"
        );
        assert_eq!(out, vec![0xEE; available], "{what}");
    }

    let mut buf = TlvBuf::<8>::new();
    buf.push_value(&TlvValue::SarTotalSegments(2)).unwrap();
    assert!(matches!(
        buf.push_value(&v).unwrap_err().kind(),
        ErrorKind::BufferTooSmall { needed: 12, .. }
    ));
    assert_eq!(buf.tlvs().as_bytes(), [0x02, 0x0E, 0, 1, 2]);
    // An invalid value appends nothing either.
    assert!(
        buf.push_value(&TlvValue::ReceiptedMessageId(b"a\0"))
            .is_err()
    );
    assert_eq!(buf.tlvs().as_bytes(), [0x02, 0x0E, 0, 1, 2]);
}

#[test]
fn region_lookups_are_typed() {
    let raw = [
        0x04, 0x27, 0, 1, 5, // message_state UNDELIVERABLE
        0x14, 0x00, 0, 2, 0xAB, 0xCD, // vendor tag
        0x04, 0x27, 0, 1, 2, // a duplicate
    ];
    let tlvs = Tlvs::parse(&raw).unwrap();
    assert_eq!(
        tlvs.value(TlvTag::MESSAGE_STATE),
        Some(TlvValue::MessageState(
            smpp_core::MessageState::UNDELIVERABLE
        ))
    );
    assert_eq!(
        tlvs.value(TlvTag(0x1400)),
        Some(TlvValue::Unknown(TlvTag(0x1400), &[0xAB, 0xCD]))
    );
    assert_eq!(tlvs.value(TlvTag::MESSAGE_PAYLOAD), None);
    let all: Vec<_> = tlvs
        .get_all(TlvTag::MESSAGE_STATE)
        .map(TlvValue::from)
        .collect();
    assert_eq!(all.len(), 2);
    // Re-encoding every typed value rebuilds the region.
    let mut buf = TlvBuf::<32>::new();
    for tlv in &tlvs {
        buf.push_value(&tlv.typed()).unwrap();
    }
    assert_eq!(buf.tlvs().as_bytes(), raw);
}

/// The TLVs a `TlvBuf` holds, as (tag, value) pairs.
fn pushed<const N: usize>(buf: &TlvBuf<N>) -> Vec<(TlvTag, Vec<u8>)> {
    buf.tlvs()
        .iter()
        .map(|t| (t.tag, t.value.to_vec()))
        .collect()
}

/// `push_cstr` writes the value and its NUL whatever the value's size: a
/// value of 257 octets or more once became an empty TLV, accepted silently.
#[test]
fn push_cstr_writes_long_values_whole() {
    let mut buf = TlvBuf::<70_000>::new();
    let vendor = TlvTag(0x1400);
    for len in [0usize, 1, 255, 256, 257, 300, 1000, 65_534] {
        buf.clear();
        let value = vec![b'v'; len];
        buf.push_cstr(vendor, &value).unwrap();
        let mut want = value.clone();
        want.push(0);
        assert_eq!(pushed(&buf), [(vendor, want)], "{len} octets");
        let raw = buf.tlvs().as_bytes().to_vec();
        assert_eq!(raw.len(), 4 + len + 1);
        assert_eq!(
            usize::from(u16::from_be_bytes([raw[2], raw[3]])),
            len + 1,
            "length field"
        );
        assert_eq!(Tlvs::parse(&raw).unwrap().iter().count(), 1);
    }
    // message_payload allows any length; 257 octets are not refused.
    buf.clear();
    buf.push_cstr(TlvTag::MESSAGE_PAYLOAD, &[b'p'; 400])
        .unwrap();
    assert_eq!(buf.tlvs().iter().next().unwrap().value.len(), 401);
}

#[test]
fn push_cstr_applies_the_rule_to_the_value_with_its_nul() {
    let mut buf = TlvBuf::<600>::new();
    // additional_status_info_text: 1-256 octets, NUL included.
    let tag = TlvTag::ADDITIONAL_STATUS_INFO_TEXT;
    buf.push_cstr(tag, &[b'a'; 255]).unwrap();
    assert_eq!(buf.tlvs().iter().next().unwrap().value.len(), 256);
    buf.clear();
    for len in [256usize, 257, 400] {
        let err = buf.push_cstr(tag, &vec![b'a'; len]).unwrap_err();
        assert_eq!(
            err.kind(),
            tlv_error(tag, TlvProblem::InvalidLength { len: len + 1 }),
            "{len} octets"
        );
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVLEN);
        assert!(buf.tlvs().is_empty(), "nothing appended for {len} octets");
    }
    // receipted_message_id: 1-65 octets, NUL included.
    let tag = TlvTag::RECEIPTED_MESSAGE_ID;
    buf.push_cstr(tag, &[b'1'; 64]).unwrap();
    assert!(buf.push_cstr(tag, &[b'1'; 65]).is_err());
    assert_eq!(buf.tlvs().iter().count(), 1);
    // source_network_id: 7-65 octets, NUL included.
    buf.clear();
    let tag = TlvTag::SOURCE_NETWORK_ID;
    assert!(buf.push_cstr(tag, b"12345").is_err());
    buf.push_cstr(tag, b"131026").unwrap();
    assert_eq!(pushed(&buf), [(tag, b"131026\0".to_vec())]);
}

#[test]
fn push_cstr_refuses_a_nul_inside_and_lengths_over_65535() {
    let mut buf = TlvBuf::<70_000>::new();
    let tag = TlvTag::ADDITIONAL_STATUS_INFO_TEXT;
    let err = buf.push_cstr(tag, b"ab\0cd").unwrap_err();
    assert_eq!(err.kind(), tlv_error(tag, TlvProblem::InvalidValue));
    let vendor = TlvTag(0x2000);
    let err = buf.push_cstr(vendor, &vec![b'x'; 65_535]).unwrap_err();
    assert_eq!(
        err.kind(),
        tlv_error(vendor, TlvProblem::TooLong { len: 65_536 })
    );
    assert!(buf.tlvs().is_empty());
    // A full buffer appends nothing either.
    let mut small = TlvBuf::<8>::new();
    let err = small.push_cstr(vendor, b"abcd").unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::BufferTooSmall {
            needed: 9,
            available: 8
        }
    ));
    assert!(small.tlvs().is_empty());
}
