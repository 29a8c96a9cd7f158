//! Cross-crate integration tests for the SMPP workspace (see `tests/`), and
//! the fuzzing oracles shared by the fuzz targets (`fuzz/`) and the stable
//! replay of their corpora (`tests/fuzz_corpus.rs`), and the golden
//! vectors of `testdata/` with their reader.

pub mod fuzzing;
pub mod testdata;
