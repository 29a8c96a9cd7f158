//! `esme send`: one message to each `--to`, its responses, its receipts.
//!
//! On SIGINT or SIGTERM it submits no more (the messages left get the
//! status `not submitted: SIGINT`), waits for the responses to come but
//! not for the receipts, unbinds, prints its lines and exits with 1; a
//! second signal exits at once. It stops so too when no session has been
//! bound again within `--connect-timeout-ms` after every one dropped.

use core::time::Duration;

use clap::Args;
use serde_json::{Map, Value, json};
use smpp_core::text::gsm7::Language;
use smpp_std::Pdu;
use smpp_std::client::Esme;
use smpp_std::session::{Error, SmResponse};
use smpp_tools::message::unhex;
use tokio::time::Instant;

use crate::common::{self, Bind, Connection, Message, Payload, Receipts, Split, Stop};

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
    /// Also sends text in the GSM 7-bit tables of these national
    /// languages (national language shift elements in each part's header)
    /// when they hold it in fewer parts than UCS-2: turkish, spanish,
    /// portuguese, bengali, gujarati, hindi, kannada, malayalam, oriya,
    /// punjabi, tamil, telugu, urdu.
    #[arg(long, value_name = "L,...", value_delimiter = ',', value_parser = smpp_tools::message::language)]
    language: Vec<Language>,
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
            languages: &args.language,
        })
        .collect();
    let first_reference = fastrand::u16(..);
    let mut all = Vec::with_capacity(messages.len());
    for (n, message) in messages.iter().enumerate() {
        let reference = first_reference.wrapping_add(u16::try_from(n).unwrap_or(0));
        all.push(common::submit_sms(message, reference)?);
    }

    args.conn.check_bind("send", true)?;
    let stop = Stop::on_signals()?;
    let (esme, incoming) = common::start(&args.conn, Bind::Trx, &stop, |b| b).await?;
    let (receipts, reader) = Receipts::spawn(incoming, true);
    let patience = args.conn.connect_timeout();
    let mut sent = Vec::with_capacity(all.len());
    for (message, pdus) in messages.iter().zip(all) {
        sent.push(match stop.reason() {
            None => submit(&esme, &stop, patience, message, pdus).await,
            Some(why) => not_submitted(message, &pdus, why),
        });
    }

    let mut receipts_ok = true;
    if args.dlr {
        let deadline = Instant::now() + Duration::from_millis(args.dlr_timeout_ms);
        let wanted: Vec<&String> = sent.iter().flat_map(|s| &s.ids).collect();
        // Not after the run was stopped (no receipt comes once no session
        // is bound; a signal wants the lines now).
        receipts_ok = tokio::select! {
            biased;
            () = stop.stopped() => false,
            () = common::unbound_for(&esme, patience) => {
                stop.stop(common::no_session(patience));
                false
            }
            all = receipts.wait_for_all(deadline, &wanted, Receipts::has) => all,
        };
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
/// for every response. A part that found no session bound for `patience`
/// stops the run: the messages after it are not submitted.
async fn submit(
    esme: &Esme,
    stop: &Stop,
    patience: Duration,
    message: &Message<'_>,
    pdus: Vec<Pdu>,
) -> Sent {
    let gave_up = || {
        let why = common::no_session(patience);
        stop.stop(why.clone());
        format!("not submitted: {why}")
    };
    // Every part into the window, then every response; once a part found
    // no session, the parts after it wait no more.
    let mut pending = Vec::with_capacity(pdus.len());
    let mut unbound = None;
    for pdu in &pdus {
        if let Some(why) = &unbound {
            pending.push(Err(String::clone(why)));
            continue;
        }
        pending.push(match esme.queue(pdu.clone()).await {
            Ok(response) => Ok(response),
            Err(Error::NoSession(_)) => {
                let why = gave_up();
                unbound = Some(why.clone());
                Err(why)
            }
            Err(e) => Err(e.to_string()),
        });
    }
    let mut ids = Vec::new();
    let mut statuses = Vec::new();
    let mut acknowledged = true;
    for p in pending {
        let answer = match p {
            Ok(response) => response.await.map(SmResponse::from).map_err(|e| match e {
                Error::NoSession(_) => gave_up(),
                e => e.to_string(),
            }),
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
            Err(status) => {
                acknowledged = false;
                statuses.push(status);
            }
        }
    }
    Sent {
        line: line(message, &pdus, &ids, &statuses),
        ids,
        acknowledged,
    }
}

/// The line of a message not submitted: the run was stopped first.
fn not_submitted(message: &Message<'_>, pdus: &[Pdu], why: &str) -> Sent {
    let status = format!("not submitted: {why}");
    Sent {
        line: line(message, pdus, &[], &vec![status; pdus.len()]),
        ids: Vec::new(),
        acknowledged: false,
    }
}

/// A message's line, without its receipts.
fn line(
    message: &Message<'_>,
    pdus: &[Pdu],
    ids: &[String],
    statuses: &[String],
) -> Map<String, Value> {
    let mut line = Map::new();
    line.insert("to".into(), message.to.into());
    line.insert("from".into(), message.from.into());
    line.insert("parts".into(), pdus.len().into());
    line.insert("data_coding".into(), common::data_coding_of(pdus).into());
    line.insert("message_ids".into(), json!(ids));
    line.insert("statuses".into(), json!(statuses));
    line
}
