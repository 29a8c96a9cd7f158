//! Long messages become `submit_sm` PDUs that encode, decode and reassemble
//! to the original text, under every concatenation method.

use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::Tables;
use smpp_core::text::split::{Content, Method, Splitter};
use smpp_core::text::udh::Udh;
use smpp_core::text::{OnUnmappable, gsm7, ucs2};
use smpp_core::{Body, COctet, Pdu, SubmitSm, TlvBuf, TlvTag};

/// Splits `text`, encodes each segment as a whole `submit_sm` PDU, decodes
/// them again, and returns (text, PDUs decoded, every `esm_class`).
fn round_trip(text: &str, enc: Encoding, method: Method) -> (String, usize, Vec<u8>) {
    let splitter = Splitter::new(Content::Text(text, enc), method).unwrap();
    let template = SubmitSm {
        source_addr: COctet::from("INFO"),
        destination_addr: COctet::from("447700900123"),
        ..SubmitSm::default()
    };
    let mut parts: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut classes = Vec::new();
    for n in 0..splitter.total() {
        let mut data = vec![0u8; 70_000];
        let mut tlvs = TlvBuf::<70_000>::new();
        let segment = splitter.segment(n, &mut data).unwrap();
        let sm = splitter
            .submit_sm(&segment, &template, &data[..segment.len], &mut tlvs)
            .unwrap();
        let pdu = Pdu::new(u32::try_from(n).unwrap() + 1, Body::SubmitSm(sm));
        let mut frame = vec![0u8; pdu.encoded_len()];
        pdu.emit(&mut frame).unwrap();

        let Body::SubmitSm(back) = Pdu::parse(&frame).unwrap().body else {
            panic!("not a submit_sm")
        };
        classes.push(back.esm_class.0);
        let (seq, user_data) = if back.esm_class.udhi() {
            let (udh, rest) = Udh::split(back.short_message).unwrap();
            (udh.concat().unwrap().map_or(1, |c| c.seq), rest.to_vec())
        } else if let Some(payload) = back.tlvs.get(TlvTag::MESSAGE_PAYLOAD) {
            assert!(back.short_message.is_empty());
            (1, payload.value.to_vec())
        } else {
            let seq = back
                .tlvs
                .get(TlvTag::SAR_SEGMENT_SEQNUM)
                .and_then(|t| t.as_u8())
                .unwrap_or(1);
            (seq, back.short_message.to_vec())
        };
        if !matches!(method, Method::Payload) {
            // On the air a segment is at most 140 octets: GSM septets travel
            // packed (7 bits each, after the header and its fill bits).
            let udh_bits = (back.short_message.len() - user_data.len()) * 8;
            let air_bits = match enc {
                Encoding::Gsm7(_) => udh_bits.div_ceil(7) * 7 + user_data.len() * 7,
                _ => udh_bits + user_data.len() * 8,
            };
            assert!(air_bits <= 140 * 8, "segment of {air_bits} bits");
        }
        parts.push((seq, user_data));
    }
    parts.sort();
    let joined: Vec<u8> = parts.into_iter().flat_map(|(_, d)| d).collect();
    let mut out = vec![0u8; joined.len() * 4 + 4];
    let len = match enc {
        Encoding::Ucs2 => ucs2::decode_to_utf8(&joined, &mut out).unwrap(),
        Encoding::Gsm7(tables) => {
            gsm7::decode_to_utf8(&joined, tables, OnUnmappable::Error, &mut out).unwrap()
        }
        Encoding::Latin1 => unreachable!(),
    };
    (
        String::from_utf8(out[..len].to_vec()).unwrap(),
        splitter.total(),
        classes,
    )
}

const GSM: Encoding = Encoding::Gsm7(Tables::DEFAULT);

/// Round-trips `text` and checks that it took several PDUs and comes back
/// whole, with the UDHI bit of every `esm_class` set or clear as `udhi` says.
fn assert_parts_reassemble(text: &str, enc: Encoding, method: Method, udhi: bool) {
    let (back, parts, classes) = round_trip(text, enc, method);
    assert_eq!(back, text);
    assert!(parts > 1, "{parts} part");
    assert!(
        classes.iter().all(|&c| (c & 0x40 != 0) == udhi),
        "{classes:?}"
    );
}

const LONG_GSM: &str = "SMPP long message test: {curly} [square] €uro and ~tilde~ ^caret^ | pipe \\ backslash. \
    This text repeats to need several segments, with escapes near every boundary {}{}{}{}{}{}{}{}{}{}.";

/// One `#[test]` per row: `name: text, encoding, method, UDHI set`, each
/// checked by [`assert_parts_reassemble`].
macro_rules! parts_reassemble {
    ($($name:ident: $text:expr, $enc:expr, $method:expr, $udhi:expr;)*) => {$(
        #[test]
        fn $name() {
            assert_parts_reassemble(&$text, $enc, $method, $udhi);
        }
    )*};
}

parts_reassemble! {
    gsm7_by_udh8_sets_udhi_and_reassembles:
        LONG_GSM.repeat(3), GSM, Method::Udh8 { reference: 0x42 }, true;
    ucs2_by_udh16_reassembles_emoji:
        "Emoji 😀 across parts 🎉 ".repeat(10), Encoding::Ucs2, Method::Udh16 { reference: 0x1234 }, true;
    sar_segments_carry_tlvs_and_no_udhi:
        LONG_GSM.repeat(2), GSM, Method::Sar { reference: 7 }, false;
}

#[test]
fn payload_sends_one_pdu_with_message_payload() {
    let text = LONG_GSM.repeat(5);
    let (back, parts, classes) = round_trip(&text, GSM, Method::Payload);
    assert_eq!(back, text);
    assert_eq!(parts, 1);
    assert_eq!(classes, vec![0]);
}

#[test]
fn text_the_encoding_cannot_hold_is_refused() {
    // No silent loss: GSM 7-bit has no kanji.
    let content = Content::Text("日本", Encoding::Gsm7(Tables::DEFAULT));
    assert!(Splitter::new(content, Method::Udh8 { reference: 1 }).is_err());
}
