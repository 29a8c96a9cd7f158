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
use crate::types::COctet;

pub(crate) type Res<'a, T> = nom::IResult<&'a [u8], T, Error>;

impl ParseError<&[u8]> for Error {
    fn from_error_kind(input: &[u8], _kind: NomKind) -> Self {
        // Readers below map every nom failure to a field error; this is only
        // reached by a reader that forgot to.
        Self::new(ErrorKind::TrailingBytes { count: input.len() })
    }

    fn append(_input: &[u8], _kind: NomKind, other: Self) -> Self {
        other
    }
}

pub(crate) fn field_err(field: Field, problem: FieldProblem) -> nom::Err<Error> {
    nom::Err::Error(Error::new(ErrorKind::Field { field, problem }))
}

/// Converts a nom result into the crate's error.
pub(crate) fn finish<T>(r: Result<T, nom::Err<Error>>) -> Result<T, Error> {
    r.map_err(|e| match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => Error::new(ErrorKind::TrailingBytes { count: 0 }),
    })
}

/// An Integer1 field.
pub(crate) fn u8_field(field: Field) -> impl Fn(&[u8]) -> Res<'_, u8> {
    move |i| be_u8(i).map_err(|_: nom::Err<Error>| field_err(field, FieldProblem::Missing))
}

/// An Integer4 field.
pub(crate) fn u32_field(field: Field) -> impl Fn(&[u8]) -> Res<'_, u32> {
    move |i| be_u32(i).map_err(|_: nom::Err<Error>| field_err(field, FieldProblem::Missing))
}

/// A C-Octet String of at most `max` octets, NUL included. The NUL is searched
/// for within the first `max` octets only.
pub(crate) fn cstr<'a>(field: Field, max: usize) -> impl Fn(&'a [u8]) -> Res<'a, COctet<&'a [u8]>> {
    move |i: &'a [u8]| {
        if i.is_empty() {
            return Err(field_err(field, FieldProblem::Missing));
        }
        let Some(nul) = i.iter().take(max).position(|&b| b == 0) else {
            return Err(field_err(field, FieldProblem::Unterminated { max }));
        };
        let (rest, value) = take(nul).parse(i)?;
        let (rest, _) = take(1usize).parse(rest)?;
        Ok((rest, COctet::new(value)))
    }
}

/// An SMPP time field: a C-Octet String that is empty or 16 characters.
pub(crate) fn time<'a>(field: Field) -> impl Fn(&'a [u8]) -> Res<'a, COctet<&'a [u8]>> {
    let inner = cstr(field, 17);
    move |i: &'a [u8]| {
        let (rest, value) = inner(i)?;
        match value.len() {
            0 | 16 => Ok((rest, value)),
            len => Err(field_err(field, FieldProblem::TimeLength { len })),
        }
    }
}

/// `sm_length` then that many octets of `short_message`.
pub(crate) fn short_message(i: &[u8]) -> Res<'_, &[u8]> {
    let (i, len) = u8_field(Field::SmLength)(i)?;
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
