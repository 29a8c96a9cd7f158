//! `esme listen`: prints each mobile-originated message (long ones
//! joined) and receipt as one JSON line, and acknowledges it once the line
//! is written.

use core::time::Duration;
use std::io::Write as _;

use clap::Args;
use serde_json::{Map, Value};
use smpp_core::CommandStatus;
use smpp_core::session::Config;
use smpp_std::Outbind;
use smpp_std::client::{self, Client, Esme, EsmeIncoming};
use smpp_std::session::{Answer, Incoming, Request};
use smpp_tools::message::{Assembler, UserData, receipt_json};
use tokio::net::TcpListener;
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
    /// Instead of connecting, waits on ADDR:PORT for an SMSC to connect
    /// and send outbind, then binds on that connection; after each session
    /// ends, waits for the next outbind. The address is printed on stderr
    /// as {"outbind_listening":"ADDR:PORT"}.
    // The doc comment is the `--help` text, shown as it is.
    #[allow(clippy::doc_markdown)]
    #[arg(long, value_name = "ADDR:PORT", conflicts_with_all = ["connect", "tls", "binds"])]
    accept_outbind: Option<String>,
    /// Accepts only an outbind carrying this password (any without it).
    #[arg(long, value_name = "PW", requires = "accept_outbind")]
    outbind_password: Option<String>,
}

/// Where the SMSC's requests come from: the sessions the ESME binds, or
/// one session at a time bound after an SMSC's outbind.
enum Source {
    Connected(Esme, EsmeIncoming),
    Outbind(Box<Outbinds>),
}

/// Sessions bound after an outbind, one at a time.
struct Outbinds {
    listener: TcpListener,
    config: Config,
    password: Option<String>,
    current: Option<(Client, Incoming)>,
}

impl Outbinds {
    /// The next request of the current session; once it ends, of the
    /// session bound after the next accepted outbind.
    async fn recv(&mut self) -> Option<Request> {
        loop {
            if let Some((_, incoming)) = &mut self.current {
                if let Some(request) = incoming.recv().await {
                    return Some(request);
                }
                self.current = None;
            }
            self.current = self.accept().await;
        }
    }

    /// Waits for an SMSC's connection and its outbind, and binds: the
    /// session, or `None` (said on stderr) when that failed.
    async fn accept(&self) -> Option<(Client, Incoming)> {
        let (stream, peer) = match self.listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("esme: --accept-outbind: {e}");
                // Out of descriptors, say: not a busy loop.
                tokio::time::sleep(Duration::from_millis(100)).await;
                return None;
            }
        };
        let _ = stream.set_nodelay(true);
        let password = self.password.clone();
        let check = move |outbind: &Outbind| {
            password
                .as_ref()
                .is_none_or(|pw| outbind.password.as_bytes() == pw.as_bytes())
        };
        match client::accept_outbind(stream, self.config.clone(), check).await {
            Ok(session) => {
                eprintln!("esme: bound after an outbind from {peer}");
                Some(session)
            }
            Err(e) => {
                eprintln!("esme: outbind from {peer}: {e}");
                None
            }
        }
    }

    async fn unbind(&mut self) {
        if let Some((client, incoming)) = self.current.take() {
            drop(incoming);
            let _ = client.unbind().await;
        }
    }
}

impl Source {
    async fn recv(&mut self) -> Option<Request> {
        match self {
            Self::Connected(_, incoming) => incoming.recv().await,
            Self::Outbind(outbinds) => outbinds.recv().await,
        }
    }

    /// Unbinds; requests received but not taken get `ESME_RX_T_APPN`.
    async fn unbind(self) {
        match self {
            Self::Connected(esme, incoming) => {
                drop(incoming);
                esme.unbind().await;
            }
            Self::Outbind(mut outbinds) => outbinds.unbind().await,
        }
    }
}

/// Starts receiving as the flags say.
async fn source(args: &ListenArgs, stop: &Stop) -> Result<Source, String> {
    let Some(addr) = &args.accept_outbind else {
        let (esme, incoming) = common::start(&args.conn, Bind::Rx, stop, |b| b).await?;
        return Ok(Source::Connected(esme, incoming));
    };
    let config = args.conn.config(Bind::Rx)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("--accept-outbind {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!(
        "{}",
        serde_json::json!({ "outbind_listening": local.to_string() })
    );
    Ok(Source::Outbind(Box::new(Outbinds {
        listener,
        config,
        password: args.outbind_password.clone(),
        current: None,
    })))
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
    let mut source = source(&args, &stop).await?;
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
            request = source.recv() => request,
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
    source.unbind().await;
    match failed {
        Some(e) => Err(e),
        None => Ok(args.count.is_none_or(|count| seen >= count)),
    }
}
