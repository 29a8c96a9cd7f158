//! Typed TLV values: one variant per tag of SMPP v3.4 and v5.0.

use super::{LenRule, Tlv, TlvTag, len_rule};
use crate::command_status::CommandStatus;
use crate::error::{Error, ErrorKind, TlvProblem};
use crate::values::{DataCoding, InterfaceVersion, MessageState, Npi, Ton};

/// The optional period of an `ms_validity` TLV (v5.0 4.8.4.39, octets 2-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MsValidityTime {
    /// Time unit: 0 seconds, 1 minutes, 2 hours, 3 days, 4 weeks, 5 months,
    /// 6 years (other values reserved).
    pub time_unit: u8,
    /// Number of units.
    pub number: u16,
}

/// A TLV value, typed by its tag's definition in SMPP v3.4 / v5.0.
///
/// Every tag of the specification has its own variant, named after the tag
/// (the v3.4 spelling where the versions differ: `DestinationPort` for 0x020B,
/// which v5.0 calls `dest_port`). Tags this codec does not know, vendor tags,
/// and known tags whose length or value breaks their rule are
/// [`TlvValue::Unknown`], so [`TlvValue::from_tlv`] never fails and never
/// loses octets.
///
/// # Encoding
///
/// [`TlvValue::write_value`] writes the value octets, [`TlvValue::emit`] the
/// whole TLV, and [`crate::TlvBuf::push_value`] appends it to a TLV region.
/// A value typed by `from_tlv` re-encodes to exactly the octets it came from,
/// with two documented exceptions where the specification asks for a
/// canonical form: a C-Octet String TLV whose NUL a lenient peer left out
/// gains its NUL, and so does a 16-octet `broadcast_end_time`.
///
/// # C-Octet Strings
///
/// `additional_status_info_text`, `receipted_message_id`,
/// `broadcast_end_time`, `source_network_id` and `dest_network_id` hold the
/// characters without the NUL. Decoding also accepts a value without NUL (the
/// TLV length bounds it) as long as the value with a NUL still fits the
/// tag's length rule; a value with a NUL before its last octet is `Unknown`.
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
    /// `dest_addr_subunit` (0x0005): 0 unknown, 1 MS display, 2 mobile
    /// equipment, 3 smart card 1, 4 external unit 1.
    DestAddrSubunit(u8),
    /// `dest_network_type` (0x0006): 0 unknown, 1 GSM, 2 ANSI-136/TDMA,
    /// 3 IS-95/CDMA, 4 PDC, 5 PHS, 6 iDEN, 7 AMPS, 8 paging network.
    DestNetworkType(u8),
    /// `dest_bearer_type` (0x0007): 0 unknown, 1 SMS, 2 CSD, 3 packet data,
    /// 4 USSD, 5 CDPD, 6 `DataTAC`, 7 FLEX/ReFLEX, 8 cell broadcast.
    DestBearerType(u8),
    /// `dest_telematics_id` (0x0008): Integer2; in v5.0 octet 1 is the GSM
    /// protocol id, octet 2 reserved.
    DestTelematicsId(u16),
    /// `source_addr_subunit` (0x000D): values as `dest_addr_subunit`.
    SourceAddrSubunit(u8),
    /// `source_network_type` (0x000E): values as `dest_network_type`.
    SourceNetworkType(u8),
    /// `source_bearer_type` (0x000F): values as `dest_bearer_type`.
    SourceBearerType(u8),
    /// `source_telematics_id` (0x0010): one octet in the specification; some
    /// implementations send two (as `dest_telematics_id`). Both decode; the
    /// second octet, when present, is kept in `reserved` and re-encoded.
    SourceTelematicsId {
        /// Octet 1: the telematics interface (GSM protocol id).
        protocol_id: u8,
        /// Octet 2 of the two-octet form; `None` for the one-octet form the
        /// specification defines.
        reserved: Option<u8>,
    },
    /// `qos_time_to_live` (0x0017): seconds the MC keeps an undelivered
    /// message.
    QosTimeToLive(u32),
    /// `payload_type` (0x0019): 0 default (WDP), 1 WCMP.
    PayloadType(u8),
    /// `additional_status_info_text` (0x001D): diagnostic text, without NUL
    /// (at most 255 characters).
    AdditionalStatusInfoText(&'a [u8]),
    /// `receipted_message_id` (0x001E): the MC message id a receipt refers
    /// to, without NUL (at most 64 characters).
    ReceiptedMessageId(&'a [u8]),
    /// `ms_msg_wait_facilities` (0x0030): bit 7 indicator active, bits 1-0
    /// type (0 voicemail, 1 fax, 2 e-mail, 3 other).
    MsMsgWaitFacilities(u8),
    /// `privacy_indicator` (0x0201): 0 not restricted, 1 restricted,
    /// 2 confidential, 3 secret.
    PrivacyIndicator(u8),
    /// `source_subaddress` (0x0202).
    SourceSubaddress {
        /// Octet 1: 0x80 NSAP (even), 0x88 NSAP (odd), 0xA0 user specified.
        subaddress_type: u8,
        /// The subaddress (1 to 22 octets).
        subaddress: &'a [u8],
    },
    /// `dest_subaddress` (0x0203), encoded as `source_subaddress`.
    DestSubaddress {
        /// Octet 1: 0x80 NSAP (even), 0x88 NSAP (odd), 0xA0 user specified.
        subaddress_type: u8,
        /// The subaddress (1 to 22 octets).
        subaddress: &'a [u8],
    },
    /// `user_message_reference` (0x0204): an ESME-assigned reference.
    UserMessageReference(u16),
    /// `user_response_code` (0x0205): application specific.
    UserResponseCode(u8),
    /// `source_port` (0x020A): application port of the source.
    SourcePort(u16),
    /// `destination_port` (0x020B; `dest_port` in v5.0): application port of
    /// the destination.
    DestinationPort(u16),
    /// `sar_msg_ref_num` (0x020C): concatenation reference.
    SarMsgRefNum(u16),
    /// `language_indicator` (0x020D): 0 unspecified, 1 English, 2 French,
    /// 3 Spanish, 4 German, 5 Portuguese.
    LanguageIndicator(u8),
    /// `sar_total_segments` (0x020E): number of segments.
    SarTotalSegments(u8),
    /// `sar_segment_seqnum` (0x020F): this segment's number, from 1.
    SarSegmentSeqnum(u8),
    /// `sc_interface_version` (0x0210): the SMPP version the MC supports.
    ScInterfaceVersion(InterfaceVersion),
    /// `callback_num_pres_ind` (0x0302): bits 3-2 presentation, bits 1-0
    /// screening.
    CallbackNumPresInd(u8),
    /// `callback_num_atag` (0x0303): the display text of a callback number.
    CallbackNumAtag {
        /// Octet 1: the coding of `display_text`. `None` only for the empty
        /// value (length 0).
        data_coding: Option<DataCoding>,
        /// The alphanumeric tag (at most 64 octets); empty when
        /// `data_coding` is `None`.
        display_text: &'a [u8],
    },
    /// `number_of_messages` (0x0304): messages waiting, 0-99.
    NumberOfMessages(u8),
    /// `callback_num` (0x0381).
    CallbackNum {
        /// Octet 1: bit 0 set for ASCII digits, clear for TBCD/DTMF.
        digit_mode: u8,
        /// Octet 2: type of number.
        ton: Ton,
        /// Octet 3: numbering plan.
        npi: Npi,
        /// The number (1 to 16 octets).
        number: &'a [u8],
    },
    /// `dpf_result` (0x0420): 0 DPF not set, 1 DPF set.
    DpfResult(u8),
    /// `set_dpf` (0x0421): 0 not requested, 1 requested.
    SetDpf(u8),
    /// `ms_availability_status` (0x0422): 0 available, 1 denied,
    /// 2 unavailable.
    MsAvailabilityStatus(u8),
    /// `network_error_code` (0x0423).
    NetworkErrorCode {
        /// Octet 1: 1 ANSI-136, 2 IS-95, 3 GSM, 4 ANSI-136 cause, 5 IS-95
        /// cause, 6 ANSI-41, 7 SMPP, 8 MC specific.
        network_type: u8,
        /// Octets 2-3: the error code.
        error_code: u16,
    },
    /// `message_payload` (0x0424): the user data, up to 65535 octets.
    MessagePayload(&'a [u8]),
    /// `delivery_failure_reason` (0x0425): 0 destination unavailable,
    /// 1 destination address invalid, 2 permanent network error,
    /// 3 temporary network error.
    DeliveryFailureReason(u8),
    /// `more_messages_to_send` (0x0426): 0 no, 1 more follow.
    MoreMessagesToSend(u8),
    /// `message_state` (0x0427): the message's state in a receipt.
    MessageState(MessageState),
    /// `congestion_state` (0x0428, v5.0): 0 idle to 100 congested.
    CongestionState(u8),
    /// `ussd_service_op` (0x0501): the USSD operation.
    UssdServiceOp(u8),
    /// `broadcast_channel_indicator` (0x0600): 0 basic, 1 extended.
    BroadcastChannelIndicator(u8),
    /// `broadcast_content_type` (0x0601).
    BroadcastContentType {
        /// Octet 1: 0 generic, 1 GSM, 2 TDMA, 3 CDMA.
        network_type: u8,
        /// Octets 2-3: the content type.
        content_type: u16,
    },
    /// `broadcast_content_type_info` (0x0602): free format, 1-255 octets.
    BroadcastContentTypeInfo(&'a [u8]),
    /// `broadcast_message_class` (0x0603): 0 no class, 1-3 class 1-3.
    BroadcastMessageClass(u8),
    /// `broadcast_rep_num` (0x0604): repetitions, 0 = indefinitely. Two
    /// octets in the specification; the one-octet form some implementations
    /// send decodes with `one_octet` set and re-encodes the same way.
    BroadcastRepNum {
        /// The number of repetitions.
        number: u16,
        /// True for the one-octet form (then `number` is at most 255).
        one_octet: bool,
    },
    /// `broadcast_frequency_interval` (0x0605).
    BroadcastFrequencyInterval {
        /// Octet 1: 0x00 as often as possible, 0x08 seconds, 0x09 minutes,
        /// 0x0A hours, 0x0B days, 0x0C weeks, 0x0D months, 0x0E years.
        time_unit: u8,
        /// Octets 2-3: number of units.
        number: u16,
    },
    /// `broadcast_area_identifier` (0x0606; also the failed areas of
    /// `broadcast_sm_resp`).
    BroadcastAreaIdentifier {
        /// Octet 1: 0 alias/name, 1 ellipsoid arc, 2 polygon.
        format: u8,
        /// The area (at most 100 octets).
        area: &'a [u8],
    },
    /// `broadcast_error_status` (0x0607): why a broadcast area failed.
    BroadcastErrorStatus(CommandStatus),
    /// `broadcast_area_success` (0x0608): percentage 0-100, 255 unknown.
    BroadcastAreaSuccess(u8),
    /// `broadcast_end_time` (0x0609): absolute SMPP time, the 16 characters
    /// without NUL.
    BroadcastEndTime(&'a [u8]),
    /// `broadcast_service_group` (0x060A): free format, 1-255 octets.
    BroadcastServiceGroup(&'a [u8]),
    /// `billing_identification` (0x060B).
    BillingIdentification {
        /// Octet 1: billing format (0x80-0xFF vendor specific).
        format: u8,
        /// The billing data (at most 1023 octets).
        data: &'a [u8],
    },
    /// `source_network_id` (0x060D): network identity, without NUL (6 to 64
    /// characters).
    SourceNetworkId(&'a [u8]),
    /// `dest_network_id` (0x060E): network identity, without NUL (6 to 64
    /// characters).
    DestNetworkId(&'a [u8]),
    /// `source_node_id` (0x060F): six decimal digits.
    SourceNodeId([u8; 6]),
    /// `dest_node_id` (0x0610): six decimal digits.
    DestNodeId([u8; 6]),
    /// `dest_addr_np_resolution` (0x0611): 0 no query, 1 not ported,
    /// 2 ported.
    DestAddrNpResolution(u8),
    /// `dest_addr_np_information` (0x0612): number portability data (the
    /// LRN in the US).
    DestAddrNpInformation([u8; 10]),
    /// `dest_addr_np_country` (0x0613): E.164 country code, 1-5 octets kept
    /// as they are (the specification does not say how they are coded).
    DestAddrNpCountry(&'a [u8]),
    /// `display_time` (0x1201): 0 temporary, 1 default, 2 invoke.
    DisplayTime(u8),
    /// `sms_signal` (0x1203): alert tone information (CMT-136).
    SmsSignal(u16),
    /// `ms_validity` (0x1204): one octet (v3.4) or four (v5.0).
    MsValidity {
        /// Octet 1: 0 store indefinitely, 1 power down, 2 until the
        /// registration area changes, 3 display only, 4 relative period.
        behaviour: u8,
        /// Octets 2-4 of the v5.0 form.
        period: Option<MsValidityTime>,
    },
    /// `alert_on_message_delivery` (0x130C): no value (v3.4) or one octet
    /// (v5.0: 0 default alert, 1 low, 2 medium, 3 high priority).
    AlertOnMessageDelivery(Option<u8>),
    /// `its_reply_type` (0x1380): 0 digit, 1 number, 2 telephone number,
    /// 3 password, 4 character line, 5 menu, 6 date, 7 time, 8 continue.
    ItsReplyType(u8),
    /// `its_session_info` (0x1383).
    ItsSessionInfo {
        /// Octet 1: the session number.
        session_number: u8,
        /// Octet 2, bits 7-1: the sequence number (0-127).
        sequence_number: u8,
        /// Octet 2, bit 0: the session ends.
        end_of_session: bool,
    },
    /// A tag this codec does not type (unknown or vendor), or a known tag
    /// whose value breaks its rule; the raw value octets.
    Unknown(TlvTag, &'a [u8]),
}

/// The fixed leading octets of an encoded value (at most four).
#[derive(Clone, Copy)]
struct Head {
    octets: [u8; 4],
    len: usize,
}

impl Head {
    const EMPTY: Self = Self {
        octets: [0; 4],
        len: 0,
    };

    const fn one(a: u8) -> Self {
        Self {
            octets: [a, 0, 0, 0],
            len: 1,
        }
    }

    const fn two(v: u16) -> Self {
        let [a, b] = v.to_be_bytes();
        Self {
            octets: [a, b, 0, 0],
            len: 2,
        }
    }

    const fn three(a: u8, v: u16) -> Self {
        let [b, c] = v.to_be_bytes();
        Self {
            octets: [a, b, c, 0],
            len: 3,
        }
    }

    const fn four(v: u32) -> Self {
        Self {
            octets: v.to_be_bytes(),
            len: 4,
        }
    }

    fn as_slice(&self) -> &[u8] {
        self.octets.get(..self.len).unwrap_or(&[])
    }
}

/// How a value is laid out on the wire: fixed head, variable tail, and a NUL
/// after the tail for C-Octet Strings.
struct Layout<'s> {
    head: Head,
    tail: &'s [u8],
    nul: bool,
}

impl<'s> Layout<'s> {
    const fn head(head: Head) -> Self {
        Self {
            head,
            tail: &[],
            nul: false,
        }
    }

    const fn octets(tail: &'s [u8]) -> Self {
        Self {
            head: Head::EMPTY,
            tail,
            nul: false,
        }
    }

    const fn cstr(tail: &'s [u8]) -> Self {
        Self {
            head: Head::EMPTY,
            tail,
            nul: true,
        }
    }

    const fn with_tail(head: Head, tail: &'s [u8]) -> Self {
        Self {
            head,
            tail,
            nul: false,
        }
    }

    const fn len(&self) -> usize {
        self.head.len + self.tail.len() + self.nul as usize
    }
}

fn u8v(v: &[u8]) -> Option<u8> {
    match *v {
        [a] => Some(a),
        _ => None,
    }
}

fn u16v(v: &[u8]) -> Option<u16> {
    v.try_into().ok().map(u16::from_be_bytes)
}

fn u32v(v: &[u8]) -> Option<u32> {
    v.try_into().ok().map(u32::from_be_bytes)
}

/// Octet 1 and the 16-bit integer of octets 2-3.
fn u8_u16(v: &[u8]) -> Option<(u8, u16)> {
    match *v {
        [a, b, c] => Some((a, u16::from_be_bytes([b, c]))),
        _ => None,
    }
}

/// The content of a C-Octet String TLV (see [`TlvValue`]).
fn cstr(rule: Option<LenRule>, v: &[u8]) -> Option<&[u8]> {
    match v.iter().position(|&b| b == 0) {
        Some(nul) if nul + 1 == v.len() => v.get(..nul),
        Some(_) => None,
        None => rule.is_none_or(|r| r.allows(v.len() + 1)).then_some(v),
    }
}

fn tlv_err(tag: TlvTag, problem: TlvProblem) -> Error {
    Error::new(ErrorKind::Tlv { tag, problem })
}

impl<'a> TlvValue<'a> {
    /// Types a TLV by its tag. Never fails: see [`TlvValue::Unknown`].
    pub fn from_tlv(tlv: Tlv<'a>) -> Self {
        Self::typed(tlv).unwrap_or(Self::Unknown(tlv.tag, tlv.value))
    }

    #[allow(clippy::too_many_lines)]
    fn typed(tlv: Tlv<'a>) -> Option<Self> {
        let v = tlv.value;
        let rule = len_rule(tlv.tag);
        if !rule?.allows(v.len()) {
            return None;
        }
        let subaddress = || match *v {
            [subaddress_type, ref subaddress @ ..] => Some((subaddress_type, subaddress)),
            [] => None,
        };
        Some(match tlv.tag {
            TlvTag::DEST_ADDR_SUBUNIT => Self::DestAddrSubunit(u8v(v)?),
            TlvTag::DEST_NETWORK_TYPE => Self::DestNetworkType(u8v(v)?),
            TlvTag::DEST_BEARER_TYPE => Self::DestBearerType(u8v(v)?),
            TlvTag::DEST_TELEMATICS_ID => Self::DestTelematicsId(u16v(v)?),
            TlvTag::SOURCE_ADDR_SUBUNIT => Self::SourceAddrSubunit(u8v(v)?),
            TlvTag::SOURCE_NETWORK_TYPE => Self::SourceNetworkType(u8v(v)?),
            TlvTag::SOURCE_BEARER_TYPE => Self::SourceBearerType(u8v(v)?),
            TlvTag::SOURCE_TELEMATICS_ID => match *v {
                [protocol_id] => Self::SourceTelematicsId {
                    protocol_id,
                    reserved: None,
                },
                [protocol_id, reserved] => Self::SourceTelematicsId {
                    protocol_id,
                    reserved: Some(reserved),
                },
                _ => return None,
            },
            TlvTag::QOS_TIME_TO_LIVE => Self::QosTimeToLive(u32v(v)?),
            TlvTag::PAYLOAD_TYPE => Self::PayloadType(u8v(v)?),
            TlvTag::ADDITIONAL_STATUS_INFO_TEXT => Self::AdditionalStatusInfoText(cstr(rule, v)?),
            TlvTag::RECEIPTED_MESSAGE_ID => Self::ReceiptedMessageId(cstr(rule, v)?),
            TlvTag::MS_MSG_WAIT_FACILITIES => Self::MsMsgWaitFacilities(u8v(v)?),
            TlvTag::PRIVACY_INDICATOR => Self::PrivacyIndicator(u8v(v)?),
            TlvTag::SOURCE_SUBADDRESS => {
                let (subaddress_type, subaddress) = subaddress()?;
                Self::SourceSubaddress {
                    subaddress_type,
                    subaddress,
                }
            }
            TlvTag::DEST_SUBADDRESS => {
                let (subaddress_type, subaddress) = subaddress()?;
                Self::DestSubaddress {
                    subaddress_type,
                    subaddress,
                }
            }
            TlvTag::USER_MESSAGE_REFERENCE => Self::UserMessageReference(u16v(v)?),
            TlvTag::USER_RESPONSE_CODE => Self::UserResponseCode(u8v(v)?),
            TlvTag::SOURCE_PORT => Self::SourcePort(u16v(v)?),
            TlvTag::DESTINATION_PORT => Self::DestinationPort(u16v(v)?),
            TlvTag::SAR_MSG_REF_NUM => Self::SarMsgRefNum(u16v(v)?),
            TlvTag::LANGUAGE_INDICATOR => Self::LanguageIndicator(u8v(v)?),
            TlvTag::SAR_TOTAL_SEGMENTS => Self::SarTotalSegments(u8v(v)?),
            TlvTag::SAR_SEGMENT_SEQNUM => Self::SarSegmentSeqnum(u8v(v)?),
            TlvTag::SC_INTERFACE_VERSION => Self::ScInterfaceVersion(InterfaceVersion(u8v(v)?)),
            TlvTag::CALLBACK_NUM_PRES_IND => Self::CallbackNumPresInd(u8v(v)?),
            TlvTag::CALLBACK_NUM_ATAG => match *v {
                [] => Self::CallbackNumAtag {
                    data_coding: None,
                    display_text: &[],
                },
                [dc, ref display_text @ ..] => Self::CallbackNumAtag {
                    data_coding: Some(DataCoding(dc)),
                    display_text,
                },
            },
            TlvTag::NUMBER_OF_MESSAGES => Self::NumberOfMessages(u8v(v)?),
            TlvTag::CALLBACK_NUM => match *v {
                [digit_mode, ton, npi, ref number @ ..] => Self::CallbackNum {
                    digit_mode,
                    ton: Ton(ton),
                    npi: Npi(npi),
                    number,
                },
                _ => return None,
            },
            TlvTag::DPF_RESULT => Self::DpfResult(u8v(v)?),
            TlvTag::SET_DPF => Self::SetDpf(u8v(v)?),
            TlvTag::MS_AVAILABILITY_STATUS => Self::MsAvailabilityStatus(u8v(v)?),
            TlvTag::NETWORK_ERROR_CODE => {
                let (network_type, error_code) = u8_u16(v)?;
                Self::NetworkErrorCode {
                    network_type,
                    error_code,
                }
            }
            TlvTag::MESSAGE_PAYLOAD => Self::MessagePayload(v),
            TlvTag::DELIVERY_FAILURE_REASON => Self::DeliveryFailureReason(u8v(v)?),
            TlvTag::MORE_MESSAGES_TO_SEND => Self::MoreMessagesToSend(u8v(v)?),
            TlvTag::MESSAGE_STATE => Self::MessageState(MessageState(u8v(v)?)),
            TlvTag::CONGESTION_STATE => Self::CongestionState(u8v(v)?),
            TlvTag::USSD_SERVICE_OP => Self::UssdServiceOp(u8v(v)?),
            TlvTag::BROADCAST_CHANNEL_INDICATOR => Self::BroadcastChannelIndicator(u8v(v)?),
            TlvTag::BROADCAST_CONTENT_TYPE => {
                let (network_type, content_type) = u8_u16(v)?;
                Self::BroadcastContentType {
                    network_type,
                    content_type,
                }
            }
            TlvTag::BROADCAST_CONTENT_TYPE_INFO => Self::BroadcastContentTypeInfo(v),
            TlvTag::BROADCAST_MESSAGE_CLASS => Self::BroadcastMessageClass(u8v(v)?),
            TlvTag::BROADCAST_REP_NUM => match *v {
                [n] => Self::BroadcastRepNum {
                    number: u16::from(n),
                    one_octet: true,
                },
                [a, b] => Self::BroadcastRepNum {
                    number: u16::from_be_bytes([a, b]),
                    one_octet: false,
                },
                _ => return None,
            },
            TlvTag::BROADCAST_FREQUENCY_INTERVAL => {
                let (time_unit, number) = u8_u16(v)?;
                Self::BroadcastFrequencyInterval { time_unit, number }
            }
            TlvTag::BROADCAST_AREA_IDENTIFIER => {
                let (format, area) = subaddress()?;
                Self::BroadcastAreaIdentifier { format, area }
            }
            TlvTag::BROADCAST_ERROR_STATUS => Self::BroadcastErrorStatus(CommandStatus(u32v(v)?)),
            TlvTag::BROADCAST_AREA_SUCCESS => Self::BroadcastAreaSuccess(u8v(v)?),
            TlvTag::BROADCAST_END_TIME => {
                let time = cstr(rule, v)?;
                if time.len() != 16 {
                    return None;
                }
                Self::BroadcastEndTime(time)
            }
            TlvTag::BROADCAST_SERVICE_GROUP => Self::BroadcastServiceGroup(v),
            TlvTag::BILLING_IDENTIFICATION => {
                let (format, data) = subaddress()?;
                Self::BillingIdentification { format, data }
            }
            TlvTag::SOURCE_NETWORK_ID => Self::SourceNetworkId(cstr(rule, v)?),
            TlvTag::DEST_NETWORK_ID => Self::DestNetworkId(cstr(rule, v)?),
            TlvTag::SOURCE_NODE_ID => Self::SourceNodeId(v.try_into().ok()?),
            TlvTag::DEST_NODE_ID => Self::DestNodeId(v.try_into().ok()?),
            TlvTag::DEST_ADDR_NP_RESOLUTION => Self::DestAddrNpResolution(u8v(v)?),
            TlvTag::DEST_ADDR_NP_INFORMATION => Self::DestAddrNpInformation(v.try_into().ok()?),
            TlvTag::DEST_ADDR_NP_COUNTRY => Self::DestAddrNpCountry(v),
            TlvTag::DISPLAY_TIME => Self::DisplayTime(u8v(v)?),
            TlvTag::SMS_SIGNAL => Self::SmsSignal(u16v(v)?),
            TlvTag::MS_VALIDITY => match *v {
                [behaviour] => Self::MsValidity {
                    behaviour,
                    period: None,
                },
                [behaviour, time_unit, a, b] => Self::MsValidity {
                    behaviour,
                    period: Some(MsValidityTime {
                        time_unit,
                        number: u16::from_be_bytes([a, b]),
                    }),
                },
                _ => return None,
            },
            TlvTag::ALERT_ON_MESSAGE_DELIVERY => match *v {
                [] => Self::AlertOnMessageDelivery(None),
                [a] => Self::AlertOnMessageDelivery(Some(a)),
                _ => return None,
            },
            TlvTag::ITS_REPLY_TYPE => Self::ItsReplyType(u8v(v)?),
            TlvTag::ITS_SESSION_INFO => match *v {
                [session_number, b] => Self::ItsSessionInfo {
                    session_number,
                    sequence_number: b >> 1,
                    end_of_session: b & 1 == 1,
                },
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The tag of this value.
    pub const fn tag(&self) -> TlvTag {
        match *self {
            Self::DestAddrSubunit(_) => TlvTag::DEST_ADDR_SUBUNIT,
            Self::DestNetworkType(_) => TlvTag::DEST_NETWORK_TYPE,
            Self::DestBearerType(_) => TlvTag::DEST_BEARER_TYPE,
            Self::DestTelematicsId(_) => TlvTag::DEST_TELEMATICS_ID,
            Self::SourceAddrSubunit(_) => TlvTag::SOURCE_ADDR_SUBUNIT,
            Self::SourceNetworkType(_) => TlvTag::SOURCE_NETWORK_TYPE,
            Self::SourceBearerType(_) => TlvTag::SOURCE_BEARER_TYPE,
            Self::SourceTelematicsId { .. } => TlvTag::SOURCE_TELEMATICS_ID,
            Self::QosTimeToLive(_) => TlvTag::QOS_TIME_TO_LIVE,
            Self::PayloadType(_) => TlvTag::PAYLOAD_TYPE,
            Self::AdditionalStatusInfoText(_) => TlvTag::ADDITIONAL_STATUS_INFO_TEXT,
            Self::ReceiptedMessageId(_) => TlvTag::RECEIPTED_MESSAGE_ID,
            Self::MsMsgWaitFacilities(_) => TlvTag::MS_MSG_WAIT_FACILITIES,
            Self::PrivacyIndicator(_) => TlvTag::PRIVACY_INDICATOR,
            Self::SourceSubaddress { .. } => TlvTag::SOURCE_SUBADDRESS,
            Self::DestSubaddress { .. } => TlvTag::DEST_SUBADDRESS,
            Self::UserMessageReference(_) => TlvTag::USER_MESSAGE_REFERENCE,
            Self::UserResponseCode(_) => TlvTag::USER_RESPONSE_CODE,
            Self::SourcePort(_) => TlvTag::SOURCE_PORT,
            Self::DestinationPort(_) => TlvTag::DESTINATION_PORT,
            Self::SarMsgRefNum(_) => TlvTag::SAR_MSG_REF_NUM,
            Self::LanguageIndicator(_) => TlvTag::LANGUAGE_INDICATOR,
            Self::SarTotalSegments(_) => TlvTag::SAR_TOTAL_SEGMENTS,
            Self::SarSegmentSeqnum(_) => TlvTag::SAR_SEGMENT_SEQNUM,
            Self::ScInterfaceVersion(_) => TlvTag::SC_INTERFACE_VERSION,
            Self::CallbackNumPresInd(_) => TlvTag::CALLBACK_NUM_PRES_IND,
            Self::CallbackNumAtag { .. } => TlvTag::CALLBACK_NUM_ATAG,
            Self::NumberOfMessages(_) => TlvTag::NUMBER_OF_MESSAGES,
            Self::CallbackNum { .. } => TlvTag::CALLBACK_NUM,
            Self::DpfResult(_) => TlvTag::DPF_RESULT,
            Self::SetDpf(_) => TlvTag::SET_DPF,
            Self::MsAvailabilityStatus(_) => TlvTag::MS_AVAILABILITY_STATUS,
            Self::NetworkErrorCode { .. } => TlvTag::NETWORK_ERROR_CODE,
            Self::MessagePayload(_) => TlvTag::MESSAGE_PAYLOAD,
            Self::DeliveryFailureReason(_) => TlvTag::DELIVERY_FAILURE_REASON,
            Self::MoreMessagesToSend(_) => TlvTag::MORE_MESSAGES_TO_SEND,
            Self::MessageState(_) => TlvTag::MESSAGE_STATE,
            Self::CongestionState(_) => TlvTag::CONGESTION_STATE,
            Self::UssdServiceOp(_) => TlvTag::USSD_SERVICE_OP,
            Self::BroadcastChannelIndicator(_) => TlvTag::BROADCAST_CHANNEL_INDICATOR,
            Self::BroadcastContentType { .. } => TlvTag::BROADCAST_CONTENT_TYPE,
            Self::BroadcastContentTypeInfo(_) => TlvTag::BROADCAST_CONTENT_TYPE_INFO,
            Self::BroadcastMessageClass(_) => TlvTag::BROADCAST_MESSAGE_CLASS,
            Self::BroadcastRepNum { .. } => TlvTag::BROADCAST_REP_NUM,
            Self::BroadcastFrequencyInterval { .. } => TlvTag::BROADCAST_FREQUENCY_INTERVAL,
            Self::BroadcastAreaIdentifier { .. } => TlvTag::BROADCAST_AREA_IDENTIFIER,
            Self::BroadcastErrorStatus(_) => TlvTag::BROADCAST_ERROR_STATUS,
            Self::BroadcastAreaSuccess(_) => TlvTag::BROADCAST_AREA_SUCCESS,
            Self::BroadcastEndTime(_) => TlvTag::BROADCAST_END_TIME,
            Self::BroadcastServiceGroup(_) => TlvTag::BROADCAST_SERVICE_GROUP,
            Self::BillingIdentification { .. } => TlvTag::BILLING_IDENTIFICATION,
            Self::SourceNetworkId(_) => TlvTag::SOURCE_NETWORK_ID,
            Self::DestNetworkId(_) => TlvTag::DEST_NETWORK_ID,
            Self::SourceNodeId(_) => TlvTag::SOURCE_NODE_ID,
            Self::DestNodeId(_) => TlvTag::DEST_NODE_ID,
            Self::DestAddrNpResolution(_) => TlvTag::DEST_ADDR_NP_RESOLUTION,
            Self::DestAddrNpInformation(_) => TlvTag::DEST_ADDR_NP_INFORMATION,
            Self::DestAddrNpCountry(_) => TlvTag::DEST_ADDR_NP_COUNTRY,
            Self::DisplayTime(_) => TlvTag::DISPLAY_TIME,
            Self::SmsSignal(_) => TlvTag::SMS_SIGNAL,
            Self::MsValidity { .. } => TlvTag::MS_VALIDITY,
            Self::AlertOnMessageDelivery(_) => TlvTag::ALERT_ON_MESSAGE_DELIVERY,
            Self::ItsReplyType(_) => TlvTag::ITS_REPLY_TYPE,
            Self::ItsSessionInfo { .. } => TlvTag::ITS_SESSION_INFO,
            Self::Unknown(tag, _) => tag,
        }
    }

    /// The wire layout of the value.
    #[allow(clippy::too_many_lines)]
    fn layout(&self) -> Layout<'_> {
        match *self {
            Self::DestAddrSubunit(v)
            | Self::DestNetworkType(v)
            | Self::DestBearerType(v)
            | Self::SourceAddrSubunit(v)
            | Self::SourceNetworkType(v)
            | Self::SourceBearerType(v)
            | Self::PayloadType(v)
            | Self::MsMsgWaitFacilities(v)
            | Self::PrivacyIndicator(v)
            | Self::UserResponseCode(v)
            | Self::LanguageIndicator(v)
            | Self::SarTotalSegments(v)
            | Self::SarSegmentSeqnum(v)
            | Self::CallbackNumPresInd(v)
            | Self::NumberOfMessages(v)
            | Self::DpfResult(v)
            | Self::SetDpf(v)
            | Self::MsAvailabilityStatus(v)
            | Self::DeliveryFailureReason(v)
            | Self::MoreMessagesToSend(v)
            | Self::CongestionState(v)
            | Self::UssdServiceOp(v)
            | Self::BroadcastChannelIndicator(v)
            | Self::BroadcastMessageClass(v)
            | Self::BroadcastAreaSuccess(v)
            | Self::DestAddrNpResolution(v)
            | Self::DisplayTime(v)
            | Self::ItsReplyType(v) => Layout::head(Head::one(v)),
            Self::ScInterfaceVersion(v) => Layout::head(Head::one(v.0)),
            Self::MessageState(v) => Layout::head(Head::one(v.0)),
            Self::DestTelematicsId(v)
            | Self::UserMessageReference(v)
            | Self::SourcePort(v)
            | Self::DestinationPort(v)
            | Self::SarMsgRefNum(v)
            | Self::SmsSignal(v) => Layout::head(Head::two(v)),
            Self::QosTimeToLive(v) => Layout::head(Head::four(v)),
            Self::BroadcastErrorStatus(v) => Layout::head(Head::four(v.0)),
            Self::SourceTelematicsId {
                protocol_id,
                reserved,
            } => Layout::head(match reserved {
                None => Head::one(protocol_id),
                Some(r) => Head::two(u16::from_be_bytes([protocol_id, r])),
            }),
            Self::BroadcastRepNum { number, one_octet } => Layout::head(if one_octet {
                Head::one(number.to_be_bytes()[1])
            } else {
                Head::two(number)
            }),
            Self::NetworkErrorCode {
                network_type: a,
                error_code: v,
            }
            | Self::BroadcastContentType {
                network_type: a,
                content_type: v,
            }
            | Self::BroadcastFrequencyInterval {
                time_unit: a,
                number: v,
            } => Layout::head(Head::three(a, v)),
            Self::AdditionalStatusInfoText(s)
            | Self::ReceiptedMessageId(s)
            | Self::BroadcastEndTime(s)
            | Self::SourceNetworkId(s)
            | Self::DestNetworkId(s) => Layout::cstr(s),
            Self::MessagePayload(s)
            | Self::BroadcastContentTypeInfo(s)
            | Self::BroadcastServiceGroup(s)
            | Self::DestAddrNpCountry(s)
            | Self::Unknown(_, s) => Layout::octets(s),
            Self::SourceNodeId(ref s) | Self::DestNodeId(ref s) => Layout::octets(s),
            Self::DestAddrNpInformation(ref s) => Layout::octets(s),
            Self::SourceSubaddress {
                subaddress_type: a,
                subaddress: s,
            }
            | Self::DestSubaddress {
                subaddress_type: a,
                subaddress: s,
            }
            | Self::BroadcastAreaIdentifier { format: a, area: s }
            | Self::BillingIdentification { format: a, data: s } => {
                Layout::with_tail(Head::one(a), s)
            }
            Self::CallbackNumAtag {
                data_coding,
                display_text,
            } => match data_coding {
                Some(dc) => Layout::with_tail(Head::one(dc.0), display_text),
                None => Layout::octets(display_text),
            },
            Self::CallbackNum {
                digit_mode,
                ton,
                npi,
                number,
            } => Layout::with_tail(
                Head {
                    octets: [digit_mode, ton.0, npi.0, 0],
                    len: 3,
                },
                number,
            ),
            Self::MsValidity { behaviour, period } => Layout::head(match period {
                None => Head::one(behaviour),
                Some(p) => {
                    let [a, b] = p.number.to_be_bytes();
                    Head {
                        octets: [behaviour, p.time_unit, a, b],
                        len: 4,
                    }
                }
            }),
            Self::AlertOnMessageDelivery(v) => Layout::head(v.map_or(Head::EMPTY, Head::one)),
            Self::ItsSessionInfo {
                session_number,
                sequence_number,
                end_of_session,
            } => Layout::head(Head {
                octets: [
                    session_number,
                    (sequence_number << 1) | u8::from(end_of_session),
                    0,
                    0,
                ],
                len: 2,
            }),
        }
    }

    /// Octets of the value on the wire (the TLV's length field).
    pub fn encoded_value_len(&self) -> usize {
        self.layout().len()
    }

    /// Octets of the whole TLV on the wire: tag, length and value.
    pub fn encoded_len(&self) -> usize {
        4 + self.encoded_value_len()
    }

    /// Checks the value as encoding does: its length fits the tag's rule
    /// and 65535 octets, C-Octet Strings hold no NUL, `broadcast_end_time`
    /// has 16 characters, and fields packed into fewer bits fit them.
    pub fn validate(&self) -> Result<(), Error> {
        let tag = self.tag();
        let layout = self.layout();
        let len = layout.len();
        if len > usize::from(u16::MAX) {
            return Err(tlv_err(tag, TlvProblem::TooLong { len }));
        }
        if len_rule(tag).is_some_and(|rule| !rule.allows(len)) {
            return Err(tlv_err(tag, TlvProblem::InvalidLength { len }));
        }
        let valid = match *self {
            Self::BroadcastEndTime(s) => s.len() == 16,
            Self::BroadcastRepNum { number, one_octet } => !one_octet || number <= 0xFF,
            Self::ItsSessionInfo {
                sequence_number, ..
            } => sequence_number <= 0x7F,
            Self::CallbackNumAtag {
                data_coding: None,
                display_text,
            } => display_text.is_empty(),
            _ => true,
        };
        if !valid || (layout.nul && layout.tail.contains(&0)) {
            return Err(tlv_err(tag, TlvProblem::InvalidValue));
        }
        Ok(())
    }

    /// Writes the value octets (no tag, no length) to the start of `out`,
    /// returning how many were written ([`Self::encoded_value_len`]).
    ///
    /// Fails, writing nothing, if the value breaks its rules (see
    /// [`Self::validate`]) or `out` is too short.
    pub fn write_value(&self, out: &mut [u8]) -> Result<usize, Error> {
        self.validate()?;
        let layout = self.layout();
        let len = layout.len();
        let available = out.len();
        let Some(dst) = out.get_mut(..len) else {
            return Err(Error::new(ErrorKind::BufferTooSmall {
                needed: len,
                available,
            }));
        };
        let head = layout.head.as_slice();
        let (dst_head, rest) = dst.split_at_mut(head.len());
        dst_head.copy_from_slice(head);
        let (dst_tail, dst_nul) = rest.split_at_mut(layout.tail.len());
        dst_tail.copy_from_slice(layout.tail);
        dst_nul.fill(0);
        Ok(len)
    }

    /// Writes the whole TLV (tag, length, value) to the start of `out`,
    /// returning how many octets were written ([`Self::encoded_len`]).
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        self.validate()?;
        let value_len = self.encoded_value_len();
        let needed = 4 + value_len;
        let available = out.len();
        let (Some(dst), Ok(len16)) = (out.get_mut(..needed), u16::try_from(value_len)) else {
            return Err(Error::new(ErrorKind::BufferTooSmall { needed, available }));
        };
        let (head, value) = dst.split_at_mut(4);
        let [t0, t1] = self.tag().0.to_be_bytes();
        let [l0, l1] = len16.to_be_bytes();
        head.copy_from_slice(&[t0, t1, l0, l1]);
        self.write_value(value)?;
        Ok(needed)
    }
}

impl<'a> From<Tlv<'a>> for TlvValue<'a> {
    fn from(tlv: Tlv<'a>) -> Self {
        Self::from_tlv(tlv)
    }
}
