//! `arbitrary::Arbitrary` implementations (feature `arbitrary`).
