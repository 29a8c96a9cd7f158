//! What a session is configured with: its role, credentials and timers.

use core::time::Duration;

use crate::error::{Error, ErrorKind, Field, FieldProblem};
use crate::values::{InterfaceVersion, Npi, Ton};

use super::state::{BindType, Role};

/// The session timers of SMPP v5.0 2.8 (Table 2-3). `None` turns a timer
/// off.
///
/// The specification names the timers and leaves their values to the
/// operators; the defaults here are common choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timers {
    /// `session_init_timer`: how long after the connection is established
    /// the session may stay unbound before it is closed
    /// ([`CloseReason::SessionInitTimeout`](super::CloseReason::SessionInitTimeout)).
    /// It counts from the connection's start. An ESME's does not run while
    /// its bind awaits the response (the `response_timer` applies then, and
    /// an unanswered bind closes the session with
    /// [`CloseReason::ResponseTimeout`](super::CloseReason::ResponseTimeout)),
    /// and runs again after a refused bind; an MC's runs until its
    /// application accepts a bind, also while the application decides.
    /// Default 30 s.
    pub session_init_timer: Option<Duration>,
    /// `enquire_link_timer`: how long a bound session may go without
    /// receiving any PDU before the engine sends `enquire_link`. Default
    /// 60 s.
    pub enquire_link_timer: Option<Duration>,
    /// `inactivity_timer`: how long a bound session may go without any
    /// request or response other than `enquire_link` and its response
    /// before the engine unbinds. Default off.
    pub inactivity_timer: Option<Duration>,
    /// `response_timer`: how long a request may wait for its response.
    /// Requests of the application past it are reported timed out; the
    /// engine's own (`bind_*`, `enquire_link`, `unbind`) close the session.
    /// Also how long an `UNBOUND` session waits for the peer to close the
    /// connection. Default 30 s.
    pub response_timer: Duration,
    /// How long octets queued for sending may wait without any of them
    /// being written (the peer stopped reading) before the session is
    /// closed ([`CloseReason::WriteTimeout`](super::CloseReason::WriteTimeout)).
    /// `None`: the `response_timer`. Default `None`.
    pub write_timer: Option<Duration>,
}

impl Timers {
    /// The defaults (see each field).
    pub const DEFAULT: Self = Self {
        session_init_timer: Some(Duration::from_secs(30)),
        enquire_link_timer: Some(Duration::from_secs(60)),
        inactivity_timer: None,
        response_timer: Duration::from_secs(30),
        write_timer: None,
    };

    /// The write timer in effect: `write_timer`, or the `response_timer`.
    pub const fn write_timer(&self) -> Duration {
        match self.write_timer {
            Some(timer) => timer,
            None => self.response_timer,
        }
    }
}

impl Default for Timers {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What a session does with a request of the peer that finds its inbound
/// window full: as many of the peer's requests as
/// [`Config::with_inbound_window`] allows already await the application's
/// answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum InboundOverflow {
    /// Leave it unread: [`Session::handle_frame`](super::Session::handle_frame)
    /// refuses the frame ([`SessionError::InboundWindowFull`](super::SessionError::InboundWindowFull))
    /// until the application answers a request, and a driver stops reading
    /// the connection meanwhile, so that TCP slows the peer down. Nothing
    /// is refused and nothing is lost. The default.
    #[default]
    Wait,
    /// Answer it at once, without the application: `ESME_RTHROTTLED` from
    /// an MC, `ESME_RX_T_APPN` from an ESME (the peer retries later), and
    /// report [`ProtocolError::WindowExceeded`](super::ProtocolError::WindowExceeded).
    Refuse,
}

/// A C-Octet String value of at most `N` characters (the NUL not counted).
type Text<const N: usize> = heapless::Vec<u8, N>;

/// The value of `field` as a [`Text`], or the error encoding it would give.
fn text<const N: usize>(field: Field, value: &[u8]) -> Result<Text<N>, Error> {
    if value.contains(&0) {
        return Err(field_error(field, FieldProblem::EmbeddedNul));
    }
    Text::from_slice(value).map_err(|_| {
        field_error(
            field,
            FieldProblem::TooLong {
                max: N + 1,
                len: value.len() + 1,
            },
        )
    })
}

fn field_error(field: Field, problem: FieldProblem) -> Error {
    Error::new(ErrorKind::Field { field, problem })
}

/// The configuration of a [`Session`](super::Session): which side it
/// plays, how it binds (an ESME) or what it answers binds with (an MC), the
/// timers and the window.
///
/// String fields are checked against their maximum sizes when set, with
/// the error encoding would give (`system_id` has at most 15 characters,
/// `password` 8, `system_type` 12, `address_range` 40).
///
/// ```
/// use core::time::Duration;
/// use smpp_core::InterfaceVersion;
/// use smpp_core::session::{BindType, Config, Timers};
///
/// let config = Config::esme(BindType::Transceiver)
///     .with_system_id("ESME01")?
///     .with_password("secret")?
///     .with_system_type("VMS")?
///     .with_interface_version(InterfaceVersion::V50)
///     .with_window(10)
///     .with_timers(Timers {
///         enquire_link_timer: Some(Duration::from_secs(30)),
///         ..Timers::DEFAULT
///     });
/// assert_eq!(config.system_id(), b"ESME01");
///
/// // Too long for system_id (15 characters).
/// assert!(Config::mc().with_system_id("SIXTEEN_CHARS_XX").is_err());
/// # Ok::<(), smpp_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    role: Role,
    bind_type: BindType,
    interface_version: InterfaceVersion,
    system_id: Text<15>,
    password: Text<8>,
    system_type: Text<12>,
    addr_ton: Ton,
    addr_npi: Npi,
    address_range: Text<40>,
    timers: Timers,
    window: usize,
    inbound_window: usize,
    inbound_overflow: InboundOverflow,
    first_sequence_number: u32,
}

impl Config {
    /// An ESME that binds as `bind_type`, speaking v3.4 (set another
    /// version with [`Self::with_interface_version`]), with empty
    /// credentials, the default timers, a window of 10 and an inbound
    /// window of 64 that waits when full.
    pub const fn esme(bind_type: BindType) -> Self {
        Self::new(Role::Esme, bind_type)
    }

    /// An MC speaking v3.4 (see [`Self::with_interface_version`]); its
    /// `system_id` answers binds (`bind_*_resp`) and signs `outbind`.
    pub const fn mc() -> Self {
        Self::new(Role::Mc, BindType::Transceiver)
    }

    const fn new(role: Role, bind_type: BindType) -> Self {
        Self {
            role,
            bind_type,
            interface_version: InterfaceVersion::V34,
            system_id: heapless::Vec::new(),
            password: heapless::Vec::new(),
            system_type: heapless::Vec::new(),
            addr_ton: Ton::UNKNOWN,
            addr_npi: Npi::UNKNOWN,
            address_range: heapless::Vec::new(),
            timers: Timers::DEFAULT,
            window: 10,
            inbound_window: 64,
            inbound_overflow: InboundOverflow::Wait,
            first_sequence_number: 1,
        }
    }

    /// `system_id`: the ESME's identity in its bind, the MC's in its bind
    /// responses and `outbind`.
    ///
    /// # Errors
    ///
    /// More than 15 characters ([`FieldProblem::TooLong`], `ESME_RINVSYSID`)
    /// or a NUL inside ([`FieldProblem::EmbeddedNul`]): what encoding the
    /// bind would give.
    pub fn with_system_id(mut self, system_id: &str) -> Result<Self, Error> {
        self.system_id = text(Field::SystemId, system_id.as_bytes())?;
        Ok(self)
    }

    /// `password`: sent in the ESME's bind and in the MC's `outbind`.
    ///
    /// # Errors
    ///
    /// More than 8 characters ([`FieldProblem::TooLong`], `ESME_RINVPASWD`)
    /// or a NUL inside ([`FieldProblem::EmbeddedNul`]).
    pub fn with_password(mut self, password: &str) -> Result<Self, Error> {
        self.password = text(Field::Password, password.as_bytes())?;
        Ok(self)
    }

    /// `system_type` of the ESME's bind.
    ///
    /// # Errors
    ///
    /// More than 12 characters ([`FieldProblem::TooLong`]) or a NUL inside
    /// ([`FieldProblem::EmbeddedNul`]).
    pub fn with_system_type(mut self, system_type: &str) -> Result<Self, Error> {
        self.system_type = text(Field::SystemType, system_type.as_bytes())?;
        Ok(self)
    }

    /// `addr_ton`, `addr_npi` and `address_range` of the ESME's bind
    /// (the addresses it serves, a regular expression in v5.0).
    ///
    /// # Errors
    ///
    /// An `address_range` of more than 40 characters
    /// ([`FieldProblem::TooLong`]) or with a NUL inside
    /// ([`FieldProblem::EmbeddedNul`]).
    pub fn with_address_range(
        mut self,
        addr_ton: Ton,
        addr_npi: Npi,
        address_range: &str,
    ) -> Result<Self, Error> {
        self.address_range = text(Field::AddressRange, address_range.as_bytes())?;
        self.addr_ton = addr_ton;
        self.addr_npi = addr_npi;
        Ok(self)
    }

    /// The version this side speaks: `interface_version` of the ESME's
    /// bind, `sc_interface_version` of the MC's bind responses. The session
    /// uses the lower of both sides' versions once bound.
    #[must_use]
    pub const fn with_interface_version(mut self, interface_version: InterfaceVersion) -> Self {
        self.interface_version = interface_version;
        self
    }

    /// How the ESME binds (ignored by an MC: the ESME chooses).
    #[must_use]
    pub const fn with_bind_type(mut self, bind_type: BindType) -> Self {
        self.bind_type = bind_type;
        self
    }

    /// The session timers.
    #[must_use]
    pub const fn with_timers(mut self, timers: Timers) -> Self {
        self.timers = timers;
        self
    }

    /// The window: how many requests of the application may await their
    /// response at once (at least 1; the storage's `WINDOW` capacity caps
    /// it). Default 10.
    #[must_use]
    pub const fn with_window(mut self, window: usize) -> Self {
        self.window = if window == 0 { 1 } else { window };
        self
    }

    /// The inbound window: how many requests of the peer may await the
    /// application's answer at once (at least 1; the storage's `WINDOW`
    /// capacity caps it). Default 64. What happens beyond it is
    /// [`Self::with_inbound_overflow`]'s choice.
    #[must_use]
    pub const fn with_inbound_window(mut self, window: usize) -> Self {
        self.inbound_window = if window == 0 { 1 } else { window };
        self
    }

    /// What a request of the peer beyond the inbound window gets: wait
    /// (back-pressure, the default) or an immediate refusal.
    #[must_use]
    pub const fn with_inbound_overflow(mut self, overflow: InboundOverflow) -> Self {
        self.inbound_overflow = overflow;
        self
    }

    /// The first `sequence_number` the session allocates (1 by default; a
    /// value outside 1..=0x7FFFFFFF means 1). Numbers then increase and
    /// wrap from 0x7FFFFFFF to 1.
    #[must_use]
    pub const fn with_first_sequence_number(mut self, first: u32) -> Self {
        self.first_sequence_number = first;
        self
    }

    /// The side the session plays.
    pub const fn role(&self) -> Role {
        self.role
    }

    /// How the ESME binds.
    pub const fn bind_type(&self) -> BindType {
        self.bind_type
    }

    /// The version this side speaks.
    pub const fn interface_version(&self) -> InterfaceVersion {
        self.interface_version
    }

    /// `system_id`.
    pub fn system_id(&self) -> &[u8] {
        &self.system_id
    }

    /// `password`.
    pub fn password(&self) -> &[u8] {
        &self.password
    }

    /// `system_type`.
    pub fn system_type(&self) -> &[u8] {
        &self.system_type
    }

    /// `addr_ton` of the bind.
    pub const fn addr_ton(&self) -> Ton {
        self.addr_ton
    }

    /// `addr_npi` of the bind.
    pub const fn addr_npi(&self) -> Npi {
        self.addr_npi
    }

    /// `address_range` of the bind.
    pub fn address_range(&self) -> &[u8] {
        &self.address_range
    }

    /// The timers.
    pub const fn timers(&self) -> &Timers {
        &self.timers
    }

    /// The window size asked for.
    pub const fn window(&self) -> usize {
        self.window
    }

    /// The inbound window size asked for.
    pub const fn inbound_window(&self) -> usize {
        self.inbound_window
    }

    /// What a request beyond the inbound window gets.
    pub const fn inbound_overflow(&self) -> InboundOverflow {
        self.inbound_overflow
    }

    /// The first `sequence_number`.
    pub const fn first_sequence_number(&self) -> u32 {
        self.first_sequence_number
    }
}

#[cfg(test)]
mod tests {
    use super::{BindType, Config, Field, FieldProblem, Npi, Role, Ton};
    use crate::error::ErrorKind;

    #[test]
    fn strings_are_checked_like_the_fields_they_fill() {
        let ok = Config::esme(BindType::Receiver)
            .with_system_id("123456789012345")
            .and_then(|c| c.with_password("12345678"))
            .and_then(|c| c.with_system_type("123456789012"))
            .and_then(|c| c.with_address_range(Ton::INTERNATIONAL, Npi::ISDN, "^44"))
            .unwrap();
        assert_eq!(ok.password(), b"12345678");
        assert_eq!(ok.system_type(), b"123456789012");
        assert_eq!(ok.address_range(), b"^44");
        assert_eq!(ok.addr_ton(), Ton::INTERNATIONAL);
        assert_eq!(ok.role(), Role::Esme);
        let cases = [
            (
                Config::mc().with_system_id("1234567890123456"),
                Field::SystemId,
                17,
            ),
            (Config::mc().with_password("123456789"), Field::Password, 10),
            (
                Config::mc().with_system_type("1234567890123"),
                Field::SystemType,
                14,
            ),
        ];
        for (result, field, len) in cases {
            let err = result.unwrap_err();
            let max = len - 1;
            assert_eq!(
                err.kind(),
                ErrorKind::Field {
                    field,
                    problem: FieldProblem::TooLong { max, len }
                }
            );
        }
        let err = Config::mc().with_system_id("a\0b").unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::Field {
                field: Field::SystemId,
                problem: FieldProblem::EmbeddedNul
            }
        );
    }

    #[test]
    fn window_is_at_least_one() {
        assert_eq!(Config::mc().with_window(0).window(), 1);
        assert_eq!(Config::mc().with_window(7).window(), 7);
        assert_eq!(Config::mc().with_inbound_window(0).inbound_window(), 1);
        assert_eq!(Config::mc().inbound_window(), 64);
        assert_eq!(
            Config::mc().with_window(3).inbound_window(),
            64,
            "two settings"
        );
        assert_eq!(Config::mc().role(), Role::Mc);
    }
}
