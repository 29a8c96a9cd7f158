//! What the `smsc-sim` and `esme` tools share: messages read out of PDUs
//! (concatenated parts joined, text decoded, receipts, as JSON), and TLS
//! configurations from PEM files, and how a tool runs to its exit code.
//!
//! The binaries are the product; this library is their common code, with
//! no promise of a stable API.

pub mod json;
pub mod message;
pub mod tls;

use std::process::ExitCode;

/// Prints a line on standard error as `eprintln!` does, but goes on when
/// it cannot be written (its reader went away): a diagnostic never stops
/// a tool, nor the handling of a signal that printed it.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stderr(), $($arg)*);
    }};
}

/// Runs a tool's `work` on the tokio runtime `runtime` builds (with every
/// driver enabled) to the exit code it gives. When the runtime cannot
/// start or `work` fails, prints `TOOL: ERROR` on standard error and gives
/// `failed`.
pub fn run_tool(
    tool: &str,
    runtime: &mut tokio::runtime::Builder,
    failed: u8,
    work: impl Future<Output = Result<ExitCode, String>>,
) -> ExitCode {
    let outcome = match runtime.enable_all().build() {
        Ok(runtime) => runtime.block_on(work),
        Err(e) => Err(e.to_string()),
    };
    outcome.unwrap_or_else(|e| {
        note!("{tool}: {e}");
        ExitCode::from(failed)
    })
}

/// Checks that `addr` has the form `HOST:PORT` (`[V6]:PORT` too) with a
/// port number, as the tools' flags that name a peer take it (`flag`, for
/// the message). A name that does not resolve may resolve later, and is
/// tried again; an address without a port never connects.
pub fn check_host_port(flag: &str, addr: &str) -> Result<(), String> {
    match addr.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(()),
        _ => Err(format!("{flag} {addr:?}: expected HOST:PORT")),
    }
}
