//! A deterministic SplitMix64 stream for the property tests of the arithmetic layers (`fixed`,
//! `pool`, `emission`), so each test draws its pseudo-random inputs the same way without a
//! dependency. Test builds only.

/// The SplitMix64 stream from `seed`: each call adds the golden-ratio increment and mixes.
pub(crate) fn splitmix(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_outputs_are_splitmix64() {
        // The reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        let mut next = super::splitmix(0);
        assert_eq!(next(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(next(), 0x6e78_9e6a_a1b9_65f4);
    }
}
