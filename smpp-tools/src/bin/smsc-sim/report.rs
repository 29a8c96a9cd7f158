//! What the simulator tells: its totals (the line printed at shutdown),
//! `GET /stats` (JSON), `GET /metrics` (Prometheus text) and the status
//! page, all read from the server's and the sessions' snapshots.

use core::fmt::Write as _;
use core::sync::atomic::Ordering;
use core::time::Duration;
use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::{Map, Value, json};
use smpp_core::CommandId;
use smpp_std::server::ServerHandle;
use smpp_std::session::{Handle, Latency, PduCount, Traffic};

use crate::sim::{Inner, bind_name, lock};

/// Rates over the last second, kept by [`sample`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Rates {
    /// Message PDUs received per second.
    pub(crate) messages: f64,
    /// `deliver_sm` sent per second.
    pub(crate) delivers: f64,
    messages_total: u64,
    delivers_total: u64,
}

const MESSAGE_COMMANDS: [CommandId; 3] = [
    CommandId::SUBMIT_SM,
    CommandId::DATA_SM,
    CommandId::SUBMIT_MULTI,
];

fn messages_received(traffic: &Traffic) -> u64 {
    MESSAGE_COMMANDS
        .iter()
        .map(|&c| traffic.received_of(c))
        .sum()
}

/// Updates the rates once a second, for ever.
pub(crate) async fn sample(server: ServerHandle, rates: &Mutex<Rates>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let traffic = server.traffic();
        let messages = messages_received(&traffic);
        let delivers = traffic.sent_of(CommandId::DELIVER_SM);
        let mut r = lock(rates);
        #[allow(clippy::cast_precision_loss)] // rates for people
        {
            r.messages = messages.saturating_sub(r.messages_total) as f64;
            r.delivers = delivers.saturating_sub(r.delivers_total) as f64;
        }
        r.messages_total = messages;
        r.delivers_total = delivers;
    }
}

/// PDU counts as `{"command": {"status": count}}`.
fn counts(list: &[PduCount]) -> Value {
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for c in list {
        *out.entry(c.command_id.to_string())
            .or_default()
            .entry(c.command_status.to_string())
            .or_default() += c.count;
    }
    json!(out)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn latency(l: &Latency) -> Value {
    json!({
        "count": l.count,
        "p50": millis(l.p50),
        "p90": millis(l.p90),
        "p99": millis(l.p99),
        "max": millis(l.max),
    })
}

fn traffic_json(t: &Traffic) -> Value {
    json!({
        "received": counts(&t.received),
        "sent": counts(&t.sent),
        "throttled": t.throttled,
        "timeouts": t.timeouts,
        "protocol_errors": t.protocol_errors,
        "latency_ms": latency(&t.latency),
    })
}

fn session_json(inner: &Inner, session: &Handle) -> Value {
    let info = session.bind_info();
    let stats = session.stats();
    json!({
        "system_id": info.map(|b| b.system_id.to_string()),
        "bind_type": info.map(|b| bind_name(b.bind_type)),
        "peer": session.peer_addr().map(|p| p.to_string()),
        "tls": inner.is_tls(session.peer_addr()),
        "address_range": info.map(|b| b.address_range.to_string()),
        "counters": traffic_json(&stats.traffic),
        "outstanding": stats.outstanding,
        "window": stats.window,
    })
}

/// The totals: what the server admitted and refused, what the simulator
/// did, every PDU in and out.
pub(crate) fn totals(inner: &Inner, server: &ServerHandle) -> Map<String, Value> {
    let c = &inner.counters;
    let stats = server.stats();
    let traffic = server.traffic();
    let assembly = inner.assembly();
    let receipts = inner.receipts();
    let value = json!({
        "uptime_s": inner.started.elapsed().as_secs_f64(),
        "connections": stats.connections,
        "bound": stats.bound,
        "closed": stats.closed,
        "binds_refused": {
            "credentials": count(&c.binds_refused),
            "max_binds_per_user": stats.binds_refused_account,
            "full": stats.binds_refused_full,
        },
        "messages": count(&c.accepted),
        "messages_refused": count(&c.refused),
        "messages_complete": count(&c.complete),
        "parts_pending": assembly.parts_pending,
        "messages_incomplete": assembly.messages_incomplete,
        "messages_expired": assembly.messages_expired,
        "parts_expired": assembly.parts_expired,
        "throttled": count(&c.throttled) + stats.throttled,
        "receipts": receipts.sent,
        "receipts_failed": receipts.failed,
        "receipts_waiting": receipts.waiting,
        "receipts_sending": receipts.sending,
        "receipts_dropped": receipts.dropped,
        "receipts_due": inner.receipts_due(),
        "mo": count(&c.mo_sent),
        "mo_failed": count(&c.mo_failed),
        "mo_skipped": count(&c.mo_skipped),
        "outbinds": count(&c.outbinds),
        "outbinds_failed": count(&c.outbinds_failed),
        "queries": count(&c.queries),
        "cancels": count(&c.cancels),
        "replaces": count(&c.replaces),
        "stored": inner.stored(),
        "received": counts(&traffic.received),
        "sent": counts(&traffic.sent),
        "protocol_errors": traffic.protocol_errors,
        "deliver_latency_ms": latency(&traffic.latency),
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `GET /stats`: every bound session, the totals, the rates and the last
/// complete messages.
pub(crate) fn stats(inner: &Inner, server: &ServerHandle, rates: Rates) -> Value {
    let sessions: Vec<Value> = server
        .sessions()
        .iter()
        .map(|s| session_json(inner, s))
        .collect();
    json!({
        "sessions": sessions,
        "totals": totals(inner, server),
        "rates": {"messages_per_s": rates.messages, "delivers_per_s": rates.delivers},
        "recent": inner.recent(),
    })
}

/// Prometheus text: one family, its help and type, and its samples.
struct Families(String);

impl Families {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: impl core::fmt::Display) {
        self.0.push_str(name);
        if !labels.is_empty() {
            self.0.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.0.push(',');
                }
                let v = v.replace('\\', "\\\\").replace('"', "\\\"");
                let _ = write!(self.0, "{k}=\"{v}\"");
            }
            self.0.push('}');
        }
        let _ = writeln!(self.0, " {value}");
    }

    fn one(&mut self, name: &str, kind: &str, help: &str, value: impl core::fmt::Display) {
        self.family(name, kind, help);
        self.sample(name, &[], value);
    }
}

/// `GET /metrics`: the Prometheus text exposition format (0.0.4).
pub(crate) fn prometheus(inner: &Inner, server: &ServerHandle) -> String {
    let mut m = Families(String::new());
    m.one(
        "smsc_sim_uptime_seconds",
        "gauge",
        "Seconds since the simulator started.",
        inner.started.elapsed().as_secs_f64(),
    );
    sessions_metrics(&mut m, inner, server);
    message_metrics(&mut m, inner, server);
    traffic_metrics(&mut m, &server.traffic());
    m.0
}

fn count(a: &core::sync::atomic::AtomicU64) -> u64 {
    a.load(Ordering::Relaxed)
}

/// Connections, sessions, refused binds.
fn sessions_metrics(m: &mut Families, inner: &Inner, server: &ServerHandle) {
    let stats = server.stats();
    m.one(
        "smsc_sim_connections_total",
        "counter",
        "Connections accepted.",
        stats.connections,
    );
    m.family(
        "smsc_sim_sessions",
        "gauge",
        "Sessions bound now, by bind type.",
    );
    let mut by_type: BTreeMap<&str, u64> = ["transmitter", "receiver", "transceiver"]
        .into_iter()
        .map(|t| (t, 0))
        .collect();
    for session in server.sessions() {
        if let Some(info) = session.bind_info() {
            *by_type.entry(bind_name(info.bind_type)).or_default() += 1;
        }
    }
    for (bind_type, n) in by_type {
        m.sample("smsc_sim_sessions", &[("bind_type", bind_type)], n);
    }
    m.family(
        "smsc_sim_binds_refused_total",
        "counter",
        "Binds refused, by reason.",
    );
    for (reason, n) in [
        ("credentials", count(&inner.counters.binds_refused)),
        ("max_binds_per_user", stats.binds_refused_account),
        ("full", stats.binds_refused_full),
    ] {
        m.sample("smsc_sim_binds_refused_total", &[("reason", reason)], n);
    }
}

/// Messages, throttling, receipts, mobile-originated messages.
fn message_metrics(m: &mut Families, inner: &Inner, server: &ServerHandle) {
    let c = &inner.counters;
    m.one(
        "smsc_sim_messages_total",
        "counter",
        "Message PDUs accepted (submit_sm, data_sm, submit_multi).",
        count(&c.accepted),
    );
    m.one(
        "smsc_sim_messages_refused_total",
        "counter",
        "Message PDUs refused.",
        count(&c.refused),
    );
    m.one(
        "smsc_sim_messages_complete_total",
        "counter",
        "Complete messages, long ones joined.",
        count(&c.complete),
    );
    let assembly = inner.assembly();
    m.one(
        "smsc_sim_messages_incomplete",
        "gauge",
        "Long messages waiting for the rest of their parts.",
        assembly.messages_incomplete,
    );
    m.one(
        "smsc_sim_parts_pending",
        "gauge",
        "Parts received of the long messages waiting for the rest.",
        assembly.parts_pending,
    );
    m.one(
        "smsc_sim_messages_expired_total",
        "counter",
        "Long messages dropped before all their parts came.",
        assembly.messages_expired,
    );
    m.one(
        "smsc_sim_throttled_total",
        "counter",
        "Message PDUs answered ESME_RTHROTTLED.",
        count(&c.throttled) + server.stats().throttled,
    );
    m.family(
        "smsc_sim_receipts_total",
        "counter",
        "Delivery receipts, by outcome.",
    );
    let receipts = inner.receipts();
    for (result, n) in [
        ("sent", receipts.sent),
        ("failed", receipts.failed),
        ("dropped", receipts.dropped),
    ] {
        m.sample("smsc_sim_receipts_total", &[("result", result)], n);
    }
    m.one(
        "smsc_sim_receipts_waiting",
        "gauge",
        "Receipts waiting for a receiver of their account (none bound, or every window full).",
        receipts.waiting,
    );
    m.one(
        "smsc_sim_receipts_sending",
        "gauge",
        "Receipts being sent: waiting for a window slot, for an answer, or to be sent again.",
        receipts.sending,
    );
    m.one(
        "smsc_sim_receipts_due",
        "gauge",
        "Receipts of messages still waiting out the receipt delay.",
        inner.receipts_due(),
    );
    m.family(
        "smsc_sim_mo_total",
        "counter",
        "Mobile-originated message parts, by outcome.",
    );
    let outcomes = [
        ("sent", count(&c.mo_sent)),
        ("failed", count(&c.mo_failed)),
        ("skipped", count(&c.mo_skipped)),
    ];
    for (result, n) in outcomes {
        m.sample("smsc_sim_mo_total", &[("result", result)], n);
    }
    m.one(
        "smsc_sim_stored_messages",
        "gauge",
        "Messages kept for query_sm, cancel_sm and replace_sm.",
        inner.stored(),
    );
}

/// PDUs by direction, command and status; protocol errors; latency.
fn traffic_metrics(m: &mut Families, traffic: &Traffic) {
    m.family(
        "smsc_sim_pdus_total",
        "counter",
        "PDUs by direction, command and status.",
    );
    for (direction, list) in [("in", &traffic.received), ("out", &traffic.sent)] {
        for pdu in list {
            let command_name = pdu.command_id.to_string();
            let status_name = pdu.command_status.to_string();
            m.sample(
                "smsc_sim_pdus_total",
                &[
                    ("direction", direction),
                    ("command", &command_name),
                    ("status", &status_name),
                ],
                pdu.count,
            );
        }
    }
    m.one(
        "smsc_sim_protocol_errors_total",
        "counter",
        "Protocol errors of the ESMEs.",
        traffic.protocol_errors,
    );
    m.family(
        "smsc_sim_deliver_latency_seconds",
        "gauge",
        "How long deliver_sm waited for its response: quantiles since the start.",
    );
    let l = traffic.latency;
    for (q, d) in [
        ("0.5", l.p50),
        ("0.9", l.p90),
        ("0.99", l.p99),
        ("1", l.max),
    ] {
        m.sample(
            "smsc_sim_deliver_latency_seconds",
            &[("quantile", q)],
            d.as_secs_f64(),
        );
    }
}

/// Text for HTML.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn text_of(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => escape(s),
        Some(Value::Null) | None => String::new(),
        Some(other) => escape(&other.to_string()),
    }
}

/// The totals the status page shows.
const PAGE_TOTALS: [&str; 8] = [
    "messages",
    "messages_complete",
    "throttled",
    "receipts",
    "receipts_waiting",
    "mo",
    "stored",
    "connections",
];

/// `GET /`: a status page that reloads itself every two seconds.
pub(crate) fn page(inner: &Inner, server: &ServerHandle, rates: Rates) -> String {
    let totals = totals(inner, server);
    let total = |k: &str| totals.get(k).map(ToString::to_string).unwrap_or_default();
    let mut html = String::from(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"2\"><title>smsc-sim</title>\
         <style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}\
         td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}\
         .n{text-align:right}</style></head><body>\n<h1>smsc-sim</h1>\n",
    );
    let _ = writeln!(
        html,
        "<p>Up {:.0} s &middot; {} sessions bound &middot; {:.0} messages/s in &middot; \
         {:.0} deliver_sm/s out</p>",
        inner.started.elapsed().as_secs_f64(),
        total("bound"),
        rates.messages,
        rates.delivers,
    );
    html.push_str("<table><tr>");
    for key in PAGE_TOTALS {
        let _ = write!(html, "<th>{key}</th>");
    }
    html.push_str("</tr><tr>");
    for key in PAGE_TOTALS {
        let _ = write!(html, "<td class=\"n\">{}</td>", total(key));
    }
    html.push_str(
        "</tr></table>\n<h2>Sessions</h2>\n<table><tr><th>system_id</th><th>bind</th>\
                   <th>peer</th><th>TLS</th><th>messages in</th><th>deliver_sm out</th>\
                   <th>outstanding</th></tr>\n",
    );
    for session in server.sessions() {
        let Some(info) = session.bind_info() else {
            continue;
        };
        let stats = session.stats();
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&info.system_id.to_string()),
            bind_name(info.bind_type),
            session
                .peer_addr()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            if inner.is_tls(session.peer_addr()) {
                "yes"
            } else {
                "no"
            },
            messages_received(&stats.traffic),
            stats.traffic.sent_of(CommandId::DELIVER_SM),
            stats.outstanding,
        );
    }
    html.push_str(
        "</table>\n<h2>Last messages</h2>\n<table><tr><th>system_id</th><th>from</th>\
                   <th>to</th><th>parts</th><th>text</th></tr>\n",
    );
    for message in inner.recent().iter().rev() {
        let body = match message.get("text") {
            Some(_) => text_of(message, "text"),
            None => format!("<code>{}</code>", text_of(message, "hex")),
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{body}</td></tr>",
            text_of(message, "system_id"),
            text_of(message, "source"),
            text_of(message, "destination"),
            text_of(message, "parts"),
        );
    }
    html.push_str("</table>\n</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::{Families, escape};

    #[test]
    fn labels_are_quoted_and_escaped() {
        let mut m = Families(String::new());
        m.family("x_total", "counter", "X.");
        m.sample("x_total", &[("a", "b\"c"), ("d", "e\\")], 3);
        assert_eq!(
            m.0,
            "# HELP x_total X.\n# TYPE x_total counter\nx_total{a=\"b\\\"c\",d=\"e\\\\\"} 3\n"
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }
}
