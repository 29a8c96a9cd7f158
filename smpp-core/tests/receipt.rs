//! Delivery receipt parsing, formatting and TLV precedence.

use smpp_core::receipt::{
    DeliveryReceipt, IdBase, MessageState, NetworkError, Receipt, ReceiptDate, ReceiptError,
    ids_match, ids_match_with,
};

/// A `network_error_code` TLV, as [`Receipt::network_error`] gives it.
fn network_error_code(network_type: u8, code: u16) -> NetworkError<'static> {
    NetworkError::Tlv { network_type, code }
}

/// The fields of a receipt as `label=value` words in a fixed order, `text`
/// last; an absent field is left out, an empty one is `label=`.
fn fields(r: &DeliveryReceipt<'_>) -> String {
    let labelled = [
        ("id", r.id),
        ("sub", r.sub),
        ("dlvrd", r.dlvrd),
        ("submit", r.submit_date),
        ("done", r.done_date),
        ("stat", r.stat),
        ("err", r.err),
        ("text", r.text),
    ];
    let words: Vec<String> = labelled
        .iter()
        .filter_map(|(label, value)| value.map(|v| format!("{label}={}", v.escape_ascii())))
        .collect();
    words.join(" ")
}

/// `input` parses as a receipt whose [`fields`] are `expected`, in `state`.
fn assert_parses<'a>(input: &'a [u8], expected: &str, state: MessageState) -> DeliveryReceipt<'a> {
    let what = input.escape_ascii();
    let r = DeliveryReceipt::parse(input).unwrap_or_else(|err| panic!("{what}: {err}"));
    assert_eq!(fields(&r), expected, "{what}");
    assert_eq!(r.state(), Some(state), "{what}");
    r
}

#[test]
fn real_world_variants() {
    // (receipt, its fields, its state)
    let cases = [
        (
            "id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:",
            "id=0059113978 sub=001 dlvrd=001 submit=1002101730 done=1002101731 stat=DELIVRD err=000 text=@$#!%&/:",
            MessageState::DELIVERED,
        ),
        (
            "ID:12345 SUB:001 DLVRD:000 SUBMIT DATE:2301011200 DONE DATE:2301011201 STAT:UNDELIV ERR:012 TEXT:hello there",
            "id=12345 sub=001 dlvrd=000 submit=2301011200 done=2301011201 stat=UNDELIV err=012 text=hello there",
            MessageState::UNDELIVERABLE,
        ),
        (
            "id:777 sub:001 dlvrd:001 submit date:2301011200 done date:2301011201 stat:EXPIRED err:000",
            "id=777 sub=001 dlvrd=001 submit=2301011200 done=2301011201 stat=EXPIRED err=000",
            MessageState::EXPIRED,
        ),
        (
            "stat:REJECTD err:0x1F id:abc-1 done date:2301011201 submit date:2301011200",
            "id=abc-1 submit=2301011200 done=2301011201 stat=REJECTD err=0x1F",
            MessageState::REJECTED,
        ),
        (
            "id:1 sub:001 dlvrd:001 submit date:230101120030 done date:230101120145 stat:ACCEPTD err:000 text:",
            "id=1 sub=001 dlvrd=001 submit=230101120030 done=230101120145 stat=ACCEPTD err=000 text=",
            MessageState::ACCEPTED,
        ),
        (
            "id:38601fa sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELETED err:000 text:x",
            "id=38601fa sub=001 dlvrd=001 submit=1002101730 done=1002101731 stat=DELETED err=000 text=x",
            MessageState::DELETED,
        ),
        (
            "id:42 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 mcc:234 mnc:15 imsi:234150000000000 text:hi",
            "id=42 sub=001 dlvrd=001 submit=1002101730 done=1002101731 stat=DELIVRD err=000 text=hi",
            MessageState::DELIVERED,
        ),
        (
            "id:9 sub:001 dlvrd:000 submit date:1002101730 done date:1002101731 stat:ENROUTE err:000 Text:id:7 stat:DELIVRD",
            "id=9 sub=001 dlvrd=000 submit=1002101730 done=1002101731 stat=ENROUTE err=000 text=id:7 stat:DELIVRD",
            MessageState::ENROUTE,
        ),
        (
            "id:5  sub:1   stat:UNKNOWN   err:1",
            "id=5 sub=1 stat=UNKNOWN err=1",
            MessageState::UNKNOWN,
        ),
        (
            "id:6 stat:SKIPPED",
            "id=6 stat=SKIPPED",
            MessageState::SKIPPED,
        ),
    ];
    for (input, expected, state) in cases {
        assert_parses(input.as_bytes(), expected, state);
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
    for bad in [&b"1013101730"[..], b"100230", b"1002291730"] {
        assert_eq!(ReceiptDate::parse(bad), Err(ReceiptError::BadDate));
    }
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
    use IdBase::{Decimal, Hex};
    let cases = [
        (&b"256"[..], Decimal, &b"100"[..], Hex, true),
        (b"100\0", Hex, b"256", Decimal, true),
        (b"256", Decimal, b"100", Decimal, false),
        (b"1f", Hex, b"31", Decimal, true),
        // Not a number in the given base: only equal text matches.
        (b"1f", Decimal, b"31", Decimal, false),
        (b"MSG-1", Decimal, b"msg-1", Hex, true),
        (b"", Hex, b"\0", Hex, false),
    ];
    for (a, base_a, b, base_b, matching) in cases {
        let what = (a.escape_ascii(), base_a, b.escape_ascii(), base_b);
        assert_eq!(ids_match_with(a, base_a, b, base_b), matching, "{what:?}");
    }
}

#[test]
fn separators_labels_and_late_fields() {
    assert_parses(
        b"id:77\tsub:001\t\tdlvrd:001 submit_date:2301011200  done_date:2301011201\tstat:\tDELIVRD   err:000",
        "id=77 sub=001 dlvrd=001 submit=2301011200 done=2301011201 stat=DELIVRD err=000",
        MessageState::DELIVERED,
    );

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
    assert_eq!(r.network_error(), Some(network_error_code(3, 1)));
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

#[test]
fn an_empty_id_is_no_id() {
    let sm = b"id:0059113978 stat:DELIVRD err:000";
    // A receipted_message_id TLV holding only its NUL (or nothing) names no message: the
    // text's id is the message id, and there is nothing for it to disagree with.
    for tlv in [&b"\0"[..], b""] {
        let r = Receipt::new(sm, Some(tlv), None, None);
        assert_eq!(r.message_id(), Some(&b"0059113978"[..]), "{tlv:?}");
        assert_eq!(r.ids_agree(), None, "{tlv:?}");
    }
    // An `id:` without a value, likewise.
    let r = Receipt::new(b"id: stat:DELIVRD err:000", Some(b"38601fa\0"), None, None);
    assert_eq!(r.message_id(), Some(&b"38601fa"[..]));
    assert_eq!(r.ids_agree(), None);
    let r = Receipt::new(b"id: stat:DELIVRD err:000", None, None, None);
    assert_eq!(r.text.and_then(|t| t.id), Some(&b""[..]));
    assert_eq!(r.message_id(), None);
    // Both present: compared.
    let r = Receipt::new(sm, Some(b"38601fb\0"), None, None);
    assert_eq!(r.ids_agree(), Some(false));
}

/// More layouts seen from MCs: (input, its fields, its state), each of
/// its dates valid.
#[test]
fn more_real_world_variants() {
    let cases: [(&[u8], &str, MessageState); 9] = [
        // A C-string short_message: the terminating NUL is not part of the last field.
        (
            b"id:1 sub:001 dlvrd:001 submit date:2301011200 done date:2301011201 stat:DELIVRD err:000\0",
            "id=1 sub=001 dlvrd=001 submit=2301011200 done=2301011201 stat=DELIVRD err=000",
            MessageState::DELIVERED,
        ),
        (
            b"id:2 stat:UNDELIV err:001 text:Hello\0\0",
            "id=2 stat=UNDELIV err=001 text=Hello",
            MessageState::UNDELIVERABLE,
        ),
        // Fields on separate lines.
        (
            b"id:3\r\nsub:001\r\ndlvrd:001\r\nsubmit date:2301011200\r\ndone date:2301011201\r\nstat:DELIVRD\r\nerr:000",
            "id=3 sub=001 dlvrd=001 submit=2301011200 done=2301011201 stat=DELIVRD err=000",
            MessageState::DELIVERED,
        ),
        // A 36-character UUID id, mixed-case labels, full-word state.
        (
            b"Id:6f1c2b9e-8a4d-4c3b-9f5e-0a1b2c3d4e5f Stat:DELIVERED Err:0",
            "id=6f1c2b9e-8a4d-4c3b-9f5e-0a1b2c3d4e5f stat=DELIVERED err=0",
            MessageState::DELIVERED,
        ),
        // Upper-case hex id, twelve-digit dates, hex error code.
        (
            b"id:7F3A9C01 sub:001 dlvrd:000 submit date:230101120000 done date:230101120559 stat:EXPIRED err:0x0B",
            "id=7F3A9C01 sub=001 dlvrd=000 submit=230101120000 done=230101120559 stat=EXPIRED err=0x0B",
            MessageState::EXPIRED,
        ),
        // Leading blanks, date fields first, no sub/dlvrd.
        (
            b"  submit date:2301011200 done date:2301011201 id:12 stat:REJECTD err:088",
            "id=12 submit=2301011200 done=2301011201 stat=REJECTD err=088",
            MessageState::REJECTED,
        ),
        // An intermediate notification: ENROUTE and no done date.
        (
            b"id:13 sub:001 dlvrd:000 submit date:2301011200 stat:ENROUTE err:000 text:",
            "id=13 sub=001 dlvrd=000 submit=2301011200 stat=ENROUTE err=000 text=",
            MessageState::ENROUTE,
        ),
        // A receipt with no id at all.
        (
            b"sub:001 dlvrd:001 stat:DELIVRD err:000",
            "sub=001 dlvrd=001 stat=DELIVRD err=000",
            MessageState::DELIVERED,
        ),
        // A label with an empty value before the next label.
        (
            b"id: stat:DELIVRD err:",
            "id= stat=DELIVRD err=",
            MessageState::DELIVERED,
        ),
    ];
    for (input, expected, state) in cases {
        let r = assert_parses(input, expected, state);
        for date in [r.submit_date(), r.done_date()].into_iter().flatten() {
            assert!(date.is_ok(), "{}: {date:?}", input.escape_ascii());
        }
    }
}

#[test]
fn receipt_dates_at_their_limits() {
    for ok in [
        &b"0001010000"[..],
        b"9912312359",
        b"991231235959",
        b"2402291200",
    ] {
        assert!(ReceiptDate::parse(ok).is_ok(), "{ok:?}");
    }
    for bad in [
        &b""[..],
        b"230101120",
        b"23010112000",
        b"2301011200000",
        b"20230101120000",
        b"2300011200",
        b"2301001200",
        b"2302291200",
        b"2301012400",
        b"2301011260",
        b"230101120060",
        b"23010112 0",
        b"+301011200",
    ] {
        assert_eq!(
            ReceiptDate::parse(bad),
            Err(ReceiptError::BadDate),
            "{bad:?}"
        );
    }
}

#[test]
fn receipt_dates_written_as_smpp_absolute_times() {
    // Seen from an MC: both dates as SMPP absolute times, 3 hours ahead of UTC.
    let r = DeliveryReceipt::parse(
        b"id:rdwjwxns18krxr9936ey96ymcw sub:000 dlvrd:000 submit date:180711070003912+ done date:180711070000012+ stat:UNDELIV err:000",
    )
    .unwrap();
    assert_eq!(r.submit_date, Some(&b"180711070003912+"[..]));
    let utc = |hour, minute, second| {
        Some(Ok(ReceiptDate {
            year: 18,
            month: 7,
            day: 11,
            hour,
            minute,
            second: Some(second),
        }))
    };
    assert_eq!(r.submit_date(), utc(4, 0, 3));
    assert_eq!(r.done_date(), utc(4, 0, 0));
    // Behind UTC, across midnight and the end of the year: 2022-12-31 23:30 at UTC-4.
    let d = ReceiptDate::parse(b"221231233000016-").unwrap();
    assert_eq!(
        (d.year, d.month, d.day, d.hour, d.minute),
        (23, 1, 1, 3, 30)
    );
    assert_eq!(d.to_unix_seconds(), 1_672_543_800);
    for bad in [
        &b"180711070003912R"[..], // a relative time
        b"000000000000000R",
        b"181311070003912+", // month 13
        b"18071107000391+",  // 15 characters
        b"180711070003949+", // offset of 49 quarter hours
        b"000101000000004+", // 1999-12-31 in UTC
        b"+",
    ] {
        assert_eq!(
            ReceiptDate::parse(bad),
            Err(ReceiptError::BadDate),
            "{}",
            bad.escape_ascii()
        );
    }
}

#[test]
fn tlvs_win_field_by_field() {
    let sm = b"id:0059113978 stat:DELIVRD err:000 text:x";
    // Each TLV alone replaces only its own field.
    let id_only = Receipt::new(sm, Some(b"38601fa"), None, None);
    assert_eq!(id_only.message_id(), Some(&b"38601fa"[..]));
    assert_eq!(id_only.state(), Some(MessageState::DELIVERED));
    assert_eq!(id_only.network_error(), Some(NetworkError::Text(b"000")));
    let state_only = Receipt::new(sm, None, Some(3), None);
    assert_eq!(state_only.message_id(), Some(&b"0059113978"[..]));
    assert_eq!(state_only.state(), Some(MessageState::EXPIRED));
    let error_only = Receipt::new(sm, None, None, Some((1, 0x0102)));
    assert_eq!(
        error_only.network_error(),
        Some(network_error_code(1, 0x0102))
    );
    assert_eq!(error_only.state(), Some(MessageState::DELIVERED));
    // An empty receipted_message_id (a lone NUL) gives way to the text's id.
    let empty = Receipt::new(sm, Some(b"\0"), None, None);
    assert_eq!(empty.message_id(), Some(&b"0059113978"[..]));
    // Ids that disagree are reported, and the TLV still wins.
    let other = Receipt::new(sm, Some(b"12345"), None, None);
    assert_eq!(other.ids_agree(), Some(false));
    assert_eq!(other.message_id(), Some(&b"12345"[..]));
}

#[test]
fn a_nul_ends_a_value() {
    let r = DeliveryReceipt::parse(b"id:42\0\0 stat:DELIVRD\0 err:000\0text:a\0b\0\0").unwrap();
    assert_eq!(r.id, Some(&b"42"[..]));
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    assert_eq!(r.err, Some(&b"000"[..]));
    // The text keeps its inner NUL and loses the final ones.
    assert_eq!(r.text, Some(&b"a\0b"[..]));
    // Only NULs: not a receipt.
    assert_eq!(
        DeliveryReceipt::parse(b"\0\0"),
        Err(ReceiptError::NotAReceipt)
    );
}

mod common;

use smpp_core::receipt::ReceiptBuilder;
use smpp_core::{Body, COctet, DataSm, DeliverSm, ErrorKind, EsmClass, Pdu, TlvBuf, TlvTag};

/// The golden receipt vector read in one call: its text and its TLVs.
#[test]
fn a_receipt_read_from_a_deliver_sm() {
    let frame = common::load("deliver_sm_delivery_receipt");
    let pdu = Pdu::parse(&frame).unwrap();
    let Body::DeliverSm(sm) = pdu.body else {
        panic!("{pdu:?}")
    };
    let r = Receipt::from_deliver_sm(&sm);
    assert!(r.is_receipt());
    let text = r.text.unwrap();
    assert_eq!(text.id, Some(&b"0059113978"[..]));
    assert_eq!(text.text, Some(&b"@$#!%&/:"[..]));
    // The TLVs: receipted_message_id "38601fa", message_state 2.
    assert_eq!(r.message_id(), Some(&b"38601fa"[..]));
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    assert_eq!(r.ids_agree(), Some(true));
    assert_eq!(r.network_error(), Some(NetworkError::Text(b"000")));
    // The owned form of the same body reads the same.
    let owned = sm.map(<[u8]>::to_vec);
    assert_eq!(Receipt::from_deliver_sm(&owned), r);
}

/// Where the text comes from: `short_message`, else `message_payload`; a
/// user data header is skipped; `data_sm` carries it in `message_payload`.
/// Where both say something, the TLV wins.
#[test]
fn receipt_text_sources_and_tlv_precedence() {
    let text = b"id:42 stat:DELIVRD err:000";
    let mut tlvs = TlvBuf::<64>::new();
    tlvs.push(TlvTag::MESSAGE_PAYLOAD, text).unwrap();
    tlvs.push_u8(TlvTag::MESSAGE_STATE, 8).unwrap(); // REJECTED
    tlvs.push(TlvTag::NETWORK_ERROR_CODE, &[3, 0x01, 0x02])
        .unwrap();
    let in_payload = DeliverSm::<&[u8]> {
        tlvs: tlvs.tlvs(),
        ..DeliverSm::default()
    };
    let r = Receipt::from_deliver_sm(&in_payload);
    assert_eq!(r.text.and_then(|t| t.id), Some(&b"42"[..]));
    assert_eq!(r.message_id(), Some(&b"42"[..]));
    assert_eq!(r.state(), Some(MessageState::REJECTED));
    assert_eq!(r.network_error(), Some(network_error_code(3, 0x0102)));
    let data_sm = DataSm::<&[u8]> {
        tlvs: tlvs.tlvs(),
        ..DataSm::default()
    };
    assert_eq!(Receipt::from_data_sm(&data_sm), r);

    // A header before the text (UDHI set), in short_message.
    let mut with_udh = vec![0x05, 0x00, 0x03, 0x07, 0x01, 0x01];
    with_udh.extend_from_slice(text);
    let sm = DeliverSm::<&[u8]> {
        esm_class: EsmClass::DELIVERY_RECEIPT.with_udhi(),
        short_message: &with_udh,
        ..DeliverSm::default()
    };
    let r = Receipt::from_deliver_sm(&sm);
    assert_eq!(r.message_id(), Some(&b"42"[..]));
    assert_eq!(r.state(), Some(MessageState::DELIVERED));
    // Without UDHI the header's octets run into `id:`, which then does not
    // start a word: only the later fields are read.
    let sm = DeliverSm {
        esm_class: EsmClass::DELIVERY_RECEIPT,
        ..sm
    };
    let r = Receipt::from_deliver_sm(&sm);
    assert_eq!(r.message_id(), None);
    assert_eq!(r.state(), Some(MessageState::DELIVERED));

    // An ordinary message: no receipt.
    let mo = DeliverSm::<&[u8]> {
        short_message: b"hello",
        ..DeliverSm::default()
    };
    assert!(!Receipt::from_deliver_sm(&mo).is_receipt());
}

fn builder() -> ReceiptBuilder<'static> {
    ReceiptBuilder {
        network_error_code: Some((3, 6)),
        submit_date: Some(ReceiptDate::from_unix_seconds(1_265_823_000, false).unwrap()),
        done_date: Some(ReceiptDate::from_unix_seconds(1_265_823_061, true).unwrap()),
        text: b"@$#!%&/: and more than twenty",
        ..ReceiptBuilder::new(b"0059113978", MessageState::DELIVERED)
    }
}

#[test]
fn a_receipt_built_from_its_values() {
    let r = builder();
    let want: &[u8] = b"id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:100210173101 stat:DELIVRD err:006 text:@$#!%&/: and more th";
    assert_eq!(r.text_len(), want.len());
    let mut out = vec![0u8; want.len()];
    assert_eq!(r.write_text(&mut out), Ok(want.len()));
    assert_eq!(out, want);
    for len in 0..want.len() {
        assert_eq!(
            r.write_text(&mut vec![0u8; len]),
            Err(ReceiptError::BufferTooSmall),
            "{len}"
        );
    }
    // The text parses back to the same values.
    let parsed = DeliveryReceipt::parse(&out).unwrap();
    assert_eq!(parsed.state(), Some(MessageState::DELIVERED));
    assert_eq!(parsed.error_code(), Some(6));
    assert_eq!(parsed.submitted(), Some(1));
    assert_eq!(parsed.delivered(), Some(1));
    assert_eq!(parsed.done_date(), Some(Ok(r.done_date.unwrap())));
    assert_eq!(
        parsed.done_date().unwrap().unwrap().to_unix_seconds(),
        1_265_823_061
    );

    // Defaults: not delivered, no error, dates or text; large counts; a
    // state without a stat: text.
    let plain = ReceiptBuilder {
        submitted: 1234,
        ..ReceiptBuilder::new(b"ab", MessageState::EXPIRED)
    };
    let mut out = [0u8; 80];
    let n = plain.write_text(&mut out).unwrap();
    assert_eq!(
        &out[..n],
        b"id:ab sub:1234 dlvrd:000 stat:EXPIRED err:000 text:"
    );
    let odd = ReceiptBuilder::new(b"ab", MessageState(42));
    let n = odd.write_text(&mut out).unwrap();
    assert_eq!(
        &out[..n],
        b"id:ab sub:001 dlvrd:000 stat:UNKNOWN err:000 text:"
    );
}

#[test]
fn a_receipt_built_into_a_deliver_sm() {
    let r = builder();
    let mut template_tlvs = TlvBuf::<16>::new();
    template_tlvs
        .push_u16(TlvTag::USER_MESSAGE_REFERENCE, 9)
        .unwrap();
    let template = DeliverSm {
        source_addr: COctet::from("447700900123"),
        destination_addr: COctet::from("40404"),
        esm_class: EsmClass::UDHI.with_udhi(),
        tlvs: template_tlvs.tlvs(),
        ..DeliverSm::default()
    };
    let (mut text, mut tlvs) = ([0u8; 200], TlvBuf::<128>::new());
    let sm = r.deliver_sm(&template, &mut text, &mut tlvs).unwrap();
    assert!(sm.esm_class.is_delivery_receipt());
    assert!(sm.esm_class.udhi(), "the template's other bits are kept");
    assert_eq!(sm.source_addr, template.source_addr);
    let tags: Vec<TlvTag> = sm.tlvs.iter().map(|t| t.tag).collect();
    assert_eq!(
        tags,
        [
            TlvTag::USER_MESSAGE_REFERENCE,
            TlvTag::RECEIPTED_MESSAGE_ID,
            TlvTag::MESSAGE_STATE,
            TlvTag::NETWORK_ERROR_CODE
        ]
    );
    let frame = common::encode(&Pdu::new(3, Body::DeliverSm(sm)));
    let back = Pdu::parse(&frame).unwrap();
    let Body::DeliverSm(back) = back.body else {
        panic!()
    };
    // Read back without the UDHI bit getting in the way of a text that has
    // no header: the TLVs give the values.
    let read = Receipt::from_deliver_sm(&back);
    assert_eq!(read.message_id(), Some(&b"0059113978"[..]));
    assert_eq!(read.state(), Some(MessageState::DELIVERED));
    assert_eq!(read.network_error(), Some(network_error_code(3, 6)));

    // Too small a text buffer, and a message id too long for its TLV.
    let (mut small, mut tlvs) = ([0u8; 20], TlvBuf::<128>::new());
    let err = r.deliver_sm(&template, &mut small, &mut tlvs).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::BufferTooSmall {
            needed: r.text_len(),
            available: 20
        }
    );
    let long = [b'7'; 65];
    let too_long = ReceiptBuilder::new(&long, MessageState::DELIVERED);
    let (mut text, mut tlvs) = ([0u8; 200], TlvBuf::<256>::new());
    let err = too_long
        .deliver_sm(&template, &mut text, &mut tlvs)
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Tlv { tag, .. } if tag == TlvTag::RECEIPTED_MESSAGE_ID)
    );
}

#[test]
fn receipt_dates_from_timestamps() {
    // Every minute of a leap day and the turn of a year, with and without seconds.
    for secs in (1_709_164_800..1_709_251_200)
        .step_by(61)
        .chain([4_102_444_799, 946_684_800])
    {
        for with_seconds in [false, true] {
            let d = ReceiptDate::from_unix_seconds(secs, with_seconds).unwrap();
            let mut out = [0u8; 12];
            let n = d.format(&mut out).unwrap();
            assert_eq!(n, if with_seconds { 12 } else { 10 });
            assert_eq!(ReceiptDate::parse(&out[..n]), Ok(d));
            let whole = if with_seconds {
                secs
            } else {
                secs - secs.rem_euclid(60)
            };
            assert_eq!(d.to_unix_seconds(), whole);
        }
    }
    for secs in [946_684_799, 4_102_444_800, i64::MIN] {
        assert_eq!(
            ReceiptDate::from_unix_seconds(secs, false),
            Err(ReceiptError::BadDate)
        );
    }
    let d = ReceiptDate::from_unix_seconds(0x7000_0000, true).unwrap();
    assert_eq!(d.format(&mut [0u8; 11]), Err(ReceiptError::BufferTooSmall));
}

/// Some MCs leave `stat:` out of the receipt text and send the state in the
/// `message_state` TLV only: the receipt's state is the TLV's. A text with
/// only `err:` and no TLV has no state: an error code names none.
#[test]
fn a_text_without_stat_takes_its_state_from_message_state() {
    let text = b"id:0059113978 sub:001 dlvrd:000 submit date:1002101730 done date:1002101731 err:006 text:";
    let mut tlvs = TlvBuf::<32>::new();
    tlvs.push_u8(TlvTag::MESSAGE_STATE, 5).unwrap(); // UNDELIVERABLE
    let sm = DeliverSm::<&[u8]> {
        esm_class: EsmClass::DELIVERY_RECEIPT,
        short_message: text,
        tlvs: tlvs.tlvs(),
        ..DeliverSm::default()
    };
    let r = Receipt::from_deliver_sm(&sm);
    let parsed = r.text.expect("a receipt text");
    assert_eq!((parsed.stat, parsed.state()), (None, None));
    assert_eq!(r.state(), Some(MessageState::UNDELIVERABLE));
    assert_eq!(r.message_id(), Some(&b"0059113978"[..]));
    assert_eq!(r.network_error(), Some(NetworkError::Text(b"006")));

    let without_tlv = DeliverSm {
        tlvs: smpp_core::Tlvs::default(),
        ..sm
    };
    let r = Receipt::from_deliver_sm(&without_tlv);
    assert!(r.is_receipt());
    assert_eq!(r.state(), None);
    assert_eq!(r.network_error(), Some(NetworkError::Text(b"006")));
    let r = Receipt::new(b"id:42 err:000", None, None, None);
    assert_eq!((r.message_id(), r.state()), (Some(&b"42"[..]), None));
}
