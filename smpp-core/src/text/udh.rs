//! The user data header (3GPP TS 23.040 9.2.3.24): a length octet (UDHL) followed by
//! information elements (IEI, length, data). A `short_message` carries one when `esm_class` has
//! the UDHI bit ([`UDHI`], 0x40) set.
//!
//! ```
//! use smpp_core::text::udh::{Ie, Udh, UdhBuilder};
//!
//! let sm = [0x05, 0x00, 0x03, 0x2A, 0x02, 0x01, b'h', b'i'];
//! let (udh, payload) = Udh::split(&sm)?;
//! assert_eq!(payload, b"hi");
//! let concat = udh.concat()?.expect("concatenation IE");
//! assert_eq!((concat.reference, concat.total, concat.seq), (0x2A, 2, 1));
//!
//! let mut buf = [0u8; 16];
//! let mut b = UdhBuilder::new(&mut buf)?;
//! b.push(Ie::Port16 { dest: 2948, src: 9200 })?;
//! let n = b.finish();
//! assert_eq!(&buf[..n], &[0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0]);
//! # Ok::<(), smpp_core::text::udh::UdhError>(())
//! ```

use core::fmt;

use super::gsm7::{Language, Tables};

/// The `esm_class` bit that says `short_message` starts with a user data header.
pub const UDHI: u8 = 0x40;

/// IEI: concatenated short messages, 8-bit reference.
pub const IEI_CONCAT_8: u8 = 0x00;
/// IEI: special SMS message indication.
pub const IEI_SPECIAL_SMS: u8 = 0x01;
/// IEI: application port addressing, 8-bit ports.
pub const IEI_PORT_8: u8 = 0x04;
/// IEI: application port addressing, 16-bit ports.
pub const IEI_PORT_16: u8 = 0x05;
/// IEI: concatenated short messages, 16-bit reference.
pub const IEI_CONCAT_16: u8 = 0x08;
/// IEI: national language single shift.
pub const IEI_SINGLE_SHIFT: u8 = 0x24;
/// IEI: national language locking shift.
pub const IEI_LOCKING_SHIFT: u8 = 0x25;

/// Errors from parsing or building a user data header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UdhError {
    /// UDHI is set but `short_message` is empty: no room for the UDHL octet.
    NoRoom,
    /// The UDHL octet claims more octets than `short_message` holds.
    UdhlPastEnd {
        /// The UDHL value.
        udhl: u8,
        /// Octets available after the UDHL octet.
        available: usize,
    },
    /// An information element runs past the end of the header.
    IeOverrun {
        /// Offset of the element within the header (after UDHL).
        offset: usize,
    },
    /// A known information element has the wrong length.
    IeLength {
        /// The element identifier.
        iei: u8,
        /// Its length.
        len: u8,
    },
    /// The output buffer is too small, or the header would exceed 255 octets.
    BufferTooSmall,
}

impl fmt::Display for UdhError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoRoom => f.write_str("UDHI set but no room for a user data header"),
            Self::UdhlPastEnd { udhl, available } => write!(
                f,
                "UDHL {udhl} runs past the end of the data ({available} octets available)"
            ),
            Self::IeOverrun { offset } => write!(
                f,
                "information element at offset {offset} runs past the end of the header"
            ),
            Self::IeLength { iei, len } => write!(
                f,
                "information element 0x{iei:02X} has invalid length {len}"
            ),
            Self::BufferTooSmall => f.write_str("output buffer too small for the header"),
        }
    }
}

impl core::error::Error for UdhError {}

/// A concatenation information element (0x00 or 0x08).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Concat {
    /// Reference number shared by all parts (8 or 16 bits).
    pub reference: u16,
    /// Total number of parts.
    pub total: u8,
    /// This part's sequence number, from 1.
    pub seq: u8,
    /// `true` for the 16-bit reference element (0x08).
    pub wide: bool,
}

impl Concat {
    /// Whether the numbering is one TS 23.040 9.2.3.24.1 lets a receiver use: a total above 0
    /// and a sequence number from 1 to the total.
    pub const fn is_valid(&self) -> bool {
        self.total > 0 && self.seq > 0 && self.seq <= self.total
    }
}

/// An information element, typed where this module knows the identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ie<'a> {
    /// 0x00: concatenation with an 8-bit reference.
    Concat8 {
        /// Reference number.
        reference: u8,
        /// Total parts.
        total: u8,
        /// Sequence number, from 1.
        seq: u8,
    },
    /// 0x08: concatenation with a 16-bit reference.
    Concat16 {
        /// Reference number.
        reference: u16,
        /// Total parts.
        total: u8,
        /// Sequence number, from 1.
        seq: u8,
    },
    /// 0x04: application port addressing with 8-bit ports.
    Port8 {
        /// Destination port.
        dest: u8,
        /// Originator port.
        src: u8,
    },
    /// 0x05: application port addressing with 16-bit ports (WAP push goes to port 2948).
    Port16 {
        /// Destination port.
        dest: u16,
        /// Originator port.
        src: u16,
    },
    /// 0x01: special SMS message indication (voicemail, fax, e-mail... waiting).
    SpecialSms {
        /// Indication type octet (bit 7 store, bits 6-5 profile, bits 4-2 extended type, bits 1-0 basic type).
        indication: u8,
        /// Number of messages waiting.
        count: u8,
    },
    /// 0x24: national language single shift, with the raw language identifier.
    SingleShift(u8),
    /// 0x25: national language locking shift, with the raw language identifier.
    LockingShift(u8),
    /// Any other element, raw.
    Other {
        /// Identifier.
        iei: u8,
        /// Data octets.
        data: &'a [u8],
    },
}

impl<'a> Ie<'a> {
    /// Interprets a raw element.
    pub fn from_raw(iei: u8, data: &'a [u8]) -> Result<Self, UdhError> {
        let bad = || UdhError::IeLength {
            iei,
            len: u8::try_from(data.len()).unwrap_or(u8::MAX),
        };
        Ok(match (iei, data) {
            (IEI_CONCAT_8, &[reference, total, seq]) => Self::Concat8 {
                reference,
                total,
                seq,
            },
            (IEI_CONCAT_16, &[r0, r1, total, seq]) => Self::Concat16 {
                reference: u16::from_be_bytes([r0, r1]),
                total,
                seq,
            },
            (IEI_PORT_8, &[dest, src]) => Self::Port8 { dest, src },
            (IEI_PORT_16, &[d0, d1, s0, s1]) => Self::Port16 {
                dest: u16::from_be_bytes([d0, d1]),
                src: u16::from_be_bytes([s0, s1]),
            },
            (IEI_SPECIAL_SMS, &[indication, count]) => Self::SpecialSms { indication, count },
            (IEI_SINGLE_SHIFT, &[id]) => Self::SingleShift(id),
            (IEI_LOCKING_SHIFT, &[id]) => Self::LockingShift(id),
            // A known element of another length.
            (
                IEI_CONCAT_8 | IEI_CONCAT_16 | IEI_PORT_8 | IEI_PORT_16 | IEI_SPECIAL_SMS
                | IEI_SINGLE_SHIFT | IEI_LOCKING_SHIFT,
                _,
            ) => return Err(bad()),
            _ => Self::Other { iei, data },
        })
    }

    /// The element identifier.
    pub const fn iei(&self) -> u8 {
        match self {
            Self::Concat8 { .. } => IEI_CONCAT_8,
            Self::Concat16 { .. } => IEI_CONCAT_16,
            Self::Port8 { .. } => IEI_PORT_8,
            Self::Port16 { .. } => IEI_PORT_16,
            Self::SpecialSms { .. } => IEI_SPECIAL_SMS,
            Self::SingleShift(_) => IEI_SINGLE_SHIFT,
            Self::LockingShift(_) => IEI_LOCKING_SHIFT,
            Self::Other { iei, .. } => *iei,
        }
    }

    /// Length of the element's data (without IEI and length octets).
    pub const fn data_len(&self) -> usize {
        match self {
            Self::Concat8 { .. } => 3,
            Self::Concat16 { .. } | Self::Port16 { .. } => 4,
            Self::Port8 { .. } | Self::SpecialSms { .. } => 2,
            Self::SingleShift(_) | Self::LockingShift(_) => 1,
            Self::Other { data, .. } => data.len(),
        }
    }

    /// Encoded length including IEI and length octets.
    pub const fn encoded_len(&self) -> usize {
        self.data_len() + 2
    }

    /// Writes IEI, length and data into `out`, returning the number of octets written.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, UdhError> {
        let len = self.encoded_len();
        let dst = out.get_mut(..len).ok_or(UdhError::BufferTooSmall)?;
        let data_len = u8::try_from(self.data_len()).map_err(|_| UdhError::BufferTooSmall)?;
        // The data of a known element, in its first `data_len` octets.
        let known = match *self {
            Self::Concat8 {
                reference,
                total,
                seq,
            } => [reference, total, seq, 0],
            Self::Concat16 {
                reference,
                total,
                seq,
            } => {
                let [r0, r1] = reference.to_be_bytes();
                [r0, r1, total, seq]
            }
            Self::Port8 { dest, src }
            | Self::SpecialSms {
                indication: dest,
                count: src,
            } => [dest, src, 0, 0],
            Self::Port16 { dest, src } => {
                let ([d0, d1], [s0, s1]) = (dest.to_be_bytes(), src.to_be_bytes());
                [d0, d1, s0, s1]
            }
            Self::SingleShift(id) | Self::LockingShift(id) => [id, 0, 0, 0],
            Self::Other { .. } => [0; 4],
        };
        let data = match self {
            Self::Other { data, .. } => data,
            _ => known.get(..usize::from(data_len)).unwrap_or_default(),
        };
        let (head, body) = dst.split_at_mut(2);
        head.copy_from_slice(&[self.iei(), data_len]);
        body.copy_from_slice(data);
        Ok(len)
    }

    /// The concatenation data, if this is a concatenation element.
    pub const fn as_concat(&self) -> Option<Concat> {
        match *self {
            Self::Concat8 {
                reference,
                total,
                seq,
            } => Some(Concat {
                reference: reference as u16,
                total,
                seq,
                wide: false,
            }),
            Self::Concat16 {
                reference,
                total,
                seq,
            } => Some(Concat {
                reference,
                total,
                seq,
                wide: true,
            }),
            _ => None,
        }
    }
}

/// A raw information element: identifier and data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RawIe<'a> {
    /// Identifier.
    pub iei: u8,
    /// Data octets.
    pub data: &'a [u8],
}

impl<'a> RawIe<'a> {
    /// Interprets the element; see [`Ie::from_raw`].
    pub fn parse(self) -> Result<Ie<'a>, UdhError> {
        Ie::from_raw(self.iei, self.data)
    }
}

/// A validated user data header: the information elements after the UDHL octet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Udh<'a> {
    ies: &'a [u8],
}

impl<'a> Udh<'a> {
    /// Splits `short_message` (with UDHI set) into its header and the rest.
    ///
    /// Checks that the UDHL fits and that every element lies within the header.
    ///
    /// # Errors
    ///
    /// [`UdhError::NoRoom`] for an empty `short_message`,
    /// [`UdhError::UdhlPastEnd`] when the UDHL claims more octets than follow,
    /// [`UdhError::IeOverrun`] when an element runs past the header. The
    /// lengths of known elements are checked when they are read
    /// ([`Self::ies`]), not here.
    pub fn split(short_message: &'a [u8]) -> Result<(Self, &'a [u8]), UdhError> {
        let (&udhl, rest) = short_message.split_first().ok_or(UdhError::NoRoom)?;
        if usize::from(udhl) > rest.len() {
            return Err(UdhError::UdhlPastEnd {
                udhl,
                available: rest.len(),
            });
        }
        let (ies, payload) = rest.split_at(usize::from(udhl));
        let udh = Self { ies };
        for ie in udh.raw_ies() {
            ie?;
        }
        Ok((udh, payload))
    }

    /// The element octets (without UDHL).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.ies
    }

    /// Header length including the UDHL octet.
    pub const fn len(&self) -> usize {
        self.ies.len() + 1
    }

    /// Whether the header has no elements.
    pub const fn is_empty(&self) -> bool {
        self.ies.is_empty()
    }

    /// Iterates the raw elements in order (already validated by [`split`](Self::split)).
    pub fn raw_ies(&self) -> RawIes<'a> {
        RawIes {
            rest: self.ies,
            offset: 0,
        }
    }

    /// Iterates the typed elements in order.
    pub fn ies(&self) -> impl Iterator<Item = Result<Ie<'a>, UdhError>> + 'a {
        self.raw_ies().map(|r| r.and_then(RawIe::parse))
    }

    /// The concatenation element, if any (the last one wins if several are present).
    ///
    /// An element whose total is 0, or whose sequence number is 0 or above the total, is
    /// ignored, as TS 23.040 9.2.3.24.1 has the receiver do: the message then stands alone
    /// (or another, valid, element counts). [`ies`](Self::ies) still lists it.
    ///
    /// ```
    /// use smpp_core::text::udh::Udh;
    ///
    /// // Reference 7, "part 3 of 2": not a part of anything.
    /// let (udh, payload) = Udh::split(&[0x05, 0x00, 0x03, 0x07, 0x02, 0x03, b'h', b'i'])?;
    /// assert_eq!(udh.concat()?, None);
    /// assert_eq!(payload, b"hi");
    /// # Ok::<(), smpp_core::text::udh::UdhError>(())
    /// ```
    pub fn concat(&self) -> Result<Option<Concat>, UdhError> {
        self.find(|ie| ie.as_concat().filter(Concat::is_valid))
    }

    /// The application port addressing element as `(dest, src)` 16-bit ports, if any.
    pub fn ports(&self) -> Result<Option<(u16, u16)>, UdhError> {
        self.find(|ie| match *ie {
            Ie::Port8 { dest, src } => Some((u16::from(dest), u16::from(src))),
            Ie::Port16 { dest, src } => Some((dest, src)),
            _ => None,
        })
    }

    /// The national language single shift, if any (unknown identifiers are ignored).
    pub fn single_shift(&self) -> Result<Option<Language>, UdhError> {
        self.find(|ie| match *ie {
            Ie::SingleShift(id) => Language::from_id(id),
            _ => None,
        })
    }

    /// The national language locking shift, if any (unknown identifiers are ignored).
    pub fn locking_shift(&self) -> Result<Option<Language>, UdhError> {
        self.find(|ie| match *ie {
            Ie::LockingShift(id) => Language::from_id(id).filter(|l| l.has_locking_shift()),
            _ => None,
        })
    }

    /// The GSM 7-bit tables the header's national language shift elements put in force:
    /// the locking-shift table (the default one without a locking shift element) with the
    /// single-shift table (the default extension table without a single shift element).
    ///
    /// ```
    /// use smpp_core::text::gsm7::{Language, Tables};
    /// use smpp_core::text::udh::Udh;
    ///
    /// // A Turkish single shift element (0x24, language 1) then one octet of text.
    /// let (udh, _) = Udh::split(&[0x03, 0x24, 0x01, 0x01, 0x61])?;
    /// assert_eq!(udh.tables()?, Tables::single_shift(Language::Turkish));
    /// # Ok::<(), smpp_core::text::udh::UdhError>(())
    /// ```
    pub fn tables(&self) -> Result<Tables, UdhError> {
        let single = self.single_shift()?.unwrap_or(Language::Default);
        let locking = self.locking_shift()?.unwrap_or(Language::Default);
        Ok(Tables::new(locking, single).unwrap_or(Tables::single_shift(single)))
    }

    fn find<T>(&self, f: impl Fn(&Ie<'a>) -> Option<T>) -> Result<Option<T>, UdhError> {
        let mut found = None;
        for ie in self.ies() {
            if let Some(v) = f(&ie?) {
                found = Some(v);
            }
        }
        Ok(found)
    }
}

/// Iterator over raw information elements; see [`Udh::raw_ies`].
#[derive(Debug, Clone)]
pub struct RawIes<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Iterator for RawIes<'a> {
    type Item = Result<RawIe<'a>, UdhError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let err = UdhError::IeOverrun {
            offset: self.offset,
        };
        let parsed = match self.rest {
            [iei, len, tail @ ..] if usize::from(*len) <= tail.len() => {
                let (data, rest) = tail.split_at(usize::from(*len));
                Some((RawIe { iei: *iei, data }, rest))
            }
            _ => None,
        };
        if let Some((ie, rest)) = parsed {
            self.offset = self.offset.saturating_add(ie.data.len() + 2);
            self.rest = rest;
            Some(Ok(ie))
        } else {
            self.rest = &[];
            Some(Err(err))
        }
    }
}

/// Builds a user data header into a caller buffer.
#[derive(Debug)]
pub struct UdhBuilder<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> UdhBuilder<'b> {
    /// Starts a header in `buf` (reserving the UDHL octet).
    pub fn new(buf: &'b mut [u8]) -> Result<Self, UdhError> {
        if buf.is_empty() {
            return Err(UdhError::BufferTooSmall);
        }
        Ok(Self { buf, len: 1 })
    }

    /// Appends an element.
    ///
    /// # Errors
    ///
    /// [`UdhError::BufferTooSmall`], appending nothing, when the buffer has
    /// no room for it or the header would pass 255 octets after the UDHL
    /// (the most one UDHL octet counts).
    pub fn push(&mut self, ie: Ie<'_>) -> Result<&mut Self, UdhError> {
        if self.len + ie.encoded_len() > 256 {
            return Err(UdhError::BufferTooSmall);
        }
        let dst = self
            .buf
            .get_mut(self.len..)
            .ok_or(UdhError::BufferTooSmall)?;
        self.len += ie.write(dst)?;
        Ok(self)
    }

    /// Writes the UDHL octet and returns the header length including it.
    pub fn finish(self) -> usize {
        let udhl = u8::try_from(self.len - 1).unwrap_or(u8::MAX);
        if let Some(first) = self.buf.first_mut() {
            *first = udhl;
        }
        self.len
    }
}

/// Writes a complete header holding `ies` into `out`, returning its length (UDHL included).
///
/// # Errors
///
/// [`UdhError::BufferTooSmall`] as [`UdhBuilder::push`] and
/// [`UdhBuilder::new`] give it (an empty `out`).
pub fn write_udh(ies: &[Ie<'_>], out: &mut [u8]) -> Result<usize, UdhError> {
    let mut b = UdhBuilder::new(out)?;
    for ie in ies {
        b.push(*ie)?;
    }
    Ok(b.finish())
}
