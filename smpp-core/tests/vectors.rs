//! Golden vectors: every PDU in `testdata/` decodes to the field values its
//! source documents and re-encodes to the same octets.

mod common;

use common::{body_tlvs, load, vectors};
use smpp_core::{
    Body, COctet, CommandId, CommandStatus, DataCoding, DestAddress, EsmClass, InterfaceVersion,
    MessageState, Npi, Pdu, PriorityFlag, RegisteredDelivery, ReplaceIfPresentFlag, TlvTag,
    TlvValue, Tlvs, Ton,
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
    let mut out = vec![0u8; pdu.encoded_len()];
    assert_eq!(pdu.emit(&mut out), Ok(bytes.len()), "{name}");
    assert_eq!(out, bytes, "{name}");
}

/// One `#[test]` per vector: the file (and test) name, the header's
/// `command_id`, `command_status` and `sequence_number`, then either the
/// body's pattern with the assertions on what it binds, or a closure given
/// the whole PDU.
macro_rules! vector {
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
        #[test]
        fn $name() {
            vector(
                stringify!($name),
                CommandId::$id,
                CommandStatus::$status,
                $seq,
                |pdu| {
                    let $body = pdu.body else { panic!("{pdu:?}") };
                    $check
                },
            );
        }
    };
}

fn c(s: &str) -> COctet<&[u8]> {
    COctet::from(s)
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
        let mut out = vec![0u8; pdu.encoded_len()];
        let len = pdu.emit(&mut out).unwrap();
        assert_eq!(out[..len], bytes[..], "{name}");
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

vector!(bind_transmitter_v50_spec, BIND_TRANSMITTER, ESME_ROK, 1, Body::BindTransmitter(b) => {
    assert_eq!(b.system_id, c("SMPP3TEST"));
    assert_eq!(b.password, c("secret08"));
    assert_eq!(b.system_type, c("SUBMIT1"));
    assert_eq!(b.interface_version, InterfaceVersion::V50);
    assert_eq!((b.addr_ton, b.addr_npi), (Ton(1), Npi(1)));
    assert_eq!(b.address_range, c(""));
    assert!(b.tlvs.is_empty());
});

vector!(bind_transceiver, BIND_TRANSCEIVER, ESME_ROK, 235_857, Body::BindTransceiver(b) => {
    assert_eq!(b.system_id, c("ALL_TW"));
    assert_eq!(b.password, c("ALL_TW"));
    assert_eq!(b.system_type, c(""));
    assert_eq!(b.interface_version, InterfaceVersion(0x34));
    assert_eq!((b.addr_ton, b.addr_npi), (Ton(1), Npi(2)));
    assert_eq!(b.address_range, c(""));
    assert!(b.tlvs.is_empty());
});

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

vector!(bind_transceiver_resp_error_with_body, BIND_TRANSCEIVER_RESP, ESME_RINVPASWD, 19891, Body::BindTransceiverResp(Some(b)) => {
    assert_eq!(b.system_id, c("SMSC"));
    assert!(b.tlvs.is_empty());
});

vector!(submit_sm, SUBMIT_SM, ESME_ROK, 20456, Body::SubmitSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("40404"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(1), Npi(1), c("44951361920"))
    );
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.protocol_id, 0);
    assert_eq!(b.priority_flag, PriorityFlag(0));
    assert_eq!(b.schedule_delivery_time, c(""));
    assert_eq!(b.validity_period, c(""));
    assert_eq!(b.registered_delivery, RegisteredDelivery(1));
    assert_eq!(b.replace_if_present_flag, ReplaceIfPresentFlag(0));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(b.sm_default_msg_id, 0);
    assert_eq!(b.short_message, b"@$#!%&/:");
    assert!(b.tlvs.is_empty());
});

vector!(submit_sm_udh_binary, SUBMIT_SM, ESME_ROK, 455_569, Body::SubmitSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(5), Npi(0), c("mobileway"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(1), Npi(1), c("3369809342"))
    );
    assert_eq!(b.esm_class, EsmClass::UDHI);
    assert!(b.esm_class.udhi());
    assert_eq!(b.registered_delivery, RegisteredDelivery(1));
    assert_eq!(b.data_coding, DataCoding(0xF5));
    assert_eq!(b.short_message.len(), 117);
    assert_eq!(
        b.short_message[..7],
        [0x06, 0x05, 0x04, 0x15, 0x81, 0x15, 0x81]
    );
    assert!(b.tlvs.is_empty());
});

vector!(submit_sm_resp, SUBMIT_SM_RESP, ESME_ROK, 171_192_033, Body::SubmitSmResp(Some(b)) => {
    assert_eq!(b.message_id, c("94258431594"));
    assert!(b.tlvs.is_empty());
});

vector!(
    submit_sm_resp_error,
    SUBMIT_SM_RESP,
    ESME_RMSGQFUL,
    1234,
    |pdu| {
        assert_eq!(pdu.body, Body::SubmitSmResp(None));
    }
);

vector!(deliver_sm, DELIVER_SM, ESME_ROK, 3, Body::DeliverSm(b) => {
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(2), Npi(1), c("87654321"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(4), Npi(9), c("40404"))
    );
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(b.short_message, b"@$#!%&/:");
    assert_eq!(
        typed(&b.tlvs),
        [TlvValue::SourceNetworkType(1), TlvValue::DestNetworkType(1)]
    );
});

vector!(deliver_sm_delivery_receipt, DELIVER_SM, ESME_ROK, 2, Body::DeliverSm(b) => {
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("44951361920"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(1), Npi(1), c("40404"))
    );
    assert_eq!(b.esm_class, EsmClass::DELIVERY_RECEIPT);
    assert!(b.esm_class.is_delivery_receipt());
    assert_eq!(b.short_message.len(), 110);
    assert_eq!(
    b.short_message,
    &b"id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:"[..]
);
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

vector!(deliver_sm_resp, DELIVER_SM_RESP, ESME_ROK, 1_141_447, Body::DeliverSmResp(Some(b)) => {
    assert_eq!(b.message_id, c(""));
    assert!(b.tlvs.is_empty());
});

vector!(enquire_link, ENQUIRE_LINK, ESME_ROK, 171_192_039, |pdu| {
    assert_eq!(pdu.body, Body::EnquireLink);
});

vector!(
    enquire_link_resp,
    ENQUIRE_LINK_RESP,
    ESME_ROK,
    171_192_045,
    |pdu| {
        assert_eq!(pdu.body, Body::EnquireLinkResp(Tlvs::EMPTY));
    }
);

vector!(unbind, UNBIND, ESME_ROK, 1, |pdu| {
    assert_eq!(pdu.body, Body::Unbind);
});

vector!(unbind_resp, UNBIND_RESP, ESME_ROK, 1, |pdu| {
    assert_eq!(pdu.body, Body::UnbindResp(Tlvs::EMPTY));
});

vector!(
    generic_nack,
    GENERIC_NACK,
    ESME_RINVMSGLEN,
    535_159,
    |pdu| {
        assert_eq!(pdu.body, Body::GenericNack(Tlvs::EMPTY));
    }
);

vector!(generic_nack_seq0, GENERIC_NACK, ESME_RSYSERR, 0, |pdu| {
    assert_eq!(pdu.body, Body::GenericNack(Tlvs::EMPTY));
});

vector!(data_sm, DATA_SM, ESME_ROK, 0, Body::DataSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("5552710000"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(0), Npi(1), c("9695"))
    );
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.registered_delivery, RegisteredDelivery(1));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(typed(&b.tlvs), [TlvValue::MessagePayload(b"Test")]);
});

vector!(data_sm_resp, DATA_SM_RESP, ESME_ROK, 1_141_447, Body::DataSmResp(Some(b)) => {
    assert_eq!(b.message_id, c("94258431594"));
    assert!(b.tlvs.is_empty());
});

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
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("40404"))
    );
    assert!(b.tlvs.is_empty());
});

vector!(query_sm_resp, QUERY_SM_RESP, ESME_ROK, 20456, Body::QuerySmResp(Some(b)) => {
    assert_eq!(b.message_id, c("12345"));
    assert_eq!(b.final_date, c(""));
    assert_eq!(b.message_state, MessageState::ACCEPTED);
    assert_eq!(b.error_code, 0);
    assert!(b.tlvs.is_empty());
});

vector!(cancel_sm, CANCEL_SM, ESME_ROK, 20456, Body::CancelSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(b.message_id, c("12345"));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("40404"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(1), Npi(1), c("44951361920"))
    );
    assert!(b.tlvs.is_empty());
});

vector!(cancel_sm_resp, CANCEL_SM_RESP, ESME_ROK, 20456, |pdu| {
    assert_eq!(pdu.body, Body::CancelSmResp(Tlvs::EMPTY));
});

vector!(replace_sm, REPLACE_SM, ESME_ROK, 20456, Body::ReplaceSm(b) => {
    assert_eq!(b.message_id, c("msg-12345"));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("5552710000"))
    );
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
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(28), Npi(29), c("Alicer"))
    );
    assert_eq!(b.dest_address.count(), 3);
    assert_eq!(
        b.dest_address.iter().collect::<Vec<_>>(),
        [
            DestAddress::SmeAddress {
                dest_addr_ton: Ton(0),
                dest_addr_npi: Npi(0),
                destination_addr: c("Bob1")
            },
            DestAddress::DistributionList {
                dl_name: c("List1")
            },
            DestAddress::DistributionList {
                dl_name: c("List2")
            },
        ]
    );
    assert_eq!(b.esm_class, EsmClass(0x0D));
    assert_eq!(b.protocol_id, 99);
    assert_eq!(b.priority_flag, PriorityFlag(61));
    assert_eq!(b.registered_delivery, RegisteredDelivery(0x53));
    assert_eq!(b.data_coding, DataCoding::UCS2);
    assert_eq!(b.short_message.len(), 48);
    assert!(b.tlvs.is_empty());
});

vector!(outbind, OUTBIND, ESME_ROK, 1, Body::Outbind(b) => {
    assert_eq!(b.system_id, c("SMSC01"));
    assert_eq!(b.password, c("pwd1234"));
    assert!(b.tlvs.is_empty());
});

vector!(submit_sm_sar_tlvs, SUBMIT_SM, ESME_ROK, 2, Body::SubmitSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton::ALPHANUMERIC, Npi(0), c("INFO"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(1), Npi(1), c("447700900123"))
    );
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.protocol_id, 0);
    assert_eq!(b.priority_flag, PriorityFlag(0));
    assert_eq!(b.schedule_delivery_time, c(""));
    assert_eq!(b.validity_period, c("000001000000000R"));
    assert_eq!(b.registered_delivery, RegisteredDelivery(1));
    assert_eq!(b.replace_if_present_flag, ReplaceIfPresentFlag(0));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(b.sm_default_msg_id, 0);
    assert_eq!(b.short_message, b"Hello part");
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
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("12025550100"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(1), Npi(1), c("447700900123"))
    );
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.priority_flag, PriorityFlag(1));
    assert_eq!(b.registered_delivery, RegisteredDelivery(0x11));
    assert_eq!(b.data_coding, DataCoding::UCS2);
    assert!(b.short_message.is_empty());
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
    assert_eq!(b.service_type, c(""));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("12025550100"))
    );
    assert_eq!(b.dest_address.count(), 3);
    assert_eq!(
        b.dest_address.iter().collect::<Vec<_>>(),
        [
            DestAddress::SmeAddress {
                dest_addr_ton: Ton(1),
                dest_addr_npi: Npi(1),
                destination_addr: c("447700900001")
            },
            DestAddress::SmeAddress {
                dest_addr_ton: Ton(1),
                dest_addr_npi: Npi(1),
                destination_addr: c("447700900002")
            },
            DestAddress::DistributionList {
                dl_name: c("FRIENDS")
            },
        ]
    );
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.protocol_id, 0);
    assert_eq!(b.priority_flag, PriorityFlag(0));
    assert_eq!(b.schedule_delivery_time, c(""));
    assert_eq!(b.validity_period, c(""));
    assert_eq!(b.registered_delivery, RegisteredDelivery(0));
    assert_eq!(b.replace_if_present_flag, ReplaceIfPresentFlag(0));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(b.sm_default_msg_id, 0);
    assert_eq!(b.short_message, b"Hello");
    assert!(b.tlvs.is_empty());
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
    assert_eq!(b.service_type, c("CBS"));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(0), Npi(0), c(""))
    );
    assert_eq!(b.message_id, c(""));
    assert_eq!(b.priority_flag, PriorityFlag(0));
    assert_eq!(b.schedule_delivery_time, c(""));
    assert_eq!(b.validity_period, c(""));
    assert_eq!(b.replace_if_present_flag, ReplaceIfPresentFlag(0));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(b.sm_default_msg_id, 0);
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

vector!(broadcast_sm_resp, BROADCAST_SM_RESP, ESME_ROK, 7, Body::BroadcastSmResp(Some(b)) => {
    assert_eq!(b.message_id, c("BC123"));
    assert!(b.tlvs.is_empty());
});

vector!(query_broadcast_sm, QUERY_BROADCAST_SM, ESME_ROK, 8, Body::QueryBroadcastSm(b) => {
    assert_eq!(b.message_id, c(""));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(0), Npi(0), c(""))
    );
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

vector!(cancel_broadcast_sm, CANCEL_BROADCAST_SM, ESME_ROK, 9, Body::CancelBroadcastSm(b) => {
    assert_eq!(b.service_type, c(""));
    assert_eq!(b.message_id, c("BC123"));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(0), Npi(0), c(""))
    );
    assert!(b.tlvs.is_empty());
});

vector!(
    cancel_broadcast_sm_resp,
    CANCEL_BROADCAST_SM_RESP,
    ESME_ROK,
    9,
    |pdu| {
        assert_eq!(pdu.body, Body::CancelBroadcastSmResp(Tlvs::EMPTY));
    }
);

/// The documented values, built from scratch, encode to the vector's octets.
#[test]
fn submit_sm_sar_tlvs_built_from_fields() {
    let mut tlvs = smpp_core::TlvBuf::<32>::new();
    tlvs.push_value(&TlvValue::SarMsgRefNum(0x42)).unwrap();
    tlvs.push_value(&TlvValue::SarTotalSegments(2)).unwrap();
    tlvs.push_value(&TlvValue::SarSegmentSeqnum(1)).unwrap();
    let body = smpp_core::SubmitSm {
        source_addr_ton: Ton::ALPHANUMERIC,
        source_addr: c("INFO"),
        dest_addr_ton: Ton(1),
        dest_addr_npi: Npi(1),
        destination_addr: c("447700900123"),
        validity_period: c("000001000000000R"),
        registered_delivery: RegisteredDelivery(1),
        short_message: &b"Hello part"[..],
        tlvs: tlvs.tlvs(),
        ..Default::default()
    };
    let pdu = Pdu::new(2, Body::SubmitSm(body));
    let mut out = vec![0u8; pdu.encoded_len()];
    pdu.emit(&mut out).unwrap();
    assert_eq!(out, load("submit_sm_sar_tlvs"));
}

vector!(bind_receiver, BIND_RECEIVER, ESME_ROK, 2, Body::BindReceiver(b) => {
    assert_eq!(b.system_id, c("SMPP3TEST"));
    assert_eq!(b.password, c("secret08"));
    assert_eq!(b.system_type, c(""));
    assert_eq!(b.interface_version, InterfaceVersion::V34);
    assert_eq!((b.addr_ton, b.addr_npi), (Ton(1), Npi(1)));
    assert_eq!(b.address_range, c("^44"));
    assert!(b.tlvs.is_empty());
});

vector!(bind_receiver_resp, BIND_RECEIVER_RESP, ESME_ROK, 2, Body::BindReceiverResp(Some(b)) => {
    assert_eq!(b.system_id, c("SMSC01"));
    assert_eq!(
        typed(&b.tlvs),
        [TlvValue::ScInterfaceVersion(InterfaceVersion::V50)]
    );
});

vector!(bind_transmitter_resp, BIND_TRANSMITTER_RESP, ESME_ROK, 1, Body::BindTransmitterResp(Some(b)) => {
    assert_eq!(b.system_id, c("SMSC"));
    assert!(b.tlvs.is_empty());
});

vector!(replace_sm_resp, REPLACE_SM_RESP, ESME_ROK, 20456, |pdu| {
    assert_eq!(pdu.body, Body::ReplaceSmResp(Tlvs::EMPTY));
});

vector!(query_sm_resp_error_message_id_only, QUERY_SM_RESP, ESME_RQUERYFAIL, 20456, Body::Raw(raw) => {
    assert_eq!(raw.command_id, CommandId::QUERY_SM_RESP);
    assert_eq!(raw.octets, b"12345\0");
    assert_eq!(raw.leading_cstr(65), Some(c("12345")));
});

vector!(submit_multi_resp_error_message_id_only, SUBMIT_MULTI_RESP, ESME_RSUBMITFAIL, 5, Body::Raw(raw) => {
    assert_eq!(raw.command_id, CommandId::SUBMIT_MULTI_RESP);
    assert_eq!(raw.octets, b"MSG0001\0");
    assert_eq!(raw.leading_cstr(65), Some(c("MSG0001")));
});

vector!(
    query_broadcast_sm_resp_error,
    QUERY_BROADCAST_SM_RESP,
    ESME_RBCASTQUERYFAIL,
    8,
    |pdu| {
        // The mandatory TLVs are not required with an error status.
        let Body::QueryBroadcastSmResp(Some(b)) = pdu.body else {
            panic!("{pdu:?}")
        };
        assert_eq!(b.message_id, c("BC123"));
        assert!(b.tlvs.is_empty());
    }
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
    assert_eq!(b.service_type, c(""));
    assert_eq!(
        (b.source_addr_ton, b.source_addr_npi, b.source_addr),
        (Ton(1), Npi(1), c("12025550100"))
    );
    assert_eq!(
        (b.dest_addr_ton, b.dest_addr_npi, b.destination_addr),
        (Ton(1), Npi(1), c("447700900123"))
    );
    assert_eq!(b.esm_class, EsmClass(0));
    assert_eq!(b.protocol_id, 0);
    assert_eq!(b.priority_flag, PriorityFlag(0));
    assert_eq!(b.schedule_delivery_time, c(""));
    assert_eq!(b.validity_period, c(""));
    assert_eq!(b.registered_delivery, RegisteredDelivery(1));
    assert_eq!(b.replace_if_present_flag, ReplaceIfPresentFlag(0));
    assert_eq!(b.data_coding, DataCoding(0));
    assert_eq!(b.sm_default_msg_id, 0);
    assert_eq!(b.short_message, b"Hi");
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
