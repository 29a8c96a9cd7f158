//! Delivery receipt parsing, formatting and TLV precedence.

use smpp_core::receipt::{
    DeliveryReceipt, IdBase, MessageState, NetworkError, Receipt, ReceiptDate, ReceiptError,
    ids_match, ids_match_with,
};

struct Expect {
    id: Option<&'static str>,
    sub: Option<&'static str>,
    dlvrd: Option<&'static str>,
    submit: Option<&'static str>,
    done: Option<&'static str>,
    state: Option<MessageState>,
    err: Option<&'static str>,
    text: Option<&'static str>,
}

fn b(s: Option<&'static str>) -> Option<&'static [u8]> {
    s.map(str::as_bytes)
}

#[test]
#[allow(clippy::too_many_lines)]
fn real_world_variants() {
    let cases: Vec<(&str, Expect)> = vec![
        (
            "id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:",
            Expect {
                id: Some("0059113978"),
                sub: Some("001"),
                dlvrd: Some("001"),
                submit: Some("1002101730"),
                done: Some("1002101731"),
                state: Some(MessageState::DELIVERED),
                err: Some("000"),
                text: Some("@$#!%&/:"),
            },
        ),
        (
            "ID:12345 SUB:001 DLVRD:000 SUBMIT DATE:2301011200 DONE DATE:2301011201 STAT:UNDELIV ERR:012 TEXT:hello there",
            Expect {
                id: Some("12345"),
                sub: Some("001"),
                dlvrd: Some("000"),
                submit: Some("2301011200"),
                done: Some("2301011201"),
                state: Some(MessageState::UNDELIVERABLE),
                err: Some("012"),
                text: Some("hello there"),
            },
        ),
        (
            "id:777 sub:001 dlvrd:001 submit date:2301011200 done date:2301011201 stat:EXPIRED err:000",
            Expect {
                id: Some("777"),
                sub: Some("001"),
                dlvrd: Some("001"),
                submit: Some("2301011200"),
                done: Some("2301011201"),
                state: Some(MessageState::EXPIRED),
                err: Some("000"),
                text: None,
            },
        ),
        (
            "stat:REJECTD err:0x1F id:abc-1 done date:2301011201 submit date:2301011200",
            Expect {
                id: Some("abc-1"),
                sub: None,
                dlvrd: None,
                submit: Some("2301011200"),
                done: Some("2301011201"),
                state: Some(MessageState::REJECTED),
                err: Some("0x1F"),
                text: None,
            },
        ),
        (
            "id:1 sub:001 dlvrd:001 submit date:230101120030 done date:230101120145 stat:ACCEPTD err:000 text:",
            Expect {
                id: Some("1"),
                sub: Some("001"),
                dlvrd: Some("001"),
                submit: Some("230101120030"),
                done: Some("230101120145"),
                state: Some(MessageState::ACCEPTED),
                err: Some("000"),
                text: Some(""),
            },
        ),
        (
            "id:38601fa sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELETED err:000 text:x",
            Expect {
                id: Some("38601fa"),
                sub: Some("001"),
                dlvrd: Some("001"),
                submit: Some("1002101730"),
                done: Some("1002101731"),
                state: Some(MessageState::DELETED),
                err: Some("000"),
                text: Some("x"),
            },
        ),
        (
            "id:42 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 mcc:234 mnc:15 imsi:234150000000000 text:hi",
            Expect {
                id: Some("42"),
                sub: Some("001"),
                dlvrd: Some("001"),
                submit: Some("1002101730"),
                done: Some("1002101731"),
                state: Some(MessageState::DELIVERED),
                err: Some("000"),
                text: Some("hi"),
            },
        ),
        (
            "id:9 sub:001 dlvrd:000 submit date:1002101730 done date:1002101731 stat:ENROUTE err:000 Text:id:7 stat:DELIVRD",
            Expect {
                id: Some("9"),
                sub: Some("001"),
                dlvrd: Some("000"),
                submit: Some("1002101730"),
                done: Some("1002101731"),
                state: Some(MessageState::ENROUTE),
                err: Some("000"),
                text: Some("id:7 stat:DELIVRD"),
            },
        ),
        (
            "id:5  sub:1   stat:UNKNOWN   err:1",
            Expect {
                id: Some("5"),
                sub: Some("1"),
                dlvrd: None,
                submit: None,
                done: None,
                state: Some(MessageState::UNKNOWN),
                err: Some("1"),
                text: None,
            },
        ),
        (
            "id:6 stat:SKIPPED",
            Expect {
                id: Some("6"),
                sub: None,
                dlvrd: None,
                submit: None,
                done: None,
                state: Some(MessageState::SKIPPED),
                err: None,
                text: None,
            },
        ),
    ];
    for (input, e) in cases {
        let r =
            DeliveryReceipt::parse(input.as_bytes()).unwrap_or_else(|err| panic!("{input}: {err}"));
        assert_eq!(r.id, b(e.id), "{input}");
        assert_eq!(r.sub, b(e.sub), "{input}");
        assert_eq!(r.dlvrd, b(e.dlvrd), "{input}");
        assert_eq!(r.submit_date, b(e.submit), "{input}");
        assert_eq!(r.done_date, b(e.done), "{input}");
        assert_eq!(r.state(), e.state, "{input}");
        assert_eq!(r.err, b(e.err), "{input}");
        assert_eq!(r.text, b(e.text), "{input}");
    }
}

#[test]
fn non_receipts() {
    for s in [
        "hello world",
        "",
        "text:only",
        "my id:5",
        "sub:001 dlvrd:001",
    ] {
        assert_eq!(
            DeliveryReceipt::parse(s.as_bytes()),
            Err(ReceiptError::NotAReceipt),
            "{s}"
        );
    }
}

#[test]
fn stat_values_map_to_states() {
    let table = [
        ("DELIVRD", 2),
        ("EXPIRED", 3),
        ("DELETED", 4),
        ("UNDELIV", 5),
        ("ACCEPTD", 6),
        ("UNKNOWN", 7),
        ("REJECTD", 8),
        ("ENROUTE", 1),
        ("SKIPPED", 9),
        ("delivrd", 2),
    ];
    for (s, v) in table {
        let st = MessageState::from_stat(s.as_bytes()).unwrap();
        assert_eq!(st.0, v);
        assert_eq!(MessageState(v), st);
        assert!(st.stat().unwrap().eq_ignore_ascii_case(s));
    }
    assert_eq!(MessageState::from_stat(b"BOGUS"), None);
    assert_eq!(MessageState(10).stat(), None);
}

#[test]
fn dates() {
    let r =
        DeliveryReceipt::parse(b"id:1 submit date:1002101730 done date:100210173145 stat:DELIVRD")
            .unwrap();
    assert_eq!(
        r.submit_date(),
        Some(Ok(ReceiptDate {
            year: 10,
            month: 2,
            day: 10,
            hour: 17,
            minute: 30,
            second: None
        }))
    );
    assert_eq!(r.done_date().unwrap().unwrap().second, Some(45));
    assert_eq!(
        ReceiptDate::parse(b"1013101730"),
        Err(ReceiptError::BadDate)
    );
    assert_eq!(ReceiptDate::parse(b"100230"), Err(ReceiptError::BadDate));
    assert_eq!(
        ReceiptDate::parse(b"1002291730"),
        Err(ReceiptError::BadDate)
    );
    assert!(ReceiptDate::parse(b"1202291730").is_ok());
}

#[test]
fn format_round_trip() {
    let input = b"id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:";
    let r = DeliveryReceipt::parse(input).unwrap();
    let mut out = [0u8; 200];
    let n = r.format(&mut out).unwrap();
    assert_eq!(&out[..n], &input[..]);
    let reordered = DeliveryReceipt::parse(b"stat:EXPIRED id:7").unwrap();
    let n = reordered.format(&mut out).unwrap();
    assert_eq!(&out[..n], b"id:7 stat:EXPIRED");
    assert_eq!(r.format(&mut out[..10]), Err(ReceiptError::BufferTooSmall));
}

#[test]
fn id_comparison() {
    assert!(ids_match(b"0059113978", b"38601fa"));
    assert!(ids_match(b"38601FA", b"0059113978"));
    assert!(ids_match(b"abc\0", b"ABC"));
    assert!(ids_match(b"0042", b"42"));
    assert!(!ids_match(b"0059113978", b"38601fb"));
    assert!(!ids_match(b"", b""));
    assert!(!ids_match(b"msg-1", b"msg-2"));
    // Both sides hex (letters on both): compared as hex numbers.
    assert!(ids_match(b"00ff", b"FF"));
    assert!(!ids_match(b"ff", b"255f"));
}

#[test]
fn plain_decimal_ids_are_not_read_as_hex() {
    // Hex 10 is 16 and hex 100 is 256, but ids of decimal digits are decimal on both sides.
    for (a, b) in [
        (&b"10"[..], &b"16"[..]),
        (b"100", b"256"),
        (b"16", b"10"),
        (b"256", b"100"),
        (b"0010", b"16"),
        (b"12345", b"74565"),
    ] {
        assert!(!ids_match(a, b), "{a:?} {b:?}");
    }
    // A hex letter on one side is what allows the crossing.
    assert!(ids_match(b"10", b"a"));
    assert!(ids_match(b"A", b"10"));
    assert!(!ids_match(b"16", b"a"));
}

#[test]
fn ids_in_explicit_bases() {
    assert!(ids_match_with(b"256", IdBase::Decimal, b"100", IdBase::Hex));
    assert!(ids_match_with(
        b"100\0",
        IdBase::Hex,
        b"256",
        IdBase::Decimal
    ));
    assert!(!ids_match_with(
        b"256",
        IdBase::Decimal,
        b"100",
        IdBase::Decimal
    ));
    assert!(ids_match_with(b"1f", IdBase::Hex, b"31", IdBase::Decimal));
    // Not a number in the given base: only equal text matches.
    assert!(!ids_match_with(
        b"1f",
        IdBase::Decimal,
        b"31",
        IdBase::Decimal
    ));
    assert!(ids_match_with(
        b"MSG-1",
        IdBase::Decimal,
        b"msg-1",
        IdBase::Hex
    ));
    assert!(!ids_match_with(b"", IdBase::Hex, b"\0", IdBase::Hex));
}

#[test]
fn separators_labels_and_late_fields() {
    let r = DeliveryReceipt::parse(
        b"id:77\tsub:001\t\tdlvrd:001 submit_date:2301011200  done_date:2301011201\tstat:\tDELIVRD   err:000",
    )
    .unwrap();
    assert_eq!(r.id, Some(&b"77"[..]));
    assert_eq!(r.sub, Some(&b"001"[..]));
    assert_eq!(r.dlvrd, Some(&b"001"[..]));
    assert_eq!(r.submit_date, Some(&b"2301011200"[..]));
    assert_eq!(r.done_date, Some(&b"2301011201"[..]));
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    assert_eq!(r.err, Some(&b"000"[..]));

    let r = DeliveryReceipt::parse(b"id:1 SUBMIT\t DATE:2301011200 Done__Date:2301011201").unwrap();
    assert_eq!(r.submit_date, Some(&b"2301011200"[..]));
    assert_eq!(r.done_date, Some(&b"2301011201"[..]));
    // "submitdate:" has no separator: not the label.
    let r = DeliveryReceipt::parse(b"id:1 submitdate:2301011200 stat:DELIVRD").unwrap();
    assert_eq!(r.submit_date, None);

    // Everything after the first text: is text, labels included; fields there are not read.
    let r = DeliveryReceipt::parse(b"id:1 text:hello stat:DELIVRD err:5").unwrap();
    assert_eq!(r.text, Some(&b"hello stat:DELIVRD err:5"[..]));
    assert_eq!((r.stat, r.err), (None, None));
    // The first occurrence of a label counts.
    let r = DeliveryReceipt::parse(b"id:1 stat:ENROUTE stat:DELIVRD").unwrap();
    assert_eq!(r.state(), Some(MessageState::ENROUTE));
}

#[test]
fn tlvs_win() {
    let sm = b"id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:";
    let r = Receipt::new(sm, Some(b"38601fa\0"), Some(5), Some((3, 0x0001)));
    assert!(r.is_receipt());
    assert_eq!(r.message_id(), Some(&b"38601fa"[..]));
    assert_eq!(r.state(), Some(MessageState::UNDELIVERABLE));
    assert_eq!(
        r.network_error(),
        Some(NetworkError::Tlv {
            network_type: 3,
            code: 1
        })
    );
    assert_eq!(r.ids_agree(), Some(true));

    let text_only = Receipt::new(sm, None, None, None);
    assert_eq!(text_only.message_id(), Some(&b"0059113978"[..]));
    assert_eq!(text_only.state(), Some(MessageState::DELIVERED));
    assert_eq!(text_only.network_error(), Some(NetworkError::Text(b"000")));
    assert_eq!(text_only.ids_agree(), None);

    let tlv_only = Receipt::new(b"not a receipt", Some(b"abc"), Some(2), None);
    assert!(tlv_only.text.is_none());
    assert_eq!(tlv_only.message_id(), Some(&b"abc"[..]));
    assert_eq!(tlv_only.state(), Some(MessageState::DELIVERED));
    assert!(!Receipt::new(b"hello", None, None, None).is_receipt());

    // An unknown TLV state gives way to the text's stat:, and is returned when there is none.
    let unknown = Receipt::new(sm, None, Some(0x42), None);
    assert_eq!(unknown.state(), Some(MessageState::DELIVERED));
    let unknown_alone = Receipt::new(b"not a receipt", None, Some(0x42), None);
    assert_eq!(unknown_alone.state(), Some(MessageState(0x42)));
    assert_eq!(unknown_alone.state().and_then(MessageState::name), None);
}
