//! `submit_multi` and `submit_multi_resp` (SMPP v3.4 4.5, v5.0 4.2.3),
//! with their repeated `dest_address` and
//! `unsuccess_sme` entries decoded lazily.

use crate::command_status::CommandStatus;
use crate::error::{Error, ErrorKind, Field, FieldProblem};
use crate::fields::{
    DESTINATION_ADDR, DL_NAME, MESSAGE_ID, SCHEDULE_DELIVERY_TIME, SERVICE_TYPE, SOURCE_ADDR,
    VALIDITY_PERIOD,
};
use crate::types::COctet;
use crate::values::{Npi, Ton};
use crate::wire::emit::{Check, Emit, Len};
use crate::wire::read::{Res, field_err, finish, u8_field, u32_field};
use crate::wire::write::Writer;
#[cfg(feature = "serde")]
use alloc::vec::Vec;

/// `dest_flag` of an SME address entry.
pub const DEST_FLAG_SME_ADDRESS: u8 = 1;
/// `dest_flag` of a distribution list entry.
pub const DEST_FLAG_DISTRIBUTION_LIST: u8 = 2;

/// One `dest_address` entry of `submit_multi` (in SMPP v3.4 4.5.1, v5.0
/// 4.2.3.1): a `dest_flag` ([`DEST_FLAG_SME_ADDRESS`] or
/// [`DEST_FLAG_DISTRIBUTION_LIST`]) then the fields of that kind of entry.
///
/// Entries are gathered in a [`DestAddressBuf`] for encoding, which checks
/// each one as it is pushed, and read back from [`DestAddresses::iter`].
///
/// ```
/// use smpp_core::{Body, COctet, DestAddress, DestAddressBuf, Npi, Pdu, SubmitMulti, Ton};
///
/// let sme = DestAddress::SmeAddress {
///     dest_addr_ton: Ton::INTERNATIONAL,
///     dest_addr_npi: Npi::ISDN,
///     destination_addr: COctet::from("447700900001"),
/// };
/// let list = DestAddress::DistributionList { dl_name: COctet::from("FRIENDS") };
/// // dest_flag, TON, NPI, address and NUL; dest_flag, name and NUL.
/// assert_eq!(sme.encoded_len(), 3 + 13);
/// assert_eq!(list.encoded_len(), 1 + 8);
///
/// let mut dests = DestAddressBuf::<64>::new();
/// dests.push(sme).unwrap();
/// dests.push(list).unwrap();
/// // A dl_name allows 20 characters and its NUL.
/// let too_long = DestAddress::DistributionList { dl_name: COctet::from("FRIENDS_AND_FAMILY_2024") };
/// assert!(dests.push(too_long).is_err());
///
/// let multi = SubmitMulti { dest_address: dests.list(), short_message: b"Hi", ..SubmitMulti::default() };
/// let pdu = Pdu::new(5, Body::SubmitMulti(multi));
/// let mut buf = [0u8; 96];
/// let n = pdu.emit(&mut buf).unwrap();
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::SubmitMulti(m) = back.body else { unreachable!() };
/// for dest in &m.dest_address {
///     match dest {
///         DestAddress::SmeAddress { destination_addr, .. } => {
///             assert_eq!(destination_addr.to_str(), Some("447700900001"));
///         }
///         DestAddress::DistributionList { dl_name } => assert_eq!(dl_name.to_str(), Some("FRIENDS")),
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DestAddress<'a> {
    /// `dest_flag` 1: an SME address.
    SmeAddress {
        /// `dest_addr_ton`.
        dest_addr_ton: Ton,
        /// `dest_addr_npi`.
        dest_addr_npi: Npi,
        /// `destination_addr` (max 21).
        destination_addr: COctet<&'a [u8]>,
    },
    /// `dest_flag` 2: a distribution list name.
    DistributionList {
        /// `dl_name` (max 21).
        dl_name: COctet<&'a [u8]>,
    },
}

impl DestAddress<'_> {
    /// Octets of the longest entry on the wire: an SME address whose
    /// `destination_addr` has its 20 characters (a distribution list takes
    /// at most 22).
    pub const MAX_LEN: usize = {
        let sme = 3 + DESTINATION_ADDR.max;
        let list = 1 + DL_NAME.max;
        if sme > list { sme } else { list }
    };

    /// Octets of the entry on the wire.
    pub fn encoded_len(&self) -> usize {
        let mut len = Len(0);
        self.encode(&mut len);
        len.0
    }

    /// The entry's fields in wire order, for [`Emit`].
    fn encode<E: Emit>(&self, e: &mut E) {
        match *self {
            Self::SmeAddress {
                dest_addr_ton,
                dest_addr_npi,
                destination_addr,
            } => {
                e.array([DEST_FLAG_SME_ADDRESS, dest_addr_ton.0, dest_addr_npi.0]);
                e.cstr(DESTINATION_ADDR, destination_addr.as_bytes());
            }
            Self::DistributionList { dl_name } => {
                e.u8(DEST_FLAG_DISTRIBUTION_LIST);
                e.cstr(DL_NAME, dl_name.as_bytes());
            }
        }
    }
}

pub(crate) fn dest_address(i: &[u8]) -> Res<'_, DestAddress<'_>> {
    let (i, flag) = u8_field(i, Field::DestFlag)?;
    match flag {
        DEST_FLAG_SME_ADDRESS => {
            let (i, ton) = u8_field(i, Field::DestAddrTon)?;
            let (i, npi) = u8_field(i, Field::DestAddrNpi)?;
            let (i, destination_addr) = DESTINATION_ADDR.read(i)?;
            Ok((
                i,
                DestAddress::SmeAddress {
                    dest_addr_ton: Ton(ton),
                    dest_addr_npi: Npi(npi),
                    destination_addr,
                },
            ))
        }
        DEST_FLAG_DISTRIBUTION_LIST => {
            let (i, dl_name) = DL_NAME.read(i)?;
            Ok((i, DestAddress::DistributionList { dl_name }))
        }
        other => Err(field_err(
            Field::DestFlag,
            FieldProblem::InvalidValue {
                value: u32::from(other),
            },
        )),
    }
}

/// One `unsuccess_sme` entry of `submit_multi_resp` (in SMPP v3.4 4.5.2,
/// v5.0 4.2.3.2): a destination the MC did not accept, and why.
///
/// Entries are gathered in an [`UnsuccessSmeBuf`] for encoding and read
/// back from [`UnsuccessSmes::iter`].
///
/// ```
/// use smpp_core::{Body, COctet, CommandStatus, Npi, Pdu, SubmitMultiResp, Ton};
/// use smpp_core::{UnsuccessSme, UnsuccessSmeBuf};
///
/// let rejected = UnsuccessSme {
///     dest_addr_ton: Ton::INTERNATIONAL,
///     dest_addr_npi: Npi::ISDN,
///     destination_addr: COctet::from("447700900002"),
///     error_status_code: CommandStatus::ESME_RINVDSTADR,
/// };
/// // TON, NPI, address and NUL, error_status_code.
/// assert_eq!(rejected.encoded_len(), 2 + 13 + 4);
///
/// let mut failed = UnsuccessSmeBuf::<64>::new();
/// failed.push(rejected).unwrap();
/// failed.push(UnsuccessSme {
///     destination_addr: COctet::from("447700900003"),
///     error_status_code: CommandStatus::ESME_RMSGQFUL,
///     ..rejected
/// }).unwrap();
/// let resp = SubmitMultiResp {
///     message_id: COctet::from("MSG0001"),
///     unsuccess_sme: failed.list(),
///     ..SubmitMultiResp::default()
/// };
/// let pdu = Pdu::new(5, Body::SubmitMultiResp(Some(resp)));
/// let mut buf = [0u8; 96];
/// let n = pdu.emit(&mut buf).unwrap();
///
/// let back = Pdu::parse(&buf[..n]).unwrap();
/// assert_eq!(back, pdu);
/// let Body::SubmitMultiResp(Some(r)) = back.body else { unreachable!() };
/// let codes = r.unsuccess_sme.iter().map(|e| e.error_status_code);
/// assert!(codes.eq([CommandStatus::ESME_RINVDSTADR, CommandStatus::ESME_RMSGQFUL]));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnsuccessSme<'a> {
    /// `dest_addr_ton`.
    pub dest_addr_ton: Ton,
    /// `dest_addr_npi`.
    pub dest_addr_npi: Npi,
    /// `destination_addr` (max 21).
    pub destination_addr: COctet<&'a [u8]>,
    /// `error_status_code`: why this destination failed.
    pub error_status_code: CommandStatus,
}

impl UnsuccessSme<'_> {
    /// Octets of the longest entry on the wire: one whose
    /// `destination_addr` has its 20 characters.
    pub const MAX_LEN: usize = 2 + DESTINATION_ADDR.max + 4;

    /// Octets of the entry on the wire.
    pub fn encoded_len(&self) -> usize {
        let mut len = Len(0);
        self.encode(&mut len);
        len.0
    }

    /// The entry's fields in wire order, for [`Emit`].
    fn encode<E: Emit>(&self, e: &mut E) {
        e.array([self.dest_addr_ton.0, self.dest_addr_npi.0]);
        e.cstr(DESTINATION_ADDR, self.destination_addr.as_bytes());
        e.array(self.error_status_code.0.to_be_bytes());
    }
}

pub(crate) fn unsuccess_sme(i: &[u8]) -> Res<'_, UnsuccessSme<'_>> {
    let (i, ton) = u8_field(i, Field::DestAddrTon)?;
    let (i, npi) = u8_field(i, Field::DestAddrNpi)?;
    let (i, destination_addr) = DESTINATION_ADDR.read(i)?;
    let (i, code) = u32_field(i, Field::ErrorStatusCode)?;
    Ok((
        i,
        UnsuccessSme {
            dest_addr_ton: Ton(ton),
            dest_addr_npi: Npi(npi),
            destination_addr,
            error_status_code: CommandStatus(code),
        },
    ))
}

/// Defines a counted list of entries: raw storage plus the count field,
/// validated once on parse, iterated lazily without allocation, and a
/// fixed-capacity builder for encoding.
///
/// `$count` names the count field; a list has at least `$min` entries.
macro_rules! entry_list {
    (
        $(#[$meta:meta])* $list:ident, $iter:ident, $buf:ident, $entry:ident, $parse:ident,
        $count:ident, $min:literal
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
        #[cfg_attr(feature = "serde", serde(bound(deserialize = "B: From<Vec<u8>>")))]
        pub struct $list<B: AsRef<[u8]>> {
            count: u8,
            #[cfg_attr(feature = "serde", serde(rename = "octets", with = "crate::serde::octets"))]
            raw: B,
        }

        impl<'a> $list<&'a [u8]> {
            /// The count field, then that many entries.
            fn read(i: &'a [u8]) -> Res<'a, Self> {
                let (i, count) = u8_field(i, Field::$count)?;
                Self::parse_counted(count, i)
            }

            /// The count field's value then that many entries. A body that
            /// ends where an entry should start is the count's fault
            /// (`TooFewEntries`); any other failure is the entry's.
            pub(crate) fn parse_counted(count: u8, i: &'a [u8]) -> Res<'a, Self> {
                if below_min(count, $min) {
                    return Err(field_err(
                        Field::$count,
                        FieldProblem::InvalidValue {
                            value: u32::from(count),
                        },
                    ));
                }
                let mut rest = i;
                for found in 0..count {
                    if rest.is_empty() {
                        return Err(field_err(Field::$count, too_few(count, found)));
                    }
                    rest = $parse(rest)?.0;
                }
                let used = i.len() - rest.len();
                Ok((
                    rest,
                    Self {
                        count,
                        raw: i.get(..used).unwrap_or_default(),
                    },
                ))
            }
        }

        impl<B: AsRef<[u8]>> $list<B> {
            /// Converts the storage. `f` must return storage holding exactly
            /// the octets it was given.
            pub fn map<C: AsRef<[u8]>>(self, f: impl FnOnce(B) -> C) -> $list<C> {
                $list {
                    count: self.count,
                    raw: f(self.raw),
                }
            }

            /// The number of entries (the count field on the wire).
            pub fn count(&self) -> u8 {
                self.count
            }

            /// The entries, in wire order.
            pub fn iter(&self) -> $iter<'_> {
                $iter {
                    rest: self.raw.as_ref(),
                    left: self.count,
                }
            }

            /// The entries' raw octets (without the count field).
            pub fn as_bytes(&self) -> &[u8] {
                self.raw.as_ref()
            }

            /// Octets on the wire, the count field included.
            pub fn encoded_len(&self) -> usize {
                1 + self.raw.as_ref().len()
            }

            /// Checks the list as decoding does: the count field's value,
            /// then exactly that many valid entries and no octet after them
            /// (storage given to [`Self::map`] could hold anything).
            fn check(&self) -> Result<(), Error> {
                let (rest, _) = finish($list::parse_counted(self.count, self.as_bytes()))?;
                if rest.is_empty() {
                    Ok(())
                } else {
                    Err(Error::new(ErrorKind::Field {
                        field: Field::$count,
                        problem: FieldProblem::OctetsAfterEntries { octets: rest.len() },
                    }))
                }
            }

            /// The count field and the entries, for [`Emit`].
            fn encode<E: Emit>(&self, e: &mut E) {
                e.rule(|| self.check());
                e.u8(self.count);
                e.bytes(self.as_bytes());
            }
        }

        impl<'a, B: AsRef<[u8]>> IntoIterator for &'a $list<B> {
            type Item = $entry<'a>;
            type IntoIter = $iter<'a>;
            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }

        impl<B: AsRef<[u8]>> core::fmt::Debug for $list<B> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        /// Iterator over validated entries.
        #[derive(Clone, Debug)]
        pub struct $iter<'a> {
            rest: &'a [u8],
            left: u8,
        }

        impl<'a> Iterator for $iter<'a> {
            type Item = $entry<'a>;
            fn next(&mut self) -> Option<$entry<'a>> {
                self.left = self.left.checked_sub(1)?;
                let (rest, entry) = $parse(self.rest).ok()?;
                self.rest = rest;
                Some(entry)
            }
        }

        /// Builds the list in a fixed capacity of `N` octets, for encoding.
        #[derive(Clone, Debug, Default)]
        pub struct $buf<const N: usize> {
            count: u8,
            buf: heapless::Vec<u8, N>,
        }

        impl<const N: usize> $buf<N> {
            /// An empty list.
            pub const fn new() -> Self {
                Self {
                    count: 0,
                    buf: heapless::Vec::new(),
                }
            }

            /// Appends an entry. Fails, appending nothing, if a field breaks
            /// its rule, the list already has 255 entries, or the buffer is
            /// full.
            pub fn push(&mut self, entry: $entry<'_>) -> Result<(), Error> {
                let mut check = Check::new();
                entry.encode(&mut check);
                check.0?;
                let count = self.count.checked_add(1).ok_or(Error::new(ErrorKind::Field {
                    field: Field::$count,
                    problem: FieldProblem::InvalidValue { value: 256 },
                }))?;
                let start = self.buf.len();
                let needed = start + entry.encoded_len();
                let too_small = Error::new(ErrorKind::BufferTooSmall {
                    needed,
                    available: N,
                });
                self.buf.resize_default(needed).map_err(|_| too_small)?;
                let tail = self.buf.get_mut(start..).unwrap_or_default();
                let mut w = Writer::new(tail, needed - start)?;
                entry.encode(&mut w);
                w.finish()?;
                self.count = count;
                Ok(())
            }

            /// The list built so far.
            pub fn list(&self) -> $list<&[u8]> {
                $list {
                    count: self.count,
                    raw: &self.buf,
                }
            }
        }
    };
}

entry_list!(
    /// The `dest_address` entries of `submit_multi` (`number_of_dests` of them).
    DestAddresses, DestAddressIter, DestAddressBuf, DestAddress, dest_address,
    NumberOfDests, 1
);

entry_list!(
    /// The `unsuccess_sme` entries of `submit_multi_resp` (`no_unsuccess` of them).
    UnsuccessSmes, UnsuccessSmeIter, UnsuccessSmeBuf, UnsuccessSme, unsuccess_sme,
    NoUnsuccess, 0
);

/// Whether a count is below a list's minimum (a function, so a minimum of
/// 0 compiles without a comparison the compiler calls useless).
#[inline]
const fn below_min(count: u8, min: u8) -> bool {
    count < min
}

/// A count field that announces `count` entries where only `found` are.
#[cold]
fn too_few(count: u8, found: u8) -> FieldProblem {
    FieldProblem::TooFewEntries {
        count: usize::from(count),
        found: usize::from(found),
    }
}

body_struct! {
    /// The body of `submit_multi` (SMPP v3.4 4.5.1, v5.0 4.2.3.1):
    /// one message, up to 255 destinations (SME addresses or distribution
    /// lists, see [`DestAddress`]). `number_of_dests` and `sm_length` are not
    /// stored: they are computed on encode and checked on parse.
    ///
    /// ```
    /// use smpp_core::{Body, COctet, DestAddress, DestAddressBuf, Npi, Pdu, SubmitMulti, Ton};
    ///
    /// let mut dests = DestAddressBuf::<64>::new();
    /// dests.push(DestAddress::SmeAddress {
    ///     dest_addr_ton: Ton::INTERNATIONAL,
    ///     dest_addr_npi: Npi::ISDN,
    ///     destination_addr: COctet::from("447700900001"),
    /// }).unwrap();
    /// dests.push(DestAddress::DistributionList { dl_name: COctet::from("FRIENDS") }).unwrap();
    /// let multi = SubmitMulti {
    ///     dest_address: dests.list(),
    ///     short_message: b"Hello",
    ///     ..SubmitMulti::default()
    /// };
    /// let mut buf = [0u8; 128];
    /// let n = Pdu::new(5, Body::SubmitMulti(multi)).emit(&mut buf).unwrap();
    /// let Body::SubmitMulti(back) = Pdu::parse(&buf[..n]).unwrap().body else { unreachable!() };
    /// assert_eq!(back.dest_address.count(), 2);
    /// assert_eq!(back.dest_address.iter().nth(1),
    ///            Some(DestAddress::DistributionList { dl_name: COctet::from("FRIENDS") }));
    /// ```
    pub struct SubmitMulti {
        submit {
            /// `number_of_dests` and the `dest_address` entries.
            dest_address: DestAddresses<B> = list(DestAddresses),
        },
    }
    fields __submit_multi_fields
}

body_struct! {
    /// The body of `submit_multi_resp` (SMPP v3.4 4.5.2, v5.0 4.2.3.2): the `message_id` and the destinations the MC did not accept
    /// (see [`UnsuccessSme`]). `no_unsuccess` is not stored: it is the count of
    /// [`Self::unsuccess_sme`], 0 when every destination was accepted.
    ///
    /// In a [`Body`](super::Body) it is an `Option`: an error response usually
    /// has no body at all (`None`, `command_length` 16).
    ///
    /// ```
    /// use smpp_core::{Body, COctet, Pdu, SubmitMultiResp};
    ///
    /// // Every destination accepted: no_unsuccess = 0.
    /// let resp = SubmitMultiResp { message_id: COctet::from("MSG0001"), ..SubmitMultiResp::default() };
    /// let pdu = Pdu::new(5, Body::SubmitMultiResp(Some(resp)));
    /// let mut buf = [0u8; 32];
    /// let n = pdu.emit(&mut buf).unwrap();
    /// assert_eq!(buf[16..n], *b"MSG0001\0\0");
    ///
    /// let back = Pdu::parse(&buf[..n]).unwrap();
    /// assert_eq!(back, pdu);
    /// let Body::SubmitMultiResp(Some(r)) = back.body else { unreachable!() };
    /// assert_eq!(r.message_id.to_str(), Some("MSG0001"));
    /// assert_eq!(r.unsuccess_sme.count(), 0);
    /// ```
    pub struct SubmitMultiResp {
        message_id,
        /// `no_unsuccess` and the `unsuccess_sme` entries.
        unsuccess_sme: UnsuccessSmes<B> = list(UnsuccessSmes),
        /// TLVs (v5.0 response TLVs).
        tlvs,
    }
    fields __submit_multi_resp_fields
}

#[cfg(test)]
mod tests {
    use super::{DestAddress, UnsuccessSme};
    use crate::{COctet, CommandStatus, Npi, Ton};

    #[test]
    fn the_longest_entries_take_max_len_octets() {
        let twenty = COctet::new(&b"12345678901234567890"[..]);
        let sme = DestAddress::SmeAddress {
            dest_addr_ton: Ton::INTERNATIONAL,
            dest_addr_npi: Npi::ISDN,
            destination_addr: twenty,
        };
        let list = DestAddress::DistributionList { dl_name: twenty };
        assert_eq!(sme.encoded_len(), DestAddress::MAX_LEN);
        assert_eq!(DestAddress::MAX_LEN, 24);
        assert!(list.encoded_len() < DestAddress::MAX_LEN);
        let unsuccess = UnsuccessSme {
            dest_addr_ton: Ton::INTERNATIONAL,
            dest_addr_npi: Npi::ISDN,
            destination_addr: twenty,
            error_status_code: CommandStatus::ESME_RINVDSTADR,
        };
        assert_eq!(unsuccess.encoded_len(), UnsuccessSme::MAX_LEN);
        assert_eq!(UnsuccessSme::MAX_LEN, 27);
    }
}
