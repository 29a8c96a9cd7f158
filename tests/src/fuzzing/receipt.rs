//! The `receipt` oracle: `DeliveryReceipt::parse` of any text, and
//! `format` then `parse` again.

use smpp_core::receipt::{DeliveryReceipt, MessageState, ReceiptError, ids_match};

/// The fields of a receipt with their labels, in `format` order (`text:`
/// last).
fn fields<'a>(r: &DeliveryReceipt<'a>) -> [(&'static str, Option<&'a [u8]>); 8] {
    [
        ("id", r.id),
        ("sub", r.sub),
        ("dlvrd", r.dlvrd),
        ("submit date", r.submit_date),
        ("done date", r.done_date),
        ("stat", r.stat),
        ("err", r.err),
        ("text", r.text),
    ]
}

/// Whether `part` lies inside `whole` (the same memory, not equal octets).
fn is_subslice(part: &[u8], whole: &[u8]) -> bool {
    let whole = whole.as_ptr_range();
    let part = part.as_ptr_range();
    whole.start <= part.start && part.end <= whole.end
}

/// Delivery receipts: whatever `DeliveryReceipt::parse` accepts has an
/// `id:` or `stat:` and one more field, every field a slice of the input
/// (`text:` its tail before any final NULs, the others without white space
/// or NUL); the derived values agree with the raw fields; `format` writes exactly its length (and fails
/// on a buffer one octet short); the formatted text parses back to equal
/// fields (empty ones included).
///
/// # Panics
///
/// When a field is not a slice of the input or the formatted receipt parses
/// back differently.
pub fn receipt(data: &[u8]) {
    let Ok(r) = DeliveryReceipt::parse(data) else {
        return;
    };
    let present = fields(&r).iter().filter(|(_, v)| v.is_some()).count();
    assert!(r.id.is_some() || r.stat.is_some(), "{r:?}");
    assert!(present >= 2, "{r:?}");
    for (label, value) in fields(&r) {
        let Some(value) = value else { continue };
        assert!(
            is_subslice(value, data),
            "{label}: not a slice of the input"
        );
        if label == "text" {
            // The tail of the input, less the NULs that end a C-Octet String.
            let end = data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
            assert_eq!(value.as_ptr_range().end, data[..end].as_ptr_range().end);
        } else {
            assert!(
                !value.iter().any(|&b| b.is_ascii_whitespace() || b == 0),
                "{label}: {value:?}"
            );
        }
    }
    check_derived(&r);

    let len: usize = fields(&r)
        .iter()
        .filter_map(|(label, v)| v.map(|v| label.len() + 1 + v.len()))
        .sum::<usize>()
        + present
        - 1;
    let mut out = vec![0u8; len];
    assert_eq!(r.format(&mut out), Ok(len), "{r:?}");
    assert_eq!(
        r.format(&mut out[..len - 1]),
        Err(ReceiptError::BufferTooSmall)
    );

    let back = DeliveryReceipt::parse(&out)
        .unwrap_or_else(|e| panic!("formatted receipt does not parse: {e}: {r:?}"));
    assert_eq!(back, r, "{:?}", out.escape_ascii().to_string());
}

fn check_derived(r: &DeliveryReceipt<'_>) {
    assert_eq!(r.state(), r.stat.and_then(MessageState::from_stat));
    if let Some(state) = r.state() {
        // A known state's own `stat:` text names it again.
        if let Some(stat) = state.stat() {
            assert_eq!(MessageState::from_stat(stat.as_bytes()), Some(state));
        }
    }
    assert_eq!(
        r.id_str().map(str::as_bytes),
        r.id.filter(|id| core::str::from_utf8(id).is_ok())
    );
    if let Some(id) = r.id.filter(|id| !id.is_empty() && id[0] != 0) {
        assert!(ids_match(id, id), "{id:?}");
    }
    for date in [r.submit_date(), r.done_date()].into_iter().flatten() {
        let Ok(d) = date else { continue };
        assert!((1..=12).contains(&d.month), "{d:?}");
        assert!((1..=31).contains(&d.day), "{d:?}");
        assert!(d.hour < 24 && d.minute < 60, "{d:?}");
        assert!(d.second.is_none_or(|s| s < 60), "{d:?}");
    }
    for (number, raw) in [
        (r.submitted(), r.sub),
        (r.delivered(), r.dlvrd),
        (r.error_code(), r.err),
    ] {
        let decimal = raw
            .and_then(|s| core::str::from_utf8(s).ok())
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<u32>().ok());
        assert_eq!(number, decimal, "{raw:?}");
    }
}
