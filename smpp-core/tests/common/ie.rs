//! User data header information elements, written on one line.

use smpp_core::text::udh::Ie;

pub(crate) const fn concat8(reference: u8, total: u8, seq: u8) -> Ie<'static> {
    Ie::Concat8 {
        reference,
        total,
        seq,
    }
}

pub(crate) const fn concat16(reference: u16, total: u8, seq: u8) -> Ie<'static> {
    Ie::Concat16 {
        reference,
        total,
        seq,
    }
}

pub(crate) const fn port8(dest: u8, src: u8) -> Ie<'static> {
    Ie::Port8 { dest, src }
}

pub(crate) const fn port16(dest: u16, src: u16) -> Ie<'static> {
    Ie::Port16 { dest, src }
}
