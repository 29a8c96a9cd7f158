//! Golden vectors: every PDU in `testdata/` decodes to the field values its
//! source documents and re-encodes to the same octets.

mod common;

use common::{body_tlvs, encode, load, vectors};
use smpp_core::{
    Bind, BindResp, Body, BroadcastSm, COctet, CancelBroadcastSm, CommandId, CommandStatus,
    DataCoding, DestAddress, EsmClass, InterfaceVersion, MessageState, Npi, Outbind, Pdu,
    PriorityFlag, QuerySm, QuerySmResp, RegisteredDelivery, SubmitMulti, SubmitSm, SubmitSmResp,
    TlvTag, TlvValue, Tlvs, Ton,
};

/// Parses the vector, hands the PDU to `check`, then re-encodes it and
/// compares with the vector's octets.
fn vector(
    name: &str,
    id: CommandId,
    status: CommandStatus,
    seq: u32,
    check: impl FnOnce(&Pdu<&[u8]>),
) {
    let bytes = load(name);
    let pdu = Pdu::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(pdu.command_id(), id, "{name}");
    assert_eq!(pdu.command_status, status, "{name}");
    assert_eq!(pdu.sequence_number, seq, "{name}");
    assert_eq!(pdu.header().command_length as usize, bytes.len(), "{name}");
    check(&pdu);
    assert_eq!(encode(&pdu), bytes, "{name}");
}

/// One `#[test]` per vector: the file (and test) name, the header's
/// `command_id`, `command_status` and `sequence_number`, then either the
/// whole expected body after `=`, the body's pattern with the assertions on
/// what it binds, or a closure given the whole PDU.
macro_rules! vector {
    ($name:ident, $id:ident, $status:ident, $seq:expr, = $expected:expr) => {
        vector!($name, $id, $status, $seq, |pdu| {
            assert_eq!(pdu.body, $expected);
        });
    };
    ($name:ident, $id:ident, $status:ident, $seq:expr, |$pdu:ident| $check:block) => {
        #[test]
        fn $name() {
            vector(
                stringify!($name),
                CommandId::$id,
                CommandStatus::$status,
                $seq,
                |$pdu| $check,
            );
        }
    };
    ($name:ident, $id:ident, $status:ident, $seq:expr, $body:pat => $check:block) => {
        vector!($name, $id, $status, $seq, |pdu| {
            let $body = pdu.body else { panic!("{pdu:?}") };
            $check
        });
    };
}

fn c(s: &str) -> COctet<&[u8]> {
    COctet::from(s)
}

/// An address as its (`ton`, `npi`, octets) triple.
type Addr<'a> = (Ton, Npi, COctet<&'a [u8]>);

fn addr(ton: u8, npi: u8, address: &str) -> Addr<'_> {
    (Ton(ton), Npi(npi), c(address))
}

/// The source address of a body as an [`Addr`].
macro_rules! source {
    ($b:ident) => {
        ($b.source_addr_ton, $b.source_addr_npi, $b.source_addr)
    };
}

/// The destination address of a body as an [`Addr`].
macro_rules! dest {
    ($b:ident) => {
        ($b.dest_addr_ton, $b.dest_addr_npi, $b.destination_addr)
    };
}

/// A `submit_sm` (or `deliver_sm`) with these addresses and text, every
/// other field at its default.
fn sm<'a>(source: Addr<'a>, dest: Addr<'a>, short_message: &'a [u8]) -> SubmitSm<&'a [u8]> {
    SubmitSm {
        source_addr_ton: source.0,
        source_addr_npi: source.1,
        source_addr: source.2,
        dest_addr_ton: dest.0,
        dest_addr_npi: dest.1,
        destination_addr: dest.2,
        short_message,
        ..SubmitSm::default()
    }
}

/// A bind body without TLVs.
fn bind<'a>(
    [system_id, password, system_type]: [&'a str; 3],
    interface_version: InterfaceVersion,
    (ton, npi): (u8, u8),
    address_range: &'a str,
) -> Bind<&'a [u8]> {
    Bind {
        system_id: c(system_id),
        password: c(password),
        system_type: c(system_type),
        interface_version,
        addr_ton: Ton(ton),
        addr_npi: Npi(npi),
        address_range: c(address_range),
        tlvs: Tlvs::EMPTY,
    }
}

/// A response body with a `system_id` (or `message_id`) and no TLVs.
fn bind_resp(system_id: &str) -> BindResp<&[u8]> {
    BindResp {
        system_id: c(system_id),
        tlvs: Tlvs::EMPTY,
    }
}

fn sm_resp(message_id: &str) -> SubmitSmResp<&[u8]> {
    SubmitSmResp {
        message_id: c(message_id),
        tlvs: Tlvs::EMPTY,
    }
}

/// The `submit_sm_sar_tlvs` vector's body with the given TLVs.
fn sar_submit_sm(tlvs: Tlvs<&[u8]>) -> SubmitSm<&[u8]> {
    SubmitSm {
        validity_period: c("000001000000000R"),
        registered_delivery: RegisteredDelivery(1),
        tlvs,
        ..sm(
            (Ton::ALPHANUMERIC, Npi(0), c("INFO")),
            addr(1, 1, "447700900123"),
            b"Hello part",
        )
    }
}

/// An error response that kept only its `message_id`: a raw body.
fn message_id_only(pdu: &Pdu<&[u8]>, message_id: &str) {
    let Body::Raw(raw) = pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(raw.command_id, pdu.command_id());
    assert_eq!(raw.octets, [message_id.as_bytes(), b"\0"].concat());
    assert_eq!(raw.leading_cstr(65), Some(c(message_id)));
}

/// The destinations of a `submit_multi`, as many as its count says.
fn dest_list<'a>(b: &'a SubmitMulti<&[u8]>) -> Vec<DestAddress<'a>> {
    let list: Vec<_> = b.dest_address.iter().collect();
    assert_eq!(list.len(), usize::from(b.dest_address.count()));
    list
}

fn sme(ton: u8, npi: u8, address: &str) -> DestAddress<'_> {
    DestAddress::SmeAddress {
        dest_addr_ton: Ton(ton),
        dest_addr_npi: Npi(npi),
        destination_addr: c(address),
    }
}

fn dl(name: &str) -> DestAddress<'_> {
    DestAddress::DistributionList { dl_name: c(name) }
}

/// The typed TLVs of a region, in wire order.
fn typed<'a>(tlvs: &'a Tlvs<&'a [u8]>) -> Vec<TlvValue<'a>> {
    tlvs.iter().map(|t| t.typed()).collect()
}

#[test]
fn every_vector_round_trips() {
    let all = vectors();
    assert!(all.len() >= 48, "only {} vectors", all.len());
    for (name, bytes) in all {
        let pdu = Pdu::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(encode(&pdu), bytes, "{name}");
        // Every TLV re-encodes identically through its typed value; only
        // vendor tags stay untyped.
        let Some(tlvs) = body_tlvs(&pdu.body) else {
            continue;
        };
        let mut tlv_out = Vec::new();
        for tlv in &tlvs {
            let value = tlv.typed();
            assert!(
                !matches!(value, TlvValue::Unknown(..)) || tlv.tag.is_vendor_specific(),
                "{name}: {tlv:?} untyped"
            );
            let mut buf = vec![0u8; value.encoded_len()];
            value.emit(&mut buf).unwrap();
            tlv_out.extend_from_slice(&buf);
        }
        assert_eq!(tlv_out, tlvs.as_bytes(), "{name}");
    }
}

vector!(bind_transmitter_v50_spec, BIND_TRANSMITTER, ESME_ROK, 1, = Body::BindTransmitter(
    bind(["SMPP3TEST", "secret08", "SUBMIT1"], InterfaceVersion::V50, (1, 1), "")
));

vector!(bind_transceiver, BIND_TRANSCEIVER, ESME_ROK, 235_857, = Body::BindTransceiver(
    bind(["ALL_TW", "ALL_TW", ""], InterfaceVersion(0x34), (1, 2), "")
));

vector!(bind_transceiver_resp, BIND_TRANSCEIVER_RESP, ESME_ROK, 235_843, Body::BindTransceiverResp(Some(b)) => {
    assert_eq!(b.system_id, c("Smsc GW"));
    assert_eq!(
        typed(&b.tlvs),
        [TlvValue::ScInterfaceVersion(InterfaceVersion(0x34))]
    );
});

vector!(
    bind_transceiver_resp_error,
    BIND_TRANSCEIVER_RESP,
    ESME_RINVPASWD,
    3456,
    |pdu| {
        assert_eq!(pdu.body, Body::BindTransceiverResp(None));
        assert_eq!(pdu.encoded_len(), 16);
    }
);

vector!(bind_transceiver_resp_error_with_body, BIND_TRANSCEIVER_RESP, ESME_RINVPASWD, 19891,
    = Body::BindTransceiverResp(Some(bind_resp("SMSC"))));

vector!(submit_sm, SUBMIT_SM, ESME_ROK, 20456, = Body::SubmitSm(SubmitSm {
    registered_delivery: RegisteredDelivery(1),
    ..sm(addr(1, 1, "40404"), addr(1, 1, "44951361920"), b"@$#!%&/:")
}));

vector!(submit_sm_udh_binary, SUBMIT_SM, ESME_ROK, 455_569, Body::SubmitSm(b) => {
    let expected = SubmitSm {
        esm_class: EsmClass::UDHI,
        registered_delivery: RegisteredDelivery(1),
        data_coding: DataCoding(0xF5),
        ..sm(addr(5, 0, "mobileway"), addr(1, 1, "3369809342"), b.short_message)
    };
    assert_eq!(b, expected);
    assert!(b.esm_class.udhi());
    assert_eq!(b.short_message.len(), 117);
    assert_eq!(
        b.short_message[..7],
        [0x06, 0x05, 0x04, 0x15, 0x81, 0x15, 0x81]
    );
});

vector!(submit_sm_resp, SUBMIT_SM_RESP, ESME_ROK, 171_192_033,
    = Body::SubmitSmResp(Some(sm_resp("94258431594"))));

vector!(submit_sm_resp_error, SUBMIT_SM_RESP, ESME_RMSGQFUL, 1234, = Body::SubmitSmResp(None));

vector!(deliver_sm, DELIVER_SM, ESME_ROK, 3, Body::DeliverSm(b) => {
    assert_eq!(b, SubmitSm {
        tlvs: b.tlvs,
        ..sm(addr(2, 1, "87654321"), addr(4, 9, "40404"), b"@$#!%&/:")
    });
    assert_eq!(
        typed(&b.tlvs),
        [TlvValue::SourceNetworkType(1), TlvValue::DestNetworkType(1)]
    );
});

vector!(deliver_sm_delivery_receipt, DELIVER_SM, ESME_ROK, 2, Body::DeliverSm(b) => {
    let text = b"id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:";
    assert_eq!(b, SubmitSm {
        esm_class: EsmClass::DELIVERY_RECEIPT,
        tlvs: b.tlvs,
        ..sm(addr(1, 1, "44951361920"), addr(1, 1, "40404"), text)
    });
    assert!(b.esm_class.is_delivery_receipt());
    assert_eq!(b.short_message.len(), 110);
    assert_eq!(
        typed(&b.tlvs),
        [
            TlvValue::SourceNetworkType(1),
            TlvValue::DestNetworkType(1),
            TlvValue::ReceiptedMessageId(b"38601fa"),
            TlvValue::MessageState(MessageState::DELIVERED),
        ]
    );
    // The raw value keeps its NUL.
    assert_eq!(
        b.tlvs.get(TlvTag::RECEIPTED_MESSAGE_ID).unwrap().value,
        b"38601fa\0"
    );
});

vector!(deliver_sm_resp, DELIVER_SM_RESP, ESME_ROK, 1_141_447,
    = Body::DeliverSmResp(Some(sm_resp(""))));

vector!(enquire_link, ENQUIRE_LINK, ESME_ROK, 171_192_039, = Body::EnquireLink);

vector!(enquire_link_resp, ENQUIRE_LINK_RESP, ESME_ROK, 171_192_045,
    = Body::EnquireLinkResp(Tlvs::EMPTY));

vector!(unbind, UNBIND, ESME_ROK, 1, = Body::Unbind);

vector!(unbind_resp, UNBIND_RESP, ESME_ROK, 1, = Body::UnbindResp(Tlvs::EMPTY));

vector!(generic_nack, GENERIC_NACK, ESME_RINVMSGLEN, 535_159, = Body::GenericNack(Tlvs::EMPTY));

vector!(generic_nack_seq0, GENERIC_NACK, ESME_RSYSERR, 0, = Body::GenericNack(Tlvs::EMPTY));

vector!(data_sm, DATA_SM, ESME_ROK, 0, Body::DataSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(source!(b), addr(1, 1, "5552710000"));
    assert_eq!(dest!(b), addr(0, 1, "9695"));
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.registered_delivery, RegisteredDelivery(1));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(typed(&b.tlvs), [TlvValue::MessagePayload(b"Test")]);
});

vector!(data_sm_resp, DATA_SM_RESP, ESME_ROK, 1_141_447,
    = Body::DataSmResp(Some(sm_resp("94258431594"))));

vector!(data_sm_resp_delivery_failure, DATA_SM_RESP, ESME_RDELIVERYFAILURE, 9, Body::DataSmResp(Some(b)) => {
    assert_eq!(b.message_id, c(""));
    assert_eq!(
        typed(&b.tlvs),
        [
            TlvValue::DeliveryFailureReason(3),
            TlvValue::NetworkErrorCode {
                network_type: 3,
                error_code: 0x0022
            },
            TlvValue::AdditionalStatusInfoText(b"absent subscriber"),
        ]
    );
});

vector!(query_sm, QUERY_SM, ESME_ROK, 20456, Body::QuerySm(b) => {
    assert_eq!(b.message_id, c("12345"));
    assert_eq!(source!(b), addr(1, 1, "40404"));
    assert!(b.tlvs.is_empty());
});

vector!(query_sm_resp, QUERY_SM_RESP, ESME_ROK, 20456, = Body::QuerySmResp(Some(QuerySmResp {
    message_id: c("12345"),
    final_date: c(""),
    message_state: MessageState::ACCEPTED,
    error_code: 0,
    tlvs: Tlvs::EMPTY,
})));

vector!(cancel_sm, CANCEL_SM, ESME_ROK, 20456, Body::CancelSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(b.message_id, c("12345"));
    assert_eq!(source!(b), addr(1, 1, "40404"));
    assert_eq!(dest!(b), addr(1, 1, "44951361920"));
    assert!(b.tlvs.is_empty());
});

vector!(cancel_sm_resp, CANCEL_SM_RESP, ESME_ROK, 20456, = Body::CancelSmResp(Tlvs::EMPTY));

vector!(replace_sm, REPLACE_SM, ESME_ROK, 20456, Body::ReplaceSm(b) => {
    assert_eq!(b.message_id, c("msg-12345"));
    assert_eq!(source!(b), addr(1, 1, "5552710000"));
    assert_eq!(b.schedule_delivery_time, c("150203040506708+"));
    assert_eq!(b.validity_period, c("010203040506000R"));
    assert_eq!(b.registered_delivery, RegisteredDelivery(1));
    assert_eq!(b.sm_default_msg_id, 2);
    assert_eq!(b.short_message, b"text");
    assert!(b.tlvs.is_empty());
});

vector!(alert_notification, ALERT_NOTIFICATION, ESME_ROK, 0, Body::AlertNotification(b) => {
    assert_eq!((b.source_addr_ton, b.source_addr_npi), (Ton(2), Npi(1)));
    assert_eq!(b.source_addr.as_bytes(), "X".repeat(54).as_bytes());
    assert_eq!((b.esme_addr_ton, b.esme_addr_npi), (Ton(1), Npi(6)));
    assert_eq!(b.esme_addr.as_bytes(), "Y".repeat(56).as_bytes());
    assert_eq!(typed(&b.tlvs), [TlvValue::MsAvailabilityStatus(1)]);
});

vector!(submit_multi_gosmpp_lenient, SUBMIT_MULTI, ESME_ROK, 13, Body::SubmitMulti(b) => {
    assert_eq!(b.service_type, c("abc"));
    assert_eq!(source!(b), addr(28, 29, "Alicer"));
    assert_eq!(
        dest_list(&b),
        [sme(0, 0, "Bob1"), dl("List1"), dl("List2")]
    );
    assert_eq!(b.esm_class, EsmClass(0x0D));
    assert_eq!(b.protocol_id, 99);
    assert_eq!(b.priority_flag, PriorityFlag(61));
    assert_eq!(b.registered_delivery, RegisteredDelivery(0x53));
    assert_eq!(b.data_coding, DataCoding::UCS2);
    assert_eq!(b.short_message.len(), 48);
    assert!(b.tlvs.is_empty());
});

vector!(outbind, OUTBIND, ESME_ROK, 1, = Body::Outbind(Outbind {
    system_id: c("SMSC01"),
    password: c("pwd1234"),
    tlvs: Tlvs::EMPTY,
}));

vector!(submit_sm_sar_tlvs, SUBMIT_SM, ESME_ROK, 2, Body::SubmitSm(b) => {
    assert_eq!(b, sar_submit_sm(b.tlvs));
    assert_eq!(
        typed(&b.tlvs),
        [
            TlvValue::SarMsgRefNum(0x42),
            TlvValue::SarTotalSegments(2),
            TlvValue::SarSegmentSeqnum(1)
        ]
    );
});

vector!(submit_sm_message_payload_ucs2, SUBMIT_SM, ESME_ROK, 3, Body::SubmitSm(b) => {
    assert_eq!(b, SubmitSm {
        priority_flag: PriorityFlag(1),
        registered_delivery: RegisteredDelivery(0x11),
        data_coding: DataCoding::UCS2,
        tlvs: b.tlvs,
        ..sm(addr(1, 1, "12025550100"), addr(1, 1, "447700900123"), b"")
    });
    let utf16: Vec<u8> = "Hello €"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    assert_eq!(utf16.len(), 14);
    assert_eq!(
        typed(&b.tlvs),
        [
            TlvValue::MessagePayload(&utf16),
            TlvValue::UserMessageReference(7)
        ]
    );
});

vector!(submit_multi, SUBMIT_MULTI, ESME_ROK, 5, Body::SubmitMulti(b) => {
    let (source_addr_ton, source_addr_npi, source_addr) = addr(1, 1, "12025550100");
    assert_eq!(b, SubmitMulti {
        source_addr_ton,
        source_addr_npi,
        source_addr,
        dest_address: b.dest_address,
        short_message: &b"Hello"[..],
        ..SubmitMulti::default()
    });
    assert_eq!(
        dest_list(&b),
        [
            sme(1, 1, "447700900001"),
            sme(1, 1, "447700900002"),
            dl("FRIENDS")
        ]
    );
});

vector!(submit_multi_resp, SUBMIT_MULTI_RESP, ESME_ROK, 5, Body::SubmitMultiResp(Some(b)) => {
    assert_eq!(b.message_id, c("MSG0001"));
    assert_eq!(b.unsuccess_sme.count(), 1);
    let entries: Vec<_> = b.unsuccess_sme.iter().collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].dest_addr_ton, entries[0].dest_addr_npi),
        (Ton(1), Npi(1))
    );
    assert_eq!(entries[0].destination_addr, c("447700900002"));
    assert_eq!(entries[0].error_status_code, CommandStatus::ESME_RINVDSTADR);
    assert!(b.tlvs.is_empty());
});

vector!(broadcast_sm, BROADCAST_SM, ESME_ROK, 7, Body::BroadcastSm(b) => {
    assert_eq!(b, BroadcastSm {
        service_type: c("CBS"),
        tlvs: b.tlvs,
        ..BroadcastSm::default()
    });
    assert_eq!(
        typed(&b.tlvs),
        [
            TlvValue::BroadcastAreaIdentifier {
                format: 0,
                area: b"ZONE-A"
            },
            TlvValue::BroadcastContentType {
                network_type: 0,
                content_type: 0x0033
            },
            TlvValue::BroadcastRepNum {
                number: 5,
                one_octet: false
            },
            TlvValue::BroadcastFrequencyInterval {
                time_unit: 0x09,
                number: 15
            },
            TlvValue::MessagePayload(b"Storm warning"),
        ]
    );
});

vector!(broadcast_sm_resp, BROADCAST_SM_RESP, ESME_ROK, 7,
    = Body::BroadcastSmResp(Some(sm_resp("BC123"))));

vector!(query_broadcast_sm, QUERY_BROADCAST_SM, ESME_ROK, 8, Body::QueryBroadcastSm(b) => {
    assert_eq!(b, QuerySm { tlvs: b.tlvs, ..QuerySm::default() });
    assert_eq!(typed(&b.tlvs), [TlvValue::UserMessageReference(0x1234)]);
});

vector!(query_broadcast_sm_resp, QUERY_BROADCAST_SM_RESP, ESME_ROK, 8, Body::QueryBroadcastSmResp(Some(b)) => {
    assert_eq!(b.message_id, c("BC123"));
    assert_eq!(
        typed(&b.tlvs),
        [
            TlvValue::MessageState(MessageState::ENROUTE),
            TlvValue::BroadcastAreaIdentifier {
                format: 0,
                area: b"ZONE-A"
            },
            TlvValue::BroadcastAreaSuccess(80),
        ]
    );
});

vector!(cancel_broadcast_sm, CANCEL_BROADCAST_SM, ESME_ROK, 9,
= Body::CancelBroadcastSm(CancelBroadcastSm {
    message_id: c("BC123"),
    ..CancelBroadcastSm::default()
}));

vector!(cancel_broadcast_sm_resp, CANCEL_BROADCAST_SM_RESP, ESME_ROK, 9,
    = Body::CancelBroadcastSmResp(Tlvs::EMPTY));

/// The documented values, built from scratch, encode to the vector's octets.
#[test]
fn submit_sm_sar_tlvs_built_from_fields() {
    let mut tlvs = smpp_core::TlvBuf::<32>::new();
    tlvs.push_value(&TlvValue::SarMsgRefNum(0x42)).unwrap();
    tlvs.push_value(&TlvValue::SarTotalSegments(2)).unwrap();
    tlvs.push_value(&TlvValue::SarSegmentSeqnum(1)).unwrap();
    let pdu = Pdu::new(2, Body::SubmitSm(sar_submit_sm(tlvs.tlvs())));
    assert_eq!(encode(&pdu), load("submit_sm_sar_tlvs"));
}

vector!(bind_receiver, BIND_RECEIVER, ESME_ROK, 2, = Body::BindReceiver(
    bind(["SMPP3TEST", "secret08", ""], InterfaceVersion::V34, (1, 1), "^44")
));

vector!(bind_receiver_resp, BIND_RECEIVER_RESP, ESME_ROK, 2, Body::BindReceiverResp(Some(b)) => {
    assert_eq!(b.system_id, c("SMSC01"));
    assert_eq!(
        typed(&b.tlvs),
        [TlvValue::ScInterfaceVersion(InterfaceVersion::V50)]
    );
});

vector!(bind_transmitter_resp, BIND_TRANSMITTER_RESP, ESME_ROK, 1,
    = Body::BindTransmitterResp(Some(bind_resp("SMSC"))));

vector!(replace_sm_resp, REPLACE_SM_RESP, ESME_ROK, 20456, = Body::ReplaceSmResp(Tlvs::EMPTY));

vector!(
    query_sm_resp_error_message_id_only,
    QUERY_SM_RESP,
    ESME_RQUERYFAIL,
    20456,
    |pdu| {
        message_id_only(pdu, "12345");
    }
);

vector!(
    submit_multi_resp_error_message_id_only,
    SUBMIT_MULTI_RESP,
    ESME_RSUBMITFAIL,
    5,
    |pdu| {
        message_id_only(pdu, "MSG0001");
    }
);

vector!(
    query_broadcast_sm_resp_error,
    QUERY_BROADCAST_SM_RESP,
    ESME_RBCASTQUERYFAIL,
    8,
    // The mandatory TLVs are not required with an error status.
    = Body::QueryBroadcastSmResp(Some(sm_resp("BC123")))
);

vector!(
    deliver_sm_resp_temporary_error,
    DELIVER_SM_RESP,
    ESME_RX_T_APPN,
    3,
    |pdu| {
        assert_eq!(pdu.body, Body::DeliverSmResp(None));
        assert_eq!(pdu.encoded_len(), 16);
    }
);

vector!(submit_sm_vendor_tlvs, SUBMIT_SM, ESME_ROK, 4, Body::SubmitSm(b) => {
    assert_eq!(b, SubmitSm {
        registered_delivery: RegisteredDelivery(1),
        tlvs: b.tlvs,
        ..sm(addr(1, 1, "12025550100"), addr(1, 1, "447700900123"), b"Hi")
    });
    let tlvs: Vec<_> = b.tlvs.iter().map(|t| (t.tag, t.value)).collect();
    assert_eq!(
        tlvs,
        [
            (TlvTag(0x1400), &[0xBE, 0xEF][..]),
            (TlvTag::USER_MESSAGE_REFERENCE, &[0, 1][..]),
            (TlvTag(0x3FFF), &b"abc\0"[..]),
        ]
    );
    assert!(
        tlvs.iter()
            .all(|(t, _)| t.is_vendor_specific() || t.name().is_some())
    );
    assert_eq!(
        typed(&b.tlvs),
        [
            TlvValue::Unknown(TlvTag(0x1400), &[0xBE, 0xEF]),
            TlvValue::UserMessageReference(1),
            TlvValue::Unknown(TlvTag(0x3FFF), b"abc\0"),
        ]
    );
});
