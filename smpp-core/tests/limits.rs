//! Size limits of every C-Octet String field of every PDU, and the SMPP time
//! fields: one octet under the limit passes, the limit itself fails, both
//! when decoding and when encoding, with the field's own `command_status`.

mod common;

use common::{encode, field_error, frame_of, patch_len};
use smpp_core::time::TimeError;
use smpp_core::{
    AlertNotification, Bind, BindResp, Body, BroadcastSm, COctet, CancelBroadcastSm, CancelSm,
    CommandId, CommandStatus, DataSm, DestAddress, DestAddressBuf, DestAddresses, Error, ErrorKind,
    Field, FieldProblem, Outbind, Pdu, QuerySm, QuerySmResp, ReplaceSm, SubmitMulti,
    SubmitMultiResp, SubmitSm, SubmitSmResp, Tlvs, UnsuccessSme, UnsuccessSmeBuf,
};

use std::sync::LazyLock;

const SEQ: u32 = 0x0102_0304;

/// The mandatory TLVs of `broadcast_sm`.
const BROADCAST_TLVS: &[u8] = &[
    0x06, 0x06, 0, 2, 0, b'A', // broadcast_area_identifier
    0x06, 0x01, 0, 3, 0, 0, 0x33, // broadcast_content_type
    0x06, 0x04, 0, 2, 0, 1, // broadcast_rep_num
    0x06, 0x05, 0, 3, 9, 0, 15, // broadcast_frequency_interval
];

/// The mandatory TLVs of `query_broadcast_sm_resp`.
const QUERY_BROADCAST_RESP_TLVS: &[u8] = &[
    0x04, 0x27, 0, 1, 1, // message_state
    0x06, 0x06, 0, 2, 0, b'A', // broadcast_area_identifier
    0x06, 0x08, 0, 1, 80, // broadcast_area_success
];

fn emit(body: Body<&[u8]>) -> Result<Vec<u8>, Error> {
    let pdu = Pdu::new(SEQ, body);
    let mut out = vec![0u8; pdu.encoded_len()];
    let n = pdu.emit(&mut out)?;
    assert_eq!(n, out.len());
    Ok(out)
}

/// A `dest_address` list of one distribution list: `submit_multi` needs
/// at least one destination.
fn one_dest() -> DestAddresses<&'static [u8]> {
    static LIST: LazyLock<DestAddressBuf<16>> = LazyLock::new(|| {
        let mut list = DestAddressBuf::new();
        list.push(DestAddress::DistributionList {
            dl_name: COctet::from("list"),
        })
        .unwrap();
        list
    });
    LIST.list()
}

fn s(v: &[u8]) -> COctet<&[u8]> {
    COctet::new(v)
}

fn find_run(frame: &[u8], fill: u8, n: usize) -> usize {
    let at = frame
        .windows(n)
        .position(|w| w.iter().all(|&b| b == fill))
        .unwrap();
    assert!(frame[at + n..].iter().all(|&b| b != fill), "one run only");
    at
}

fn expected_reply(frame: &[u8]) -> CommandId {
    let id = CommandId(u32::from_be_bytes(frame[4..8].try_into().unwrap()));
    if id.expects_response() {
        id.response()
    } else {
        CommandId::GENERIC_NACK
    }
}

/// The error's message names the PDU of `frame`, the field and the status.
/// An entry refused by a list builder (`DestAddressBuf`, `UnsuccessSmeBuf`)
/// has no PDU yet: it names the field and the status.
fn assert_named(err: &Error, field: Field, status: CommandStatus, frame: &[u8]) {
    let id = CommandId(u32::from_be_bytes(frame[4..8].try_into().unwrap()));
    let text = err.to_string();
    let pdu = if let Some(header) = err.header() {
        assert_eq!(header.command_id, id);
        id.name()
    } else {
        assert!(
            matches!(field, Field::DestinationAddr | Field::DlName),
            "{text}"
        );
        None
    };
    for part in pdu
        .into_iter()
        .chain([field.name(), status.name().unwrap()])
    {
        assert!(text.contains(part), "{text} lacks {part}");
    }
}

fn assert_field_err(
    err: &Error,
    field: Field,
    problem: FieldProblem,
    status: CommandStatus,
    frame: &[u8],
) {
    assert_eq!(err.kind(), ErrorKind::Field { field, problem }, "{err}");
    assert_eq!(err.command_status(), status);
    // A decode error keeps the header.
    assert_eq!(err.header().map(|h| h.sequence_number), Some(SEQ));
    assert_named(err, field, status, frame);
    let reply = err.reply();
    assert_eq!(reply.command_id, expected_reply(frame));
    assert_eq!(reply.command_status, status);
    assert_eq!(reply.sequence_number, SEQ);
}

/// `max` is the field's size with its NUL.
fn check_limit(
    max: usize,
    field: Field,
    status: CommandStatus,
    build: impl Fn(&[u8]) -> Result<Vec<u8>, Error>,
) {
    // max - 1 characters: encodes, decodes and re-encodes identically.
    let fits = vec![b'Q'; max - 1];
    let frame = build(&fits).unwrap();
    assert_eq!(encode(&Pdu::parse(&frame).unwrap()), frame);
    let at = find_run(&frame, b'Q', max - 1);
    assert_eq!(frame[at + max - 1], 0, "the NUL follows");

    // max characters: encoding refuses.
    let err = build(&vec![b'Q'; max]).unwrap_err();
    assert_eq!(
        err.kind(),
        field_error(field, FieldProblem::TooLong { max, len: max + 1 })
    );
    assert_eq!(err.command_status(), status);
    assert_named(&err, field, status, &frame);

    // Decoding refuses max characters on the wire, and a frame that ends
    // inside the field (no NUL at all).
    let mut long = frame.clone();
    long.insert(at, b'Q');
    let cut = frame[..at + max - 1].to_vec();
    for mut bad in [long, cut] {
        patch_len(&mut bad);
        let err = Pdu::parse(&bad).unwrap_err();
        let problem = FieldProblem::Unterminated { max };
        assert_field_err(&err, field, problem, status, &frame);
    }

    // An embedded NUL is refused when encoding.
    let mut nul = fits.clone();
    nul[0] = 0;
    let err = build(&nul).unwrap_err();
    assert_eq!(err.kind(), field_error(field, FieldProblem::EmbeddedNul));
}

macro_rules! limits {
    ($($test:ident: $max:expr, $field:ident, $status:ident, |$v:ident| $build:expr;)*) => {
        $(
            #[test]
            fn $test() {
                check_limit($max, Field::$field, CommandStatus::$status, |$v: &[u8]| $build);
            }
        )*
    };
}

/// A default body of type `$ty` with `$v` in `$field` (as a C-Octet
/// String, or as it is after `=`), and the other fields given.
macro_rules! with {
    ($ty:ident { $field:ident $(, $more:ident: $value:expr)* }, $v:expr) => {
        with!($ty { $field = s($v) $(, $more: $value)* })
    };
    ($ty:ident { $field:ident = $v:expr $(, $more:ident: $value:expr)* }) => {
        $ty {
            $field: $v,
            $($more: $value,)*
            ..Default::default()
        }
    };
}

/// The mandatory TLVs of `broadcast_sm`.
fn broadcast_tlvs() -> Tlvs<&'static [u8]> {
    Tlvs::parse(BROADCAST_TLVS).unwrap()
}

fn resp(v: &[u8]) -> SubmitSmResp<&[u8]> {
    SubmitSmResp {
        message_id: s(v),
        tlvs: Tlvs::EMPTY,
    }
}

fn submit_multi(v: &[u8], which: u8) -> Result<Vec<u8>, Error> {
    let mut dests = DestAddressBuf::<64>::new();
    let mut body = SubmitMulti::default();
    match which {
        0 => body.service_type = s(v),
        1 => body.source_addr = s(v),
        2 => dests.push(DestAddress::SmeAddress {
            dest_addr_ton: smpp_core::Ton(1),
            dest_addr_npi: smpp_core::Npi(1),
            destination_addr: s(v),
        })?,
        _ => dests.push(DestAddress::DistributionList { dl_name: s(v) })?,
    }
    if which < 2 {
        dests.push(DestAddress::DistributionList {
            dl_name: s(b"list"),
        })?;
    }
    body.dest_address = dests.list();
    emit(Body::SubmitMulti(body))
}

fn submit_multi_resp(v: &[u8], which: u8) -> Result<Vec<u8>, Error> {
    let mut entries = UnsuccessSmeBuf::<64>::new();
    let mut body = SubmitMultiResp::default();
    if which == 0 {
        body.message_id = s(v);
    } else {
        entries.push(UnsuccessSme {
            dest_addr_ton: smpp_core::Ton(1),
            dest_addr_npi: smpp_core::Npi(1),
            destination_addr: s(v),
            error_status_code: CommandStatus::ESME_RINVDSTADR,
        })?;
    }
    body.unsuccess_sme = entries.list();
    emit(Body::SubmitMultiResp(Some(body)))
}

limits! {
    bind_transmitter_system_id: 16, SystemId, ESME_RINVSYSID, |v| emit(Body::BindTransmitter(with!(Bind { system_id }, v)));
    bind_transmitter_password: 9, Password, ESME_RINVPASWD, |v| emit(Body::BindTransmitter(with!(Bind { password }, v)));
    bind_transmitter_system_type: 13, SystemType, ESME_RINVSYSTYP, |v| emit(Body::BindTransmitter(with!(Bind { system_type }, v)));
    bind_transmitter_address_range: 41, AddressRange, ESME_RBINDFAIL, |v| emit(Body::BindTransmitter(with!(Bind { address_range }, v)));
    bind_receiver_system_id: 16, SystemId, ESME_RINVSYSID, |v| emit(Body::BindReceiver(with!(Bind { system_id }, v)));
    bind_receiver_password: 9, Password, ESME_RINVPASWD, |v| emit(Body::BindReceiver(with!(Bind { password }, v)));
    bind_receiver_system_type: 13, SystemType, ESME_RINVSYSTYP, |v| emit(Body::BindReceiver(with!(Bind { system_type }, v)));
    bind_receiver_address_range: 41, AddressRange, ESME_RBINDFAIL, |v| emit(Body::BindReceiver(with!(Bind { address_range }, v)));
    bind_transceiver_system_id: 16, SystemId, ESME_RINVSYSID, |v| emit(Body::BindTransceiver(with!(Bind { system_id }, v)));
    bind_transceiver_password: 9, Password, ESME_RINVPASWD, |v| emit(Body::BindTransceiver(with!(Bind { password }, v)));
    bind_transceiver_system_type: 13, SystemType, ESME_RINVSYSTYP, |v| emit(Body::BindTransceiver(with!(Bind { system_type }, v)));
    bind_transceiver_address_range: 41, AddressRange, ESME_RBINDFAIL, |v| emit(Body::BindTransceiver(with!(Bind { address_range }, v)));
    bind_transmitter_resp_system_id: 16, SystemId, ESME_RINVSYSID,
        |v| emit(Body::BindTransmitterResp(Some(BindResp { system_id: s(v), tlvs: Tlvs::EMPTY })));
    bind_receiver_resp_system_id: 16, SystemId, ESME_RINVSYSID,
        |v| emit(Body::BindReceiverResp(Some(BindResp { system_id: s(v), tlvs: Tlvs::EMPTY })));
    bind_transceiver_resp_system_id: 16, SystemId, ESME_RINVSYSID,
        |v| emit(Body::BindTransceiverResp(Some(BindResp { system_id: s(v), tlvs: Tlvs::EMPTY })));
    outbind_system_id: 16, SystemId, ESME_RINVSYSID,
        |v| emit(Body::Outbind(with!(Outbind { system_id }, v)));
    outbind_password: 9, Password, ESME_RINVPASWD,
        |v| emit(Body::Outbind(with!(Outbind { password }, v)));
    alert_notification_source_addr: 65, SourceAddr, ESME_RINVSRCADR,
        |v| emit(Body::AlertNotification(with!(AlertNotification { source_addr }, v)));
    alert_notification_esme_addr: 65, EsmeAddr, ESME_RINVSRCADR,
        |v| emit(Body::AlertNotification(with!(AlertNotification { esme_addr }, v)));
    submit_sm_service_type: 6, ServiceType, ESME_RINVSERTYP, |v| emit(Body::SubmitSm(with!(SubmitSm { service_type }, v)));
    submit_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::SubmitSm(with!(SubmitSm { source_addr }, v)));
    submit_sm_destination_addr: 21, DestinationAddr, ESME_RINVDSTADR, |v| emit(Body::SubmitSm(with!(SubmitSm { destination_addr }, v)));
    deliver_sm_service_type: 6, ServiceType, ESME_RINVSERTYP, |v| emit(Body::DeliverSm(with!(SubmitSm { service_type }, v)));
    deliver_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::DeliverSm(with!(SubmitSm { source_addr }, v)));
    deliver_sm_destination_addr: 21, DestinationAddr, ESME_RINVDSTADR, |v| emit(Body::DeliverSm(with!(SubmitSm { destination_addr }, v)));
    submit_sm_resp_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::SubmitSmResp(Some(resp(v))));
    deliver_sm_resp_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::DeliverSmResp(Some(resp(v))));
    data_sm_resp_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::DataSmResp(Some(resp(v))));
    broadcast_sm_resp_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::BroadcastSmResp(Some(resp(v))));
    query_broadcast_sm_resp_message_id: 65, MessageId, ESME_RINVMSGID,
        |v| emit(Body::QueryBroadcastSmResp(Some(SubmitSmResp {
            message_id: s(v),
            tlvs: Tlvs::parse(QUERY_BROADCAST_RESP_TLVS).unwrap(),
        })));
    data_sm_service_type: 6, ServiceType, ESME_RINVSERTYP, |v| emit(Body::DataSm(with!(DataSm { service_type }, v)));
    data_sm_source_addr: 65, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::DataSm(with!(DataSm { source_addr }, v)));
    data_sm_destination_addr: 65, DestinationAddr, ESME_RINVDSTADR, |v| emit(Body::DataSm(with!(DataSm { destination_addr }, v)));
    submit_multi_service_type: 6, ServiceType, ESME_RINVSERTYP, |v| submit_multi(v, 0);
    submit_multi_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| submit_multi(v, 1);
    submit_multi_dest_destination_addr: 21, DestinationAddr, ESME_RINVDSTADR, |v| submit_multi(v, 2);
    submit_multi_dest_dl_name: 21, DlName, ESME_RINVDLNAME, |v| submit_multi(v, 3);
    submit_multi_resp_message_id: 65, MessageId, ESME_RINVMSGID, |v| submit_multi_resp(v, 0);
    submit_multi_resp_unsuccess_destination_addr: 21, DestinationAddr, ESME_RINVDSTADR, |v| submit_multi_resp(v, 1);
    query_sm_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::QuerySm(with!(QuerySm { message_id }, v)));
    query_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::QuerySm(with!(QuerySm { source_addr }, v)));
    query_broadcast_sm_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::QueryBroadcastSm(with!(QuerySm { message_id }, v)));
    query_broadcast_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::QueryBroadcastSm(with!(QuerySm { source_addr }, v)));
    query_sm_resp_message_id: 65, MessageId, ESME_RINVMSGID,
        |v| emit(Body::QuerySmResp(Some(with!(QuerySmResp { message_id }, v))));
    cancel_sm_service_type: 6, ServiceType, ESME_RINVSERTYP, |v| emit(Body::CancelSm(with!(CancelSm { service_type }, v)));
    cancel_sm_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::CancelSm(with!(CancelSm { message_id }, v)));
    cancel_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::CancelSm(with!(CancelSm { source_addr }, v)));
    cancel_sm_destination_addr: 21, DestinationAddr, ESME_RINVDSTADR, |v| emit(Body::CancelSm(with!(CancelSm { destination_addr }, v)));
    replace_sm_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::ReplaceSm(with!(ReplaceSm { message_id }, v)));
    replace_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::ReplaceSm(with!(ReplaceSm { source_addr }, v)));
    broadcast_sm_service_type: 6, ServiceType, ESME_RINVSERTYP, |v| emit(Body::BroadcastSm(with!(BroadcastSm { service_type, tlvs: broadcast_tlvs() }, v)));
    broadcast_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR, |v| emit(Body::BroadcastSm(with!(BroadcastSm { source_addr, tlvs: broadcast_tlvs() }, v)));
    broadcast_sm_message_id: 65, MessageId, ESME_RINVMSGID, |v| emit(Body::BroadcastSm(with!(BroadcastSm { message_id, tlvs: broadcast_tlvs() }, v)));
    cancel_broadcast_sm_service_type: 6, ServiceType, ESME_RINVSERTYP,
        |v| emit(Body::CancelBroadcastSm(with!(CancelBroadcastSm { service_type }, v)));
    cancel_broadcast_sm_message_id: 65, MessageId, ESME_RINVMSGID,
        |v| emit(Body::CancelBroadcastSm(with!(CancelBroadcastSm { message_id }, v)));
    cancel_broadcast_sm_source_addr: 21, SourceAddr, ESME_RINVSRCADR,
        |v| emit(Body::CancelBroadcastSm(with!(CancelBroadcastSm { source_addr }, v)));
}

/// A valid absolute time: 2025-01-02 03:04:05.0 at UTC+01:30.
const TIME: &[u8; 16] = b"250102030405006+";

/// SMPP times every time field accepts, absolute and relative.
const VALID_TIMES: &[&[u8; 16]] = &[
    b"000101000000000+",
    b"991231235959948-",
    b"240229120000148+", // 29 February of a leap year
    b"250102030405006-",
    b"000001000000000R",
    b"999999999999000R",
];

/// 16 characters that are not an SMPP time, each with what is wrong.
const INVALID_TIMES: &[(&[u8; 16], TimeError)] = &[
    (b"XXXXXXXXXXXXXXXX", TimeError::NotADigit { position: 0 }),
    (b"2501020304050060", TimeError::Sign(b'0')),
    (b"250102030405006 ", TimeError::Sign(b' ')),
    (b"250102030405006*", TimeError::Sign(b'*')),
    (b"250002030405006+", TimeError::Month),
    (b"251302030405006+", TimeError::Month),
    (b"250100030405006+", TimeError::Day),
    (b"250132030405006+", TimeError::Day),
    (b"250230030405006+", TimeError::Day), // 30 February
    (b"250102240405006+", TimeError::Hour),
    (b"250102036005006+", TimeError::Minute),
    (b"250102030460006+", TimeError::Second),
    (b"250102030405049+", TimeError::Offset),
    (b"25010203040500A+", TimeError::NotADigit { position: 14 }),
    (b"2501020304050:6+", TimeError::NotADigit { position: 13 }),
    (b"250102030405x06+", TimeError::NotADigit { position: 12 }),
    (b"2501 2030405006+", TimeError::NotADigit { position: 4 }),
    (b"000001000000100R", TimeError::RelativeTail),
    (b"0000010000000-0R", TimeError::NotADigit { position: 13 }),
    (b"00000100000A000R", TimeError::NotADigit { position: 11 }),
];

/// An SMPP time field: empty or an SMPP time of 16 characters passes; 1-15
/// and 17 characters, and 16 that are not an SMPP time, fail with the
/// field's status, both when decoding and when encoding.
fn check_time(
    field: Field,
    status: CommandStatus,
    build: impl Fn(&[u8]) -> Result<Vec<u8>, Error>,
) {
    let empty = build(b"").unwrap();
    assert!(Pdu::parse(&empty).is_ok());
    let frame = build(TIME).unwrap();
    let at = frame.windows(16).position(|w| w == TIME).unwrap();
    // `value` in place of the time in `frame`, decoded.
    let decode = |value: &[u8]| {
        let mut bad = frame[..at].to_vec();
        bad.extend_from_slice(value);
        bad.extend_from_slice(&frame[at + 16..]);
        patch_len(&mut bad);
        (Pdu::parse(&bad).map(|_| ()), bad)
    };
    let relative_allowed = field != Field::FinalDate;
    for &time in VALID_TIMES {
        let relative = time[15] == b'R';
        let encoded = build(time);
        let (decoded, bytes) = decode(time);
        if relative && !relative_allowed {
            let problem = FieldProblem::TimeFormat {
                error: TimeError::NotAbsolute,
            };
            let err = encoded.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Field { field, problem });
            assert_field_err(&decoded.unwrap_err(), field, problem, status, &frame);
            continue;
        }
        assert_eq!(encoded.unwrap(), bytes);
        assert_eq!(encode(&Pdu::parse(&bytes).unwrap()), bytes);
    }
    for &(time, error) in INVALID_TIMES {
        let problem = FieldProblem::TimeFormat { error };
        let err = build(time).unwrap_err();
        assert_eq!(err.command_status(), status, "{time:?}");
        assert_eq!(
            err.kind(),
            ErrorKind::Field { field, problem },
            "{}",
            String::from_utf8_lossy(time)
        );
        let (decoded, _) = decode(time);
        assert_field_err(&decoded.unwrap_err(), field, problem, status, &frame);
    }
    for len in (1..=15).chain([17]) {
        let value: Vec<u8> = TIME.iter().copied().cycle().take(len).collect();
        let err = build(&value).unwrap_err();
        assert_eq!(err.command_status(), status, "{len}");
        assert_eq!(
            err.kind(),
            field_error(field, FieldProblem::TimeLength { len }),
            "{len}"
        );
        let (decoded, _) = decode(&value);
        let problem = if len == 17 {
            FieldProblem::Unterminated { max: 17 }
        } else {
            FieldProblem::TimeLength { len }
        };
        assert_field_err(&decoded.unwrap_err(), field, problem, status, &frame);
    }
}

macro_rules! times {
    ($($test:ident: $field:ident, $status:ident, |$v:ident| $build:expr;)*) => {
        $(
            #[test]
            fn $test() {
                check_time(Field::$field, CommandStatus::$status, |$v: &[u8]| $build);
            }
        )*
    };
}

times! {
    submit_sm_schedule_delivery_time: ScheduleDeliveryTime, ESME_RINVSCHED,
        |v| emit(Body::SubmitSm(with!(SubmitSm { schedule_delivery_time }, v)));
    submit_sm_validity_period: ValidityPeriod, ESME_RINVEXPIRY,
        |v| emit(Body::SubmitSm(with!(SubmitSm { validity_period }, v)));
    deliver_sm_schedule_delivery_time: ScheduleDeliveryTime, ESME_RINVSCHED,
        |v| emit(Body::DeliverSm(with!(SubmitSm { schedule_delivery_time }, v)));
    deliver_sm_validity_period: ValidityPeriod, ESME_RINVEXPIRY,
        |v| emit(Body::DeliverSm(with!(SubmitSm { validity_period }, v)));
    submit_multi_schedule_delivery_time: ScheduleDeliveryTime, ESME_RINVSCHED,
        |v| emit(Body::SubmitMulti(with!(SubmitMulti { schedule_delivery_time, dest_address: one_dest() }, v)));
    submit_multi_validity_period: ValidityPeriod, ESME_RINVEXPIRY,
        |v| emit(Body::SubmitMulti(with!(SubmitMulti { validity_period, dest_address: one_dest() }, v)));
    replace_sm_schedule_delivery_time: ScheduleDeliveryTime, ESME_RINVSCHED,
        |v| emit(Body::ReplaceSm(with!(ReplaceSm { schedule_delivery_time }, v)));
    replace_sm_validity_period: ValidityPeriod, ESME_RINVEXPIRY,
        |v| emit(Body::ReplaceSm(with!(ReplaceSm { validity_period }, v)));
    broadcast_sm_schedule_delivery_time: ScheduleDeliveryTime, ESME_RINVSCHED,
        |v| emit(Body::BroadcastSm(with!(BroadcastSm { schedule_delivery_time, tlvs: broadcast_tlvs() }, v)));
    broadcast_sm_validity_period: ValidityPeriod, ESME_RINVEXPIRY,
        |v| emit(Body::BroadcastSm(with!(BroadcastSm { validity_period, tlvs: broadcast_tlvs() }, v)));
    query_sm_resp_final_date: FinalDate, ESME_RUNKNOWNERR,
        |v| emit(Body::QuerySmResp(Some(with!(QuerySmResp { final_date }, v))));
}

/// `short_message` is at most 255 octets (`sm_length` is one octet).
#[test]
fn short_message_limit() {
    for build in [
        |m: &[u8]| emit(Body::SubmitSm(with!(SubmitSm { short_message = m }))),
        |m: &[u8]| emit(Body::DeliverSm(with!(SubmitSm { short_message = m }))),
        |m: &[u8]| {
            emit(Body::SubmitMulti(
                with!(SubmitMulti { short_message = m, dest_address: one_dest() }),
            ))
        },
        |m: &[u8]| emit(Body::ReplaceSm(with!(ReplaceSm { short_message = m }))),
    ] {
        let max = [0u8; 255];
        let frame = build(&max).unwrap();
        let pdu = Pdu::parse(&frame).unwrap();
        assert_eq!(pdu.encoded_len(), frame.len());
        let err = build(&[0u8; 256]).unwrap_err();
        assert_eq!(
            err.kind(),
            field_error(
                Field::ShortMessage,
                FieldProblem::TooLong { max: 255, len: 256 }
            )
        );
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVMSGLEN);
    }
}

/// `submit_sm` and `submit_sm_resp` check their C-Octet Strings while
/// writing them: a NUL anywhere in any of them, of any length, is still
/// refused with the field named.
#[test]
fn a_nul_anywhere_in_a_written_c_octet_string_is_refused() {
    use smpp_core::{Body, COctet, SubmitSm, SubmitSmResp};
    let mut out = [0u8; 512];
    for len in 1..=20 {
        for at in 0..len {
            let mut value = [b'7'; 20];
            value[at] = 0;
            let value = &value[..len];
            let mut submit = SubmitSm::<&[u8]>::default();
            let (slot, field) = match len % 3 {
                0 => (&mut submit.source_addr, Field::SourceAddr),
                1 => (&mut submit.destination_addr, Field::DestinationAddr),
                _ if len <= 5 => (&mut submit.service_type, Field::ServiceType),
                _ => (&mut submit.destination_addr, Field::DestinationAddr),
            };
            *slot = COctet::new(value);
            for body in [Body::SubmitSm(submit), Body::DeliverSm(submit)] {
                let err = Pdu::new(9, body).emit(&mut out).unwrap_err();
                assert_eq!(
                    err.kind(),
                    field_error(field, FieldProblem::EmbeddedNul),
                    "len {len} at {at}"
                );
                assert_eq!(err.header().map(|h| h.sequence_number), Some(9));
            }
            let resp = Body::SubmitSmResp(Some(SubmitSmResp {
                message_id: COctet::new(value),
                ..SubmitSmResp::default()
            }));
            let err = Pdu::new(9, resp).emit(&mut out).unwrap_err();
            assert_eq!(
                err.kind(),
                field_error(Field::MessageId, FieldProblem::EmbeddedNul)
            );
        }
    }
    // A time field of the wrong length, and values one octet too long.
    let cases = [
        (
            SubmitSm::<&[u8]> {
                validity_period: COctet::new(b"0123456789"),
                ..SubmitSm::default()
            },
            Field::ValidityPeriod,
            FieldProblem::TimeLength { len: 10 },
        ),
        (
            SubmitSm {
                source_addr: COctet::new(&[b'1'; 21]),
                ..SubmitSm::default()
            },
            Field::SourceAddr,
            FieldProblem::TooLong { max: 21, len: 22 },
        ),
    ];
    for (submit, field, problem) in cases {
        let err = Pdu::new(1, Body::SubmitSm(submit))
            .emit(&mut out)
            .unwrap_err();
        let expected = ErrorKind::Field { field, problem };
        assert_eq!(err.kind(), expected, "{field:?}");
    }
}

/// The `i`th of 255 destinations: SME addresses and distribution lists in
/// turn, each at its 20-character maximum.
fn nth_dest(i: usize) -> (u8, Vec<u8>) {
    let kind = if i.is_multiple_of(2) { 1 } else { 2 };
    (kind, format!("{i:020}").into_bytes())
}

/// `number_of_dests` at its largest, 255 entries of the largest size: the
/// view decodes them without a capacity of its own (the list is the
/// frame's octets), yields every one in wire order, and re-encodes; the
/// same list built with `DestAddressBuf` gives the same octets, and a
/// 256th entry is refused naming `number_of_dests`.
#[test]
fn submit_multi_with_255_destinations_of_the_largest_size() {
    let mut body = b"\0\x01\x011\0\xFF".to_vec();
    let mut dests = DestAddressBuf::<8192>::new();
    for i in 0..255 {
        let (kind, name) = nth_dest(i);
        body.push(kind);
        let entry = if kind == 1 {
            body.extend_from_slice(&[1, 1]);
            DestAddress::SmeAddress {
                dest_addr_ton: smpp_core::Ton(1),
                dest_addr_npi: smpp_core::Npi(1),
                destination_addr: s(&name),
            }
        } else {
            DestAddress::DistributionList { dl_name: s(&name) }
        };
        body.extend_from_slice(&name);
        body.push(0);
        dests.push(entry).unwrap();
    }
    body.extend_from_slice(b"\0\0\0\0\0\0\0\0\0\x02Hi");
    let frame = frame_of(CommandId::SUBMIT_MULTI, CommandStatus::ESME_ROK, SEQ, &body);

    let pdu = Pdu::parse(&frame).unwrap();
    let Body::SubmitMulti(multi) = pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(multi.dest_address.count(), 255);
    assert_eq!(multi.dest_address.iter().count(), 255);
    for (i, dest) in multi.dest_address.iter().enumerate() {
        let (kind, name) = nth_dest(i);
        let got = match dest {
            DestAddress::SmeAddress {
                destination_addr, ..
            } => (1, destination_addr.as_bytes().to_vec()),
            DestAddress::DistributionList { dl_name } => (2, dl_name.as_bytes().to_vec()),
        };
        assert_eq!(got, (kind, name), "entry {i}");
    }
    assert_eq!(multi.short_message, b"Hi");
    // The list is a view of the frame, its size independent of the count.
    let start = 16 + 6;
    assert_eq!(
        multi.dest_address.as_bytes(),
        &frame[start..start + multi.dest_address.as_bytes().len()]
    );
    assert!(core::ptr::eq(
        multi.dest_address.as_bytes().as_ptr(),
        frame[start..].as_ptr()
    ));
    assert!(size_of::<DestAddresses<&[u8]>>() <= 3 * size_of::<usize>());
    assert_eq!(encode(&pdu), frame);

    assert_eq!(dests.list(), multi.dest_address);
    let built = Pdu::new(
        SEQ,
        Body::SubmitMulti(SubmitMulti {
            source_addr_ton: smpp_core::Ton(1),
            source_addr_npi: smpp_core::Npi(1),
            source_addr: s(b"1"),
            dest_address: dests.list(),
            short_message: b"Hi",
            ..Default::default()
        }),
    );
    assert_eq!(built, pdu);
    let err = dests
        .push(DestAddress::DistributionList { dl_name: s(b"x") })
        .unwrap_err();
    assert_eq!(
        err.kind(),
        field_error(
            Field::NumberOfDests,
            FieldProblem::InvalidValue { value: 256 }
        )
    );
    assert_eq!(dests.list().count(), 255);
}

/// `no_unsuccess` at its largest: 255 `unsuccess_sme` entries of the
/// largest size decode, iterate in order and re-encode.
#[test]
fn submit_multi_resp_with_255_unsuccess_entries_of_the_largest_size() {
    let mut body = [&[b'M'; 64][..], b"\0\xFF"].concat();
    for i in 0..255u32 {
        body.extend_from_slice(&[1, 1]);
        body.extend_from_slice(format!("{i:020}").as_bytes());
        body.push(0);
        body.extend_from_slice(&(0x400 + i).to_be_bytes());
    }
    let frame = frame_of(
        CommandId::SUBMIT_MULTI_RESP,
        CommandStatus::ESME_RSUBMITFAIL,
        SEQ,
        &body,
    );

    let pdu = Pdu::parse(&frame).unwrap();
    let Body::SubmitMultiResp(Some(resp)) = pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(resp.message_id.as_bytes(), &[b'M'; 64]);
    assert_eq!(resp.unsuccess_sme.count(), 255);
    let mut seen = 0u32;
    for (i, entry) in (0u32..).zip(&resp.unsuccess_sme) {
        assert_eq!(
            entry.destination_addr.as_bytes(),
            format!("{i:020}").as_bytes()
        );
        assert_eq!(entry.error_status_code, CommandStatus(0x400 + i));
        seen += 1;
    }
    assert_eq!(seen, 255);
    assert_eq!(encode(&pdu), frame);
}
