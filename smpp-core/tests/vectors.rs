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

#[test]
fn bind_transmitter_v50_spec() {
    vector(
        "bind_transmitter_v50_spec",
        CommandId::BIND_TRANSMITTER,
        CommandStatus::ESME_ROK,
        1,
        |pdu| {
            let Body::BindTransmitter(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("SMPP3TEST"));
            assert_eq!(b.password, c("secret08"));
            assert_eq!(b.system_type, c("SUBMIT1"));
            assert_eq!(b.interface_version, InterfaceVersion::V50);
            assert_eq!((b.addr_ton, b.addr_npi), (Ton(1), Npi(1)));
            assert_eq!(b.address_range, c(""));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn bind_transceiver() {
    vector(
        "bind_transceiver",
        CommandId::BIND_TRANSCEIVER,
        CommandStatus::ESME_ROK,
        235_857,
        |pdu| {
            let Body::BindTransceiver(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("ALL_TW"));
            assert_eq!(b.password, c("ALL_TW"));
            assert_eq!(b.system_type, c(""));
            assert_eq!(b.interface_version, InterfaceVersion(0x34));
            assert_eq!((b.addr_ton, b.addr_npi), (Ton(1), Npi(2)));
            assert_eq!(b.address_range, c(""));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn bind_transceiver_resp() {
    vector(
        "bind_transceiver_resp",
        CommandId::BIND_TRANSCEIVER_RESP,
        CommandStatus::ESME_ROK,
        235_843,
        |pdu| {
            let Body::BindTransceiverResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("Smsc GW"));
            assert_eq!(
                typed(&b.tlvs),
                [TlvValue::ScInterfaceVersion(InterfaceVersion(0x34))]
            );
        },
    );
}

#[test]
fn bind_transceiver_resp_error() {
    vector(
        "bind_transceiver_resp_error",
        CommandId::BIND_TRANSCEIVER_RESP,
        CommandStatus::ESME_RINVPASWD,
        3456,
        |pdu| {
            assert_eq!(pdu.body, Body::BindTransceiverResp(None));
            assert_eq!(pdu.encoded_len(), 16);
        },
    );
}

#[test]
fn bind_transceiver_resp_error_with_body() {
    vector(
        "bind_transceiver_resp_error_with_body",
        CommandId::BIND_TRANSCEIVER_RESP,
        CommandStatus::ESME_RINVPASWD,
        19891,
        |pdu| {
            let Body::BindTransceiverResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("SMSC"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn submit_sm() {
    vector(
        "submit_sm",
        CommandId::SUBMIT_SM,
        CommandStatus::ESME_ROK,
        20456,
        |pdu| {
            let Body::SubmitSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn submit_sm_udh_binary() {
    vector(
        "submit_sm_udh_binary",
        CommandId::SUBMIT_SM,
        CommandStatus::ESME_ROK,
        455_569,
        |pdu| {
            let Body::SubmitSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn submit_sm_resp() {
    vector(
        "submit_sm_resp",
        CommandId::SUBMIT_SM_RESP,
        CommandStatus::ESME_ROK,
        171_192_033,
        |pdu| {
            let Body::SubmitSmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c("94258431594"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn submit_sm_resp_error() {
    vector(
        "submit_sm_resp_error",
        CommandId::SUBMIT_SM_RESP,
        CommandStatus::ESME_RMSGQFUL,
        1234,
        |pdu| {
            assert_eq!(pdu.body, Body::SubmitSmResp(None));
        },
    );
}

#[test]
fn deliver_sm() {
    vector(
        "deliver_sm",
        CommandId::DELIVER_SM,
        CommandStatus::ESME_ROK,
        3,
        |pdu| {
            let Body::DeliverSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn deliver_sm_delivery_receipt() {
    vector(
        "deliver_sm_delivery_receipt",
        CommandId::DELIVER_SM,
        CommandStatus::ESME_ROK,
        2,
        |pdu| {
            let Body::DeliverSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn deliver_sm_resp() {
    vector(
        "deliver_sm_resp",
        CommandId::DELIVER_SM_RESP,
        CommandStatus::ESME_ROK,
        1_141_447,
        |pdu| {
            let Body::DeliverSmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c(""));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn enquire_link() {
    vector(
        "enquire_link",
        CommandId::ENQUIRE_LINK,
        CommandStatus::ESME_ROK,
        171_192_039,
        |pdu| {
            assert_eq!(pdu.body, Body::EnquireLink);
        },
    );
}

#[test]
fn enquire_link_resp() {
    vector(
        "enquire_link_resp",
        CommandId::ENQUIRE_LINK_RESP,
        CommandStatus::ESME_ROK,
        171_192_045,
        |pdu| {
            assert_eq!(pdu.body, Body::EnquireLinkResp(Tlvs::EMPTY));
        },
    );
}

#[test]
fn unbind() {
    vector(
        "unbind",
        CommandId::UNBIND,
        CommandStatus::ESME_ROK,
        1,
        |pdu| {
            assert_eq!(pdu.body, Body::Unbind);
        },
    );
}

#[test]
fn unbind_resp() {
    vector(
        "unbind_resp",
        CommandId::UNBIND_RESP,
        CommandStatus::ESME_ROK,
        1,
        |pdu| {
            assert_eq!(pdu.body, Body::UnbindResp(Tlvs::EMPTY));
        },
    );
}

#[test]
fn generic_nack() {
    vector(
        "generic_nack",
        CommandId::GENERIC_NACK,
        CommandStatus::ESME_RINVMSGLEN,
        535_159,
        |pdu| {
            assert_eq!(pdu.body, Body::GenericNack(Tlvs::EMPTY));
        },
    );
}

#[test]
fn generic_nack_seq0() {
    vector(
        "generic_nack_seq0",
        CommandId::GENERIC_NACK,
        CommandStatus::ESME_RSYSERR,
        0,
        |pdu| {
            assert_eq!(pdu.body, Body::GenericNack(Tlvs::EMPTY));
        },
    );
}

#[test]
fn data_sm() {
    vector(
        "data_sm",
        CommandId::DATA_SM,
        CommandStatus::ESME_ROK,
        0,
        |pdu| {
            let Body::DataSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn data_sm_resp() {
    vector(
        "data_sm_resp",
        CommandId::DATA_SM_RESP,
        CommandStatus::ESME_ROK,
        1_141_447,
        |pdu| {
            let Body::DataSmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c("94258431594"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn data_sm_resp_delivery_failure() {
    vector(
        "data_sm_resp_delivery_failure",
        CommandId::DATA_SM_RESP,
        CommandStatus::ESME_RDELIVERYFAILURE,
        9,
        |pdu| {
            let Body::DataSmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn query_sm() {
    vector(
        "query_sm",
        CommandId::QUERY_SM,
        CommandStatus::ESME_ROK,
        20456,
        |pdu| {
            let Body::QuerySm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c("12345"));
            assert_eq!(
                (b.source_addr_ton, b.source_addr_npi, b.source_addr),
                (Ton(1), Npi(1), c("40404"))
            );
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn query_sm_resp() {
    vector(
        "query_sm_resp",
        CommandId::QUERY_SM_RESP,
        CommandStatus::ESME_ROK,
        20456,
        |pdu| {
            let Body::QuerySmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c("12345"));
            assert_eq!(b.final_date, c(""));
            assert_eq!(b.message_state, MessageState::ACCEPTED);
            assert_eq!(b.error_code, 0);
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn cancel_sm() {
    vector(
        "cancel_sm",
        CommandId::CANCEL_SM,
        CommandStatus::ESME_ROK,
        20456,
        |pdu| {
            let Body::CancelSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn cancel_sm_resp() {
    vector(
        "cancel_sm_resp",
        CommandId::CANCEL_SM_RESP,
        CommandStatus::ESME_ROK,
        20456,
        |pdu| {
            assert_eq!(pdu.body, Body::CancelSmResp(Tlvs::EMPTY));
        },
    );
}

#[test]
fn replace_sm() {
    vector(
        "replace_sm",
        CommandId::REPLACE_SM,
        CommandStatus::ESME_ROK,
        20456,
        |pdu| {
            let Body::ReplaceSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn alert_notification() {
    vector(
        "alert_notification",
        CommandId::ALERT_NOTIFICATION,
        CommandStatus::ESME_ROK,
        0,
        |pdu| {
            let Body::AlertNotification(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!((b.source_addr_ton, b.source_addr_npi), (Ton(2), Npi(1)));
            assert_eq!(b.source_addr.as_bytes(), "X".repeat(54).as_bytes());
            assert_eq!((b.esme_addr_ton, b.esme_addr_npi), (Ton(1), Npi(6)));
            assert_eq!(b.esme_addr.as_bytes(), "Y".repeat(56).as_bytes());
            assert_eq!(typed(&b.tlvs), [TlvValue::MsAvailabilityStatus(1)]);
        },
    );
}

#[test]
fn submit_multi_gosmpp_lenient() {
    vector(
        "submit_multi_gosmpp_lenient",
        CommandId::SUBMIT_MULTI,
        CommandStatus::ESME_ROK,
        13,
        |pdu| {
            let Body::SubmitMulti(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn outbind() {
    vector(
        "outbind",
        CommandId::OUTBIND,
        CommandStatus::ESME_ROK,
        1,
        |pdu| {
            let Body::Outbind(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("SMSC01"));
            assert_eq!(b.password, c("pwd1234"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn submit_sm_sar_tlvs() {
    vector(
        "submit_sm_sar_tlvs",
        CommandId::SUBMIT_SM,
        CommandStatus::ESME_ROK,
        2,
        |pdu| {
            let Body::SubmitSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn submit_sm_message_payload_ucs2() {
    vector(
        "submit_sm_message_payload_ucs2",
        CommandId::SUBMIT_SM,
        CommandStatus::ESME_ROK,
        3,
        |pdu| {
            let Body::SubmitSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn submit_multi() {
    vector(
        "submit_multi",
        CommandId::SUBMIT_MULTI,
        CommandStatus::ESME_ROK,
        5,
        |pdu| {
            let Body::SubmitMulti(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn submit_multi_resp() {
    vector(
        "submit_multi_resp",
        CommandId::SUBMIT_MULTI_RESP,
        CommandStatus::ESME_ROK,
        5,
        |pdu| {
            let Body::SubmitMultiResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn broadcast_sm() {
    vector(
        "broadcast_sm",
        CommandId::BROADCAST_SM,
        CommandStatus::ESME_ROK,
        7,
        |pdu| {
            let Body::BroadcastSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn broadcast_sm_resp() {
    vector(
        "broadcast_sm_resp",
        CommandId::BROADCAST_SM_RESP,
        CommandStatus::ESME_ROK,
        7,
        |pdu| {
            let Body::BroadcastSmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c("BC123"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn query_broadcast_sm() {
    vector(
        "query_broadcast_sm",
        CommandId::QUERY_BROADCAST_SM,
        CommandStatus::ESME_ROK,
        8,
        |pdu| {
            let Body::QueryBroadcastSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c(""));
            assert_eq!(
                (b.source_addr_ton, b.source_addr_npi, b.source_addr),
                (Ton(0), Npi(0), c(""))
            );
            assert_eq!(typed(&b.tlvs), [TlvValue::UserMessageReference(0x1234)]);
        },
    );
}

#[test]
fn query_broadcast_sm_resp() {
    vector(
        "query_broadcast_sm_resp",
        CommandId::QUERY_BROADCAST_SM_RESP,
        CommandStatus::ESME_ROK,
        8,
        |pdu| {
            let Body::QueryBroadcastSmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}

#[test]
fn cancel_broadcast_sm() {
    vector(
        "cancel_broadcast_sm",
        CommandId::CANCEL_BROADCAST_SM,
        CommandStatus::ESME_ROK,
        9,
        |pdu| {
            let Body::CancelBroadcastSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.service_type, c(""));
            assert_eq!(b.message_id, c("BC123"));
            assert_eq!(
                (b.source_addr_ton, b.source_addr_npi, b.source_addr),
                (Ton(0), Npi(0), c(""))
            );
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn cancel_broadcast_sm_resp() {
    vector(
        "cancel_broadcast_sm_resp",
        CommandId::CANCEL_BROADCAST_SM_RESP,
        CommandStatus::ESME_ROK,
        9,
        |pdu| {
            assert_eq!(pdu.body, Body::CancelBroadcastSmResp(Tlvs::EMPTY));
        },
    );
}

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

#[test]
fn bind_receiver() {
    vector(
        "bind_receiver",
        CommandId::BIND_RECEIVER,
        CommandStatus::ESME_ROK,
        2,
        |pdu| {
            let Body::BindReceiver(b) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("SMPP3TEST"));
            assert_eq!(b.password, c("secret08"));
            assert_eq!(b.system_type, c(""));
            assert_eq!(b.interface_version, InterfaceVersion::V34);
            assert_eq!((b.addr_ton, b.addr_npi), (Ton(1), Npi(1)));
            assert_eq!(b.address_range, c("^44"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn bind_receiver_resp() {
    vector(
        "bind_receiver_resp",
        CommandId::BIND_RECEIVER_RESP,
        CommandStatus::ESME_ROK,
        2,
        |pdu| {
            let Body::BindReceiverResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("SMSC01"));
            assert_eq!(
                typed(&b.tlvs),
                [TlvValue::ScInterfaceVersion(InterfaceVersion::V50)]
            );
        },
    );
}

#[test]
fn bind_transmitter_resp() {
    vector(
        "bind_transmitter_resp",
        CommandId::BIND_TRANSMITTER_RESP,
        CommandStatus::ESME_ROK,
        1,
        |pdu| {
            let Body::BindTransmitterResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.system_id, c("SMSC"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn replace_sm_resp() {
    vector(
        "replace_sm_resp",
        CommandId::REPLACE_SM_RESP,
        CommandStatus::ESME_ROK,
        20456,
        |pdu| {
            assert_eq!(pdu.body, Body::ReplaceSmResp(Tlvs::EMPTY));
        },
    );
}

#[test]
fn query_sm_resp_error_message_id_only() {
    vector(
        "query_sm_resp_error_message_id_only",
        CommandId::QUERY_SM_RESP,
        CommandStatus::ESME_RQUERYFAIL,
        20456,
        |pdu| {
            let Body::Raw(raw) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(raw.command_id, CommandId::QUERY_SM_RESP);
            assert_eq!(raw.octets, b"12345\0");
            assert_eq!(raw.leading_cstr(65), Some(c("12345")));
        },
    );
}

#[test]
fn submit_multi_resp_error_message_id_only() {
    vector(
        "submit_multi_resp_error_message_id_only",
        CommandId::SUBMIT_MULTI_RESP,
        CommandStatus::ESME_RSUBMITFAIL,
        5,
        |pdu| {
            let Body::Raw(raw) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(raw.command_id, CommandId::SUBMIT_MULTI_RESP);
            assert_eq!(raw.octets, b"MSG0001\0");
            assert_eq!(raw.leading_cstr(65), Some(c("MSG0001")));
        },
    );
}

#[test]
fn query_broadcast_sm_resp_error() {
    vector(
        "query_broadcast_sm_resp_error",
        CommandId::QUERY_BROADCAST_SM_RESP,
        CommandStatus::ESME_RBCASTQUERYFAIL,
        8,
        |pdu| {
            // The mandatory TLVs are not required with an error status.
            let Body::QueryBroadcastSmResp(Some(b)) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(b.message_id, c("BC123"));
            assert!(b.tlvs.is_empty());
        },
    );
}

#[test]
fn deliver_sm_resp_temporary_error() {
    vector(
        "deliver_sm_resp_temporary_error",
        CommandId::DELIVER_SM_RESP,
        CommandStatus::ESME_RX_T_APPN,
        3,
        |pdu| {
            assert_eq!(pdu.body, Body::DeliverSmResp(None));
            assert_eq!(pdu.encoded_len(), 16);
        },
    );
}

#[test]
fn submit_sm_vendor_tlvs() {
    vector(
        "submit_sm_vendor_tlvs",
        CommandId::SUBMIT_SM,
        CommandStatus::ESME_ROK,
        4,
        |pdu| {
            let Body::SubmitSm(b) = pdu.body else {
                panic!("{pdu:?}")
            };
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
        },
    );
}
