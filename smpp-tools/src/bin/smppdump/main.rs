//! `smppdump`: SMPP PDUs between hex, captures and JSON.
//!
//! ```text
//! smppdump [--encode] [--pretty] [--port N]... [FILE...]
//! ```
//!
//! Reads FILEs (or standard input when none, or for `-`). An input whose
//! first four octets are a pcap magic number (either byte order,
//! microseconds or nanoseconds) or a pcapng section header is a capture;
//! any other is read line by line.
//!
//! - Default: hex, printed as one JSON object per PDU on one line, in the
//!   shape of `smpp_tools::json` (`command`, `command_id`,
//!   `command_status`, `sequence_number`, `body`, `tlvs`). A body kept as
//!   octets is printed as `body_hex`, with `body` `null`: that of a
//!   `command_id` the specification does not define (a vendor PDU, whose
//!   `command` is `null` too) and that of an error response whose body
//!   does not follow the layout.
//! - `--encode`: each line is such a JSON object; the PDU is printed as
//!   lowercase hex. Derived lengths may be left out; `content`, `ts`, `src`
//!   and `dst` keys are ignored (so a capture's lines encode back). A
//!   mandatory field left out takes the specification's default, as the
//!   builders of `smpp-std` do: `interface_version` 0x34, 0 for every other
//!   integer, NULL (`""`) for C-Octet Strings, an empty `short_message`,
//!   no `unsuccess_sme`; a response with `command_status` 0 whose `body` is
//!   left out gets one so filled (`"body":null` gives none). The header's
//!   `sequence_number`, a `submit_multi`'s destinations and mandatory TLVs
//!   have no default. `short_message_text` in the body gives
//!   `short_message` as text, coded as `data_coding` says: GSM 7-bit
//!   unpacked with the default tables for 0 and the GSM 7-bit groups
//!   (0xF0-0xF3, ...), ASCII for 1, Latin-1 for 3, UCS-2 for 8 and the UCS-2
//!   groups; other codings, and `esm_class` with UDHI, need `short_message`
//!   in hex. `replace_sm` has no `data_coding`: GSM 7-bit. An object that
//!   gives a key twice fails the line, naming the key (`body.source_addr`).
//! - `--pretty`: a readable multi-line form instead of JSON, `content`
//!   included.
//! - `--port N` (repeatable): the SMPP ports of captures.
//!
//! # Hex
//!
//! A line holds octets as hex digits, plain or with spaces, tabs, colons or
//! commas between octets or groups, with a `0x` prefix on the line or on
//! each group, or as `xxd` prints it (an offset of four or more hex digits
//! and `: `, then the octets; the text column after two spaces is
//! ignored). `#` starts a comment (not in `xxd` lines). The octets of
//! consecutive lines run on, so `xxd -p` output (30 octets a line) and a
//! dump of a whole stream read as they are: a PDU ends when it holds the
//! `command_length` its first four octets announce, and the rest of that
//! line starts the next PDU. A blank line and the end of the input end a
//! PDU early (a comment line does not); a `command_length` below 16 or
//! above 2 MiB ends it with the rest of its line. So a file of one PDU per
//! line is read line by line.
//!
//! # Captures
//!
//! pcap and pcapng files (read with `pcap-parser`): Ethernet (VLAN tags
//! too), Linux cooked v1 and v2, BSD loopback (`NULL`, `LOOP`) and raw IP;
//! IPv4 and IPv6 (IP fragments put back together, at most 256 datagrams at
//! once; an IPv4 total length of 0, as captured before segmentation
//! offload, reads as the captured length).
//! Each TCP connection is put back in order in both directions: segments out
//! of order wait for the ones before them; retransmitted and overlapping
//! octets are read once (the first copy counts); PDUs are cut on
//! `command_length` whatever the segments. A reset (RST) ends the
//! connection; octets it carries are a diagnostic, not part of the stream,
//! and are not read. Each PDU prints as above with
//! `"ts"`, `"src"` and `"dst"` first: the time of the packet that completed
//! it (RFC 3339 UTC, with as many fraction digits as the capture's
//! resolution: 6 or 9), and the sending and receiving `address:port`
//! (`[v6]:port`).
//!
//! SMPP streams: those with a `--port`; without `--port`, port 2775 and any
//! connection whose first 16 octets (from whichever side speaks first) are
//! a plausible header (`command_length` 16 to 70,000, a `command_id` the
//! specification defines, status 0 in a request). A connection the capture
//! joins in its middle (no SYN) is SMPP also when the first octets captured
//! in either direction end with a whole PDU (a plausible header whose
//! `command_length` reaches their end); on a port given (or 2775) it is
//! searched for the first plausible header.
//!
//! A gap (octets the capture missed and will not show: the receiver
//! acknowledged them and the sender was then seen going on past them, a
//! snapshot length cut them off, or the capture or connection ends with
//! later octets waiting) is reported once, where it is found (an
//! acknowledgement captured before the octets it acknowledges, as a tap
//! with a port for each direction may show it, is no gap):
//! `{"ts":...,"src":...,"dst":...,"gap":{"from":A,"to":B},"error":"...",
//! "command_status":null}`, A and B the stream offsets of the missing range
//! (octets after the SYN; after the first octet seen when the capture has
//! no SYN). The PDU it cuts is dropped, and reading goes
//! on at the next plausible header. A PDU that cannot be decoded, or a
//! header that cannot be framed, prints `{"ts","src","dst","offset",
//! "error","command_status"}`; a stream that ends inside a PDU, the same
//! with `"the stream ends N octets into a PDU of M octets"`; something about
//! the file (damage, an unknown link type) `{"error",...}`.
//!
//! Memory is bounded whatever the capture: at most 256 KiB of out-of-order
//! octets per direction (past it, the hole before them is a gap), 4,096
//! connections and 64 MiB of buffered octets in all (each segment waiting
//! out of order counts 96 octets more). Connections that are over (closed,
//! or not SMPP) make room first, silently; past either limit with live
//! connections only, the least recently active one is closed as at the end
//! of the capture, its holes reported, and one line says so the first time.
//! Blocks hold at most 1 MiB.
//!
//! # `content`
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
//! of each input from 1 (blank and comment lines included); a PDU over
//! several lines is reported at its first. A fault at one character after
//! the first of its line adds `"column":C` (counted in characters from 1)
//! after `line`. With several inputs the object starts with `"file":"NAME"`
//! (`-` for standard input), and so do the failures of captures. Lines end
//! at `\n`; a `\r` before it is dropped.
//!
//! A line longer than 4 MiB (far more than the largest PDU takes) fails
//! with `"error":"line longer than 4194304 octets"` without being read into
//! memory.
//!
//! Exit code: 0 if every line or captured PDU succeeded, 1 if any failed (a
//! gap counts), 2 for usage or I/O errors (a file that cannot be opened or
//! read, a capture given to `--encode`, a failed write). Standard output
//! whose reader went away (`smppdump ... | head`: a write fails with
//! `EPIPE`) ends the run quietly with 0, as for any filter.
//!
//! The JSON shape is documented in the `json` module of the `smpp-tools`
//! library (`smpp_tools::json`).

use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;

use serde_json::{Map, Value, json};
use smpp_tools::json::Json;

mod capture;
mod content;
mod encode;
mod hex;
mod tcp;

const USAGE: &str = "usage: smppdump [--encode] [--pretty] [--port N]... [FILE...]\n\
    Decodes hex PDUs to JSON, or JSON to hex with --encode. Hex may be plain,\n\
    spaced, 0x-prefixed, xxd (with offsets) or xxd -p (wrapped: a PDU ends at its\n\
    command_length, or early at a blank line).\n\
    A pcap or pcapng FILE (known by its magic number) is read as a capture: each\n\
    TCP stream is reassembled and each PDU printed with \"ts\", \"src\", \"dst\" first.\n\
    --port N: an SMPP port of captures, repeatable; without it, 2775 and any\n\
    stream whose first octets are a plausible SMPP header.\n\
    Messages (submit_sm, submit_multi, deliver_sm, data_sm, replace_sm,\n\
    broadcast_sm) also get a derived \"content\" object: udh, concat, port, text,\n\
    receipt, error.\n\
    --encode ignores \"content\", \"ts\", \"src\" and \"dst\", fills left-out mandatory\n\
    fields with the specification's defaults, and takes \"short_message_text\".\n\
    A failed line prints {\"line\":N,\"error\":...,\"command_status\":S} (with \"file\"\n\
    first when several FILEs are given) and the rest goes on.\n\
    Exit code: 0 every line succeeded, 1 a line failed, 2 usage or I/O error.\n";

struct Options {
    encode: bool,
    pretty: bool,
    /// `--port`: the SMPP ports of captures (empty: the default rule).
    ports: Vec<u16>,
    files: Vec<String>,
}

fn port(value: Option<&str>) -> Result<u16, String> {
    let value = value.ok_or("--port needs a port number")?;
    match value.parse() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(format!("--port {value}: not a port number (1-65535)")),
    }
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        encode: false,
        pretty: false,
        ports: Vec::new(),
        files: Vec::new(),
    };
    let mut only_files = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            _ if only_files => opts.files.push(arg),
            "--" => only_files = true,
            "--encode" | "-e" => opts.encode = true,
            "--pretty" | "-p" => opts.pretty = true,
            "--port" => opts.ports.push(port(args.next().as_deref())?),
            s if s.starts_with("--port=") => opts.ports.push(port(s.get(7..))?),
            "--help" | "-h" => return Err(String::new()),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
            _ => opts.files.push(arg),
        }
    }
    Ok(opts)
}

fn to_hex(bytes: &[u8]) -> String {
    smpp_core::hex::Hex(bytes).to_string()
}

/// The outcome of one input line or PDU.
enum Outcome {
    Pdu(Value),
    Hex(String),
    /// What went wrong, and the `command_status` a peer would answer
    /// (`None` when the line is not a PDU at all).
    Failed(String, Option<u32>),
}

fn decode_octets(bytes: &[u8]) -> Outcome {
    // An unknown command_id (a vendor PDU) keeps its body as `body_hex`,
    // which --encode takes back.
    let result = smpp_core::Pdu::parse_any(bytes)
        .map_err(|e| (e.to_string(), Some(e.command_status().0)))
        .and_then(|pdu| {
            let mut v = serde_json::to_value(Json(&pdu)).map_err(|e| (e.to_string(), None))?;
            if let (Value::Object(obj), Some(content)) = (&mut v, content::content(&pdu)) {
                obj.insert("content".into(), content);
            }
            Ok(v)
        });
    match result {
        Ok(v) => Outcome::Pdu(v),
        Err((error, command_status)) => Outcome::Failed(error, command_status),
    }
}

fn encode_line(line: &str) -> Outcome {
    // Two steps, so that a PDU breaking a field rule keeps its typed error
    // and the status a peer would answer.
    let wire = match encode::read(line) {
        Ok(w) => w,
        Err(error) => return Outcome::Failed(error, None),
    };
    let result = wire.parse().and_then(|pdu| {
        let mut out = vec![0u8; pdu.encoded_len()];
        let n = pdu.emit(&mut out)?;
        Ok(to_hex(out.get(..n).unwrap_or_default()))
    });
    match result {
        Ok(hex) => Outcome::Hex(hex),
        Err(e) => Outcome::Failed(e.to_string(), Some(e.command_status().0)),
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

/// What a report is about.
enum Place<'a> {
    /// A line of a text input (with the character where its fault lies,
    /// when not the first).
    Line { line: usize, column: Option<usize> },
    /// A place in a captured stream.
    Stream(&'a tcp::At),
    /// A gap in a captured stream, up to this offset.
    Gap(&'a tcp::At, u64),
    /// A capture file as a whole.
    Capture,
}

/// The input a report is about: its name, when several inputs are given.
type File<'a> = Option<&'a str>;

/// Puts the `ts`, `src` and `dst` of a place in a captured stream.
fn put_stream(obj: &mut Map<String, Value>, at: &tcp::At) {
    obj.insert("ts".into(), json!(at.ts.map(|ts| ts.to_string())));
    obj.insert("src".into(), json!(at.src.to_string()));
    obj.insert("dst".into(), json!(at.dst.to_string()));
}

fn stream_text(at: &tcp::At) -> String {
    let ts = at.ts.map_or_else(|| "-".to_owned(), |ts| ts.to_string());
    format!("{ts} {} -> {}", at.src, at.dst)
}

fn report(
    out: &mut impl Write,
    opts: &Options,
    file: File<'_>,
    place: &Place<'_>,
    error: &str,
    command_status: Option<u32>,
) -> io::Result<()> {
    if opts.pretty {
        let status = command_status.map_or("none".into(), |s| format!("{s:#x}"));
        let at = match place {
            Place::Line { line, column } => {
                let column = column.map(|c| format!(":{c}")).unwrap_or_default();
                match file {
                    Some(file) => format!("{file}:{line}{column}"),
                    None => format!("line {line}{column}"),
                }
            }
            Place::Stream(at) | Place::Gap(at, _) => {
                let prefix = file.map(|f| format!("{f}: ")).unwrap_or_default();
                format!("{prefix}{} offset {}", stream_text(at), at.offset)
            }
            Place::Capture => file.unwrap_or("capture").to_owned(),
        };
        writeln!(out, "{at}: error: {error} (command_status {status})")
    } else {
        let mut obj = Map::new();
        if let Some(file) = file {
            obj.insert("file".into(), json!(file));
        }
        match place {
            Place::Line { line, column } => {
                obj.insert("line".into(), json!(line));
                if let Some(column) = column {
                    obj.insert("column".into(), json!(column));
                }
            }
            Place::Stream(at) => {
                put_stream(&mut obj, at);
                obj.insert("offset".into(), json!(at.offset));
            }
            Place::Gap(at, to) => {
                put_stream(&mut obj, at);
                obj.insert("gap".into(), json!({"from": at.offset, "to": to}));
            }
            Place::Capture => {}
        }
        obj.insert("error".into(), json!(error));
        obj.insert("command_status".into(), json!(command_status));
        writeln!(out, "{}", Value::Object(obj))
    }
}

/// Prints a decoded PDU; from a capture, `ts`, `src` and `dst` come first.
fn print_pdu(
    out: &mut impl Write,
    opts: &Options,
    at: Option<&tcp::At>,
    v: Value,
) -> io::Result<()> {
    if opts.pretty {
        let mut s = String::new();
        if let Some(at) = at {
            s = stream_text(at) + "\n";
        }
        pretty(&v, &mut s);
        return write!(out, "{s}");
    }
    match (at, v) {
        (Some(at), Value::Object(fields)) => {
            let mut obj = Map::new();
            put_stream(&mut obj, at);
            obj.extend(fields);
            writeln!(out, "{}", Value::Object(obj))
        }
        (_, v) => writeln!(out, "{v}"),
    }
}

/// Decodes one PDU gathered from hex lines; false if it failed.
fn emit_unit(
    out: &mut impl Write,
    opts: &Options,
    file: File<'_>,
    unit: &hex::Unit,
) -> io::Result<bool> {
    match decode_octets(&unit.octets) {
        Outcome::Pdu(v) => print_pdu(out, opts, None, v).map(|()| true),
        Outcome::Hex(_) => Ok(true),
        Outcome::Failed(error, command_status) => {
            let place = Place::Line {
                line: unit.line,
                column: None,
            };
            report(out, opts, file, &place, &error, command_status).map(|()| false)
        }
    }
}

/// What a failed line costs the PDU being gathered, if any.
fn dropped(gatherer: &mut hex::Gatherer) -> String {
    let note = gatherer
        .pending()
        .map(|line| format!(" (the PDU begun on line {line} is dropped)"))
        .unwrap_or_default();
    gatherer.clear();
    note
}

/// Handles one hex line; false if it failed.
fn handle_hex_line(
    out: &mut impl Write,
    opts: &Options,
    file: File<'_>,
    line: usize,
    raw: &[u8],
    gatherer: &mut hex::Gatherer,
) -> io::Result<bool> {
    let parsed = line_text(raw)
        .map_err(|error| (error, None))
        .and_then(|text| {
            hex::parse_line(text).map_err(|e| {
                // The first column is implied.
                (e.message, (e.column > 1).then_some(e.column))
            })
        });
    match parsed {
        Ok(hex::Line::Blank) => match gatherer.finish() {
            Some(unit) => emit_unit(out, opts, file, &unit),
            None => Ok(true),
        },
        Ok(hex::Line::Comment) => Ok(true),
        Ok(hex::Line::Octets(octets)) => {
            let mut ok = true;
            for unit in gatherer.push(line, &octets) {
                ok &= emit_unit(out, opts, file, &unit)?;
            }
            Ok(ok)
        }
        Err((error, column)) => {
            let error = error + &dropped(gatherer);
            let place = Place::Line { line, column };
            report(out, opts, file, &place, &error, None).map(|()| false)
        }
    }
}

/// Handles one JSON line of `--encode`; false if it failed.
fn handle_json_line(
    out: &mut impl Write,
    opts: &Options,
    file: File<'_>,
    line: usize,
    raw: &[u8],
) -> io::Result<bool> {
    let place = Place::Line { line, column: None };
    let text = match line_text(raw) {
        Ok(text) => text.trim(),
        Err(error) => {
            report(out, opts, file, &place, &error, None)?;
            return Ok(false);
        }
    };
    if text.is_empty() || text.starts_with('#') {
        return Ok(true);
    }
    match encode_line(text) {
        Outcome::Hex(h) => writeln!(out, "{h}")?,
        Outcome::Pdu(v) => print_pdu(out, opts, None, v)?,
        Outcome::Failed(error, command_status) => {
            report(out, opts, file, &place, &error, command_status)?;
            return Ok(false);
        }
    }
    Ok(true)
}

/// The longest input line read: far more than the JSON or hex of the
/// largest PDU a decoder accepts (a 64 KiB `message_payload`).
pub(crate) const MAX_LINE: usize = 4 << 20;

/// Reads the next line into `raw` (empty); `None` at the end of the input,
/// `Some(false)` for a line of more than [`MAX_LINE`] octets before its
/// `\n`, whose rest is skipped without being kept in memory.
fn read_line<R: BufRead + ?Sized>(reader: &mut R, raw: &mut Vec<u8>) -> io::Result<Option<bool>> {
    // The line's octets and its `\n`.
    let limit = u64::try_from(MAX_LINE + 1).unwrap_or(u64::MAX);
    if Read::take(&mut *reader, limit).read_until(b'\n', raw)? == 0 {
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

/// An input: standard input or a file.
type Input = Box<dyn BufRead + Send>;

/// An input after [`peek`]: the octets read, then the rest.
type Peeked = io::Chain<io::Cursor<Vec<u8>>, Input>;

/// Reads the first octets of an input (up to 4, fewer at its end) and
/// gives them back with the rest of it.
fn peek(mut input: Input) -> io::Result<(Vec<u8>, Peeked)> {
    let mut head = vec![0u8; 4];
    let mut len = 0;
    while len < head.len() {
        match input.read(head.get_mut(len..).unwrap_or_default()) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(len);
    Ok((head.clone(), io::Cursor::new(head).chain(input)))
}

/// Reads a text input line by line: hex, or JSON with `--encode`.
fn run_lines(
    out: &mut impl Write,
    opts: &Options,
    file: File<'_>,
    mut reader: impl BufRead,
) -> io::Result<bool> {
    let mut all_ok = true;
    let mut gatherer = hex::Gatherer::default();
    let mut raw = Vec::new();
    let mut line = 0;
    loop {
        raw.clear();
        let Some(whole) = read_line(&mut reader, &mut raw)? else {
            break;
        };
        line += 1;
        all_ok &= if !whole {
            let error = format!("line longer than {MAX_LINE} octets") + &dropped(&mut gatherer);
            let place = Place::Line { line, column: None };
            report(out, opts, file, &place, &error, None)?;
            false
        } else if opts.encode {
            handle_json_line(out, opts, file, line, &raw)?
        } else {
            handle_hex_line(out, opts, file, line, &raw, &mut gatherer)?
        };
    }
    // The end of the input ends a PDU.
    if let Some(unit) = gatherer.finish() {
        all_ok &= emit_unit(out, opts, file, &unit)?;
    }
    Ok(all_ok)
}

/// Reads a capture file; with `live` (standard input), each line is
/// written out as soon as it is known.
fn run_capture(
    out: &mut impl Write,
    opts: &Options,
    file: File<'_>,
    input: impl Read + Send,
    live: bool,
) -> io::Result<bool> {
    let mut all_ok = true;
    let ports = tcp::Ports(opts.ports.clone());
    capture::read(input, ports, |event| {
        let (place, error, command_status) = match &event {
            tcp::Event::Pdu { at, octets } => match decode_octets(octets) {
                Outcome::Pdu(v) => {
                    print_pdu(out, opts, Some(at), v)?;
                    return if live { out.flush() } else { Ok(()) };
                }
                Outcome::Hex(_) => return Ok(()),
                Outcome::Failed(error, command_status) => {
                    (Place::Stream(at), error, command_status)
                }
            },
            tcp::Event::Unframed {
                at,
                error,
                command_status,
            } => (Place::Stream(at), error.clone(), Some(*command_status)),
            tcp::Event::Gap { at, to } => (
                Place::Gap(at, *to),
                format!(
                    "octets {}..{to} of the stream are missing from the capture; \
                     reading resumes at the next plausible header",
                    at.offset
                ),
                None,
            ),
            tcp::Event::Cut { at, have, length } => {
                let of = length
                    .map(|l| format!(" of {l} octets"))
                    .unwrap_or_default();
                let error = format!("the stream ends {have} octets into a PDU{of}");
                (Place::Stream(at), error, None)
            }
            tcp::Event::Notice(error) => (Place::Capture, error.clone(), None),
        };
        all_ok = false;
        report(out, opts, file, &place, &error, command_status)?;
        if live { out.flush() } else { Ok(()) }
    })?;
    Ok(all_ok)
}

/// Standard output, which notes when its reader went away (a write failed
/// with `BrokenPipe`, as when `head` has read what it wanted).
struct Stdout<W> {
    inner: W,
    reader_gone: bool,
}

impl<W: Write> Stdout<W> {
    fn note<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if result
            .as_ref()
            .is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        {
            self.reader_gone = true;
        }
        result
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

fn run(opts: &Options, out: &mut impl Write) -> io::Result<bool> {
    let mut all_ok = true;
    let inputs: Vec<String> = if opts.files.is_empty() {
        vec!["-".into()]
    } else {
        opts.files.clone()
    };
    let several = inputs.len() > 1;
    for name in &inputs {
        let input: Input = if name == "-" {
            Box::new(io::BufReader::new(io::stdin()))
        } else {
            Box::new(io::BufReader::new(
                std::fs::File::open(name)
                    .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?,
            ))
        };
        let file = several.then_some(name.as_str());
        let (head, input) =
            peek(input).map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?;
        all_ok &= if capture::is_capture(&head) {
            if opts.encode {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{name}: a capture file, but --encode reads JSON lines"),
                ));
            }
            run_capture(out, opts, file, input, name == "-")?
        } else {
            run_lines(out, opts, file, input)?
        };
    }
    out.flush()?;
    Ok(all_ok)
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            if msg.is_empty() {
                // A reader that went away (`smppdump --help | head -1`) is
                // no failure; another write error is.
                return match io::stdout().write_all(USAGE.as_bytes()) {
                    Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                        smpp_tools::note!("smppdump: {e}");
                        ExitCode::from(2)
                    }
                    _ => ExitCode::SUCCESS,
                };
            }
            eprint!("smppdump: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut out = BufWriter::new(Stdout {
        inner: io::stdout().lock(),
        reader_gone: false,
    });
    let result = run(&opts, &mut out);
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        // Whoever reads the output has stopped (`smppdump ... | head`):
        // the end, as for any filter.
        Err(_) if out.get_ref().reader_gone => ExitCode::SUCCESS,
        Err(e) => {
            smpp_tools::note!("smppdump: {e}");
            ExitCode::from(2)
        }
    }
}
