//! Runs the `smppdump` binary for the tests and reads what it prints;
//! the octets of the PDUs the tests build.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
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

/// Standard output as text.
pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The lines of standard output.
pub(crate) fn lines(out: &Output) -> Vec<String> {
    stdout(out).lines().map(str::to_owned).collect()
}

/// The JSON objects of standard output, one per line.
pub(crate) fn objects(out: &Output) -> Vec<Value> {
    lines(out)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The keys of a JSON object, in order.
pub(crate) fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Runs `smppdump --encode` on one JSON line.
pub(crate) fn encode(json: &str) -> Output {
    run(&["--encode"], format!("{json}\n"))
}

/// The hex of one JSON line, which must encode.
pub(crate) fn encoded(json: &str) -> String {
    let out = encode(json);
    assert_eq!(out.status.code(), Some(0), "{json}: {:?}", lines(&out));
    lines(&out)[0].clone()
}

/// The JSON object of one hex line (or the error object when it fails).
pub(crate) fn decode(hex: &str) -> Value {
    objects(&run(&[], format!("{hex}\n")))[0].clone()
}

/// A directory `name` of this test binary's scratch space, created.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fixed xorshift stream from `state`: the same cases on every run.
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
