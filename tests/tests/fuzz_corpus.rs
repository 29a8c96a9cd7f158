//! Replays every fuzz corpus and regression file through the same oracles
//! the fuzz targets use, on stable; checks the seed corpora match the golden
//! vectors; and checks the `Arbitrary` PDUs cover every command.

use std::collections::BTreeSet;
use std::path::PathBuf;

use arbitrary::{Arbitrary, Unstructured};
use smpp_core::receipt::DeliveryReceipt;
use smpp_core::session::SessionState;
use smpp_core::text::OnUnmappable;
use smpp_core::text::dcs::{Alphabet, DataCoding};
use smpp_core::text::gsm7::{self, Language, Tables};
use smpp_core::{Body, COctet, CommandId, EsmClass, Header, Pdu, TlvTag, Tlvs};
use smpp_tests::fuzzing::{
    self, ChunkedStream, ReassemblyOp, ReassemblyScript, SessionOp, SessionScript, TARGETS,
};

#[test]
fn every_corpus_and_regression_file_passes_its_oracle() {
    let mut replayed = 0;
    let mut failures = Vec::new();
    for target in TARGETS {
        for kind in ["corpus", "regressions"] {
            let files = fuzzing::inputs(kind, target);
            replayed += files.len();
            failures.extend(fuzzing::replay(target, &files));
        }
    }
    assert!(failures.is_empty(), "oracle failures: {failures:#?}");
    let vectors = fuzzing::golden_vectors().len();
    assert!(
        replayed >= 3 * vectors,
        "only {replayed} inputs replayed for {vectors} golden vectors"
    );
}

#[test]
fn every_fuzz_target_has_an_oracle_and_a_seed_corpus() {
    let targets: BTreeSet<String> = std::fs::read_dir(fuzzing::fuzz_dir().join("fuzz_targets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect();
    let known: BTreeSet<String> = TARGETS.iter().map(|&t| t.to_owned()).collect();
    assert_eq!(targets, known);
    for target in TARGETS {
        assert!(
            !fuzzing::inputs("corpus", target).is_empty(),
            "fuzz/corpus/{target} is empty"
        );
    }
}

/// The message of a body that carries one: `esm_class`, `data_coding` and
/// the user data (`short_message`, or `message_payload` when that is empty).
fn message<'a>(body: &Body<&'a [u8]>) -> Option<(EsmClass, u8, &'a [u8])> {
    let payload = |sm: &'a [u8], tlvs: &Tlvs<&'a [u8]>| {
        let raw: &'a [u8] = tlvs.into_inner();
        let tlvs = Tlvs::parse(raw).unwrap();
        // The value as a slice of the region, which outlives the view.
        let payload = tlvs.get(TlvTag::MESSAGE_PAYLOAD).map(|t| {
            let start = t.value.as_ptr().addr() - raw.as_ptr().addr();
            &raw[start..start + t.value.len()]
        });
        if sm.is_empty() {
            payload.unwrap_or_default()
        } else {
            sm
        }
    };
    match body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => Some((
            b.esm_class,
            b.data_coding.0,
            payload(b.short_message, &b.tlvs),
        )),
        Body::SubmitMulti(b) => Some((
            b.esm_class,
            b.data_coding.0,
            payload(b.short_message, &b.tlvs),
        )),
        Body::DataSm(b) => Some((b.esm_class, b.data_coding.0, payload(&[], &b.tlvs))),
        _ => None,
    }
    .filter(|(_, _, m)| !m.is_empty())
}

/// The time fields of a body, by field name, when not empty.
fn times<'a>(body: &Body<&'a [u8]>) -> Vec<(&'static str, &'a [u8])> {
    let sm = |schedule, validity| {
        vec![
            ("schedule_delivery_time", schedule),
            ("validity_period", validity),
        ]
    };
    let fields: Vec<(&str, &COctet<&'a [u8]>)> = match body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => sm(&b.schedule_delivery_time, &b.validity_period),
        Body::SubmitMulti(b) => sm(&b.schedule_delivery_time, &b.validity_period),
        Body::ReplaceSm(b) => sm(&b.schedule_delivery_time, &b.validity_period),
        Body::BroadcastSm(b) => sm(&b.schedule_delivery_time, &b.validity_period),
        Body::QuerySmResp(Some(b)) => vec![("final_date", &b.final_date)],
        _ => vec![],
    };
    fields
        .into_iter()
        .map(|(name, value)| (name, value.into_inner()))
        .map(|(name, value)| (name, value.strip_suffix(&[0]).unwrap_or(value)))
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// Seeds written by hand for the text targets: forms the golden vectors do
/// not carry (`target`, file name, octets).
fn handmade_seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut out: Vec<(&str, &str, Vec<u8>)> = vec![
        ("smpp_time", "absolute_behind", b"240229235959948-".to_vec()),
        ("smpp_time", "relative_field_nul", b"991231235959000R\0".to_vec()),
        (
            "receipt",
            "upper_case_reordered_seconds",
            b"STAT:UNDELIV ERR:012 ID:12345 SUBMIT_DATE:230101120030 DONE_DATE:230101120145 TEXT:hi"
                .to_vec(),
        ),
        ("udh", "concat8", b"\x05\x00\x03\x2a\x02\x01hi".to_vec()),
        (
            "udh",
            "concat16_ports_shifts",
            vec![
                0x10, 0x08, 0x04, 0x12, 0x34, 0x03, 0x02, 0x04, 0x02, 0x10, 0x20, 0x24, 0x01, 0x01,
                0x25, 0x01, 0x03, b'x',
            ],
        ),
    ];
    // GSM 7-bit after an 8-bit concatenation header (6 octets: 1 fill bit),
    // with the Turkish tables.
    let mut packed = vec![1, 0x11];
    let mut septets = [0u8; 32];
    let tables = Tables::new(Language::Turkish, Language::Turkish).unwrap();
    let n =
        gsm7::encode_unpacked("İstanbul {ğ} €", tables, OnUnmappable::Error, &mut septets).unwrap();
    let mut buf = [0u8; 32];
    let m = gsm7::pack(&septets[..n], 1, &mut buf).unwrap();
    packed.extend_from_slice(&buf[..m]);
    out.push(("gsm7", "turkish_after_udh", packed));
    out
}

/// The seed file for a golden vector, and the octets it must hold.
fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let corpus = fuzzing::fuzz_dir().join("corpus");
    let mut out = Vec::new();
    let mut stream = Vec::new();
    let vectors = fuzzing::golden_vectors();
    let mut udh_messages = Vec::new();
    for (name, bytes) in vectors.clone() {
        for target in ["pdu_parse", "frame_len", "roundtrip"] {
            out.push((corpus.join(target).join(&name), bytes.clone()));
        }
        let pdu = Pdu::parse(&bytes).unwrap();
        if let Some(region) = fuzzing::body_tlvs(&pdu.body).filter(|r| !r.is_empty()) {
            out.push((corpus.join("tlvs").join(&name), region.to_vec()));
        }
        for (field, value) in times(&pdu.body) {
            let file = format!("{name}__{field}");
            out.push((corpus.join("smpp_time").join(file), value.to_vec()));
        }
        if let Some((esm_class, data_coding, message)) = message(&pdu.body) {
            let target = if esm_class.udhi() {
                Some("udh")
            } else if DeliveryReceipt::parse(message).is_ok() {
                Some("receipt")
            } else {
                None
            };
            if let Some(target) = target {
                out.push((corpus.join(target).join(&name), message.to_vec()));
            }
            if esm_class.udhi() {
                udh_messages.push((name.clone(), message.to_vec()));
            }
            if let Some(seed) = gsm7_seed(esm_class, data_coding, message) {
                out.push((corpus.join("gsm7").join(&name), seed));
            }
        }
        stream.extend_from_slice(&bytes);
    }
    for (file, bytes) in fuzzing::session_driver_seeds() {
        out.push((corpus.join("session_driver").join(file), bytes));
    }
    for (target, file, bytes) in handmade_seeds() {
        out.push((corpus.join(target).join(file), bytes));
    }
    let chunked: Vec<usize> = (1..=31).map(|i| (i * 7) % 64 + 1).collect();
    out.push((
        corpus.join("frame_decoder").join("all_vectors_stream"),
        ChunkedStream::encode(&[], &stream),
    ));
    out.push((
        corpus
            .join("frame_decoder")
            .join("all_vectors_stream_chunked"),
        ChunkedStream::encode(&chunked, &stream),
    ));
    out.push((corpus.join("frame_len").join("all_vectors_stream"), stream));
    for (name, script) in fuzzing::session_seeds(&vectors) {
        out.push((corpus.join("session").join(name), script.encode()));
    }
    for (name, script) in reassembly_seeds(&udh_messages) {
        out.push((corpus.join("reassembly").join(name), script));
    }
    out
}

/// The `reassembly` seeds, encoded: the scripted cases and each message of
/// the golden vectors with a user data header as a raw part.
fn reassembly_seeds(udh_messages: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let borrowed: Vec<(String, &[u8])> = udh_messages
        .iter()
        .map(|(name, m)| (name.clone(), &m[..]))
        .collect();
    fuzzing::reassembly_seeds(&borrowed)
        .into_iter()
        .map(|(name, script)| (name, script.encode()))
        .collect()
}

/// The `gsm7` seed of a message without a user data header: GSM 7-bit text
/// packed (fill 0, default tables), UCS-2 text as it is.
fn gsm7_seed(esm_class: EsmClass, data_coding: u8, message: &[u8]) -> Option<Vec<u8>> {
    if esm_class.udhi() {
        return None;
    }
    let mut seed = vec![0, 0];
    match DataCoding(data_coding).alphabet() {
        Alphabet::McDefault | Alphabet::Gsm7 if message.iter().all(|&b| b < 0x80) => {
            let mut packed = vec![0u8; message.len()];
            let n = gsm7::pack(message, 0, &mut packed).unwrap();
            seed.extend_from_slice(&packed[..n]);
        }
        Alphabet::Ucs2 => seed.extend_from_slice(message),
        _ => return None,
    }
    Some(seed)
}

#[test]
fn seed_corpora_hold_the_golden_vectors() {
    let seeds = seeds();
    assert!(seeds.len() > 3 * fuzzing::golden_vectors().len());
    for (path, bytes) in seeds {
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run the ignored test write_seed_corpora)",
                path.display()
            )
        });
        assert_eq!(on_disk, bytes, "{} is stale", path.display());
    }
}

/// Regenerates the seed files: `cargo test -p smpp-tests --test fuzz_corpus
/// -- --ignored write_seed_corpora`.
#[test]
#[ignore = "writes into fuzz/corpus"]
fn write_seed_corpora() {
    for (path, bytes) in seeds() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// A small deterministic generator, so the test needs no randomness crate.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn arbitrary_pdus_round_trip_and_cover_every_command() {
    let mut state = 0x9e37_79b9_7f4a_7c15;
    let mut seen = BTreeSet::new();
    let mut with_tlvs = 0;
    let mut unknown = 0;
    let mut data = vec![0u8; 600];
    for _ in 0..20_000 {
        for chunk in data.chunks_mut(8) {
            let word = xorshift(&mut state).to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        let len = usize::try_from(xorshift(&mut state) % 600).unwrap();
        let input = &data[..len];
        let Ok(pdu) = Pdu::<&[u8]>::arbitrary(&mut Unstructured::new(input)) else {
            continue;
        };
        fuzzing::check_roundtrip(&pdu);
        if pdu.command_id().name().is_some() {
            seen.insert(pdu.command_id().0);
        } else {
            unknown += 1;
        }
        if fuzzing::body_tlvs(&pdu.body).is_some_and(|r| !r.is_empty()) {
            with_tlvs += 1;
        }
    }
    assert_eq!(seen.len(), 33, "commands generated: {seen:x?}");
    // Raw bodies of unknown command_ids, as parse_any keeps them.
    assert!(unknown > 100, "only {unknown} PDUs of unknown command_ids");
    assert!(with_tlvs > 1000, "only {with_tlvs} PDUs with TLVs");
}

#[test]
fn golden_vectors_pass_every_oracle() {
    for (name, bytes) in fuzzing::golden_vectors() {
        for target in TARGETS {
            assert!(fuzzing::run(target, &bytes), "{name}");
        }
        // Every proper prefix fails to decode with a consistent error.
        for cut in 0..bytes.len() {
            fuzzing::pdu_parse(&bytes[..cut]);
            assert!(Pdu::parse(&bytes[..cut]).is_err(), "{name} cut at {cut}");
        }
        assert_eq!(
            Header::parse(&bytes).unwrap().command_length as usize,
            bytes.len()
        );
    }
}

#[test]
fn frame_decoder_seeds_cut_the_stream_as_encoded() {
    let stream: Vec<u8> = fuzzing::golden_vectors()
        .into_iter()
        .flat_map(|(_, v)| v)
        .collect();
    let sizes = [1, 15, 16, 17, 64];
    let encoded = ChunkedStream::encode(&sizes, &stream);
    let input = ChunkedStream::new(&encoded).unwrap();
    let lens: Vec<usize> = input.chunks.iter().map(|c| c.len()).collect();
    assert_eq!(lens[..sizes.len()], sizes);
    assert_eq!(lens.len(), sizes.len() + 1);
    assert_eq!(input.chunks.concat(), stream);
    assert!(!input.interrupted);
    fuzzing::frame_decoder(&encoded);

    // Every chunking of a short stream, interrupted or not, and each maximum.
    let two: Vec<u8> = stream[..64].to_vec();
    for control in 0..=u8::MAX {
        let mut data = vec![control];
        data.extend((0..31u8).map(|i| i.wrapping_mul(control) % 5));
        data.extend_from_slice(&two);
        fuzzing::frame_decoder(&data);
    }
}

#[test]
fn session_scripts_encode_and_parse_back() {
    let vectors = fuzzing::golden_vectors();
    for (name, script) in fuzzing::session_seeds(&vectors) {
        let bytes = script.encode();
        assert_eq!(SessionScript::parse(&bytes), Some(script), "{name}");
    }
    // Unknown operation octets are skipped; missing arguments read as 0.
    let parsed = SessionScript::parse(&[0, 0, 0xEE, 5]).unwrap();
    assert_eq!(parsed.ops, [SessionOp::Respond(0, 0)]);
    assert_eq!(SessionScript::parse(&[0]), None);
}

/// The names of `expected` not in `seen`.
fn unseen<'a>(expected: &[&'a str], seen: &BTreeSet<&str>) -> Vec<&'a str> {
    expected
        .iter()
        .copied()
        .filter(|e| !seen.contains(e))
        .collect()
}

#[test]
fn session_seeds_reach_every_state_and_event() {
    let vectors = fuzzing::golden_vectors();
    let mut states = BTreeSet::new();
    let mut events = BTreeSet::new();
    let mut requests = BTreeSet::new();
    let mut wrapped = false;
    for (name, script) in fuzzing::session_seeds(&vectors) {
        let summary = fuzzing::session_summary(&script.encode()).unwrap();
        let closed = summary.events.iter().any(|e| e.starts_with("Closed"));
        assert!(closed, "{name} never closes");
        states.extend(summary.states);
        events.extend(summary.events);
        requests.extend(summary.requests_sent);
        wrapped |= summary.wrapped;
    }
    let all_states = SessionState::ALL.map(SessionState::name);
    let missing = unseen(&all_states, &states);
    assert!(missing.is_empty(), "states never reached: {missing:?}");
    let expected_events = [
        "BindRequest",
        "BindResult::Ok",
        "BindResult::Refused",
        "Outbind",
        "IncomingRequest",
        "AlertNotification",
        "Response",
        "RequestTimedOut",
        "RequestAbandoned",
        "Unbound",
        "Closed::Unbound",
        "Closed::Inactivity",
        "Closed::ResponseTimeout",
        "Closed::FramingError",
        "Closed::Local",
        "Closed::Disconnected",
        "Closed::WriteTimeout",
        "ProtocolError::Malformed",
        "ProtocolError::NotAllowed",
        "ProtocolError::WindowExceeded",
        "ProtocolError::DuplicateSequenceNumber",
        "ProtocolError::UnexpectedResponse",
        "ProtocolError::MismatchedResponse",
    ];
    let missing = unseen(&expected_events, &events);
    assert!(
        missing.is_empty(),
        "events never seen: {missing:?} (seen {events:?})"
    );
    assert!(wrapped, "no seed wraps the sequence numbers");
    for id in [
        CommandId::ENQUIRE_LINK,
        CommandId::UNBIND,
        CommandId::BIND_TRANSCEIVER,
        CommandId::OUTBIND,
    ] {
        assert!(
            requests.contains(&id.0),
            "no seed makes the engine send {id}"
        );
    }
}

#[test]
fn reassembly_scripts_encode_and_parse_back_and_seeds_reach_every_outcome() {
    let vectors = fuzzing::golden_vectors();
    let udh_messages: Vec<(String, Vec<u8>)> = vectors
        .iter()
        .filter_map(|(name, bytes)| {
            let pdu = Pdu::parse(bytes).ok()?;
            let (esm_class, _, m) = message(&pdu.body)?;
            esm_class.udhi().then(|| (name.clone(), m.to_vec()))
        })
        .collect();
    assert!(!udh_messages.is_empty());
    let borrowed: Vec<(String, &[u8])> = udh_messages
        .iter()
        .map(|(name, m)| (name.clone(), &m[..]))
        .collect();
    let mut outcomes = BTreeSet::new();
    let (mut expired, mut stale, mut completed) = (0, 0, 0);
    for (name, script) in fuzzing::reassembly_seeds(&borrowed) {
        let bytes = script.encode();
        assert_eq!(ReassemblyScript::parse(&bytes), script, "{name}");
        let summary = fuzzing::reassembly_summary(&bytes);
        outcomes.extend(summary.outcomes);
        expired += summary.expired;
        stale += summary.stale_refused;
        completed += summary.completed;
    }
    let all = [
        "Single",
        "Incomplete",
        "Duplicate",
        "Complete",
        "Restarted",
        "InvalidPart",
        "TooManyParts",
        "TotalMismatch",
        "Full",
        "TooLarge",
    ];
    let missing = unseen(&all, &outcomes);
    assert!(missing.is_empty(), "outcomes never seen: {missing:?}");
    assert!(expired >= 2, "{expired} messages expired");
    assert!(stale >= 2, "{stale} stale handles refused");
    assert!(completed >= 4, "{completed} messages completed");
    // Unknown operation octets are skipped; missing arguments read as 0.
    assert_eq!(
        ReassemblyScript::parse(&[6, 7, 2]).ops,
        [ReassemblyOp::Tick(0)]
    );
    assert_eq!(
        ReassemblyScript::parse(&[1, 3, 200, 0x05]).ops,
        [ReassemblyOp::Raw(3, &[0x05])]
    );
}
