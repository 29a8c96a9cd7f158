//! Cross-crate integration tests for the SMPP workspace (see `tests/`).
