//! Builders produce the golden vectors' exact octets, apply defaults, and
//! refuse bad fields when built.

mod common;

use smpp_core::{
    CommandId, CommandStatus, ErrorKind, Field, FieldProblem, InterfaceVersion, MessageState, Npi,
    RegisteredDelivery, TlvProblem, TlvTag, Ton,
};
use smpp_std::{
    AlertNotificationBuilder, BindBuilder, BindRespBuilder, BroadcastSmBuilder,
    CancelBroadcastSmBuilder, CancelSmBuilder, DataSmBuilder, DeliverSmBuilder, HeaderOnlyBuilder,
    OutbindBuilder, Pdu, QuerySmBuilder, QuerySmRespBuilder, ReplaceSmBuilder, SubmitMultiBuilder,
    SubmitMultiRespBuilder, SubmitSmBuilder, SubmitSmRespBuilder,
};

use common::{encode, load as golden};

fn message_requests() -> Vec<(&'static str, Result<Pdu, smpp_core::Error>)> {
    vec![
        (
            "bind_transceiver",
            BindBuilder::transceiver(235_857)
                .system_id("ALL_TW")
                .password("ALL_TW")
                .addr_ton(Ton::INTERNATIONAL)
                .addr_npi(Npi(2))
                .build(),
        ),
        (
            "submit_sm",
            SubmitSmBuilder::new(20456)
                .source_addr_ton(Ton::INTERNATIONAL)
                .source_addr_npi(Npi::ISDN)
                .source_addr("40404")
                .dest_addr_ton(Ton::INTERNATIONAL)
                .dest_addr_npi(Npi::ISDN)
                .destination_addr(String::from("44951361920"))
                .registered_delivery(RegisteredDelivery(1))
                .short_message(&[0x40, 0x24, 0x23, 0x21, 0x25, 0x26, 0x2f, 0x3a])
                .build(),
        ),
        (
            "submit_multi",
            SubmitMultiBuilder::new(5)
                .source_addr_ton(Ton::INTERNATIONAL)
                .source_addr_npi(Npi::ISDN)
                .source_addr("12025550100")
                .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900001")
                .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900002")
                .dest_dl("FRIENDS")
                .short_message("Hello")
                .build(),
        ),
        (
            "data_sm",
            DataSmBuilder::new(0)
                .source_addr_ton(Ton::INTERNATIONAL)
                .source_addr_npi(Npi::ISDN)
                .source_addr("5552710000")
                .dest_addr_npi(Npi::ISDN)
                .destination_addr("9695")
                .registered_delivery(RegisteredDelivery(1))
                .message_payload("Test")
                .build(),
        ),
    ]
}

fn other_requests() -> Vec<(&'static str, Result<Pdu, smpp_core::Error>)> {
    vec![
        (
            "query_sm",
            QuerySmBuilder::new(20456)
                .message_id("12345")
                .source_addr_ton(Ton::INTERNATIONAL)
                .source_addr_npi(Npi::ISDN)
                .source_addr("40404")
                .build(),
        ),
        (
            "cancel_sm",
            CancelSmBuilder::new(20456)
                .message_id("12345")
                .source_addr_ton(Ton::INTERNATIONAL)
                .source_addr_npi(Npi::ISDN)
                .source_addr("40404")
                .dest_addr_ton(Ton::INTERNATIONAL)
                .dest_addr_npi(Npi::ISDN)
                .destination_addr("44951361920")
                .build(),
        ),
        (
            "replace_sm",
            ReplaceSmBuilder::new(20456)
                .message_id("msg-12345")
                .source_addr_ton(Ton::INTERNATIONAL)
                .source_addr_npi(Npi::ISDN)
                .source_addr("5552710000")
                .schedule_delivery_time("150203040506708+")
                .validity_period("010203040506000R")
                .registered_delivery(RegisteredDelivery(1))
                .sm_default_msg_id(2)
                .short_message("text")
                .build(),
        ),
        (
            "broadcast_sm",
            BroadcastSmBuilder::new(7)
                .service_type("CBS")
                .broadcast_area_identifier(0, "ZONE-A")
                .broadcast_content_type(0, 0x33)
                .broadcast_rep_num(5)
                .broadcast_frequency_interval(9, 15)
                .message_payload("Storm warning")
                .build(),
        ),
        (
            "cancel_broadcast_sm",
            CancelBroadcastSmBuilder::new(9).message_id("BC123").build(),
        ),
        (
            "alert_notification",
            AlertNotificationBuilder::new(0)
                .source_addr_ton(Ton::NATIONAL)
                .source_addr_npi(Npi::ISDN)
                .source_addr("X".repeat(54))
                .esme_addr_ton(Ton::INTERNATIONAL)
                .esme_addr_npi(Npi::LAND_MOBILE)
                .esme_addr("Y".repeat(56))
                .ms_availability_status(1)
                .build(),
        ),
        (
            "outbind",
            OutbindBuilder::new(1)
                .system_id("SMSC01")
                .password("pwd1234")
                .build(),
        ),
        (
            "enquire_link",
            HeaderOnlyBuilder::enquire_link(171_192_039).build(),
        ),
    ]
}

#[test]
fn requests_match_golden_vectors() {
    for (name, pdu) in message_requests().into_iter().chain(other_requests()) {
        let pdu = pdu.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(encode(&pdu), golden(name), "{name}");
    }
}

#[test]
fn responses_match_golden_vectors() {
    let cases: Vec<(&str, Result<Pdu, smpp_core::Error>)> = vec![
        (
            "bind_transceiver_resp",
            BindRespBuilder::transceiver_resp(235_843)
                .system_id("Smsc GW")
                .sc_interface_version(InterfaceVersion::V34)
                .build(),
        ),
        (
            "submit_multi_resp",
            SubmitMultiRespBuilder::new(5)
                .message_id("MSG0001")
                .unsuccess(
                    Ton::INTERNATIONAL,
                    Npi::ISDN,
                    "447700900002",
                    CommandStatus(11),
                )
                .build(),
        ),
        (
            "query_sm_resp",
            QuerySmRespBuilder::new(20456)
                .message_id("12345")
                .message_state(MessageState(6))
                .build(),
        ),
        (
            "deliver_sm_resp",
            SubmitSmRespBuilder::deliver_sm_resp(1_141_447).build(),
        ),
        (
            "query_broadcast_sm_resp",
            SubmitSmRespBuilder::query_broadcast_sm_resp(8)
                .message_id("BC123")
                .message_state(MessageState(1))
                .broadcast_area_identifier(0, "ZONE-A")
                .broadcast_area_success(80)
                .build(),
        ),
        (
            "data_sm_resp_delivery_failure",
            SubmitSmRespBuilder::data_sm_resp(9)
                .command_status(CommandStatus(0xFE))
                .delivery_failure_reason(3)
                .network_error_code(3, 0x22)
                .additional_status_info_text("absent subscriber")
                .build(),
        ),
        (
            "generic_nack",
            HeaderOnlyBuilder::generic_nack(535_159, CommandStatus(1)).build(),
        ),
    ];
    for (name, pdu) in cases {
        let pdu = pdu.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(encode(&pdu), golden(name), "{name}");
    }
}

/// A `broadcast_sm` builder with its mandatory TLVs.
fn broadcast_sm(sequence_number: u32) -> BroadcastSmBuilder {
    BroadcastSmBuilder::new(sequence_number)
        .broadcast_area_identifier(0, [1u8, 2].as_slice())
        .broadcast_content_type(0, 1)
        .broadcast_rep_num(1)
        .broadcast_frequency_interval(8, 1)
}

/// One PDU from every builder constructor, with the command it must have:
/// one `constructor => COMMAND_ID;` row each.
macro_rules! every_constructor {
    ($($builder:expr => $id:ident;)+) => {
        vec![$(($builder.build(), CommandId::$id)),+]
    };
}

fn every_constructor() -> Vec<(Result<Pdu, smpp_core::Error>, CommandId)> {
    let query_broadcast_sm_resp = SubmitSmRespBuilder::query_broadcast_sm_resp(1)
        .message_state(MessageState::ENROUTE)
        .broadcast_area_identifier(0, [1u8, 2].as_slice())
        .broadcast_area_success(50);
    let submit_multi =
        SubmitMultiBuilder::new(1).dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900001");
    every_constructor! {
        BindBuilder::transmitter(1) => BIND_TRANSMITTER;
        BindBuilder::receiver(1) => BIND_RECEIVER;
        BindRespBuilder::transmitter_resp(1) => BIND_TRANSMITTER_RESP;
        BindRespBuilder::receiver_resp(1) => BIND_RECEIVER_RESP;
        BindBuilder::transceiver(1) => BIND_TRANSCEIVER;
        BindRespBuilder::transceiver_resp(1) => BIND_TRANSCEIVER_RESP;
        OutbindBuilder::new(1) => OUTBIND;
        SubmitSmBuilder::new(1) => SUBMIT_SM;
        SubmitSmBuilder::deliver_sm(1) => DELIVER_SM;
        DeliverSmBuilder::new(1) => DELIVER_SM;
        SubmitSmRespBuilder::deliver_sm_resp(1) => DELIVER_SM_RESP;
        SubmitSmRespBuilder::data_sm_resp(1) => DATA_SM_RESP;
        query_broadcast_sm_resp => QUERY_BROADCAST_SM_RESP;
        DataSmBuilder::new(1) => DATA_SM;
        submit_multi => SUBMIT_MULTI;
        SubmitMultiRespBuilder::new(1) => SUBMIT_MULTI_RESP;
        QuerySmBuilder::new(1) => QUERY_SM;
        QuerySmRespBuilder::new(1) => QUERY_SM_RESP;
        CancelSmBuilder::new(1) => CANCEL_SM;
        ReplaceSmBuilder::new(1) => REPLACE_SM;
        broadcast_sm(1) => BROADCAST_SM;
        CancelBroadcastSmBuilder::new(1) => CANCEL_BROADCAST_SM;
        AlertNotificationBuilder::new(1) => ALERT_NOTIFICATION;
        HeaderOnlyBuilder::enquire_link(1) => ENQUIRE_LINK;
        HeaderOnlyBuilder::generic_nack(1, CommandStatus::ESME_RINVCMDID) => GENERIC_NACK;
        SubmitSmRespBuilder::new(1) => SUBMIT_SM_RESP;
        SubmitSmRespBuilder::broadcast_sm_resp(1) => BROADCAST_SM_RESP;
        QuerySmBuilder::query_broadcast_sm(1) => QUERY_BROADCAST_SM;
        HeaderOnlyBuilder::unbind(1) => UNBIND;
        HeaderOnlyBuilder::unbind_resp(1) => UNBIND_RESP;
        HeaderOnlyBuilder::enquire_link_resp(1) => ENQUIRE_LINK_RESP;
        HeaderOnlyBuilder::cancel_sm_resp(1) => CANCEL_SM_RESP;
        HeaderOnlyBuilder::replace_sm_resp(1) => REPLACE_SM_RESP;
        HeaderOnlyBuilder::cancel_broadcast_sm_resp(1) => CANCEL_BROADCAST_SM_RESP;
    }
}

#[test]
fn every_builder_kind_gives_its_command_id() {
    let ids = every_constructor();
    for (pdu, id) in ids {
        let pdu = pdu.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(pdu.command_id(), id);
        assert_eq!(encode(&pdu)[4..8], id.0.to_be_bytes(), "{id}");
        assert_eq!(
            smpp_core::Pdu::parse(&encode(&pdu)).unwrap().command_id(),
            id
        );
    }
    // Bind defaults: interface_version 0x34.
    let bind = BindBuilder::transmitter(1).build().unwrap();
    let smpp_core::Body::BindTransmitter(b) = bind.body else {
        panic!("not a bind")
    };
    assert_eq!(b.interface_version, InterfaceVersion::V34);
}

#[test]
fn builders_start_from_the_specification_defaults() {
    // With no setter called: every C-Octet String empty (its NUL alone),
    // every integer 0, interface_version 0x34 in binds, no TLVs.
    let zeros = |n: usize| vec![0u8; n];
    let bind = vec![0, 0, 0, 0x34, 0, 0, 0];
    let cases: Vec<(Result<Pdu, smpp_core::Error>, Vec<u8>)> = vec![
        (BindBuilder::transmitter(1).build(), bind.clone()),
        (BindBuilder::receiver(1).build(), bind.clone()),
        (BindBuilder::transceiver(1).build(), bind),
        (BindRespBuilder::transmitter_resp(1).build(), zeros(1)),
        (BindRespBuilder::receiver_resp(1).build(), zeros(1)),
        (BindRespBuilder::transceiver_resp(1).build(), zeros(1)),
        (OutbindBuilder::new(1).build(), zeros(2)),
        (SubmitSmBuilder::new(1).build(), zeros(17)),
        (SubmitSmBuilder::deliver_sm(1).build(), zeros(17)),
        (DeliverSmBuilder::new(1).build(), zeros(17)),
        (SubmitSmRespBuilder::new(1).build(), zeros(1)),
        (SubmitSmRespBuilder::deliver_sm_resp(1).build(), zeros(1)),
        (SubmitSmRespBuilder::data_sm_resp(1).build(), zeros(1)),
        (SubmitSmRespBuilder::broadcast_sm_resp(1).build(), zeros(1)),
        (DataSmBuilder::new(1).build(), zeros(10)),
        (SubmitMultiRespBuilder::new(1).build(), zeros(2)),
        (QuerySmBuilder::new(1).build(), zeros(4)),
        (QuerySmBuilder::query_broadcast_sm(1).build(), zeros(4)),
        (QuerySmRespBuilder::new(1).build(), zeros(4)),
        (CancelSmBuilder::new(1).build(), zeros(8)),
        (ReplaceSmBuilder::new(1).build(), zeros(9)),
        (CancelBroadcastSmBuilder::new(1).build(), zeros(5)),
        (AlertNotificationBuilder::new(1).build(), zeros(6)),
        (HeaderOnlyBuilder::enquire_link(1).build(), zeros(0)),
        (HeaderOnlyBuilder::unbind_resp(1).build(), zeros(0)),
        // submit_multi needs one destination: the rest is defaults.
        (
            SubmitMultiBuilder::new(1)
                .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "1")
                .build(),
            [&[0u8; 4][..], &[1, 1, 1, 1, b'1', 0], &[0; 10]].concat(),
        ),
    ];
    for (pdu, body) in cases {
        let pdu = pdu.unwrap();
        let octets = encode(&pdu);
        let id = pdu.command_id();
        assert_eq!(octets[8..12], [0; 4], "{id}: command_status");
        assert_eq!(octets[16..], body[..], "{id}");
    }
}

/// A C-Octet String setter takes `max - 1` characters (with the NUL, the
/// field's maximum in `pdu_fields.csv`) and refuses one more at build time,
/// naming the field and keeping the sequence number.
fn c_octet_limit(
    build: impl Fn(String) -> Result<Pdu, smpp_core::Error>,
    max: usize,
    field: Field,
) {
    let at_max = build("1".repeat(max - 1));
    assert!(at_max.is_ok(), "{field:?} of {}: {at_max:?}", max - 1);
    let err = build("1".repeat(max)).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Field {
            field,
            problem: FieldProblem::TooLong { max, len: max + 1 }
        },
        "{field:?}"
    );
    assert_eq!(err.sequence_number(), Some(3), "{field:?}");
    assert_eq!(err.command_status(), field.command_status(), "{field:?}");
}

/// `c_octet_limit` for each `builder => setter, maximum, Field;` row.
macro_rules! c_octet_limits {
    ($($make:expr => $setter:ident, $max:expr, $field:ident;)+) => {
        $( c_octet_limit(|v| $make.$setter(v).build(), $max, Field::$field); )+
    };
}

#[test]
fn every_c_octet_string_size_is_checked_at_build() {
    let multi = || SubmitMultiBuilder::new(3).dest_sme(Ton::UNKNOWN, Npi::UNKNOWN, "1");
    let broadcast = || broadcast_sm(3);
    c_octet_limits! {
        BindBuilder::transmitter(3) => system_id, 16, SystemId;
        BindBuilder::receiver(3) => password, 9, Password;
        BindBuilder::transceiver(3) => system_type, 13, SystemType;
        BindBuilder::transmitter(3) => address_range, 41, AddressRange;
        BindRespBuilder::receiver_resp(3) => system_id, 16, SystemId;
        OutbindBuilder::new(3) => system_id, 16, SystemId;
        OutbindBuilder::new(3) => password, 9, Password;
        AlertNotificationBuilder::new(3) => source_addr, 65, SourceAddr;
        AlertNotificationBuilder::new(3) => esme_addr, 65, EsmeAddr;
        SubmitSmBuilder::new(3) => service_type, 6, ServiceType;
        SubmitSmBuilder::new(3) => source_addr, 21, SourceAddr;
        SubmitSmBuilder::new(3) => destination_addr, 21, DestinationAddr;
        DeliverSmBuilder::new(3) => service_type, 6, ServiceType;
        DeliverSmBuilder::new(3) => source_addr, 21, SourceAddr;
        DeliverSmBuilder::new(3) => destination_addr, 21, DestinationAddr;
        SubmitSmRespBuilder::new(3) => message_id, 65, MessageId;
        SubmitSmRespBuilder::deliver_sm_resp(3) => message_id, 65, MessageId;
        SubmitSmRespBuilder::data_sm_resp(3) => message_id, 65, MessageId;
        DataSmBuilder::new(3) => service_type, 6, ServiceType;
        DataSmBuilder::new(3) => source_addr, 65, SourceAddr;
        DataSmBuilder::new(3) => destination_addr, 65, DestinationAddr;
        multi() => service_type, 6, ServiceType;
        multi() => source_addr, 21, SourceAddr;
        SubmitMultiBuilder::new(3) => dest_dl, 21, DlName;
        SubmitMultiRespBuilder::new(3) => message_id, 65, MessageId;
        QuerySmBuilder::new(3) => message_id, 65, MessageId;
        QuerySmBuilder::new(3) => source_addr, 21, SourceAddr;
        QuerySmRespBuilder::new(3) => message_id, 65, MessageId;
        CancelSmBuilder::new(3) => service_type, 6, ServiceType;
        CancelSmBuilder::new(3) => message_id, 65, MessageId;
        CancelSmBuilder::new(3) => source_addr, 21, SourceAddr;
        CancelSmBuilder::new(3) => destination_addr, 21, DestinationAddr;
        ReplaceSmBuilder::new(3) => message_id, 65, MessageId;
        ReplaceSmBuilder::new(3) => source_addr, 21, SourceAddr;
        broadcast() => service_type, 6, ServiceType;
        broadcast() => source_addr, 21, SourceAddr;
        broadcast() => message_id, 65, MessageId;
        SubmitSmRespBuilder::broadcast_sm_resp(3) => message_id, 65, MessageId;
        QuerySmBuilder::query_broadcast_sm(3) => message_id, 65, MessageId;
        QuerySmBuilder::query_broadcast_sm(3) => source_addr, 21, SourceAddr;
        CancelBroadcastSmBuilder::new(3) => service_type, 6, ServiceType;
        CancelBroadcastSmBuilder::new(3) => message_id, 65, MessageId;
        CancelBroadcastSmBuilder::new(3) => source_addr, 21, SourceAddr;
    }
    // The list entries, whose setters take more than the string.
    let (ton, npi) = (Ton::UNKNOWN, Npi::UNKNOWN);
    c_octet_limit(
        |v| SubmitMultiBuilder::new(3).dest_sme(ton, npi, v).build(),
        21,
        Field::DestinationAddr,
    );
    c_octet_limit(
        |v| {
            let status = CommandStatus::ESME_RSYSERR;
            SubmitMultiRespBuilder::new(3)
                .unsuccess(ton, npi, v, status)
                .build()
        },
        21,
        Field::DestinationAddr,
    );
}

/// The field an error names, if any.
fn field_of(err: &smpp_core::Error) -> Option<Field> {
    match err.kind() {
        ErrorKind::Field { field, .. } => Some(field),
        _ => None,
    }
}

#[test]
fn bad_fields_fail_at_build_naming_field_and_status() {
    let err = BindBuilder::transmitter(3)
        .system_id("a-system-id-too-long")
        .build()
        .unwrap_err();
    assert_eq!(field_of(&err), Some(Field::SystemId));
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVSYSID);
    assert_eq!(err.sequence_number(), Some(3));

    let err = SubmitSmBuilder::new(4)
        .short_message(vec![0u8; 256])
        .build()
        .unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVMSGLEN);

    let err = SubmitSmBuilder::new(4)
        .validity_period("tomorrow")
        .build()
        .unwrap_err();
    assert_eq!(field_of(&err), Some(Field::ValidityPeriod));

    // A TLV whose length breaks its tag's rule.
    let err = SubmitSmBuilder::new(4)
        .tlv(TlvTag::SAR_TOTAL_SEGMENTS, &[1, 2][..])
        .build()
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Tlv {
            tag: TlvTag::SAR_TOTAL_SEGMENTS,
            ..
        }
    ));
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVLEN);
    // TLV errors name the PDU too (they were once found before the PDU
    // was made, and carried no header).
    assert_eq!(err.sequence_number(), Some(4));
    assert_eq!(err.reply().command_id, CommandId::SUBMIT_SM_RESP);
    assert!(
        err.to_string().starts_with("submit_sm (sequence 4): "),
        "{err}"
    );
    let err = SubmitSmBuilder::new(4)
        .tlv(TlvTag::MESSAGE_PAYLOAD, vec![0u8; 65_536])
        .build()
        .unwrap_err();
    assert_eq!(err.sequence_number(), Some(4), "{err}");

    // A NUL inside a C-Octet String TLV.
    assert!(
        SubmitSmBuilder::new(4)
            .receipted_message_id("a\0b")
            .build()
            .is_err()
    );

    // broadcast_sm without its mandatory TLVs.
    let err = BroadcastSmBuilder::new(5).build().unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RMISSINGTLV);

    // A too-long destination in submit_multi.
    let err = SubmitMultiBuilder::new(6)
        .dest_sme(Ton::UNKNOWN, Npi::UNKNOWN, "1".repeat(25))
        .build()
        .unwrap_err();
    assert_eq!(field_of(&err), Some(Field::DestinationAddr));

    // enquire_link takes no TLVs.
    let err = HeaderOnlyBuilder::enquire_link(1)
        .congestion_state(1)
        .build()
        .unwrap_err();
    assert_eq!(err.sequence_number(), Some(1), "{err}");
    assert_eq!(err.reply().command_id, CommandId::ENQUIRE_LINK_RESP);
}

#[test]
fn owned_pdus_are_cheap_to_clone_and_thread_safe() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Pdu>();
    assert_send_sync::<smpp_std::Frame>();

    let pdu = SubmitSmBuilder::new(1)
        .message_payload(vec![7u8; 60_000])
        .build()
        .unwrap();
    let copy = pdu.clone();
    let (smpp_core::Body::SubmitSm(a), smpp_core::Body::SubmitSm(b)) = (&pdu.body, &copy.body)
    else {
        panic!("not a submit_sm")
    };
    // The clone shares the TLV octets instead of copying them.
    assert_eq!(a.tlvs.as_bytes().as_ptr(), b.tlvs.as_bytes().as_ptr());
    let handle = std::thread::spawn(move || copy.encoded_len());
    assert_eq!(handle.join().unwrap(), pdu.encoded_len());
}

#[test]
fn deliver_sm_builder_builds_a_deliver_sm() {
    // DeliverSmBuilder was once an alias of SubmitSmBuilder, so `new` made
    // a submit_sm.
    let deliver = DeliverSmBuilder::new(4)
        .source_addr("447700900123")
        .destination_addr("INFO")
        .short_message("reply")
        .build()
        .unwrap();
    assert_eq!(deliver.command_id(), CommandId::DELIVER_SM);
    assert!(matches!(deliver.body, smpp_core::Body::DeliverSm(_)));
    let octets = encode(&deliver);
    assert_eq!(octets[4..8], [0, 0, 0, 5]);
    // The same octets as the submit_sm builder's deliver_sm constructor.
    let other = SubmitSmBuilder::deliver_sm(4)
        .source_addr("447700900123")
        .destination_addr("INFO")
        .short_message("reply")
        .build()
        .unwrap();
    assert_eq!(encode(&other), octets);
    assert_eq!(
        SubmitSmBuilder::new(4).build().unwrap().command_id(),
        CommandId::SUBMIT_SM
    );
}

#[test]
fn short_message_and_message_payload_together_are_refused() {
    for e in [
        SubmitSmBuilder::new(1)
            .short_message("hi")
            .message_payload("hi")
            .build(),
        DeliverSmBuilder::new(1)
            .message_payload("")
            .short_message("hi")
            .build(),
        SubmitMultiBuilder::new(1)
            .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900001")
            .short_message("hi")
            .message_payload("hi")
            .build(),
        ReplaceSmBuilder::new(1)
            .short_message("hi")
            .message_payload("hi")
            .build(),
    ] {
        let e = e.unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::Field {
                field: Field::ShortMessage,
                problem: FieldProblem::ExclusiveWithTlv {
                    tag: TlvTag::MESSAGE_PAYLOAD
                },
            }
        );
        assert_eq!(e.command_status(), CommandStatus::ESME_RINVMSGLEN);
        assert!(e.to_string().contains("message_payload"), "{e}");
    }
    // The header names the PDU.
    let err = SubmitSmBuilder::new(77)
        .short_message("hi")
        .message_payload("hi")
        .build()
        .unwrap_err();
    assert_eq!(err.sequence_number(), Some(77));
    assert_eq!(err.reply().command_id, CommandId::SUBMIT_SM_RESP);

    // Either one alone is fine, as is an empty short_message with the TLV.
    SubmitSmBuilder::new(1).short_message("hi").build().unwrap();
    SubmitSmBuilder::new(1)
        .message_payload("hi")
        .build()
        .unwrap();
    SubmitSmBuilder::new(1)
        .short_message("")
        .message_payload("hi")
        .build()
        .unwrap();
    DataSmBuilder::new(1).message_payload("hi").build().unwrap();
}

#[test]
fn tlv_values_over_65535_octets_are_refused_at_build() {
    // The four octets past 65,535 once read as a further TLV (tag 0,
    // length 0), so the PDU built "successfully" and carried another one.
    for (e, tag, len) in [
        (
            SubmitSmBuilder::new(1)
                .message_payload(vec![0u8; 65_539])
                .build(),
            TlvTag::MESSAGE_PAYLOAD,
            65_539,
        ),
        (
            DataSmBuilder::new(1)
                .tlv(TlvTag(0x1400), vec![0x41u8; 65_536])
                .build(),
            TlvTag(0x1400),
            65_536,
        ),
        // The NUL counts: 65,535 octets of text make a 65,536-octet value.
        (
            SubmitSmRespBuilder::new(1)
                .tlv_cstr(TlvTag(0x1401), vec![0x41u8; 65_535])
                .build(),
            TlvTag(0x1401),
            65_536,
        ),
        (
            HeaderOnlyBuilder::generic_nack(1, CommandStatus::ESME_RSYSERR)
                .tlv(TlvTag(0x1402), vec![1u8; 70_000])
                .build(),
            TlvTag(0x1402),
            70_000,
        ),
    ] {
        let e = e.unwrap_err();
        let problem = TlvProblem::TooLong { len };
        assert_eq!(e.kind(), ErrorKind::Tlv { tag, problem }, "{tag}");
        assert_eq!(e.command_status(), CommandStatus::ESME_RINVTLVLEN);
    }

    // 65,535 octets is the largest value, and builds.
    let pdu = SubmitSmBuilder::new(1)
        .message_payload(vec![0u8; 65_535])
        .build()
        .unwrap();
    let smpp_core::Body::SubmitSm(sm) = &pdu.body else {
        panic!("not a submit_sm")
    };
    assert_eq!(sm.tlvs.iter().count(), 1);
    assert_eq!(
        sm.tlvs.get(TlvTag::MESSAGE_PAYLOAD).map(|t| t.value.len()),
        Some(65_535)
    );
}

#[test]
fn its_session_info_sequence_number_over_127_is_refused() {
    // Bit 7 of the sequence number once fell off the shifted octet: 200
    // went out as 72.
    let err = SubmitSmBuilder::new(1)
        .its_session_info(3, 200, false)
        .build()
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Tlv {
            tag: TlvTag::ITS_SESSION_INFO,
            problem: TlvProblem::InvalidValue,
        }
    );
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVVAL);
    assert!(
        DeliverSmBuilder::new(1)
            .its_session_info(0, 128, true)
            .build()
            .is_err()
    );

    // 127 is the largest, packed above the end-of-session bit.
    let pdu = SubmitSmBuilder::new(1)
        .its_session_info(3, 127, true)
        .build()
        .unwrap();
    let smpp_core::Body::SubmitSm(sm) = &pdu.body else {
        panic!("not a submit_sm")
    };
    assert_eq!(
        sm.tlvs.get(TlvTag::ITS_SESSION_INFO).map(|t| t.value),
        Some(&[3, 0xFF][..])
    );
}

/// `build_valid` gives the PDU `build` gives, which encodes without being
/// checked again to the octets a checked encode writes, and decodes back.
#[test]
fn valid_builds_encode_as_checked_ones() {
    use smpp_std::ValidPdu;

    let valid = [
        SubmitSmBuilder::new(5)
            .source_addr("INFO")
            .destination_addr("447700900123")
            .short_message("hello")
            .sar(7, 2, 1)
            .build_valid(),
        DeliverSmBuilder::new(6)
            .receipted_message_id("38601fa")
            .message_state(MessageState::DELIVERED)
            .build_valid(),
        HeaderOnlyBuilder::enquire_link_resp(7)
            .congestion_state(40)
            .build_valid(),
    ];
    for pdu in valid {
        let pdu: ValidPdu = pdu.unwrap();
        let checked = pdu.clone().into_inner();
        let octets = encode(&checked);
        assert_eq!(pdu.encoded_len(), octets.len());
        let mut out = vec![0u8; octets.len()];
        assert_eq!(pdu.emit(&mut out), Ok(octets.len()));
        assert_eq!(out, octets);
        assert_eq!(
            smpp_core::Pdu::parse(&out).map(|p| p.map(<[u8]>::to_vec)),
            Ok(checked.map(|b| b.to_vec()))
        );
        #[cfg(feature = "tokio")]
        {
            use tokio_util::codec::Encoder;
            let mut stream = bytes::BytesMut::new();
            smpp_std::SmppCodec::new()
                .encode(&pdu, &mut stream)
                .unwrap();
            assert_eq!(stream[..], octets[..]);
        }
    }
    let err = SubmitSmBuilder::new(8)
        .source_addr("123456789012345678901")
        .build_valid()
        .unwrap_err();
    assert_eq!(err.command_status(), CommandStatus::ESME_RINVSRCADR);
}

#[test]
fn entry_lists_take_255_of_the_longest_entries_and_no_more() {
    let twenty = "12345678901234567890";
    let mut multi = SubmitMultiBuilder::new(1);
    let mut resp = SubmitMultiRespBuilder::new(1);
    for _ in 0..255 {
        multi = multi.dest_sme(Ton::INTERNATIONAL, Npi::ISDN, twenty);
        resp = resp.unsuccess(
            Ton::INTERNATIONAL,
            Npi::ISDN,
            twenty,
            CommandStatus::ESME_RINVDSTADR,
        );
    }
    let pdu = multi.clone().build().unwrap();
    let smpp_core::Body::SubmitMulti(body) = &pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(body.dest_address.iter().count(), 255);
    let pdu = resp.clone().build().unwrap();
    let smpp_core::Body::SubmitMultiResp(Some(body)) = &pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(body.unsuccess_sme.iter().count(), 255);
    // A 256th entry: its count does not fit in an Integer1.
    let err = multi.dest_dl("x").build().unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Field {
            field: Field::NumberOfDests,
            problem: FieldProblem::InvalidValue { value: 256 }
        }
    );
    let err = resp
        .unsuccess(Ton::UNKNOWN, Npi::UNKNOWN, "1", CommandStatus::ESME_RSYSERR)
        .build()
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Field {
            field: Field::NoUnsuccess,
            problem: FieldProblem::InvalidValue { value: 256 }
        }
    );
}
