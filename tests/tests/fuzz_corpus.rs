//! Replays every fuzz corpus and regression file through the same oracles
//! the fuzz targets use, on stable; checks the seed corpora match the golden
//! vectors; and checks the `Arbitrary` PDUs cover every command.

use std::collections::BTreeSet;
use std::path::PathBuf;

use arbitrary::{Arbitrary, Unstructured};
use smpp_core::{Header, Pdu};
use smpp_tests::fuzzing::{self, TARGETS};

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

/// The seed file for a golden vector, and the octets it must hold.
fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let corpus = fuzzing::fuzz_dir().join("corpus");
    let mut out = Vec::new();
    let mut stream = Vec::new();
    for (name, bytes) in fuzzing::golden_vectors() {
        for target in ["pdu_parse", "frame_len", "roundtrip"] {
            out.push((corpus.join(target).join(&name), bytes.clone()));
        }
        let pdu = Pdu::parse(&bytes).unwrap();
        if let Some(region) = fuzzing::body_tlvs(&pdu.body).filter(|r| !r.is_empty()) {
            out.push((corpus.join("tlvs").join(&name), region.to_vec()));
        }
        stream.extend_from_slice(&bytes);
    }
    out.push((corpus.join("frame_len").join("all_vectors_stream"), stream));
    out
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
