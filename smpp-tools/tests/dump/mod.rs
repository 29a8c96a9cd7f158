//! Runs the `smppdump` binary for the tests and reads what it prints;
//! the octets of the PDUs the tests build.
#![allow(dead_code)]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs `smppdump` with `args`, `input` on its standard input.
pub(crate) fn run(args: &[&str], input: impl AsRef<[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smppdump"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_ref())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `smppdump` as [`run`] does; it must succeed (exit code 0).
pub(crate) fn run_ok(args: &[&str], input: impl AsRef<[u8]>) -> Output {
    let out = run(args, input);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {:?}", lines(&out));
    out
}

/// The octets of a PDU, owned or borrowed: exactly its `encoded_len`.
pub(crate) fn wire<B: AsRef<[u8]>>(pdu: &smpp_core::Pdu<B>) -> Vec<u8> {
    let mut out = vec![0u8; pdu.encoded_len()];
    assert_eq!(pdu.emit(&mut out), Ok(out.len()));
    out
}

/// The lines of standard output.
pub(crate) fn lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The JSON objects of standard output, one per line.
pub(crate) fn objects(out: &Output) -> Vec<Value> {
    lines(out)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}
