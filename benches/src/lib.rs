//! Benchmarks for the SMPP workspace (see `benches/`).
