//! `serde` implementations (feature `serde`).
