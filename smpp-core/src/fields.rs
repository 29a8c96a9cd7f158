//! The C-Octet String fields of the PDUs, each with its maximum size (SMPP
//! v5.0 4.7, v3.4 5.2), and the limit of `short_message`: one definition
//! that the readers, the checks made before encoding, the writers and the
//! `arbitrary` generators all use.

use crate::error::{Error, ErrorKind, Field, FieldProblem};
use crate::time::check_field as check_time;
use crate::types::COctet;
use crate::wire::read::{Res, field_err};
use crate::wire::scan::{find_nul, has_nul};

/// Characters of an SMPP time (absolute or relative), without the NUL.
pub(crate) const TIME_LEN: usize = 16;

/// Octets `short_message` holds at most: its length `sm_length` is an
/// Integer1.
pub(crate) const SHORT_MESSAGE_MAX: usize = u8::MAX as usize;

/// A C-Octet String field: which field, and its size in octets at most, NUL
/// included. An SMPP time field holds nothing or an SMPP time of
/// [`TIME_LEN`] characters ([`crate::time::check_field`]).
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
    /// [`Self::max`] octets; a time field must be empty or an SMPP time
    /// ([`crate::time::check_field`]).
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
        if self.time
            && let Err(problem) = check_time(self.field, value)
        {
            return Err(field_err(self.field, problem));
        }
        Ok((rest, COctet::new(value)))
    }

    /// Checks a value of the field before it is encoded, by the rule that
    /// [`Self::read`] applies to the octets: a time field is empty or an
    /// SMPP time ([`crate::time::check_field`]); the value and its NUL take
    /// at most [`Self::max`] octets; the value holds no NUL.
    #[inline]
    pub(crate) fn check(self, value: &[u8]) -> Result<(), Error> {
        let len = value.len() + 1;
        let problem = if self.time {
            match check_time(self.field, value) {
                Ok(()) => return Ok(()),
                Err(problem) => problem,
            }
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

#[cfg(test)]
mod tests {
    use super::{CString, DESTINATION_ADDR, FINAL_DATE, SCHEDULE_DELIVERY_TIME, VALIDITY_PERIOD};
    use crate::error::{ErrorKind, Field, FieldProblem};
    use crate::time::{SmppTime, TimeError};
    use crate::wire::read::finish;

    /// The problem `check` finds with `value`, and the one `read` finds in
    /// the value followed by its NUL (and more octets): the same, or
    /// neither finds one.
    fn problems(kind: CString, value: &[u8]) -> Option<FieldProblem> {
        let problem = |e: crate::error::Error| match e.kind() {
            ErrorKind::Field { field, problem } => {
                assert_eq!(field, kind.field);
                problem
            }
            other => panic!("{other:?}"),
        };
        let checked = kind.check(value).err().map(problem);
        let mut octets = [0xEE; 80];
        octets[..value.len()].copy_from_slice(value);
        octets[value.len()] = 0;
        let read = match finish(kind.read(&octets)) {
            Ok((rest, read)) => {
                assert_eq!(read.as_bytes(), value);
                assert_eq!(rest.len(), octets.len() - value.len() - 1);
                None
            }
            Err(e) => Some(problem(e)),
        };
        assert_eq!(checked.is_some(), read.is_some(), "{value:?}");
        checked
    }

    #[test]
    fn c_octet_strings_with_a_nul_inside_or_too_long_are_refused_alike() {
        let kind = DESTINATION_ADDR;
        let src: [u8; 48] = core::array::from_fn(|i| 0x80 | u8::try_from(i).unwrap());
        for len in 0..48 {
            let fits = len < kind.max;
            for nul in (0..len).map(Some).chain([None]) {
                let mut value = src;
                if let Some(at) = nul {
                    value[at] = 0;
                }
                let value = &value[..len];
                let refused = kind.check(value).is_err();
                assert_eq!(refused, nul.is_some() || !fits, "len {len} nul {nul:?}");
                if nul.is_none() {
                    assert_eq!(problems(kind, value).is_some(), !fits, "len {len}");
                }
            }
        }
    }

    #[test]
    fn time_fields_are_empty_or_an_smpp_time() {
        let value = *b"250102030405006+0000";
        for len in 0..20 {
            let problem = problems(VALIDITY_PERIOD, &value[..len]);
            match len {
                0 | 16 => assert_eq!(problem, None),
                _ => assert_eq!(problem, Some(FieldProblem::TimeLength { len }), "len {len}"),
            }
        }
        for bad in [b"2501020304050060", b"251302030405006+"] {
            let error = SmppTime::parse(bad).unwrap_err();
            assert_eq!(
                problems(SCHEDULE_DELIVERY_TIME, bad),
                Some(FieldProblem::TimeFormat { error }),
                "{bad:?}"
            );
        }
        // A NUL inside: the reader stops at it (a time of 11 characters),
        // the check refuses the value as it is.
        let with_nul = b"25010203040\x00006+";
        assert!(SCHEDULE_DELIVERY_TIME.check(with_nul).is_err());
        // Relative times: valid except in final_date.
        let relative = b"000001000000000R";
        assert_eq!(problems(VALIDITY_PERIOD, relative), None);
        assert_eq!(
            problems(FINAL_DATE, relative),
            Some(FieldProblem::TimeFormat {
                error: TimeError::NotAbsolute
            })
        );
        assert_eq!(FINAL_DATE.field, Field::FinalDate);
    }
}
