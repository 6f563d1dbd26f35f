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

/// Append `0x` and the 64 hex digits of `a`.
#[inline]
fn push_hex(out: &mut Vec<u8>, a: &AccountId32) {
    out.extend_from_slice(b"0x");
    for chunk in a.0.chunks_exact(4) {
        if let Some(&b) = chunk.first_chunk::<4>() {
            out.extend_from_slice(&hex8(b).to_le_bytes());
        }
    }
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
        push_hex(&mut out, a);
    }
    out
}

/// The distinct accounts of `accounts` (first occurrence order) and, per row, the index of its
/// account among them; `None` when every row is distinct as far as the check sees.
///
/// Linear whatever the input: a direct-mapped table of recent accounts (no chains to walk, so
/// crafted collisions only cost repeats, never time); a repeat the table has forgotten is written
/// twice, which changes no value.
pub fn distinct(accounts: &[AccountId32]) -> Option<(Vec<AccountId32>, Vec<u32>)> {
    let n = accounts.len();
    if n < 2 || u32::try_from(n).is_err() {
        return None;
    }
    let bits = n.next_power_of_two().saturating_mul(2).min(1 << 14).trailing_zeros();
    let mut table = vec![u32::MAX; 1 << bits];
    let mut unique: Vec<AccountId32> = Vec::new();
    let mut index = Vec::with_capacity(n);
    for a in accounts {
        let word = |i: usize| a.0.get(i..).and_then(|s| s.first_chunk::<8>()).copied();
        let h = u64::from_le_bytes(word(0).unwrap_or_default())
            ^ u64::from_le_bytes(word(8).unwrap_or_default()).rotate_left(29);
        let slot = (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize;
        let Some(entry) = table.get_mut(slot) else {
            return None;
        };
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
        assert_eq!(join_accounts(&accts[..1], None, '→'), want[0]);
        assert_eq!(join_accounts(&accts[..2], None, '→'), want[..2].join("→"));
    }

    #[test]
    fn distinct_indexes_every_row() {
        let mut next = splitmix(11);
        let owners: Vec<AccountId32> = (0..40).map(|_| account(&mut next)).collect();
        let rows: Vec<AccountId32> = (0..5000)
            .map(|_| owners[(next() % 40) as usize])
            .collect();
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
