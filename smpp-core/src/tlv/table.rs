//! The TLV table of SMPP v3.4 (5.3.2) and v5.0 (4.8, Table 4-60): one row
//! per tag, from which [`TlvTag`], the length rules, [`TlvValue`], the
//! placement of [`TlvTag::allowed_in`], the JSON value types of
//! `smppdump` (in `smpp-tools`) and the typed TLV setters of the smpp-std builders are derived.
//!
//! A row reads: the tag's constant, its value and its name (and the name
//! the other version gives it), the length rule of its value, the PDUs that
//! may carry it in v3.4 and v5.0, its JSON type, the codec of its value
//! and the [`TlvValue`] variant the codec reads into, and `setter` where
//! the builders have a setter named after the tag. The rows' documentation
//! is the variant's.
//!
//! Where implementations disagree with the specification the length rule
//! accepts both (`source_telematics_id` 1 or 2 octets, `broadcast_rep_num`
//! 1 or 2, `broadcast_end_time` 16 or 17).
//!
//! Value fields of type `octets` are `&'a [u8]`.

/// Hands the TLV table, one row per tag, to the macro `$callback`.
#[doc(hidden)]
#[macro_export]
macro_rules! __tlv_table {
    ($callback:ident) => {
        $callback! {
            /// 0 unknown, 1 MS display, 2 mobile equipment, 3 smart card 1,
            /// 4 external unit 1.
            DEST_ADDR_SUBUNIT = 0x0005, dest_addr_subunit, Exact(1),
                in since_v34(SUBMISSION, DELIVER_SM | BROADCAST_SM), json Int(1),
                Int<u8> => DestAddrSubunit(value: u8);
            /// 0 unknown, 1 GSM, 2 ANSI-136/TDMA, 3 IS-95/CDMA, 4 PDC, 5 PHS,
            /// 6 iDEN, 7 AMPS, 8 paging network.
            DEST_NETWORK_TYPE = 0x0006, dest_network_type, Exact(1),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(1),
                Int<u8> => DestNetworkType(value: u8);
            /// 0 unknown, 1 SMS, 2 CSD, 3 packet data, 4 USSD, 5 CDPD,
            /// 6 `DataTAC`, 7 FLEX/ReFLEX, 8 cell broadcast.
            DEST_BEARER_TYPE = 0x0007, dest_bearer_type, Exact(1),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(1),
                Int<u8> => DestBearerType(value: u8);
            /// Integer2; in v5.0 octet 1 is the GSM protocol id, octet 2
            /// reserved.
            DEST_TELEMATICS_ID = 0x0008, dest_telematics_id, Exact(2),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(2),
                Int<u16> => DestTelematicsId(value: u16);
            /// Values as `dest_addr_subunit`.
            SOURCE_ADDR_SUBUNIT = 0x000D, source_addr_subunit, Exact(1),
                in since_v34(SUBMISSION, DELIVER_SM | BROADCAST_SM), json Int(1),
                Int<u8> => SourceAddrSubunit(value: u8);
            /// Values as `dest_network_type`.
            SOURCE_NETWORK_TYPE = 0x000E, source_network_type, Exact(1),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(1),
                Int<u8> => SourceNetworkType(value: u8);
            /// Values as `dest_bearer_type`.
            SOURCE_BEARER_TYPE = 0x000F, source_bearer_type, Exact(1),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(1),
                Int<u8> => SourceBearerType(value: u8);
            /// One octet in the specification; some implementations send two
            /// (as `dest_telematics_id`). Both decode; the second octet, when
            /// present, is kept in `reserved` and re-encoded.
            SOURCE_TELEMATICS_ID = 0x0010, source_telematics_id, Either(1, 2),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(1),
                Telematics => SourceTelematicsId {
                    /// Octet 1: the telematics interface (GSM protocol id).
                    protocol_id: u8,
                    /// Octet 2 of the two-octet form; `None` for the one-octet
                    /// form the specification defines.
                    reserved: Option<u8>,
                };
            /// Seconds the MC keeps an undelivered message.
            QOS_TIME_TO_LIVE = 0x0017, qos_time_to_live, Exact(4),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(4),
                Int<u32> => QosTimeToLive(value: u32);
            /// 0 default (WDP), 1 WCMP.
            PAYLOAD_TYPE = 0x0019, payload_type, Exact(1),
                in since_v34(MESSAGES, BROADCAST_SM), json Int(1),
                Int<u8> => PayloadType(value: u8), setter;
            /// Diagnostic text, without NUL (at most 255 characters).
            ADDITIONAL_STATUS_INFO_TEXT = 0x001D, additional_status_info_text, Range(1, 256),
                in since_v34(DATA_SM_RESP, SUBMIT_SM_RESP | SUBMIT_MULTI_RESP | DELIVER_SM_RESP),
                json Cstr,
                CStr => AdditionalStatusInfoText(text: octets), setter;
            /// The MC message id a receipt refers to, without NUL (at most 64
            /// characters).
            RECEIPTED_MESSAGE_ID = 0x001E, receipted_message_id, Range(1, 65),
                in since_v34(DATA_SM | DELIVER_SM, 0), json Cstr,
                CStr => ReceiptedMessageId(id: octets), setter;
            /// Bit 7 indicator active, bits 1-0 type (0 voicemail, 1 fax,
            /// 2 e-mail, 3 other).
            MS_MSG_WAIT_FACILITIES = 0x0030, ms_msg_wait_facilities, Exact(1),
                in since_v34(SUBMISSION, 0), json Int(1),
                Int<u8> => MsMsgWaitFacilities(value: u8);
            /// 0 not restricted, 1 restricted, 2 confidential, 3 secret.
            PRIVACY_INDICATOR = 0x0201, privacy_indicator, Exact(1),
                in since_v34(MESSAGES, BROADCAST_SM), json Int(1),
                Int<u8> => PrivacyIndicator(value: u8);
            /// The subaddress of the source.
            SOURCE_SUBADDRESS = 0x0202, source_subaddress, Range(2, 23),
                in since_v34(MESSAGES, BROADCAST_SM), json Octets,
                IntOctets => SourceSubaddress {
                    /// Octet 1: 0x80 NSAP (even), 0x88 NSAP (odd), 0xA0 user
                    /// specified.
                    subaddress_type: u8,
                    /// The subaddress (1 to 22 octets).
                    subaddress: octets,
                };
            /// The subaddress of the destination, encoded as
            /// `source_subaddress` (v5.0 4.8.4.28: no longer in
            /// `submit_multi`).
            DEST_SUBADDRESS = 0x0203, dest_subaddress, Range(2, 23),
                in (MESSAGES, (MESSAGES & !SUBMIT_MULTI) | BROADCAST_SM), json Octets,
                IntOctets => DestSubaddress {
                    /// Octet 1: 0x80 NSAP (even), 0x88 NSAP (odd), 0xA0 user
                    /// specified.
                    subaddress_type: u8,
                    /// The subaddress (1 to 22 octets).
                    subaddress: octets,
                };
            /// An ESME-assigned reference.
            USER_MESSAGE_REFERENCE = 0x0204, user_message_reference, Exact(2),
                in since_v34(
                    MESSAGES,
                    BROADCAST_SM | QUERY_BROADCAST_SM | QUERY_BROADCAST_SM_RESP | CANCEL_BROADCAST_SM
                ),
                json Int(2),
                Int<u16> => UserMessageReference(reference: u16), setter;
            /// Application specific.
            USER_RESPONSE_CODE = 0x0205, user_response_code, Exact(1),
                in since_v34(SUBMIT_SM | DATA_SM | DELIVER_SM, SUBMIT_MULTI), json Int(1),
                Int<u8> => UserResponseCode(value: u8);
            /// Application port of the source.
            SOURCE_PORT = 0x020A, source_port, Exact(2),
                in since_v34(MESSAGES, BROADCAST_SM), json Int(2),
                Int<u16> => SourcePort(port: u16), setter;
            /// Application port of the destination (`dest_port` in v5.0).
            DESTINATION_PORT = 0x020B, destination_port | dest_port, Exact(2),
                in since_v34(MESSAGES, BROADCAST_SM), json Int(2),
                Int<u16> => DestinationPort(port: u16), setter;
            /// Concatenation reference.
            SAR_MSG_REF_NUM = 0x020C, sar_msg_ref_num, Exact(2),
                in since_v34(MESSAGES, 0), json Int(2),
                Int<u16> => SarMsgRefNum(value: u16);
            /// 0 unspecified, 1 English, 2 French, 3 Spanish, 4 German,
            /// 5 Portuguese.
            LANGUAGE_INDICATOR = 0x020D, language_indicator, Exact(1),
                in since_v34(MESSAGES, BROADCAST_SM), json Int(1),
                Int<u8> => LanguageIndicator(value: u8);
            /// Number of segments.
            SAR_TOTAL_SEGMENTS = 0x020E, sar_total_segments, Exact(1),
                in since_v34(MESSAGES, 0), json Int(1),
                Int<u8> => SarTotalSegments(value: u8);
            /// This segment's number, from 1.
            SAR_SEGMENT_SEQNUM = 0x020F, sar_segment_seqnum, Exact(1),
                in since_v34(MESSAGES, 0), json Int(1),
                Int<u8> => SarSegmentSeqnum(value: u8);
            /// The SMPP version the MC supports (bind responses).
            SC_INTERFACE_VERSION = 0x0210, sc_interface_version, Exact(1),
                in since_v34(BIND_RESPS, 0), json Int(1),
                Int<InterfaceVersion> => ScInterfaceVersion(version: InterfaceVersion), setter;
            /// Bits 3-2 presentation, bits 1-0 screening.
            CALLBACK_NUM_PRES_IND = 0x0302, callback_num_pres_ind, Exact(1),
                in since_v34(SUBMISSION, DELIVER_SM | BROADCAST_SM), json Int(1),
                Int<u8> => CallbackNumPresInd(value: u8);
            /// The display text of a callback number.
            CALLBACK_NUM_ATAG = 0x0303, callback_num_atag, Range(0, 65),
                in since_v34(SUBMISSION, DELIVER_SM | BROADCAST_SM), json Octets,
                Atag => CallbackNumAtag {
                    /// Octet 1: the coding of `display_text`. `None` only for
                    /// the empty value (length 0).
                    data_coding: Option<DataCoding>,
                    /// The alphanumeric tag (at most 64 octets); empty when
                    /// `data_coding` is `None`.
                    display_text: octets,
                };
            /// Messages waiting, 0-99.
            NUMBER_OF_MESSAGES = 0x0304, number_of_messages, Exact(1),
                in since_v34(SUBMIT_SM | DATA_SM, SUBMIT_MULTI), json Int(1),
                Int<u8> => NumberOfMessages(value: u8);
            /// A callback number: digit mode, TON, NPI, digits.
            CALLBACK_NUM = 0x0381, callback_num, Range(4, 19),
                in since_v34(MESSAGES, BROADCAST_SM), json CallbackNum,
                CallbackNumber => CallbackNum {
                    /// Octet 1: bit 0 set for ASCII digits, clear for TBCD/DTMF.
                    digit_mode: u8,
                    /// Octet 2: type of number.
                    ton: Ton,
                    /// Octet 3: numbering plan.
                    npi: Npi,
                    /// The number (1 to 16 octets).
                    number: octets,
                }, setter;
            /// 0 DPF not set, 1 DPF set.
            DPF_RESULT = 0x0420, dpf_result, Exact(1),
                in since_v34(
                    DATA_SM_RESP,
                    SUBMIT_SM_RESP | SUBMIT_MULTI_RESP | DATA_SM | DELIVER_SM
                ),
                json Int(1),
                Int<u8> => DpfResult(value: u8), setter;
            /// 0 not requested, 1 requested.
            SET_DPF = 0x0421, set_dpf, Exact(1),
                in since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI), json Int(1),
                Int<u8> => SetDpf(value: u8), setter;
            /// 0 available, 1 denied, 2 unavailable (`alert_notification`).
            MS_AVAILABILITY_STATUS = 0x0422, ms_availability_status, Exact(1),
                in since_v34(ALERT_NOTIFICATION, 0), json Int(1),
                Int<u8> => MsAvailabilityStatus(value: u8), setter;
            /// Why the network failed to deliver.
            NETWORK_ERROR_CODE = 0x0423, network_error_code, Exact(3),
                in since_v34(
                    DATA_SM | DATA_SM_RESP | DELIVER_SM,
                    SUBMIT_SM_RESP | SUBMIT_MULTI_RESP | DELIVER_SM_RESP
                ),
                json NetworkErrorCode,
                IntInt => NetworkErrorCode {
                    /// Octet 1: 1 ANSI-136, 2 IS-95, 3 GSM, 4 ANSI-136 cause,
                    /// 5 IS-95 cause, 6 ANSI-41, 7 SMPP, 8 MC specific.
                    network_type: u8,
                    /// Octets 2-3: the error code.
                    error_code: u16,
                }, setter;
            /// The user data, up to 65535 octets, instead of `short_message`
            /// (the two are mutually exclusive).
            MESSAGE_PAYLOAD = 0x0424, message_payload, Range(0, 65535),
                in since_v34(MESSAGES, REPLACE_SM | BROADCAST_SM), json Octets,
                Octets => MessagePayload(payload: octets), setter;
            /// 0 destination unavailable, 1 destination address invalid,
            /// 2 permanent network error, 3 temporary network error.
            DELIVERY_FAILURE_REASON = 0x0425, delivery_failure_reason, Exact(1),
                in since_v34(DATA_SM_RESP, SUBMIT_SM_RESP | SUBMIT_MULTI_RESP | DELIVER_SM_RESP),
                json Int(1),
                Int<u8> => DeliveryFailureReason(reason: u8), setter;
            /// 0 no, 1 more follow.
            MORE_MESSAGES_TO_SEND = 0x0426, more_messages_to_send, Exact(1),
                in since_v34(SUBMIT_SM | DATA_SM, SUBMIT_MULTI), json Int(1),
                Int<u8> => MoreMessagesToSend(value: u8);
            /// The message's state in a receipt (and in
            /// `query_broadcast_sm_resp`).
            MESSAGE_STATE = 0x0427, message_state, Exact(1),
                in since_v34(DATA_SM | DELIVER_SM, QUERY_BROADCAST_SM_RESP), json Int(1),
                Int<MessageState> => MessageState(state: MessageState), setter;
            /// v5.0, any response: 0 idle to 100 congested.
            CONGESTION_STATE = 0x0428, congestion_state, Exact(1),
                in from_v50(ANY_RESPONSE), json Int(1),
                Int<u8> => CongestionState(value: u8);
            /// The USSD operation.
            USSD_SERVICE_OP = 0x0501, ussd_service_op, Exact(1),
                in since_v34(SUBMIT_SM, SUBMIT_MULTI | DATA_SM | DELIVER_SM), json Int(1),
                Int<u8> => UssdServiceOp(value: u8);
            /// 0 basic, 1 extended.
            BROADCAST_CHANNEL_INDICATOR = 0x0600, broadcast_channel_indicator, Exact(1),
                in from_v50(BROADCAST_SM), json Int(1),
                Int<u8> => BroadcastChannelIndicator(value: u8);
            /// The broadcast's content type.
            BROADCAST_CONTENT_TYPE = 0x0601, broadcast_content_type, Exact(3),
                in from_v50(BROADCAST_SM | CANCEL_BROADCAST_SM), json BroadcastContentType,
                IntInt => BroadcastContentType {
                    /// Octet 1: 0 generic, 1 GSM, 2 TDMA, 3 CDMA.
                    network_type: u8,
                    /// Octets 2-3: the content type.
                    content_type: u16,
                }, setter;
            /// Free format, 1-255 octets.
            BROADCAST_CONTENT_TYPE_INFO = 0x0602, broadcast_content_type_info, Range(1, 255),
                in from_v50(BROADCAST_SM), json Octets,
                Octets => BroadcastContentTypeInfo(value: octets);
            /// 0 no class, 1-3 class 1-3.
            BROADCAST_MESSAGE_CLASS = 0x0603, broadcast_message_class, Exact(1),
                in from_v50(BROADCAST_SM), json Int(1),
                Int<u8> => BroadcastMessageClass(value: u8);
            /// Repetitions, 0 = indefinitely. Two octets in the
            /// specification; the one-octet form some implementations send
            /// decodes with `one_octet` set and re-encodes the same way.
            BROADCAST_REP_NUM = 0x0604, broadcast_rep_num, Either(1, 2),
                in from_v50(BROADCAST_SM), json Int(2),
                RepNum => BroadcastRepNum {
                    /// The number of repetitions.
                    number: u16,
                    /// True for the one-octet form (then `number` is at most
                    /// 255).
                    one_octet: bool,
                };
            /// How often a broadcast repeats.
            BROADCAST_FREQUENCY_INTERVAL = 0x0605, broadcast_frequency_interval, Exact(3),
                in from_v50(BROADCAST_SM), json FrequencyInterval,
                IntInt => BroadcastFrequencyInterval {
                    /// Octet 1: 0x00 as often as possible, 0x08 seconds,
                    /// 0x09 minutes, 0x0A hours, 0x0B days, 0x0C weeks,
                    /// 0x0D months, 0x0E years.
                    time_unit: u8,
                    /// Octets 2-3: number of units.
                    number: u16,
                }, setter;
            /// A broadcast area (also the failed areas of
            /// `broadcast_sm_resp`); repeatable.
            BROADCAST_AREA_IDENTIFIER = 0x0606, broadcast_area_identifier, Range(1, 101),
                in from_v50(BROADCAST_SM | BROADCAST_SM_RESP | QUERY_BROADCAST_SM_RESP),
                json AreaIdentifier,
                IntOctets => BroadcastAreaIdentifier {
                    /// Octet 1: 0 alias/name, 1 ellipsoid arc, 2 polygon.
                    format: u8,
                    /// The area (at most 100 octets).
                    area: octets,
                }, setter;
            /// Why a broadcast area failed.
            BROADCAST_ERROR_STATUS = 0x0607, broadcast_error_status, Exact(4),
                in from_v50(BROADCAST_SM_RESP), json Int(4),
                Int<CommandStatus> => BroadcastErrorStatus(value: CommandStatus);
            /// Percentage 0-100, 255 unknown (`query_broadcast_sm_resp`).
            BROADCAST_AREA_SUCCESS = 0x0608, broadcast_area_success, Exact(1),
                in from_v50(QUERY_BROADCAST_SM_RESP), json Int(1),
                Int<u8> => BroadcastAreaSuccess(percent: u8), setter;
            /// Absolute SMPP time, the 16 characters without NUL.
            BROADCAST_END_TIME = 0x0609, broadcast_end_time, Either(16, 17),
                in from_v50(QUERY_BROADCAST_SM_RESP), json Cstr,
                AbsoluteTime => BroadcastEndTime(time: octets);
            /// Free format, 1-255 octets.
            BROADCAST_SERVICE_GROUP = 0x060A, broadcast_service_group, Range(1, 255),
                in from_v50(BROADCAST_SM), json Octets,
                Octets => BroadcastServiceGroup(value: octets);
            /// Billing data.
            BILLING_IDENTIFICATION = 0x060B, billing_identification, Range(1, 1024),
                in from_v50(SUBMISSION), json Octets,
                IntOctets => BillingIdentification {
                    /// Octet 1: billing format (0x80-0xFF vendor specific).
                    format: u8,
                    /// The billing data (at most 1023 octets).
                    data: octets,
                };
            /// Network identity, without NUL (6 to 64 characters).
            SOURCE_NETWORK_ID = 0x060D, source_network_id, Range(7, 65),
                in from_v50(MESSAGES), json Cstr,
                CStr => SourceNetworkId(id: octets);
            /// Network identity, without NUL (6 to 64 characters).
            DEST_NETWORK_ID = 0x060E, dest_network_id, Range(7, 65),
                in from_v50(MESSAGES), json Cstr,
                CStr => DestNetworkId(id: octets);
            /// Six decimal digits.
            SOURCE_NODE_ID = 0x060F, source_node_id, Exact(6),
                in from_v50(MESSAGES), json Text,
                Array<6> => SourceNodeId(id: [u8; 6]);
            /// Six decimal digits.
            DEST_NODE_ID = 0x0610, dest_node_id, Exact(6),
                in from_v50(MESSAGES), json Text,
                Array<6> => DestNodeId(id: [u8; 6]);
            /// 0 no query, 1 not ported, 2 ported.
            DEST_ADDR_NP_RESOLUTION = 0x0611, dest_addr_np_resolution, Exact(1),
                in from_v50(MESSAGES), json Int(1),
                Int<u8> => DestAddrNpResolution(value: u8);
            /// Number portability data (the LRN in the US).
            DEST_ADDR_NP_INFORMATION = 0x0612, dest_addr_np_information, Exact(10),
                in from_v50(MESSAGES), json Octets,
                Array<10> => DestAddrNpInformation(value: [u8; 10]);
            /// E.164 country code, 1-5 octets kept as they are (the
            /// specification does not say how they are coded).
            DEST_ADDR_NP_COUNTRY = 0x0613, dest_addr_np_country, Range(1, 5),
                in from_v50(MESSAGES), json VarInt,
                Octets => DestAddrNpCountry(value: octets);
            /// 0 temporary, 1 default, 2 invoke.
            DISPLAY_TIME = 0x1201, display_time, Exact(1),
                in since_v34(SUBMISSION, BROADCAST_SM), json Int(1),
                Int<u8> => DisplayTime(value: u8);
            /// Alert tone information (CMT-136).
            SMS_SIGNAL = 0x1203, sms_signal, Exact(2),
                in since_v34(SUBMISSION, BROADCAST_SM), json Int(2),
                Int<u16> => SmsSignal(value: u16);
            /// One octet (v3.4) or four (v5.0).
            MS_VALIDITY = 0x1204, ms_validity, Either(1, 4),
                in since_v34(SUBMISSION, BROADCAST_SM), json MsValidity,
                Validity => MsValidity {
                    /// Octet 1: 0 store indefinitely, 1 power down, 2 until
                    /// the registration area changes, 3 display only,
                    /// 4 relative period.
                    behaviour: u8,
                    /// Octets 2-4 of the v5.0 form.
                    period: Option<MsValidityTime>,
                };
            /// No value (v3.4) or one octet (v5.0: 0 default alert, 1 low,
            /// 2 medium, 3 high priority).
            ALERT_ON_MESSAGE_DELIVERY = 0x130C, alert_on_message_delivery, Range(0, 1),
                in since_v34(SUBMISSION, BROADCAST_SM), json AlertOnDelivery,
                OptionalInt => AlertOnMessageDelivery(value: Option<u8>);
            /// 0 digit, 1 number, 2 telephone number, 3 password,
            /// 4 character line, 5 menu, 6 date, 7 time, 8 continue.
            ITS_REPLY_TYPE = 0x1380, its_reply_type, Exact(1),
                in since_v34(SUBMIT_SM | DATA_SM, SUBMIT_MULTI | DELIVER_SM), json Int(1),
                Int<u8> => ItsReplyType(value: u8);
            /// An interactive session: its number, the message's sequence
            /// number (0-127) and the end-of-session flag.
            ITS_SESSION_INFO = 0x1383, its_session_info, Exact(2),
                in since_v34(SUBMIT_SM | DATA_SM | DELIVER_SM, SUBMIT_MULTI),
                json ItsSessionInfo,
                ItsSession => ItsSessionInfo {
                    /// Octet 1: the session number.
                    session_number: u8,
                    /// Octet 2, bits 7-1: the sequence number (0-127).
                    sequence_number: u8,
                    /// Octet 2, bit 0: the session ends.
                    end_of_session: bool,
                }, setter;
        }
    };
}

use super::placement::{
    ALERT_NOTIFICATION, ANY_RESPONSE, BIND_RESPS, BROADCAST_SM, BROADCAST_SM_RESP,
    CANCEL_BROADCAST_SM, DATA_SM, DATA_SM_RESP, DELIVER_SM, DELIVER_SM_RESP, MESSAGES,
    QUERY_BROADCAST_SM, QUERY_BROADCAST_SM_RESP, REPLACE_SM, SUBMISSION, SUBMIT_MULTI,
    SUBMIT_MULTI_RESP, SUBMIT_SM, SUBMIT_SM_RESP, from_v50, since_v34,
};
use super::value::{
    AbsoluteTime, Array, Atag, CStr, CallbackNumber, Codec, Int, IntInt, IntOctets, ItsSession,
    Layout, MsValidityTime, Octets, OptionalInt, RepNum, Telematics, Validity,
};
use super::{LenRule, Tlv, len_rule};
use crate::command_status::CommandStatus;
use crate::values::{DataCoding, InterfaceVersion, MessageState, Npi, Ton};

/// The type of a value field in the table (`octets` for octet strings).
macro_rules! field_ty {
    (octets) => {
        &'a [u8]
    };
    ($ty:tt $(<$arg:tt>)?) => {
        $ty $(<$arg>)?
    };
}

/// Defines, from the rows of the table, [`TlvTag`] and its constants, the
/// length rules, the placement and [`TlvValue`] with the
/// code that reads and lays out each variant.
macro_rules! tlv_items {
    ($(
        $(#[$doc:meta])*
        $konst:ident = $value:literal, $name:ident $(| $alias:ident)?, $rule:expr,
        in $placement:expr, json $json:ident $(($width:literal))?,
        $codec:ty => $variant:ident
            $( ( $one:ident : $one_ty:tt $(<$one_arg:tt>)? ) )?
            $( { $( $(#[$field_doc:meta])* $field:ident : $field_ty:tt $(<$field_arg:tt>)? ),* $(,)? } )?
        $(, $setter:ident)?;
    )*) => {
        open_enum! {
            /// A TLV tag. Open: vendor tags (0x1400-0x3FFF) and unknown tags
            /// are kept.
            pub struct TlvTag(u16);
            $( $konst = $value, $name $(| $alias)?; )*
        }

        /// The length rule of a tag's value, as the specification writes it;
        /// `None` for tags it does not define.
        pub(super) const fn spec_len_rule(tag: u16) -> Option<LenRule> {
            use LenRule::{Either, Exact, Range};
            match tag {
                $( $value => Some($rule), )*
                _ => None,
            }
        }

        /// The PDUs (bit masks) a tag may appear in, in v3.4 and in v5.0;
        /// `None` for tags the specification does not define.
        pub(super) const fn placement(tag: TlvTag) -> Option<(u64, u64)> {
            match tag.0 {
                $( $value => Some($placement), )*
                _ => None,
            }
        }

        /// A TLV value, typed by its tag's definition in SMPP v3.4 / v5.0.
        ///
        /// Every tag of the specification has its own variant, named after
        /// the tag (the v3.4 spelling where the versions differ:
        /// `DestinationPort` for 0x020B, which v5.0 calls `dest_port`). Tags
        /// this codec does not know, vendor tags, and known tags whose
        /// length or value breaks their rule are [`TlvValue::Unknown`], so
        /// [`TlvValue::from_tlv`] never fails and never loses octets.
        ///
        /// # Encoding
        ///
        /// [`TlvValue::write_value`] writes the value octets,
        /// [`TlvValue::emit`] the whole TLV, and
        /// [`crate::TlvBuf::push_value`] appends it to a TLV region. A value
        /// typed by `from_tlv` re-encodes to exactly the octets it came
        /// from, with two documented exceptions where the specification asks
        /// for a canonical form: a C-Octet String TLV whose NUL a lenient
        /// peer left out gains its NUL, and so does a 16-octet
        /// `broadcast_end_time`.
        ///
        /// # C-Octet Strings
        ///
        /// `additional_status_info_text`, `receipted_message_id`,
        /// `broadcast_end_time`, `source_network_id` and `dest_network_id`
        /// hold the characters without the NUL. Decoding also accepts a
        /// value without NUL (the TLV length bounds it) as long as the value
        /// with a NUL still fits the tag's length rule; a value with a NUL
        /// before its last octet is `Unknown`.
        ///
        /// ```
        /// use smpp_core::{Tlv, TlvTag, TlvValue};
        ///
        /// // network_error_code: GSM (3), error 0x0022.
        /// let tlv = Tlv::new(TlvTag::NETWORK_ERROR_CODE, &[3, 0x00, 0x22]);
        /// let value = TlvValue::from_tlv(tlv);
        /// assert_eq!(
        ///     value,
        ///     TlvValue::NetworkErrorCode { network_type: 3, error_code: 0x22 }
        /// );
        /// assert_eq!(value.tag(), TlvTag::NETWORK_ERROR_CODE);
        ///
        /// // Encode it back: tag, length, value.
        /// let mut out = [0u8; 7];
        /// assert_eq!(value.emit(&mut out), Ok(7));
        /// assert_eq!(out, [0x04, 0x23, 0, 3, 3, 0x00, 0x22]);
        ///
        /// // A receipted_message_id holds the characters without the NUL.
        /// let id = TlvValue::from_tlv(Tlv::new(TlvTag::RECEIPTED_MESSAGE_ID, b"38601fa\0"));
        /// assert_eq!(id, TlvValue::ReceiptedMessageId(b"38601fa"));
        /// assert_eq!(id.encoded_value_len(), 8);
        ///
        /// // A length its rule forbids leaves the TLV untyped.
        /// let odd = TlvValue::from_tlv(Tlv::new(TlvTag::SAR_MSG_REF_NUM, &[1, 2, 3]));
        /// assert_eq!(odd, TlvValue::Unknown(TlvTag::SAR_MSG_REF_NUM, &[1, 2, 3]));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum TlvValue<'a> {
            $(
                #[doc = concat!("`", stringify!($name), "` (", stringify!($value), "):")]
                $(#[$doc])*
                $variant
                    $( (field_ty!($one_ty $(<$one_arg>)?)) )?
                    $( { $( $(#[$field_doc])* $field: field_ty!($field_ty $(<$field_arg>)?), )* } )?,
            )*
            /// A tag this codec does not type (unknown or vendor), or a known
            /// tag whose value breaks its rule; the raw value octets.
            Unknown(TlvTag, &'a [u8]),
        }

        impl<'a> TlvValue<'a> {
            /// Reads the value of a TLV of a tag the table defines, whose
            /// length its rule allows; `None` otherwise.
            pub(super) fn typed(tlv: Tlv<'a>) -> Option<Self> {
                let v = tlv.value;
                let rule = len_rule(tlv.tag)?;
                if !rule.allows(v.len()) {
                    return None;
                }
                Some(match tlv.tag {
                    $(
                        TlvTag::$konst => {
                            let value = <$codec as Codec<'a>>::read(v, rule)?;
                            $( let $one = value; Self::$variant($one) )?
                            $( let ($($field,)*) = value; Self::$variant { $($field),* } )?
                        }
                    )*
                    _ => return None,
                })
            }

            /// The tag of this value.
            pub const fn tag(&self) -> TlvTag {
                match *self {
                    $( Self::$variant { .. } => TlvTag::$konst, )*
                    Self::Unknown(tag, _) => tag,
                }
            }

            /// The wire layout of the value, and whether it keeps the rules
            /// of its codec beyond the length (checked when encoding).
            pub(super) fn layout(&self) -> (Layout<'a>, bool) {
                match *self {
                    $(
                        Self::$variant $( ($one) )? $( { $($field),* } )? => {
                            let value = $( $one )? $( ($($field,)*) )?;
                            (
                                <$codec as Codec<'a>>::layout(value),
                                <$codec as Codec<'a>>::valid(value),
                            )
                        }
                    )*
                    Self::Unknown(_, octets) => (Layout::octets(octets), true),
                }
            }
        }
    };
}

crate::__tlv_table!(tlv_items);
