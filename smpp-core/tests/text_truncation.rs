//! Every prefix of the user data (`short_message`, the `message_payload` TLV) and of the time
//! fields of every golden vector, through the text, receipt and time parsers: never a panic,
//! and an error, not a shorter success, wherever the cut breaks the structure (a user data
//! header cut inside an element, half a UTF-16 unit or surrogate pair, half a GSM escape pair,
//! fewer septets than asked for, a time of fewer than 16 characters, a receipt date cut short).

mod common;

use common::{body_tlvs, vectors};
use smpp_core::receipt::{DeliveryReceipt, ReceiptError};
use smpp_core::text::dcs::{Alphabet, DataCoding};
use smpp_core::text::gsm7::{self, Language, Tables};
use smpp_core::text::reassembly::Part;
use smpp_core::text::udh::{Udh, UdhError};
use smpp_core::text::{self, OnUnmappable, TextError, ucs2};
use smpp_core::time::{SmppTime, TimeError};
use smpp_core::{Body, COctet, Pdu, TlvTag};

/// User data of a PDU: where it came from, whether it starts with a header, its coding.
struct UserData {
    field: &'static str,
    udhi: bool,
    data_coding: DataCoding,
    octets: Vec<u8>,
}

/// The user data a body carries: `short_message` and the `message_payload` TLV, when present.
/// `replace_sm` has no `esm_class` or `data_coding` (the MC keeps the replaced message's),
/// `broadcast_sm` no `esm_class`.
fn user_data(body: &Body<&[u8]>) -> Vec<UserData> {
    let (udhi, data_coding, short_message) = match body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => {
            (b.esm_class.udhi(), b.data_coding, b.short_message)
        }
        Body::SubmitMulti(b) => (b.esm_class.udhi(), b.data_coding, b.short_message),
        Body::DataSm(b) => (b.esm_class.udhi(), b.data_coding, &[][..]),
        Body::ReplaceSm(b) => (false, DataCoding(0), b.short_message),
        Body::BroadcastSm(b) => (false, b.data_coding, &[][..]),
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    if !short_message.is_empty() {
        out.push(UserData {
            field: "short_message",
            udhi,
            data_coding,
            octets: short_message.to_vec(),
        });
    }
    if let Some(payload) = tlv_value(body, TlvTag::MESSAGE_PAYLOAD) {
        out.push(UserData {
            field: "message_payload",
            udhi,
            data_coding,
            octets: payload,
        });
    }
    out
}

/// The value of a body's TLV.
fn tlv_value(body: &Body<&[u8]>, tag: TlvTag) -> Option<Vec<u8>> {
    let tlvs = body_tlvs(body)?;
    tlvs.get(tag).map(|t| t.value.to_vec())
}

/// The time fields of a body, as sent (with the NUL of a C-Octet String).
fn time_fields(body: &Body<&[u8]>) -> Vec<(&'static str, Vec<u8>)> {
    let pair = |s: &COctet<&[u8]>, v: &COctet<&[u8]>| {
        vec![
            ("schedule_delivery_time", s.into_inner().to_vec()),
            ("validity_period", v.into_inner().to_vec()),
        ]
    };
    let mut out = match body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => {
            pair(&b.schedule_delivery_time, &b.validity_period)
        }
        Body::SubmitMulti(b) => pair(&b.schedule_delivery_time, &b.validity_period),
        Body::ReplaceSm(b) => pair(&b.schedule_delivery_time, &b.validity_period),
        Body::BroadcastSm(b) => pair(&b.schedule_delivery_time, &b.validity_period),
        Body::QuerySmResp(Some(b)) => vec![("final_date", b.final_date.into_inner().to_vec())],
        _ => Vec::new(),
    };
    if let Some(end) = tlv_value(body, TlvTag::BROADCAST_END_TIME) {
        out.push(("broadcast_end_time", end));
    }
    out
}

/// Each item of a decoder with the number of octets it stands for.
type Items = Vec<(Result<char, TextError>, usize)>;

/// UCS-2 items and their widths: 2 octets a unit, 1 for the odd last octet.
fn ucs2_items(octets: &[u8]) -> Items {
    ucs2::decode(octets)
        .map(|item| {
            let width = match item {
                Ok(c) => 2 * c.len_utf16(),
                Err(TextError::OddLength) => 1,
                Err(_) => 2,
            };
            (item, width)
        })
        .collect()
}

/// GSM 7-bit items and their widths, read one code or escape pair at a time.
fn gsm7_items(septets: &[u8], tables: Tables) -> Items {
    let mut out = Vec::new();
    let mut at = 0;
    for item in gsm7::decode_unpacked(septets, tables, OnUnmappable::Error) {
        // An escape takes the octet after it, whatever it is.
        let escaped = septets[at] == gsm7::ESCAPE;
        let width = if escaped && at + 1 < septets.len() {
            2
        } else {
            1
        };
        out.push((item, width));
        at += width;
    }
    assert_eq!(at, septets.len(), "items cover the septets");
    out
}

/// The items of the whole data that end at or before `n`, and the one cut by `n`, if any.
fn items_before(items: &Items, n: usize) -> (Vec<Result<char, TextError>>, Option<usize>) {
    let mut at = 0;
    let mut whole = Vec::new();
    for &(item, width) in items {
        if at + width > n {
            return (whole, (at < n).then_some(at));
        }
        whole.push(item);
        at += width;
    }
    (whole, None)
}

/// UCS-2 prefixes: the items before the cut are those of the whole data; a surrogate pair cut
/// in two leaves its high surrogate unpaired, an odd octet gives `OddLength`.
fn check_ucs2_prefixes(name: &str, octets: &[u8]) {
    let whole = ucs2_items(octets);
    for n in 0..=octets.len() {
        let prefix = &octets[..n];
        let even = n - n % 2;
        let (mut expected, cut) = items_before(&whole, even);
        if let Some(at) = cut {
            // Only a surrogate pair is wider than a unit: its high half stays, unpaired.
            let high = u16::from_be_bytes([octets[at], octets[at + 1]]);
            assert!((0xD800..0xDC00).contains(&high), "{name}[..{n}]");
            expected.push(Err(TextError::UnpairedSurrogate(high)));
        }
        if n % 2 == 1 {
            expected.push(Err(TextError::OddLength));
        }
        let got: Vec<_> = ucs2::decode(prefix).collect();
        assert_eq!(got, expected, "{name}[..{n}] as UCS-2");
        let broken = n % 2 == 1 || cut.is_some();
        let mut utf8 = vec![0u8; 3 * n + 3];
        let strict = ucs2::decode_to_utf8(prefix, &mut utf8);
        if broken {
            assert!(strict.is_err(), "{name}[..{n}]: {strict:?}");
        }
        // With replacement every prefix decodes, errors as U+FFFD.
        let lossy = ucs2::decode_to_utf8_with(prefix, OnUnmappable::Replace, &mut utf8).unwrap();
        let replaced: String = expected
            .iter()
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        assert_eq!(&utf8[..lossy], replaced.as_bytes(), "{name}[..{n}]");
    }
}

/// Unpacked GSM 7-bit prefixes: the items before the cut are those of the whole data; an
/// escape pair cut in two leaves a lone escape.
fn check_gsm7_prefixes(name: &str, septets: &[u8], tables: Tables) {
    let whole = gsm7_items(septets, tables);
    for n in 0..=septets.len() {
        let (mut expected, cut) = items_before(&whole, n);
        if let Some(at) = cut {
            assert_eq!(septets[at], gsm7::ESCAPE, "{name}[..{n}]");
            expected.push(Err(TextError::LoneEscape));
        }
        let got: Vec<_> =
            gsm7::decode_unpacked(&septets[..n], tables, OnUnmappable::Error).collect();
        assert_eq!(got, expected, "{name}[..{n}] as GSM 7-bit");
    }
}

/// Packed GSM 7-bit prefixes: asking for the septets of the whole data fails with
/// `NotEnoughSeptets` until the prefix holds them; what a prefix holds is the whole data's start.
fn check_unpack_prefixes(name: &str, packed: &[u8]) {
    for fill in 0..7u8 {
        let count = gsm7::septets_in(packed.len(), fill);
        let mut whole = vec![0u8; count];
        assert_eq!(gsm7::unpack(packed, fill, None, &mut whole), Ok(count));
        let mut out = vec![0u8; count + 1];
        for n in 0..=packed.len() {
            let prefix = &packed[..n];
            let available = gsm7::septets_in(n, fill);
            let asked = gsm7::unpack(prefix, fill, Some(count), &mut out);
            if available < count {
                assert_eq!(
                    asked,
                    Err(TextError::NotEnoughSeptets {
                        wanted: count,
                        available
                    }),
                    "{name}[..{n}] fill {fill}"
                );
            } else {
                assert_eq!(asked, Ok(count), "{name}[..{n}] fill {fill}");
            }
            let got = gsm7::unpack(prefix, fill, None, &mut out).unwrap();
            assert_eq!(got, available);
            assert_eq!(out[..got], whole[..got], "{name}[..{n}] fill {fill}");
        }
    }
}

/// The tables a header selects, as a receiver reads them.
fn header_tables(udh: &Udh<'_>) -> Tables {
    let single = udh.single_shift().unwrap().unwrap_or(Language::Default);
    let locking = udh.locking_shift().unwrap().unwrap_or(Language::Default);
    Tables::new(locking, single).unwrap_or(Tables::single_shift(single))
}

/// A header and its prefixes: shorter than the header, an error; from its end on, the same
/// header with the prefix's payload. Then the header cut at every octet with its UDHL set to
/// the cut: an element cut in two is an overrun, a cut between elements a valid header.
fn check_udh_prefixes(name: &str, octets: &[u8]) -> usize {
    let (udh, _) = Udh::split(octets).unwrap_or_else(|e| panic!("{name}: {e}"));
    let header_len = udh.len();
    let concat = udh.concat().unwrap();
    for n in 0..=octets.len() {
        let prefix = &octets[..n];
        let split = Udh::split(prefix);
        let part = Part::from_short_message(prefix, true);
        if n == 0 {
            assert_eq!(split, Err(UdhError::NoRoom), "{name}[..0]");
            assert_eq!(part, Err(UdhError::NoRoom));
        } else if n < header_len {
            let expected = UdhError::UdhlPastEnd {
                udhl: octets[0],
                available: n - 1,
            };
            assert_eq!(split, Err(expected), "{name}[..{n}]");
            assert_eq!(part, Err(expected), "{name}[..{n}]");
        } else {
            let (got, payload) = split.unwrap();
            assert_eq!(got, udh, "{name}[..{n}]");
            assert_eq!(payload, &octets[header_len..n]);
            let part = part.unwrap();
            assert_eq!(
                part.map(|p| (p.reference, p.total, p.seq)),
                concat.map(|c| (c.reference, c.total, c.seq))
            );
            assert_eq!(part.map(|p| p.payload), concat.map(|_| payload));
        }
    }
    // Element boundaries, and the offset each element starts at.
    let mut starts = vec![0];
    for ie in udh.raw_ies() {
        let ie = ie.unwrap();
        starts.push(starts.last().unwrap() + 2 + ie.data.len());
    }
    let ies = udh.as_bytes();
    for k in 0..=ies.len() {
        let mut cut = vec![u8::try_from(k).unwrap()];
        cut.extend_from_slice(&ies[..k]);
        let result = Udh::split(&cut).map(|(h, rest)| (h.as_bytes().to_vec(), rest.len()));
        if starts.contains(&k) {
            assert_eq!(
                result,
                Ok((ies[..k].to_vec(), 0)),
                "{name}: header cut at {k}"
            );
        } else {
            let offset = *starts.iter().filter(|&&s| s < k).max().unwrap();
            assert_eq!(
                result,
                Err(UdhError::IeOverrun { offset }),
                "{name}: header cut at {k}"
            );
        }
    }
    header_len
}

/// `text::decode` of every prefix of a message's text agrees with the decoder of its coding,
/// and never fails with replacement.
fn check_decode_prefixes(name: &str, data_coding: DataCoding, tables: Tables, octets: &[u8]) {
    let Some(alphabet) = text::decode(data_coding, tables, octets).map(|_| data_coding.alphabet())
    else {
        return;
    };
    for n in 0..=octets.len() {
        let prefix = &octets[..n];
        let got: Vec<_> = text::decode(data_coding, tables, prefix).unwrap().collect();
        let expected: Vec<_> = match alphabet {
            Alphabet::McDefault | Alphabet::Gsm7 => {
                gsm7::decode_unpacked(prefix, tables, OnUnmappable::Error).collect()
            }
            Alphabet::Ucs2 => ucs2::decode(prefix).collect(),
            Alphabet::Latin1 => prefix.iter().map(|&b| Ok(char::from(b))).collect(),
            Alphabet::Ia5 => prefix
                .iter()
                .map(|&b| {
                    if b < 0x80 {
                        Ok(char::from(b))
                    } else {
                        Err(TextError::NonAscii(b))
                    }
                })
                .collect(),
            other => panic!("{name}: {other:?} decoded"),
        };
        assert_eq!(
            got, expected,
            "{name}[..{n}] by data_coding {data_coding:?}"
        );
        let lossy = text::decode_with(data_coding, tables, prefix, OnUnmappable::Replace).unwrap();
        assert!(lossy.into_iter().all(|c| c.is_ok()), "{name}[..{n}]");
    }
}

/// The fields of a receipt.
fn receipt_fields<'a>(r: &DeliveryReceipt<'a>) -> [Option<&'a [u8]>; 8] {
    [
        r.id,
        r.sub,
        r.dlvrd,
        r.submit_date,
        r.done_date,
        r.stat,
        r.err,
        r.text,
    ]
}

/// Receipt prefixes: a prefix parses only if the whole does, each of its fields is the start
/// of the whole's, and a date cut below 10 digits (or to 11) is `BadDate`.
fn check_receipt_prefixes(name: &str, octets: &[u8]) -> bool {
    let whole = DeliveryReceipt::parse(octets);
    for n in 0..=octets.len() {
        let Ok(r) = DeliveryReceipt::parse(&octets[..n]) else {
            continue;
        };
        let whole = whole.unwrap_or_else(|e| panic!("{name}[..{n}] parsed, the whole not: {e}"));
        for (cut, full) in receipt_fields(&r).into_iter().zip(receipt_fields(&whole)) {
            if let Some(cut) = cut {
                let full =
                    full.unwrap_or_else(|| panic!("{name}[..{n}]: {cut:?} not in the whole"));
                assert!(full.starts_with(cut), "{name}[..{n}]: {cut:?} of {full:?}");
            }
        }
        for (date, parsed) in [
            (r.submit_date, r.submit_date()),
            (r.done_date, r.done_date()),
        ] {
            if let Some(date) = date.filter(|d| d.len() < 10 || d.len() == 11) {
                assert_eq!(
                    parsed,
                    Some(Err(ReceiptError::BadDate)),
                    "{name}[..{n}]: {date:?}"
                );
            }
        }
    }
    whole.is_ok()
}

/// Time field prefixes: empty is "not given", 1 to 15 characters a length error, the 16
/// characters (with or without the NUL) the whole time.
fn check_time_prefixes(name: &str, value: &[u8]) -> bool {
    let Ok(Some(whole)) = SmppTime::parse_field(value) else {
        assert_eq!(SmppTime::parse_field(value), Ok(None), "{name}");
        return false;
    };
    for n in 0..=value.len() {
        let prefix = &value[..n];
        let expected = match n {
            0 => Ok(None),
            1..16 => Err(TimeError::Length(n)),
            _ => Ok(Some(whole)),
        };
        assert_eq!(SmppTime::parse_field(prefix), expected, "{name}[..{n}]");
        if n < 16 {
            assert_eq!(
                SmppTime::parse(prefix),
                Err(TimeError::Length(n)),
                "{name}[..{n}]"
            );
        }
    }
    true
}

#[test]
fn prefixes_of_user_data() {
    let (mut messages, mut headers, mut receipts, mut decoded) = (0, 0, 0, 0);
    for (vector, frame) in vectors() {
        let pdu = Pdu::parse(&frame).unwrap();
        for data in user_data(&pdu.body) {
            let name = format!("{vector} {}", data.field);
            let octets = &data.octets;
            messages += 1;
            // Every prefix through every decoder, whatever the coding says.
            check_ucs2_prefixes(&name, octets);
            check_gsm7_prefixes(&name, octets, Tables::DEFAULT);
            check_unpack_prefixes(&name, octets);
            receipts += usize::from(check_receipt_prefixes(&name, octets));
            for (n, _) in octets.iter().enumerate() {
                // A header where none is announced: no panic, and errors that name the cut.
                let _ = Udh::split(&octets[..n]);
            }
            // The text by its coding, after the header if there is one.
            let (tables, text) = if data.udhi {
                headers += 1;
                let header_len = check_udh_prefixes(&name, octets);
                let (udh, _) = Udh::split(octets).unwrap();
                (header_tables(&udh), &octets[header_len..])
            } else {
                (Tables::DEFAULT, &octets[..])
            };
            if text::decode(data.data_coding, tables, text).is_some() {
                decoded += 1;
            }
            check_gsm7_prefixes(&name, text, tables);
            check_decode_prefixes(&name, data.data_coding, tables, text);
        }
    }
    assert!(messages >= 10, "{messages} messages");
    assert!(headers >= 1, "{headers} with a user data header");
    assert!(receipts >= 1, "{receipts} receipts");
    assert!(decoded >= 5, "{decoded} decoded as text");
}

#[test]
fn prefixes_of_time_fields() {
    let mut times = 0;
    for (vector, frame) in vectors() {
        let pdu = Pdu::parse(&frame).unwrap();
        for (field, value) in time_fields(&pdu.body) {
            times += usize::from(check_time_prefixes(&format!("{vector} {field}"), &value));
        }
    }
    assert!(times >= 3, "only {times} time fields");
}

#[test]
fn prefixes_of_made_up_user_data() {
    // Forms the vectors may lack: a surrogate pair, an escape pair, a header of several elements.
    let mut ucs2 = [0u8; 16];
    let n = ucs2::encode("a😀bж", &mut ucs2).unwrap();
    check_ucs2_prefixes("made-up UCS-2", &ucs2[..n]);
    check_decode_prefixes(
        "made-up UCS-2",
        DataCoding(0x08),
        Tables::DEFAULT,
        &ucs2[..n],
    );
    let septets = [0x41, 0x1B, 0x65, 0x42, 0x1B, 0x3C];
    check_gsm7_prefixes("made-up GSM", &septets, Tables::DEFAULT);
    check_decode_prefixes("made-up GSM", DataCoding(0), Tables::DEFAULT, &septets);
    let sm = [
        0x10, 0x08, 0x04, 0x12, 0x34, 0x03, 0x02, 0x04, 0x02, 0x10, 0x20, 0x24, 0x01, 0x01, 0x25,
        0x01, 0x03, b'x', b'y',
    ];
    assert_eq!(check_udh_prefixes("made-up UDH", &sm), 17);
    let receipt = b"id:12345 sub:001 dlvrd:001 submit date:2301011200 done date:230101120145 stat:DELIVRD err:000 text:hi";
    assert!(check_receipt_prefixes("made-up receipt", receipt));
    assert!(check_time_prefixes("made-up time", b"240229235959948-\0"));
    assert!(check_time_prefixes(
        "made-up relative time",
        b"000001000000000R"
    ));
}
