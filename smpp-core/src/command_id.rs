//! `command_id`: the operation a PDU performs (SMPP v5.0 4.7.5, Table 4-44).

open_enum! {
/// A `command_id`. Responses are the request id with bit 31 set.
///
/// Open: ids the specification does not define (vendor ids, future ids) are
/// kept as they are.
pub struct CommandId(u32);
GENERIC_NACK = 0x8000_0000, "generic_nack";
BIND_RECEIVER = 0x0000_0001, "bind_receiver";
BIND_RECEIVER_RESP = 0x8000_0001, "bind_receiver_resp";
BIND_TRANSMITTER = 0x0000_0002, "bind_transmitter";
BIND_TRANSMITTER_RESP = 0x8000_0002, "bind_transmitter_resp";
QUERY_SM = 0x0000_0003, "query_sm";
QUERY_SM_RESP = 0x8000_0003, "query_sm_resp";
SUBMIT_SM = 0x0000_0004, "submit_sm";
SUBMIT_SM_RESP = 0x8000_0004, "submit_sm_resp";
DELIVER_SM = 0x0000_0005, "deliver_sm";
DELIVER_SM_RESP = 0x8000_0005, "deliver_sm_resp";
UNBIND = 0x0000_0006, "unbind";
UNBIND_RESP = 0x8000_0006, "unbind_resp";
REPLACE_SM = 0x0000_0007, "replace_sm";
REPLACE_SM_RESP = 0x8000_0007, "replace_sm_resp";
CANCEL_SM = 0x0000_0008, "cancel_sm";
CANCEL_SM_RESP = 0x8000_0008, "cancel_sm_resp";
BIND_TRANSCEIVER = 0x0000_0009, "bind_transceiver";
BIND_TRANSCEIVER_RESP = 0x8000_0009, "bind_transceiver_resp";
OUTBIND = 0x0000_000B, "outbind";
ENQUIRE_LINK = 0x0000_0015, "enquire_link";
ENQUIRE_LINK_RESP = 0x8000_0015, "enquire_link_resp";
SUBMIT_MULTI = 0x0000_0021, "submit_multi";
SUBMIT_MULTI_RESP = 0x8000_0021, "submit_multi_resp";
ALERT_NOTIFICATION = 0x0000_0102, "alert_notification";
DATA_SM = 0x0000_0103, "data_sm";
DATA_SM_RESP = 0x8000_0103, "data_sm_resp";
BROADCAST_SM = 0x0000_0111, "broadcast_sm";
BROADCAST_SM_RESP = 0x8000_0111, "broadcast_sm_resp";
QUERY_BROADCAST_SM = 0x0000_0112, "query_broadcast_sm";
QUERY_BROADCAST_SM_RESP = 0x8000_0112, "query_broadcast_sm_resp";
CANCEL_BROADCAST_SM = 0x0000_0113, "cancel_broadcast_sm";
CANCEL_BROADCAST_SM_RESP = 0x8000_0113, "cancel_broadcast_sm_resp";}

impl CommandId {
    /// Bit 31: set in every response id.
    pub const RESPONSE_BIT: u32 = 0x8000_0000;

    /// True for a response id (`generic_nack` included).
    pub const fn is_response(self) -> bool {
        self.0 & Self::RESPONSE_BIT != 0
    }

    /// The response id that answers this request id (`submit_sm` gives
    /// `submit_sm_resp`). For a response id, the id itself.
    #[must_use]
    pub const fn response(self) -> Self {
        Self(self.0 | Self::RESPONSE_BIT)
    }

    /// The request id a response id answers (`submit_sm_resp` gives
    /// `submit_sm`). For a request id, the id itself.
    #[must_use]
    pub const fn request(self) -> Self {
        Self(self.0 & !Self::RESPONSE_BIT)
    }

    /// True if the peer must answer this PDU with a response PDU.
    ///
    /// False for responses, `outbind` and `alert_notification` (they have no
    /// response), and for ids the specification does not define.
    pub fn expects_response(self) -> bool {
        !self.is_response()
            && self != Self::OUTBIND
            && self != Self::ALERT_NOTIFICATION
            && self.name().is_some()
    }

    /// True for the command ids SMPP v5.0 added (the broadcast operations).
    pub const fn is_v50_only(self) -> bool {
        matches!(self.0 & !Self::RESPONSE_BIT, 0x111..=0x113)
    }

    /// True for ids in the ranges the specification reserves for vendor use
    /// (0x00010200-0x000102FF and their responses).
    pub const fn is_vendor_specific(self) -> bool {
        matches!(self.0 & !Self::RESPONSE_BIT, 0x0001_0200..=0x0001_02FF)
    }
}
