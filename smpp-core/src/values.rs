//! Integer fields with named values: open newtypes, so reserved and vendor
//! values decode and re-encode unchanged (SMPP v5.0 2.11.1: treat unknown
//! values as such rather than failing the PDU).

open_enum! {
    /// Type of number (`source_addr_ton`, `dest_addr_ton`, `addr_ton`,
    /// `esme_addr_ton`; v5.0 4.7.1).
    pub struct Ton(u8);
    UNKNOWN = 0x00, "unknown";
    INTERNATIONAL = 0x01, "international";
    NATIONAL = 0x02, "national";
    NETWORK_SPECIFIC = 0x03, "network_specific";
    SUBSCRIBER_NUMBER = 0x04, "subscriber_number";
    ALPHANUMERIC = 0x05, "alphanumeric";
    ABBREVIATED = 0x06, "abbreviated";
}

open_enum! {
    /// Numbering plan indicator (v5.0 4.7.2).
    pub struct Npi(u8);
    UNKNOWN = 0x00, "unknown";
    ISDN = 0x01, "isdn";
    DATA = 0x03, "data";
    TELEX = 0x04, "telex";
    LAND_MOBILE = 0x06, "land_mobile";
    NATIONAL = 0x08, "national";
    PRIVATE = 0x09, "private";
    ERMES = 0x0A, "ermes";
    INTERNET = 0x0E, "internet";
    WAP_CLIENT_ID = 0x12, "wap_client_id";
}

open_enum! {
    /// `priority_flag` (v5.0 4.7.19): 0-3 in v3.4, 4 added by v5.0 for GSM CBS.
    pub struct PriorityFlag(u8);
    LEVEL_0 = 0, "level_0";
    LEVEL_1 = 1, "level_1";
    LEVEL_2 = 2, "level_2";
    LEVEL_3 = 3, "level_3";
    LEVEL_4 = 4, "level_4";
}

open_enum! {
    /// `replace_if_present_flag` (v5.0 4.7.22).
    pub struct ReplaceIfPresentFlag(u8);
    DONT_REPLACE = 0, "dont_replace";
    REPLACE = 1, "replace";
}

open_enum! {
    /// `interface_version` and the `sc_interface_version` TLV (v5.0 4.7.13).
    /// 0x00-0x33 mean v3.3 or earlier.
    pub struct InterfaceVersion(u8);
    V33 = 0x33, "3.3";
    V34 = 0x34, "3.4";
    V50 = 0x50, "5.0";
}

impl InterfaceVersion {
    /// True if a peer with this version may receive TLVs (v3.4 and later).
    pub const fn supports_tlvs(self) -> bool {
        self.0 >= 0x34
    }
}

open_enum! {
    /// `message_state` (`query_sm_resp` field and TLV 0x0427; v5.0 4.7.15).
    pub struct MessageState(u8);
    SCHEDULED = 0, "SCHEDULED";
    ENROUTE = 1, "ENROUTE";
    DELIVERED = 2, "DELIVERED";
    EXPIRED = 3, "EXPIRED";
    DELETED = 4, "DELETED";
    UNDELIVERABLE = 5, "UNDELIVERABLE";
    ACCEPTED = 6, "ACCEPTED";
    UNKNOWN = 7, "UNKNOWN";
    REJECTED = 8, "REJECTED";
    SKIPPED = 9, "SKIPPED";
}

impl MessageState {
    /// True for the states a message does not leave (delivered, expired,
    /// deleted, undeliverable, accepted, rejected, skipped).
    pub const fn is_final(self) -> bool {
        matches!(self.0, 2..=6 | 8 | 9)
    }
}

open_enum! {
    /// `data_coding` (v5.0 4.7.7): the named SMPP values. Every octet is a
    /// valid instance; [`crate::text`] decodes the GSM coding groups.
    pub struct DataCoding(u8);
    DEFAULT = 0x00, "default";
    IA5 = 0x01, "ia5";
    OCTET_UNSPECIFIED_2 = 0x02, "octet_unspecified_2";
    LATIN1 = 0x03, "latin1";
    OCTET_UNSPECIFIED = 0x04, "octet_unspecified";
    JIS = 0x05, "jis";
    CYRILLIC = 0x06, "cyrillic";
    LATIN_HEBREW = 0x07, "latin_hebrew";
    UCS2 = 0x08, "ucs2";
    PICTOGRAM = 0x09, "pictogram";
    ISO_2022_JP = 0x0A, "iso_2022_jp";
    EXTENDED_KANJI_JIS = 0x0D, "extended_kanji_jis";
    KS_C_5601 = 0x0E, "ks_c_5601";
}

newtype! {
    /// `esm_class` (v5.0 4.7.12): messaging mode (bits 1-0), message type
    /// (bits 5-2) and GSM features (bits 7-6).
    ///
    /// ```
    /// use smpp_core::EsmClass;
    ///
    /// let receipt = EsmClass(0x04);
    /// assert!(receipt.is_delivery_receipt());
    /// assert!(EsmClass::DEFAULT.with_udhi().udhi());
    /// ```
    #[derive(Debug)]
    pub struct EsmClass(u8);
}

impl EsmClass {
    /// Default mode, normal message, no GSM features.
    pub const DEFAULT: Self = Self(0);
    /// Bits 1-0: datagram mode.
    pub const DATAGRAM_MODE: Self = Self(0x01);
    /// Bits 1-0: forward (transaction) mode.
    pub const FORWARD_MODE: Self = Self(0x02);
    /// Bits 1-0: store and forward mode.
    pub const STORE_AND_FORWARD_MODE: Self = Self(0x03);
    /// Bits 5-2: MC delivery receipt.
    pub const DELIVERY_RECEIPT: Self = Self(0x04);
    /// Bits 5-2: SME delivery acknowledgement.
    pub const DELIVERY_ACK: Self = Self(0x08);
    /// Bits 5-2: SME manual/user acknowledgement.
    pub const USER_ACK: Self = Self(0x10);
    /// Bits 5-2: conversation abort.
    pub const CONVERSATION_ABORT: Self = Self(0x18);
    /// Bits 5-2: intermediate delivery notification.
    pub const INTERMEDIATE_NOTIFICATION: Self = Self(0x20);
    /// Bit 6: user data header indicator.
    pub const UDHI: Self = Self(0x40);
    /// Bit 7: reply path.
    pub const REPLY_PATH: Self = Self(0x80);

    /// Bits 1-0.
    pub const fn messaging_mode(self) -> u8 {
        self.0 & 0x03
    }

    /// Bits 5-2, in place (mask 0x3C).
    pub const fn message_type(self) -> u8 {
        self.0 & 0x3C
    }

    /// True if the message is an MC delivery receipt.
    pub const fn is_delivery_receipt(self) -> bool {
        self.message_type() == Self::DELIVERY_RECEIPT.0
    }

    /// True if the user data starts with a User Data Header.
    pub const fn udhi(self) -> bool {
        self.0 & Self::UDHI.0 != 0
    }

    /// The same class with the UDHI bit set.
    #[must_use]
    pub const fn with_udhi(self) -> Self {
        Self(self.0 | Self::UDHI.0)
    }

    /// True if reply path is requested.
    pub const fn reply_path(self) -> bool {
        self.0 & Self::REPLY_PATH.0 != 0
    }
}

newtype! {
    /// `registered_delivery` (v5.0 4.7.21): MC receipt (bits 1-0), SME
    /// acknowledgements (bits 3-2), intermediate notification (bit 4).
    #[derive(Debug)]
    pub struct RegisteredDelivery(u8);
}

impl RegisteredDelivery {
    /// No receipt, no acknowledgement.
    pub const NONE: Self = Self(0);
    /// MC receipt on final outcome, success or failure.
    pub const RECEIPT_ON_FINAL: Self = Self(0x01);
    /// MC receipt on failure only.
    pub const RECEIPT_ON_FAILURE: Self = Self(0x02);
    /// MC receipt on success only (v5.0).
    pub const RECEIPT_ON_SUCCESS: Self = Self(0x03);
    /// SME delivery acknowledgement requested.
    pub const SME_DELIVERY_ACK: Self = Self(0x04);
    /// SME manual/user acknowledgement requested.
    pub const SME_USER_ACK: Self = Self(0x08);
    /// Intermediate notification requested.
    pub const INTERMEDIATE_NOTIFICATION: Self = Self(0x10);

    /// Bits 1-0: the MC delivery receipt request (0 none, 1 final, 2 failure,
    /// 3 success).
    pub const fn mc_receipt(self) -> u8 {
        self.0 & 0x03
    }

    /// Bits 3-2, in place (mask 0x0C).
    pub const fn sme_ack(self) -> u8 {
        self.0 & 0x0C
    }

    /// Bit 4.
    pub const fn intermediate_notification(self) -> bool {
        self.0 & 0x10 != 0
    }
}

/// A version of the specification: SMPP v3.4 or v5.0. It decides which
/// PDUs and TLVs exist (the TLV placement of [`crate::TlvTag::allowed_in`])
/// and which operation matrix a session follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// SMPP v3.4 (and v3.3 peers, which bind with a lower
    /// `interface_version`).
    V34,
    /// SMPP v5.0.
    V50,
}

impl Version {
    /// The version an `interface_version` speaks: v5.0 from 0x50, v3.4
    /// below.
    pub const fn from_interface_version(interface_version: InterfaceVersion) -> Self {
        if interface_version.0 >= InterfaceVersion::V50.0 {
            Self::V50
        } else {
            Self::V34
        }
    }

    /// The `interface_version` value of this version.
    pub const fn interface_version(self) -> InterfaceVersion {
        match self {
            Self::V34 => InterfaceVersion::V34,
            Self::V50 => InterfaceVersion::V50,
        }
    }
}
