//! What fuzzing found, as regression tests: each names its input (kept
//! under `fuzz/regressions/<target>/`) and the property at stake.

use smpp_core::receipt::DeliveryReceipt;
use smpp_core::text::gsm7;
use smpp_tests::fuzzing;

/// The file of `fuzz/regressions/<target>/`.
fn regression(target: &str, name: &str) -> Vec<u8> {
    let path = fuzzing::fuzz_dir()
        .join("regressions")
        .join(target)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `fuzz/regressions/gsm7/no_septets_after_fill_bits`: 4 fill bits and no
/// octet at all. This is not a packing bug: TP-UDL counts the fill bits, so
/// a header followed by fill bits and no text takes one octet more than the
/// header (a 6-octet UDH, 1 fill bit: TP-UDL 7 septets, 7 octets).
/// `packed_len` agrees with that for every header length, and `pack` writes
/// the octet of fill bits as zero; the oracle leaves such inputs out.
#[test]
fn fill_bits_without_septets_take_one_octet() {
    let input = regression("gsm7", "no_septets_after_fill_bits");
    assert_eq!(input[0] % 7, 4);
    assert!(input[2..].is_empty());
    for udh_len in 1..=140 {
        let fill = gsm7::fill_bits_for_udh(udh_len);
        for text_septets in [0, 1, 2, 100] {
            let udl_septets = (udh_len * 8 + usize::from(fill)) / 7 + text_septets;
            let octets_on_air = (udl_septets * 7).div_ceil(8);
            assert_eq!(
                octets_on_air,
                udh_len + gsm7::packed_len(text_septets, fill),
                "UDH {udh_len}, {text_septets} septets"
            );
        }
    }
    let mut out = [0xAA; 2];
    assert_eq!(gsm7::pack(&[], 4, &mut out), Ok(1));
    assert_eq!(out, [0, 0xAA]);
    assert_eq!(gsm7::pack(&[], 0, &mut out), Ok(0));
}

/// `fuzz/regressions/receipt/empty_id`: a present but empty field (`id:`
/// followed by nothing) is formatted as its bare label; parsing that text
/// read the next field's label as the value.
#[test]
fn an_empty_field_survives_format_and_parse() {
    let input = regression("receipt", "empty_id");
    let r = DeliveryReceipt::parse(&input).unwrap();
    assert_eq!(r.id, Some(&b""[..]));
    let mut out = [0u8; 64];
    let n = r.format(&mut out).unwrap();
    let back = DeliveryReceipt::parse(&out[..n]).unwrap();
    assert_eq!(back, r, "{:?}", out[..n].escape_ascii().to_string());
}

/// Empty fields anywhere read as empty, never as the label after them.
#[test]
fn empty_fields_are_empty() {
    let r = DeliveryReceipt::parse(
        b"id: sub:001 dlvrd: submit date: done date:2401011200 stat:DELIVRD err: text:",
    )
    .unwrap();
    assert_eq!(r.id, Some(&b""[..]));
    assert_eq!(r.sub, Some(&b"001"[..]));
    assert_eq!(r.dlvrd, Some(&b""[..]));
    assert_eq!(r.submit_date, Some(&b""[..]));
    assert_eq!(r.done_date, Some(&b"2401011200"[..]));
    assert_eq!(r.stat, Some(&b"DELIVRD"[..]));
    assert_eq!(r.err, Some(&b""[..]));
    assert_eq!(r.text, Some(&b""[..]));
}

/// `fuzz/regressions/session_driver/crash-ddf1d49…`: an ESME peer writes,
/// a few at a time, octets of its own making that start a 39-octet
/// `bind_receiver` (`00 00 00 27 00 00 00 01`), then well-formed
/// `submit_sm`s. Run together, they frame a `bind_receiver` with sequence
/// number 4, a number the peer also gave a `submit_sm`, and the MC rightly
/// answers both. The script's oracle no longer counts the answers to a
/// sequence number once the peer wrote such octets (any request can come
/// out of them); every other property still holds on this input.
#[test]
fn octets_run_together_into_a_request_get_their_answer() {
    let input = regression(
        "session_driver",
        "crash-ddf1d49bd623ecd5d5948295316229fb4aab6b13",
    );
    // The oracle's checks (every request answered or handed back, memory
    // bounded, nothing answered twice where no raw octets were written).
    fuzzing::session_driver(&input);
}
