//! PDU bodies and the [`Pdu`] that ties one to its header.
//!
//! # Contract
//!
//! - [`Pdu::parse`] takes exactly one frame (see [`crate::frame_len`]) and
//!   never panics, whatever the octets: it returns a view borrowing the frame,
//!   or an [`Error`] naming the PDU, the field or TLV, and the status to
//!   answer. It reads the octets once and copies none of them.
//! - Every view re-encodes to the octets it was parsed from: field order,
//!   TLV order, duplicate and unknown TLVs, and absent response bodies are
//!   kept.
//! - [`Pdu::emit`] never panics and never writes a partial PDU: a buffer
//!   shorter than [`Pdu::encoded_len`], or a field that breaks its rules, is
//!   an error and the caller's buffer holds nothing meaningful. Derived
//!   lengths (`command_length`, `sm_length`, `number_of_dests`,
//!   `no_unsuccess`) are computed, never stored.

/// Generates a body type's codec from one list of its fields in wire
/// order: `parse_fields` and `parse` (decoding), `map` (storage), and
/// `encode` with `encoded_len`, `validate` and `emit` (encoding: see
/// [`crate::wire::emit`]).
///
/// Each entry is a kind and its fields:
/// - `cstr[name = CONST]`: a C-Octet String of [`crate::fields`];
/// - `int[name = Field, ...]`: a run of Integer1 fields, read with one
///   length check, each converted from and to `u8`;
/// - `short_message[name]`: `sm_length` then the octets;
/// - `list[name = Type]`: a counted entry list (`submit_multi`);
/// - `tlvs[name]`, or `tlvs[name = REQUIRED]` for a region that must carry
///   every tag of `REQUIRED`.
macro_rules! body_codec {
    ($ty:ident: $($kind:ident[$($name:ident $(= $arg:ident)?),+]),+ $(,)?) => {
        impl<'a> $ty<&'a [u8]> {
            fn parse_fields(i: &'a [u8]) -> $crate::wire::read::Res<'a, Self> {
                $(body_field!(read i, $kind, $($name $(= $arg)?),+);)+
                Ok((i, Self { $($($name,)+)+ }))
            }

            /// Parses the body: the octets after the 16-octet header.
            pub fn parse(body: &'a [u8]) -> Result<Self, $crate::Error> {
                $crate::wire::read::finish(Self::parse_fields(body)).map(|(_, v)| v)
            }
        }

        /// A valid body: each field from
        /// the input in wire order, by its rule.
        #[cfg(feature = "arbitrary")]
        impl<'a> arbitrary::Arbitrary<'a> for $ty<&'a [u8]> {
            fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
                Ok(Self { $($($name: body_field!(arbitrary u, $kind $(= $arg)?),)+)+ })
            }
        }

        impl<B: AsRef<[u8]>> $ty<B> {
            /// Converts the storage of every octet field.
            pub fn map<C: AsRef<[u8]>>(self, mut f: impl FnMut(B) -> C) -> $ty<C> {
                $ty { $($($name: body_field!(map self.$name, f, $kind),)+)+ }
            }

            /// The fields in wire order, for [`Emit`](crate::wire::emit::Emit).
            // Inlined into the writer, whose cursor then stays in registers
            // instead of being written back after every field.
            #[allow(clippy::inline_always)]
            #[inline(always)]
            pub(crate) fn encode<E: $crate::wire::emit::Emit>(&self, e: &mut E) {
                body_emit!(e, self, $($kind[$($name $(= $arg)?),+],)+);
            }

            /// Octets of the body on the wire.
            pub fn encoded_len(&self) -> usize {
                let mut len = $crate::wire::emit::Len(0);
                self.encode(&mut len);
                len.0
            }

            /// Checks every field against its rules, as encoding does: a
            /// body that passes decodes back with `parse`.
            pub fn validate(&self) -> Result<(), $crate::Error> {
                let mut check = $crate::wire::emit::Check::new();
                self.encode(&mut check);
                check.0
            }

            /// Encodes the body into `out`, returning the octets written.
            pub fn emit(&self, out: &mut [u8]) -> Result<usize, $crate::Error> {
                self.validate()?;
                let mut w = $crate::wire::write::Writer::new(out, self.encoded_len())?;
                self.encode(&mut w);
                w.finish()
            }
        }
    };
}

/// The entries of [`body_codec!`] in wire order, for `Emit`: a C-Octet
/// String and the Integer1 run after it go out as one write
/// ([`Emit::cstr_then`]), any other entry by [`body_field!`].
macro_rules! body_emit {
    ($e:ident, $s:ident,) => {};
    ($e:ident, $s:ident, cstr[$name:ident = $c:ident], int[$($int:ident = $f:ident),+],
        $($rest:tt)*) => {
        $e.cstr_then($c, $s.$name.as_bytes(), [$(u8::from($s.$int)),+]);
        body_emit!($e, $s, $($rest)*);
    };
    ($e:ident, $s:ident, $kind:ident[$($name:ident $(= $arg:ident)?),+], $($rest:tt)*) => {
        body_field!(emit $e, $s, $kind, $($name $(= $arg)?),+);
        body_emit!($e, $s, $($rest)*);
    };
}

/// One entry of [`body_codec!`]: how it is read, mapped and encoded.
macro_rules! body_field {
    (read $i:ident, cstr, $name:ident = $c:ident) => {
        let ($i, $name) = $c.read($i)?;
    };
    (read $i:ident, int, $($name:ident = $f:ident),+) => {
        let ($i, [$($name),+]) =
            $crate::wire::read::u8_fields($i, [$($crate::error::Field::$f),+])?;
        $(let $name = From::from($name);)+
    };
    (read $i:ident, short_message, $name:ident) => {
        let ($i, $name) = $crate::wire::read::short_message($i)?;
    };
    (read $i:ident, list, $name:ident = $t:ident) => {
        let ($i, $name) = $t::read($i)?;
    };
    (read $i:ident, tlvs, $name:ident) => {
        let ($i, $name) = $crate::pdu::tlvs_tail($i)?;
    };
    (read $i:ident, tlvs, $name:ident = $required:ident) => {
        let ($i, $name) = $crate::pdu::tlvs_tail_requiring($i, &$required)?;
    };
    (arbitrary $u:ident, cstr = $c:ident) => {
        $crate::arbitrary_impls::cstr($u, $c)?
    };
    (arbitrary $u:ident, int = $f:ident) => {
        From::from($u.arbitrary::<u8>()?)
    };
    (arbitrary $u:ident, short_message) => {
        $crate::arbitrary_impls::short_message($u)?
    };
    (arbitrary $u:ident, list = $t:ident) => {
        $u.arbitrary()?
    };
    (arbitrary $u:ident, tlvs) => {
        $crate::arbitrary_impls::tlv_region($u)?
    };
    (arbitrary $u:ident, tlvs = $required:ident) => {
        $crate::arbitrary_impls::tlv_region_requiring($u, &$required)?
    };
    (map $v:expr, $f:ident, int) => {
        $v
    };
    (map $v:expr, $f:ident, short_message) => {
        $f($v)
    };
    (map $v:expr, $f:ident, $kind:ident) => {
        $v.map(&mut $f)
    };
    (emit $e:ident, $s:ident, cstr, $name:ident = $c:ident) => {
        $e.cstr($c, $s.$name.as_bytes())
    };
    (emit $e:ident, $s:ident, int, $($name:ident = $f:ident),+) => {
        $e.array([$(u8::from($s.$name)),+])
    };
    (emit $e:ident, $s:ident, short_message, $name:ident) => {
        $e.short_message($s.$name.as_ref())
    };
    (emit $e:ident, $s:ident, list, $name:ident = $t:ident) => {
        $s.$name.encode($e)
    };
    (emit $e:ident, $s:ident, tlvs, $name:ident) => {
        $e.tlvs(&$s.$name)
    };
    (emit $e:ident, $s:ident, tlvs, $name:ident = $required:ident) => {
        $e.tlvs_requiring(&$s.$name, &$required)
    };
}

mod alert;
mod bind;
mod broadcast;
mod cancel_replace;
mod data_sm;
mod query;
mod raw;
mod sm;
mod submit_multi;
mod valid;

pub use alert::AlertNotification;
pub use bind::{Bind, BindResp, Outbind};
pub use broadcast::{
    BROADCAST_SM_MANDATORY_TLVS, BroadcastSm, CancelBroadcastSm,
    QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS, QueryBroadcastSm, QueryBroadcastSmResp,
};
pub use cancel_replace::{CancelSm, ReplaceSm};
pub use data_sm::DataSm;
pub use query::{QuerySm, QuerySmResp};
pub use raw::RawBody;
pub use sm::{BroadcastSmResp, DataSmResp, DeliverSm, DeliverSmResp, SubmitSm, SubmitSmResp};
pub use submit_multi::{
    DEST_FLAG_DISTRIBUTION_LIST, DEST_FLAG_SME_ADDRESS, DestAddress, DestAddressBuf,
    DestAddressIter, DestAddresses, SubmitMulti, SubmitMultiResp, UnsuccessSme, UnsuccessSmeBuf,
    UnsuccessSmeIter, UnsuccessSmes,
};
#[cfg(feature = "arbitrary")]
pub(crate) use submit_multi::{dest_address, unsuccess_sme};
pub use valid::ValidPdu;

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
use crate::error::{Error, ErrorKind};
use crate::header::Header;
use crate::tlv::{TlvTag, Tlvs};
use crate::values::Version;
use crate::wire::emit::{Check, Emit, Len};
use crate::wire::read::{Res, fail};
use crate::wire::write::Writer;
#[cfg(feature = "serde")]
use alloc::vec::Vec;

/// The rest of a body as its TLV region.
#[inline]
pub(crate) fn tlvs_tail(i: &[u8]) -> Res<'_, Tlvs<&[u8]>> {
    tlvs_tail_requiring(i, &[])
}

/// The rest of a body as its TLV region, which must hold every tag of
/// `required` (checked in the one walk over the region).
#[inline]
pub(crate) fn tlvs_tail_requiring<'a, const N: usize>(
    i: &'a [u8],
    required: &[TlvTag; N],
) -> Res<'a, Tlvs<&'a [u8]>> {
    let tlvs = Tlvs::parse_requiring(i, required).map_err(fail)?;
    Ok((&[], tlvs))
}

/// Hands the body table to the macro `$then`, after the tokens `$args`:
/// one row per `command_id` of SMPP v3.4 and v5.0, in the order of
/// [`Body`]'s variants. A row reads: the variant's documentation, the
/// variant and what it holds (a body struct; `opt` and a body struct for a
/// response body that may be absent; `Tlvs` for a header-only PDU that
/// may carry TLVs; nothing for one without body), then its `command_id`.
/// [`Body`], its `command_id`, parsing, `tlvs`, `map`, serde's
/// `UncheckedBody` and `arbitrary` are derived from it.
macro_rules! body_table {
    ($then:ident! { $($args:tt)* }) => {
        $then! { $($args)*
            /// `generic_nack` (v3.4 4.3.1): header only, TLVs allowed (v5.0).
            GenericNack(Tlvs) = GENERIC_NACK,
            /// `bind_receiver` (v3.4 4.1.3).
            BindReceiver(Bind) = BIND_RECEIVER,
            /// `bind_receiver_resp` (v3.4 4.1.4); `None` without body.
            BindReceiverResp(opt BindResp) = BIND_RECEIVER_RESP,
            /// `bind_transmitter` (v3.4 4.1.1).
            BindTransmitter(Bind) = BIND_TRANSMITTER,
            /// `bind_transmitter_resp` (v3.4 4.1.2); `None` without body.
            BindTransmitterResp(opt BindResp) = BIND_TRANSMITTER_RESP,
            /// `query_sm` (v3.4 4.8.1).
            QuerySm(QuerySm) = QUERY_SM,
            /// `query_sm_resp` (v3.4 4.8.2); `None` without body.
            QuerySmResp(opt QuerySmResp) = QUERY_SM_RESP,
            /// `submit_sm` (v3.4 4.4.1).
            SubmitSm(SubmitSm) = SUBMIT_SM,
            /// `submit_sm_resp` (v3.4 4.4.2); `None` without body.
            SubmitSmResp(opt SubmitSmResp) = SUBMIT_SM_RESP,
            /// `deliver_sm` (v3.4 4.6.1): the body of `submit_sm`.
            DeliverSm(DeliverSm) = DELIVER_SM,
            /// `deliver_sm_resp` (v3.4 4.6.2); `None` without body.
            DeliverSmResp(opt DeliverSmResp) = DELIVER_SM_RESP,
            /// `unbind` (v3.4 4.2.1): header only.
            Unbind = UNBIND,
            /// `unbind_resp` (v3.4 4.2.2): header only, TLVs allowed (v5.0).
            UnbindResp(Tlvs) = UNBIND_RESP,
            /// `replace_sm` (v3.4 4.10.1).
            ReplaceSm(ReplaceSm) = REPLACE_SM,
            /// `replace_sm_resp` (v3.4 4.10.2): header only, TLVs allowed (v5.0).
            ReplaceSmResp(Tlvs) = REPLACE_SM_RESP,
            /// `cancel_sm` (v3.4 4.9.1).
            CancelSm(CancelSm) = CANCEL_SM,
            /// `cancel_sm_resp` (v3.4 4.9.2): header only, TLVs allowed (v5.0).
            CancelSmResp(Tlvs) = CANCEL_SM_RESP,
            /// `bind_transceiver` (v3.4 4.1.5).
            BindTransceiver(Bind) = BIND_TRANSCEIVER,
            /// `bind_transceiver_resp` (v3.4 4.1.6); `None` without body.
            BindTransceiverResp(opt BindResp) = BIND_TRANSCEIVER_RESP,
            /// `outbind` (v3.4 4.1.7).
            Outbind(Outbind) = OUTBIND,
            /// `enquire_link` (v3.4 4.11.1): header only.
            EnquireLink = ENQUIRE_LINK,
            /// `enquire_link_resp` (v3.4 4.11.2): header only, TLVs allowed (v5.0).
            EnquireLinkResp(Tlvs) = ENQUIRE_LINK_RESP,
            /// `submit_multi` (v3.4 4.5.1).
            SubmitMulti(SubmitMulti) = SUBMIT_MULTI,
            /// `submit_multi_resp` (v3.4 4.5.2); `None` without body.
            SubmitMultiResp(opt SubmitMultiResp) = SUBMIT_MULTI_RESP,
            /// `alert_notification` (v3.4 4.12.1).
            AlertNotification(AlertNotification) = ALERT_NOTIFICATION,
            /// `data_sm` (v3.4 4.7.1).
            DataSm(DataSm) = DATA_SM,
            /// `data_sm_resp` (v3.4 4.7.2); `None` without body.
            DataSmResp(opt DataSmResp) = DATA_SM_RESP,
            /// `broadcast_sm` (v5.0 4.4).
            BroadcastSm(BroadcastSm) = BROADCAST_SM,
            /// `broadcast_sm_resp` (v5.0 4.4); `None` without body.
            BroadcastSmResp(opt BroadcastSmResp) = BROADCAST_SM_RESP,
            /// `query_broadcast_sm` (v5.0 4.6).
            QueryBroadcastSm(QueryBroadcastSm) = QUERY_BROADCAST_SM,
            /// `query_broadcast_sm_resp` (v5.0 4.6); `None` without
            /// body. Its mandatory TLVs are required with `command_status` 0 only.
            QueryBroadcastSmResp(opt QueryBroadcastSmResp) = QUERY_BROADCAST_SM_RESP,
            /// `cancel_broadcast_sm` (v5.0 4.6).
            CancelBroadcastSm(CancelBroadcastSm) = CANCEL_BROADCAST_SM,
            /// `cancel_broadcast_sm_resp` (v5.0 4.6): header only, TLVs allowed.
            CancelBroadcastSmResp(Tlvs) = CANCEL_BROADCAST_SM_RESP,
        }
    };
}

#[cfg(feature = "arbitrary")]
pub(crate) use body_table;

/// [`Body`] and serde's `UncheckedBody`, with the variants of the rows of
/// [`body_table!`] taken one by one: `[$meta]` are the attributes of
/// [`Body`], `[$raw]` those of [`Body::Raw`], `[$variants]` the variants
/// so far.
macro_rules! body_enums {
    ([$($meta:tt)*] [$($raw:tt)*] [$($variants:tt)*]) => {
        $($meta)*
        pub enum Body<B: AsRef<[u8]>> {
            $($variants)*
            $($raw)*
            Raw(RawBody<B>),
        }

        /// A [`Body`] as deserialized, before [`Body::validate`] (a body
        /// alone) or [`Pdu::validate`] (in a PDU, with its
        /// `command_status`) accepts it: serde reads it into a [`Body`].
        #[cfg(feature = "serde")]
        #[derive(serde::Deserialize)]
        #[serde(remote = "Body", bound = "B: AsRef<[u8]> + From<Vec<u8>>")]
        pub(crate) enum UncheckedBody<B: AsRef<[u8]>> {
            $($variants)*
            Raw(RawBody<B>),
        }
    };
    ($meta:tt $raw:tt [$($variants:tt)*] $(#[$doc:meta])* $v:ident = $id:ident, $($rest:tt)*) => {
        body_enums!($meta $raw [$($variants)* $(#[$doc])* $v,] $($rest)*);
    };
    ($meta:tt $raw:tt [$($variants:tt)*]
        $(#[$doc:meta])* $v:ident(opt $t:ident) = $id:ident, $($rest:tt)*) => {
        body_enums!($meta $raw [$($variants)* $(#[$doc])* $v(Option<$t<B>>),] $($rest)*);
    };
    ($meta:tt $raw:tt [$($variants:tt)*]
        $(#[$doc:meta])* $v:ident($t:ident) = $id:ident, $($rest:tt)*) => {
        body_enums!($meta $raw [$($variants)* $(#[$doc])* $v($t<B>),] $($rest)*);
    };
}

/// A body variant, as a pattern or a value: holding `$x`, unless its row
/// says it holds nothing.
macro_rules! variant {
    ($v:ident, $($x:tt)*) => { Body::$v };
    ($v:ident ($($k:ident)+), $($x:tt)*) => { Body::$v($($x)*) };
}

/// Parses the body of variant `$v` from `$body`, in a PDU with
/// `$status`.
macro_rules! parse_variant {
    ($body:ident, $status:ident, $v:ident) => {{
        empty($body)?;
        Body::$v
    }};
    ($body:ident, $status:ident, QueryBroadcastSmResp (opt $t:ident)) => {
        Body::QueryBroadcastSmResp(optional($body, |body| {
            // The mandatory TLVs belong to a successful answer.
            if $status.is_ok() {
                broadcast::parse_query_broadcast_resp(body)
            } else {
                $t::parse(body)
            }
        })?)
    };
    ($body:ident, $status:ident, $v:ident (opt $t:ident)) => {
        Body::$v(optional($body, $t::parse)?)
    };
    ($body:ident, $status:ident, $v:ident ($t:ident)) => {
        Body::$v($t::parse($body)?)
    };
}

/// The TLV region a variant's value `$x` holds, or `return None`.
macro_rules! variant_tlvs {
    ($x:ident) => {
        return None
    };
    ($x:ident, Tlvs) => {
        $x
    };
    ($x:ident, opt $t:ident) => {
        match $x {
            Some(b) => &b.tlvs,
            None => return None,
        }
    };
    ($x:ident, $t:ident) => {
        &$x.tlvs
    };
}

/// A variant's value `$x` with its storage converted by `$f`.
macro_rules! map_variant {
    ($x:ident, $f:ident, opt $t:ident) => {
        $x.map(|b| b.map($f))
    };
    ($x:ident, $f:ident, $t:ident) => {
        $x.map($f)
    };
}

/// [`Body`] and what is derived from its rows: `command_id`, `tlvs`,
/// `map`, the parser of each `command_id` and serde's `UncheckedBody`
/// ([`body_enums!`]).
macro_rules! body_items {
    (
        $(#[$meta:meta])* pub enum Body { $(#[$raw_doc:meta])* Raw }
        $($(#[$doc:meta])* $v:ident $(($($k:ident)+))? = $id:ident,)+
    ) => {
        body_enums!([$(#[$meta])*] [$(#[$raw_doc])*] []
            $($(#[$doc])* $v $(($($k)+))? = $id,)+);

        impl<'a> Body<&'a [u8]> {
            /// Parses a body and hands it to `wrap` in each arm, so a caller that
            /// embeds the body (see [`Pdu::parse`]) builds its value in place
            /// instead of moving a whole `Body` out of a temporary.
            // Inlined into both callers so each builds its value in place; the
            // arms call out-of-line body parsers, so the copies stay small.
            #[allow(clippy::inline_always)]
            #[inline(always)]
            fn parse_with<T>(
                command_id: CommandId,
                command_status: CommandStatus,
                body: &'a [u8],
                wrap: impl FnOnce(Self) -> T,
            ) -> Result<T, Error> {
                match command_id {
                    $(CommandId::$id => {
                        Ok(wrap(parse_variant!(body, command_status, $v $(($($k)+))?)))
                    })+
                    _ => Err(Error::new(ErrorKind::UnknownCommandId)),
                }
            }
        }

        impl<B: AsRef<[u8]>> Body<B> {
            /// The `command_id` of this body.
            pub const fn command_id(&self) -> CommandId {
                match self {
                    $(variant!($v $(($($k)+))?, _) => CommandId::$id,)+
                    Self::Raw(raw) => raw.command_id,
                }
            }

            /// The TLV region of the body; `None` for `unbind` and `enquire_link`,
            /// for a response without body and for a [`Body::Raw`].
            pub const fn tlvs(&self) -> Option<&Tlvs<B>> {
                Some(match self {
                    $(variant!($v $(($($k)+))?, x) => variant_tlvs!(x $(, $($k)+)?),)+
                    Self::Raw(_) => return None,
                })
            }

            /// Converts the storage of every octet field (for example from slices of
            /// a received frame to owned, reference-counted slices of it).
            pub fn map<C: AsRef<[u8]>>(self, f: impl FnMut(B) -> C) -> Body<C> {
                match self {
                    $(variant!($v $(($($k)+))?, x) => {
                        variant!($v $(($($k)+))?, map_variant!(x, f $(, $($k)+)?))
                    })+
                    Self::Raw(raw) => Body::Raw(raw.map(f)),
                }
            }
        }

    };
}

body_table!(body_items! {
    /// The body of a PDU, one variant per `command_id` of SMPP v3.4 and v5.0,
    /// and [`Body::Raw`] for bodies kept as octets.
    ///
    /// Sections are those of SMPP v3.4 (Issue 1.2, chapter 4) for the
    /// operations it defines, and of SMPP v5.0 (chapter 4) for the broadcast
    /// operations it added.
    ///
    /// Response bodies are `Option`s: `None` is a response with no body at all
    /// (`command_length` 16), as the specification asks for error responses.
    /// Header-only responses carry a [`Tlvs`] (usually empty) since v5.0 allows
    /// `congestion_state` in any response. `unbind` and `enquire_link` have no
    /// body. An error response whose body does not follow its layout, and (with
    /// [`Pdu::parse_any`]) a PDU of an unknown `command_id`, is a
    /// [`Body::Raw`].
    ///
    /// A body encodes and decodes alone (the octets after the header, with
    /// the `command_id` given apart) or inside a [`Pdu`].
    ///
    /// ```
    /// use smpp_core::{Body, COctet, CommandId, Pdu, QuerySm, SubmitSmResp, Tlvs};
    ///
    /// let body = Body::QuerySm(QuerySm { message_id: COctet::from("12345"), ..QuerySm::default() });
    /// assert_eq!(body.command_id(), CommandId::QUERY_SM);
    ///
    /// // The body alone...
    /// let mut octets = [0u8; 32];
    /// let n = body.emit(&mut octets).unwrap();
    /// assert_eq!(n, body.encoded_len());
    /// assert_eq!(Body::parse(CommandId::QUERY_SM, &octets[..n]), Ok(body));
    ///
    /// // ...or in a PDU, after its header.
    /// let pdu = Pdu::new(1, body);
    /// let mut frame = [0u8; 48];
    /// let len = pdu.emit(&mut frame).unwrap();
    /// assert_eq!(len, 16 + n);
    /// let back = Pdu::parse(&frame[..len]).unwrap();
    /// assert_eq!(back.body, body);
    /// let Body::QuerySm(q) = back.body else { unreachable!() };
    /// assert_eq!(q.message_id.to_str(), Some("12345"));
    ///
    /// // A response with no body, and a header-only response.
    /// let none = Body::SubmitSmResp(None::<SubmitSmResp<&[u8]>>);
    /// assert_eq!(Body::parse(CommandId::SUBMIT_SM_RESP, &[]), Ok(none));
    /// assert_eq!(none.encoded_len(), 0);
    /// assert_eq!(Body::parse(CommandId::CANCEL_SM_RESP, &[]), Ok(Body::CancelSmResp(Tlvs::EMPTY)));
    /// ```
    // `Deserialize` is in `crate::serde`: it checks the body as `validate` does.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    #[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
    #[non_exhaustive]
    pub enum Body {
        /// A body kept as its octets, under the `command_id` it carries: an
        /// error response whose body does not follow its layout (v5.0
        /// 3.2.1.3), or a PDU of an unknown `command_id` ([`Pdu::parse_any`]).
        /// See [`RawBody`].
        Raw
    }
});

/// The body of an error response that does not follow its layout, kept as
/// it is; any other failure stands.
#[cold]
#[inline(never)]
fn lenient(
    command_id: CommandId,
    command_status: CommandStatus,
    body: &[u8],
    error: Error,
) -> Result<RawBody<&[u8]>, Error> {
    let known = !matches!(error.kind(), ErrorKind::UnknownCommandId);
    if known && command_id.is_response() && !command_status.is_ok() {
        Ok(RawBody::new(command_id, body))
    } else {
        Err(error)
    }
}

/// Parses a response body that may be absent.
fn optional<'a, T>(
    body: &'a [u8],
    parse: impl FnOnce(&'a [u8]) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    if body.is_empty() {
        Ok(None)
    } else {
        parse(body).map(Some)
    }
}

fn empty(body: &[u8]) -> Result<(), Error> {
    if body.is_empty() {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::TrailingBytes { count: body.len() }))
    }
}

impl<'a> Body<&'a [u8]> {
    /// Parses the body of a PDU with this `command_id`, strictly: as for a
    /// PDU with `command_status` 0, the body must follow the layout of
    /// `command_id` whole (a response body may be absent), and
    /// `query_broadcast_sm_resp` must carry its mandatory TLVs. It never
    /// returns [`Body::Raw`]; an unknown `command_id` is an error
    /// (`ESME_RINVCMDID`). See [`Self::parse_with_status`] for the rules
    /// [`Pdu::parse`] applies.
    pub fn parse(command_id: CommandId, body: &'a [u8]) -> Result<Self, Error> {
        Self::parse_with(command_id, CommandStatus::ESME_ROK, body, |body| body)
    }

    /// Parses the body of a PDU with this `command_id` and
    /// `command_status`, as [`Pdu::parse`] does: like [`Self::parse`], but
    /// for an error response (a response id, `generic_nack` included, with
    /// a status other than `ESME_ROK`) the mandatory TLVs are not required,
    /// and a body that does not follow the layout is kept as
    /// [`Body::Raw`] (SMPP v5.0 3.2.1.3: the body of an error response may
    /// be absent or partial).
    ///
    /// ```
    /// use smpp_core::{Body, CommandId, CommandStatus};
    ///
    /// // submit_multi_resp with only its message_id.
    /// let id = CommandId::SUBMIT_MULTI_RESP;
    /// assert!(Body::parse(id, b"7\0").is_err());
    /// let body = Body::parse_with_status(id, CommandStatus::ESME_RSUBMITFAIL, b"7\0").unwrap();
    /// assert!(matches!(body, Body::Raw(raw) if raw.octets == b"7\0"));
    /// // The full layout still decodes to the typed body.
    /// let body = Body::parse_with_status(id, CommandStatus::ESME_RSUBMITFAIL, b"7\0\0").unwrap();
    /// assert!(matches!(body, Body::SubmitMultiResp(Some(_))));
    /// ```
    pub fn parse_with_status(
        command_id: CommandId,
        command_status: CommandStatus,
        body: &'a [u8],
    ) -> Result<Self, Error> {
        match Self::parse_with(command_id, command_status, body, |body| body) {
            Ok(body) => Ok(body),
            Err(e) => lenient(command_id, command_status, body, e).map(Self::Raw),
        }
    }
}

/// Dispatches `$e` over every body variant, binding the inner value as `$b`
/// (an `Option` for response bodies). `$unit` is the result for the
/// bodiless variants, `$re` for [`Body::Raw`] (bound as `$r`).
macro_rules! each_body {
    (
        $self:expr, $b:ident => $e:expr, opt $o:ident => $oe:expr, unit => $unit:expr,
        raw $r:ident => $re:expr
    ) => {
        match $self {
            Body::GenericNack($b)
            | Body::UnbindResp($b)
            | Body::ReplaceSmResp($b)
            | Body::CancelSmResp($b)
            | Body::EnquireLinkResp($b)
            | Body::CancelBroadcastSmResp($b) => $e,
            Body::BindReceiver($b) | Body::BindTransmitter($b) | Body::BindTransceiver($b) => $e,
            Body::BindReceiverResp($o)
            | Body::BindTransmitterResp($o)
            | Body::BindTransceiverResp($o) => $oe,
            Body::QuerySm($b) | Body::QueryBroadcastSm($b) => $e,
            Body::QuerySmResp($o) => $oe,
            Body::SubmitSm($b) | Body::DeliverSm($b) => $e,
            Body::SubmitSmResp($o)
            | Body::DeliverSmResp($o)
            | Body::DataSmResp($o)
            | Body::BroadcastSmResp($o)
            | Body::QueryBroadcastSmResp($o) => $oe,
            Body::ReplaceSm($b) => $e,
            Body::CancelSm($b) => $e,
            Body::Outbind($b) => $e,
            Body::SubmitMulti($b) => $e,
            Body::SubmitMultiResp($o) => $oe,
            Body::AlertNotification($b) => $e,
            Body::DataSm($b) => $e,
            Body::BroadcastSm($b) => $e,
            Body::CancelBroadcastSm($b) => $e,
            Body::Unbind | Body::EnquireLink => $unit,
            Body::Raw($r) => $re,
        }
    };
}

impl<B: AsRef<[u8]>> Body<B> {
    /// The body's parts in wire order, for [`Emit`], with the rules of a
    /// body in a PDU with `command_status`: `query_broadcast_sm_resp`
    /// carries its mandatory TLVs when the status is `ESME_ROK`, and a
    /// [`Body::Raw`] follows [`RawBody`]'s rule.
    fn encode<E: Emit>(&self, e: &mut E, command_status: CommandStatus) {
        each_body!(self,
            b => b.encode(e),
            opt o => if let Some(b) = o { b.encode(e) },
            unit => (),
            raw r => r.encode(e, command_status));
        if let Self::QueryBroadcastSmResp(Some(resp)) = self
            && command_status.is_ok()
        {
            e.rule(|| broadcast::require_query_broadcast_resp_tlvs(resp));
        }
    }

    /// Octets of the body on the wire (the header not included).
    pub fn encoded_len(&self) -> usize {
        let mut len = Len(0);
        self.encode(&mut len, CommandStatus::ESME_ROK);
        len.0
    }

    /// Checks every field against its rules, as encoding the body in a PDU
    /// with `command_status` 0 does: what passes decodes with
    /// [`Body::parse`]. [`Pdu::validate`] applies the PDU's own status.
    pub fn validate(&self) -> Result<(), Error> {
        self.check(CommandStatus::ESME_ROK)
    }

    /// Checks the body as encoding it in a PDU with `command_status` does.
    fn check(&self, command_status: CommandStatus) -> Result<(), Error> {
        let mut check = Check::new();
        self.encode(&mut check, command_status);
        check.0
    }

    /// Encodes the body alone (the octets after the header) into `out`,
    /// returning the octets written ([`Self::encoded_len`]). Fails, writing
    /// nothing of use, if `out` is too small or a field breaks its rules.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        self.validate()?;
        let mut w = Writer::new(out, self.encoded_len())?;
        self.write(&mut w);
        w.finish()
    }

    /// Writes the body, whose rules were checked.
    fn write(&self, w: &mut Writer<'_>) {
        self.encode(w, CommandStatus::ESME_ROK);
    }
}

/// A PDU: the header's `command_status` and `sequence_number` and a body,
/// whose variant gives the `command_id`. `command_length` is computed.
///
/// # Error responses
///
/// SMPP v5.0 3.2.1.3 lets an error response (a response with a
/// `command_status` other than `ESME_ROK`) come without body, or with a
/// partial one, and asks the receiver to cope. [`Pdu::parse`] therefore
/// decodes an error response whose body is absent (`None`, or empty
/// [`Tlvs`]) or follows the full layout into the typed body, without
/// requiring mandatory TLVs, and keeps any other body as [`Body::Raw`],
/// which re-encodes to the same octets. Requests, and responses with
/// `ESME_ROK`, must follow their layout.
///
/// # Octets after a header-only PDU
///
/// A receiver is advised to ignore octets after the header of `unbind`,
/// `enquire_link` and the header-only responses rather than fail (and to
/// frame on `command_length` all the same). This codec does not ignore
/// them, so that every decoded PDU re-encodes to its octets:
///
/// - after `unbind` and `enquire_link` they are an error,
///   [`ErrorKind::TrailingBytes`] (`ESME_RINVCMDLEN`, with the header);
///   the session engine ([`crate::session::Session::handle_frame`]) then
///   ignores them and answers the request as it is;
/// - after `generic_nack`, `unbind_resp`, `replace_sm_resp`,
///   `cancel_sm_resp`, `enquire_link_resp` and `cancel_broadcast_sm_resp`
///   they are read as TLVs (v5.0 allows `congestion_state` in any
///   response); octets that are no valid TLV region are an error with
///   `ESME_ROK`, and a [`Body::Raw`] with any other status.
///
/// ```
/// use smpp_core::{Body, Pdu, Tlvs};
///
/// // enquire_link, sequence 171192039 (a golden vector).
/// let frame = [0, 0, 0, 0x10, 0, 0, 0, 0x15, 0, 0, 0, 0, 0x0a, 0x34, 0x2e, 0xe7];
/// let pdu = Pdu::parse(&frame).unwrap();
/// assert_eq!(pdu.body, Body::EnquireLink);
/// assert_eq!(pdu.sequence_number, 171192039);
///
/// // Answer it.
/// let resp = Pdu::new(pdu.sequence_number, Body::EnquireLinkResp(Tlvs::EMPTY));
/// let mut out = [0u8; 16];
/// assert_eq!(resp.emit(&mut out), Ok(16));
/// assert_eq!(out[4..8], [0x80, 0, 0, 0x15]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
#[cfg_attr(feature = "serde", serde(bound(deserialize = "B: From<Vec<u8>>")))]
#[cfg_attr(feature = "serde", serde(try_from = "crate::serde::PduFields<B>"))]
pub struct Pdu<B: AsRef<[u8]>> {
    /// `command_status`: 0 in requests.
    pub command_status: CommandStatus,
    /// `sequence_number`.
    pub sequence_number: u32,
    /// The body.
    pub body: Body<B>,
}

impl<B: AsRef<[u8]>> Pdu<B> {
    /// A PDU with `command_status` 0 (`ESME_ROK`).
    pub const fn new(sequence_number: u32, body: Body<B>) -> Self {
        Self {
            command_status: CommandStatus::ESME_ROK,
            sequence_number,
            body,
        }
    }

    /// The same PDU with another `command_status`.
    #[must_use]
    pub const fn with_status(mut self, command_status: CommandStatus) -> Self {
        self.command_status = command_status;
        self
    }

    /// The `command_id`, from the body.
    pub const fn command_id(&self) -> CommandId {
        self.body.command_id()
    }

    /// Checks that the PDU carries only TLVs its TLV table in `version`
    /// lists ([`TlvTag::allowed_in`](crate::TlvTag::allowed_in)), an opt-in
    /// check that decoding does not make. Fails on the first TLV of a tag
    /// the specification defines that this PDU may not carry, with
    /// `ESME_RTLVNOTALLWD`, [`TlvProblem::NotAllowed`](crate::TlvProblem::NotAllowed),
    /// naming the tag and this PDU's header, so that [`Error::reply`]
    /// answers a request with its own response. Vendor and unknown tags
    /// pass, as do a [`Body::Raw`] and a PDU of an unknown `command_id`.
    ///
    /// ```
    /// use smpp_core::values::Version;
    /// use smpp_core::{Body, Bind, CommandId, CommandStatus, ErrorKind, Pdu, TlvBuf, TlvTag};
    ///
    /// let mut tlvs = TlvBuf::<16>::new();
    /// tlvs.push(TlvTag::MESSAGE_PAYLOAD, b"hi").unwrap();
    /// let bind = Bind { tlvs: tlvs.tlvs(), ..Bind::default() };
    /// let pdu = Pdu::new(7, Body::BindTransmitter(bind));
    ///
    /// let err = pdu.check_tlvs_allowed(Version::V50).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Tlv { tag: TlvTag::MESSAGE_PAYLOAD, .. }));
    /// let reply = err.reply();
    /// assert_eq!(reply.command_id, CommandId::BIND_TRANSMITTER_RESP);
    /// assert_eq!(reply.command_status, CommandStatus::ESME_RTLVNOTALLWD);
    /// assert_eq!(reply.sequence_number, 7);
    /// ```
    pub fn check_tlvs_allowed(&self, version: Version) -> Result<(), Error> {
        match self.body.tlvs() {
            Some(tlvs) => tlvs
                .check_allowed_in(self.command_id(), version)
                .map_err(|e| e.with_header(self.header())),
            None => Ok(()),
        }
    }

    /// Converts the storage of every octet field.
    pub fn map<C: AsRef<[u8]>>(self, f: impl FnMut(B) -> C) -> Pdu<C> {
        Pdu {
            command_status: self.command_status,
            sequence_number: self.sequence_number,
            body: self.body.map(f),
        }
    }
}

impl<'a> Pdu<&'a [u8]> {
    /// Parses one whole PDU (header and body) from `frame`.
    ///
    /// `command_length` must equal `frame.len()`; use [`crate::frame_len`] to
    /// cut frames from a stream. On error, [`Error::reply`] tells what to
    /// send back. The body is read as [`Body::parse_with_status`] reads it:
    /// an error response may carry a body that does not follow its layout
    /// (see [Error responses](Pdu#error-responses)). An unknown
    /// `command_id` is an error (`ESME_RINVCMDID`, answered with
    /// `generic_nack`); [`Self::parse_any`] keeps such PDUs instead.
    #[inline]
    pub fn parse(frame: &'a [u8]) -> Result<Self, Error> {
        match Self::parse_keepalive(frame) {
            Some(pdu) => Ok(pdu),
            None => Self::parse_frame(frame),
        }
    }

    /// Parses one whole PDU as [`Self::parse`] does, but keeps a PDU whose
    /// `command_id` the specification does not define (a vendor id, a
    /// future one) with its body as [`Body::Raw`] instead of failing with
    /// `ESME_RINVCMDID`. The result re-encodes to `frame`.
    ///
    /// ```
    /// use smpp_core::{Body, CommandId, ErrorKind, Pdu};
    ///
    /// // A vendor request 0x00010200 with a two-octet body.
    /// let frame = [0, 0, 0, 18, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0xAB, 0xCD];
    /// assert_eq!(Pdu::parse(&frame).unwrap_err().kind(), ErrorKind::UnknownCommandId);
    /// let pdu = Pdu::parse_any(&frame).unwrap();
    /// assert_eq!(pdu.command_id(), CommandId(0x0001_0200));
    /// assert!(matches!(pdu.body, Body::Raw(raw) if raw.octets == [0xAB, 0xCD]));
    /// let mut out = [0u8; 18];
    /// assert_eq!(pdu.emit(&mut out), Ok(18));
    /// assert_eq!(out, frame);
    /// ```
    #[inline]
    pub fn parse_any(frame: &'a [u8]) -> Result<Self, Error> {
        Self::parse(frame).or_else(|e| Self::keep_unknown(frame, e))
    }

    /// The PDU of an unknown `command_id` (the error `e` said so) with its
    /// body kept raw; any other error stands.
    #[cold]
    #[inline(never)]
    fn keep_unknown(frame: &'a [u8], e: Error) -> Result<Self, Error> {
        match (e.kind(), e.header(), frame.get(Header::LEN..)) {
            (ErrorKind::UnknownCommandId, Some(header), Some(octets)) => Ok(Self {
                command_status: header.command_status,
                sequence_number: header.sequence_number,
                body: Body::Raw(RawBody::new(header.command_id, octets)),
            }),
            _ => Err(e),
        }
    }

    /// The link-level PDUs with a header only (`enquire_link`, `unbind`,
    /// their responses, `generic_nack`), decoded without the general
    /// dispatch; `None` sends anything else down [`Self::parse_frame`].
    #[inline]
    fn parse_keepalive(frame: &'a [u8]) -> Option<Self> {
        let head: &[u8; 16] = frame.try_into().ok()?;
        let header = Header::parse(head).ok()?;
        if header.command_length != 16 {
            return None;
        }
        let body = match header.command_id {
            CommandId::ENQUIRE_LINK => Body::EnquireLink,
            CommandId::ENQUIRE_LINK_RESP => Body::EnquireLinkResp(Tlvs::EMPTY),
            CommandId::UNBIND => Body::Unbind,
            CommandId::UNBIND_RESP => Body::UnbindResp(Tlvs::EMPTY),
            CommandId::GENERIC_NACK => Body::GenericNack(Tlvs::EMPTY),
            _ => return None,
        };
        Some(Self {
            command_status: header.command_status,
            sequence_number: header.sequence_number,
            body,
        })
    }

    fn parse_frame(frame: &'a [u8]) -> Result<Self, Error> {
        let header = Header::parse(frame)?;
        // `Header::parse` needs 16 octets, so an equal length is at least 16.
        if usize::try_from(header.command_length).ok() != Some(frame.len()) {
            return Err(length_error(header, frame.len()));
        }
        let body = frame.get(Header::LEN..).unwrap_or_default();
        let parsed = Body::parse_with(header.command_id, header.command_status, body, |body| {
            Self {
                command_status: header.command_status,
                sequence_number: header.sequence_number,
                body,
            }
        });
        match parsed {
            Ok(pdu) => Ok(pdu),
            Err(e) => Self::parse_failed(header, body, e),
        }
    }

    /// An error response kept with its body raw, or the error.
    #[cold]
    #[inline(never)]
    fn parse_failed(header: Header, body: &'a [u8], e: Error) -> Result<Self, Error> {
        match lenient(header.command_id, header.command_status, body, e) {
            Ok(raw) => Ok(Self {
                command_status: header.command_status,
                sequence_number: header.sequence_number,
                body: Body::Raw(raw),
            }),
            Err(e) => Err(e.with_header(header)),
        }
    }
}

/// The `command_length` of a PDU of `len` octets, if an Integer4 holds it.
#[inline]
fn command_length(len: usize) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::new(ErrorKind::CommandLengthOverflow { len }))
}

/// The error for a frame whose length is not its `command_length`.
#[cold]
fn length_error(header: Header, actual: usize) -> Error {
    let command_length = header.command_length;
    let kind = if command_length < 16 {
        ErrorKind::CommandLengthTooShort { command_length }
    } else {
        ErrorKind::CommandLengthMismatch {
            command_length,
            actual,
        }
    };
    Error::new(kind).with_header(header)
}

impl<B: AsRef<[u8]>> Pdu<B> {
    /// Octets of the whole PDU: the `command_length` it will carry.
    pub fn encoded_len(&self) -> usize {
        Header::LEN + self.body.encoded_len()
    }

    /// The header for a PDU with this `command_length`.
    fn header_with(&self, command_length: u32) -> Header {
        Header {
            command_length,
            command_id: self.command_id(),
            command_status: self.command_status,
            sequence_number: self.sequence_number,
        }
    }

    /// The header this PDU encodes with. `command_length` saturates at
    /// `u32::MAX` for a PDU longer than that, which [`Self::emit`] refuses
    /// (`ErrorKind::CommandLengthOverflow`).
    pub fn header(&self) -> Header {
        self.header_with(u32::try_from(self.encoded_len()).unwrap_or(u32::MAX))
    }

    /// Checks the PDU as [`Self::emit`] does, without writing: what passes
    /// is decoded back by [`Self::parse`] ([`Self::parse_any`] for an
    /// unknown `command_id`). The body is checked for this PDU's
    /// `command_status` (an error response needs no mandatory TLVs and may
    /// carry a [`Body::Raw`] of any octets).
    pub fn validate(&self) -> Result<(), Error> {
        self.checked_header().map(drop)
    }

    /// The header of the PDU, once the PDU passed its checks.
    pub(crate) fn checked_header(&self) -> Result<Header, Error> {
        let len = self.encoded_len();
        let header =
            self.header_with(command_length(len).map_err(|e| e.with_header(self.header()))?);
        self.body
            .check(self.command_status)
            .map_err(|e| e.with_header(header))?;
        Ok(header)
    }

    /// Encodes the PDU into `out`, returning the octets written
    /// ([`Self::encoded_len`]). Fails, writing nothing of use, if `out` is
    /// too small, a field breaks its rules (see [`Self::validate`]), or the
    /// PDU is longer than `command_length` can say.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        if let Some(command_id) = self.header_only_id() {
            return self.emit_header_only(command_id, out);
        }
        let header = self.checked_header()?;
        self.write(header, out)
    }

    /// [`Self::emit`] for a PDU that passed [`Self::validate`], whose
    /// `command_length` that found.
    #[inline]
    pub(crate) fn emit_checked(&self, command_length: u32, out: &mut [u8]) -> Result<usize, Error> {
        if let Some(command_id) = self.header_only_id() {
            return self.emit_header_only(command_id, out);
        }
        self.write(self.header_with(command_length), out)
    }

    /// Writes a PDU that is its header alone.
    #[inline]
    fn emit_header_only(&self, command_id: CommandId, out: &mut [u8]) -> Result<usize, Error> {
        let header = Header {
            command_length: 16,
            command_id,
            command_status: self.command_status,
            sequence_number: self.sequence_number,
        };
        let Some(dst) = out.first_chunk_mut::<16>() else {
            return Err(Error::new(ErrorKind::BufferTooSmall {
                needed: 16,
                available: out.len(),
            })
            .with_header(header));
        };
        *dst = header.to_bytes();
        Ok(Header::LEN)
    }

    /// Writes the PDU, whose rules were checked, with its `header`.
    fn write(&self, header: Header, out: &mut [u8]) -> Result<usize, Error> {
        let len = usize::try_from(header.command_length).unwrap_or(usize::MAX);
        let mut w = Writer::new(out, len).map_err(|e| e.with_header(header))?;
        w.array(header.to_bytes());
        self.body.write(&mut w);
        w.finish().map_err(|e| e.with_header(header))
    }

    /// The `command_id` of a PDU that is its header alone (`enquire_link`,
    /// `unbind`, their responses and `generic_nack` without TLVs): those
    /// are written without the general encoder.
    #[inline]
    fn header_only_id(&self) -> Option<CommandId> {
        match &self.body {
            Body::EnquireLink => Some(CommandId::ENQUIRE_LINK),
            Body::Unbind => Some(CommandId::UNBIND),
            Body::EnquireLinkResp(t) if t.is_empty() => Some(CommandId::ENQUIRE_LINK_RESP),
            Body::UnbindResp(t) if t.is_empty() => Some(CommandId::UNBIND_RESP),
            Body::GenericNack(t) if t.is_empty() => Some(CommandId::GENERIC_NACK),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CommandId, ErrorKind, Pdu, command_length};

    #[test]
    fn command_length_is_an_integer4_or_an_error() {
        assert_eq!(command_length(16), Ok(16));
        assert_eq!(command_length(u32::MAX as usize), Ok(u32::MAX));
        if let Some(len) = (u32::MAX as usize).checked_add(1) {
            let err = command_length(len).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::CommandLengthOverflow { len });
        }
    }

    /// The header-only fast path of `Pdu::parse` agrees with the general
    /// path for every command id, status and length.
    #[test]
    fn the_keepalive_path_agrees_with_the_general_path() {
        let ids = CommandId::ALL
            .iter()
            .map(|id| id.0)
            .chain([0x0000_0099, 0x8000_0099]);
        for id in ids {
            for status in [0u32, 0x45, 0x400] {
                for command_length in [16u32, 17, 15] {
                    let mut frame = [0u8; 16];
                    frame[..4].copy_from_slice(&command_length.to_be_bytes());
                    frame[4..8].copy_from_slice(&id.to_be_bytes());
                    frame[8..12].copy_from_slice(&status.to_be_bytes());
                    frame[12..].copy_from_slice(&7u32.to_be_bytes());
                    assert_eq!(
                        Pdu::parse(&frame),
                        Pdu::parse_frame(&frame),
                        "id {id:#x} status {status:#x} length {command_length}"
                    );
                }
            }
        }
    }

    #[test]
    fn header_only_pdus_are_written_as_the_general_encoder_would() {
        use super::{Body, Emit, Header, Tlvs};
        use crate::CommandStatus;
        let congestion = [0x04, 0x28, 0x00, 0x01, 0x50];
        let bodies = [
            Body::EnquireLink,
            Body::Unbind,
            Body::EnquireLinkResp(Tlvs::EMPTY),
            Body::UnbindResp(Tlvs::EMPTY),
            Body::GenericNack(Tlvs::EMPTY),
            Body::EnquireLinkResp(Tlvs::parse(&congestion[..]).unwrap()),
        ];
        for body in bodies {
            for status in [0u32, 0x45, 0x400] {
                let pdu = Pdu {
                    command_status: CommandStatus(status),
                    sequence_number: 0x7FFF_FFFF,
                    body,
                };
                let len = Header::LEN + body.encoded_len();
                let mut general = [0u8; 32];
                let mut w = super::Writer::new(&mut general, len).unwrap();
                w.array(pdu.header().to_bytes());
                body.write(&mut w);
                assert_eq!(w.finish(), Ok(len));

                let mut out = [0xEE; 32];
                assert_eq!(pdu.emit(&mut out), Ok(len), "{pdu:?}");
                assert_eq!(out[..len], general[..len], "{pdu:?}");
                assert_eq!(Pdu::parse(&out[..len]), Ok(pdu));
                let err = pdu.emit(&mut out[..len - 1]).unwrap_err();
                assert_eq!(err.header(), Some(pdu.header()));
            }
        }
    }
}

/// What [`Pdu::validate`] accepts is exactly what decodes back: a PDU
/// written without its checks decodes to itself if and only if it passes
/// them.
#[cfg(test)]
mod agreement {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use std::vec::Vec;

    use super::{
        BROADCAST_SM_MANDATORY_TLVS, Bind, Body, BroadcastSm, CommandId, CommandStatus, DataSm,
        Pdu, QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS, QuerySmResp, RawBody, SubmitMulti, SubmitSm,
        SubmitSmResp, TlvTag, Tlvs, ValidPdu,
    };
    use crate::fields::{
        CString, DESTINATION_ADDR, DESTINATION_ADDR_65, MESSAGE_ID, PASSWORD, SERVICE_TYPE,
        SOURCE_ADDR, SOURCE_ADDR_65, SYSTEM_ID,
    };
    use crate::types::COctet;
    use crate::values::{Npi, Ton};

    /// Octets around a field's rule: mostly digits, sometimes a NUL or any
    /// octet, up to 70 of them (cut to each field's size in the test).
    fn octets() -> impl Strategy<Value = Vec<u8>> {
        vec(
            prop_oneof![60 => b'0'..=b'9', 1 => Just(0u8), 1 => any::<u8>()],
            0..70,
        )
    }

    /// A time field's octets: empty, 16 characters, or any length.
    fn time() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(Vec::new()),
            Just(b"251231235959000+".to_vec()),
            vec(b'0'..=b'9', 16),
            octets(),
        ]
    }

    /// A TLV region: valid (the mandatory TLVs of the broadcast PDUs
    /// among them), or any octets.
    fn tlvs() -> impl Strategy<Value = Vec<u8>> {
        let mandatory = BROADCAST_SM_MANDATORY_TLVS
            .iter()
            .chain(&QUERY_BROADCAST_SM_RESP_MANDATORY_TLVS)
            .copied()
            .collect::<Vec<_>>();
        let mut all = Vec::new();
        for tag in mandatory {
            let value: &[u8] = match tag {
                TlvTag::MESSAGE_STATE => &[2],
                TlvTag::BROADCAST_AREA_SUCCESS => &[100],
                TlvTag::BROADCAST_REP_NUM => &[0, 1],
                _ => &[1, 0, 1],
            };
            all.extend_from_slice(&tag.0.to_be_bytes());
            all.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
            all.extend_from_slice(value);
        }
        prop_oneof![Just(Vec::new()), Just(all), vec(any::<u8>(), 0..12),]
    }

    /// Up to `kind.max` octets of `v` (as many as `v.len()` says modulo
    /// `kind.max + 1`): the longest breaks the rule by one.
    fn cut(v: &[u8], kind: CString) -> COctet<&[u8]> {
        COctet::new(&v[..v.len() % (kind.max + 1)])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

        #[test]
        fn validate_accepts_exactly_what_decodes_back(
            kind in 0u8..10,
            error_status in any::<bool>(),
            text in vec(octets(), 4),
            times in vec(time(), 2),
            short_message in vec(any::<u8>(), 0..280),
            tlvs in tlvs(),
            list in octets(),
        ) {
            let status = if error_status {
                CommandStatus::ESME_RSUBMITFAIL
            } else {
                CommandStatus::ESME_ROK
            };
            let region = Tlvs::EMPTY.map(|_| tlvs.as_slice());
            let sm = SubmitSm {
                service_type: cut(&text[0], SERVICE_TYPE),
                source_addr: cut(&text[1], SOURCE_ADDR),
                destination_addr: cut(&text[2], DESTINATION_ADDR),
                schedule_delivery_time: COctet::new(&times[0]),
                validity_period: COctet::new(&times[1]),
                short_message: &short_message[..],
                tlvs: region,
                ..SubmitSm::default()
            };
            let resp = SubmitSmResp {
                message_id: cut(&text[3], MESSAGE_ID),
                tlvs: region,
            };
            // Two valid entries whose octets are then replaced.
            let multi = SubmitMulti::parse(b"\0\0\0\0\x02\x01\x01\x01447\0\x02DL\0\0\0\0\0\0\0\0\0\0\0")
                .unwrap();
            let dest_address = if list.len() % 2 == 0 {
                multi.dest_address
            } else {
                multi.dest_address.map(|_| list.as_slice())
            };
            let body = match kind {
                0 => Body::SubmitSm(sm),
                1 => Body::DeliverSm(sm),
                2 => Body::SubmitSmResp(Some(resp)),
                3 => Body::QueryBroadcastSmResp(Some(resp)),
                4 => Body::BroadcastSm(BroadcastSm {
                    service_type: sm.service_type,
                    source_addr: sm.source_addr,
                    message_id: resp.message_id,
                    schedule_delivery_time: sm.schedule_delivery_time,
                    validity_period: sm.validity_period,
                    tlvs: region,
                    ..BroadcastSm::default()
                }),
                5 => Body::DataSm(DataSm {
                    source_addr: cut(&text[1], SOURCE_ADDR_65),
                    destination_addr: cut(&text[2], DESTINATION_ADDR_65),
                    tlvs: region,
                    ..DataSm::default()
                }),
                6 => Body::BindTransmitter(Bind {
                    system_id: cut(&text[0], SYSTEM_ID),
                    password: cut(&text[3], PASSWORD),
                    tlvs: region,
                    ..Bind::default()
                }),
                7 => Body::QuerySmResp(Some(QuerySmResp {
                    message_id: resp.message_id,
                    final_date: sm.validity_period,
                    tlvs: region,
                    ..QuerySmResp::default()
                })),
                8 => Body::SubmitMulti(SubmitMulti {
                    source_addr_ton: Ton::INTERNATIONAL,
                    source_addr_npi: Npi::ISDN,
                    source_addr: sm.source_addr,
                    dest_address,
                    short_message: &short_message[..],
                    tlvs: region,
                    ..SubmitMulti::default()
                }),
                _ => {
                    let ids = [CommandId::SUBMIT_MULTI_RESP, CommandId::SUBMIT_SM, CommandId(0x0001_0200)];
                    let id = ids[list.len() % ids.len()];
                    Body::Raw(RawBody::new(id, &list[..]))
                }
            };
            let pdu = Pdu { command_status: status, sequence_number: 7, body };
            let valid = pdu.validate().is_ok();

            let mut frame = std::vec![0u8; pdu.encoded_len()];
            prop_assert_eq!(pdu.write(pdu.header(), &mut frame), Ok(frame.len()));
            let back = Pdu::parse_any(&frame);
            // A raw body of a known command_id that follows its layout
            // decodes to the typed body.
            let decodes_back = back.is_ok_and(|back| back == pdu || matches!(pdu.body, Body::Raw(_)));
            prop_assert_eq!(valid, decodes_back, "{:?} -> {:?}", pdu, back);
            if valid {
                let mut out = std::vec![0u8; frame.len()];
                prop_assert_eq!(pdu.emit(&mut out), Ok(frame.len()));
                prop_assert_eq!(&out, &frame);
                // Checked once, it encodes the same without its checks.
                out.fill(0);
                prop_assert_eq!(ValidPdu::new(pdu).unwrap().emit(&mut out), Ok(frame.len()));
                prop_assert_eq!(&out, &frame);
                out.fill(0);
                prop_assert_eq!(ValidPdu::parse_any(&frame).unwrap().emit(&mut out), Ok(frame.len()));
                prop_assert_eq!(&out, &frame);
            } else {
                prop_assert!(pdu.emit(&mut frame).is_err());
                prop_assert!(ValidPdu::new(pdu).is_err());
            }
        }
    }
}
