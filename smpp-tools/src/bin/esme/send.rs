//! `esme send`: one message to each `--to`, its responses, its receipts.

use core::time::Duration;

use clap::Args;
use serde_json::{Map, Value, json};
use smpp_std::Pdu;
use smpp_std::client::Esme;
use smpp_std::session::SmResponse;
use smpp_tools::message::unhex;
use tokio::time::Instant;

use crate::common::{self, Bind, Connection, GiveUp, Message, Payload, Receipts, Split};

/// `esme send`.
// The doc comments are the `--help` text, shown as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Args)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    conn: Connection,
    /// The destination; repeat for several (one message each).
    #[arg(long, value_name = "ADDR", required = true)]
    to: Vec<String>,
    /// The source address (digits, +digits or alphanumeric).
    #[arg(long, value_name = "ADDR", default_value = "")]
    from: String,
    /// The text, in the smallest coding that holds it (GSM 7-bit, else
    /// UCS-2), split when long.
    #[arg(
        long,
        value_name = "T",
        required_unless_present = "hex",
        conflicts_with = "hex"
    )]
    text: Option<String>,
    /// Binary content (data_coding 4) in hexadecimal.
    #[arg(long, value_name = "H")]
    hex: Option<String>,
    /// Asks for delivery receipts and waits for them.
    #[arg(long)]
    dlr: bool,
    /// Sends a flash (class 0) message.
    #[arg(long)]
    flash: bool,
    /// Addresses an application port (16-bit port elements in the user
    /// data header).
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// How long messages are split.
    #[arg(long, value_enum, default_value = "udh")]
    split: Split,
    /// How long to wait for the receipts after the last response.
    #[arg(long, value_name = "N", default_value_t = 30_000)]
    dlr_timeout_ms: u64,
}

/// What became of one message.
struct Sent {
    line: Map<String, Value>,
    /// The ids of the parts the SMSC accepted.
    ids: Vec<String>,
    /// Every part was accepted.
    acknowledged: bool,
}

pub(crate) async fn run(args: SendArgs) -> Result<bool, String> {
    let payload = match (&args.text, &args.hex) {
        (Some(text), _) => Payload::Text(text.clone()),
        (None, Some(hex)) => {
            Payload::Binary(unhex(hex).ok_or("--hex: not an even number of hexadecimal digits")?)
        }
        (None, None) => return Err("give --text or --hex".into()),
    };
    // Check that the message can be made before connecting.
    let messages: Vec<Message<'_>> = args
        .to
        .iter()
        .map(|to| Message {
            from: &args.from,
            to,
            payload: &payload,
            dlr: args.dlr,
            flash: args.flash,
            port: args.port,
            split: args.split,
        })
        .collect();
    let first_reference = fastrand::u16(..);
    let mut all = Vec::with_capacity(messages.len());
    for (n, message) in messages.iter().enumerate() {
        let reference = first_reference.wrapping_add(u16::try_from(n).unwrap_or(0));
        all.push(common::submit_sms(message, reference)?);
    }

    let (esme, incoming) = common::start(&args.conn, Bind::Trx, |b| b).await?;
    let (receipts, reader) = Receipts::spawn(incoming, true);
    let give_up = GiveUp::watch(&esme, args.conn.connect_timeout());
    let mut sent = Vec::with_capacity(all.len());
    for (message, pdus) in messages.iter().zip(all) {
        sent.push(submit(&esme, message, pdus).await);
    }

    let mut receipts_ok = true;
    if args.dlr {
        // No receipt comes once the run gave up.
        let deadline = match give_up.reason() {
            Some(_) => Instant::now(),
            None => Instant::now() + Duration::from_millis(args.dlr_timeout_ms),
        };
        let wanted: Vec<&String> = sent.iter().flat_map(|s| &s.ids).collect();
        receipts_ok = receipts
            .wait_for_all(deadline, &wanted, |r, id| r.get(id).is_some())
            .await;
        for s in &mut sent {
            let found: Vec<Value> = s
                .ids
                .iter()
                .filter_map(|id| receipts.get(id).map(Value::Object))
                .collect();
            s.line.insert("receipts".into(), found.into());
        }
    }
    reader.abort();
    give_up.stop();
    esme.unbind().await;
    let mut out = std::io::stdout().lock();
    for s in &sent {
        use std::io::Write as _;
        writeln!(out, "{}", Value::Object(s.line.clone()))
            .and_then(|()| out.flush())
            .map_err(|e| format!("stdout: {e}"))?;
    }
    Ok(receipts_ok && sent.iter().all(|s| s.acknowledged))
}

/// Submits the parts of `message`, every one into the window, then waits
/// for every response.
async fn submit(esme: &Esme, message: &Message<'_>, pdus: Vec<Pdu>) -> Sent {
    let data_coding = common::data_coding_of(&pdus);
    let parts = pdus.len();
    // Every part into the window, then every response.
    let mut pending = Vec::with_capacity(parts);
    for pdu in pdus {
        pending.push(esme.queue(pdu).await);
    }
    let mut ids = Vec::new();
    let mut statuses = Vec::new();
    let mut acknowledged = true;
    for p in pending {
        let answer = match p {
            Ok(response) => response.await.map(SmResponse::from),
            Err(e) => Err(e),
        };
        match answer {
            Ok(resp) if resp.is_ok() => {
                ids.push(resp.message_id.to_string());
                statuses.push(resp.command_status.to_string());
            }
            Ok(resp) => {
                acknowledged = false;
                statuses.push(resp.command_status.to_string());
            }
            Err(e) => {
                acknowledged = false;
                statuses.push(e.to_string());
            }
        }
    }
    let mut line = Map::new();
    line.insert("to".into(), message.to.into());
    line.insert("from".into(), message.from.into());
    line.insert("parts".into(), parts.into());
    line.insert("data_coding".into(), data_coding.into());
    line.insert("message_ids".into(), json!(ids));
    line.insert("statuses".into(), json!(statuses));
    Sent {
        line,
        ids,
        acknowledged,
    }
}
