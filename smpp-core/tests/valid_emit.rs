//! `ValidPdu::emit` writes exactly what `Pdu::emit` writes, and never a PDU
//! the decoder refuses: `submit_sm` and `deliver_sm` with every field near
//! its limits, short messages up to 255 octets and TLV regions up to
//! several `message_payload`s of 65535 octets, and every golden vector.

mod common;

use common::tlv;
use proptest::collection::vec;
use proptest::prelude::*;

use smpp_core::{
    Body, COctet, DataCoding, EsmClass, Npi, Pdu, PriorityFlag, RegisteredDelivery,
    ReplaceIfPresentFlag, SubmitSm, TlvTag, Tlvs, Ton, ValidPdu,
};

/// A `message_payload` of `len` octets.
fn payload(len: usize) -> Vec<u8> {
    let value: Vec<u8> = (0..251u8).cycle().take(len).collect();
    tlv(TlvTag::MESSAGE_PAYLOAD, &value)
}

/// A TLV region: empty, small TLVs, large `message_payload`s (the largest
/// a TLV can carry among them), or any octets (mostly not a valid region).
fn region() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(
            [
                tlv(TlvTag::SAR_MSG_REF_NUM, &[0, 7]),
                tlv(TlvTag::SAR_TOTAL_SEGMENTS, &[2])
            ]
            .concat()
        ),
        (0usize..=65535).prop_map(payload),
        Just(payload(65535)),
        Just(
            [
                payload(65535),
                payload(65535),
                tlv(TlvTag::MESSAGE_STATE, &[2])
            ]
            .concat()
        ),
        // A payload whose length says one octet more than is there.
        (1usize..3000).prop_map(|n| {
            let mut t = payload(n);
            t.pop();
            t
        }),
        vec(any::<u8>(), 0..16),
    ]
}

/// C-Octet String octets of up to `max` octets (one more than a field of
/// `max` octets, NUL included, allows), mostly digits, sometimes a NUL.
fn text(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(prop_oneof![40 => b'0'..=b'9', 1 => Just(0u8)], 0..=max)
}

/// A time field: empty, an absolute or relative time, or digits.
fn time() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(b"251231235959004+".to_vec()),
        Just(b"000001000000000R".to_vec()),
        vec(b'0'..=b'9', 0..=17),
    ]
}

/// The owned parts of a `submit_sm` body.
#[derive(Clone, Debug)]
struct Parts {
    deliver: bool,
    text: [Vec<u8>; 3],
    times: [Vec<u8>; 2],
    ints: [u8; 11],
    short_message: Vec<u8>,
    tlvs: Vec<u8>,
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        any::<bool>(),
        (text(6), text(21), text(21)),
        (time(), time()),
        any::<[u8; 11]>(),
        prop_oneof![vec(any::<u8>(), 0..=255), vec(any::<u8>(), 250..=256)],
        region(),
    )
        .prop_map(
            |(deliver, (a, b, c), (s, v), ints, short_message, tlvs)| Parts {
                deliver,
                text: [a, b, c],
                times: [s, v],
                ints,
                short_message,
                tlvs,
            },
        )
}

impl Parts {
    fn pdu(&self) -> Pdu<&[u8]> {
        let i = self.ints;
        let sm = SubmitSm {
            service_type: COctet::new(&self.text[0][..]),
            source_addr_ton: Ton::from(i[0]),
            source_addr_npi: Npi::from(i[1]),
            source_addr: COctet::new(&self.text[1][..]),
            dest_addr_ton: Ton::from(i[2]),
            dest_addr_npi: Npi::from(i[3]),
            destination_addr: COctet::new(&self.text[2][..]),
            esm_class: EsmClass(i[4]),
            protocol_id: i[5],
            priority_flag: PriorityFlag::from(i[6]),
            schedule_delivery_time: COctet::new(&self.times[0][..]),
            validity_period: COctet::new(&self.times[1][..]),
            registered_delivery: RegisteredDelivery(i[7]),
            replace_if_present_flag: ReplaceIfPresentFlag::from(i[8]),
            data_coding: DataCoding::from(i[9]),
            sm_default_msg_id: i[10],
            short_message: &self.short_message[..],
            tlvs: Tlvs::EMPTY.map(|_| &self.tlvs[..]),
        };
        let body = if self.deliver {
            Body::DeliverSm(sm)
        } else {
            Body::SubmitSm(sm)
        };
        Pdu::new(0x7FFF_FFFF, body)
    }
}

/// `ValidPdu::emit` of `valid` agrees with `Pdu::emit` of the same PDU and
/// with the decoder, into an exact buffer, a larger one and one too small.
fn agrees(valid: &ValidPdu<&[u8]>) -> Result<Vec<u8>, TestCaseError> {
    let pdu = *valid.get();
    let len = pdu.encoded_len();
    prop_assert_eq!(valid.encoded_len(), len);
    let mut checked = vec![0u8; len];
    prop_assert_eq!(pdu.emit(&mut checked), Ok(len));
    let mut out = vec![0xEE; len + 8];
    prop_assert_eq!(valid.emit(&mut out), Ok(len));
    prop_assert_eq!(&out[..len], &checked[..]);
    prop_assert!(out[len..].iter().all(|&b| b == 0xEE), "wrote past the PDU");
    let mut exact = vec![0u8; len];
    prop_assert_eq!(valid.emit(&mut exact), Ok(len));
    prop_assert_eq!(&exact, &checked);
    let back = ValidPdu::parse_any(&exact).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, valid);
    let err = valid.emit(&mut exact[..len - 1]).unwrap_err();
    prop_assert_eq!(err.header(), Some(pdu.header()));
    Ok(checked)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// A `submit_sm` or `deliver_sm` is a `ValidPdu` exactly when
    /// `Pdu::emit` accepts it, and then both write the same octets, which
    /// decode back to it.
    #[test]
    fn submit_and_deliver_encode_as_pdu_emit_does(parts in parts()) {
        let pdu = parts.pdu();
        match ValidPdu::new(pdu) {
            Ok(valid) => {
                let octets = agrees(&valid)?;
                prop_assert_eq!(Pdu::parse(&octets), Ok(pdu));
            }
            Err(e) => {
                let mut out = vec![0u8; pdu.encoded_len()];
                prop_assert_eq!(pdu.emit(&mut out), Err(e));
                prop_assert_eq!(pdu.validate(), Err(e));
            }
        }
    }
}

/// The largest `submit_sm` and `deliver_sm`: every field at its maximum, 255
/// octets of short message and TLVs up to what a frame of the default
/// maximum `command_length` holds.
#[test]
fn the_largest_bodies_encode_the_same() {
    let payloads = [payload(65535), payload(65535), payload(65535)].concat();
    for tlvs in [payload(65535), payloads, payload(0), payload(1000)] {
        for deliver in [false, true] {
            let parts = Parts {
                deliver,
                text: [b"12345".to_vec(), vec![b'7'; 20], vec![b'9'; 20]],
                times: [b"251231235959004+".to_vec(), b"000001000000000R".to_vec()],
                ints: [0xFF; 11],
                short_message: vec![0xA5; 255],
                tlvs: tlvs.clone(),
            };
            let pdu = parts.pdu();
            let valid = ValidPdu::new(pdu).unwrap();
            let octets = agrees(&valid).unwrap();
            assert_eq!(Pdu::parse(&octets), Ok(pdu));
            assert_eq!(
                octets.len(),
                16 + 5 + 1 + 2 + 21 + 2 + 21 + 3 + 17 * 2 + 4 + 1 + 255 + tlvs.len()
            );
        }
    }
}

/// A payload TLV that is cut short, or one octet too long, is refused by
/// `ValidPdu::new` as by `Pdu::emit`; with the right length it is kept.
#[test]
fn a_payload_that_breaks_its_region_is_refused() {
    let good = payload(4000);
    let mut short = good.clone();
    short.pop();
    let mut long = good.clone();
    long.push(0);
    for (tlvs, ok) in [(good, true), (short, false), (long, false)] {
        let parts = Parts {
            deliver: false,
            text: [
                Vec::new(),
                b"447700900001".to_vec(),
                b"447700900123".to_vec(),
            ],
            times: [Vec::new(), Vec::new()],
            ints: [0; 11],
            short_message: Vec::new(),
            tlvs,
        };
        let pdu = parts.pdu();
        assert_eq!(ValidPdu::new(pdu).is_ok(), ok);
        let mut out = vec![0u8; pdu.encoded_len()];
        assert_eq!(pdu.emit(&mut out).is_ok(), ok);
    }
}

/// Every golden vector, decoded as a `ValidPdu`, encodes to its octets, as
/// the same PDU checked once with `ValidPdu::new` does.
#[test]
fn every_vector_encodes_to_its_octets() {
    let vectors = common::vectors();
    assert!(vectors.len() >= 39);
    for (name, frame) in vectors {
        let decoded = ValidPdu::parse_any(&frame).unwrap();
        let made = ValidPdu::new(*decoded.get()).unwrap();
        assert_eq!(made, decoded, "{name}");
        let mut out = vec![0u8; frame.len()];
        assert_eq!(decoded.emit(&mut out), Ok(frame.len()), "{name}");
        assert_eq!(out, frame, "{name}");
        out.fill(0);
        assert_eq!(made.emit(&mut out), Ok(frame.len()), "{name}");
        assert_eq!(out, frame, "{name}");
        let short = decoded.emit(&mut out[..frame.len() - 1]).unwrap_err();
        assert_eq!(short.header(), Some(decoded.header()), "{name}");
    }
}

/// `map` checks the PDU again with the octets `f` gave back: other octets
/// of a valid length make a valid PDU with its own `command_length`; an
/// address longer than `source_addr` allows, or one with a NUL inside, is
/// refused there, so that `emit` never writes it.
#[test]
fn map_checks_the_octets_it_is_given_back() {
    let source: &[u8] = b"447700900001";
    let parts = Parts {
        deliver: false,
        text: [Vec::new(), source.to_vec(), b"447700900123".to_vec()],
        times: [Vec::new(), Vec::new()],
        ints: [1; 11],
        short_message: vec![b'x'; 160],
        tlvs: Vec::new(),
    };
    let valid = ValidPdu::new(parts.pdu()).unwrap();
    let swap = |to: &'static [u8]| valid.map(move |s| if s == source { to } else { s });
    for to in [&b""[..], b"4477", b"44770090000123456789"] {
        let mapped = swap(to).unwrap_or_else(|e| panic!("{to:?}: {e}"));
        assert_eq!(
            mapped.encoded_len(),
            valid.encoded_len() + to.len() - source.len()
        );
        let mut by_valid = vec![0; mapped.encoded_len()];
        let mut by_pdu = by_valid.clone();
        assert_eq!(mapped.emit(&mut by_valid), Ok(by_valid.len()), "{to:?}");
        assert_eq!(mapped.get().emit(&mut by_pdu), Ok(by_pdu.len()), "{to:?}");
        assert_eq!(by_valid, by_pdu, "{to:?}");
        assert_eq!(
            ValidPdu::parse(&by_valid).unwrap().get(),
            mapped.get(),
            "{to:?}"
        );
    }
    for to in [&b"447700900012345678901"[..], b"4477\x00009000"] {
        let error = swap(to).err().unwrap_or_else(|| panic!("{to:?} was taken"));
        assert!(error.to_string().contains("source_addr"), "{to:?}: {error}");
    }
}
