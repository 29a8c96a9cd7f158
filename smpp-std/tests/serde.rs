//! The derived `serde` form of the owned PDUs: every golden vector through
//! JSON and back to the same octets on `Bytes`.
#![cfg(feature = "serde")]

mod common;

use bytes::Bytes;
use smpp_std::{Pdu, parse_owned};

#[test]
fn every_vector_round_trips_through_json() {
    for (name, bytes) in common::vectors() {
        let pdu = parse_owned(&Bytes::from(bytes.clone())).unwrap();
        let json = serde_json::to_string(&pdu).unwrap();
        let back: Pdu =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}\n{json}"));
        assert_eq!(back, pdu, "{name}");
        let mut out = vec![0u8; back.encoded_len()];
        assert_eq!(back.emit(&mut out), Ok(bytes.len()), "{name}");
        assert_eq!(out, bytes, "{name}");
    }
}
