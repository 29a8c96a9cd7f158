//! Private wire helpers: nom readers and an infallible-by-construction writer.

pub(crate) mod read;
pub(crate) mod write;
