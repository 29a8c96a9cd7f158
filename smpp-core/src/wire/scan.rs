//! Searching for the NUL that ends a C-Octet String, eight octets at a time.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any octet of `word` is zero; the lowest set bit marks the first.
#[inline]
pub(crate) const fn zero_octets(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// The index of the first NUL in `bytes`.
///
/// Words are read little-endian, so the lowest flagged bit belongs to the
/// first zero octet (flags above a zero octet may be false, never below).
#[inline]
pub(crate) fn find_nul(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut words {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            // Unreachable: `chunks_exact` yields eight octets.
            return bytes.iter().position(|&b| b == 0);
        };
        let found = zero_octets(u64::from_le_bytes(word));
        if found != 0 {
            return Some(offset + (found.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == 0)
        .map(|p| offset + p)
}

/// Whether `bytes` holds a NUL.
#[inline]
pub(crate) fn has_nul(bytes: &[u8]) -> bool {
    find_nul(bytes).is_some()
}

#[cfg(test)]
mod tests {
    use super::find_nul;

    #[test]
    fn finds_the_first_nul_at_every_position_and_length() {
        for len in 0..40 {
            for nul in 0..=len {
                // 0x01 and 0x80 octets around the NUL exercise the borrow
                // and high-bit cases of the word test.
                let mut bytes: [u8; 40] =
                    core::array::from_fn(|i| if i % 2 == 0 { 0x01 } else { 0x80 });
                if nul < len {
                    bytes[nul] = 0;
                    if nul + 1 < len {
                        bytes[nul + 1] = 0;
                    }
                }
                let want = (nul < len).then_some(nul);
                assert_eq!(find_nul(&bytes[..len]), want, "len {len} nul {nul}");
            }
        }
        assert_eq!(find_nul(&[0xff; 17]), None);
        assert_eq!(find_nul(&[1, 0, 1, 0, 1, 0, 1, 0, 0]), Some(1));
    }
}
