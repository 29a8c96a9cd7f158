//! The one error type of the codec, and what to answer the peer.
//!
//! Every decode and encode failure is an [`Error`]: `Copy`, allocation-free,
//! printable, and able to say which `command_status` the peer should receive
//! ([`Error::command_status`]) and in which PDU ([`Error::reply`]).

use core::fmt;

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
use crate::header::Header;
use crate::time::TimeError;
use crate::tlv::TlvTag;
use crate::values::Version;

/// [`Field`], [`Field::name`] and [`Field::command_status`] from one row
/// per field: the variant, the specification's name and the status a peer
/// should receive when the field is wrong.
macro_rules! field_table {
    (
        $(#[$meta:meta])* pub enum Field {
            $($(#[$doc:meta])* $v:ident($name:ident) => $status:ident,)+
        }
    ) => {
        $(#[$meta])*
        pub enum Field {
            $($(#[$doc])* $v,)+
        }

        impl Field {
            /// The field's name in the specification (`source_addr`, `sm_length`, ...).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$v => stringify!($name),)+
                }
            }

            /// The `command_status` a peer should receive when this field is wrong.
            pub const fn command_status(self) -> CommandStatus {
                match self {
                    $(Self::$v => CommandStatus::$status,)+
                }
            }
        }
    };
}

field_table! {
    /// A mandatory PDU field, named as in the specification's PDU tables
    /// (SMPP v3.4 chapter 4, v5.0 chapter 4; the fields themselves are defined
    /// in v3.4 5.2 and v5.0 4.7). [`Field::name`] gives the specification's
    /// spelling.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Field {
        /// `system_id` (max 16): the binds, their responses, `outbind`.
        SystemId(system_id) => ESME_RINVSYSID,
        /// `password` (max 9): the binds, `outbind`.
        Password(password) => ESME_RINVPASWD,
        /// `system_type` (max 13): the binds.
        SystemType(system_type) => ESME_RINVSYSTYP,
        // `interface_version` to `address_range`: fields only bind requests
        // have; the bind fails.
        /// `interface_version`: the binds.
        InterfaceVersion(interface_version) => ESME_RBINDFAIL,
        /// `addr_ton`: the TON of `address_range` in the binds.
        AddrTon(addr_ton) => ESME_RBINDFAIL,
        /// `addr_npi`: the NPI of `address_range` in the binds.
        AddrNpi(addr_npi) => ESME_RBINDFAIL,
        /// `address_range` (max 41): the binds.
        AddressRange(address_range) => ESME_RBINDFAIL,
        /// `service_type` (max 6).
        ServiceType(service_type) => ESME_RINVSERTYP,
        /// `source_addr_ton`.
        SourceAddrTon(source_addr_ton) => ESME_RINVSRCTON,
        /// `source_addr_npi`.
        SourceAddrNpi(source_addr_npi) => ESME_RINVSRCNPI,
        /// `source_addr` (max 21; 65 in `data_sm` and `alert_notification`).
        SourceAddr(source_addr) => ESME_RINVSRCADR,
        /// `dest_addr_ton` (also in `submit_multi` entries).
        DestAddrTon(dest_addr_ton) => ESME_RINVDSTTON,
        /// `dest_addr_npi` (also in `submit_multi` entries).
        DestAddrNpi(dest_addr_npi) => ESME_RINVDSTNPI,
        /// `destination_addr` (max 21; 65 in `data_sm`).
        DestinationAddr(destination_addr) => ESME_RINVDSTADR,
        /// `esm_class`.
        EsmClass(esm_class) => ESME_RINVESMCLASS,
        /// `protocol_id`.
        ProtocolId(protocol_id) => ESME_RUNKNOWNERR,
        /// `priority_flag`.
        PriorityFlag(priority_flag) => ESME_RINVPRTFLG,
        /// `schedule_delivery_time` (empty or an SMPP time, see [`crate::time`]).
        ScheduleDeliveryTime(schedule_delivery_time) => ESME_RINVSCHED,
        /// `validity_period` (empty or an SMPP time, see [`crate::time`]).
        ValidityPeriod(validity_period) => ESME_RINVEXPIRY,
        /// `registered_delivery`.
        RegisteredDelivery(registered_delivery) => ESME_RINVREGDLVFLG,
        /// `replace_if_present_flag`.
        ReplaceIfPresentFlag(replace_if_present_flag) => ESME_RINVREPFLAG,
        /// `data_coding`.
        DataCoding(data_coding) => ESME_RINVDCS,
        /// `sm_default_msg_id`.
        SmDefaultMsgId(sm_default_msg_id) => ESME_RINVDFTMSGID,
        /// `sm_length`: the length of `short_message`.
        SmLength(sm_length) => ESME_RINVMSGLEN,
        /// `short_message` (0-255 octets).
        ShortMessage(short_message) => ESME_RINVMSGLEN,
        /// `message_id` (max 65).
        MessageId(message_id) => ESME_RINVMSGID,
        /// `final_date` of `query_sm_resp` (empty or an absolute SMPP time).
        FinalDate(final_date) => ESME_RUNKNOWNERR,
        /// `message_state` of `query_sm_resp`.
        MessageState(message_state) => ESME_RUNKNOWNERR,
        /// `error_code` of `query_sm_resp`.
        ErrorCode(error_code) => ESME_RUNKNOWNERR,
        /// `number_of_dests` of `submit_multi` (1-255).
        NumberOfDests(number_of_dests) => ESME_RINVNUMDESTS,
        /// `dest_flag` of a `submit_multi` destination (1 or 2).
        DestFlag(dest_flag) => ESME_RINVDESTFLAG,
        /// `dl_name` (max 21) of a `submit_multi` distribution list.
        DlName(dl_name) => ESME_RINVDLNAME,
        /// `no_unsuccess` of `submit_multi_resp`.
        NoUnsuccess(no_unsuccess) => ESME_RUNKNOWNERR,
        /// `error_status_code` of an `unsuccess_sme` entry.
        ErrorStatusCode(error_status_code) => ESME_RUNKNOWNERR,
        /// `esme_addr_ton` of `alert_notification`.
        EsmeAddrTon(esme_addr_ton) => ESME_RINVSRCTON,
        /// `esme_addr_npi` of `alert_notification`.
        EsmeAddrNpi(esme_addr_npi) => ESME_RINVSRCNPI,
        /// `esme_addr` (max 65) of `alert_notification`.
        EsmeAddr(esme_addr) => ESME_RINVSRCADR,
    }
}
display_name!(Field);

/// What is wrong with a mandatory field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldProblem {
    /// The body ended before this field.
    Missing,
    /// A C-Octet String has no NUL terminator within its maximum size
    /// (`max` octets, NUL included).
    Unterminated {
        /// The field's maximum size in octets, NUL included.
        max: usize,
    },
    /// (Encoding) the value is longer than the field allows.
    TooLong {
        /// The field's maximum size in octets (NUL included for C-Octet Strings).
        max: usize,
        /// The size the value would take.
        len: usize,
    },
    /// (Encoding) a C-Octet String value contains a NUL octet.
    EmbeddedNul,
    /// An SMPP time field that is neither empty nor 16 characters long.
    TimeLength {
        /// Characters before the NUL.
        len: usize,
    },
    /// An SMPP time field of 16 characters that is not an SMPP time
    /// (absolute `YYMMDDhhmmsstnnp`, relative `YYMMDDhhmmss000R`), or a
    /// relative time in `final_date`, which holds absolute times only.
    TimeFormat {
        /// What is wrong with the time.
        error: TimeError,
    },
    /// A length field (`sm_length`) announces more octets than the body
    /// holds. Answered with the field's status (`ESME_RINVMSGLEN`), not
    /// `ESME_RINVCMDLEN`.
    LengthExceedsBody {
        /// The announced length.
        len: usize,
        /// The octets left in the body.
        available: usize,
    },
    /// A value the specification does not allow (for example a `dest_flag`
    /// other than 1 or 2, or a `number_of_dests` of 0).
    InvalidValue {
        /// The value found.
        value: u32,
    },
    /// (Encoding) the field is set together with a TLV that carries the
    /// same data: a non-empty `short_message` and the `message_payload` TLV
    /// are mutually exclusive.
    ExclusiveWithTlv {
        /// The TLV that is also present.
        tag: TlvTag,
    },
    /// A count field (`number_of_dests`, `no_unsuccess`) announces more
    /// entries than there are: the body (when encoding, the list's octets)
    /// ends after `found` of them.
    TooFewEntries {
        /// The count announced.
        count: usize,
        /// The entries present.
        found: usize,
    },
    /// (Encoding) a list's octets go on after the entries its count field
    /// announces.
    OctetsAfterEntries {
        /// The octets after the last counted entry.
        octets: usize,
    },
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Missing => f.write_str("missing: the body ends before it"),
            Self::Unterminated { max } => {
                write!(f, "no NUL terminator within its {max} octets")
            }
            Self::TooLong { max, len } => write!(f, "{len} octets, more than its maximum {max}"),
            Self::EmbeddedNul => f.write_str("contains a NUL octet"),
            Self::TimeLength { len } => {
                write!(f, "{len} characters; a time is empty or 16 characters")
            }
            Self::TimeFormat { error } => write!(f, "not an SMPP time: {error}"),
            Self::LengthExceedsBody { len, available } => {
                write!(f, "announces {len} octets but only {available} remain")
            }
            Self::InvalidValue { value } => write!(f, "invalid value {value:#x}"),
            Self::ExclusiveWithTlv { tag } => {
                write!(
                    f,
                    "set together with TLV {tag}; only one of them may carry the data"
                )
            }
            Self::TooFewEntries { count, found } => {
                write!(f, "announces {count} entries but only {found} are present")
            }
            Self::OctetsAfterEntries { octets } => {
                write!(f, "{octets} octets follow the entries it announces")
            }
        }
    }
}

/// What is wrong with a TLV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlvProblem {
    /// 1 to 3 octets remain after the last TLV: too few for a tag and length.
    Truncated {
        /// The octets left over.
        remaining: usize,
    },
    /// The TLV's length runs past the end of the PDU.
    ValueOverrun {
        /// The length field.
        len: usize,
        /// The octets actually left for the value.
        available: usize,
    },
    /// A length the specification does not allow for this tag.
    InvalidLength {
        /// The length field.
        len: usize,
    },
    /// A value the specification does not allow for this tag (for example a
    /// C-Octet String without its NUL).
    InvalidValue,
    /// A TLV the specification defines, in a PDU whose TLV table in this
    /// version does not list it. Reported only by the opt-in placement
    /// check ([`crate::Pdu::check_tlvs_allowed`]); decoding accepts it.
    NotAllowed {
        /// The version whose tables were applied.
        version: Version,
    },
    /// A TLV the PDU must carry is absent.
    Missing,
    /// (Encoding) a value longer than the 16-bit length field can express.
    TooLong {
        /// The value's length.
        len: usize,
    },
}

impl fmt::Display for TlvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Truncated { remaining } => {
                write!(f, "{remaining} octets left over, too few for a TLV header")
            }
            Self::ValueOverrun { len, available } => {
                write!(
                    f,
                    "length {len} runs past the PDU ({available} octets left)"
                )
            }
            Self::InvalidLength { len } => write!(f, "length {len} not allowed for this tag"),
            Self::InvalidValue => f.write_str("value not allowed for this tag"),
            Self::NotAllowed { version } => {
                // The `interface_version`'s name: "3.4" or "5.0".
                let version = version.interface_version();
                write!(f, "not allowed in this PDU in SMPP v{version}")
            }
            Self::Missing => f.write_str("mandatory TLV missing"),
            Self::TooLong { len } => write!(f, "value of {len} octets exceeds 65535"),
        }
    }
}

/// Another protocol spoken to an SMPP port, recognised by the first octets
/// of the stream ([`ForeignProtocol::detect`]).
///
/// A PDU starts with its `command_length`, whose first octet is 0 for any
/// PDU below 16 MiB. These protocols start with a non-zero octet, so their
/// octets would announce a `command_length` of hundreds of megabytes or
/// more, which a decoder configured with a large maximum might otherwise
/// wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ForeignProtocol {
    /// A TLS record header: content type 0x14-0x17, then version 0x03 0x00-0x04.
    Tls,
    /// An SSL 2.0 `CLIENT-HELLO` (two-octet record length with the high bit
    /// set, message type 1, version 0x00 0x02 or 0x03 0x0X).
    Sslv2,
    /// An HTTP/1.x request line (`GET `, `POST`, `PUT `, `HEAD`, `DELE`,
    /// `CONN`, `OPTI`, `TRAC`, `PATC`) or the HTTP/2 preface (`PRI `).
    Http,
}

impl ForeignProtocol {
    /// Recognises another protocol from the first four octets of a stream
    /// (or of the next frame); `None` if they may start an SMPP PDU or fewer
    /// than four are given.
    ///
    /// ```
    /// use smpp_core::ForeignProtocol;
    ///
    /// assert_eq!(ForeignProtocol::detect(b"GET / HTTP/1.1\r\n"), Some(ForeignProtocol::Http));
    /// assert_eq!(ForeignProtocol::detect(&[0x16, 0x03, 0x01, 0x02]), Some(ForeignProtocol::Tls));
    /// assert_eq!(ForeignProtocol::detect(&[0, 0, 0, 16]), None);
    /// ```
    pub const fn detect(head: &[u8]) -> Option<Self> {
        let [a, b, c, d, ..] = *head else {
            return None;
        };
        match [a, b, c, d] {
            // Handshake, change_cipher_spec, alert, application_data;
            // SSL 3.0 to TLS 1.3 record versions.
            [0x14..=0x17, 0x03, 0x00..=0x04, _] => Some(Self::Tls),
            [0x80..=0xFF, _, 0x01, 0x00 | 0x03] => Some(Self::Sslv2),
            [b'G', b'E', b'T', b' ']
            | [b'P', b'O', b'S', b'T']
            | [b'P', b'U', b'T', b' ']
            | [b'H', b'E', b'A', b'D']
            | [b'D', b'E', b'L', b'E']
            | [b'C', b'O', b'N', b'N']
            | [b'O', b'P', b'T', b'I']
            | [b'T', b'R', b'A', b'C']
            | [b'P', b'A', b'T', b'C']
            | [b'P', b'R', b'I', b' '] => Some(Self::Http),
            _ => None,
        }
    }

    /// A short name (`TLS`, `SSL 2.0`, `HTTP`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Tls => "TLS",
            Self::Sslv2 => "SSL 2.0",
            Self::Http => "HTTP",
        }
    }
}

display_name!(ForeignProtocol);

/// What went wrong, without the PDU context (see [`Error`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Fewer than 16 octets: not even a header.
    HeaderTruncated {
        /// The octets available.
        len: usize,
    },
    /// `command_length` is below 16.
    CommandLengthTooShort {
        /// The `command_length` read.
        command_length: u32,
    },
    /// `command_length` is above the caller's maximum.
    CommandLengthTooLong {
        /// The `command_length` read.
        command_length: u32,
        /// The maximum allowed.
        max: u32,
    },
    /// `command_length` differs from the octets the PDU really occupies.
    CommandLengthMismatch {
        /// The `command_length` read.
        command_length: u32,
        /// The octets of the frame.
        actual: usize,
    },
    /// The stream carries another protocol, recognised by its first octets
    /// (a TLS handshake, an HTTP request), whatever `command_length` those
    /// octets would announce.
    NotSmpp {
        /// The protocol recognised.
        protocol: ForeignProtocol,
    },
    /// A `command_id` this codec does not know.
    UnknownCommandId,
    /// Octets after the header of a header-only request (`unbind`,
    /// `enquire_link`).
    TrailingBytes {
        /// The octets left over.
        count: usize,
    },
    /// A mandatory field is wrong.
    Field {
        /// Which field.
        field: Field,
        /// What is wrong with it.
        problem: FieldProblem,
    },
    /// A TLV is wrong.
    Tlv {
        /// The TLV's tag.
        tag: TlvTag,
        /// What is wrong with it.
        problem: TlvProblem,
    },
    /// (Encoding) the PDU would be longer than `command_length`, an
    /// Integer4, can say; nothing was written.
    CommandLengthOverflow {
        /// The octets the PDU would take.
        len: usize,
    },
    /// (Encoding) the output buffer is too small; nothing was written.
    BufferTooSmall {
        /// The octets the PDU needs.
        needed: usize,
        /// The octets the buffer has.
        available: usize,
    },
}

impl ErrorKind {
    /// The `command_status` a peer should receive for this error.
    pub const fn command_status(&self) -> CommandStatus {
        match *self {
            Self::HeaderTruncated { .. }
            | Self::CommandLengthTooShort { .. }
            | Self::CommandLengthTooLong { .. }
            | Self::CommandLengthMismatch { .. }
            | Self::NotSmpp { .. }
            | Self::CommandLengthOverflow { .. }
            | Self::TrailingBytes { .. } => CommandStatus::ESME_RINVCMDLEN,
            Self::UnknownCommandId => CommandStatus::ESME_RINVCMDID,
            Self::Field { field, problem } => match problem {
                // The body is shorter than the PDU's layout: its length is wrong.
                FieldProblem::Missing => CommandStatus::ESME_RINVCMDLEN,
                // `sm_length` beyond the body is the message length's
                // fault (ESME_RINVMSGLEN), as any other sm_length problem.
                FieldProblem::LengthExceedsBody { .. }
                | FieldProblem::Unterminated { .. }
                | FieldProblem::TooLong { .. }
                | FieldProblem::EmbeddedNul
                | FieldProblem::TimeLength { .. }
                | FieldProblem::TimeFormat { .. }
                | FieldProblem::InvalidValue { .. }
                | FieldProblem::ExclusiveWithTlv { .. }
                | FieldProblem::TooFewEntries { .. }
                | FieldProblem::OctetsAfterEntries { .. } => field.command_status(),
            },
            Self::Tlv { problem, .. } => match problem {
                TlvProblem::Truncated { .. } | TlvProblem::ValueOverrun { .. } => {
                    CommandStatus::ESME_RINVTLVSTREAM
                }
                TlvProblem::InvalidLength { .. } | TlvProblem::TooLong { .. } => {
                    CommandStatus::ESME_RINVTLVLEN
                }
                TlvProblem::InvalidValue => CommandStatus::ESME_RINVTLVVAL,
                TlvProblem::NotAllowed { .. } => CommandStatus::ESME_RTLVNOTALLWD,
                TlvProblem::Missing => CommandStatus::ESME_RMISSINGTLV,
            },
            Self::BufferTooSmall { .. } => CommandStatus::ESME_RSYSERR,
        }
    }

    /// True if the error is in the header, so the answer is a `generic_nack`
    /// rather than the PDU's own response.
    pub const fn is_header_error(&self) -> bool {
        matches!(
            self,
            Self::HeaderTruncated { .. }
                | Self::CommandLengthTooShort { .. }
                | Self::CommandLengthTooLong { .. }
                | Self::CommandLengthMismatch { .. }
                | Self::NotSmpp { .. }
                | Self::UnknownCommandId
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::HeaderTruncated { len } => {
                write!(f, "{len} octets, fewer than the 16-octet header")
            }
            Self::CommandLengthTooShort { command_length } => {
                write!(f, "command_length {command_length} is below 16")
            }
            Self::CommandLengthTooLong {
                command_length,
                max,
            } => write!(
                f,
                "command_length {command_length} exceeds the maximum {max}"
            ),
            Self::CommandLengthMismatch {
                command_length,
                actual,
            } => write!(
                f,
                "command_length {command_length} but the PDU occupies {actual} octets"
            ),
            Self::NotSmpp { protocol } => {
                let start = match protocol {
                    ForeignProtocol::Tls => "a TLS record",
                    ForeignProtocol::Sslv2 => "an SSL 2.0 client hello",
                    ForeignProtocol::Http => "an HTTP request",
                };
                write!(f, "not SMPP: the octets start {start}")
            }
            Self::CommandLengthOverflow { len } => {
                write!(f, "{len} octets, more than command_length can express")
            }
            Self::UnknownCommandId => f.write_str("unknown command_id"),
            Self::TrailingBytes { count } => {
                write!(f, "{count} octets after a header-only PDU")
            }
            Self::Field { field, problem } => write!(f, "field {field}: {problem}"),
            Self::Tlv { tag, problem } => write!(f, "TLV {tag}: {problem}"),
            Self::BufferTooSmall { needed, available } => write!(
                f,
                "output buffer of {available} octets, the PDU needs {needed}"
            ),
        }
    }
}

/// A decode or encode error, with the header of the PDU it concerns when
/// one was read.
///
/// ```
/// use smpp_core::{CommandId, CommandStatus, Pdu};
///
/// // submit_sm whose source_addr (max 21 octets) has no NUL terminator.
/// let mut frame = [0u8; 16 + 1 + 2 + 30];
/// frame[..16].copy_from_slice(&[0, 0, 0, 49, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 7]);
/// frame[19..].fill(b'1');
/// let err = Pdu::parse(&frame).unwrap_err();
/// assert_eq!(err.command_status(), CommandStatus::ESME_RINVSRCADR);
/// let reply = err.reply();
/// assert_eq!(reply.command_id, CommandId::SUBMIT_SM_RESP);
/// assert_eq!(reply.sequence_number, 7);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    header: Option<Header>,
    kind: ErrorKind,
}

/// The PDU a peer should receive in answer to a PDU that failed to decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    /// `generic_nack` for header errors and for PDUs that have no response of
    /// their own; otherwise the response id of the failed request.
    pub command_id: CommandId,
    /// The status to send.
    pub command_status: CommandStatus,
    /// The failed PDU's `sequence_number` (0 if no header could be read).
    pub sequence_number: u32,
}

impl Reply {
    /// The octets [`Self::emit`] writes: 17 for `deliver_sm_resp` and
    /// `data_sm_resp`, 16 for every other PDU.
    pub const fn encoded_len(&self) -> usize {
        let id = self.command_id.0;
        if id == CommandId::DELIVER_SM_RESP.0 || id == CommandId::DATA_SM_RESP.0 {
            Header::LEN + 1
        } else {
            Header::LEN
        }
    }

    /// Encodes the reply into `out` and returns the octets written
    /// ([`Self::encoded_len`]); nothing is written if `out` is shorter.
    ///
    /// The reply is its header alone (`command_length` 16), as SMPP v5.0
    /// 3.2.1.3 has an error response, except `deliver_sm_resp` and
    /// `data_sm_resp`: SMPP v3.4 gives those a `message_id` that is always a
    /// single NUL, and some MCs cannot parse them without it, so that octet
    /// is written too (receivers accept either form).
    ///
    /// ```
    /// use smpp_core::{CommandId, CommandStatus, Pdu};
    ///
    /// // A submit_sm whose source_addr has no NUL within its 21 octets.
    /// let mut frame = [0u8; 16 + 1 + 2 + 30];
    /// frame[..16].copy_from_slice(&[0, 0, 0, 49, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 7]);
    /// frame[19..].fill(b'1');
    /// let reply = Pdu::parse(&frame).unwrap_err().reply();
    ///
    /// let mut out = [0u8; 16];
    /// let n = reply.emit(&mut out)?;
    /// assert_eq!(out[..n], [0, 0, 0, 16, 0x80, 0, 0, 4, 0, 0, 0, 0x0A, 0, 0, 0, 7]);
    /// let answer = Pdu::parse(&out[..n])?;
    /// assert_eq!(answer.command_id(), CommandId::SUBMIT_SM_RESP);
    /// assert_eq!(answer.command_status, CommandStatus::ESME_RINVSRCADR);
    /// # Ok::<(), smpp_core::Error>(())
    /// ```
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        let len = self.encoded_len();
        let available = out.len();
        let Some((head, body)) = out
            .get_mut(..len)
            .and_then(|dst| dst.split_first_chunk_mut::<{ Header::LEN }>())
        else {
            return Err(Error::new(ErrorKind::BufferTooSmall {
                needed: len,
                available,
            }));
        };
        let header = Header {
            command_length: if body.is_empty() { 16 } else { 17 },
            command_id: self.command_id,
            command_status: self.command_status,
            sequence_number: self.sequence_number,
        };
        *head = header.to_bytes();
        body.fill(0);
        Ok(len)
    }
}

impl Error {
    /// An error without PDU context.
    pub const fn new(kind: ErrorKind) -> Self {
        Self { header: None, kind }
    }

    /// The same error, tied to the header of the PDU it concerns.
    #[must_use]
    pub const fn with_header(mut self, header: Header) -> Self {
        self.header = Some(header);
        self
    }

    /// What went wrong.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The header of the PDU, if one was read.
    pub const fn header(&self) -> Option<Header> {
        self.header
    }

    /// The `command_id` of the PDU, if a header was read.
    pub fn command_id(&self) -> Option<CommandId> {
        self.header.map(|h| h.command_id)
    }

    /// The `sequence_number` of the PDU, if a header was read.
    pub fn sequence_number(&self) -> Option<u32> {
        self.header.map(|h| h.sequence_number)
    }

    /// The `command_status` a peer should receive.
    pub const fn command_status(&self) -> CommandStatus {
        self.kind.command_status()
    }

    /// The PDU to answer with: `generic_nack` for header errors (or when the
    /// failed PDU is a response or has no response), else the request's own
    /// response, carrying [`Self::command_status`] and the failed PDU's
    /// `sequence_number`.
    pub fn reply(&self) -> Reply {
        let sequence_number = self.sequence_number().unwrap_or(0);
        let command_id = match self.header {
            Some(h) if !self.kind.is_header_error() && h.command_id.expects_response() => {
                h.command_id.response()
            }
            _ => CommandId::GENERIC_NACK,
        };
        Reply {
            command_id,
            command_status: self.command_status(),
            sequence_number,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(h) = self.header {
            write!(f, "{} (sequence {}): ", h.command_id, h.sequence_number)?;
        }
        write!(f, "{} [{}]", self.kind, self.command_status())
    }
}

impl core::error::Error for Error {}
