//! `esme bench`: `--count` messages as fast as the windows (or `--rate`)
//! allow, a progress bar meanwhile, then the summary. A run that ends
//! early says why in the summary's `stopped` (`null` otherwise) and exits
//! with 1: `SIGINT` or `SIGTERM` (it submits no more, waits for the
//! responses, unbinds and reports; a second signal exits at once), or no
//! session bound again within `--connect-timeout-ms` after every one
//! dropped.

use core::time::Duration;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use smpp_std::client::{Backoff, Esme};
use smpp_std::session::{Error, SmResponse};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::common::{self, Bind, Connection, Message, Payload, Receipts, Split, Stop};

/// `esme bench`.
// The doc comments are the `--help` text, shown as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    #[command(flatten)]
    conn: Connection,
    /// How many messages to send.
    #[arg(long, value_name = "N")]
    count: u64,
    /// At most N submit_sm per second over all sessions.
    #[arg(long, value_name = "N")]
    rate: Option<u32>,
    /// The kinds of message, taken in turn.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "gsm")]
    mix: Vec<Kind>,
    /// Asks for a delivery receipt for every message and waits for them.
    #[arg(long)]
    dlr: bool,
    /// Prints the summary as one JSON line.
    #[arg(long)]
    json: bool,
    /// The destination.
    #[arg(long, value_name = "ADDR", default_value = "447700900001")]
    to: String,
    /// The source address.
    #[arg(long, value_name = "ADDR", default_value = "BENCH")]
    from: String,
    /// How long messages are split.
    #[arg(long, value_enum, default_value = "udh")]
    split: Split,
    /// How long to wait for the receipts after the last response.
    #[arg(long, value_name = "N", default_value_t = 30_000)]
    dlr_timeout_ms: u64,
    /// Sends a throttled submit_sm again, up to N times, after a backoff.
    #[arg(long, value_name = "N", default_value_t = 0)]
    retry_throttled: u32,
}

/// `--mix`: a kind of message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Kind {
    /// A short GSM 7-bit text.
    Gsm,
    /// A GSM 7-bit text of three parts.
    Long,
    /// A short text that needs UCS-2.
    Ucs2,
    /// 8-bit binary content.
    Binary,
    /// A short flash (class 0) text.
    Flash,
}

fn payload(kind: Kind, n: u64) -> Payload {
    match kind {
        Kind::Gsm | Kind::Flash => Payload::Text(format!("Bench message {n}")),
        Kind::Long => Payload::Text(
            format!("Bench message {n}, long enough to need three parts. ")
                .repeat(8)
                .chars()
                .take(400)
                .collect(),
        ),
        Kind::Ucs2 => Payload::Text(format!("Сообщение {n} ✓")),
        Kind::Binary => Payload::Binary(n.to_be_bytes().iter().copied().cycle().take(32).collect()),
    }
}

/// The concatenation references of the long messages in flight. The
/// SMSC joins parts by their reference (and source and destination, the
/// same for every message of a run): a reference is given again only once
/// every part of the message that had it was answered, or two messages
/// would mix their parts. An 8-bit reference comes back after 256
/// messages, fewer than a few full windows hold.
#[derive(Debug, Default)]
struct References {
    /// The parts not answered yet, by reference.
    unanswered: Mutex<HashMap<u16, usize>>,
    /// Told when a reference is free again.
    freed: Notify,
}

impl References {
    /// Waits until no part with `reference` is unanswered, then holds it
    /// for `parts` parts.
    async fn take(&self, reference: u16, parts: usize) {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            {
                let mut unanswered = self
                    .unanswered
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                if let Entry::Vacant(free) = unanswered.entry(reference) {
                    free.insert(parts);
                    return;
                }
            }
            freed.await;
        }
    }

    /// A part with `reference` was answered, or is not sent after all.
    fn answered(&self, reference: u16) {
        let mut unanswered = self
            .unanswered
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Entry::Occupied(mut held) = unanswered.entry(reference) {
            *held.get_mut() -= 1;
            if *held.get() == 0 {
                held.remove();
                self.freed.notify_waiters();
            }
        }
    }
}

/// What the responses said.
#[derive(Debug, Default)]
struct Tally {
    acknowledged: u64,
    errors: BTreeMap<String, u64>,
    throttled: u64,
    /// Requests that never left: refused before they were handed to a
    /// session (a PDU that does not encode, the run stopped while it
    /// waited for a session), or handed to one that closed before writing
    /// them. Counted in `errors` too, by what happened.
    not_sent: u64,
    /// Response latencies in microseconds: only of requests that got a
    /// response.
    latencies: Vec<u64>,
    /// The accepted message ids, when receipts are awaited (no more per
    /// message than the id: a pointer, a length and its octets).
    ids: Vec<Box<str>>,
    /// A request waited for a bound session in vain.
    no_session: bool,
}

impl Tally {
    /// Counts `answer`, which came `waited` after its request was handed
    /// to a session (`None`: it never was).
    fn add(
        &mut self,
        answer: Result<SmResponse, Failure>,
        waited: Option<Duration>,
        keep_id: bool,
    ) {
        if let (Ok(_), Some(waited)) = (&answer, waited) {
            self.latencies
                .push(u64::try_from(waited.as_micros()).unwrap_or(u64::MAX));
        }
        match answer {
            Ok(resp) if resp.is_ok() => {
                self.acknowledged += 1;
                if keep_id {
                    self.ids.push(resp.message_id.to_string().into_boxed_str());
                }
            }
            Ok(resp) => {
                if resp.command_status.is_throttling() {
                    self.throttled += 1;
                }
                *self
                    .errors
                    .entry(resp.command_status.to_string())
                    .or_default() += 1;
            }
            Err(failure) => {
                if !failure.sent {
                    self.not_sent += 1;
                }
                self.no_session |= failure.no_session;
                *self.errors.entry(failure.kind).or_default() += 1;
            }
        }
    }
}

/// A request that got no response: how it is counted, and whether any of
/// it was written.
#[derive(Debug)]
struct Failure {
    kind: String,
    sent: bool,
    /// It waited for a bound session in vain: the run stops.
    no_session: bool,
}

impl From<&Error> for Failure {
    fn from(e: &Error) -> Self {
        let sent = matches!(e, Error::OutcomeUnknown { .. } | Error::Timeout { .. });
        Self {
            kind: error_kind(e),
            sent,
            no_session: matches!(e, Error::NoSession(_)),
        }
    }
}

/// How a failed request is counted in the summary: by what happened, not
/// by which request it was (a dropped connection leaves a window of
/// requests whose outcome is unknown, one line for all of them).
fn error_kind(e: &Error) -> String {
    match e {
        Error::OutcomeUnknown {
            command_id, reason, ..
        } => format!("{command_id} sent, no response before the session ended ({reason})"),
        Error::Timeout { command_id, .. } => {
            format!("{command_id} sent, no response within the response timer")
        }
        // One line for all, whatever each waited.
        Error::NoSession(_) => "not sent: no session bound".to_owned(),
        other => other.to_string(),
    }
}

/// The `q`-quantile of sorted values (nearest rank).
fn quantile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied().unwrap_or(0)
}

#[allow(clippy::cast_precision_loss)] // microseconds as milliseconds
fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

pub(crate) async fn run(args: BenchArgs) -> Result<bool, String> {
    args.conn.check_bind("bench", true)?;
    // Check that every kind of message can be made before connecting
    // (an address too long is a wrong flag, not a reason to bind).
    for &kind in &args.mix {
        common::submit_sms(&message(&args, kind, &payload(kind, 0)), 0)?;
    }
    let stop = Stop::on_signals()?;
    let patience = args.conn.connect_timeout();
    let (esme, incoming) = common::start(&args.conn, Bind::Trx, &stop, |mut builder| {
        if let Some(rate) = args.rate {
            builder = builder.max_rate(rate.max(1));
        }
        if args.retry_throttled > 0 {
            builder = builder.throttle_backoff(Backoff::THROTTLED, args.retry_throttled);
        }
        builder
    })
    .await?;
    let (receipts, reader) = Receipts::spawn(incoming, false);
    let run = submit_all(&args, &esme, &stop).await?;

    let mut receipts_ok = true;
    let mut receipts_in = 0;
    if args.dlr {
        let deadline = Instant::now() + Duration::from_millis(args.dlr_timeout_ms);
        let ids = &run.tally.ids;
        // Not after the run was stopped (no receipt comes once no session
        // is bound; a signal wants the summary now).
        receipts_ok = tokio::select! {
            biased;
            () = stop.stopped() => false,
            () = common::unbound_for(&esme, patience) => {
                stop.stop(common::no_session(patience));
                false
            }
            all = receipts.wait_for_all(deadline, ids, Receipts::has) => all,
        };
        receipts_in = ids.iter().filter(|id| receipts.has(id)).count();
    }
    // Throttled answers that the backoff sent again count too, those of
    // sessions that closed meanwhile included.
    let throttled_seen = esme.traffic().throttled;
    reader.abort();
    esme.unbind().await;
    let stopped = stop.reason();
    let summary = summary(&args, &run, receipts_in, throttled_seen, stopped);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{summary}")
    } else {
        write_summary(&mut out, &summary)
    }
    .and_then(|()| out.flush())
    .map_err(|e| format!("stdout: {e}"))?;
    Ok(run.tally.acknowledged == run.submitted && receipts_ok && stopped.is_none())
}

/// What submitting every message gave.
struct Run {
    submitted: u64,
    tally: Tally,
    elapsed: Duration,
}

/// The message of `kind` carrying `content`.
fn message<'a>(args: &'a BenchArgs, kind: Kind, content: &'a Payload) -> Message<'a> {
    Message {
        from: &args.from,
        to: &args.to,
        payload: content,
        dlr: args.dlr,
        flash: kind == Kind::Flash,
        port: None,
        split: args.split,
        languages: &[],
    }
}

/// Submits every message, keeping the windows full, and waits for every
/// response; a progress bar meanwhile. Stops submitting when `stop` says
/// so.
async fn submit_all(args: &BenchArgs, esme: &Esme, stop: &Stop) -> Result<Run, String> {
    let kinds = if args.mix.is_empty() {
        vec![Kind::Gsm]
    } else {
        args.mix.clone()
    };
    let bar = ProgressBar::new(args.count);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} messages  {per_sec}  eta {eta}")
            .map_err(|e| e.to_string())?,
    );
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut submitted = 0u64;
    let mut in_flight = JoinSet::new();
    let reference = fastrand::u16(..);
    let references = Arc::new(References::default());
    'messages: for n in 0..args.count {
        let kind = kinds
            .get(usize::try_from(n).unwrap_or(0) % kinds.len())
            .copied()
            .unwrap_or(Kind::Gsm);
        let content = payload(kind, n);
        let message = message(args, kind, &content);
        #[allow(clippy::cast_possible_truncation)] // references wrap
        let this = reference.wrapping_add(n as u16);
        let pdus = common::submit_sms(&message, this)?;
        // A long message waits for its reference to be free.
        let held = (pdus.len() > 1).then(|| (Arc::clone(&references), args.split.key(this)));
        if let Some((references, key)) = &held {
            tokio::select! {
                biased;
                () = stop.stopped() => break 'messages,
                () = references.take(*key, pdus.len()) => {}
            }
        }
        for pdu in pdus {
            let queued = tokio::select! {
                biased;
                () = stop.stopped() => break 'messages,
                queued = esme.queue(pdu) => queued,
            };
            submitted += 1;
            match queued {
                Ok(response) => {
                    let sent = Instant::now();
                    let held = held.clone();
                    in_flight.spawn(async move {
                        let answer = response
                            .await
                            .map(SmResponse::from)
                            .map_err(|e| Failure::from(&e));
                        if let Some((references, key)) = held {
                            references.answered(key);
                        }
                        (answer, sent.elapsed())
                    });
                }
                Err(e) => {
                    tally.add(Err(Failure::from(&e)), None, false);
                    if let Some((references, key)) = &held {
                        references.answered(*key);
                    }
                }
            }
            while let Some(done) = in_flight.try_join_next() {
                if let Ok((answer, waited)) = done {
                    tally.add(answer, Some(waited), args.dlr);
                }
            }
            // No session for the connect timeout: the messages left would
            // wait as long each.
            if tally.no_session {
                stop.stop(common::no_session(args.conn.connect_timeout()));
            }
        }
        bar.inc(1);
    }
    while let Some(done) = in_flight.join_next().await {
        if let Ok((answer, waited)) = done {
            tally.add(answer, Some(waited), args.dlr);
        }
    }
    if tally.no_session {
        stop.stop(common::no_session(args.conn.connect_timeout()));
    }
    bar.finish_and_clear();
    Ok(Run {
        submitted,
        tally,
        elapsed: started.elapsed(),
    })
}

/// The summary as JSON: submitted, acknowledged, errors by status,
/// throttled, receipts, throughput, latency percentiles.
fn summary(
    args: &BenchArgs,
    run: &Run,
    receipts_in: usize,
    throttled_seen: u64,
    stopped: Option<&str>,
) -> Value {
    let Run {
        submitted,
        ref tally,
        elapsed,
    } = *run;
    let mut latencies = tally.latencies.clone();
    latencies.sort_unstable();
    let l = &latencies;
    let secs = elapsed.as_secs_f64();
    #[allow(clippy::cast_precision_loss)] // a rate for people
    let throughput = if secs > 0.0 {
        tally.acknowledged as f64 / secs
    } else {
        0.0
    };
    json!({
        "messages": args.count,
        "submitted": submitted,
        "acknowledged": tally.acknowledged,
        "errors": tally.errors,
        "throttled": tally.throttled.max(throttled_seen),
        "receipts": receipts_in,
        "receipts_expected": if args.dlr { tally.ids.len() } else { 0 },
        "elapsed_s": secs,
        "throughput_per_s": throughput,
        "not_sent": tally.not_sent,
        "latency_ms": {
            "count": l.len(),
            "p50": ms(quantile(l, 0.50)),
            "p90": ms(quantile(l, 0.90)),
            "p99": ms(quantile(l, 0.99)),
            "max": ms(l.last().copied().unwrap_or(0)),
        },
        "stopped": stopped,
    })
}

/// Writes the summary for people to `out`.
fn write_summary(out: &mut impl Write, summary: &Value) -> std::io::Result<()> {
    let field = |key: &str| summary.get(key).cloned().unwrap_or(Value::Null);
    let number = |key: &str| summary.get(key).and_then(Value::as_f64).unwrap_or(0.0);
    writeln!(out, "messages      {}", field("messages"))?;
    writeln!(out, "submitted     {} submit_sm", field("submitted"))?;
    writeln!(out, "acknowledged  {}", field("acknowledged"))?;
    let errors: Vec<String> = summary
        .get("errors")
        .and_then(Value::as_object)
        .map(|e| e.iter().map(|(k, v)| format!("{k} {v}")).collect())
        .unwrap_or_default();
    writeln!(
        out,
        "errors        {}",
        if errors.is_empty() {
            "none".to_owned()
        } else {
            errors.join(", ")
        }
    )?;
    if number("not_sent") > 0.0 {
        writeln!(out, "not sent      {}", field("not_sent"))?;
    }
    writeln!(out, "throttled     {}", field("throttled"))?;
    if number("receipts_expected") > 0.0 {
        writeln!(
            out,
            "receipts      {} of {}",
            field("receipts"),
            field("receipts_expected")
        )?;
    }
    writeln!(out, "elapsed       {:.3} s", number("elapsed_s"))?;
    writeln!(
        out,
        "throughput    {:.1} submit_sm/s acknowledged",
        number("throughput_per_s")
    )?;
    let latency = |key: &str| {
        summary
            .get("latency_ms")
            .and_then(|l| l.get(key))
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    };
    writeln!(
        out,
        "latency       p50 {:.3} ms  p90 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
        latency("p50"),
        latency("p90"),
        latency("p99"),
        latency("max")
    )?;
    if let Some(why) = summary.get("stopped").and_then(Value::as_str) {
        writeln!(out, "stopped       {why}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use smpp_core::CommandId;
    use smpp_core::session::CloseReason;

    use super::{Error, Failure, Kind, Tally, error_kind, payload, quantile};
    use crate::common::Payload;

    #[test]
    fn a_lost_window_is_one_line_of_errors() {
        let mut tally = Tally::default();
        for sequence_number in 1..=100 {
            let lost = Error::OutcomeUnknown {
                command_id: CommandId::SUBMIT_SM,
                sequence_number,
                reason: CloseReason::Disconnected,
            };
            let late = Error::Timeout {
                command_id: CommandId::SUBMIT_SM,
                sequence_number,
            };
            for e in [lost, late] {
                tally.add(Err(Failure::from(&e)), None, false);
            }
        }
        assert_eq!(tally.errors.len(), 2, "{:?}", tally.errors);
        assert!(tally.errors.values().all(|&n| n == 100));
        let closed = Error::Closed(CloseReason::Disconnected);
        assert_eq!(error_kind(&closed), closed.to_string());
    }

    #[test]
    fn requests_that_found_no_session_are_one_line_and_stop_the_run() {
        let mut tally = Tally::default();
        for waited in [500, 501, 730] {
            let e = Error::NoSession(Duration::from_micros(500_000 + waited));
            tally.add(Err(Failure::from(&e)), None, false);
        }
        // Each waited its own time: one line all the same.
        assert_eq!(tally.errors.len(), 1, "{:?}", tally.errors);
        assert_eq!(tally.not_sent, 3);
        assert!(tally.no_session);
    }

    #[test]
    fn requests_never_sent_are_counted_apart_and_not_timed() {
        let mut tally = Tally::default();
        let closed = Error::Closed(CloseReason::Disconnected);
        let late = Error::Timeout {
            command_id: CommandId::SUBMIT_SM,
            sequence_number: 1,
        };
        tally.add(Err(Failure::from(&closed)), None, false);
        tally.add(
            Err(Failure::from(&closed)),
            Some(Duration::from_millis(900)),
            false,
        );
        tally.add(
            Err(Failure::from(&late)),
            Some(Duration::from_secs(30)),
            false,
        );
        assert_eq!(tally.not_sent, 2);
        assert_eq!(tally.errors.values().sum::<u64>(), 3);
        // Only responses are timed.
        assert!(tally.latencies.is_empty(), "{:?}", tally.latencies);
    }

    #[test]
    fn nearest_rank_quantiles() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(quantile(&v, 0.5), 50);
        assert_eq!(quantile(&v, 0.9), 90);
        assert_eq!(quantile(&v, 0.99), 99);
        assert_eq!(quantile(&[7], 0.99), 7);
        assert_eq!(quantile(&[], 0.5), 0);
    }

    #[test]
    fn long_messages_need_three_parts() {
        let Payload::Text(text) = payload(Kind::Long, 12) else {
            panic!("text")
        };
        // 153 septets per part with an 8-bit concatenation element.
        assert!(
            text.len() > 2 * 153 && text.len() <= 3 * 153,
            "{}",
            text.len()
        );
    }
}
