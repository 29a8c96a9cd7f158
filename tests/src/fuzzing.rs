//! Fuzzing oracles: one function per fuzz target, each taking the raw input
//! and panicking when a property breaks.
//!
//! The cargo-fuzz targets in `fuzz/fuzz_targets/` call these, and the stable
//! test `tests/fuzz_corpus.rs` replays every corpus and regression file
//! through them, so CI without nightly still checks what fuzzing found.

use core::panic::AssertUnwindSafe;
use std::panic::catch_unwind;
use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};

mod driver;
mod reassembly;
mod receipt;
mod session;
mod session_seeds;
mod stream;
mod text;
mod time;

pub use driver::{session_driver, session_driver_seeds, session_driver_with};
pub use reassembly::{
    ReassemblyOp, ReassemblyScript, ReassemblySummary, reassembly, reassembly_seeds,
    reassembly_summary,
};
pub use receipt::receipt;
pub use session::{
    SessionOp, SessionScript, SessionSummary, app_request, event_kind, peer_request, session,
    session_summary,
};
pub use session_seeds::session_seeds;
pub use stream::{ChunkedStream, frame_decoder};
pub use text::{gsm7, udh};
pub use time::smpp_time;

use smpp_core::{
    Body, CommandId, CommandStatus, DEFAULT_MAX_COMMAND_LENGTH, Error, ErrorKind, Header, Pdu,
    TlvBuf, TlvValue, Tlvs, ValidPdu,
};

use crate::testdata::is_cstr_value;

/// The octets of a script, read one field at a time: a missing octet reads
/// as 0, a missing run as what is left.
struct Octets<'a>(&'a [u8]);

impl<'a> Octets<'a> {
    fn octet(&mut self) -> u8 {
        let (&b, tail) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = tail;
        b
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (chunk, tail) = self.0.split_at(n.min(self.0.len()));
        self.0 = tail;
        chunk
    }
}

/// The fuzz targets that have an oracle here, by name (the file name under
/// `fuzz/fuzz_targets/` and the folder name under `fuzz/corpus/`).
pub const TARGETS: &[&str] = &[
    "frame_len",
    "pdu_parse",
    "tlvs",
    "roundtrip",
    "frame_decoder",
    "smpp_time",
    "receipt",
    "udh",
    "gsm7",
    "session",
    "reassembly",
    "session_driver",
];

/// Runs the oracle of `target` on `data`. Returns `false` for an unknown
/// target name.
///
/// # Panics
///
/// When the oracle finds a broken property.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "frame_len" => frame_len(data),
        "pdu_parse" => pdu_parse(data),
        "tlvs" => tlvs(data),
        "roundtrip" => roundtrip(data),
        "frame_decoder" => frame_decoder(data),
        "smpp_time" => smpp_time(data),
        "receipt" => receipt(data),
        "udh" => udh(data),
        "gsm7" => gsm7(data),
        "session" => session(data),
        "reassembly" => reassembly(data),
        "session_driver" => session_driver(data),
        _ => return false,
    }
    true
}

/// Framing: `frame_len` agrees with the `command_length` it reads, for
/// several maxima, and every frame it cuts from the input (read as a stream)
/// passes [`pdu_parse`].
///
/// # Panics
///
/// When `frame_len` disagrees with the header or a frame breaks
/// [`pdu_parse`].
pub fn frame_len(data: &[u8]) {
    for max in [DEFAULT_MAX_COMMAND_LENGTH, 4096, 64, 16, u32::MAX] {
        check_frame_len(data, max);
    }
    let mut rest = data;
    while let Ok(Some(n)) = smpp_core::frame_len(rest, DEFAULT_MAX_COMMAND_LENGTH) {
        let (frame, tail) = rest.split_at(n);
        pdu_parse(frame);
        rest = tail;
    }
}

fn check_frame_len(data: &[u8], max: u32) {
    let result = smpp_core::frame_len(data, max);
    let Some(&command_length) = data.first_chunk::<4>() else {
        assert_eq!(result, Ok(None), "fewer than 4 octets");
        return;
    };
    let command_length = u32::from_be_bytes(command_length);
    if !(16..=max).contains(&command_length) {
        let err = result.expect_err("command_length out of range must fail");
        assert!(
            matches!(
                err.kind(),
                ErrorKind::CommandLengthTooShort { .. } | ErrorKind::CommandLengthTooLong { .. }
            ),
            "{err:?}"
        );
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDLEN);
        assert_eq!(err.reply().command_id, CommandId::GENERIC_NACK);
        assert_eq!(err.header(), Header::parse(data).ok());
        return;
    }
    let len = usize::try_from(command_length).expect("u32 fits usize");
    if len <= data.len() {
        assert_eq!(result, Ok(Some(len)));
        // One octet less is never a whole frame.
        assert_eq!(smpp_core::frame_len(&data[..len - 1], max), Ok(None));
    } else {
        assert_eq!(result, Ok(None));
    }
}

/// Decoding: whatever `Pdu::parse` accepts re-encodes to the same octets
/// (also after converting to owned storage, and never into a buffer one
/// octet short); whatever it rejects comes with a consistent error and
/// reply. `Pdu::parse_any` agrees with it, except that it keeps (and
/// re-encodes) a PDU of an unknown `command_id`.
///
/// # Panics
///
/// When a decoded PDU does not re-encode to its input, or an error is
/// inconsistent with the header it carries.
pub fn pdu_parse(data: &[u8]) {
    let any = Pdu::parse_any(data);
    match Pdu::parse(data) {
        Ok(pdu) => {
            check_reencode(&pdu, data);
            assert_eq!(any, Ok(pdu));
        }
        Err(err) => {
            check_error(&err, data);
            if err.kind() == ErrorKind::UnknownCommandId {
                // parse_any keeps it, raw, and it re-encodes.
                let pdu = any.expect("parse_any keeps an unknown command_id");
                assert!(matches!(pdu.body, Body::Raw(_)), "{pdu:?}");
                check_reencode(&pdu, data);
            } else {
                assert_eq!(any, Err(err));
            }
        }
    }
}

fn check_reencode(pdu: &Pdu<&[u8]>, data: &[u8]) {
    assert_eq!(pdu.encoded_len(), data.len(), "{pdu:?}");
    assert_eq!(pdu.header().to_bytes()[..], data[..Header::LEN]);
    let body = &data[Header::LEN..];
    if let Body::Raw(raw) = pdu.body {
        assert_eq!(raw.as_bytes(), body);
        // Only an error response or an unknown command_id is kept raw.
        let id = pdu.command_id();
        assert!(
            id.name().is_none() || (id.is_response() && !pdu.command_status.is_ok()),
            "{pdu:?}"
        );
    } else {
        assert_eq!(
            Body::parse_with_status(pdu.command_id(), pdu.command_status, body),
            Ok(pdu.body)
        );
        if pdu.command_status.is_ok() {
            assert_eq!(Body::parse(pdu.command_id(), body), Ok(pdu.body));
        }
    }
    assert_eq!(pdu.validate(), Ok(()));

    let mut out = vec![0u8; data.len()];
    assert_eq!(pdu.emit(&mut out), Ok(data.len()), "{pdu:?}");
    assert_eq!(out, data, "re-encoding differs for {pdu:?}");
    assert!(pdu.emit(&mut out[..data.len() - 1]).is_err());

    let owned = pdu.map(<[u8]>::to_vec);
    out.fill(0);
    assert_eq!(owned.emit(&mut out), Ok(data.len()));
    assert_eq!(out, data, "owned re-encoding differs");

    // Decoded, it is valid, and encodes without its checks to the same
    // octets.
    let valid = ValidPdu::parse_any(data).expect("a decoded PDU decodes as valid");
    assert_eq!(valid.get(), pdu);
    assert_eq!(ValidPdu::new(*pdu), Ok(valid));
    out.fill(0);
    assert_eq!(valid.emit(&mut out), Ok(data.len()), "{pdu:?}");
    assert_eq!(out, data, "valid re-encoding differs for {pdu:?}");
    assert!(valid.emit(&mut out[..data.len() - 1]).is_err());

    if let Some(region) = body_tlvs(&pdu.body) {
        assert!(data.ends_with(region), "TLV region is not the body's tail");
        check_tlv_region(region);
    }
}

fn check_error(err: &Error, data: &[u8]) {
    assert!(!err.to_string().is_empty());
    assert_ne!(err.command_status(), CommandStatus::ESME_ROK, "{err:?}");
    let reply = err.reply();
    assert_eq!(reply.command_status, err.command_status());
    if let Ok(header) = Header::parse(data) {
        assert_eq!(err.header(), Some(header), "{err:?}");
        assert_eq!(reply.sequence_number, header.sequence_number);
        if reply.command_id != CommandId::GENERIC_NACK {
            assert_eq!(reply.command_id, header.command_id.response());
        }
    } else {
        assert!(data.len() < Header::LEN);
        assert_eq!(err.header(), None);
        assert_eq!(reply.command_id, CommandId::GENERIC_NACK);
    }
}

/// The TLV region of any body that has one.
pub fn body_tlvs<'a>(body: &Body<&'a [u8]>) -> Option<&'a [u8]> {
    body.tlvs().map(|t| t.into_inner())
}

/// The TLV region: `Tlvs::parse` then iterate and type every TLV; an
/// accepted region is exactly the concatenation of its TLVs and rebuilds
/// identically through `TlvBuf`.
///
/// # Panics
///
/// When an accepted region does not iterate back to its octets, or a typed
/// accessor disagrees with the value's length.
pub fn tlvs(data: &[u8]) {
    if Tlvs::parse(data).is_ok() {
        check_tlv_region(data);
    }
}

fn check_tlv_region(data: &[u8]) {
    let tlvs = Tlvs::parse(data).expect("caller checked");
    assert_eq!(tlvs.as_bytes(), data);
    let mut rebuilt = Vec::with_capacity(data.len());
    for tlv in &tlvs {
        let len = u16::try_from(tlv.value.len()).expect("TLV lengths are 16 bits");
        rebuilt.extend_from_slice(&tlv.tag.0.to_be_bytes());
        rebuilt.extend_from_slice(&len.to_be_bytes());
        rebuilt.extend_from_slice(tlv.value);
        assert_eq!(tlv.as_u8().is_some(), tlv.value.len() == 1);
        assert_eq!(tlv.as_u16().is_some(), tlv.value.len() == 2);
        assert_eq!(tlv.as_u32().is_some(), tlv.value.len() == 4);
        assert!(tlv.value.starts_with(tlv.as_cstr()));
        // A typed value is lossless: it writes back exactly the wire octets.
        let typed = tlv.typed();
        if !matches!(typed, TlvValue::Unknown(..)) {
            assert_eq!(typed.tag(), tlv.tag);
            let mut value = vec![0; typed.encoded_value_len()];
            assert_eq!(typed.write_value(&mut value), Ok(value.len()));
            if is_cstr_value(&typed) && tlv.value.last() != Some(&0) {
                // The documented canonical form: a C-Octet String TLV sent
                // without its NUL gains the NUL, nothing else changes.
                assert_eq!(value.split_last(), Some((&0, tlv.value)), "{typed:?}");
            } else {
                assert_eq!(
                    value, tlv.value,
                    "typed {:?} re-encodes differently",
                    tlv.tag
                );
            }
        }
        let first = tlvs.get(tlv.tag).expect("a tag seen is found");
        assert_eq!(Some(first), tlvs.get_all(tlv.tag).next());
        let _ = format!("{tlv:?}");
    }
    assert_eq!(rebuilt, data);

    if data.len() <= 4096 {
        let mut buf = TlvBuf::<4096>::new();
        for tlv in &tlvs {
            buf.push_tlv(tlv).expect("a parsed TLV is pushed back");
        }
        assert_eq!(buf.tlvs().as_bytes(), data);
    }
}

/// Round trip: a PDU generated by `Arbitrary` from `data` encodes, decodes
/// (`Pdu::parse_any`) to an equal PDU, and that re-encodes to the same octets.
///
/// # Panics
///
/// When a generated PDU fails to encode or does not decode back equal.
pub fn roundtrip(data: &[u8]) {
    let mut u = Unstructured::new(data);
    if let Ok(pdu) = Pdu::<&[u8]>::arbitrary(&mut u) {
        check_roundtrip(&pdu);
    }
}

/// The round-trip property for one PDU.
///
/// # Panics
///
/// When `pdu` fails to encode or does not decode back equal.
pub fn check_roundtrip(pdu: &Pdu<&[u8]>) {
    let len = pdu.encoded_len();
    let mut buf = vec![0u8; len];
    match pdu.emit(&mut buf) {
        Ok(n) => assert_eq!(n, len),
        Err(e) => panic!("generated PDU does not encode: {e}\n{pdu:?}"),
    }
    let back = Pdu::parse_any(&buf).unwrap_or_else(|e| panic!("does not decode: {e}\n{pdu:?}"));
    assert_eq!(&back, pdu);
    check_reencode(&back, &buf);
}

/// The `fuzz/` folder of the workspace.
pub fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

pub use crate::testdata::vectors as golden_vectors;

/// The files of `fuzz/<kind>/<target>/` (`kind` is `corpus` or
/// `regressions`), sorted; empty if the folder does not exist.
///
/// # Panics
///
/// If the folder exists but cannot be read.
pub fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs the oracle of `target` on each file, catching panics; returns the
/// failures as (file, message).
///
/// # Panics
///
/// If a file cannot be read or `target` has no oracle.
pub fn replay(target: &str, files: &[PathBuf]) -> Vec<(PathBuf, String)> {
    let mut failures = Vec::new();
    for file in files {
        let data = std::fs::read(file).expect("readable input");
        let outcome = catch_unwind(AssertUnwindSafe(|| run(target, &data)));
        match outcome {
            Ok(known) => assert!(known, "no oracle for target {target}"),
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                failures.push((file.clone(), msg));
            }
        }
    }
    failures
}
