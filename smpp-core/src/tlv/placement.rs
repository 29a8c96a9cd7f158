//! Which PDUs may carry which TLV: the per-PDU TLV tables of SMPP v3.4
//! (chapter 4) and v5.0 (chapter 4).

use super::TlvTag;
use crate::command_id::CommandId;
use crate::session::Version;

// One bit per command id: its position in `CommandId::ALL`.
const _: () = assert!(CommandId::ALL.len() <= 64, "one bit per command id");

/// The bit of a command id of the specification, `None` for other ids.
const fn pdu_bit(command_id: CommandId) -> Option<u64> {
    let mut rest = CommandId::ALL;
    let mut bit = 1;
    while let [first, tail @ ..] = rest {
        if first.0 == command_id.0 {
            return Some(bit);
        }
        bit <<= 1;
        rest = tail;
    }
    None
}

/// [`pdu_bit`] for the constants below.
// Evaluated at compile time only: an id outside the table fails the build.
#[allow(clippy::panic)]
const fn bit(command_id: CommandId) -> u64 {
    match pdu_bit(command_id) {
        Some(bit) => bit,
        None => panic!("a command id of the specification"),
    }
}

const SUBMIT_SM: u64 = bit(CommandId::SUBMIT_SM);
const SUBMIT_SM_RESP: u64 = bit(CommandId::SUBMIT_SM_RESP);
const SUBMIT_MULTI: u64 = bit(CommandId::SUBMIT_MULTI);
const SUBMIT_MULTI_RESP: u64 = bit(CommandId::SUBMIT_MULTI_RESP);
const DATA_SM: u64 = bit(CommandId::DATA_SM);
const DATA_SM_RESP: u64 = bit(CommandId::DATA_SM_RESP);
const DELIVER_SM: u64 = bit(CommandId::DELIVER_SM);
const DELIVER_SM_RESP: u64 = bit(CommandId::DELIVER_SM_RESP);
const REPLACE_SM: u64 = bit(CommandId::REPLACE_SM);
const ALERT_NOTIFICATION: u64 = bit(CommandId::ALERT_NOTIFICATION);
const BIND_RESPS: u64 = bit(CommandId::BIND_TRANSMITTER_RESP)
    | bit(CommandId::BIND_RECEIVER_RESP)
    | bit(CommandId::BIND_TRANSCEIVER_RESP);
const BROADCAST_SM: u64 = bit(CommandId::BROADCAST_SM);
const BROADCAST_SM_RESP: u64 = bit(CommandId::BROADCAST_SM_RESP);
const QUERY_BROADCAST_SM: u64 = bit(CommandId::QUERY_BROADCAST_SM);
const QUERY_BROADCAST_SM_RESP: u64 = bit(CommandId::QUERY_BROADCAST_SM_RESP);
const CANCEL_BROADCAST_SM: u64 = bit(CommandId::CANCEL_BROADCAST_SM);

/// Every response (v5.0: `congestion_state` "in any response"),
/// `generic_nack` included: it is a response id, and a check that lets a
/// congestion report through errs on the lenient side.
const ANY_RESPONSE: u64 = {
    let mut mask = 0;
    let mut rest = CommandId::ALL;
    while let [first, tail @ ..] = rest {
        if first.is_response() {
            mask |= bit(*first);
        }
        rest = tail;
    }
    mask
};

/// `submit_sm`, `submit_multi`, `data_sm`: the message submission PDUs.
const SUBMISSION: u64 = SUBMIT_SM | SUBMIT_MULTI | DATA_SM;
/// The submission PDUs and `deliver_sm`.
const MESSAGES: u64 = SUBMISSION | DELIVER_SM;

/// The PDUs a tag may appear in: in v3.4, and the ones v5.0 adds.
const fn since_v34(v34: u64, added_in_v50: u64) -> (u64, u64) {
    (v34, v34 | added_in_v50)
}

/// The PDUs of a tag SMPP v5.0 added, or used only from v5.0.
const fn from_v50(v50: u64) -> (u64, u64) {
    (0, v50)
}

/// The PDUs (bit masks) a known tag may appear in, in v3.4 and in v5.0;
/// `None` for tags the specification does not define.
const fn placement(tag: TlvTag) -> Option<(u64, u64)> {
    Some(match tag {
        TlvTag::DEST_ADDR_SUBUNIT
        | TlvTag::SOURCE_ADDR_SUBUNIT
        | TlvTag::CALLBACK_NUM_PRES_IND
        | TlvTag::CALLBACK_NUM_ATAG => since_v34(SUBMISSION, DELIVER_SM | BROADCAST_SM),
        TlvTag::DEST_NETWORK_TYPE
        | TlvTag::DEST_BEARER_TYPE
        | TlvTag::DEST_TELEMATICS_ID
        | TlvTag::SOURCE_NETWORK_TYPE
        | TlvTag::SOURCE_BEARER_TYPE
        | TlvTag::SOURCE_TELEMATICS_ID
        | TlvTag::QOS_TIME_TO_LIVE
        | TlvTag::SET_DPF => since_v34(DATA_SM, SUBMIT_SM | SUBMIT_MULTI),
        TlvTag::PAYLOAD_TYPE
        | TlvTag::PRIVACY_INDICATOR
        | TlvTag::SOURCE_SUBADDRESS
        | TlvTag::SOURCE_PORT
        | TlvTag::DESTINATION_PORT
        | TlvTag::LANGUAGE_INDICATOR
        | TlvTag::CALLBACK_NUM => since_v34(MESSAGES, BROADCAST_SM),
        // v5.0 4.8.4.28: not supported in submit_multi any more.
        TlvTag::DEST_SUBADDRESS => (MESSAGES, (MESSAGES & !SUBMIT_MULTI) | BROADCAST_SM),
        TlvTag::ADDITIONAL_STATUS_INFO_TEXT | TlvTag::DELIVERY_FAILURE_REASON => since_v34(
            DATA_SM_RESP,
            SUBMIT_SM_RESP | SUBMIT_MULTI_RESP | DELIVER_SM_RESP,
        ),
        TlvTag::RECEIPTED_MESSAGE_ID => since_v34(DATA_SM | DELIVER_SM, 0),
        TlvTag::MS_MSG_WAIT_FACILITIES => since_v34(SUBMISSION, 0),
        TlvTag::USER_MESSAGE_REFERENCE => since_v34(
            MESSAGES,
            BROADCAST_SM | QUERY_BROADCAST_SM | QUERY_BROADCAST_SM_RESP | CANCEL_BROADCAST_SM,
        ),
        TlvTag::USER_RESPONSE_CODE | TlvTag::ITS_SESSION_INFO => {
            since_v34(SUBMIT_SM | DATA_SM | DELIVER_SM, SUBMIT_MULTI)
        }
        TlvTag::SAR_MSG_REF_NUM | TlvTag::SAR_TOTAL_SEGMENTS | TlvTag::SAR_SEGMENT_SEQNUM => {
            since_v34(MESSAGES, 0)
        }
        TlvTag::SC_INTERFACE_VERSION => since_v34(BIND_RESPS, 0),
        TlvTag::NUMBER_OF_MESSAGES | TlvTag::MORE_MESSAGES_TO_SEND => {
            since_v34(SUBMIT_SM | DATA_SM, SUBMIT_MULTI)
        }
        TlvTag::DPF_RESULT => since_v34(
            DATA_SM_RESP,
            SUBMIT_SM_RESP | SUBMIT_MULTI_RESP | DATA_SM | DELIVER_SM,
        ),
        TlvTag::MS_AVAILABILITY_STATUS => since_v34(ALERT_NOTIFICATION, 0),
        TlvTag::NETWORK_ERROR_CODE => since_v34(
            DATA_SM | DATA_SM_RESP | DELIVER_SM,
            SUBMIT_SM_RESP | SUBMIT_MULTI_RESP | DELIVER_SM_RESP,
        ),
        TlvTag::MESSAGE_PAYLOAD => since_v34(MESSAGES, REPLACE_SM | BROADCAST_SM),
        TlvTag::MESSAGE_STATE => since_v34(DATA_SM | DELIVER_SM, QUERY_BROADCAST_SM_RESP),
        TlvTag::CONGESTION_STATE => from_v50(ANY_RESPONSE),
        TlvTag::USSD_SERVICE_OP => since_v34(SUBMIT_SM, SUBMIT_MULTI | DATA_SM | DELIVER_SM),
        TlvTag::BROADCAST_CHANNEL_INDICATOR
        | TlvTag::BROADCAST_CONTENT_TYPE_INFO
        | TlvTag::BROADCAST_MESSAGE_CLASS
        | TlvTag::BROADCAST_REP_NUM
        | TlvTag::BROADCAST_FREQUENCY_INTERVAL
        | TlvTag::BROADCAST_SERVICE_GROUP => from_v50(BROADCAST_SM),
        TlvTag::BROADCAST_CONTENT_TYPE => from_v50(BROADCAST_SM | CANCEL_BROADCAST_SM),
        TlvTag::BROADCAST_AREA_IDENTIFIER => {
            from_v50(BROADCAST_SM | BROADCAST_SM_RESP | QUERY_BROADCAST_SM_RESP)
        }
        TlvTag::BROADCAST_ERROR_STATUS => from_v50(BROADCAST_SM_RESP),
        TlvTag::BROADCAST_AREA_SUCCESS | TlvTag::BROADCAST_END_TIME => {
            from_v50(QUERY_BROADCAST_SM_RESP)
        }
        TlvTag::BILLING_IDENTIFICATION => from_v50(SUBMISSION),
        TlvTag::SOURCE_NETWORK_ID
        | TlvTag::DEST_NETWORK_ID
        | TlvTag::SOURCE_NODE_ID
        | TlvTag::DEST_NODE_ID
        | TlvTag::DEST_ADDR_NP_RESOLUTION
        | TlvTag::DEST_ADDR_NP_INFORMATION
        | TlvTag::DEST_ADDR_NP_COUNTRY => from_v50(MESSAGES),
        TlvTag::DISPLAY_TIME
        | TlvTag::SMS_SIGNAL
        | TlvTag::MS_VALIDITY
        | TlvTag::ALERT_ON_MESSAGE_DELIVERY => since_v34(SUBMISSION, BROADCAST_SM),
        TlvTag::ITS_REPLY_TYPE => since_v34(SUBMIT_SM | DATA_SM, SUBMIT_MULTI | DELIVER_SM),
        _ => return None,
    })
}

impl TlvTag {
    /// Whether a PDU of `command_id` may carry this TLV in `version`, by the
    /// PDUs' TLV tables (SMPP v3.4 chapter 4, v5.0 chapter 4; mandatory TLVs
    /// of v5.0 count as allowed). `None` for a tag the specification does
    /// not define (vendor tags 0x1400-0x3FFF, unknown tags) and for a
    /// `command_id` it does not define. A tag or PDU that v5.0 added is not
    /// allowed anywhere in v3.4.
    ///
    /// Decoding never consults this: a peer may send a TLV where its PDU
    /// does not list it (v5.0 2.11.1 asks the receiver to ignore it).
    /// [`Tlvs::check_allowed_in`](super::Tlvs::check_allowed_in) and
    /// [`Pdu::check_tlvs_allowed`](crate::Pdu::check_tlvs_allowed) apply it
    /// to a whole TLV region on request.
    ///
    /// ```
    /// use smpp_core::session::Version;
    /// use smpp_core::{CommandId, TlvTag};
    ///
    /// let payload = TlvTag::MESSAGE_PAYLOAD;
    /// assert_eq!(payload.allowed_in(CommandId::SUBMIT_SM, Version::V34), Some(true));
    /// assert_eq!(payload.allowed_in(CommandId::BIND_TRANSMITTER, Version::V50), Some(false));
    /// // replace_sm carries message_payload from v5.0 on.
    /// assert_eq!(payload.allowed_in(CommandId::REPLACE_SM, Version::V34), Some(false));
    /// assert_eq!(payload.allowed_in(CommandId::REPLACE_SM, Version::V50), Some(true));
    /// // congestion_state: any response of v5.0.
    /// let congestion = TlvTag::CONGESTION_STATE;
    /// assert_eq!(congestion.allowed_in(CommandId::ENQUIRE_LINK_RESP, Version::V50), Some(true));
    /// assert_eq!(congestion.allowed_in(CommandId::ENQUIRE_LINK_RESP, Version::V34), Some(false));
    /// // Vendor tags and unknown command ids: the specification says nothing.
    /// assert_eq!(TlvTag(0x1400).allowed_in(CommandId::SUBMIT_SM, Version::V50), None);
    /// assert_eq!(payload.allowed_in(CommandId(0x0001_0200), Version::V50), None);
    /// ```
    pub const fn allowed_in(self, command_id: CommandId, version: Version) -> Option<bool> {
        let Some((v34, v50)) = placement(self) else {
            return None;
        };
        let Some(bit) = pdu_bit(command_id) else {
            return None;
        };
        let mask = match version {
            Version::V34 => v34,
            Version::V50 => v50,
        };
        Some(mask & bit != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::{ANY_RESPONSE, CommandId, TlvTag, Version, pdu_bit, placement};

    #[test]
    fn every_tag_of_the_table_has_a_placement_and_no_other() {
        for tag in 0..=u16::MAX {
            let tag = TlvTag(tag);
            assert_eq!(placement(tag).is_some(), tag.name().is_some(), "{tag}");
        }
    }

    #[test]
    fn every_command_id_has_its_own_bit() {
        let mut seen = 0u64;
        for &id in CommandId::ALL {
            let bit = pdu_bit(id).unwrap();
            assert_eq!(seen & bit, 0, "{id}");
            seen |= bit;
        }
        assert_eq!(ANY_RESPONSE.count_ones(), 16);
        assert_eq!(pdu_bit(CommandId(0x0000_0099)), None);
    }

    #[test]
    fn v50_tags_and_pdus_are_not_allowed_in_v34() {
        for &tag in TlvTag::ALL {
            for &id in CommandId::ALL {
                let v34 = tag.allowed_in(id, Version::V34);
                if tag.is_v50_only() || id.is_v50_only() {
                    assert_eq!(v34, Some(false), "{tag} in {id}");
                }
            }
        }
    }
}
