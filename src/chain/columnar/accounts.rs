//! Account columns as text, cheaply: one joined text per column for a JS caller to split in one
//! call (instead of one string per account across the boundary), the `0x` hex written eight digits
//! at a time, and repeated accounts written once ([`distinct`]: a subnet's 1024 coldkeys are
//! typically a few dozen owners, and each neuron's stake entry repeats its coldkey).

use crate::chain::types::AccountId32;

/// Eight lower-case hex digits of four bytes, as the little-endian word whose bytes are the digits
/// in order (SWAR: each nibble spread to its own byte, then mapped to `0-9` / `a-f`).
#[inline(always)]
fn hex8(b: [u8; 4]) -> u64 {
    let x = u64::from(u32::from_le_bytes(b));
    // Byte i of the input to byte 2i.
    let x = (x | x << 16) & 0x0000_ffff_0000_ffff;
    let x = (x | x << 8) & 0x00ff_00ff_00ff_00ff;
    // High nibble first: byte 2i the high nibble, byte 2i + 1 the low one.
    let n = (x >> 4 & 0x000f_000f_000f_000f) | (x & 0x000f_000f_000f_000f) << 8;
    // Each byte n in 0..16: '0' + n, plus ('a' - '0' - 10) where n >= 10 (n + 6 carries into bit 4).
    let letters = (n + 0x0606_0606_0606_0606) >> 4 & 0x0101_0101_0101_0101;
    n + 0x3030_3030_3030_3030 + letters * 39
}

/// The 64 lower-case hex digits of `a`: simd128 where the build has it (two nibble lookups and
/// two interleaves per 16 bytes), else [`hex8`] per four bytes. Both are checked against the plain
/// encoder (the SIMD one by the JS tests, which compare every account with `decodeType`'s).
#[inline]
fn hex64(a: &AccountId32) -> [u8; 64] {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd_hex64(a)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        swar_hex64(a)
    }
}

/// [`hex64`] four bytes at a time (also the reference the tests hold the SIMD form to natively).
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128"),
    allow(dead_code)
)]
#[inline]
fn swar_hex64(a: &AccountId32) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (o, chunk) in out.chunks_exact_mut(8).zip(a.0.chunks_exact(4)) {
        if let Some(&b) = chunk.first_chunk::<4>() {
            o.copy_from_slice(&hex8(b).to_le_bytes());
        }
    }
    out
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn simd_hex64(a: &AccountId32) -> [u8; 64] {
    use core::arch::wasm32::*;
    let digits = u8x16(
        b'0', b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8', b'9', b'a', b'b', b'c', b'd', b'e',
        b'f',
    );
    let low = u8x16_splat(0x0f);
    let mut out = [0u8; 64];
    for (o, half) in out.chunks_exact_mut(32).zip(a.0.chunks_exact(16)) {
        let word = |i: usize| {
            u64::from_le_bytes(
                half.get(i..)
                    .and_then(|s| s.first_chunk::<8>())
                    .copied()
                    .unwrap_or_default(),
            )
        };
        let v = u64x2(word(0), word(8));
        let hi = u8x16_swizzle(digits, u8x16_shr(v, 4));
        let lo = u8x16_swizzle(digits, v128_and(v, low));
        // Digits in text order: high nibble, then low, byte by byte.
        let first = u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(hi, lo);
        let second =
            u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(hi, lo);
        let lanes = [
            u64x2_extract_lane::<0>(first),
            u64x2_extract_lane::<1>(first),
            u64x2_extract_lane::<0>(second),
            u64x2_extract_lane::<1>(second),
        ];
        for (d, x) in o.chunks_exact_mut(8).zip(lanes) {
            d.copy_from_slice(&x.to_le_bytes());
        }
    }
    out
}

/// Accounts as one text, `sep` between them: `0x` hex, or SS58 with `ss58_prefix`. A JS caller
/// splits it in one call instead of making one string per account.
pub fn join_accounts(accounts: &[AccountId32], ss58_prefix: Option<u16>, sep: char) -> String {
    let mut sep_buf = [0u8; 4];
    let sep = sep.encode_utf8(&mut sep_buf);
    match ss58_prefix {
        // Only ASCII hex digits, "0x" and the separator (a whole char) are written.
        None => String::from_utf8(join_hex(accounts, sep.as_bytes())).unwrap_or_default(),
        Some(prefix) => {
            let mut out = String::with_capacity(accounts.len().saturating_mul(49));
            for (i, a) in accounts.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                out.push_str(&a.to_ss58(prefix));
            }
            out
        }
    }
}

/// The bytes of [`join_accounts`] in hex (UTF-8 text when `sep` is).
pub fn join_hex(accounts: &[AccountId32], sep: &[u8]) -> Vec<u8> {
    let each = 66usize.saturating_add(sep.len());
    let mut out = Vec::with_capacity(accounts.len().saturating_mul(each));
    for (i, a) in accounts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        out.extend_from_slice(b"0x");
        out.extend_from_slice(&hex64(a));
    }
    out
}

/// Rows [`distinct`] reads before giving up on a column that has not repeated yet (hotkeys).
const SAMPLE: usize = 64;

/// The distinct accounts of `accounts` (first occurrence order) and, per row, the index of its
/// account among them; `None` when every row is distinct as far as the check sees, or none of the
/// first `SAMPLE` rows repeats (a column of distinct accounts is not worth indexing).
///
/// Linear whatever the input: a direct-mapped table of recent accounts (no chains to walk, so
/// crafted collisions only cost repeats, never time); a repeat the table has forgotten is written
/// twice, which changes no value.
pub fn distinct(accounts: &[AccountId32]) -> Option<(Vec<AccountId32>, Vec<u32>)> {
    let n = accounts.len();
    if n < 2 || u32::try_from(n).is_err() {
        return None;
    }
    let bits = n
        .next_power_of_two()
        .saturating_mul(2)
        .min(1 << 14)
        .trailing_zeros();
    let mut table = vec![u32::MAX; 1 << bits];
    let mut unique: Vec<AccountId32> = Vec::new();
    let mut index = Vec::with_capacity(n);
    for (i, a) in accounts.iter().enumerate() {
        if i == SAMPLE && unique.len() == SAMPLE {
            return None;
        }
        let word = |i: usize| a.0.get(i..).and_then(|s| s.first_chunk::<8>()).copied();
        let h = u64::from_le_bytes(word(0).unwrap_or_default())
            ^ u64::from_le_bytes(word(8).unwrap_or_default()).rotate_left(29);
        let slot = (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize;
        let entry = table.get_mut(slot)?;
        let known = unique.get(*entry as usize).filter(|u| *u == a);
        let k = match known {
            Some(_) => *entry,
            None => {
                // `unique` holds at most `n` <= u32::MAX accounts.
                let k = unique.len() as u32;
                unique.push(*a);
                *entry = k;
                k
            }
        };
        index.push(k);
    }
    (unique.len() < n).then_some((unique, index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::splitmix;

    fn account(next: &mut impl FnMut() -> u64) -> AccountId32 {
        let mut a = [0u8; 32];
        for c in a.chunks_exact_mut(8) {
            c.copy_from_slice(&next().to_le_bytes());
        }
        AccountId32(a)
    }

    #[test]
    fn hex_matches_the_plain_encoder() {
        let mut next = splitmix(3);
        let mut accts: Vec<AccountId32> = (0..200).map(|_| account(&mut next)).collect();
        accts.push(AccountId32([0xff; 32]));
        accts.push(AccountId32::ZERO);
        accts.push(AccountId32(core::array::from_fn(|i| (i * 8) as u8)));
        let joined = join_accounts(&accts, None, ',');
        let want: Vec<String> = accts.iter().map(|a| a.to_hex()).collect();
        assert_eq!(joined, want.join(","));
        for a in &accts {
            assert_eq!(&swar_hex64(a)[..], &a.to_hex().as_bytes()[2..]);
            assert_eq!(hex64(a), swar_hex64(a));
        }
        assert_eq!(join_accounts(&accts[..1], None, '→'), want[0]);
        assert_eq!(join_accounts(&accts[..2], None, '→'), want[..2].join("→"));
    }

    #[test]
    fn distinct_indexes_every_row() {
        let mut next = splitmix(11);
        let owners: Vec<AccountId32> = (0..40).map(|_| account(&mut next)).collect();
        let rows: Vec<AccountId32> = (0..5000).map(|_| owners[(next() % 40) as usize]).collect();
        let (unique, index) = distinct(&rows).unwrap();
        assert_eq!(index.len(), rows.len());
        for (r, k) in rows.iter().zip(&index) {
            assert_eq!(&unique[*k as usize], r);
        }
        assert!(unique.len() <= 80, "{} distinct of 40 owners", unique.len());
        // All distinct, too short, and colliding on the hashed words: still exact.
        let all: Vec<AccountId32> = (0..300).map(|_| account(&mut next)).collect();
        assert!(distinct(&all).is_none());
        assert!(distinct(&all[..1]).is_none());
        // Repeats only after the first SAMPLE rows: not indexed (a column of distinct accounts).
        let late: Vec<AccountId32> = all.iter().chain(&all).copied().collect();
        assert!(distinct(&late).is_none());
        let early: Vec<AccountId32> = all[..10].iter().chain(&all).copied().collect();
        let (unique, index) = distinct(&early).unwrap();
        assert_eq!(unique, all);
        assert_eq!(index[..10], (0..10).collect::<Vec<u32>>()[..]);
        let same_prefix: Vec<AccountId32> = (0..600u32)
            .map(|i| {
                let mut a = [0u8; 32];
                a[28..].copy_from_slice(&(i % 300).to_le_bytes());
                AccountId32(a)
            })
            .collect();
        if let Some((unique, index)) = distinct(&same_prefix) {
            for (r, k) in same_prefix.iter().zip(&index) {
                assert_eq!(&unique[*k as usize], r);
            }
        }
    }
}
