//! Builders for the PDUs an application sends.
//!
//! Each builder starts from the specification's defaults (empty strings,
//! zero integers, `interface_version` 0x34 for binds), takes fields through
//! setters, and checks everything in [`build`](SubmitSmBuilder::build): a
//! field or TLV that breaks its rule gives the core [`Error`], which names
//! it, the PDU (`command_id` and `sequence_number`, so [`Error::reply`]
//! gives the response) and the `command_status` it stands for. Builders
//! make owned [`Pdu`]s, or with `build_valid` [`ValidPdu`]s, which encode
//! without being checked again.
//!
//! ```
//! use smpp_core::{CommandStatus, ErrorKind, Field};
//! use smpp_std::{BindBuilder, SubmitSmBuilder};
//!
//! let bind = BindBuilder::transceiver(1)
//!     .system_id("SMPP3TEST")
//!     .password("secret08")
//!     .build()
//!     .unwrap();
//! assert_eq!(bind.encoded_len(), 16 + 10 + 9 + 1 + 1 + 2 + 1);
//!
//! // A source address longer than 20 characters is refused when built.
//! let err = SubmitSmBuilder::new(2)
//!     .source_addr("123456789012345678901")
//!     .build()
//!     .unwrap_err();
//! assert!(matches!(err.kind(), ErrorKind::Field { field: Field::SourceAddr, .. }));
//! assert_eq!(err.command_status(), CommandStatus::ESME_RINVSRCADR);
//! ```

use bytes::Bytes;
use smpp_core::{
    CommandId, CommandStatus, DataCoding, DestAddress, DestAddressBuf, Error, ErrorKind, EsmClass,
    Field, FieldProblem, Header, InterfaceVersion, MessageState, Npi, PriorityFlag,
    RegisteredDelivery, ReplaceIfPresentFlag, TlvProblem, TlvTag, TlvValue, Ton, UnsuccessSme,
    UnsuccessSmeBuf,
};

use crate::owned::{
    AlertNotification, Bind, BindResp, Body, BroadcastSm, CancelBroadcastSm, CancelSm, DataSm,
    Outbind, Pdu, QuerySm, QuerySmResp, ReplaceSm, SubmitMulti, SubmitMultiResp, SubmitSm,
    SubmitSmResp, Tlvs, ValidPdu,
};

/// Text or octets a builder setter accepts: `&str`, `String`, `&[u8]`,
/// `Vec<u8>`, byte arrays and [`Bytes`].
pub trait IntoOctets {
    /// The octets, as [`Bytes`].
    fn into_octets(self) -> Bytes;
}

/// `IntoOctets` by `$convert`, for each type after it.
macro_rules! into_octets {
    ($($convert:path => $($ty:ty),+;)+) => {$($(
        impl IntoOctets for $ty {
            fn into_octets(self) -> Bytes {
                $convert(self)
            }
        }
    )+)+};
}

into_octets! {
    Bytes::from => Bytes, String, Vec<u8>;
    Bytes::clone => &Bytes;
    copied => &str, &String, &[u8];
}

impl<const N: usize> IntoOctets for &[u8; N] {
    fn into_octets(self) -> Bytes {
        copied(self)
    }
}

/// A copy of borrowed octets.
fn copied(octets: impl AsRef<[u8]>) -> Bytes {
    Bytes::copy_from_slice(octets.as_ref())
}

/// Gives an error found while building a PDU the PDU's header (its
/// `command_id`, `command_status` and `sequence_number`; `command_length`
/// is that of the header alone, as the PDU was not made), unless it has
/// one: the error then names the PDU and [`Error::reply`] answers it.
fn in_pdu(
    command_id: CommandId,
    command_status: CommandStatus,
    sequence_number: u32,
) -> impl Fn(Error) -> Error + Copy {
    move |e| {
        if e.header().is_some() {
            return e;
        }
        e.with_header(Header {
            command_length: 16,
            command_id,
            command_status,
            sequence_number,
        })
    }
}

/// Owned TLV region from raw octets, checked by the core's TLV rules.
fn owned_tlvs(raw: Vec<u8>) -> Result<Tlvs, Error> {
    let checked = smpp_core::Tlvs::parse(&raw)?.map(|_| ());
    Ok(checked.map(|()| Bytes::from(raw)))
}

/// Appends one TLV to a raw region (the tag's length rule is checked by
/// [`owned_tlvs`]). A value longer than the 16-bit length field can say is
/// not appended: it is recorded in `error` (the first error stands), so
/// that `build` fails instead of its excess octets reading as more TLVs.
fn push_tlv(raw: &mut Vec<u8>, error: &mut Option<Error>, tag: TlvTag, value: &[u8]) {
    let Ok(len) = u16::try_from(value.len()) else {
        error.get_or_insert(Error::new(ErrorKind::Tlv {
            tag,
            problem: TlvProblem::TooLong { len: value.len() },
        }));
        return;
    };
    raw.extend_from_slice(&tag.0.to_be_bytes());
    raw.extend_from_slice(&len.to_be_bytes());
    raw.extend_from_slice(value);
}

/// Appends a typed TLV value, encoded by the core; a value that breaks its
/// rules (see [`TlvValue::validate`]) is recorded in `error` instead.
fn push_value(raw: &mut Vec<u8>, error: &mut Option<Error>, value: &TlvValue<'_>) {
    let mut octets = vec![0u8; value.encoded_value_len()];
    match value.write_value(&mut octets) {
        Ok(_) => push_tlv(raw, error, value.tag(), &octets),
        Err(e) => {
            error.get_or_insert(e);
        }
    }
}

/// A request carrying its user data twice: a non-empty `short_message` and
/// the `message_payload` TLV, which the specification makes mutually
/// exclusive (`sm_length` must be 0 when `message_payload` is used).
fn check_user_data(body: &Body) -> Result<(), Error> {
    let (short_message, tlvs) = match body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => (&b.short_message, &b.tlvs),
        Body::SubmitMulti(b) => (&b.short_message, &b.tlvs),
        Body::ReplaceSm(b) => (&b.short_message, &b.tlvs),
        _ => return Ok(()),
    };
    if short_message.is_empty() || tlvs.get(TlvTag::MESSAGE_PAYLOAD).is_none() {
        return Ok(());
    }
    Err(Error::new(ErrorKind::Field {
        field: Field::ShortMessage,
        problem: FieldProblem::ExclusiveWithTlv {
            tag: TlvTag::MESSAGE_PAYLOAD,
        },
    }))
}

/// Checks a finished PDU once: its body by the rules of a successful
/// response (mandatory TLVs included, whatever its `command_status`), the
/// PDU by [`ValidPdu::new`] (what passes decodes back to it), and that a
/// request does not carry both `short_message` and `message_payload`.
fn finish(pdu: Pdu) -> Result<ValidPdu, Error> {
    let header = pdu.header();
    pdu.body.validate().map_err(|e| e.with_header(header))?;
    check_user_data(&pdu.body).map_err(|e| e.with_header(header))?;
    ValidPdu::new(pdu)
}

/// Wraps a body struct in the [`Body`] variant of a command.
trait IntoBody: Sized {
    fn into_body(self, id: CommandId) -> Body;
    /// Fills the entry lists a body has.
    fn apply_extra(&mut self, _extra: &Extra) -> Result<(), Error> {
        Ok(())
    }
}

macro_rules! into_body {
    ($ty:ty $(; extra $extra:path)?, $default:ident => $dv:expr $(, $id:ident => $v:expr)*) => {
        impl IntoBody for $ty {
            $(fn apply_extra(&mut self, extra: &Extra) -> Result<(), Error> {
                $extra(self, extra)
            })?
            #[allow(clippy::redundant_closure_call)]
            fn into_body(self, id: CommandId) -> Body {
                match id {
                    $(CommandId::$id => ($v)(self),)*
                    _ => ($dv)(self),
                }
            }
        }
    };
}

into_body!(Bind, BIND_TRANSMITTER => Body::BindTransmitter,
    BIND_RECEIVER => Body::BindReceiver, BIND_TRANSCEIVER => Body::BindTransceiver);
into_body!(BindResp, BIND_TRANSMITTER_RESP => |b| Body::BindTransmitterResp(Some(b)),
    BIND_RECEIVER_RESP => |b| Body::BindReceiverResp(Some(b)),
    BIND_TRANSCEIVER_RESP => |b| Body::BindTransceiverResp(Some(b)));
into_body!(Outbind, OUTBIND => Body::Outbind);
into_body!(SubmitSm, SUBMIT_SM => Body::SubmitSm, DELIVER_SM => Body::DeliverSm);
into_body!(SubmitSmResp, SUBMIT_SM_RESP => |b| Body::SubmitSmResp(Some(b)),
    DELIVER_SM_RESP => |b| Body::DeliverSmResp(Some(b)),
    DATA_SM_RESP => |b| Body::DataSmResp(Some(b)),
    BROADCAST_SM_RESP => |b| Body::BroadcastSmResp(Some(b)),
    QUERY_BROADCAST_SM_RESP => |b| Body::QueryBroadcastSmResp(Some(b)));
into_body!(DataSm, DATA_SM => Body::DataSm);
into_body!(SubmitMulti; extra dest_address, SUBMIT_MULTI => Body::SubmitMulti);
into_body!(SubmitMultiResp; extra unsuccess_sme, SUBMIT_MULTI_RESP => |b| Body::SubmitMultiResp(Some(b)));
into_body!(QuerySm, QUERY_SM => Body::QuerySm, QUERY_BROADCAST_SM => Body::QueryBroadcastSm);
into_body!(QuerySmResp, QUERY_SM_RESP => |b| Body::QuerySmResp(Some(b)));
into_body!(CancelSm, CANCEL_SM => Body::CancelSm);
into_body!(ReplaceSm, REPLACE_SM => Body::ReplaceSm);
into_body!(BroadcastSm, BROADCAST_SM => Body::BroadcastSm);
into_body!(CancelBroadcastSm, CANCEL_BROADCAST_SM => Body::CancelBroadcastSm);
into_body!(AlertNotification, ALERT_NOTIFICATION => Body::AlertNotification);

/// The raw and typed TLV setters shared by every builder.
macro_rules! raw_tlv_setters {
    () => {
        /// Appends a TLV with this tag and raw value (any tag, vendor tags
        /// included). Its length is checked against the tag's rule and the
        /// 65,535 octets of the length field when built
        /// ([`TlvProblem::TooLong`]).
        pub fn tlv(mut self, tag: TlvTag, value: impl IntoOctets) -> Self {
            push_tlv(&mut self.tlvs, &mut self.error, tag, &value.into_octets());
            self
        }

        /// Appends an Integer1 TLV.
        pub fn tlv_u8(mut self, tag: TlvTag, value: u8) -> Self {
            push_tlv(&mut self.tlvs, &mut self.error, tag, &[value]);
            self
        }

        /// Appends an Integer2 TLV.
        pub fn tlv_u16(mut self, tag: TlvTag, value: u16) -> Self {
            push_tlv(&mut self.tlvs, &mut self.error, tag, &value.to_be_bytes());
            self
        }

        /// Appends an Integer4 TLV.
        pub fn tlv_u32(mut self, tag: TlvTag, value: u32) -> Self {
            push_tlv(&mut self.tlvs, &mut self.error, tag, &value.to_be_bytes());
            self
        }

        /// Appends a C-Octet String TLV (the NUL is added; a NUL inside is
        /// refused when built).
        pub fn tlv_cstr(mut self, tag: TlvTag, value: impl IntoOctets) -> Self {
            let value = value.into_octets();
            if value.contains(&0) {
                self.error.get_or_insert(Error::new(ErrorKind::Tlv {
                    tag,
                    problem: TlvProblem::InvalidValue,
                }));
            }
            let mut v = value.to_vec();
            v.push(0);
            push_tlv(&mut self.tlvs, &mut self.error, tag, &v);
            self
        }

        /// `congestion_state` (v5.0, any response): 0 idle to 100 congested.
        pub fn congestion_state(self, value: u8) -> Self {
            self.tlv_value(&TlvValue::CongestionState(value))
        }

        /// Appends a typed TLV; a value that breaks its rules (see
        /// [`TlvValue::validate`]) fails the build.
        fn tlv_value(mut self, value: &TlvValue<'_>) -> Self {
            push_value(&mut self.tlvs, &mut self.error, value);
            self
        }
    };
}

/// The type a generated TLV setter takes for a value field of the TLV table.
macro_rules! setter_arg {
    (octets) => { impl IntoOctets };
    ($ty:tt $(<$arg:tt>)?) => { $ty $(<$arg>)? };
}

/// A setter argument, held for the value to borrow.
macro_rules! setter_hold {
    (octets, $arg:ident) => {
        $arg.into_octets()
    };
    ($ty:tt, $arg:ident) => {
        $arg
    };
}

/// A held setter argument, as the value's field.
macro_rules! setter_field {
    (octets, $arg:ident) => {
        &$arg[..]
    };
    ($ty:tt, $arg:ident) => {
        $arg
    };
}

/// One setter of [`tlv_setters`], for a row marked `setter`.
macro_rules! tlv_setter {
    ([] $($row:tt)*) => {};
    ([setter] $(#[$doc:meta])* $name:ident $variant:ident ($arg:ident : $ty:tt $(<$ty_arg:tt>)?)) => {
        #[doc = concat!("Appends `", stringify!($name), "`:")]
        $(#[$doc])*
        pub fn $name(self, $arg: setter_arg!($ty $(<$ty_arg>)?)) -> Self {
            let $arg = setter_hold!($ty, $arg);
            self.tlv_value(&TlvValue::$variant(setter_field!($ty, $arg)))
        }
    };
    ([setter] $(#[$doc:meta])* $name:ident $variant:ident { $($arg:ident : $ty:tt $(<$ty_arg:tt>)?),* }) => {
        #[doc = concat!("Appends `", stringify!($name), "`:")]
        $(#[$doc])*
        pub fn $name(self, $($arg: setter_arg!($ty $(<$ty_arg>)?)),*) -> Self {
            $( let $arg = setter_hold!($ty, $arg); )*
            self.tlv_value(&TlvValue::$variant { $($arg: setter_field!($ty, $arg)),* })
        }
    };
}

/// The typed TLV setters: one per row of the core's TLV table marked
/// `setter`, named after the tag and taking the fields of its value.
macro_rules! tlv_setters {
    ($(
        $(#[$doc:meta])*
        $konst:ident = $value:literal, $name:ident $(| $alias:ident)?, $rule:expr,
        in $placement:expr, json $json:ident $(($width:literal))?,
        $codec:ty => $variant:ident
            $( ( $one:ident : $one_ty:tt $(<$one_arg:tt>)? ) )?
            $( { $( $(#[$field_doc:meta])* $field:ident : $field_ty:tt $(<$field_arg:tt>)? ),* $(,)? } )?
        $(, $setter:ident)?;
    )*) => {$(
        tlv_setter! {
            [$($setter)?] $(#[$doc])* $name $variant
                $( ($one: $one_ty $(<$one_arg>)?) )?
                $( { $($field: $field_ty $(<$field_arg>)?),* } )?
        }
    )*};
}

macro_rules! typed_tlv_setters {
    () => {
        smpp_core::__tlv_table!(tlv_setters);

        /// The three `sar_*` TLVs of one segment of a concatenated message.
        pub fn sar(self, msg_ref_num: u16, total_segments: u8, segment_seqnum: u8) -> Self {
            self.tlv_value(&TlvValue::SarMsgRefNum(msg_ref_num))
                .tlv_value(&TlvValue::SarTotalSegments(total_segments))
                .tlv_value(&TlvValue::SarSegmentSeqnum(segment_seqnum))
        }

        /// `broadcast_rep_num`, in its two-octet form: repetitions, 0 =
        /// indefinitely.
        pub fn broadcast_rep_num(self, number: u16) -> Self {
            self.tlv_value(&TlvValue::BroadcastRepNum {
                number,
                one_octet: false,
            })
        }
    };
}

/// The setters of the header fields of every builder; `status_doc` says
/// what `command_status` may be.
macro_rules! header_setters {
    ($status_doc:literal) => {
        /// Sets `sequence_number`.
        pub fn sequence_number(mut self, sequence_number: u32) -> Self {
            self.sequence_number = sequence_number;
            self
        }

        #[doc = $status_doc]
        pub fn command_status(mut self, status: CommandStatus) -> Self {
            self.command_status = status;
            self
        }
    };
}

/// The setter of a body field of this kind, if it has one (the TLVs and the
/// entry lists have setters of their own).
/// An `int` field's type is named as the core's body names it, so it must
/// be in scope here.
macro_rules! field_setter {
    (cstr $field:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "` (C-Octet String; the NUL is added on the wire).")]
        pub fn $field(mut self, value: impl IntoOctets) -> Self {
            self.body.$field = smpp_core::COctet::new(value.into_octets());
            self
        }
    };
    (int $field:ident: $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, value: $ty) -> Self {
            self.body.$field = value;
            self
        }
    };
    (short_message $field:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "` (octets; `sm_length` is computed).")]
        pub fn $field(mut self, value: impl IntoOctets) -> Self {
            self.body.$field = value.into_octets();
            self
        }
    };
    ($kind:ident $field:ident) => {};
}

/// Defines a builder over a body struct, with a `field_setter!` for each
/// field that the body's field macro in the core hands over after the
/// other tokens (in wire order).
macro_rules! builder {
    (
        $(#[$meta:meta])*
        $name:ident($body:ty) {
            $( $(#[$cmeta:meta])* $ctor:ident => $cid:ident ),+ $(,)?
        }
        $(defaults { $($dfield:ident : $dvalue:expr),* $(,)? })?
        $(with $typed:ident)?
        { $($kind:ident $field:ident $(: $fty:ty)?,)* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        #[must_use]
        pub struct $name {
            command_id: CommandId,
            sequence_number: u32,
            command_status: CommandStatus,
            body: $body,
            tlvs: Vec<u8>,
            extra: Extra,
            error: Option<Error>,
        }

        impl $name {
            fn default_body() -> $body {
                #[allow(unused_mut)]
                let mut body = <$body>::default();
                $($( body.$dfield = $dvalue; )*)?
                body
            }

            $(
                $(#[$cmeta])*
                pub fn $ctor(sequence_number: u32) -> Self {
                    let body = Self::default_body();
                    Self {
                        command_id: CommandId::$cid,
                        sequence_number,
                        command_status: CommandStatus::ESME_ROK,
                        body,
                        tlvs: Vec::new(),
                        extra: Extra::default(),
                        error: None,
                    }
                }
            )+

            header_setters!("Sets `command_status` (0 in requests).");

            $( field_setter!($kind $field $(: $fty)?); )*

            raw_tlv_setters!();
            $( $typed!(); )?

            /// Checks every field and TLV and makes the PDU.
            ///
            /// # Errors
            ///
            /// The first field or TLV that breaks its rule, as the
            /// core [`Error`] naming it, tied to this PDU's
            /// `command_id` and `sequence_number` so that
            /// [`Error::reply`] gives the response.
            pub fn build(self) -> Result<Pdu, Error> {
                self.build_valid().map(ValidPdu::into_inner)
            }

            /// Checks every field and TLV and makes the PDU, as a
            /// [`ValidPdu`]: it encodes without being checked again.
            pub fn build_valid(self) -> Result<ValidPdu, Error> {
                let Self { command_id, sequence_number, command_status, mut body, tlvs, extra, error } = self;
                let in_pdu = in_pdu(command_id, command_status, sequence_number);
                if let Some(e) = error {
                    return Err(in_pdu(e));
                }
                body.tlvs = owned_tlvs(tlvs).map_err(in_pdu)?;
                body.apply_extra(&extra).map_err(in_pdu)?;
                let pdu = smpp_core::Pdu::new(sequence_number, body.into_body(command_id))
                    .with_status(command_status);
                finish(pdu)
            }
        }
    };
}

/// List entries of `submit_multi` and `submit_multi_resp` builders.
#[derive(Clone, Debug, Default)]
struct Extra {
    dests: Vec<(u8, Ton, Npi, Bytes)>,
    unsuccess: Vec<(Ton, Npi, Bytes, CommandStatus)>,
}

/// Room for the most entries a list counts (its count is an Integer1), all
/// of the longest kind.
const DEST_LIST_CAP: usize = u8::MAX as usize * DestAddress::MAX_LEN;
/// As [`DEST_LIST_CAP`], for `unsuccess_sme`.
const UNSUCCESS_LIST_CAP: usize = u8::MAX as usize * UnsuccessSme::MAX_LEN;

/// `dest_address` of a `submit_multi`, from the destinations added.
fn dest_address(body: &mut SubmitMulti, extra: &Extra) -> Result<(), Error> {
    let mut list = DestAddressBuf::<DEST_LIST_CAP>::new();
    for (flag, ton, npi, addr) in &extra.dests {
        let entry = if *flag == smpp_core::DEST_FLAG_DISTRIBUTION_LIST {
            DestAddress::DistributionList {
                dl_name: smpp_core::COctet::new(addr),
            }
        } else {
            DestAddress::SmeAddress {
                dest_addr_ton: *ton,
                dest_addr_npi: *npi,
                destination_addr: smpp_core::COctet::new(addr),
            }
        };
        list.push(entry)?;
    }
    body.dest_address = list.list().map(Bytes::copy_from_slice);
    Ok(())
}

/// `unsuccess_sme` of a `submit_multi_resp`, from the entries added.
fn unsuccess_sme(body: &mut SubmitMultiResp, extra: &Extra) -> Result<(), Error> {
    let mut list = UnsuccessSmeBuf::<UNSUCCESS_LIST_CAP>::new();
    for (ton, npi, addr, status) in &extra.unsuccess {
        list.push(UnsuccessSme {
            dest_addr_ton: *ton,
            dest_addr_npi: *npi,
            destination_addr: smpp_core::COctet::new(addr),
            error_status_code: *status,
        })?;
    }
    body.unsuccess_sme = list.list().map(Bytes::copy_from_slice);
    Ok(())
}

smpp_core::__bind_fields!(builder! {
    /// Builds `bind_transmitter`, `bind_receiver` or `bind_transceiver`
    /// (`interface_version` defaults to 0x34).
    BindBuilder(Bind) {
        /// A `bind_transmitter`.
        transmitter => BIND_TRANSMITTER,
        /// A `bind_receiver`.
        receiver => BIND_RECEIVER,
        /// A `bind_transceiver`.
        transceiver => BIND_TRANSCEIVER,
    }
    defaults { interface_version: InterfaceVersion::V34 }
});

smpp_core::__bind_resp_fields!(builder! {
    /// Builds the bind responses (with a body; for an error response without
    /// body use [`crate::reply_pdu`]).
    BindRespBuilder(BindResp) {
        /// A `bind_transmitter_resp`.
        transmitter_resp => BIND_TRANSMITTER_RESP,
        /// A `bind_receiver_resp`.
        receiver_resp => BIND_RECEIVER_RESP,
        /// A `bind_transceiver_resp`.
        transceiver_resp => BIND_TRANSCEIVER_RESP,
    }
    with typed_tlv_setters
});

smpp_core::__outbind_fields!(builder! {
    /// Builds `outbind`.
    OutbindBuilder(Outbind) {
        /// An `outbind`.
        new => OUTBIND,
    }
});

smpp_core::__submit_sm_fields!(builder! {
    /// Builds `submit_sm` (or, with [`SubmitSmBuilder::deliver_sm`], a
    /// `deliver_sm`: one body layout).
    SubmitSmBuilder(SubmitSm) {
        /// A `submit_sm`.
        new => SUBMIT_SM,
        /// A `deliver_sm` (MC to ESME, delivery receipts); the same as
        /// [`DeliverSmBuilder::new`].
        deliver_sm => DELIVER_SM,
    }
    with typed_tlv_setters
});

smpp_core::__submit_sm_fields!(builder! {
    /// Builds `deliver_sm` (MC to ESME: mobile originated messages and
    /// delivery receipts).
    ///
    /// ```
    /// use smpp_core::CommandId;
    /// use smpp_std::DeliverSmBuilder;
    ///
    /// let deliver = DeliverSmBuilder::new(8).short_message("hi").build().unwrap();
    /// assert_eq!(deliver.command_id(), CommandId::DELIVER_SM);
    /// ```
    DeliverSmBuilder(SubmitSm) {
        /// A `deliver_sm`.
        new => DELIVER_SM,
    }
    with typed_tlv_setters
});

smpp_core::__submit_sm_resp_fields!(builder! {
    /// Builds the responses that carry a `message_id` and TLVs:
    /// `submit_sm_resp`, `deliver_sm_resp`, `data_sm_resp`,
    /// `broadcast_sm_resp`, `query_broadcast_sm_resp`. For an error response
    /// without body use [`crate::reply_pdu`].
    SubmitSmRespBuilder(SubmitSmResp) {
        /// A `submit_sm_resp`.
        new => SUBMIT_SM_RESP,
        /// A `deliver_sm_resp`.
        deliver_sm_resp => DELIVER_SM_RESP,
        /// A `data_sm_resp`.
        data_sm_resp => DATA_SM_RESP,
        /// A `broadcast_sm_resp`.
        broadcast_sm_resp => BROADCAST_SM_RESP,
        /// A `query_broadcast_sm_resp` (needs the `message_state`,
        /// `broadcast_area_identifier` and `broadcast_area_success` TLVs).
        query_broadcast_sm_resp => QUERY_BROADCAST_SM_RESP,
    }
    with typed_tlv_setters
});

smpp_core::__data_sm_fields!(builder! {
    /// Builds `data_sm`.
    DataSmBuilder(DataSm) {
        /// A `data_sm`.
        new => DATA_SM,
    }
    with typed_tlv_setters
});

smpp_core::__submit_multi_fields!(builder! {
    /// Builds `submit_multi`; add destinations with
    /// [`SubmitMultiBuilder::dest_sme`] and [`SubmitMultiBuilder::dest_dl`].
    SubmitMultiBuilder(SubmitMulti) {
        /// A `submit_multi`.
        new => SUBMIT_MULTI,
    }
    with typed_tlv_setters
});

impl SubmitMultiBuilder {
    /// Adds an SME address destination (`dest_flag` 1).
    pub fn dest_sme(mut self, ton: Ton, npi: Npi, destination_addr: impl IntoOctets) -> Self {
        self.extra.dests.push((
            smpp_core::DEST_FLAG_SME_ADDRESS,
            ton,
            npi,
            destination_addr.into_octets(),
        ));
        self
    }

    /// Adds a distribution list destination (`dest_flag` 2).
    pub fn dest_dl(mut self, dl_name: impl IntoOctets) -> Self {
        self.extra.dests.push((
            smpp_core::DEST_FLAG_DISTRIBUTION_LIST,
            Ton::UNKNOWN,
            Npi::UNKNOWN,
            dl_name.into_octets(),
        ));
        self
    }
}

smpp_core::__submit_multi_resp_fields!(builder! {
    /// Builds `submit_multi_resp`; add failed destinations with
    /// [`SubmitMultiRespBuilder::unsuccess`].
    SubmitMultiRespBuilder(SubmitMultiResp) {
        /// A `submit_multi_resp`.
        new => SUBMIT_MULTI_RESP,
    }
    with typed_tlv_setters
});

impl SubmitMultiRespBuilder {
    /// Adds an `unsuccess_sme` entry.
    pub fn unsuccess(
        mut self,
        ton: Ton,
        npi: Npi,
        destination_addr: impl IntoOctets,
        error_status_code: CommandStatus,
    ) -> Self {
        self.extra
            .unsuccess
            .push((ton, npi, destination_addr.into_octets(), error_status_code));
        self
    }
}

smpp_core::__query_sm_fields!(builder! {
    /// Builds `query_sm` or `query_broadcast_sm` (one body layout).
    QuerySmBuilder(QuerySm) {
        /// A `query_sm`.
        new => QUERY_SM,
        /// A `query_broadcast_sm`.
        query_broadcast_sm => QUERY_BROADCAST_SM,
    }
    with typed_tlv_setters
});

smpp_core::__query_sm_resp_fields!(builder! {
    /// Builds `query_sm_resp`.
    QuerySmRespBuilder(QuerySmResp) {
        /// A `query_sm_resp`.
        new => QUERY_SM_RESP,
    }
});

smpp_core::__cancel_sm_fields!(builder! {
    /// Builds `cancel_sm`.
    CancelSmBuilder(CancelSm) {
        /// A `cancel_sm`.
        new => CANCEL_SM,
    }
});

smpp_core::__replace_sm_fields!(builder! {
    /// Builds `replace_sm`.
    ReplaceSmBuilder(ReplaceSm) {
        /// A `replace_sm`.
        new => REPLACE_SM,
    }
    with typed_tlv_setters
});

smpp_core::__broadcast_sm_fields!(builder! {
    /// Builds `broadcast_sm` (v5.0); it needs the `broadcast_area_identifier`,
    /// `broadcast_content_type`, `broadcast_rep_num` and
    /// `broadcast_frequency_interval` TLVs.
    BroadcastSmBuilder(BroadcastSm) {
        /// A `broadcast_sm`.
        new => BROADCAST_SM,
    }
    with typed_tlv_setters
});

smpp_core::__cancel_broadcast_sm_fields!(builder! {
    /// Builds `cancel_broadcast_sm` (v5.0).
    CancelBroadcastSmBuilder(CancelBroadcastSm) {
        /// A `cancel_broadcast_sm`.
        new => CANCEL_BROADCAST_SM,
    }
    with typed_tlv_setters
});

smpp_core::__alert_notification_fields!(builder! {
    /// Builds `alert_notification`.
    AlertNotificationBuilder(AlertNotification) {
        /// An `alert_notification`.
        new => ALERT_NOTIFICATION,
    }
    with typed_tlv_setters
});

/// The constructors of [`HeaderOnlyBuilder`], one a command: `name =>
/// COMMAND_ID` makes `name(sequence_number)`.
macro_rules! header_only_constructors {
    ($($(#[$doc:meta])* $name:ident => $command_id:ident;)+) => {$(
        $(#[$doc])*
        pub fn $name(sequence_number: u32) -> Self {
            Self::of(CommandId::$command_id, sequence_number)
        }
    )+};
}

/// Builds the PDUs without mandatory fields: `enquire_link`, `unbind` (no
/// body at all) and `generic_nack`, `enquire_link_resp`, `unbind_resp`,
/// `cancel_sm_resp`, `replace_sm_resp`, `cancel_broadcast_sm_resp` (header
/// only, v5.0 allows TLVs such as `congestion_state`).
///
/// ```
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_std::HeaderOnlyBuilder;
///
/// let nack = HeaderOnlyBuilder::generic_nack(0, CommandStatus::ESME_RINVCMDLEN).build().unwrap();
/// assert_eq!(nack.command_id(), CommandId::GENERIC_NACK);
/// let resp = HeaderOnlyBuilder::enquire_link_resp(5).congestion_state(40).build().unwrap();
/// assert_eq!(resp.encoded_len(), 16 + 5);
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct HeaderOnlyBuilder {
    command_id: CommandId,
    sequence_number: u32,
    command_status: CommandStatus,
    tlvs: Vec<u8>,
    error: Option<Error>,
}

impl HeaderOnlyBuilder {
    fn of(command_id: CommandId, sequence_number: u32) -> Self {
        Self {
            command_id,
            sequence_number,
            command_status: CommandStatus::ESME_ROK,
            tlvs: Vec::new(),
            error: None,
        }
    }

    header_only_constructors! {
        /// An `enquire_link`.
        enquire_link => ENQUIRE_LINK;
        /// An `enquire_link_resp`.
        enquire_link_resp => ENQUIRE_LINK_RESP;
        /// An `unbind`.
        unbind => UNBIND;
        /// An `unbind_resp`.
        unbind_resp => UNBIND_RESP;
        /// A `cancel_sm_resp`.
        cancel_sm_resp => CANCEL_SM_RESP;
        /// A `replace_sm_resp`.
        replace_sm_resp => REPLACE_SM_RESP;
        /// A `cancel_broadcast_sm_resp`.
        cancel_broadcast_sm_resp => CANCEL_BROADCAST_SM_RESP;
    }

    /// A `generic_nack` with this status (sequence 0 when the failed PDU's
    /// could not be read).
    pub fn generic_nack(sequence_number: u32, status: CommandStatus) -> Self {
        Self::of(CommandId::GENERIC_NACK, sequence_number).command_status(status)
    }

    header_setters!("Sets `command_status`.");

    raw_tlv_setters!();

    /// Checks the TLVs (`enquire_link` and `unbind` take none) and makes the
    /// PDU.
    pub fn build(self) -> Result<Pdu, Error> {
        self.build_valid().map(ValidPdu::into_inner)
    }

    /// Checks the TLVs and makes the PDU, as a [`ValidPdu`]: it encodes
    /// without being checked again.
    pub fn build_valid(self) -> Result<ValidPdu, Error> {
        let in_pdu = in_pdu(self.command_id, self.command_status, self.sequence_number);
        if let Some(e) = self.error {
            return Err(in_pdu(e));
        }
        let raw = Bytes::from(self.tlvs);
        let body = smpp_core::Body::parse(self.command_id, &raw)
            .map_err(in_pdu)?
            .map(|s| raw.slice_ref(s));
        finish(smpp_core::Pdu::new(self.sequence_number, body).with_status(self.command_status))
    }
}
