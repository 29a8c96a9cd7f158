//! Malformed PDUs: each error names what is wrong and the `command_status`
//! and PDU to answer with, and nothing panics.

mod common;

use common::{encode, field_error, frame_of, load, patch_len, tlv_error, vectors as all_vectors};
use smpp_core::{
    BROADCAST_SM_MANDATORY_TLVS, BindResp, Body, CommandId, CommandStatus, DestAddress,
    DestAddressBuf, DestAddresses, Error, ErrorKind, Field, FieldProblem, Npi, Pdu,
    QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS, SubmitMulti, SubmitMultiResp, SubmitSm, SubmitSmResp,
    TlvProblem, TlvTag, Tlvs, Ton, UnsuccessSme, UnsuccessSmeBuf, frame_len,
};

fn with_body(id: CommandId, seq: u32, body: &[u8]) -> Vec<u8> {
    frame_of(id, CommandStatus::ESME_ROK, seq, body)
}

/// `err` is `kind`, and its `command_status` and the `command_id` and
/// `sequence_number` of the reply it calls for (which carries that status)
/// are `answer`.
fn assert_answer(err: &Error, kind: ErrorKind, answer: (CommandStatus, CommandId, u32)) {
    assert_eq!(err.kind(), kind);
    let reply = err.reply();
    assert_eq!(reply.command_status, err.command_status(), "{err:?}");
    let got = (
        reply.command_status,
        reply.command_id,
        reply.sequence_number,
    );
    assert_eq!(got, answer, "{err:?}");
}

#[test]
fn sm_length_beyond_the_body() {
    let mut frame = load("submit_sm");
    // sm_length sits right before the 8 octets of short_message.
    let at = frame.len() - 9;
    assert_eq!(frame[at], 8);
    for announced in [9u8, 100, 255] {
        frame[at] = announced;
        let err = Pdu::parse(&frame).unwrap_err();
        let len = usize::from(announced);
        let kind = field_error(
            Field::SmLength,
            FieldProblem::LengthExceedsBody { len, available: 8 },
        );
        let answer = (
            CommandStatus::ESME_RINVMSGLEN,
            CommandId::SUBMIT_SM_RESP,
            20456,
        );
        assert_answer(&err, kind, answer);
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVMSGLEN);
    }
    // A shorter sm_length leaves octets that are not a TLV region.
    frame[at] = 5;
    let err = Pdu::parse(&frame).unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVSTREAM);
}

#[test]
fn tlv_running_past_the_pdu() {
    let mut frame = load("submit_sm_sar_tlvs");
    // The last TLV is sar_segment_seqnum (length 1): announce 2.
    let len_at = frame.len() - 3;
    assert_eq!(frame[len_at..len_at + 2], [0, 1]);
    frame[len_at + 1] = 2;
    let err = Pdu::parse(&frame).unwrap_err();
    let overrun = TlvProblem::ValueOverrun {
        len: 2,
        available: 1,
    };
    let answer = (
        CommandStatus::ESME_RINVTLVSTREAM,
        CommandId::SUBMIT_SM_RESP,
        2,
    );
    assert_answer(&err, tlv_error(TlvTag::SAR_SEGMENT_SEQNUM, overrun), answer);
    // 0xFFFF announced.
    frame[len_at..len_at + 2].copy_from_slice(&[0xFF, 0xFF]);
    let err = Pdu::parse(&frame).unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVSTREAM);
}

#[test]
fn one_to_three_leftover_octets() {
    for name in [
        "submit_sm",
        "deliver_sm",
        "data_sm",
        "enquire_link_resp",
        "bind_transceiver_resp",
        "broadcast_sm",
    ] {
        let base = load(name);
        for extra in 1..=3usize {
            let mut frame = base.clone();
            frame.extend(core::iter::repeat_n(0x14u8, extra));
            patch_len(&mut frame);
            let err = Pdu::parse(&frame).unwrap_err();
            let truncated = TlvProblem::Truncated { remaining: extra };
            assert!(
                matches!(err.kind(), ErrorKind::Tlv { problem, .. } if problem == truncated),
                "{name} +{extra}: {err:?}"
            );
            assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVSTREAM);
        }
        // Four octets are a TLV header with an empty value: an unknown tag
        // is kept.
        let mut frame = base.clone();
        frame.extend_from_slice(&[0x14, 0x00, 0, 0]);
        patch_len(&mut frame);
        assert_eq!(encode(&Pdu::parse(&frame).unwrap()), frame, "{name}");
    }
}

#[test]
fn trailing_bytes_after_header_only_requests() {
    for (name, id) in [
        ("enquire_link", CommandId::ENQUIRE_LINK),
        ("unbind", CommandId::UNBIND),
    ] {
        for extra in 1..=5usize {
            let mut frame = load(name);
            frame.extend(core::iter::repeat_n(0u8, extra));
            patch_len(&mut frame);
            let err = Pdu::parse(&frame).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::TrailingBytes { count: extra });
            assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDLEN);
            let reply = err.reply();
            assert_eq!(reply.command_id, id.response());
            assert_eq!(reply.command_status, CommandStatus::ESME_RINVCMDLEN);
        }
    }
}

#[test]
fn command_length_disagreeing_with_the_frame() {
    for (name, frame) in all_vectors() {
        let real = u32::try_from(frame.len()).unwrap();
        let seq = u32::from_be_bytes(frame[12..16].try_into().unwrap());
        for lie in [16, real - 1, real + 1, real + 1000, u32::MAX] {
            if lie == real || lie < 16 {
                continue;
            }
            let mut bad = frame.clone();
            bad[..4].copy_from_slice(&lie.to_be_bytes());
            let err = Pdu::parse(&bad).unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::CommandLengthMismatch {
                    command_length: lie,
                    actual: frame.len()
                },
                "{name}"
            );
            assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDLEN);
            let reply = err.reply();
            assert_eq!(reply.command_id, CommandId::GENERIC_NACK, "{name}");
            assert_eq!(reply.sequence_number, seq);
        }
        for below in [0, 1, 15] {
            let mut bad = frame.clone();
            bad[..4].copy_from_slice(&u32::to_be_bytes(below));
            let err = Pdu::parse(&bad).unwrap_err();
            assert_answer(
                &err,
                ErrorKind::CommandLengthTooShort {
                    command_length: below,
                },
                (CommandStatus::ESME_RINVCMDLEN, CommandId::GENERIC_NACK, seq),
            );
            assert!(frame_len(&bad, 70_000).is_err());
        }
    }
}

#[test]
fn frame_len_limits() {
    let frame = load("submit_sm");
    let len = u32::try_from(frame.len()).unwrap();
    assert_eq!(frame_len(&frame, len), Ok(Some(frame.len())));
    let err = frame_len(&frame, len - 1).unwrap_err();
    let too_long = ErrorKind::CommandLengthTooLong {
        command_length: len,
        max: len - 1,
    };
    let answer = (
        CommandStatus::ESME_RINVCMDLEN,
        CommandId::GENERIC_NACK,
        20456,
    );
    assert_answer(&err, too_long, answer);
    // Rejected from the first four octets on.
    assert!(frame_len(&[0, 0, 0, 15], 70_000).is_err());
    assert!(frame_len(b"GET ", 70_000).is_err());
    assert_eq!(frame_len(&[0, 0, 0], 70_000), Ok(None));
}

#[test]
fn fewer_than_sixteen_octets() {
    let frame = load("enquire_link");
    for n in 0..16 {
        let err = Pdu::parse(&frame[..n]).unwrap_err();
        let answer = (CommandStatus::ESME_RINVCMDLEN, CommandId::GENERIC_NACK, 0);
        assert_answer(&err, ErrorKind::HeaderTruncated { len: n }, answer);
    }
}

#[test]
fn unknown_command_id() {
    for id in [
        0x0000_0000,
        0x0000_000A,
        0x0000_0114,
        0x0001_0200,
        0x8000_0114,
        0xFFFF_FFFF,
    ] {
        let frame = with_body(CommandId(id), 4242, &[]);
        let err = Pdu::parse(&frame).unwrap_err();
        let answer = (CommandStatus::ESME_RINVCMDID, CommandId::GENERIC_NACK, 4242);
        assert_answer(&err, ErrorKind::UnknownCommandId, answer);
        assert_eq!(err.command_id(), Some(CommandId(id)));
    }
}

#[test]
fn vendor_command_status_round_trips() {
    for status in [0x400, 0x47F, 0x4FF, 0x0000_0009, 0x1000_0000] {
        let mut frame = load("submit_sm_resp_error");
        frame[8..12].copy_from_slice(&u32::to_be_bytes(status));
        let pdu = Pdu::parse(&frame).unwrap();
        assert_eq!(pdu.command_status, CommandStatus(status));
        assert_eq!(
            pdu.command_status.is_vendor_specific(),
            (0x400..=0x4FF).contains(&status)
        );
        assert_eq!(pdu.command_status.name(), None);
        let mut out = [0u8; 16];
        pdu.emit(&mut out).unwrap();
        assert_eq!(out[..], frame[..]);
    }
}

#[test]
fn unknown_and_vendor_tlvs_round_trip() {
    let mut frame = load("submit_sm");
    let tlvs: &[u8] = &[
        0x14, 0x00, 0, 3, 1, 2, 3, // vendor range start
        0x3F, 0xFF, 0, 0, // vendor range end, empty
        0x00, 0x01, 0, 2, 0xAA, 0xBB, // unassigned
        0x14, 0x00, 0, 1, 9, // duplicate vendor tag
        0x02, 0x0C, 0, 2, 0, 1, // a known one in between
        0x02, 0x0C, 0, 2, 0, 2, // and its duplicate
    ];
    frame.extend_from_slice(tlvs);
    patch_len(&mut frame);
    let pdu = Pdu::parse(&frame).unwrap();
    let Body::SubmitSm(b) = pdu.body else {
        panic!()
    };
    assert_eq!(b.tlvs.as_bytes(), tlvs);
    assert_eq!(b.tlvs.iter().count(), 6);
    assert_eq!(b.tlvs.get_all(TlvTag(0x1400)).count(), 2);
    assert!(TlvTag(0x1400).is_vendor_specific());
    assert!(TlvTag(0x3FFF).is_vendor_specific());
    assert!(!TlvTag(0x4000).is_vendor_specific());
    assert_eq!(encode(&pdu), frame);
}

/// The error of the `submit_multi` vector (three destinations) with the
/// octet `offset` after its `number_of_dests` set to `value`.
fn submit_multi_error(offset: usize, value: u8) -> Error {
    let mut frame = load("submit_multi");
    let at = frame.windows(2).position(|w| w == [3, 1]).unwrap() + offset;
    frame[at] = value;
    Pdu::parse(&frame).unwrap_err()
}

#[test]
fn invalid_dest_flag() {
    for flag in [0u8, 3, 0xFF] {
        // The first dest_flag follows number_of_dests.
        let err = submit_multi_error(1, flag);
        let value = u32::from(flag);
        let kind = field_error(Field::DestFlag, FieldProblem::InvalidValue { value });
        let answer = (
            CommandStatus::ESME_RINVDESTFLAG,
            CommandId::SUBMIT_MULTI_RESP,
            5,
        );
        assert_answer(&err, kind, answer);
    }
}

#[test]
fn number_of_dests_beyond_the_entries() {
    let err = submit_multi_error(0, 200);
    // After the three real entries, esm_class (0) is read as a dest_flag.
    assert_eq!(
        err.kind(),
        field_error(Field::DestFlag, FieldProblem::InvalidValue { value: 0 })
    );
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVDESTFLAG);
    assert_eq!(err.reply().command_id, CommandId::SUBMIT_MULTI_RESP);
}

/// Removes the TLV with `tag` from a frame whose TLVs start at `tlv_start`.
fn without_tlv(frame: &[u8], tlv_start: usize, tag: TlvTag) -> Vec<u8> {
    let mut out = frame[..tlv_start].to_vec();
    for tlv in &Tlvs::parse(&frame[tlv_start..]).unwrap() {
        if tlv.tag != tag {
            out.extend(common::tlv(tlv.tag, tlv.value));
        }
    }
    patch_len(&mut out);
    out
}

#[test]
fn broadcast_sm_missing_a_mandatory_tlv() {
    let frame = load("broadcast_sm");
    // Mandatory fields: "CBS\0", ton, npi, "\0", "\0", priority, "\0", "\0",
    // replace, data_coding, sm_default_msg_id.
    let tlv_start = 16 + 4 + 2 + 1 + 1 + 1 + 1 + 1 + 3;
    assert_eq!(frame[tlv_start..tlv_start + 2], [0x06, 0x06]);
    for tag in BROADCAST_SM_MANDATORY_TLVS {
        let bad = without_tlv(&frame, tlv_start, tag);
        let err = Pdu::parse(&bad).unwrap_err();
        let answer = (
            CommandStatus::ESME_RMISSINGTLV,
            CommandId::BROADCAST_SM_RESP,
            7,
        );
        assert_answer(&err, tlv_error(tag, TlvProblem::Missing), answer);
        // Encoding refuses it too.
        let good = Pdu::parse(&frame).unwrap();
        let Body::BroadcastSm(mut b) = good.body else {
            panic!()
        };
        b.tlvs = Tlvs::parse(&bad[tlv_start..]).unwrap();
        let err = Pdu::new(7, Body::BroadcastSm(b))
            .emit(&mut [0u8; 256])
            .unwrap_err();
        assert_eq!(err.kind(), tlv_error(tag, TlvProblem::Missing));
    }
}

#[test]
fn query_broadcast_sm_resp_missing_a_mandatory_tlv() {
    let frame = load("query_broadcast_sm_resp");
    let tlv_start = 16 + "BC123".len() + 1;
    for tag in QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS {
        let bad = without_tlv(&frame, tlv_start, tag);
        let err = Pdu::parse(&bad).unwrap_err();
        assert_eq!(err.kind(), tlv_error(tag, TlvProblem::Missing));
        assert_eq!(err.command_status(), CommandStatus::ESME_RMISSINGTLV);
        // A response is never answered with its own response.
        assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
        assert_eq!(err.reply().sequence_number, 8);
    }
}

#[test]
fn invalid_tlv_length_in_a_pdu() {
    let mut frame = load("deliver_sm_delivery_receipt");
    // message_state (last TLV) with two octets.
    frame.truncate(frame.len() - 3);
    frame.extend_from_slice(&[0, 2, 2, 2]);
    patch_len(&mut frame);
    let err = Pdu::parse(&frame).unwrap_err();
    let kind = tlv_error(TlvTag::MESSAGE_STATE, TlvProblem::InvalidLength { len: 2 });
    let answer = (
        CommandStatus::ESME_RINVTLVLEN,
        CommandId::DELIVER_SM_RESP,
        2,
    );
    assert_answer(&err, kind, answer);
}

#[test]
fn missing_mandatory_field() {
    // submit_sm whose body stops after source_addr.
    let frame = with_body(CommandId::SUBMIT_SM, 11, b"\0\x01\x0112345\0");
    let err = Pdu::parse(&frame).unwrap_err();
    let answer = (
        CommandStatus::ESME_RINVCMDLEN,
        CommandId::SUBMIT_SM_RESP,
        11,
    );
    assert_answer(
        &err,
        field_error(Field::DestAddrTon, FieldProblem::Missing),
        answer,
    );
}

#[test]
fn body_errors_in_pdus_without_a_response_get_generic_nack() {
    // alert_notification and outbind have no response PDU.
    for id in [CommandId::ALERT_NOTIFICATION, CommandId::OUTBIND] {
        let frame = with_body(id, 99, b"\x01");
        let err = Pdu::parse(&frame).unwrap_err();
        assert!(!err.kind().is_header_error());
        assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
        assert_eq!(err.reply().sequence_number, 99);
    }
}

#[test]
fn encoding_into_short_buffers() {
    for (name, frame) in all_vectors() {
        let pdu = Pdu::parse(&frame).unwrap();
        for n in 0..frame.len() {
            let mut out = vec![0u8; n];
            let err = pdu.emit(&mut out).unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::BufferTooSmall {
                    needed: frame.len(),
                    available: n
                },
                "{name}"
            );
            assert_eq!(err.command_id(), Some(pdu.command_id()));
        }
        // A larger buffer is fine: only the PDU's octets are written.
        let mut out = vec![0xEEu8; frame.len() + 10];
        assert_eq!(pdu.emit(&mut out), Ok(frame.len()));
        assert_eq!(out[..frame.len()], frame[..]);
        assert!(out[frame.len()..].iter().all(|&b| b == 0xEE));
    }
}

#[test]
fn display_names_pdu_field_and_status() {
    let mut frame = load("submit_sm");
    // Make source_addr (starts at 19) run over 21 octets: no NUL in it.
    for b in &mut frame[19..19 + 21] {
        *b = b'9';
    }
    let err = Pdu::parse(&frame).unwrap_err();
    let text = err.to_string();
    for part in ["submit_sm", "20456", "source_addr", "ESME_RINVSRCADR"] {
        assert!(text.contains(part), "{text}");
    }

    let err = Pdu::parse(&with_body(CommandId(0x0000_0114), 5, &[])).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("command_id"), "{text}");
    assert!(text.contains("ESME_RINVCMDID"), "{text}");

    let mut bad = load("deliver_sm");
    bad.push(0);
    patch_len(&mut bad);
    let text = Pdu::parse(&bad).unwrap_err().to_string();
    for part in ["deliver_sm", "TLV", "ESME_RINVTLVSTREAM"] {
        assert!(text.contains(part), "{text}");
    }

    let body = SubmitSm {
        source_addr: "1234567890123456789012".into(),
        ..Default::default()
    };
    let err = Pdu::new(1, Body::SubmitSm(body))
        .emit(&mut [0u8; 128])
        .unwrap_err();
    let text = err.to_string();
    for part in ["submit_sm", "source_addr", "21", "ESME_RINVSRCADR"] {
        assert!(text.contains(part), "{text}");
    }
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVSRCADR);
}

/// Encoding checks a TLV region exactly as decoding does, per-tag length
/// rules included: a region put in place through `Tlvs::map` with a length
/// its tag forbids is refused, so nothing encodes that would not decode.
#[test]
fn encoding_applies_the_tlv_length_rules() {
    // sar_total_segments with two octets; message_state with none.
    let cases: [(&[u8], TlvTag, usize); 2] = [
        (&[0x02, 0x0E, 0, 2, 1, 2], TlvTag::SAR_TOTAL_SEGMENTS, 2),
        (
            &[0x14, 0x00, 0, 1, 7, 0x04, 0x27, 0, 0],
            TlvTag::MESSAGE_STATE,
            0,
        ),
    ];
    for (raw, tag, len) in cases {
        let want = tlv_error(tag, TlvProblem::InvalidLength { len });
        assert_eq!(Tlvs::parse(raw).unwrap_err().kind(), want);
        let tlvs = Tlvs::EMPTY.map(|_| raw);
        assert_eq!(tlvs.validate().unwrap_err().kind(), want);
        let bodies = [
            Body::SubmitSm(SubmitSm {
                tlvs,
                ..Default::default()
            }),
            Body::DataSmResp(Some(SubmitSmResp {
                tlvs,
                ..Default::default()
            })),
            Body::BindTransceiverResp(Some(BindResp {
                tlvs,
                ..Default::default()
            })),
            Body::EnquireLinkResp(tlvs),
            Body::GenericNack(tlvs),
        ];
        for body in bodies {
            let id = body.command_id();
            let err = Pdu::new(3, body).emit(&mut [0u8; 256]).unwrap_err();
            assert_eq!(err.kind(), want, "{id:?}");
            assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVLEN);
            assert_eq!(err.command_id(), Some(id));
        }
    }
}

/// The mandatory TLVs are found in the walk that validates the region: a
/// malformed TLV is reported before a missing one, and the first missing
/// tag (in table order) is named.
#[test]
fn mandatory_tlvs_are_checked_in_the_validating_walk() {
    let frame = load("broadcast_sm");
    let tlv_start = 16 + 4 + 2 + 1 + 1 + 1 + 1 + 1 + 3;
    // Only broadcast_rep_num and message_payload left: the first absent
    // mandatory tag is broadcast_area_identifier.
    let mut only = frame.clone();
    for tag in [
        TlvTag::BROADCAST_AREA_IDENTIFIER,
        TlvTag::BROADCAST_CONTENT_TYPE,
        TlvTag::BROADCAST_FREQUENCY_INTERVAL,
    ] {
        only = without_tlv(&only, tlv_start, tag);
    }
    let err = Pdu::parse(&only).unwrap_err();
    assert_eq!(
        err.kind(),
        tlv_error(TlvTag::BROADCAST_AREA_IDENTIFIER, TlvProblem::Missing)
    );
    // A mandatory tag appended with a forbidden length: the length wins.
    let mut bad = without_tlv(&frame, tlv_start, TlvTag::BROADCAST_REP_NUM);
    bad.extend_from_slice(&[0x06, 0x04, 0, 3, 0, 0, 1]);
    patch_len(&mut bad);
    let err = Pdu::parse(&bad).unwrap_err();
    assert_eq!(
        err.kind(),
        tlv_error(
            TlvTag::BROADCAST_REP_NUM,
            TlvProblem::InvalidLength { len: 3 }
        )
    );
    // Repeated and reordered mandatory tags are fine.
    let mut again = frame[..tlv_start].to_vec();
    let tlvs: Vec<_> = Tlvs::parse(&frame[tlv_start..])
        .unwrap()
        .iter()
        .map(|t| (t.tag, t.value.to_vec()))
        .collect();
    for (tag, value) in tlvs.iter().rev().chain(&tlvs) {
        again.extend(common::tlv(*tag, value));
    }
    patch_len(&mut again);
    assert_eq!(encode(&Pdu::parse(&again).unwrap()), again);
}

/// `err` names `number_of_dests` with `problem`, `ESME_RINVNUMDESTS`.
fn assert_number_of_dests(err: &Error, problem: FieldProblem) {
    assert_eq!(err.kind(), field_error(Field::NumberOfDests, problem));
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVNUMDESTS);
}

/// `number_of_dests` is at least 1: 0 is `ESME_RINVNUMDESTS`, on decode and
/// on encode.
#[test]
fn number_of_dests_zero() {
    let err = submit_multi_error(0, 0);
    let kind = field_error(
        Field::NumberOfDests,
        FieldProblem::InvalidValue { value: 0 },
    );
    let answer = (
        CommandStatus::ESME_RINVNUMDESTS,
        CommandId::SUBMIT_MULTI_RESP,
        5,
    );
    assert_answer(&err, kind, answer);

    let err = Pdu::new(5, Body::SubmitMulti(SubmitMulti::<&[u8]>::default()))
        .emit(&mut [0u8; 64])
        .unwrap_err();
    assert_number_of_dests(&err, FieldProblem::InvalidValue { value: 0 });
}

/// A count whose entries the body does not hold: when the body ends where
/// an entry should start, the count field is named.
#[test]
fn count_fields_beyond_the_body() {
    // submit_multi: "", 1, 1, "1\0", number_of_dests 2, one SME entry.
    let body = b"\0\x01\x011\0\x02\x01\x01\x0144\0";
    let err = Pdu::parse(&with_body(CommandId::SUBMIT_MULTI, 4, body)).unwrap_err();
    assert_number_of_dests(&err, FieldProblem::TooFewEntries { count: 2, found: 1 });
    assert_eq!(err.reply().command_id, CommandId::SUBMIT_MULTI_RESP);

    // submit_multi_resp: no_unsuccess 1 -> 3 with one entry and no TLVs.
    let mut frame = load("submit_multi_resp");
    let at = 16 + "MSG0001".len() + 1;
    assert_eq!(frame[at], 1);
    frame[at] = 3;
    let err = Pdu::parse(&frame).unwrap_err();
    assert_eq!(
        err.kind(),
        field_error(
            Field::NoUnsuccess,
            FieldProblem::TooFewEntries { count: 3, found: 1 }
        )
    );
    assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
}

/// Encoding checks a list as decoding does: entries set through `map` must
/// be exactly `count` valid ones, and errors name the list's own fields.
#[test]
fn encoding_checks_entry_lists_whole() {
    let mut dests = DestAddressBuf::<64>::new();
    dests
        .push(DestAddress::DistributionList {
            dl_name: "list".into(),
        })
        .unwrap();
    let one = dests.list();
    let emit_dests = |list: DestAddresses<&[u8]>| {
        Pdu::new(
            1,
            Body::SubmitMulti(SubmitMulti {
                dest_address: list,
                ..Default::default()
            }),
        )
        .emit(&mut [0u8; 128])
    };
    assert!(emit_dests(one).is_ok());
    // Octets left after the one counted entry.
    let longer = [one.as_bytes(), b"\x02x\0"].concat();
    let err = emit_dests(one.map(|_| &longer[..])).unwrap_err();
    assert_number_of_dests(&err, FieldProblem::OctetsAfterEntries { octets: 3 });
    // Fewer entries than counted.
    let mut both = dests.clone();
    both.push(DestAddress::DistributionList {
        dl_name: "two".into(),
    })
    .unwrap();
    let two = both.list();
    let err = emit_dests(two.map(|_| one.as_bytes())).unwrap_err();
    assert_number_of_dests(&err, FieldProblem::TooFewEntries { count: 2, found: 1 });
    // An invalid entry is named by its own field.
    let err = emit_dests(one.map(|_| &b"\x03x\0"[..])).unwrap_err();
    assert_eq!(
        err.kind(),
        field_error(Field::DestFlag, FieldProblem::InvalidValue { value: 3 })
    );

    let mut unsuccess = UnsuccessSmeBuf::<2048>::new();
    let entry = UnsuccessSme {
        dest_addr_ton: Ton(1),
        dest_addr_npi: Npi(1),
        destination_addr: "4".into(),
        error_status_code: CommandStatus::ESME_RINVDSTADR,
    };
    unsuccess.push(entry).unwrap();
    let list = unsuccess.list();
    let longer = [list.as_bytes(), &[1]].concat();
    let err = Pdu::new(
        1,
        Body::SubmitMultiResp(Some(SubmitMultiResp {
            unsuccess_sme: list.map(|_| &longer[..]),
            ..Default::default()
        })),
    )
    .emit(&mut [0u8; 128])
    .unwrap_err();
    assert_eq!(
        err.kind(),
        field_error(
            Field::NoUnsuccess,
            FieldProblem::OctetsAfterEntries { octets: 1 }
        )
    );
    // The 256th entry is refused, naming no_unsuccess.
    for _ in 1..255 {
        unsuccess.push(entry).unwrap();
    }
    assert_eq!(unsuccess.list().count(), 255);
    let err = unsuccess.push(entry).unwrap_err();
    assert_eq!(
        err.kind(),
        field_error(
            Field::NoUnsuccess,
            FieldProblem::InvalidValue { value: 256 }
        )
    );
}

/// A time field of 16 characters that is not an SMPP time is refused with
/// the field's status: `ESME_RINVSCHED` for `schedule_delivery_time`,
/// `ESME_RINVEXPIRY` for `validity_period`, the generic status for
/// `final_date` (which also refuses relative times); the lone NUL that
/// means "not set" is still accepted.
#[test]
fn time_fields_are_checked_by_their_format() {
    let base = load("submit_sm");
    // schedule_delivery_time and validity_period: the NULs at 42 and 43.
    assert_eq!(base[42..44], [0, 0]);
    assert!(Pdu::parse(&base).is_ok());
    // (offset, field, status, values that are not an SMPP time)
    let cases: [(usize, Field, CommandStatus, [&[u8; 16]; 2]); 2] = [
        (
            42,
            Field::ScheduleDeliveryTime,
            CommandStatus::ESME_RINVSCHED,
            [b"XXXXXXXXXXXXXXXX", b"251302030405006+"],
        ),
        (
            43,
            Field::ValidityPeriod,
            CommandStatus::ESME_RINVEXPIRY,
            [b"250102030405006?", b"000001000000001R"],
        ),
    ];
    let cases = cases
        .into_iter()
        .flat_map(|(at, field, status, times)| times.map(|time| (at, time, field, status)));
    for (at, time, field, status) in cases {
        let mut frame = base[..at].to_vec();
        frame.extend_from_slice(time);
        frame.extend_from_slice(&base[at..]);
        patch_len(&mut frame);
        let err = Pdu::parse(&frame).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Field { field: f, problem: FieldProblem::TimeFormat { .. } } if f == field
            ),
            "{err}"
        );
        let reply = err.reply();
        assert_eq!(reply.command_id, CommandId::SUBMIT_SM_RESP);
        assert_eq!(reply.command_status, status);
        assert_eq!(reply.sequence_number, 20456);
        let text = err.to_string();
        for part in [field.name(), status.name().unwrap(), "not an SMPP time"] {
            assert!(text.contains(part), "{text}");
        }
        // The same value is refused when encoding.
        let body = match field {
            Field::ScheduleDeliveryTime => SubmitSm {
                schedule_delivery_time: smpp_core::COctet::new(&time[..]),
                ..Default::default()
            },
            _ => SubmitSm {
                validity_period: smpp_core::COctet::new(&time[..]),
                ..Default::default()
            },
        };
        let err = Pdu::new(1, Body::SubmitSm(body))
            .emit(&mut [0u8; 128])
            .unwrap_err();
        assert_eq!(err.command_status(), status);
        assert_eq!(body.validate().unwrap_err().kind(), err.kind());
    }
}

/// `final_date` of `query_sm_resp` holds absolute times only; a problem in
/// it is answered with the generic status in a `generic_nack`.
#[test]
fn final_date_is_an_absolute_time() {
    let base = load("query_sm_resp");
    let pdu = Pdu::parse(&base).unwrap();
    let Body::QuerySmResp(Some(resp)) = pdu.body else {
        panic!("{pdu:?}")
    };
    // final_date follows message_id and its NUL; the vector's is not set.
    let date = resp.final_date.as_bytes();
    assert!(date.is_empty());
    let at = 16 + resp.message_id.as_bytes().len() + 1;
    for (value, problem) in [
        (
            &b"000001000000000R"[..],
            FieldProblem::TimeFormat {
                error: smpp_core::time::TimeError::NotAbsolute,
            },
        ),
        (
            &b"XXXXXXXXXXXXXXXX"[..],
            FieldProblem::TimeFormat {
                error: smpp_core::time::TimeError::NotADigit { position: 0 },
            },
        ),
    ] {
        let mut frame = base[..at].to_vec();
        frame.extend_from_slice(value);
        frame.extend_from_slice(&base[at + date.len()..]);
        patch_len(&mut frame);
        let err = Pdu::parse(&frame).unwrap_err();
        assert_eq!(err.kind(), field_error(Field::FinalDate, problem));
        assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
        assert_eq!(err.command_status(), CommandStatus::ESME_RUNKNOWNERR);
    }
}

/// One row per field: the `command_status` a field's problem is answered
/// with.
#[test]
fn every_field_maps_to_its_status() {
    use CommandStatus as S;
    let rows = [
        (Field::SystemId, S::ESME_RINVSYSID),
        (Field::Password, S::ESME_RINVPASWD),
        (Field::SystemType, S::ESME_RINVSYSTYP),
        (Field::InterfaceVersion, S::ESME_RBINDFAIL),
        (Field::AddrTon, S::ESME_RBINDFAIL),
        (Field::AddrNpi, S::ESME_RBINDFAIL),
        (Field::AddressRange, S::ESME_RBINDFAIL),
        (Field::ServiceType, S::ESME_RINVSERTYP),
        (Field::SourceAddrTon, S::ESME_RINVSRCTON),
        (Field::SourceAddrNpi, S::ESME_RINVSRCNPI),
        (Field::SourceAddr, S::ESME_RINVSRCADR),
        (Field::DestAddrTon, S::ESME_RINVDSTTON),
        (Field::DestAddrNpi, S::ESME_RINVDSTNPI),
        (Field::DestinationAddr, S::ESME_RINVDSTADR),
        (Field::EsmClass, S::ESME_RINVESMCLASS),
        (Field::ProtocolId, S::ESME_RUNKNOWNERR),
        (Field::PriorityFlag, S::ESME_RINVPRTFLG),
        (Field::ScheduleDeliveryTime, S::ESME_RINVSCHED),
        (Field::ValidityPeriod, S::ESME_RINVEXPIRY),
        (Field::RegisteredDelivery, S::ESME_RINVREGDLVFLG),
        (Field::ReplaceIfPresentFlag, S::ESME_RINVREPFLAG),
        (Field::DataCoding, S::ESME_RINVDCS),
        (Field::SmDefaultMsgId, S::ESME_RINVDFTMSGID),
        (Field::SmLength, S::ESME_RINVMSGLEN),
        (Field::ShortMessage, S::ESME_RINVMSGLEN),
        (Field::MessageId, S::ESME_RINVMSGID),
        (Field::FinalDate, S::ESME_RUNKNOWNERR),
        (Field::MessageState, S::ESME_RUNKNOWNERR),
        (Field::ErrorCode, S::ESME_RUNKNOWNERR),
        (Field::NumberOfDests, S::ESME_RINVNUMDESTS),
        (Field::DestFlag, S::ESME_RINVDESTFLAG),
        (Field::DlName, S::ESME_RINVDLNAME),
        (Field::NoUnsuccess, S::ESME_RUNKNOWNERR),
        (Field::ErrorStatusCode, S::ESME_RUNKNOWNERR),
        (Field::EsmeAddrTon, S::ESME_RINVSRCTON),
        (Field::EsmeAddrNpi, S::ESME_RINVSRCNPI),
        (Field::EsmeAddr, S::ESME_RINVSRCADR),
    ];
    for (field, status) in rows {
        assert_eq!(field.command_status(), status, "{field}");
        // A value problem is answered with the field's status, a body that
        // ends before the field with ESME_RINVCMDLEN.
        let value = field_error(field, FieldProblem::InvalidValue { value: 7 });
        assert_eq!(value.command_status(), status, "{field}");
        let time = field_error(
            field,
            FieldProblem::TimeFormat {
                error: smpp_core::time::TimeError::Month,
            },
        );
        assert_eq!(time.command_status(), status, "{field}");
        let missing = field_error(field, FieldProblem::Missing);
        assert_eq!(missing.command_status(), S::ESME_RINVCMDLEN, "{field}");
    }
}

/// `sm_length` beyond the body is `ESME_RINVMSGLEN` in every PDU that has
/// one, answered in the request's own response.
#[test]
fn sm_length_beyond_the_body_in_every_pdu() {
    for (name, resp) in [
        ("deliver_sm", CommandId::DELIVER_SM_RESP),
        ("replace_sm", CommandId::REPLACE_SM_RESP),
        ("submit_multi", CommandId::SUBMIT_MULTI_RESP),
    ] {
        let frame = load(name);
        let pdu = Pdu::parse(&frame).unwrap();
        let (message, tlvs) = match pdu.body {
            Body::DeliverSm(b) => (b.short_message, b.tlvs.encoded_len()),
            Body::ReplaceSm(b) => (b.short_message, b.tlvs.encoded_len()),
            Body::SubmitMulti(b) => (b.short_message, b.tlvs.encoded_len()),
            other => panic!("{other:?}"),
        };
        // Drop the TLVs, then announce one octet more than is left.
        let at = frame.len() - tlvs - message.len() - 1;
        assert_eq!(usize::from(frame[at]), message.len(), "{name}");
        let mut bad = frame[..frame.len() - tlvs].to_vec();
        bad[at] += 1;
        patch_len(&mut bad);
        let err = Pdu::parse(&bad).unwrap_err();
        assert_eq!(
            err.kind(),
            field_error(
                Field::SmLength,
                FieldProblem::LengthExceedsBody {
                    len: message.len() + 1,
                    available: message.len()
                }
            ),
            "{name}"
        );
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVMSGLEN);
        assert_eq!(err.reply().command_id, resp);
    }
}

/// A bind whose `address_range` has no NUL within 41 octets is answered
/// with the bind response and `ESME_RBINDFAIL`.
#[test]
fn bind_field_problems_fail_the_bind() {
    let mut body = b"id\0pw\0\0\x34\x01\x01".to_vec();
    body.extend_from_slice(&[b'9'; 41]);
    for (id, resp) in [
        (CommandId::BIND_RECEIVER, CommandId::BIND_RECEIVER_RESP),
        (
            CommandId::BIND_TRANSMITTER,
            CommandId::BIND_TRANSMITTER_RESP,
        ),
        (
            CommandId::BIND_TRANSCEIVER,
            CommandId::BIND_TRANSCEIVER_RESP,
        ),
    ] {
        let err = Pdu::parse(&with_body(id, 12, &body)).unwrap_err();
        assert_eq!(
            err.kind(),
            field_error(Field::AddressRange, FieldProblem::Unterminated { max: 41 })
        );
        let reply = err.reply();
        assert_eq!(reply.command_id, resp);
        assert_eq!(reply.command_status, CommandStatus::ESME_RBINDFAIL);
        assert_eq!(reply.sequence_number, 12);
    }
}

/// The error is a small `Copy` value usable as a `core::error::Error`,
/// and a copy keeps the header and the reply.
#[test]
fn the_error_is_copy_and_a_core_error() {
    fn traits<T: Copy + Send + Sync + core::error::Error + 'static>() {}
    traits::<Error>();
    assert!(size_of::<Error>() <= 64, "{}", size_of::<Error>());
    let mut frame = load("submit_sm");
    frame[19..19 + 21].fill(b'9');
    let err = Pdu::parse(&frame).unwrap_err();
    let copy = err;
    assert_eq!(copy, err);
    assert_eq!(copy.header(), smpp_core::Header::parse(&frame).ok());
    let boxed: Box<dyn core::error::Error> = Box::new(copy);
    assert_eq!(boxed.to_string(), err.to_string());
    assert_eq!(copy.reply(), err.reply());
}
