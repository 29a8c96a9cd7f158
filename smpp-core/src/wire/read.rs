//! nom readers for mandatory fields. Every reader names its field, so a failure
//! becomes an [`Error`] that says which field and which status to answer.
//!
//! All parsers are `complete`: they run inside one frame whose length is
//! already known, so running out of octets is an error, never "incomplete".

use nom::Parser;
use nom::bytes::complete::take;
use nom::error::{ErrorKind as NomKind, ParseError};
use nom::number::complete::{be_u8, be_u32};

use crate::error::{Error, ErrorKind, Field, FieldProblem};

/// The error type the readers give nom: the crate's [`Error`] in a private
/// wrapper, so that nom's traits are implemented on no public type and nom
/// stays out of the public API. [`finish`] unwraps it at the boundary.
#[derive(Debug)]
pub(crate) struct ReadError(Error);

impl ParseError<&[u8]> for ReadError {
    fn from_error_kind(input: &[u8], _kind: NomKind) -> Self {
        // Readers below map every nom failure to a field error; this is only
        // reached by a reader that forgot to.
        Self(Error::new(ErrorKind::TrailingBytes { count: input.len() }))
    }

    fn append(_input: &[u8], _kind: NomKind, other: Self) -> Self {
        other
    }
}

pub(crate) type Res<'a, T> = nom::IResult<&'a [u8], T, ReadError>;

/// A reader failure carrying `error`.
#[inline]
pub(crate) fn fail(error: Error) -> nom::Err<ReadError> {
    nom::Err::Error(ReadError(error))
}

#[cold]
#[inline(never)]
pub(crate) fn field_err(field: Field, problem: FieldProblem) -> nom::Err<ReadError> {
    fail(Error::new(ErrorKind::Field { field, problem }))
}

/// Converts a nom result into the crate's error.
pub(crate) fn finish<T>(r: Result<T, nom::Err<ReadError>>) -> Result<T, Error> {
    r.map_err(|e| match e {
        nom::Err::Error(ReadError(e)) | nom::Err::Failure(ReadError(e)) => e,
        nom::Err::Incomplete(_) => Error::new(ErrorKind::TrailingBytes { count: 0 }),
    })
}

/// An Integer1 field.
#[inline]
pub(crate) fn u8_field(i: &[u8], field: Field) -> Res<'_, u8> {
    be_u8(i).map_err(|_: nom::Err<ReadError>| field_err(field, FieldProblem::Missing))
}

/// An Integer4 field.
#[inline]
pub(crate) fn u32_field(i: &[u8], field: Field) -> Res<'_, u32> {
    be_u32(i).map_err(|_: nom::Err<ReadError>| field_err(field, FieldProblem::Missing))
}

/// A run of Integer1 fields, read with one length check; a short input
/// names the first field missing.
#[inline]
pub(crate) fn u8_fields<const N: usize>(i: &[u8], fields: [Field; N]) -> Res<'_, [u8; N]> {
    match i.split_first_chunk::<N>() {
        Some((head, rest)) => Ok((rest, *head)),
        None => Err(match fields.get(i.len()) {
            Some(&field) => field_err(field, FieldProblem::Missing),
            None => nom::Err::Error(ReadError::from_error_kind(i, NomKind::Eof)),
        }),
    }
}

/// `sm_length` then that many octets of `short_message`.
#[inline]
pub(crate) fn short_message(i: &[u8]) -> Res<'_, &[u8]> {
    let (i, len) = u8_field(i, Field::SmLength)?;
    let len = usize::from(len);
    if len > i.len() {
        return Err(field_err(
            Field::SmLength,
            FieldProblem::LengthExceedsBody {
                len,
                available: i.len(),
            },
        ));
    }
    take(len).parse(i)
}
