//! The C-Octet String fields of the PDUs, each with its maximum size (SMPP
//! v5.0 4.7, v3.4 5.2), and the limit of `short_message`: one definition
//! that the readers, the checks made before encoding, the writers and the
//! `arbitrary` generators all use.

use crate::error::{Error, ErrorKind, Field, FieldProblem};
use crate::types::COctet;
use crate::wire::read::{Res, field_err};
use crate::wire::scan::{find_nul, has_nul};

/// Characters of an SMPP time (absolute or relative), without the NUL.
pub(crate) const TIME_LEN: usize = 16;

/// Octets `short_message` holds at most: its length `sm_length` is an
/// Integer1.
pub(crate) const SHORT_MESSAGE_MAX: usize = u8::MAX as usize;

/// A C-Octet String field: which field, and its size in octets at most, NUL
/// included. An SMPP time field holds nothing or [`TIME_LEN`] characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CString {
    /// The field, for errors.
    pub(crate) field: Field,
    /// Octets at most, NUL included.
    pub(crate) max: usize,
    /// Whether it is an SMPP time field.
    pub(crate) time: bool,
}

impl CString {
    /// A C-Octet String of at most `max` octets, NUL included.
    const fn new(field: Field, max: usize) -> Self {
        Self {
            field,
            max,
            time: false,
        }
    }

    /// An SMPP time field.
    const fn time(field: Field) -> Self {
        Self {
            field,
            max: TIME_LEN + 1,
            time: true,
        }
    }

    /// Reads the field: its octets up to the NUL, which must come within
    /// [`Self::max`] octets; a time field must be empty or hold
    /// [`TIME_LEN`] characters.
    // Inlined into each parser, where the field's constant folds away.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn read(self, i: &[u8]) -> Res<'_, COctet<&[u8]>> {
        let window = i.get(..self.max).unwrap_or(i);
        let Some(nul) = find_nul(window) else {
            let problem = if i.is_empty() {
                FieldProblem::Missing
            } else {
                FieldProblem::Unterminated { max: self.max }
            };
            return Err(field_err(self.field, problem));
        };
        let (Some(value), Some(rest)) = (i.get(..nul), i.get(nul + 1..)) else {
            return Err(field_err(
                self.field,
                FieldProblem::Unterminated { max: self.max },
            ));
        };
        if self.time && !matches!(value.len(), 0 | TIME_LEN) {
            return Err(field_err(
                self.field,
                FieldProblem::TimeLength { len: value.len() },
            ));
        }
        Ok((rest, COctet::new(value)))
    }

    /// Checks a value of the field before it is encoded, by the rule that
    /// [`Self::read`] applies to the octets: a time field is empty or holds
    /// [`TIME_LEN`] characters; the value and its NUL take at most
    /// [`Self::max`] octets; the value holds no NUL.
    #[inline]
    pub(crate) fn check(self, value: &[u8]) -> Result<(), Error> {
        let len = value.len() + 1;
        let problem = if self.time && !matches!(value.len(), 0 | TIME_LEN) {
            FieldProblem::TimeLength { len: value.len() }
        } else if len > self.max {
            FieldProblem::TooLong { max: self.max, len }
        } else if has_nul(value) {
            FieldProblem::EmbeddedNul
        } else {
            return Ok(());
        };
        Err(field_error(self.field, problem))
    }
}

#[cold]
fn field_error(field: Field, problem: FieldProblem) -> Error {
    Error::new(ErrorKind::Field { field, problem })
}

/// Checks `short_message` before it is encoded: at most
/// [`SHORT_MESSAGE_MAX`] octets. Returns its `sm_length`.
#[inline]
pub(crate) fn check_short_message(value: &[u8]) -> Result<u8, Error> {
    u8::try_from(value.len()).map_err(|_| {
        field_error(
            Field::ShortMessage,
            FieldProblem::TooLong {
                max: SHORT_MESSAGE_MAX,
                len: value.len(),
            },
        )
    })
}

/// `system_id`: the binds, their responses, `outbind`.
pub(crate) const SYSTEM_ID: CString = CString::new(Field::SystemId, 16);
/// `password`: the binds, `outbind`.
pub(crate) const PASSWORD: CString = CString::new(Field::Password, 9);
/// `system_type`: the binds.
pub(crate) const SYSTEM_TYPE: CString = CString::new(Field::SystemType, 13);
/// `address_range`: the binds.
pub(crate) const ADDRESS_RANGE: CString = CString::new(Field::AddressRange, 41);
/// `service_type`.
pub(crate) const SERVICE_TYPE: CString = CString::new(Field::ServiceType, 6);
/// `source_addr` of most PDUs.
pub(crate) const SOURCE_ADDR: CString = CString::new(Field::SourceAddr, 21);
/// `source_addr` of `data_sm` and `alert_notification`.
pub(crate) const SOURCE_ADDR_65: CString = CString::new(Field::SourceAddr, 65);
/// `destination_addr` of most PDUs and of `submit_multi` entries.
pub(crate) const DESTINATION_ADDR: CString = CString::new(Field::DestinationAddr, 21);
/// `destination_addr` of `data_sm`.
pub(crate) const DESTINATION_ADDR_65: CString = CString::new(Field::DestinationAddr, 65);
/// `message_id`.
pub(crate) const MESSAGE_ID: CString = CString::new(Field::MessageId, 65);
/// `dl_name` of a `submit_multi` distribution list.
pub(crate) const DL_NAME: CString = CString::new(Field::DlName, 21);
/// `esme_addr` of `alert_notification`.
pub(crate) const ESME_ADDR: CString = CString::new(Field::EsmeAddr, 65);
/// `schedule_delivery_time`.
pub(crate) const SCHEDULE_DELIVERY_TIME: CString = CString::time(Field::ScheduleDeliveryTime);
/// `validity_period`.
pub(crate) const VALIDITY_PERIOD: CString = CString::time(Field::ValidityPeriod);
/// `final_date` of `query_sm_resp`.
pub(crate) const FINAL_DATE: CString = CString::time(Field::FinalDate);
