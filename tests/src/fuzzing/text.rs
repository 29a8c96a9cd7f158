//! The `udh` and `gsm7` oracles: the user data header, GSM 7-bit packing
//! and decoding, and UCS-2 decoding.

use smpp_core::text::gsm7::{self, Language, Tables};
use smpp_core::text::udh::{
    Concat, IEI_CONCAT_8, IEI_CONCAT_16, IEI_LOCKING_SHIFT, IEI_PORT_8, IEI_PORT_16,
    IEI_SINGLE_SHIFT, IEI_SPECIAL_SMS, Ie, RawIe, Udh, UdhBuilder, UdhError, write_udh,
};
use smpp_core::text::{self as sms_text, OnUnmappable, TextError, dcs::DataCoding, ucs2};

/// The raw elements of an element region, read without the library: each
/// IEI, length octet and data; `Err(offset)` where an element runs past the
/// end.
fn walk_ies(mut ies: &[u8]) -> Result<Vec<(u8, &[u8])>, usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    while let [iei, len, rest @ ..] = ies {
        let len = usize::from(*len);
        if len > rest.len() {
            return Err(offset);
        }
        out.push((*iei, &rest[..len]));
        ies = &rest[len..];
        offset += 2 + len;
    }
    if ies.is_empty() { Ok(out) } else { Err(offset) }
}

/// The data length each known IEI requires.
fn required_len(iei: u8) -> Option<usize> {
    match iei {
        IEI_CONCAT_8 => Some(3),
        IEI_CONCAT_16 | IEI_PORT_16 => Some(4),
        IEI_PORT_8 | IEI_SPECIAL_SMS => Some(2),
        IEI_SINGLE_SHIFT | IEI_LOCKING_SHIFT => Some(1),
        _ => None,
    }
}

/// User data header: `Udh::split` accepts exactly a UDHL that fits followed
/// by elements that tile the header; then UDHL + header + payload is the
/// input, the raw elements concatenate back to the header, typed elements
/// agree with their raw octets (and fail exactly on a known IEI with the
/// wrong length), writing them back (`write_udh`, `UdhBuilder`) rebuilds the
/// header octets, and `concat`, `ports` and the shifts are the last such
/// element read from the raw octets.
///
/// # Panics
///
/// When a property above breaks.
pub fn udh(data: &[u8]) {
    let result = Udh::split(data);
    let Some((&udhl, rest)) = data.split_first() else {
        assert_eq!(result, Err(UdhError::NoRoom));
        return;
    };
    if usize::from(udhl) > rest.len() {
        let expected = UdhError::UdhlPastEnd {
            udhl,
            available: rest.len(),
        };
        assert_eq!(result, Err(expected));
        return;
    }
    let (ies, payload) = rest.split_at(usize::from(udhl));
    let raw = match walk_ies(ies) {
        Ok(raw) => raw,
        Err(offset) => {
            assert_eq!(result, Err(UdhError::IeOverrun { offset }));
            return;
        }
    };
    let (header, rest) = result.unwrap_or_else(|e| panic!("valid header refused: {e}"));
    assert_eq!(header.as_bytes(), ies);
    assert_eq!(rest, payload);
    assert!(
        core::ptr::eq(rest, payload),
        "payload is not the input's tail"
    );
    assert_eq!(header.len(), ies.len() + 1);
    assert_eq!(header.is_empty(), ies.is_empty());

    let mut joined = vec![udhl];
    let mut typed = Vec::new();
    let mut first_error = None;
    let listed: Vec<_> = header.raw_ies().collect();
    assert_eq!(listed.len(), raw.len());
    for (listed, &(iei, data)) in listed.into_iter().zip(&raw) {
        assert_eq!(listed, Ok(RawIe { iei, data }));
        joined.push(iei);
        joined.push(u8::try_from(data.len()).expect("below 256"));
        joined.extend_from_slice(data);
        let ie = Ie::from_raw(iei, data);
        assert_eq!(RawIe { iei, data }.parse(), ie);
        match ie {
            Ok(ie) => {
                check_ie(&ie, iei, data);
                typed.push(ie);
            }
            Err(e) => {
                let len = u8::try_from(data.len()).expect("below 256");
                assert_eq!(e, UdhError::IeLength { iei, len });
                assert!(required_len(iei).is_some_and(|n| n != data.len()));
                first_error.get_or_insert(e);
                // Kept raw, it still writes back its octets.
                typed.push(Ie::Other { iei, data });
            }
        }
    }
    assert_eq!(joined[1..], *ies);
    let typed_ies: Vec<_> = header.ies().collect();
    assert_eq!(typed_ies.len(), raw.len());

    // Writing the elements back gives the header octets.
    let mut out = vec![0u8; 1 + ies.len()];
    assert_eq!(write_udh(&typed, &mut out), Ok(out.len()));
    assert_eq!(out, joined, "rebuilt header differs");
    if !typed.is_empty() {
        let short = out.len() - 1;
        assert_eq!(
            write_udh(&typed, &mut out[..short]),
            Err(UdhError::BufferTooSmall)
        );
    }
    let mut out = vec![0u8; 1 + ies.len()];
    let mut builder = UdhBuilder::new(&mut out).expect("room for UDHL");
    for ie in &typed {
        builder.push(*ie).expect("fits");
    }
    assert_eq!(builder.finish(), joined.len());
    assert_eq!(out, joined);

    check_lookups(&header, &raw, first_error);
}

/// A typed element against its raw octets.
fn check_ie(ie: &Ie<'_>, iei: u8, data: &[u8]) {
    assert_eq!(ie.iei(), iei);
    assert_eq!(ie.data_len(), data.len());
    assert_eq!(ie.encoded_len(), data.len() + 2);
    let mut out = vec![0u8; ie.encoded_len()];
    assert_eq!(ie.write(&mut out), Ok(out.len()));
    assert_eq!(out[0], iei);
    assert_eq!(usize::from(out[1]), data.len());
    assert_eq!(&out[2..], data, "{ie:?} writes other octets");
    let be = |i: usize| u16::from_be_bytes([data[i], data[i + 1]]);
    let expected = match iei {
        IEI_CONCAT_8 => Ie::Concat8 {
            reference: data[0],
            total: data[1],
            seq: data[2],
        },
        IEI_CONCAT_16 => Ie::Concat16 {
            reference: be(0),
            total: data[2],
            seq: data[3],
        },
        IEI_PORT_8 => Ie::Port8 {
            dest: data[0],
            src: data[1],
        },
        IEI_PORT_16 => Ie::Port16 {
            dest: be(0),
            src: be(2),
        },
        IEI_SPECIAL_SMS => Ie::SpecialSms {
            indication: data[0],
            count: data[1],
        },
        IEI_SINGLE_SHIFT => Ie::SingleShift(data[0]),
        IEI_LOCKING_SHIFT => Ie::LockingShift(data[0]),
        _ => Ie::Other { iei, data },
    };
    assert_eq!(*ie, expected);
}

/// `concat`, `ports` and the shifts: the first invalid element's error, or
/// the last matching element read from the raw octets.
fn check_lookups(header: &Udh<'_>, raw: &[(u8, &[u8])], first_error: Option<UdhError>) {
    if let Some(e) = first_error {
        assert_eq!(header.concat(), Err(e));
        assert_eq!(header.ports(), Err(e));
        assert_eq!(header.single_shift(), Err(e));
        assert_eq!(header.locking_shift(), Err(e));
        return;
    }
    let last = |f: &dyn Fn(u8, &[u8]) -> Option<_>| raw.iter().rev().find_map(|&(i, d)| f(i, d));
    // An element numbered impossibly is ignored (TS 23.040 9.2.3.24.1).
    let valid = |c: Concat| c.total > 0 && c.seq > 0 && c.seq <= c.total;
    let concat = last(&|iei, d| {
        match iei {
            IEI_CONCAT_8 => Some(Concat {
                reference: u16::from(d[0]),
                total: d[1],
                seq: d[2],
                wide: false,
            }),
            IEI_CONCAT_16 => Some(Concat {
                reference: u16::from_be_bytes([d[0], d[1]]),
                total: d[2],
                seq: d[3],
                wide: true,
            }),
            _ => None,
        }
        .filter(|&c| valid(c))
    });
    assert_eq!(header.concat(), Ok(concat));
    let ports = raw.iter().rev().find_map(|&(iei, d)| match iei {
        IEI_PORT_8 => Some((u16::from(d[0]), u16::from(d[1]))),
        IEI_PORT_16 => Some((
            u16::from_be_bytes([d[0], d[1]]),
            u16::from_be_bytes([d[2], d[3]]),
        )),
        _ => None,
    });
    assert_eq!(header.ports(), Ok(ports));
    let shift = |want: u8| {
        raw.iter()
            .rev()
            .filter(|&&(iei, _)| iei == want)
            .filter_map(|&(_, d)| Language::from_id(d[0]))
            .find(|l| want == IEI_SINGLE_SHIFT || l.has_locking_shift())
    };
    assert_eq!(header.single_shift(), Ok(shift(IEI_SINGLE_SHIFT)));
    assert_eq!(header.locking_shift(), Ok(shift(IEI_LOCKING_SHIFT)));
}

/// The tables named by an octet: locking-shift language in the low nibble,
/// single-shift language in the high nibble (each modulo 14); a locking
/// shift without a table (Spanish) leaves the default alphabet.
fn tables(octet: u8) -> Tables {
    let language = |n: u8| Language::from_id(n % 14).expect("0-13 are languages");
    let single = language(octet >> 4);
    Tables::new(language(octet & 0x0F), single).unwrap_or(Tables::single_shift(single))
}

/// GSM 7-bit and UCS-2 text. Input: a fill-bits octet (modulo 7), a
/// tables octet (locking-shift language in the low nibble, single-shift in
/// the high nibble, each modulo 14; Spanish, which has no locking shift,
/// leaves the default alphabet), then the data.
///
/// - `unpack` of the data gives as many septets as fit, each below 0x80;
///   `pack` of those gives the data back except fill bits and unused high
///   bits (which it writes as zero), and unpacking that gives the septets
///   again.
/// - Decoding the septets then encoding the characters and decoding again
///   gives the same characters, under both unmappable policies;
///   `decode_to_utf8`, `septet_count` and `text::decode` agree.
/// - The data read as unpacked septets decodes only if every octet is below
///   0x80; `text::decode_with` under `Replace` gives the same items with
///   each error (octet above 0x7F, final escape) as U+FFFD.
/// - The data read as UCS-2: if it decodes, encoding the characters gives
///   the data back; every error item stands for one unit or the odd last
///   octet, and `Replace` makes each U+FFFD in place.
///
/// # Panics
///
/// When a property above breaks.
pub fn gsm7(data: &[u8]) {
    let [fill, tables_octet, packed @ ..] = data else {
        return;
    };
    let fill = fill % 7;
    let tables = tables(*tables_octet);

    let septets = check_unpack_pack(packed, fill);
    check_decode_encode(&septets, tables);

    let raw: Result<Vec<char>, TextError> =
        gsm7::decode_unpacked(packed, tables, OnUnmappable::Replace).collect();
    if raw.is_ok() {
        assert!(
            packed.iter().all(|&b| b < 0x80),
            "octets above 0x7F decoded"
        );
    }
    // By data_coding with replacement: the GSM decoder's items, each error
    // (an octet above 0x7F, a final escape) U+FFFD in its place.
    check_replaced(DataCoding(0), tables, packed, || {
        gsm7::decode_unpacked(packed, tables, OnUnmappable::Replace).collect()
    });
    check_ucs2(packed);
}

/// `text::decode_with` under `Replace` never yields an error, and gives the
/// items of `strict` with each error replaced by U+FFFD.
fn check_replaced(
    data_coding: DataCoding,
    tables: Tables,
    data: &[u8],
    strict: impl FnOnce() -> Vec<Result<char, TextError>>,
) {
    let lossy: Vec<Result<char, TextError>> =
        sms_text::decode_with(data_coding, tables, data, OnUnmappable::Replace)
            .expect("a text coding")
            .collect();
    let expected: Vec<Result<char, TextError>> = strict()
        .into_iter()
        .map(|r| Ok(r.unwrap_or(char::REPLACEMENT_CHARACTER)))
        .collect();
    assert_eq!(lossy, expected, "{data_coding:?} {data:x?}");
}

/// Unpacks `packed`, checks the septets and the repacked octets; returns
/// the septets.
fn check_unpack_pack(packed: &[u8], fill: u8) -> Vec<u8> {
    let count = gsm7::septets_in(packed.len(), fill);
    assert_eq!(
        count,
        (packed.len() * 8).saturating_sub(usize::from(fill)) / 7
    );
    let mut septets = vec![0xFFu8; count + 1];
    assert_eq!(gsm7::unpack(packed, fill, None, &mut septets), Ok(count));
    septets.truncate(count);
    assert!(septets.iter().all(|&s| s < 0x80), "{septets:x?}");
    if count > 0 {
        let mut short = vec![0u8; count - 1];
        assert_eq!(
            gsm7::unpack(packed, fill, None, &mut short),
            Err(TextError::BufferTooSmall)
        );
        let mut some = vec![0u8; count];
        let n = count / 2;
        assert_eq!(gsm7::unpack(packed, fill, Some(n), &mut some), Ok(n));
        assert_eq!(some[..n], septets[..n]);
    }
    let mut more = vec![0u8; count + 1];
    assert_eq!(
        gsm7::unpack(packed, fill, Some(count + 1), &mut more),
        Err(TextError::NotEnoughSeptets {
            wanted: count + 1,
            available: count
        })
    );

    if packed.is_empty() && fill > 0 {
        // Fill bits with no octet to hold them: not what a sender writes.
        // TP-UDL counts the fill bits, so no septets after fill bits still
        // take one octet (`packed_len(0, fill)` is 1; see
        // `fill_bits_without_septets_take_one_octet` in
        // `tests/fuzz_findings.rs`) and `pack` cannot give this input back.
        return septets;
    }
    let len = gsm7::packed_len(count, fill);
    assert!(len <= packed.len());
    let mut repacked = vec![0xFFu8; packed.len() + 1];
    assert_eq!(gsm7::pack(&septets, fill, &mut repacked), Ok(len));
    repacked.truncate(len);
    // The bits that carry septets are the input's; fill and unused bits
    // are zero.
    let used = |bit: usize| bit >= usize::from(fill) && bit < usize::from(fill) + 7 * count;
    for (i, (&got, &was)) in repacked.iter().zip(packed).enumerate() {
        let mask = (0..8)
            .filter(|b| used(i * 8 + b))
            .fold(0u8, |m, b| m | (1 << b));
        assert_eq!(got, was & mask, "octet {i} repacked");
    }
    if len > 0 {
        assert_eq!(
            gsm7::pack(&septets, fill, &mut vec![0u8; len - 1]),
            Err(TextError::BufferTooSmall)
        );
    }
    let mut again = vec![0u8; count];
    assert_eq!(
        gsm7::unpack(&repacked, fill, Some(count), &mut again),
        Ok(count)
    );
    assert_eq!(again, septets);
    septets
}

/// Decode, encode, decode: the same characters.
fn check_decode_encode(septets: &[u8], tables: Tables) {
    for policy in [OnUnmappable::Error, OnUnmappable::Replace] {
        let mut chars = Vec::new();
        let mut error = None;
        for item in gsm7::decode_unpacked(septets, tables, policy) {
            match item {
                Ok(c) => chars.push(c),
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        match error {
            None => {}
            Some(TextError::LoneEscape) => {
                assert_eq!(septets.last(), Some(&gsm7::ESCAPE));
            }
            Some(TextError::Unassigned(_)) if policy == OnUnmappable::Error => continue,
            Some(e) => panic!("{e:?} decoding septets {septets:x?} ({policy:?})"),
        }
        if error.is_none() {
            let text: String = chars.iter().collect();
            let mut utf8 = vec![0u8; text.len()];
            assert_eq!(
                gsm7::decode_to_utf8(septets, tables, policy, &mut utf8),
                Ok(text.len())
            );
            assert_eq!(utf8, text.as_bytes());
        }
        let text: String = chars.iter().collect();
        let count = gsm7::septet_count(&text, tables)
            .unwrap_or_else(|e| panic!("decoded text does not encode: {e}: {text:?}"));
        assert!(gsm7::is_encodable(&text, tables));
        let mut encoded = vec![0u8; count];
        assert_eq!(
            gsm7::encode_unpacked(&text, tables, OnUnmappable::Error, &mut encoded),
            Ok(count)
        );
        let back: Result<Vec<char>, TextError> =
            gsm7::decode_unpacked(&encoded, tables, OnUnmappable::Error).collect();
        assert_eq!(back.as_ref(), Ok(&chars), "{text:?} as {encoded:x?}");
        if policy == OnUnmappable::Error && error.is_none() {
            let via_dcs: Option<Result<Vec<char>, TextError>> =
                sms_text::decode(DataCoding(0), tables, septets).map(Iterator::collect);
            assert_eq!(via_dcs, Some(Ok(chars)));
        }
    }
}

/// UCS-2: decoding then encoding valid data gives it back; an error item
/// stands for one unit (or the odd last octet), and replacing turns each
/// into U+FFFD in place.
fn check_ucs2(data: &[u8]) {
    let items: Vec<Result<char, TextError>> = ucs2::decode(data).collect();
    let width: usize = items
        .iter()
        .map(|item| match item {
            Ok(c) => 2 * c.len_utf16(),
            Err(TextError::OddLength) => 1,
            Err(_) => 2,
        })
        .sum();
    assert_eq!(width, data.len(), "items do not cover {data:x?}: {items:?}");
    check_replaced(DataCoding(0x08), Tables::DEFAULT, data, || items.clone());
    let mut lossy = vec![0u8; data.len() * 2 + 3];
    let n = ucs2::decode_to_utf8_with(data, OnUnmappable::Replace, &mut lossy)
        .expect("room for every replacement");
    let replaced: String = items
        .iter()
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    assert_eq!(&lossy[..n], replaced.as_bytes());
    let decoded: Result<String, TextError> = ucs2::decode(data).collect();
    let mut utf8 = vec![0u8; data.len() * 2];
    let to_utf8 = ucs2::decode_to_utf8(data, &mut utf8);
    let via_dcs: Option<Result<String, TextError>> =
        sms_text::decode(DataCoding(0x08), Tables::DEFAULT, data).map(Iterator::collect);
    assert_eq!(via_dcs.as_ref(), Some(&decoded));
    match decoded {
        Ok(text) => {
            assert_eq!(to_utf8, Ok(text.len()));
            assert_eq!(&utf8[..text.len()], text.as_bytes());
            assert_eq!(ucs2::unit_count(&text) * 2, data.len());
            let mut out = vec![0u8; data.len()];
            assert_eq!(ucs2::encode(&text, &mut out), Ok(data.len()));
            assert_eq!(out, data, "{text:?} encodes differently");
        }
        Err(e) => {
            assert!(
                to_utf8.is_err(),
                "decode {e:?} but decode_to_utf8 {to_utf8:?}"
            );
            assert!(
                matches!(e, TextError::OddLength | TextError::UnpairedSurrogate(_)),
                "{e:?}"
            );
        }
    }
}
