//! `esme listen`: prints each mobile-originated message (long ones
//! joined) and receipt as one JSON line, and acknowledges it once the line
//! is written.

use core::time::Duration;
use std::io::Write as _;

use clap::Args;
use serde_json::{Map, Value};
use smpp_core::CommandStatus;
use smpp_std::session::Answer;
use smpp_tools::message::{Assembler, UserData, receipt_json};
use tokio::time::Instant;

use crate::common::{self, Bind, Connection, Stop};

/// `esme listen`.
#[derive(Debug, Args)]
pub(crate) struct ListenArgs {
    #[command(flatten)]
    conn: Connection,
    /// Stops after N messages and receipts (exit code 1 if fewer came
    /// before --timeout-ms).
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Stops after N milliseconds.
    #[arg(long, value_name = "N")]
    timeout_ms: Option<u64>,
}

fn line(kind: &str, fields: Map<String, Value>) -> String {
    let mut out = Map::new();
    out.insert("type".into(), kind.into());
    out.extend(fields);
    Value::Object(out).to_string()
}

pub(crate) async fn run(args: ListenArgs) -> Result<bool, String> {
    args.conn.check_bind("listen", false)?;
    let stop = Stop::on_signals()?;
    let (esme, mut incoming) = common::start(&args.conn, Bind::Rx, &stop, |b| b).await?;
    let deadline = args
        .timeout_ms
        .map(|ms| Instant::now() + Duration::from_millis(ms));
    let until_deadline = async {
        match deadline {
            Some(at) => tokio::time::sleep_until(at).await,
            None => core::future::pending().await,
        }
    };
    tokio::pin!(until_deadline);
    let mut parts = Assembler::<()>::new(Duration::from_secs(300), 1024 * 1024);
    let mut seen = 0u64;
    let mut failed = None;
    let mut out = std::io::stdout();
    while args.count.is_none_or(|count| seen < count) {
        let request = tokio::select! {
            request = incoming.recv() => request,
            () = stop.stopped() => break,
            () = &mut until_deadline => break,
        };
        let Some(request) = request else {
            break;
        };
        let body = &request.pdu().body;
        let printed = if let Some(receipt) = receipt_json(body) {
            Some(line("receipt", receipt))
        } else if let Some(data) = UserData::of(body) {
            parts.push((), &data, None).map(|message| {
                let mut fields = message.to_json();
                fields.remove("message_ids");
                line("mo", fields)
            })
        } else {
            None
        };
        // A message is acknowledged once its line is written, and only
        // then: a closed stdout gets the SMSC a temporary error, which it
        // retries later, and ends the listener.
        if let Some(printed) = printed {
            if let Err(e) = writeln!(out, "{printed}").and_then(|()| out.flush()) {
                request.respond(Answer::Status(CommandStatus::ESME_RX_T_APPN));
                failed = Some(format!("stdout: {e}"));
                break;
            }
            seen += 1;
        }
        // Dropped: acknowledged with ESME_ROK.
        drop(request);
    }
    // Requests received but not taken get ESME_RX_T_APPN.
    drop(incoming);
    esme.unbind().await;
    match failed {
        Some(e) => Err(e),
        None => Ok(args.count.is_none_or(|count| seen >= count)),
    }
}
