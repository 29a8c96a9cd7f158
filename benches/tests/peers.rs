//! Every peer decodes every benchmark input to the same fields as
//! smpp-core, and re-encodes it to the same octets, so each is measured
//! doing the same work.

#[path = "../benches/peers/mod.rs"]
mod peers;

use peers::{Summary, ours, rusmpp_borrowed, rusmpp_owned, smpp_codec, smpp34};
use smpp_benches::{GSM_TEXT_160, Inputs};

#[test]
fn our_summaries_hold_the_expected_fields() {
    let inputs = Inputs::new();
    let s = ours(&inputs.submit_sm);
    assert_eq!(s.short_message, GSM_TEXT_160.as_bytes());
    assert_eq!(s.short_message.len(), 160);
    assert_eq!(s.destination_addr, b"447700900123");
    let s = ours(&inputs.submit_sm_sar);
    assert_eq!(
        s.tlvs.iter().map(|t| t.0).collect::<Vec<_>>(),
        [0x020c, 0x020e, 0x020f]
    );
    let s = ours(&inputs.submit_sm_payload);
    assert_eq!(s.tlvs.len(), 1);
    assert_eq!((s.tlvs[0].0, s.tlvs[0].1.len()), (0x0424, 1000));
    let s = ours(&inputs.deliver_sm_receipt);
    assert!(s.tlvs.iter().any(|t| t.0 == 0x001e));
    assert!(s.tlvs.iter().any(|t| t == &(0x0427, vec![2])));
    assert_eq!(ours(&inputs.submit_sm_resp).message_id, b"94258431594");
    assert_eq!(ours(&inputs.enquire_link).command_id, 0x15);
}

/// A peer's decode, summarized.
type Summarize = fn(&[u8]) -> Summary;

#[test]
fn every_peer_decodes_the_same_fields() {
    let peers: [(&str, Summarize); 4] = [
        ("rusmppz", rusmpp_borrowed::summary),
        ("rusmpp", rusmpp_owned::summary),
        ("smpp34", smpp34::summary),
        ("smpp-codec", smpp_codec::summary),
    ];
    for (name, summarize) in peers {
        for (input, frame) in Inputs::new().named() {
            assert_eq!(summarize(frame), ours(frame), "{name} on {input}");
        }
    }
}

#[test]
fn every_peer_reencodes_the_same_octets() {
    for (input, frame) in Inputs::new().named() {
        let mut out = vec![0u8; 4096];
        let cmd = rusmpp_borrowed::decode(frame).unwrap();
        let n = rusmpp_borrowed::encode(&cmd, &mut out);
        assert_eq!(&out[..n], frame, "rusmppz {input}");
        let cmd = rusmpp_owned::decode(&mut rusmpp_owned::input(frame)).unwrap();
        let n = rusmpp_owned::encode(&cmd, &mut out);
        assert_eq!(&out[..n], frame, "rusmpp {input}");
        let d = smpp34::decode(frame).unwrap();
        assert_eq!(smpp34::encode(d), frame, "smpp34 {input}");
        let d = smpp_codec::decode(frame).unwrap();
        let mut v = Vec::new();
        smpp_codec::encode(&d, &mut v);
        assert_eq!(v, frame, "smpp-codec {input}");
    }
}
