//! Which PDUs may carry which TLV: the per-PDU TLV tables of SMPP v3.4
//! (chapter 4) and v5.0 (chapter 4).

use super::TlvTag;
use super::table::placement;
use crate::command_id::CommandId;
use crate::values::Version;

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
pub(super) const fn bit(command_id: CommandId) -> u64 {
    match pdu_bit(command_id) {
        Some(bit) => bit,
        None => panic!("a command id of the specification"),
    }
}

pub(super) const SUBMIT_SM: u64 = bit(CommandId::SUBMIT_SM);
pub(super) const SUBMIT_SM_RESP: u64 = bit(CommandId::SUBMIT_SM_RESP);
pub(super) const SUBMIT_MULTI: u64 = bit(CommandId::SUBMIT_MULTI);
pub(super) const SUBMIT_MULTI_RESP: u64 = bit(CommandId::SUBMIT_MULTI_RESP);
pub(super) const DATA_SM: u64 = bit(CommandId::DATA_SM);
pub(super) const DATA_SM_RESP: u64 = bit(CommandId::DATA_SM_RESP);
pub(super) const DELIVER_SM: u64 = bit(CommandId::DELIVER_SM);
pub(super) const DELIVER_SM_RESP: u64 = bit(CommandId::DELIVER_SM_RESP);
pub(super) const REPLACE_SM: u64 = bit(CommandId::REPLACE_SM);
pub(super) const ALERT_NOTIFICATION: u64 = bit(CommandId::ALERT_NOTIFICATION);
pub(super) const BIND_RESPS: u64 = bit(CommandId::BIND_TRANSMITTER_RESP)
    | bit(CommandId::BIND_RECEIVER_RESP)
    | bit(CommandId::BIND_TRANSCEIVER_RESP);
pub(super) const BROADCAST_SM: u64 = bit(CommandId::BROADCAST_SM);
pub(super) const BROADCAST_SM_RESP: u64 = bit(CommandId::BROADCAST_SM_RESP);
pub(super) const QUERY_BROADCAST_SM: u64 = bit(CommandId::QUERY_BROADCAST_SM);
pub(super) const QUERY_BROADCAST_SM_RESP: u64 = bit(CommandId::QUERY_BROADCAST_SM_RESP);
pub(super) const CANCEL_BROADCAST_SM: u64 = bit(CommandId::CANCEL_BROADCAST_SM);

/// Every response (v5.0: `congestion_state` "in any response"),
/// `generic_nack` included: it is a response id, and a check that lets a
/// congestion report through errs on the lenient side.
pub(super) const ANY_RESPONSE: u64 = {
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
pub(super) const SUBMISSION: u64 = SUBMIT_SM | SUBMIT_MULTI | DATA_SM;
/// The submission PDUs and `deliver_sm`.
pub(super) const MESSAGES: u64 = SUBMISSION | DELIVER_SM;

/// The PDUs a tag may appear in: in v3.4, and the ones v5.0 adds.
pub(super) const fn since_v34(v34: u64, added_in_v50: u64) -> (u64, u64) {
    (v34, v34 | added_in_v50)
}

/// The PDUs of a tag SMPP v5.0 added, or used only from v5.0.
pub(super) const fn from_v50(v50: u64) -> (u64, u64) {
    (0, v50)
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
    /// use smpp_core::values::Version;
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
