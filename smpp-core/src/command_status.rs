//! `command_status`: the outcome of a request (SMPP v5.0 4.7.6, Table 4-45).

open_enum! {
/// A `command_status`. `ESME_ROK` (0) in requests; an error code in responses.
///
/// Open: vendor-specific codes (0x400-0x4FF) and reserved codes are kept as they are.
pub struct CommandStatus(u32);
ESME_ROK = 0x000, "ESME_ROK";
ESME_RINVMSGLEN = 0x001, "ESME_RINVMSGLEN";
ESME_RINVCMDLEN = 0x002, "ESME_RINVCMDLEN";
ESME_RINVCMDID = 0x003, "ESME_RINVCMDID";
ESME_RINVBNDSTS = 0x004, "ESME_RINVBNDSTS";
ESME_RALYBND = 0x005, "ESME_RALYBND";
ESME_RINVPRTFLG = 0x006, "ESME_RINVPRTFLG";
ESME_RINVREGDLVFLG = 0x007, "ESME_RINVREGDLVFLG";
ESME_RSYSERR = 0x008, "ESME_RSYSERR";
ESME_RINVSRCADR = 0x00A, "ESME_RINVSRCADR";
ESME_RINVDSTADR = 0x00B, "ESME_RINVDSTADR";
ESME_RINVMSGID = 0x00C, "ESME_RINVMSGID";
ESME_RBINDFAIL = 0x00D, "ESME_RBINDFAIL";
ESME_RINVPASWD = 0x00E, "ESME_RINVPASWD";
ESME_RINVSYSID = 0x00F, "ESME_RINVSYSID";
ESME_RCANCELFAIL = 0x011, "ESME_RCANCELFAIL";
ESME_RREPLACEFAIL = 0x013, "ESME_RREPLACEFAIL";
ESME_RMSGQFUL = 0x014, "ESME_RMSGQFUL";
ESME_RINVSERTYP = 0x015, "ESME_RINVSERTYP";
ESME_RINVNUMDESTS = 0x033, "ESME_RINVNUMDESTS";
ESME_RINVDLNAME = 0x034, "ESME_RINVDLNAME";
ESME_RINVDESTFLAG = 0x040, "ESME_RINVDESTFLAG";
ESME_RINVSUBREP = 0x042, "ESME_RINVSUBREP";
ESME_RINVESMCLASS = 0x043, "ESME_RINVESMCLASS";
ESME_RCNTSUBDL = 0x044, "ESME_RCNTSUBDL";
ESME_RSUBMITFAIL = 0x045, "ESME_RSUBMITFAIL";
ESME_RINVSRCTON = 0x048, "ESME_RINVSRCTON";
ESME_RINVSRCNPI = 0x049, "ESME_RINVSRCNPI";
ESME_RINVDSTTON = 0x050, "ESME_RINVDSTTON";
ESME_RINVDSTNPI = 0x051, "ESME_RINVDSTNPI";
ESME_RINVSYSTYP = 0x053, "ESME_RINVSYSTYP";
ESME_RINVREPFLAG = 0x054, "ESME_RINVREPFLAG";
ESME_RINVNUMMSGS = 0x055, "ESME_RINVNUMMSGS";
ESME_RTHROTTLED = 0x058, "ESME_RTHROTTLED";
ESME_RINVSCHED = 0x061, "ESME_RINVSCHED";
ESME_RINVEXPIRY = 0x062, "ESME_RINVEXPIRY";
ESME_RINVDFTMSGID = 0x063, "ESME_RINVDFTMSGID";
ESME_RX_T_APPN = 0x064, "ESME_RX_T_APPN";
ESME_RX_P_APPN = 0x065, "ESME_RX_P_APPN";
ESME_RX_R_APPN = 0x066, "ESME_RX_R_APPN";
ESME_RQUERYFAIL = 0x067, "ESME_RQUERYFAIL";
ESME_RINVTLVSTREAM = 0x0C0, "ESME_RINVTLVSTREAM" | "ESME_RINVOPTPARSTREAM";
ESME_RTLVNOTALLWD = 0x0C1, "ESME_RTLVNOTALLWD" | "ESME_ROPTPARNOTALLWD";
ESME_RINVTLVLEN = 0x0C2, "ESME_RINVTLVLEN" | "ESME_RINVPARLEN";
ESME_RMISSINGTLV = 0x0C3, "ESME_RMISSINGTLV" | "ESME_RMISSINGOPTPARAM";
ESME_RINVTLVVAL = 0x0C4, "ESME_RINVTLVVAL" | "ESME_RINVOPTPARAMVAL";
ESME_RDELIVERYFAILURE = 0x0FE, "ESME_RDELIVERYFAILURE";
ESME_RUNKNOWNERR = 0x0FF, "ESME_RUNKNOWNERR";
ESME_RSERTYPUNAUTH = 0x100, "ESME_RSERTYPUNAUTH";
ESME_RPROHIBITED = 0x101, "ESME_RPROHIBITED";
ESME_RSERTYPUNAVAIL = 0x102, "ESME_RSERTYPUNAVAIL";
ESME_RSERTYPDENIED = 0x103, "ESME_RSERTYPDENIED";
ESME_RINVDCS = 0x104, "ESME_RINVDCS";
ESME_RINVSRCADDRSUBUNIT = 0x105, "ESME_RINVSRCADDRSUBUNIT";
ESME_RINVDSTADDRSUBUNIT = 0x106, "ESME_RINVDSTADDRSUBUNIT";
ESME_RINVBCASTFREQINT = 0x107, "ESME_RINVBCASTFREQINT";
ESME_RINVBCASTALIAS_NAME = 0x108, "ESME_RINVBCASTALIAS_NAME";
ESME_RINVBCASTAREAFMT = 0x109, "ESME_RINVBCASTAREAFMT";
ESME_RINVNUMBCAST_AREAS = 0x10A, "ESME_RINVNUMBCAST_AREAS";
ESME_RINVBCASTCNTTYPE = 0x10B, "ESME_RINVBCASTCNTTYPE";
ESME_RINVBCASTMSGCLASS = 0x10C, "ESME_RINVBCASTMSGCLASS";
ESME_RBCASTFAIL = 0x10D, "ESME_RBCASTFAIL";
ESME_RBCASTQUERYFAIL = 0x10E, "ESME_RBCASTQUERYFAIL";
ESME_RBCASTCANCELFAIL = 0x10F, "ESME_RBCASTCANCELFAIL";
ESME_RINVBCAST_REP = 0x110, "ESME_RINVBCAST_REP";
ESME_RINVBCASTSRVGRP = 0x111, "ESME_RINVBCASTSRVGRP";
ESME_RINVBCASTCHANIND = 0x112, "ESME_RINVBCASTCHANIND";}

/// The v3.4 names of the codes v5.0 renamed. [`CommandStatus::from_name`]
/// takes either name; [`CommandStatus::name`] gives the v5.0 one and
/// [`CommandStatus::name_v34`] the v3.4 one.
impl CommandStatus {
    /// v3.4 name of [`Self::ESME_RINVTLVSTREAM`].
    pub const ESME_RINVOPTPARSTREAM: Self = Self::ESME_RINVTLVSTREAM;
    /// v3.4 name of [`Self::ESME_RTLVNOTALLWD`].
    pub const ESME_ROPTPARNOTALLWD: Self = Self::ESME_RTLVNOTALLWD;
    /// v3.4 name of [`Self::ESME_RINVTLVLEN`].
    pub const ESME_RINVPARLEN: Self = Self::ESME_RINVTLVLEN;
    /// v3.4 name of [`Self::ESME_RMISSINGTLV`].
    pub const ESME_RMISSINGOPTPARAM: Self = Self::ESME_RMISSINGTLV;
    /// v3.4 name of [`Self::ESME_RINVTLVVAL`].
    pub const ESME_RINVOPTPARAMVAL: Self = Self::ESME_RINVTLVVAL;

    /// True for `ESME_ROK`.
    pub const fn is_ok(self) -> bool {
        self.0 == 0
    }

    /// True for the answers that mean "too much, too fast": `ESME_RTHROTTLED` (0x58, the ESME
    /// exceeded its allowed message rate) and `ESME_RMSGQFUL` (0x14, the MC's message queue,
    /// for the destination or in all, is full). A sender should slow down and send the
    /// request again later. SMPP v5.0 adds no other code of this kind.
    ///
    /// ```
    /// use smpp_core::CommandStatus;
    ///
    /// assert!(CommandStatus::ESME_RTHROTTLED.is_throttling());
    /// assert!(CommandStatus::ESME_RMSGQFUL.is_throttling());
    /// assert!(!CommandStatus::ESME_RSYSERR.is_throttling());
    /// ```
    pub const fn is_throttling(self) -> bool {
        matches!(self, Self::ESME_RTHROTTLED | Self::ESME_RMSGQFUL)
    }

    /// True for temporary failures: the same request may succeed if sent again later, so a
    /// sender may retry it (after a pause) rather than report it failed. These are
    ///
    /// - the throttling answers ([`Self::is_throttling`]): `ESME_RTHROTTLED` (0x58) and
    ///   `ESME_RMSGQFUL` (0x14), a rate or a queue that will drain;
    /// - `ESME_RSYSERR` (0x08), a system error inside the MC, which says nothing about the
    ///   request;
    /// - `ESME_RX_T_APPN` (0x64), the ESME's "temporary application error", which the
    ///   specification defines as asking the MC to retry the delivery later;
    /// - `ESME_RSERTYPUNAVAIL` (0x102, v5.0), the service type is unavailable for a service
    ///   outage.
    ///
    /// Every other code says the request itself is wrong or refused (a field, the bind state,
    /// an authorisation, `ESME_RX_P_APPN` and `ESME_RX_R_APPN`), and sending it again gets the
    /// same answer. Codes that may be either are not counted: `ESME_RDELIVERYFAILURE` (0xFE,
    /// its `delivery_failure_reason` TLV tells), `ESME_RSUBMITFAIL` (0x45) and
    /// `ESME_RUNKNOWNERR` (0xFF); nor are `ESME_ROK`, reserved and vendor-specific codes.
    ///
    /// ```
    /// use smpp_core::CommandStatus;
    ///
    /// assert!(CommandStatus::ESME_RTHROTTLED.is_retryable());
    /// assert!(CommandStatus::ESME_RX_T_APPN.is_retryable());
    /// assert!(!CommandStatus::ESME_RINVDSTADR.is_retryable());
    /// assert!(!CommandStatus::ESME_RX_P_APPN.is_retryable());
    /// ```
    pub const fn is_retryable(self) -> bool {
        self.is_throttling()
            || matches!(
                self,
                Self::ESME_RSYSERR | Self::ESME_RX_T_APPN | Self::ESME_RSERTYPUNAVAIL
            )
    }

    /// True for codes in the vendor-specific range 0x400-0x4FF.
    pub const fn is_vendor_specific(self) -> bool {
        matches!(self.0, 0x400..=0x4FF)
    }

    /// The SMPP v3.4 name where it differs from the v5.0 name (0xC0-0xC4),
    /// otherwise the same as [`Self::name`].
    pub const fn name_v34(self) -> Option<&'static str> {
        match self.0 {
            0xC0 => Some("ESME_RINVOPTPARSTREAM"),
            0xC1 => Some("ESME_ROPTPARNOTALLWD"),
            0xC2 => Some("ESME_RINVPARLEN"),
            0xC3 => Some("ESME_RMISSINGOPTPARAM"),
            0xC4 => Some("ESME_RINVOPTPARAMVAL"),
            _ => self.name(),
        }
    }
}
