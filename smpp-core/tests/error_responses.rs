//! Error responses whose body is absent or cut short (SMPP v5.0 3.2.1.3),
//! and PDUs of unknown `command_id`s kept with `Pdu::parse_any`: both
//! decode to a body that re-encodes to the same octets.

mod common;

use common::{encode, field_error, frame_of, tlv_error};
use smpp_core::{
    Body, CommandId, CommandStatus, ErrorKind, Field, FieldProblem, Pdu, RawBody, TlvProblem,
    TlvTag, Tlvs,
};

/// A frame of `id`, `status`, sequence 77 and `body`.
fn frame(id: CommandId, status: CommandStatus, body: &[u8]) -> Vec<u8> {
    frame_of(id, status, 77, body)
}

/// Encodes `pdu` and checks the octets are `want`.
fn reencodes(pdu: &Pdu<&[u8]>, want: &[u8]) {
    assert_eq!(encode(pdu), want, "{pdu:?}");
    // Owned storage too.
    assert_eq!(encode(&pdu.map(<[u8]>::to_vec)), want);
}

const QUERY_BROADCAST_TLVS: &[u8] = &[
    0x04, 0x27, 0, 1, 2, // message_state
    0x06, 0x06, 0, 2, 0, b'A', // broadcast_area_identifier
    0x06, 0x08, 0, 1, 80, // broadcast_area_success
];

/// (`command_id`, error status, full body) of the three responses whose
/// partial bodies used to fail.
fn cases() -> [(CommandId, CommandStatus, Vec<u8>); 3] {
    [
        (
            CommandId::QUERY_SM_RESP,
            CommandStatus::ESME_RQUERYFAIL,
            b"id-1\0\0\x08\x00".to_vec(),
        ),
        (
            CommandId::SUBMIT_MULTI_RESP,
            CommandStatus::ESME_RSUBMITFAIL,
            b"id-1\0\x00".to_vec(),
        ),
        (
            CommandId::QUERY_BROADCAST_SM_RESP,
            CommandStatus::ESME_RBCASTQUERYFAIL,
            [&b"id-1\0"[..], QUERY_BROADCAST_TLVS].concat(),
        ),
    ]
}

#[test]
fn absent_bodies_decode_to_none() {
    for (id, status, _) in cases() {
        let f = frame(id, status, &[]);
        let pdu = Pdu::parse(&f).unwrap();
        let none = match id {
            CommandId::QUERY_SM_RESP => Body::QuerySmResp(None),
            CommandId::SUBMIT_MULTI_RESP => Body::SubmitMultiResp(None),
            _ => Body::QueryBroadcastSmResp(None),
        };
        assert_eq!(pdu.body, none);
        assert_eq!(pdu.command_status, status);
        reencodes(&pdu, &f);
    }
}

#[test]
fn message_id_only_is_kept_raw_with_an_error_status() {
    // query_sm_resp and submit_multi_resp: the body stops before
    // final_date / no_unsuccess.
    for (id, status, _) in cases().into_iter().take(2) {
        let f = frame(id, status, b"id-1\0");
        let pdu = Pdu::parse(&f).unwrap_or_else(|e| panic!("{id:?}: {e}"));
        assert_eq!(pdu.body, Body::Raw(RawBody::new(id, &b"id-1\0"[..])));
        assert_eq!(pdu.command_id(), id);
        assert_eq!(pdu.sequence_number, 77);
        let Body::Raw(raw) = pdu.body else {
            unreachable!()
        };
        assert_eq!(raw.leading_cstr(65).unwrap().as_bytes(), b"id-1");
        assert_eq!(raw.leading_cstr(4), None, "the NUL is the fifth octet");
        reencodes(&pdu, &f);
        // Body::parse keeps its strict meaning.
        assert!(Body::parse(id, b"id-1\0").is_err());
        assert_eq!(Body::parse_with_status(id, status, b"id-1\0"), Ok(pdu.body));
    }
}

/// `query_broadcast_sm_resp` is a `message_id` then TLVs: with an error
/// status, its mandatory TLVs are not required, so a lone `message_id` is
/// the whole layout and decodes typed.
#[test]
fn query_broadcast_sm_resp_message_id_only_is_typed_with_an_error_status() {
    let (id, status, _) = cases()[2].clone();
    let f = frame(id, status, b"id-1\0");
    let pdu = Pdu::parse(&f).unwrap();
    let Body::QueryBroadcastSmResp(Some(resp)) = pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(resp.message_id.as_bytes(), b"id-1");
    assert!(resp.tlvs.is_empty());
    reencodes(&pdu, &f);
    // Cut inside message_id: raw.
    let f = frame(id, status, b"id-");
    let pdu = Pdu::parse(&f).unwrap();
    assert_eq!(pdu.body, Body::Raw(RawBody::new(id, &b"id-"[..])));
    reencodes(&pdu, &f);
}

#[test]
fn message_id_only_with_esme_rok_is_still_an_error() {
    let expected = [
        field_error(Field::FinalDate, FieldProblem::Missing),
        field_error(Field::NoUnsuccess, FieldProblem::Missing),
        tlv_error(TlvTag::MESSAGE_STATE, TlvProblem::Missing),
    ];
    for ((id, _, _), want) in cases().into_iter().zip(expected) {
        let err = Pdu::parse(&frame(id, CommandStatus::ESME_ROK, b"id-1\0")).unwrap_err();
        assert_eq!(err.kind(), want, "{id:?}");
        assert_eq!(err.command_id(), Some(id));
    }
}

#[test]
fn full_bodies_decode_typed_whatever_the_status() {
    for (id, status, body) in cases() {
        for status in [CommandStatus::ESME_ROK, status] {
            let f = frame(id, status, &body);
            let pdu = Pdu::parse(&f).unwrap();
            let typed = match pdu.body {
                Body::QuerySmResp(Some(b)) => b.message_id.as_bytes() == b"id-1",
                Body::SubmitMultiResp(Some(b)) => b.message_id.as_bytes() == b"id-1",
                Body::QueryBroadcastSmResp(Some(b)) => b.tlvs.as_bytes() == QUERY_BROADCAST_TLVS,
                _ => false,
            };
            assert!(typed, "{id:?} {status:?}: {pdu:?}");
            reencodes(&pdu, &f);
        }
    }
}

/// An error `query_broadcast_sm_resp` needs none of its mandatory TLVs
/// (the check for them is skipped, not the TLV checks).
#[test]
fn error_query_broadcast_sm_resp_without_mandatory_tlvs() {
    let (id, status) = (
        CommandId::QUERY_BROADCAST_SM_RESP,
        CommandStatus::ESME_RBCASTQUERYFAIL,
    );
    // message_id then congestion_state only.
    let body = b"id-1\0\x04\x28\x00\x01\x50";
    let f = frame(id, status, body);
    let pdu = Pdu::parse(&f).unwrap();
    let Body::QueryBroadcastSmResp(Some(resp)) = pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(resp.tlvs.iter().count(), 1);
    reencodes(&pdu, &f);
    // The same body with ESME_ROK: decoding and encoding refuse it.
    let err = Pdu::parse(&frame(id, CommandStatus::ESME_ROK, body)).unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RMISSINGTLV);
    let err = pdu
        .with_status(CommandStatus::ESME_ROK)
        .emit(&mut [0u8; 64])
        .unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RMISSINGTLV);
    assert!(pdu.validate().is_ok());
    assert!(pdu.with_status(CommandStatus::ESME_ROK).validate().is_err());
    assert!(
        pdu.body.validate().is_err(),
        "Body::validate assumes ESME_ROK"
    );
}

/// Every response id, header-only ones and `generic_nack` included, keeps a
/// body that does not follow its layout when the status is an error.
#[test]
fn every_error_response_keeps_a_malformed_body() {
    let junk = [0xFFu8, 0x00, 0x01];
    for &id in CommandId::ALL.iter().filter(|id| id.is_response()) {
        let status = CommandStatus::ESME_RSYSERR;
        let f = frame(id, status, &junk);
        let pdu = Pdu::parse(&f).unwrap_or_else(|e| panic!("{id:?}: {e}"));
        assert_eq!(pdu.body, Body::Raw(RawBody::new(id, &junk[..])), "{id:?}");
        reencodes(&pdu, &f);
        let err = Pdu::parse(&frame(id, CommandStatus::ESME_ROK, &junk)).unwrap_err();
        assert!(!matches!(err.kind(), ErrorKind::UnknownCommandId), "{id:?}");
    }
}

/// Requests are held to their layout whatever their status.
#[test]
fn requests_with_a_status_are_not_lenient() {
    for id in [CommandId::SUBMIT_SM, CommandId::QUERY_SM, CommandId::UNBIND] {
        let f = frame(id, CommandStatus::ESME_RSYSERR, b"x\0");
        assert!(Pdu::parse(&f).is_err(), "{id:?}");
        assert!(Pdu::parse_any(&f).is_err(), "{id:?}");
    }
}

/// Encoding a raw body under a known `command_id` checks the parser would
/// take it back: only error responses carry arbitrary octets.
#[test]
fn raw_bodies_encode_only_what_decodes() {
    let junk = &b"\x01\x02"[..];
    let cases = [
        (CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_RSYSERR, true),
        (
            CommandId::GENERIC_NACK,
            CommandStatus::ESME_RINVCMDLEN,
            true,
        ),
        (CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_ROK, false),
        (CommandId::SUBMIT_SM, CommandStatus::ESME_RSYSERR, false),
        (CommandId::ENQUIRE_LINK, CommandStatus::ESME_ROK, false),
        (CommandId(0x0001_0200), CommandStatus::ESME_ROK, true),
    ];
    for (id, status, ok) in cases {
        let pdu = Pdu::new(1, Body::Raw(RawBody::new(id, junk))).with_status(status);
        let mut out = [0u8; 18];
        let result = pdu.emit(&mut out);
        assert_eq!(result.is_ok(), ok, "{id:?} {status:?}: {result:?}");
        if ok {
            assert_eq!(Pdu::parse_any(&out), Ok(pdu));
        } else {
            assert!(Pdu::parse(&out).is_err());
            assert_eq!(result.unwrap_err().command_id(), Some(id));
        }
    }
    // Octets that are a valid body encode under any status; they decode to
    // the typed body.
    let pdu = Pdu::new(
        2,
        Body::Raw(RawBody::new(CommandId::SUBMIT_SM_RESP, &b"m1\0"[..])),
    );
    let mut out = [0u8; 19];
    assert_eq!(pdu.emit(&mut out), Ok(19));
    assert!(matches!(
        Pdu::parse(&out).unwrap().body,
        Body::SubmitSmResp(Some(b)) if b.message_id.as_bytes() == b"m1"
    ));
}

#[test]
fn unknown_command_ids_are_kept_by_parse_any() {
    for (id, status, body) in [
        (
            0x0001_0200u32,
            CommandStatus::ESME_ROK,
            &b"\x01\x02\x03"[..],
        ),
        (0x0100_0001, CommandStatus::ESME_ROK, &b"vendor\0"[..]),
        (0x8001_0200, CommandStatus::ESME_ROK, &b""[..]),
        (0x8001_02FF, CommandStatus(0x400), &b"\x00\x00\x04"[..]),
        (0x0000_0099, CommandStatus::ESME_ROK, &b"\x00"[..]),
    ] {
        let id = CommandId(id);
        let f = frame(id, status, body);
        // Pdu::parse refuses them, answered with generic_nack.
        let err = Pdu::parse(&f).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownCommandId, "{id:?}");
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDID);
        assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
        assert_eq!(err.reply().sequence_number, 77);
        // Pdu::parse_any keeps them.
        let pdu = Pdu::parse_any(&f).unwrap();
        assert_eq!(pdu.command_id(), id);
        assert_eq!(pdu.command_status, status);
        assert_eq!(pdu.sequence_number, 77);
        assert_eq!(pdu.body, Body::Raw(RawBody::new(id, body)));
        assert_eq!(pdu.encoded_len(), f.len());
        assert_eq!(pdu.header().to_bytes()[..], f[..16]);
        reencodes(&pdu, &f);
        let owned = pdu.map(<[u8]>::to_vec);
        let Body::Raw(raw) = &owned.body else {
            unreachable!()
        };
        assert_eq!(raw.as_bytes(), body);
    }
    assert!(CommandId(0x8001_0200).is_vendor_specific());
}

/// `parse_any` differs from `parse` only for unknown ids.
#[test]
fn parse_any_agrees_with_parse_otherwise() {
    let id = CommandId(0x0001_0200);
    let mut bad_len = frame(id, CommandStatus::ESME_ROK, b"ab");
    bad_len[3] += 1;
    assert_eq!(Pdu::parse_any(&bad_len), Pdu::parse(&bad_len));
    assert!(matches!(
        Pdu::parse_any(&bad_len).unwrap_err().kind(),
        ErrorKind::CommandLengthMismatch { .. }
    ));
    assert_eq!(Pdu::parse_any(&bad_len[..10]), Pdu::parse(&bad_len[..10]));
    for (_, f) in common::vectors() {
        assert_eq!(Pdu::parse_any(&f), Pdu::parse(&f));
    }
    let f = frame(CommandId::SUBMIT_SM, CommandStatus::ESME_ROK, b"x");
    assert_eq!(Pdu::parse_any(&f), Pdu::parse(&f));
}

/// How a response with an error status and a lone `message_id` (or
/// `system_id`) decodes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum WithId {
    /// Typed, the string in its first field.
    Typed,
    /// Kept as [`Body::Raw`]: the layout has more mandatory fields, or no
    /// string field at all.
    Raw,
}

/// The first C-Octet String and TLV region of a typed response body.
fn first_string_and_tlvs<'b>(body: &'b Body<&[u8]>) -> Option<(&'b [u8], &'b [u8])> {
    match body {
        Body::BindReceiverResp(Some(b))
        | Body::BindTransmitterResp(Some(b))
        | Body::BindTransceiverResp(Some(b)) => Some((b.system_id.as_bytes(), b.tlvs.as_bytes())),
        Body::SubmitSmResp(Some(b))
        | Body::DeliverSmResp(Some(b))
        | Body::DataSmResp(Some(b))
        | Body::BroadcastSmResp(Some(b))
        | Body::QueryBroadcastSmResp(Some(b)) => Some((b.message_id.as_bytes(), b.tlvs.as_bytes())),
        _ => None,
    }
}

/// Every response of commands.csv: its `command_id`, the empty form of its
/// body and how a lone `message_id` decodes with an error status.
fn response_rows() -> [(CommandId, Body<&'static [u8]>, WithId); 16] {
    /// `COMMAND_ID => BodyVariant(empty), WithId` rows.
    macro_rules! rows {
        ($($id:ident => $variant:ident($empty:expr), $with_id:ident;)*) => {
            [$((CommandId::$id, Body::$variant($empty), WithId::$with_id)),*]
        };
    }
    let none = Tlvs::EMPTY;
    rows! {
        GENERIC_NACK => GenericNack(none), Raw;
        BIND_RECEIVER_RESP => BindReceiverResp(None), Typed;
        BIND_TRANSMITTER_RESP => BindTransmitterResp(None), Typed;
        QUERY_SM_RESP => QuerySmResp(None), Raw;
        SUBMIT_SM_RESP => SubmitSmResp(None), Typed;
        DELIVER_SM_RESP => DeliverSmResp(None), Typed;
        UNBIND_RESP => UnbindResp(none), Raw;
        REPLACE_SM_RESP => ReplaceSmResp(none), Raw;
        CANCEL_SM_RESP => CancelSmResp(none), Raw;
        BIND_TRANSCEIVER_RESP => BindTransceiverResp(None), Typed;
        ENQUIRE_LINK_RESP => EnquireLinkResp(none), Raw;
        SUBMIT_MULTI_RESP => SubmitMultiResp(None), Raw;
        DATA_SM_RESP => DataSmResp(None), Typed;
        BROADCAST_SM_RESP => BroadcastSmResp(None), Typed;
        QUERY_BROADCAST_SM_RESP => QueryBroadcastSmResp(None), Typed;
        CANCEL_BROADCAST_SM_RESP => CancelBroadcastSmResp(none), Raw;
    }
}

/// One response with an error status: without a body, then with only a
/// `message_id`, then (typed ones) with a TLV after it.
fn check_error_response(
    id: CommandId,
    empty: Body<&'static [u8]>,
    with_id: WithId,
    status: CommandStatus,
) {
    let f = frame(id, status, &[]);
    let pdu = Pdu::parse(&f).unwrap_or_else(|e| panic!("{id:?}: {e}"));
    assert_eq!(pdu.body, empty, "{id:?}");
    assert_eq!((pdu.command_status, pdu.sequence_number), (status, 77));
    assert_eq!(pdu.encoded_len(), 16, "{id:?}");
    reencodes(&pdu, &f);
    // Built from parts, the absent body is written absent.
    reencodes(&Pdu::new(77, empty).with_status(status), &f);

    let f = frame(id, status, b"id-1\0");
    let pdu = Pdu::parse(&f).unwrap_or_else(|e| panic!("{id:?}: {e}"));
    if with_id == WithId::Typed {
        let want = Some((&b"id-1"[..], &[][..]));
        assert_eq!(first_string_and_tlvs(&pdu.body), want, "{id:?}");
    } else {
        let want = Body::Raw(RawBody::new(id, &b"id-1\0"[..]));
        assert_eq!(pdu.body, want, "{id:?}");
    }
    reencodes(&pdu, &f);

    if with_id == WithId::Typed {
        let congestion: &[u8] = &[0x04, 0x28, 0, 1, 0x50];
        let body = [&b"id-1\0"[..], congestion].concat();
        let f = frame(id, status, &body);
        let pdu = Pdu::parse(&f).unwrap_or_else(|e| panic!("{id:?}: {e}"));
        let want = Some((&b"id-1"[..], congestion));
        assert_eq!(first_string_and_tlvs(&pdu.body), want, "{id:?}");
        reencodes(&pdu, &f);
    }
}

/// Every response of commands.csv with an error status: without a body it
/// decodes to the empty form of its body (`None`, or an empty TLV region)
/// and re-encodes to the 16-octet header; with only a `message_id` (or
/// `system_id`) it is tolerated, typed where that is the whole layout and
/// raw otherwise, and re-encodes to the same octets; a typed one keeps TLVs
/// that follow (`congestion_state`).
#[test]
fn every_response_with_an_error_status_and_an_absent_or_message_id_only_body() {
    let rows = response_rows();
    let mut responses: Vec<CommandId> = CommandId::ALL
        .iter()
        .copied()
        .filter(|id| id.is_response())
        .collect();
    let mut listed: Vec<CommandId> = rows.iter().map(|r| r.0).collect();
    responses.sort();
    listed.sort();
    assert_eq!(listed, responses, "one row per response");
    for (id, empty, with_id) in rows {
        for status in [CommandStatus::ESME_RSYSERR, CommandStatus(0x0000_0400)] {
            check_error_response(id, empty, with_id, status);
        }
    }
}

/// `Reply::emit` writes what `Error::reply` describes: for every request a
/// body error answers with the request's own response (`deliver_sm_resp` and
/// `data_sm_resp` with their one-NUL `message_id`), header errors and PDUs
/// without a response with `generic_nack`; each decodes with the status and
/// the sequence number.
#[test]
fn replies_encode_into_a_buffer() {
    use smpp_core::{Error, Header, Reply};
    for &id in CommandId::ALL {
        // An error in a body of `id` (the field does not matter here).
        let err = Error::new(field_error(Field::SourceAddr, FieldProblem::EmbeddedNul))
            .with_header(Header {
                command_length: 40,
                command_id: id,
                command_status: CommandStatus::ESME_ROK,
                sequence_number: 0x7FFF_FFFF,
            });
        let reply = err.reply();
        let mut out = [0xEEu8; 24];
        let n = reply.emit(&mut out).unwrap();
        assert_eq!(n, reply.encoded_len());
        let with_body = [CommandId::DELIVER_SM_RESP, CommandId::DATA_SM_RESP];
        assert_eq!(
            n,
            if with_body.contains(&reply.command_id) {
                17
            } else {
                16
            },
            "{id}"
        );
        assert!(out[n..].iter().all(|&b| b == 0xEE), "{id}: wrote past {n}");
        let pdu = Pdu::parse(&out[..n]).unwrap();
        let want = if id.expects_response() {
            id.response()
        } else {
            CommandId::GENERIC_NACK
        };
        assert_eq!(pdu.command_id(), want, "{id}");
        assert_eq!(pdu.command_status, CommandStatus::ESME_RINVSRCADR);
        assert_eq!(pdu.sequence_number, 0x7FFF_FFFF);
        // Too short a buffer: an error, nothing written.
        let mut short = [0xEEu8; 16];
        let short = &mut short[..n - 1];
        assert!(matches!(
            reply.emit(short).unwrap_err().kind(),
            ErrorKind::BufferTooSmall { needed, available } if needed == n && available == n - 1
        ));
        assert!(short.iter().all(|&b| b == 0xEE));
    }
    // Another protocol: generic_nack with sequence number 0.
    let mut rx = smpp_core::FrameBuf::<64>::new();
    assert_eq!(rx.feed(b"GET / HTTP/1.1\r\n"), 16);
    let reply: Reply = rx.next_frame().unwrap_err().reply();
    let mut out = [0u8; 16];
    assert_eq!(reply.emit(&mut out), Ok(16));
    let pdu = Pdu::parse(&out).unwrap();
    assert_eq!(pdu.command_id(), CommandId::GENERIC_NACK);
    assert_eq!(pdu.sequence_number, 0);
    assert_eq!(pdu.command_status, CommandStatus::ESME_RINVCMDLEN);
}
