//! The connections a blocking client runs over.

use core::time::Duration;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};

/// A blocking byte stream whose reads and writes can be given a timeout:
/// what a [`Client`](super::Client) runs over.
///
/// The client runs the session timers (`enquire_link_timer`, the
/// `response_timer` of each request, the write timer) by bounding every
/// read and write with the time left to the next one, so a read or write
/// must return once its timeout passed: with
/// [`io::ErrorKind::WouldBlock`] or [`io::ErrorKind::TimedOut`] if nothing
/// moved, as [`TcpStream`] does.
///
/// Implemented for [`TcpStream`] (and Unix domain sockets); a stream layered
/// over a TCP socket, such as a TLS stream, runs through [`WithSocket`].
///
/// A connection that counts the octets written:
///
/// ```
/// use core::time::Duration;
/// use std::io::{self, Read, Write};
/// use std::net::TcpStream;
///
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::CommandStatus;
/// use smpp_std::blocking::{Answer, Client, Transport};
///
/// struct Counted {
///     tcp: TcpStream,
///     written: usize,
/// }
///
/// impl Read for Counted {
///     fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
///         self.tcp.read(buf)
///     }
/// }
///
/// impl Write for Counted {
///     fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
///         let n = self.tcp.write(buf)?;
///         self.written += n;
///         Ok(n)
///     }
///
///     fn flush(&mut self) -> io::Result<()> {
///         self.tcp.flush()
///     }
/// }
///
/// impl Transport for Counted {
///     fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
///         self.tcp.set_read_timeout(timeout)
///     }
///
///     fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
///         self.tcp.set_write_timeout(timeout)
///     }
///
///     fn shutdown(&mut self) -> io::Result<()> {
///         self.tcp.shutdown(std::net::Shutdown::Both)
///     }
/// }
/// # use std::sync::Arc;
/// # use smpp_std::server::{BindRequest, Context, Handler, Server};
/// # struct Smsc;
/// # impl Handler for Smsc {
/// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
/// #     async fn request(&self, _: &Context, pdu: smpp_std::Pdu) -> Answer {
/// #         Answer::message_id(format!("id-{}", pdu.sequence_number))
/// #     }
/// # }
/// # /// An SMSC on a thread of its own.
/// # fn smsc() -> std::net::SocketAddr {
/// #     let (tx, rx) = std::sync::mpsc::channel();
/// #     std::thread::spawn(move || {
/// #         let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// #         runtime.block_on(async move {
/// #             let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await.unwrap();
/// #             tx.send(server.local_addr().unwrap()).unwrap();
/// #             server.run().await
/// #         })
/// #     });
/// #     rx.recv().unwrap()
/// # }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let addr = smsc();
///
/// let counted = Counted { tcp: TcpStream::connect(addr)?, written: 0 };
/// let client = Client::bind(counted, Config::esme(BindType::Transmitter))?;
/// // bind_transmitter: a 16-octet header and seven empty fields.
/// assert_eq!(client.get_ref().written, 16 + 7);
/// # Ok(())
/// # }
/// ```
pub trait Transport: Read + Write {
    /// How long the next reads may block; `None`: until data comes.
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()>;

    /// How long the next writes may block; `None`: until room comes.
    fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()>;

    /// Ends the connection both ways, once the session is closed.
    fn shutdown(&mut self) -> io::Result<()>;
}

/// `Transport` for a socket type with the standard timeout and shutdown
/// calls.
macro_rules! socket_transport {
    ($($(#[$meta:meta])* $socket:ty),+) => {$(
        $(#[$meta])*
        impl Transport for $socket {
            fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
                Self::set_read_timeout(self, timeout)
            }

            fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
                Self::set_write_timeout(self, timeout)
            }

            fn shutdown(&mut self) -> io::Result<()> {
                Self::shutdown(self, Shutdown::Both)
            }
        }
    )+};
}

socket_transport!(
    TcpStream,
    #[cfg(unix)]
    std::os::unix::net::UnixStream
);

/// A stream layered over a TCP socket (TLS, for example), with a handle on
/// that socket for the timeouts and the shutdown: reads and writes go
/// through the stream, timeouts and shutdown to the socket.
///
/// The socket is a [`TcpStream::try_clone`] of the one under the stream:
/// both name the same connection, so a timeout set on one holds for the
/// other.
///
/// ```
/// use std::io::{Read, Write};
/// use std::net::{TcpListener, TcpStream};
///
/// use smpp_core::CommandStatus;
/// use smpp_core::session::{BindType, Config};
/// use smpp_std::blocking::{Client, WithSocket};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // An SMSC that refuses every bind with ESME_RINVPASWD.
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let addr = listener.local_addr()?;
/// std::thread::spawn(move || -> std::io::Result<()> {
///     let (mut esme, _) = listener.accept()?;
///     let mut bind = [0u8; 64];
///     let _ = esme.read(&mut bind)?;
///     // bind_transceiver_resp, ESME_RINVPASWD, sequence_number 1.
///     esme.write_all(&[0, 0, 0, 16, 0x80, 0, 0, 9, 0, 0, 0, 0x0E, 0, 0, 0, 1])
/// });
///
/// let tcp = TcpStream::connect(addr)?;
/// let socket = tcp.try_clone()?;
/// // `layer` stands for a TLS layer over the socket (for instance
/// // `rustls::StreamOwned::new(connection, tcp)`); here it adds nothing.
/// let tls = layer(tcp);
/// let stream = WithSocket::new(tls, socket);
/// assert_eq!(stream.socket().peer_addr()?, addr);
/// // `get_ref` gives the layered stream: here the socket itself.
/// assert_eq!(stream.get_ref().local_addr()?, stream.socket().local_addr()?);
/// let (tls, socket) = stream.into_inner();
/// let error = Client::bind(WithSocket::new(tls, socket), Config::esme(BindType::Transceiver))
///     .unwrap_err();
/// assert_eq!(error.command_status(), Some(CommandStatus::ESME_RINVPASWD));
/// # Ok(())
/// # }
/// # fn layer(tcp: TcpStream) -> TcpStream { tcp }
/// ```
#[derive(Debug)]
pub struct WithSocket<S> {
    stream: S,
    socket: TcpStream,
}

impl<S> WithSocket<S> {
    /// `stream`, layered over `socket`.
    ///
    /// See the example on [`WithSocket`].
    pub fn new(stream: S, socket: TcpStream) -> Self {
        Self { stream, socket }
    }

    /// The stream.
    ///
    /// See the example on [`WithSocket`].
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The socket under the stream.
    ///
    /// See the example on [`WithSocket`].
    pub fn socket(&self) -> &TcpStream {
        &self.socket
    }

    /// The stream and the socket.
    ///
    /// See the example on [`WithSocket`].
    pub fn into_inner(self) -> (S, TcpStream) {
        (self.stream, self.socket)
    }
}

impl<S: Read> Read for WithSocket<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

impl<S: Write> Write for WithSocket<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl<S: Read + Write> Transport for WithSocket<S> {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket.set_read_timeout(timeout)
    }

    fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket.set_write_timeout(timeout)
    }

    fn shutdown(&mut self) -> io::Result<()> {
        self.socket.shutdown(Shutdown::Both)
    }
}
