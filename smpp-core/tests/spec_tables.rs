//! The specification tables, one test per row: every `command_id`, every
//! `command_status` and every TLV tag of SMPP v3.4 and v5.0 (the rows of the
//! reference CSV files, written out here).

mod common;

use common::tlv_error;
use smpp_core::tlv::MsValidityTime;
use smpp_core::{
    CommandId, CommandStatus, DataCoding, InterfaceVersion, MessageState, Npi, Tlv, TlvBuf,
    TlvProblem, TlvTag, TlvValue, Tlvs, Ton,
};

/// Generates one test per table row.
macro_rules! row {
    ($($test:ident => $check:ident($($arg:expr),* $(,)?);)*) => {
        $(
            #[test]
            fn $test() {
                $check($($arg),*);
            }
        )*
    };
}

/// A `command_id` row: value, name, and the response it expects (`""` for none).
fn command(index: usize, value: u32, name: &str, response: &str) {
    let id = CommandId(value);
    assert_eq!(id.name(), Some(name));
    assert_eq!(CommandId::from_name(name), Some(id));
    assert_eq!(CommandId::ALL[index], id, "table order");
    assert_eq!(format!("{id:?}"), name);
    let is_response = name.ends_with("_resp") || name == "generic_nack";
    assert_eq!(id.is_response(), is_response);
    if is_response {
        assert_eq!(id.response(), id);
        assert!(!id.expects_response());
        if name != "generic_nack" {
            let request = CommandId::from_name(name.trim_end_matches("_resp")).unwrap();
            assert_eq!(id.request(), request);
            assert_eq!(request.response(), id);
        }
    } else {
        assert_eq!(id.request(), id);
        assert_eq!(id.expects_response(), !response.is_empty());
        if !response.is_empty() {
            let resp = CommandId::from_name(response).unwrap();
            assert_eq!(id.response(), resp);
            assert_eq!(resp.request(), id);
        }
    }
}

/// A `command_status` row: value, v3.4 name and v5.0 name.
fn status(index: usize, value: u32, name_v34: &str, name_v50: &str) {
    let status = CommandStatus(value);
    assert_eq!(status.name(), Some(name_v50));
    assert_eq!(status.name_v34(), Some(name_v34));
    assert_eq!(CommandStatus::from_name(name_v50), Some(status));
    // The v3.4 name finds the value too (0xC0-0xC4 were renamed in v5.0);
    // `name` stays the v5.0 one.
    assert_eq!(CommandStatus::from_name(name_v34), Some(status));
    assert_eq!(CommandStatus::ALL[index], status, "table order");
    assert_eq!(status.is_ok(), value == 0);
    assert!(!status.is_vendor_specific());
}

/// A TLV row: tag, name, a valid value and its typed form, and a length the
/// tag's rule forbids (`None` if every 16-bit length is allowed).
fn tlv(
    index: usize,
    tag: u16,
    name: &str,
    value: &[u8],
    typed: TlvValue<'_>,
    bad_len: Option<usize>,
) {
    let t = TlvTag(tag);
    assert_eq!(t.name(), Some(name));
    assert_eq!(TlvTag::from_name(name), Some(t));
    assert_eq!(TlvTag::ALL[index], t, "table order");
    assert!(!t.is_vendor_specific());

    // The value decodes to its variant and re-encodes identically.
    assert_eq!(TlvValue::from_tlv(Tlv::new(t, value)), typed);
    assert_eq!(typed.tag(), t);
    assert_eq!(typed.encoded_value_len(), value.len());
    let mut out = vec![0u8; value.len()];
    assert_eq!(typed.write_value(&mut out), Ok(value.len()));
    assert_eq!(out, value);

    // The same inside a TLV region.
    let region = common::tlv(t, value);
    let tlvs = Tlvs::parse(&region).unwrap();
    assert_eq!(tlvs.value(t), Some(typed));
    let mut emitted = vec![0u8; typed.encoded_len()];
    assert_eq!(typed.emit(&mut emitted), Ok(region.len()));
    assert_eq!(emitted, region);
    let mut buf = TlvBuf::<64>::new();
    buf.push_value(&typed).unwrap();
    assert_eq!(buf.tlvs().as_bytes(), region);

    // A length the rule forbids is rejected by the region parser, and the
    // TLV stays untyped.
    if let Some(len) = bad_len {
        let bad_value = vec![0x31u8; len];
        let bad = region_of(tag, len);
        let err = Tlvs::parse(&bad).unwrap_err();
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVLEN);
        assert_eq!(err.kind(), tlv_error(t, TlvProblem::InvalidLength { len }));
        assert_eq!(
            TlvValue::from_tlv(Tlv::new(t, &bad_value)),
            TlvValue::Unknown(t, &bad_value)
        );
        assert!(TlvBuf::<256>::new().push(t, &bad_value).is_err());
    }
}

#[test]
fn table_sizes() {
    assert_eq!(CommandId::ALL.len(), 33);
    assert_eq!(CommandStatus::ALL.len(), 67);
    assert_eq!(TlvTag::ALL.len(), 64);
}

row! {
    command_generic_nack => command(0, 0x8000_0000, "generic_nack", "");
    command_bind_receiver => command(1, 0x0000_0001, "bind_receiver", "bind_receiver_resp");
    command_bind_receiver_resp => command(2, 0x8000_0001, "bind_receiver_resp", "");
    command_bind_transmitter => command(3, 0x0000_0002, "bind_transmitter", "bind_transmitter_resp");
    command_bind_transmitter_resp => command(4, 0x8000_0002, "bind_transmitter_resp", "");
    command_query_sm => command(5, 0x0000_0003, "query_sm", "query_sm_resp");
    command_query_sm_resp => command(6, 0x8000_0003, "query_sm_resp", "");
    command_submit_sm => command(7, 0x0000_0004, "submit_sm", "submit_sm_resp");
    command_submit_sm_resp => command(8, 0x8000_0004, "submit_sm_resp", "");
    command_deliver_sm => command(9, 0x0000_0005, "deliver_sm", "deliver_sm_resp");
    command_deliver_sm_resp => command(10, 0x8000_0005, "deliver_sm_resp", "");
    command_unbind => command(11, 0x0000_0006, "unbind", "unbind_resp");
    command_unbind_resp => command(12, 0x8000_0006, "unbind_resp", "");
    command_replace_sm => command(13, 0x0000_0007, "replace_sm", "replace_sm_resp");
    command_replace_sm_resp => command(14, 0x8000_0007, "replace_sm_resp", "");
    command_cancel_sm => command(15, 0x0000_0008, "cancel_sm", "cancel_sm_resp");
    command_cancel_sm_resp => command(16, 0x8000_0008, "cancel_sm_resp", "");
    command_bind_transceiver => command(17, 0x0000_0009, "bind_transceiver", "bind_transceiver_resp");
    command_bind_transceiver_resp => command(18, 0x8000_0009, "bind_transceiver_resp", "");
    command_outbind => command(19, 0x0000_000B, "outbind", "");
    command_enquire_link => command(20, 0x0000_0015, "enquire_link", "enquire_link_resp");
    command_enquire_link_resp => command(21, 0x8000_0015, "enquire_link_resp", "");
    command_submit_multi => command(22, 0x0000_0021, "submit_multi", "submit_multi_resp");
    command_submit_multi_resp => command(23, 0x8000_0021, "submit_multi_resp", "");
    command_alert_notification => command(24, 0x0000_0102, "alert_notification", "");
    command_data_sm => command(25, 0x0000_0103, "data_sm", "data_sm_resp");
    command_data_sm_resp => command(26, 0x8000_0103, "data_sm_resp", "");
    command_broadcast_sm => command(27, 0x0000_0111, "broadcast_sm", "broadcast_sm_resp");
    command_broadcast_sm_resp => command(28, 0x8000_0111, "broadcast_sm_resp", "");
    command_query_broadcast_sm => command(29, 0x0000_0112, "query_broadcast_sm", "query_broadcast_sm_resp");
    command_query_broadcast_sm_resp => command(30, 0x8000_0112, "query_broadcast_sm_resp", "");
    command_cancel_broadcast_sm => command(31, 0x0000_0113, "cancel_broadcast_sm", "cancel_broadcast_sm_resp");
    command_cancel_broadcast_sm_resp => command(32, 0x8000_0113, "cancel_broadcast_sm_resp", "");
}

row! {
    status_esme_rok => status(0, 0x000, "ESME_ROK", "ESME_ROK");
    status_esme_rinvmsglen => status(1, 0x001, "ESME_RINVMSGLEN", "ESME_RINVMSGLEN");
    status_esme_rinvcmdlen => status(2, 0x002, "ESME_RINVCMDLEN", "ESME_RINVCMDLEN");
    status_esme_rinvcmdid => status(3, 0x003, "ESME_RINVCMDID", "ESME_RINVCMDID");
    status_esme_rinvbndsts => status(4, 0x004, "ESME_RINVBNDSTS", "ESME_RINVBNDSTS");
    status_esme_ralybnd => status(5, 0x005, "ESME_RALYBND", "ESME_RALYBND");
    status_esme_rinvprtflg => status(6, 0x006, "ESME_RINVPRTFLG", "ESME_RINVPRTFLG");
    status_esme_rinvregdlvflg => status(7, 0x007, "ESME_RINVREGDLVFLG", "ESME_RINVREGDLVFLG");
    status_esme_rsyserr => status(8, 0x008, "ESME_RSYSERR", "ESME_RSYSERR");
    status_esme_rinvsrcadr => status(9, 0x00A, "ESME_RINVSRCADR", "ESME_RINVSRCADR");
    status_esme_rinvdstadr => status(10, 0x00B, "ESME_RINVDSTADR", "ESME_RINVDSTADR");
    status_esme_rinvmsgid => status(11, 0x00C, "ESME_RINVMSGID", "ESME_RINVMSGID");
    status_esme_rbindfail => status(12, 0x00D, "ESME_RBINDFAIL", "ESME_RBINDFAIL");
    status_esme_rinvpaswd => status(13, 0x00E, "ESME_RINVPASWD", "ESME_RINVPASWD");
    status_esme_rinvsysid => status(14, 0x00F, "ESME_RINVSYSID", "ESME_RINVSYSID");
    status_esme_rcancelfail => status(15, 0x011, "ESME_RCANCELFAIL", "ESME_RCANCELFAIL");
    status_esme_rreplacefail => status(16, 0x013, "ESME_RREPLACEFAIL", "ESME_RREPLACEFAIL");
    status_esme_rmsgqful => status(17, 0x014, "ESME_RMSGQFUL", "ESME_RMSGQFUL");
    status_esme_rinvsertyp => status(18, 0x015, "ESME_RINVSERTYP", "ESME_RINVSERTYP");
    status_esme_rinvnumdests => status(19, 0x033, "ESME_RINVNUMDESTS", "ESME_RINVNUMDESTS");
    status_esme_rinvdlname => status(20, 0x034, "ESME_RINVDLNAME", "ESME_RINVDLNAME");
    status_esme_rinvdestflag => status(21, 0x040, "ESME_RINVDESTFLAG", "ESME_RINVDESTFLAG");
    status_esme_rinvsubrep => status(22, 0x042, "ESME_RINVSUBREP", "ESME_RINVSUBREP");
    status_esme_rinvesmclass => status(23, 0x043, "ESME_RINVESMCLASS", "ESME_RINVESMCLASS");
    status_esme_rcntsubdl => status(24, 0x044, "ESME_RCNTSUBDL", "ESME_RCNTSUBDL");
    status_esme_rsubmitfail => status(25, 0x045, "ESME_RSUBMITFAIL", "ESME_RSUBMITFAIL");
    status_esme_rinvsrcton => status(26, 0x048, "ESME_RINVSRCTON", "ESME_RINVSRCTON");
    status_esme_rinvsrcnpi => status(27, 0x049, "ESME_RINVSRCNPI", "ESME_RINVSRCNPI");
    status_esme_rinvdstton => status(28, 0x050, "ESME_RINVDSTTON", "ESME_RINVDSTTON");
    status_esme_rinvdstnpi => status(29, 0x051, "ESME_RINVDSTNPI", "ESME_RINVDSTNPI");
    status_esme_rinvsystyp => status(30, 0x053, "ESME_RINVSYSTYP", "ESME_RINVSYSTYP");
    status_esme_rinvrepflag => status(31, 0x054, "ESME_RINVREPFLAG", "ESME_RINVREPFLAG");
    status_esme_rinvnummsgs => status(32, 0x055, "ESME_RINVNUMMSGS", "ESME_RINVNUMMSGS");
    status_esme_rthrottled => status(33, 0x058, "ESME_RTHROTTLED", "ESME_RTHROTTLED");
    status_esme_rinvsched => status(34, 0x061, "ESME_RINVSCHED", "ESME_RINVSCHED");
    status_esme_rinvexpiry => status(35, 0x062, "ESME_RINVEXPIRY", "ESME_RINVEXPIRY");
    status_esme_rinvdftmsgid => status(36, 0x063, "ESME_RINVDFTMSGID", "ESME_RINVDFTMSGID");
    status_esme_rx_t_appn => status(37, 0x064, "ESME_RX_T_APPN", "ESME_RX_T_APPN");
    status_esme_rx_p_appn => status(38, 0x065, "ESME_RX_P_APPN", "ESME_RX_P_APPN");
    status_esme_rx_r_appn => status(39, 0x066, "ESME_RX_R_APPN", "ESME_RX_R_APPN");
    status_esme_rqueryfail => status(40, 0x067, "ESME_RQUERYFAIL", "ESME_RQUERYFAIL");
    status_esme_rinvtlvstream => status(41, 0x0C0, "ESME_RINVOPTPARSTREAM", "ESME_RINVTLVSTREAM");
    status_esme_rtlvnotallwd => status(42, 0x0C1, "ESME_ROPTPARNOTALLWD", "ESME_RTLVNOTALLWD");
    status_esme_rinvtlvlen => status(43, 0x0C2, "ESME_RINVPARLEN", "ESME_RINVTLVLEN");
    status_esme_rmissingtlv => status(44, 0x0C3, "ESME_RMISSINGOPTPARAM", "ESME_RMISSINGTLV");
    status_esme_rinvtlvval => status(45, 0x0C4, "ESME_RINVOPTPARAMVAL", "ESME_RINVTLVVAL");
    status_esme_rdeliveryfailure => status(46, 0x0FE, "ESME_RDELIVERYFAILURE", "ESME_RDELIVERYFAILURE");
    status_esme_runknownerr => status(47, 0x0FF, "ESME_RUNKNOWNERR", "ESME_RUNKNOWNERR");
    status_esme_rsertypunauth => status(48, 0x100, "ESME_RSERTYPUNAUTH", "ESME_RSERTYPUNAUTH");
    status_esme_rprohibited => status(49, 0x101, "ESME_RPROHIBITED", "ESME_RPROHIBITED");
    status_esme_rsertypunavail => status(50, 0x102, "ESME_RSERTYPUNAVAIL", "ESME_RSERTYPUNAVAIL");
    status_esme_rsertypdenied => status(51, 0x103, "ESME_RSERTYPDENIED", "ESME_RSERTYPDENIED");
    status_esme_rinvdcs => status(52, 0x104, "ESME_RINVDCS", "ESME_RINVDCS");
    status_esme_rinvsrcaddrsubunit => status(53, 0x105, "ESME_RINVSRCADDRSUBUNIT", "ESME_RINVSRCADDRSUBUNIT");
    status_esme_rinvdstaddrsubunit => status(54, 0x106, "ESME_RINVDSTADDRSUBUNIT", "ESME_RINVDSTADDRSUBUNIT");
    status_esme_rinvbcastfreqint => status(55, 0x107, "ESME_RINVBCASTFREQINT", "ESME_RINVBCASTFREQINT");
    status_esme_rinvbcastalias_name => status(56, 0x108, "ESME_RINVBCASTALIAS_NAME", "ESME_RINVBCASTALIAS_NAME");
    status_esme_rinvbcastareafmt => status(57, 0x109, "ESME_RINVBCASTAREAFMT", "ESME_RINVBCASTAREAFMT");
    status_esme_rinvnumbcast_areas => status(58, 0x10A, "ESME_RINVNUMBCAST_AREAS", "ESME_RINVNUMBCAST_AREAS");
    status_esme_rinvbcastcnttype => status(59, 0x10B, "ESME_RINVBCASTCNTTYPE", "ESME_RINVBCASTCNTTYPE");
    status_esme_rinvbcastmsgclass => status(60, 0x10C, "ESME_RINVBCASTMSGCLASS", "ESME_RINVBCASTMSGCLASS");
    status_esme_rbcastfail => status(61, 0x10D, "ESME_RBCASTFAIL", "ESME_RBCASTFAIL");
    status_esme_rbcastqueryfail => status(62, 0x10E, "ESME_RBCASTQUERYFAIL", "ESME_RBCASTQUERYFAIL");
    status_esme_rbcastcancelfail => status(63, 0x10F, "ESME_RBCASTCANCELFAIL", "ESME_RBCASTCANCELFAIL");
    status_esme_rinvbcast_rep => status(64, 0x110, "ESME_RINVBCAST_REP", "ESME_RINVBCAST_REP");
    status_esme_rinvbcastsrvgrp => status(65, 0x111, "ESME_RINVBCASTSRVGRP", "ESME_RINVBCASTSRVGRP");
    status_esme_rinvbcastchanind => status(66, 0x112, "ESME_RINVBCASTCHANIND", "ESME_RINVBCASTCHANIND");
}

row! {
    tlv_dest_addr_subunit => tlv(0, 0x0005, "dest_addr_subunit", &[0x03], TlvValue::DestAddrSubunit(3), Some(2));
    tlv_dest_network_type => tlv(1, 0x0006, "dest_network_type", &[0x01], TlvValue::DestNetworkType(1), Some(2));
    tlv_dest_bearer_type => tlv(2, 0x0007, "dest_bearer_type", &[0x04], TlvValue::DestBearerType(4), Some(0));
    tlv_dest_telematics_id => tlv(3, 0x0008, "dest_telematics_id", &[0x7F, 0x00], TlvValue::DestTelematicsId(0x7F00), Some(1));
    tlv_source_addr_subunit => tlv(4, 0x000D, "source_addr_subunit", &[0x02], TlvValue::SourceAddrSubunit(2), Some(2));
    tlv_source_network_type => tlv(5, 0x000E, "source_network_type", &[0x08], TlvValue::SourceNetworkType(8), Some(2));
    tlv_source_bearer_type => tlv(6, 0x000F, "source_bearer_type", &[0x06], TlvValue::SourceBearerType(6), Some(0));
    tlv_source_telematics_id => tlv(7, 0x0010, "source_telematics_id", &[0x7F], TlvValue::SourceTelematicsId { protocol_id: 0x7F, reserved: None }, Some(3));
    tlv_qos_time_to_live => tlv(8, 0x0017, "qos_time_to_live", &[0, 0, 0x0E, 0x10], TlvValue::QosTimeToLive(3600), Some(2));
    tlv_payload_type => tlv(9, 0x0019, "payload_type", &[0x01], TlvValue::PayloadType(1), Some(2));
    tlv_additional_status_info_text => tlv(10, 0x001D, "additional_status_info_text", b"absent subscriber\0", TlvValue::AdditionalStatusInfoText(b"absent subscriber"), Some(0));
    tlv_receipted_message_id => tlv(11, 0x001E, "receipted_message_id", b"38601fa\0", TlvValue::ReceiptedMessageId(b"38601fa"), Some(66));
    tlv_ms_msg_wait_facilities => tlv(12, 0x0030, "ms_msg_wait_facilities", &[0x81], TlvValue::MsMsgWaitFacilities(0x81), Some(2));
    tlv_privacy_indicator => tlv(13, 0x0201, "privacy_indicator", &[0x02], TlvValue::PrivacyIndicator(2), Some(2));
    tlv_source_subaddress => tlv(14, 0x0202, "source_subaddress", &[0xA0, 1, 2, 3], TlvValue::SourceSubaddress { subaddress_type: 0xA0, subaddress: &[1, 2, 3] }, Some(1));
    tlv_dest_subaddress => tlv(15, 0x0203, "dest_subaddress", &[0x80, 9, 8], TlvValue::DestSubaddress { subaddress_type: 0x80, subaddress: &[9, 8] }, Some(24));
    tlv_user_message_reference => tlv(16, 0x0204, "user_message_reference", &[0x12, 0x34], TlvValue::UserMessageReference(0x1234), Some(1));
    tlv_user_response_code => tlv(17, 0x0205, "user_response_code", &[0x0F], TlvValue::UserResponseCode(15), Some(2));
    tlv_source_port => tlv(18, 0x020A, "source_port", &[0x15, 0x81], TlvValue::SourcePort(0x1581), Some(4));
    tlv_destination_port => tlv(19, 0x020B, "destination_port", &[0x0B, 0x84], TlvValue::DestinationPort(2948), Some(1));
    tlv_sar_msg_ref_num => tlv(20, 0x020C, "sar_msg_ref_num", &[0x00, 0x42], TlvValue::SarMsgRefNum(0x42), Some(1));
    tlv_language_indicator => tlv(21, 0x020D, "language_indicator", &[0x04], TlvValue::LanguageIndicator(4), Some(2));
    tlv_sar_total_segments => tlv(22, 0x020E, "sar_total_segments", &[0x03], TlvValue::SarTotalSegments(3), Some(2));
    tlv_sar_segment_seqnum => tlv(23, 0x020F, "sar_segment_seqnum", &[0x02], TlvValue::SarSegmentSeqnum(2), Some(2));
    tlv_sc_interface_version => tlv(24, 0x0210, "sc_interface_version", &[0x34], TlvValue::ScInterfaceVersion(InterfaceVersion::V34), Some(2));
    tlv_callback_num_pres_ind => tlv(25, 0x0302, "callback_num_pres_ind", &[0x05], TlvValue::CallbackNumPresInd(5), Some(2));
    tlv_callback_num_atag => tlv(26, 0x0303, "callback_num_atag", &[0x00, b'H', b'i'], TlvValue::CallbackNumAtag { data_coding: Some(DataCoding::DEFAULT), display_text: b"Hi" }, Some(66));
    tlv_number_of_messages => tlv(27, 0x0304, "number_of_messages", &[0x63], TlvValue::NumberOfMessages(99), Some(2));
    tlv_callback_num => tlv(28, 0x0381, "callback_num", b"\x01\x01\x0112025550100", TlvValue::CallbackNum { digit_mode: 1, ton: Ton::INTERNATIONAL, npi: Npi::ISDN, number: b"12025550100" }, Some(3));
    tlv_dpf_result => tlv(29, 0x0420, "dpf_result", &[0x01], TlvValue::DpfResult(1), Some(2));
    tlv_set_dpf => tlv(30, 0x0421, "set_dpf", &[0x01], TlvValue::SetDpf(1), Some(2));
    tlv_ms_availability_status => tlv(31, 0x0422, "ms_availability_status", &[0x02], TlvValue::MsAvailabilityStatus(2), Some(2));
    tlv_network_error_code => tlv(32, 0x0423, "network_error_code", &[0x03, 0x00, 0x22], TlvValue::NetworkErrorCode { network_type: 3, error_code: 0x22 }, Some(2));
    tlv_message_payload => tlv(33, 0x0424, "message_payload", b"Hello", TlvValue::MessagePayload(b"Hello"), None);
    tlv_delivery_failure_reason => tlv(34, 0x0425, "delivery_failure_reason", &[0x03], TlvValue::DeliveryFailureReason(3), Some(2));
    tlv_more_messages_to_send => tlv(35, 0x0426, "more_messages_to_send", &[0x01], TlvValue::MoreMessagesToSend(1), Some(2));
    tlv_message_state => tlv(36, 0x0427, "message_state", &[0x02], TlvValue::MessageState(MessageState::DELIVERED), Some(2));
    tlv_congestion_state => tlv(37, 0x0428, "congestion_state", &[0x50], TlvValue::CongestionState(80), Some(2));
    tlv_ussd_service_op => tlv(38, 0x0501, "ussd_service_op", &[0x12], TlvValue::UssdServiceOp(18), Some(2));
    tlv_broadcast_channel_indicator => tlv(39, 0x0600, "broadcast_channel_indicator", &[0x01], TlvValue::BroadcastChannelIndicator(1), Some(2));
    tlv_broadcast_content_type => tlv(40, 0x0601, "broadcast_content_type", &[0x00, 0x00, 0x33], TlvValue::BroadcastContentType { network_type: 0, content_type: 0x33 }, Some(2));
    tlv_broadcast_content_type_info => tlv(41, 0x0602, "broadcast_content_type_info", &[0x01, 0x02], TlvValue::BroadcastContentTypeInfo(&[1, 2]), Some(0));
    tlv_broadcast_message_class => tlv(42, 0x0603, "broadcast_message_class", &[0x03], TlvValue::BroadcastMessageClass(3), Some(2));
    tlv_broadcast_rep_num => tlv(43, 0x0604, "broadcast_rep_num", &[0x00, 0x05], TlvValue::BroadcastRepNum { number: 5, one_octet: false }, Some(3));
    tlv_broadcast_frequency_interval => tlv(44, 0x0605, "broadcast_frequency_interval", &[0x09, 0x00, 0x0F], TlvValue::BroadcastFrequencyInterval { time_unit: 9, number: 15 }, Some(4));
    tlv_broadcast_area_identifier => tlv(45, 0x0606, "broadcast_area_identifier", b"\x00ZONE-A", TlvValue::BroadcastAreaIdentifier { format: 0, area: b"ZONE-A" }, Some(0));
    tlv_broadcast_error_status => tlv(46, 0x0607, "broadcast_error_status", &[0, 0, 0x01, 0x0D], TlvValue::BroadcastErrorStatus(CommandStatus::ESME_RBCASTFAIL), Some(3));
    tlv_broadcast_area_success => tlv(47, 0x0608, "broadcast_area_success", &[0x50], TlvValue::BroadcastAreaSuccess(80), Some(2));
    tlv_broadcast_end_time => tlv(48, 0x0609, "broadcast_end_time", b"250101120000000+\0", TlvValue::BroadcastEndTime(b"250101120000000+"), Some(15));
    tlv_broadcast_service_group => tlv(49, 0x060A, "broadcast_service_group", b"group-7", TlvValue::BroadcastServiceGroup(b"group-7"), Some(0));
    tlv_billing_identification => tlv(50, 0x060B, "billing_identification", &[0x80, 0xAB, 0xCD], TlvValue::BillingIdentification { format: 0x80, data: &[0xAB, 0xCD] }, Some(0));
    tlv_source_network_id => tlv(51, 0x060D, "source_network_id", b"1310260\0", TlvValue::SourceNetworkId(b"1310260"), Some(6));
    tlv_dest_network_id => tlv(52, 0x060E, "dest_network_id", b"3310231.example\0", TlvValue::DestNetworkId(b"3310231.example"), Some(66));
    tlv_source_node_id => tlv(53, 0x060F, "source_node_id", b"123456", TlvValue::SourceNodeId(*b"123456"), Some(5));
    tlv_dest_node_id => tlv(54, 0x0610, "dest_node_id", b"654321", TlvValue::DestNodeId(*b"654321"), Some(7));
    tlv_dest_addr_np_resolution => tlv(55, 0x0611, "dest_addr_np_resolution", &[0x02], TlvValue::DestAddrNpResolution(2), Some(2));
    tlv_dest_addr_np_information => tlv(56, 0x0612, "dest_addr_np_information", b"2125551234", TlvValue::DestAddrNpInformation(*b"2125551234"), Some(9));
    tlv_dest_addr_np_country => tlv(57, 0x0613, "dest_addr_np_country", &[0x00, 0x01], TlvValue::DestAddrNpCountry(&[0, 1]), Some(6));
    tlv_display_time => tlv(58, 0x1201, "display_time", &[0x02], TlvValue::DisplayTime(2), Some(2));
    tlv_sms_signal => tlv(59, 0x1203, "sms_signal", &[0x01, 0x23], TlvValue::SmsSignal(0x0123), Some(3));
    tlv_ms_validity => tlv(60, 0x1204, "ms_validity", &[0x03], TlvValue::MsValidity { behaviour: 3, period: None }, Some(2));
    tlv_alert_on_message_delivery => tlv(61, 0x130C, "alert_on_message_delivery", &[], TlvValue::AlertOnMessageDelivery(None), Some(2));
    tlv_its_reply_type => tlv(62, 0x1380, "its_reply_type", &[0x05], TlvValue::ItsReplyType(5), Some(2));
    tlv_its_session_info => tlv(63, 0x1383, "its_session_info", &[0x05, 0x07], TlvValue::ItsSessionInfo { session_number: 5, sequence_number: 3, end_of_session: true }, Some(3));
}

/// The one tag whose v5.0 name differs from its v3.4 name.
#[test]
fn tlv_dest_port_is_destination_port() {
    assert_eq!(TlvTag::DEST_PORT, TlvTag(0x020B));
    assert_eq!(TlvTag::DEST_PORT.name(), Some("destination_port"));
    // Either name finds the tag; `name` stays the v3.4 one.
    assert_eq!(TlvTag::from_name("dest_port"), Some(TlvTag(0x020B)));
    assert_eq!(TlvTag::from_name("destination_port"), Some(TlvTag(0x020B)));
}

/// The v3.4 names of 0xC0-0xC4 are constants too.
#[test]
fn status_v34_aliases() {
    assert_eq!(CommandStatus::ESME_RINVOPTPARSTREAM, CommandStatus(0xC0));
    assert_eq!(CommandStatus::ESME_ROPTPARNOTALLWD, CommandStatus(0xC1));
    assert_eq!(CommandStatus::ESME_RINVPARLEN, CommandStatus(0xC2));
    assert_eq!(CommandStatus::ESME_RMISSINGOPTPARAM, CommandStatus(0xC3));
    assert_eq!(CommandStatus::ESME_RINVOPTPARAMVAL, CommandStatus(0xC4));
}

/// `ms_validity` also has the four-octet v5.0 form.
#[test]
fn tlv_ms_validity_v50_form() {
    let value = [4, 2, 0, 48];
    let typed = TlvValue::MsValidity {
        behaviour: 4,
        period: Some(MsValidityTime {
            time_unit: 2,
            number: 48,
        }),
    };
    assert_eq!(
        TlvValue::from_tlv(Tlv::new(TlvTag::MS_VALIDITY, &value)),
        typed
    );
    let mut out = [0u8; 4];
    assert_eq!(typed.write_value(&mut out), Ok(4));
    assert_eq!(out, value);
}

/// A TLV region of one TLV with `len` value octets.
fn region_of(tag: u16, len: usize) -> Vec<u8> {
    common::tlv(TlvTag(tag), &vec![0x31; len])
}

/// A range row of tlvs.csv: lengths `lo` and `hi` are accepted, `lo - 1`
/// and `hi + 1` (where a 16-bit length can say them) refused, by the
/// region parser, by encoding's check and by `TlvBuf`.
fn tlv_range(tag: u16, lo: usize, hi: usize) {
    let t = TlvTag(tag);
    assert!(
        t.name().is_some(),
        "{tag:#06x} is a tag of the specification"
    );
    for len in [lo, hi] {
        let region = region_of(tag, len);
        let tlvs = Tlvs::parse(&region).unwrap_or_else(|e| panic!("{tag:#06x} {len}: {e}"));
        assert_eq!(tlvs.iter().next().unwrap().value.len(), len);
        assert_eq!(Tlvs::EMPTY.map(|_| &region[..]).validate(), Ok(()));
        let mut buf = TlvBuf::<65_600>::new();
        buf.push(t, &region[4..]).unwrap();
        assert_eq!(buf.tlvs().as_bytes(), region);
    }
    let below = lo.checked_sub(1);
    let above = (hi < usize::from(u16::MAX)).then_some(hi + 1);
    for len in below.into_iter().chain(above) {
        let region = region_of(tag, len);
        let want = tlv_error(t, TlvProblem::InvalidLength { len });
        assert_eq!(Tlvs::parse(&region).unwrap_err().kind(), want, "{len}");
        assert_eq!(
            Tlvs::EMPTY
                .map(|_| &region[..])
                .validate()
                .unwrap_err()
                .kind(),
            want,
            "{len}"
        );
        let mut buf = TlvBuf::<65_600>::new();
        assert_eq!(buf.push(t, &region[4..]).unwrap_err().kind(), want);
        assert!(buf.tlvs().is_empty());
    }
}

row! {
    tlv_range_additional_status_info_text => tlv_range(0x001D, 1, 256);
    tlv_range_receipted_message_id => tlv_range(0x001E, 1, 65);
    tlv_range_source_subaddress => tlv_range(0x0202, 2, 23);
    tlv_range_dest_subaddress => tlv_range(0x0203, 2, 23);
    tlv_range_callback_num_atag => tlv_range(0x0303, 0, 65);
    tlv_range_callback_num => tlv_range(0x0381, 4, 19);
    tlv_range_message_payload => tlv_range(0x0424, 0, 65535);
    tlv_range_broadcast_content_type_info => tlv_range(0x0602, 1, 255);
    tlv_range_broadcast_area_identifier => tlv_range(0x0606, 1, 101);
    tlv_range_broadcast_service_group => tlv_range(0x060A, 1, 255);
    tlv_range_billing_identification => tlv_range(0x060B, 1, 1024);
    tlv_range_source_network_id => tlv_range(0x060D, 7, 65);
    tlv_range_dest_network_id => tlv_range(0x060E, 7, 65);
    tlv_range_dest_addr_np_country => tlv_range(0x0613, 1, 5);
    tlv_range_alert_on_message_delivery => tlv_range(0x130C, 0, 1);
}

/// The `length` column of tlvs.csv for every tag, as written there; where
/// the notes record implementations that disagree, the second accepted
/// length is given too (`source_telematics_id`, `broadcast_rep_num`,
/// `broadcast_end_time`), and `ms_validity` has its v5.0 form.
const LENGTHS: &[(u16, &str)] = &[
    (0x0005, "1"),
    (0x0006, "1"),
    (0x0007, "1"),
    (0x0008, "2"),
    (0x000D, "1"),
    (0x000E, "1"),
    (0x000F, "1"),
    (0x0010, "1|2"),
    (0x0017, "4"),
    (0x0019, "1"),
    (0x001D, "1-256"),
    (0x001E, "1-65"),
    (0x0030, "1"),
    (0x0201, "1"),
    (0x0202, "2-23"),
    (0x0203, "2-23"),
    (0x0204, "2"),
    (0x0205, "1"),
    (0x020A, "2"),
    (0x020B, "2"),
    (0x020C, "2"),
    (0x020D, "1"),
    (0x020E, "1"),
    (0x020F, "1"),
    (0x0210, "1"),
    (0x0302, "1"),
    (0x0303, "0-65"),
    (0x0304, "1"),
    (0x0381, "4-19"),
    (0x0420, "1"),
    (0x0421, "1"),
    (0x0422, "1"),
    (0x0423, "3"),
    (0x0424, "0-65535"),
    (0x0425, "1"),
    (0x0426, "1"),
    (0x0427, "1"),
    (0x0428, "1"),
    (0x0501, "1"),
    (0x0600, "1"),
    (0x0601, "3"),
    (0x0602, "1-255"),
    (0x0603, "1"),
    (0x0604, "2|1"),
    (0x0605, "3"),
    (0x0606, "1-101"),
    (0x0607, "4"),
    (0x0608, "1"),
    (0x0609, "17|16"),
    (0x060A, "1-255"),
    (0x060B, "1-1024"),
    (0x060D, "7-65"),
    (0x060E, "7-65"),
    (0x060F, "6"),
    (0x0610, "6"),
    (0x0611, "1"),
    (0x0612, "10"),
    (0x0613, "1-5"),
    (0x1201, "1"),
    (0x1203, "2"),
    (0x1204, "1|4"),
    (0x130C, "0-1"),
    (0x1380, "1"),
    (0x1383, "2"),
];

/// Whether a `length` entry of [`LENGTHS`] allows `len` octets.
fn allows(rule: &str, len: usize) -> bool {
    rule.split('|').any(|part| match part.split_once('-') {
        Some((lo, hi)) => (lo.parse().unwrap()..=hi.parse().unwrap()).contains(&len),
        None => part.parse::<usize>().unwrap() == len,
    })
}

/// Every tag of the table, every length from 0 to two past its largest
/// (and 65,535 for `message_payload`): the region parser, the encoding
/// check and `TlvBuf` accept exactly the lengths tlvs.csv allows, and
/// refuse the others with `ESME_RINVTLVLEN` naming the tag and the length.
#[test]
fn every_tag_accepts_exactly_the_lengths_of_its_row() {
    assert_eq!(LENGTHS.len(), TlvTag::ALL.len());
    for (&(tag, rule), &known) in LENGTHS.iter().zip(TlvTag::ALL) {
        assert_eq!(TlvTag(tag), known, "table order");
        let largest = rule
            .split(['|', '-'])
            .map(|n| n.parse::<usize>().unwrap())
            .max()
            .unwrap();
        let lengths: Vec<usize> = if largest == 65_535 {
            vec![0, 1, 2, 255, 256, 65_534, 65_535]
        } else {
            (0..=largest + 2).collect()
        };
        for len in lengths {
            let region = region_of(tag, len);
            let parsed = Tlvs::parse(&region);
            let checked = Tlvs::EMPTY.map(|_| &region[..]).validate();
            let pushed = TlvBuf::<65_600>::new().push(known, &region[4..]);
            if allows(rule, len) {
                assert!(parsed.is_ok(), "{tag:#06x} {len}: {parsed:?}");
                assert_eq!(checked, Ok(()), "{tag:#06x} {len}");
                assert_eq!(pushed, Ok(()), "{tag:#06x} {len}");
            } else {
                let want = tlv_error(known, TlvProblem::InvalidLength { len });
                for err in [
                    parsed.unwrap_err(),
                    checked.unwrap_err(),
                    pushed.unwrap_err(),
                ] {
                    assert_eq!(err.kind(), want, "{tag:#06x} {len}");
                    assert_eq!(err.command_status(), CommandStatus::ESME_RINVTLVLEN);
                }
            }
        }
    }
}

/// Values the tables do not name are kept as they are: no name, no lookup,
/// printed in hex, and the named values around them unchanged.
#[test]
fn unnamed_values_are_kept_open() {
    for value in [
        0x0000_000A,
        0x0000_0010,
        0x0000_0114,
        0x8000_0114,
        0x0001_0200,
    ] {
        let id = CommandId(value);
        assert_eq!(id.name(), None);
        assert!(!CommandId::ALL.contains(&id));
        assert_eq!(format!("{id:?}"), format!("CommandId({value:#x})"));
        assert_eq!(u32::from(id), value);
    }
    for value in [0x0009, 0x0016, 0x00C5, 0x0113, 0x0400, 0x04FF, 0x0500] {
        let status = CommandStatus(value);
        assert_eq!((status.name(), status.name_v34()), (None, None));
        assert!(!CommandStatus::ALL.contains(&status));
        assert_eq!(
            status.is_vendor_specific(),
            (0x400..=0x4FF).contains(&value)
        );
        assert_eq!(format!("{status}"), format!("CommandStatus({value:#x})"));
    }
    for value in [0x0000, 0x0001, 0x060C, 0x1400, 0x3FFF, 0x4000, 0xFFFF] {
        let tag = TlvTag(value);
        assert_eq!(tag.name(), None);
        assert!(!TlvTag::ALL.contains(&tag));
        assert_eq!(tag.is_vendor_specific(), (0x1400..=0x3FFF).contains(&value));
        assert_eq!(format!("{tag:?}"), format!("TlvTag({value:#x})"));
    }
    // Lookups are by the exact name.
    assert_eq!(CommandId::from_name("SUBMIT_SM"), None);
    assert_eq!(
        CommandId::from_name("submit_sm"),
        Some(CommandId::SUBMIT_SM)
    );
    assert_eq!(CommandStatus::from_name("esme_rok"), None);
    assert_eq!(TlvTag::from_name("Message_Payload"), None);
    assert_eq!(TlvTag::from_name(""), None);
}

/// Which codes of the status table are throttling and which temporary: the
/// throttling ones are `ESME_RTHROTTLED` and `ESME_RMSGQFUL`; the retryable
/// ones add the MC's system error, the ESME's temporary application error
/// and v5.0's service outage. Every other row, and codes outside the table,
/// are neither.
#[test]
fn throttling_and_retryable_statuses() {
    let throttling = ["ESME_RMSGQFUL", "ESME_RTHROTTLED"];
    let retryable = [
        "ESME_RSYSERR",
        "ESME_RMSGQFUL",
        "ESME_RTHROTTLED",
        "ESME_RX_T_APPN",
        "ESME_RSERTYPUNAVAIL",
    ];
    for &status in CommandStatus::ALL {
        let name = status.name().unwrap();
        assert_eq!(status.is_throttling(), throttling.contains(&name), "{name}");
        assert_eq!(status.is_retryable(), retryable.contains(&name), "{name}");
        // Throttling is a kind of temporary failure.
        assert!(!status.is_throttling() || status.is_retryable(), "{name}");
    }
    for value in [
        0x09,
        0x56,
        0x57,
        0x59,
        0x60,
        0x113,
        0x3FF,
        0x400,
        0x458,
        0x4FF,
        0xFFFF_FFFF,
    ] {
        let status = CommandStatus(value);
        assert!(
            !status.is_throttling() && !status.is_retryable(),
            "{value:#x}"
        );
    }
}
