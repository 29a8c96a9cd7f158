//! The text benchmarks compare like with like: every peer turns the same
//! texts into the same septets (and back), and splits a long text into the
//! same parts as smpp-core.

use smpp_benches::{GSM_TEXT_160, GSM_TEXT_MIXED, long_gsm_text, long_ucs2_text, septets};
use smpp_codec::splitter::{EncodingType, MessageSplitter, SplitMode};
use smpp_core::text::OnUnmappable;
use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::{self, Tables};
use smpp_core::text::split::{Content, Method, Splitter};

#[test]
fn the_texts_are_what_the_benchmarks_say() {
    assert_eq!(GSM_TEXT_160.chars().count(), 160);
    assert_eq!(GSM_TEXT_MIXED.chars().count(), 160);
    // The mixed text uses the extension table: more septets than characters.
    assert!(septets(GSM_TEXT_MIXED).len() > 160);
    assert!(!GSM_TEXT_MIXED.is_ascii());
    assert_eq!(long_gsm_text().chars().count(), 1000);
    assert!(long_ucs2_text().chars().any(|c| c as u32 > 0xFFFF));
}

#[test]
fn every_peer_encodes_and_decodes_the_same_septets() {
    let rusmpp = rusmpp::extra::encoding::gsm7bit::Gsm7BitUnpacked::new();
    for text in [GSM_TEXT_160, GSM_TEXT_MIXED] {
        let septets = septets(text);
        assert_eq!(
            smpp_codec::encoding::gsm_7bit_encode(text).unwrap(),
            septets
        );
        assert_eq!(rusmpp.encode_to_vec(text).unwrap(), septets);
        assert_eq!(smpp_codec::encoding::gsm_7bit_decode(&septets), text);
        let mut utf8 = [0u8; 1024];
        let n = gsm7::decode_to_utf8(&septets, Tables::DEFAULT, OnUnmappable::Error, &mut utf8)
            .unwrap();
        assert_eq!(&utf8[..n], text.as_bytes());
    }
}

/// The parts of `text` as smpp-core writes them, UDH stripped.
fn our_parts(text: &str, encoding: Encoding) -> Vec<Vec<u8>> {
    let splitter =
        Splitter::new(Content::Text(text, encoding), Method::Udh8 { reference: 7 }).unwrap();
    (0..splitter.total())
        .map(|n| {
            let mut out = [0u8; 256]; // unpacked septets: up to 159 octets
            let seg = splitter.segment(n, &mut out).unwrap();
            assert!(seg.udhi);
            assert_eq!(&out[..6], &[5, 0, 3, 7, seg.total, seg.seq]);
            out[seg.udh_len..seg.len].to_vec()
        })
        .collect()
}

/// smpp-codec's parts, its UDH (random reference) checked and stripped.
fn codec_parts(text: &str, encoding: EncodingType) -> Vec<Vec<u8>> {
    let (parts, _) = MessageSplitter::split(text.to_owned(), encoding, SplitMode::Udh).unwrap();
    let total = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            assert_eq!(
                (p[0], p[1], p[2], p[4], p[5]),
                (
                    5,
                    0,
                    3,
                    u8::try_from(total).unwrap(),
                    u8::try_from(i + 1).unwrap()
                )
            );
            p[6..].to_vec()
        })
        .collect()
}

#[test]
fn smpp_codec_splits_a_long_gsm_text_into_the_same_parts() {
    let text = long_gsm_text();
    let ours = our_parts(&text, Encoding::Gsm7(Tables::DEFAULT));
    assert_eq!(ours.len(), 7); // 1000 septets at 153 a part
    assert_eq!(codec_parts(&text, EncodingType::Gsm7Bit), ours);
}

#[test]
fn smpp_codec_splits_a_long_ucs2_text_into_the_same_octets() {
    // smpp-codec cuts UCS-2 every 134 octets even inside a surrogate pair;
    // smpp-core never does, so parts may end differently, but the octets
    // carried are the same UTF-16BE text.
    let text = long_ucs2_text();
    let ours = our_parts(&text, Encoding::Ucs2);
    let theirs = codec_parts(&text, EncodingType::Ucs2);
    assert_eq!(ours.concat(), theirs.concat());
    assert!(ours.len() >= theirs.len());
    for part in &ours {
        let last = u16::from_be_bytes([part[part.len() - 2], part[part.len() - 1]]);
        assert!(
            !(0xD800..0xDC00).contains(&last),
            "a part ends in a high surrogate"
        );
    }
}
