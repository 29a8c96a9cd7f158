//! `smppdump`: SMPP PDUs between hex and JSON.
//!
//! ```text
//! smppdump [--encode] [--pretty] [FILE...]
//! ```
//!
//! Reads FILEs (or standard input when none, or for `-`) line by line.
//!
//! - Default: each line is one PDU in hex (spaces and colons between octets
//!   are allowed; `#` starts a comment; blank lines are skipped). Each PDU
//!   is printed as one JSON object on one line, in the shape of the
//!   `serde` support of `smpp-core` (`command`, `command_id`,
//!   `command_status`, `sequence_number`, `body`, `tlvs`). A body kept as
//!   octets is printed as `body_hex`, with `body` `null`: that of a
//!   `command_id` the specification does not define (a vendor PDU, whose
//!   `command` is `null` too) and that of an error response whose body
//!   does not follow the layout.
//! - `--encode`: each line is such a JSON object; the PDU is printed as
//!   lowercase hex. Derived lengths may be left out; a `content` key is
//!   ignored.
//! - `--pretty`: a readable multi-line form instead of JSON, `content`
//!   included.
//!
//! `submit_sm`, `submit_multi`, `deliver_sm`, `data_sm`, `replace_sm` and
//! `broadcast_sm` also get a top-level `content` object: what the text
//! tools of `smpp-core` make of the user data (`short_message`, or
//! `message_payload` when `short_message` is empty). Its keys appear only
//! when they apply:
//!
//! - `udh`: the user data header's elements, `[{"iei":N,"hex":"..."}]`
//!   (when `esm_class` has UDHI, 0x40).
//! - `concat`: `{"ref":N,"total":N,"seq":N}` from a concatenation element
//!   (0x00, 0x08), else from the `sar_*` TLVs.
//! - `port`: `{"dest":N,"src":N}` from a port element (0x04, 0x05), else
//!   from the `destination_port`/`source_port` TLVs.
//! - `text`: the text after the header, decoded by `data_coding` and the
//!   national language shift elements (0x24, 0x25). `data_coding` 0 is GSM
//!   7-bit unpacked, one septet per octet, as SMPP carries it (not ASCII,
//!   not packed). Absent for binary data and alphabets without a decoder
//!   (JIS, ISO-8859-5/8, KS C 5601, compressed...).
//! - `receipt`: for `deliver_sm`/`data_sm` delivery receipts (`esm_class`
//!   message type 0x04 or 0x20; 0x08 and 0x10 when they parse as one):
//!   `id`, `sub`, `dlvrd`, `submit_date`, `done_date`, `stat`, `err`, `text`
//!   as written in the receipt (`null` when missing), then the TLVs
//!   `receipted_message_id`, `message_state`, `network_error_code` when
//!   present, then `message_id` and `state` (the TLV's value where there is
//!   one, else the text's).
//! - `error`: what could not be understood (a bad header, undecodable
//!   text, a receipt type without a receipt); the PDU itself decoded, so
//!   this does not fail the line.
//!
//! `replace_sm` has no `esm_class` or `data_coding` (the MC keeps the
//! replaced message's), so its user data is read as `data_coding` 0 without
//! a header; `broadcast_sm` has no `esm_class`, so no header is looked for.
//!
//! A line that fails prints `{"line":N,"error":"...","command_status":S}`
//! and the tool goes on. S is the status a peer would answer with (also for
//! `--encode` input that breaks a field rule, such as a `source_addr` of 25
//! characters: 10, `ESME_RINVSRCADR`), or `null` when the line is not a PDU
//! at all: bad hex, bad JSON, a line that is not UTF-8. `N` counts the lines
//! of each input from 1 (blank and comment lines included); with several
//! inputs the object starts with `"file":"NAME"` (`-` for standard input).
//! Lines end at `\n`; a `\r` before it is dropped.
//!
//! A line longer than 4 MiB (far more than the largest PDU takes) fails
//! with `"error":"line longer than 4194304 octets"` without being read into
//! memory.
//!
//! Exit code: 0 if every line succeeded, 1 if any failed, 2 for usage or I/O
//! errors (a file that cannot be opened or read).
//!
//! The JSON shape is documented in the `serde` module of `smpp-core`
//! (`smpp_core::serde`).

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use serde_json::{Value, json};

mod content;

const USAGE: &str = "usage: smppdump [--encode] [--pretty] [FILE...]\n\
    Decodes hex PDUs (one per line) to JSON, or JSON to hex with --encode.\n\
    Messages (submit_sm, submit_multi, deliver_sm, data_sm, replace_sm,\n\
    broadcast_sm) also get a derived \"content\" object: udh, concat, port, text,\n\
    receipt, error.\n\
    --encode ignores \"content\".\n\
    A failed line prints {\"line\":N,\"error\":...,\"command_status\":S} (with \"file\"\n\
    first when several FILEs are given) and the rest goes on.\n\
    Exit code: 0 every line succeeded, 1 a line failed, 2 usage or I/O error.\n";

struct Options {
    encode: bool,
    pretty: bool,
    files: Vec<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        encode: false,
        pretty: false,
        files: Vec::new(),
    };
    let mut only_files = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            _ if only_files => opts.files.push(arg),
            "--" => only_files = true,
            "--encode" | "-e" => opts.encode = true,
            "--pretty" | "-p" => opts.pretty = true,
            "--help" | "-h" => return Err(String::new()),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
            _ => opts.files.push(arg),
        }
    }
    Ok(opts)
}

/// Decodes a hex line: octets as hex digit pairs, optionally separated by
/// spaces, tabs or colons.
fn parse_hex(line: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = line
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'\t' | b':'))
        .collect();
    if let Some(bad) = digits.iter().find(|b| !b.is_ascii_hexdigit()) {
        return Err(format!("not hex: {:?}", char::from(*bad)));
    }
    if !digits.len().is_multiple_of(2) {
        return Err("odd number of hex digits".into());
    }
    Ok(digits
        .chunks_exact(2)
        .filter_map(|p| u8::from_str_radix(core::str::from_utf8(p).ok()?, 16).ok())
        .collect())
}

fn to_hex(bytes: &[u8]) -> String {
    use core::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The outcome of one input line.
enum Outcome {
    Pdu(Value),
    Hex(String),
    Failed {
        error: String,
        command_status: Option<u32>,
    },
}

fn decode_line(line: &str) -> Outcome {
    let bytes = match parse_hex(line) {
        Ok(b) => b,
        Err(error) => {
            return Outcome::Failed {
                error,
                command_status: None,
            };
        }
    };
    // An unknown command_id (a vendor PDU) keeps its body as `body_hex`,
    // which --encode takes back.
    let result = smpp_core::Pdu::parse_any(&bytes)
        .map_err(|e| (e.to_string(), Some(e.command_status().0)))
        .and_then(|pdu| {
            let mut v = serde_json::to_value(pdu).map_err(|e| (e.to_string(), None))?;
            if let (Value::Object(obj), Some(content)) = (&mut v, content::content(&pdu)) {
                obj.insert("content".into(), content);
            }
            Ok(v)
        });
    match result {
        Ok(v) => Outcome::Pdu(v),
        Err((error, command_status)) => Outcome::Failed {
            error,
            command_status,
        },
    }
}

fn encode_line(line: &str) -> Outcome {
    // Two steps, so that a PDU breaking a field rule keeps its typed error
    // and the status a peer would answer.
    let wire: smpp_core::serde::PduWire = match serde_json::from_str(line) {
        Ok(w) => w,
        Err(e) => {
            return Outcome::Failed {
                error: e.to_string(),
                command_status: None,
            };
        }
    };
    let result = wire.parse().and_then(|pdu| {
        let mut out = vec![0u8; pdu.encoded_len()];
        let n = pdu.emit(&mut out)?;
        Ok(to_hex(out.get(..n).unwrap_or_default()))
    });
    match result {
        Ok(hex) => Outcome::Hex(hex),
        Err(e) => Outcome::Failed {
            error: e.to_string(),
            command_status: Some(e.command_status().0),
        },
    }
}

/// The readable form of a decoded PDU.
fn pretty(v: &Value, out: &mut String) {
    use core::fmt::Write as _;
    let status = v["command_status"].as_u64().unwrap_or(0);
    let status_name = u32::try_from(status)
        .ok()
        .and_then(|s| smpp_core::CommandStatus(s).name())
        .unwrap_or("?");
    let _ = writeln!(
        out,
        "{} (command_id {:#010x}) sequence_number {} command_status {status_name} ({status:#x})",
        v["command"].as_str().unwrap_or("?"),
        v["command_id"].as_u64().unwrap_or(0),
        v["sequence_number"],
    );
    if let Some(body) = v["body"].as_object() {
        for (k, val) in body {
            match val {
                Value::Array(items) => {
                    let _ = writeln!(out, "  {k}:");
                    for item in items {
                        let _ = writeln!(out, "    - {}", inline(item));
                    }
                }
                other => {
                    let _ = writeln!(out, "  {k}: {}", inline(other));
                }
            }
        }
    }
    if let Some(hex) = v["body_hex"].as_str() {
        // A body kept as octets: an unknown command_id, or an error
        // response whose body does not follow the layout.
        let _ = writeln!(out, "  body_hex: {hex}");
    }
    for tlv in v["tlvs"].as_array().into_iter().flatten() {
        let tag = tlv["tag"].as_u64().unwrap_or(0);
        let name = tlv["name"].as_str().unwrap_or("(unknown)");
        let hex = tlv["hex"].as_str().unwrap_or("");
        match tlv.get("value") {
            Some(value) => {
                let _ = writeln!(out, "  tlv {name} ({tag:#06x}) = {} [{hex}]", inline(value));
            }
            None => {
                let _ = writeln!(out, "  tlv {name} ({tag:#06x}) [{hex}]");
            }
        }
    }
    if let Some(content) = v.get("content") {
        pretty_content(content, out);
    }
}

/// The readable form of the `content` object.
fn pretty_content(content: &Value, out: &mut String) {
    use core::fmt::Write as _;
    let Some(content) = content.as_object() else {
        return;
    };
    let _ = writeln!(out, "  content:");
    for (k, val) in content {
        match (k.as_str(), val) {
            ("udh", Value::Array(ies)) => {
                let _ = writeln!(out, "    udh:");
                for ie in ies {
                    let iei = ie["iei"].as_u64().unwrap_or(0);
                    let hex = ie["hex"].as_str().unwrap_or("");
                    let _ = writeln!(out, "      - iei {iei:#04x} [{hex}]");
                }
            }
            ("receipt", Value::Object(fields)) => {
                let _ = writeln!(out, "    receipt:");
                for (name, v) in fields {
                    let _ = writeln!(out, "      {name}: {}", inline(v));
                }
            }
            _ => {
                let _ = writeln!(out, "    {k}: {}", inline(val));
            }
        }
    }
}

fn inline(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", inline(v)))
                .collect();
            parts.join(", ")
        }
        other => other.to_string(),
    }
}

/// One input line without its line ending (`\n` or `\r\n`), as text;
/// `Err` describes a line that is not UTF-8.
fn line_text(raw: &[u8]) -> Result<&str, String> {
    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    core::str::from_utf8(raw).map_err(|e| {
        format!(
            "not UTF-8: invalid octet {:#04x} at octet {}",
            raw.get(e.valid_up_to()).copied().unwrap_or(0),
            e.valid_up_to() + 1
        )
    })
}

/// Where a failed line came from: its file (only when several inputs are
/// given) and its number within that file.
struct Place<'a> {
    file: Option<&'a str>,
    line: usize,
}

fn report(
    out: &mut impl Write,
    opts: &Options,
    place: &Place<'_>,
    error: &str,
    command_status: Option<u32>,
) -> io::Result<()> {
    if opts.pretty {
        let status = command_status.map_or("none".into(), |s| format!("{s:#x}"));
        let at = match place.file {
            Some(file) => format!("{file}:{}", place.line),
            None => format!("line {}", place.line),
        };
        writeln!(out, "{at}: error: {error} (command_status {status})")
    } else {
        let mut obj = serde_json::Map::new();
        if let Some(file) = place.file {
            obj.insert("file".into(), json!(file));
        }
        obj.insert("line".into(), json!(place.line));
        obj.insert("error".into(), json!(error));
        obj.insert("command_status".into(), json!(command_status));
        writeln!(out, "{}", Value::Object(obj))
    }
}

/// Handles one line; false if it failed.
fn handle_line(
    out: &mut impl Write,
    opts: &Options,
    place: &Place<'_>,
    raw: &[u8],
) -> io::Result<bool> {
    let line = match line_text(raw) {
        Ok(line) => line,
        Err(error) => {
            report(out, opts, place, &error, None)?;
            return Ok(false);
        }
    };
    let text = if opts.encode {
        line.trim()
    } else {
        line.split('#').next().unwrap_or("").trim()
    };
    if text.is_empty() || text.starts_with('#') {
        return Ok(true);
    }
    let outcome = if opts.encode {
        encode_line(text)
    } else {
        decode_line(text)
    };
    match outcome {
        Outcome::Pdu(v) if opts.pretty => {
            let mut s = String::new();
            pretty(&v, &mut s);
            write!(out, "{s}")?;
        }
        Outcome::Pdu(v) => writeln!(out, "{v}")?,
        Outcome::Hex(h) => writeln!(out, "{h}")?,
        Outcome::Failed {
            error,
            command_status,
        } => {
            report(out, opts, place, &error, command_status)?;
            return Ok(false);
        }
    }
    Ok(true)
}

/// The longest input line read: far more than the JSON or hex of the
/// largest PDU a decoder accepts (a 64 KiB `message_payload`).
const MAX_LINE: usize = 4 << 20;

/// Reads the next line into `raw` (empty); `None` at the end of the input,
/// `Some(false)` for a line of more than [`MAX_LINE`] octets before its
/// `\n`, whose rest is skipped without being kept in memory.
fn read_line<R: BufRead + ?Sized>(reader: &mut R, raw: &mut Vec<u8>) -> io::Result<Option<bool>> {
    // The line's octets and its `\n`.
    let limit = u64::try_from(MAX_LINE + 1).unwrap_or(u64::MAX);
    if io::Read::take(&mut *reader, limit).read_until(b'\n', raw)? == 0 {
        return Ok(None);
    }
    if raw.len() <= MAX_LINE || raw.ends_with(b"\n") {
        return Ok(Some(true));
    }
    // Too long: drop what was read and skip to the end of the line.
    raw.clear();
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(Some(false));
        }
        let (used, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        reader.consume(used);
        if done {
            return Ok(Some(false));
        }
    }
}

fn run(opts: &Options) -> io::Result<bool> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut all_ok = true;
    let inputs: Vec<String> = if opts.files.is_empty() {
        vec!["-".into()]
    } else {
        opts.files.clone()
    };
    let several = inputs.len() > 1;
    for name in &inputs {
        let mut reader: Box<dyn BufRead> = if name == "-" {
            Box::new(io::BufReader::new(io::stdin()))
        } else {
            Box::new(io::BufReader::new(
                std::fs::File::open(name)
                    .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?,
            ))
        };
        let mut raw = Vec::new();
        let mut line = 0;
        loop {
            raw.clear();
            let Some(whole) = read_line(&mut reader, &mut raw)? else {
                break;
            };
            line += 1;
            let place = Place {
                file: several.then_some(name.as_str()),
                line,
            };
            if whole {
                all_ok &= handle_line(&mut out, opts, &place, &raw)?;
            } else {
                let error = format!("line longer than {MAX_LINE} octets");
                report(&mut out, opts, &place, &error, None)?;
                all_ok = false;
            }
        }
    }
    out.flush()?;
    Ok(all_ok)
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            if msg.is_empty() {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprint!("smppdump: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("smppdump: {e}");
            ExitCode::from(2)
        }
    }
}
