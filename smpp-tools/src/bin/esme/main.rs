//! `esme`: an SMPP ESME on the command line: `send` submits messages and
//! waits for their receipts, `bench` pushes traffic and measures it,
//! `listen` prints what the SMSC delivers.
//!
//! ```text
//! esme send|bench|listen --connect ADDR:PORT [--tls] --system-id ID --password PW
//!      [--bind trx|tx|rx] [--system-type T] [--window N] [--binds N]
//! esme send --to ADDR [--from ADDR] --text T [--language L,...] [--dlr] [--flash] [--port N] [--hex H]
//!      [--split udh|sar|payload]
//! esme bench --count N [--rate N] [--mix gsm,long,ucs2,binary,flash] [--dlr] [--json]
//! esme listen [--accept-outbind ADDR:PORT [--outbind-password PW]] (instead of --connect)
//! ```
//!
//! `send` and `listen` print one JSON line per message; the exit code is 0
//! only when every submit was acknowledged and every receipt asked for came
//! in time. SIGINT or SIGTERM stops `send` and `bench` cleanly: no more
//! submits, the responses awaited, every session unbound, the report
//! printed, exit code 1 (a second signal exits at once).

mod bench;
mod common;
mod listen;
mod send;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// An SMPP ESME: send messages, benchmark an SMSC, listen for what it
/// delivers.
#[derive(Debug, Parser)]
#[command(name = "esme", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Submits a message to each --to and waits for the responses (and,
    /// with --dlr, the receipts); prints one JSON line per message.
    Send(send::SendArgs),
    /// Submits --count messages as fast as the window (or --rate) allows,
    /// then prints a summary.
    Bench(bench::BenchArgs),
    /// Binds (as a receiver by default) and prints each mobile-originated
    /// message and receipt as one JSON line.
    Listen(listen::ListenArgs),
}

/// Exit codes.
pub(crate) mod exit {
    /// A submit was not acknowledged, a receipt did not come in time,
    /// `listen --count` saw fewer messages, or `send` or `bench` was
    /// stopped early (SIGINT, SIGTERM, no session bound).
    pub(crate) const INCOMPLETE: u8 = 1;
    /// The flags are wrong, no session could be bound, or stdout could
    /// not be written (`listen`'s lines, `send`'s, `bench`'s summary).
    pub(crate) const FAILED: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One thread: the sessions, the producer and the receipt reader share
    // it, and the events of the sessions are seen from their first one.
    let mut runtime = tokio::runtime::Builder::new_current_thread();
    smpp_tools::run_tool("esme", &mut runtime, exit::FAILED, async {
        let complete = match cli.command {
            Command::Send(args) => send::run(args).await?,
            Command::Bench(args) => bench::run(args).await?,
            Command::Listen(args) => listen::run(args).await?,
        };
        Ok(if complete {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(exit::INCOMPLETE)
        })
    })
}
