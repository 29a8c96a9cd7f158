//! Private wire helpers: nom readers, an infallible-by-construction writer,
//! and the NUL search both share.

pub(crate) mod emit;
pub(crate) mod read;
pub(crate) mod scan;
pub(crate) mod write;
