//! Checked 512-bit arithmetic under the superellipse curve, and its error type.
//!
//! Port of the helper functions (`mul`, `add`, `sub`, `div`, `narrow`, `narrow_amount`,
//! `sqrt_floor`) and `EllipseError` of RaoFoundation/subtensor
//! `pallets/swap/src/pallet/superellipse.rs` at `61cafd4026c5d64dd5df4e7a7d17fb5575477b12`
//! (index id 71297106277; spec `pool-after-425.md` §3.1). Upstream uses `sp_core::U512`; this
//! crate uses `ruint`'s 512-bit integer. Every product is checked: an overflow is an error, never
//! a wrap.

use ruint::Uint;

/// The 512-bit unsigned integer of every intermediate product.
pub type U512 = Uint<512, 8>;

/// `SCALE = 2^32`: the Q32 unit of scales and centres.
pub const SCALE: u128 = 1 << 32;
/// Perquintill accuracy (`WEIGHT_SCALE = 10^18`).
pub const WEIGHT_SCALE: u128 = 1_000_000_000_000_000_000;

/// Curve failures (`EllipseError`). At the pallet boundary they become `ReservesOutOfBalance`
/// unless a caller maps them otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum EllipseError {
    /// Zero reserve, zero or full weight, zero scale.
    InvalidParameters,
    /// A product beyond 512 bits, a value beyond its narrow type, or an i128 centre overflow.
    Overflow,
    /// The trade reaches or passes the end of the positive-price branch.
    OutsideDomain,
    /// The payout exceeds the reserve, or a floor exceeds the reserve.
    InsufficientReserves,
}

impl EllipseError {
    /// The upstream variant name.
    pub const fn name(self) -> &'static str {
        match self {
            EllipseError::InvalidParameters => "InvalidParameters",
            EllipseError::Overflow => "Overflow",
            EllipseError::OutsideDomain => "OutsideDomain",
            EllipseError::InsufficientReserves => "InsufficientReserves",
        }
    }
}

impl core::fmt::Display for EllipseError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Result of the curve maths.
pub type MathResult<T> = core::result::Result<T, EllipseError>;

/// A `u128` widened to 512 bits.
pub fn wide(v: u128) -> U512 {
    U512::from_limbs([v as u64, (v >> 64) as u64, 0, 0, 0, 0, 0, 0])
}

/// Checked product (`Overflow`).
pub fn mul(a: U512, b: U512) -> MathResult<U512> {
    a.checked_mul(b).ok_or(EllipseError::Overflow)
}

/// Checked sum (`Overflow`).
pub fn add(a: U512, b: U512) -> MathResult<U512> {
    a.checked_add(b).ok_or(EllipseError::Overflow)
}

/// Checked difference (`Overflow`).
pub fn sub(a: U512, b: U512) -> MathResult<U512> {
    a.checked_sub(b).ok_or(EllipseError::Overflow)
}

/// Floor quotient; a zero divisor is `InvalidParameters`.
pub fn div(a: U512, b: U512) -> MathResult<U512> {
    a.checked_div(b).ok_or(EllipseError::InvalidParameters)
}

/// The value as `u128`, or `Overflow` above `u128::MAX`.
pub fn narrow(v: U512) -> MathResult<u128> {
    let limbs = v.as_limbs();
    if limbs.iter().skip(2).any(|l| *l != 0) {
        return Err(EllipseError::Overflow);
    }
    let lo = limbs.first().copied().unwrap_or(0);
    let hi = limbs.get(1).copied().unwrap_or(0);
    Ok(u128::from(lo) | (u128::from(hi) << 64))
}

/// The value as `u64`, or `Overflow`.
pub fn narrow_amount(v: u128) -> MathResult<u64> {
    u64::try_from(v).map_err(|_| EllipseError::Overflow)
}

/// Exact floor square root: Newton's iteration from `2^ceil(bits/2)`, which lies above the root,
/// so the iterates decrease until they stop.
pub fn sqrt_floor(v: U512) -> U512 {
    if v <= U512::from_limbs([1, 0, 0, 0, 0, 0, 0, 0]) {
        return v;
    }
    let shift = v.bit_len().div_ceil(2);
    let mut root = U512::from_limbs([1, 0, 0, 0, 0, 0, 0, 0]) << shift;
    loop {
        // root ≤ 2^256 and v/root < 2^512/root, so the sum fits (upstream's argument).
        let quotient = v.checked_div(root).unwrap_or(U512::ZERO);
        let next = root.saturating_add(quotient) >> 1;
        if next >= root {
            return root;
        }
        root = next;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sqrt_exact_at_squares_and_neighbours() {
        for r in [1_u128, 2, 3, 100, u64::MAX as u128, u128::MAX] {
            let root = wide(r);
            let sq = mul(root, root).unwrap();
            assert_eq!(sqrt_floor(sq), root);
            assert_eq!(sqrt_floor(sq - wide(1)), root - wide(1));
            assert_eq!(sqrt_floor(sq + wide(1)), root);
        }
        assert_eq!(sqrt_floor(U512::MAX), (wide(1) << 256) - wide(1));
        assert_eq!(sqrt_floor(wide(0)), wide(0));
    }

    #[test]
    fn narrowing() {
        assert_eq!(narrow(wide(u128::MAX)).unwrap(), u128::MAX);
        assert_eq!(
            narrow(wide(u128::MAX) + wide(1)),
            Err(EllipseError::Overflow)
        );
        assert_eq!(
            narrow_amount(u128::from(u64::MAX) + 1),
            Err(EllipseError::Overflow)
        );
        assert_eq!(div(wide(1), wide(0)), Err(EllipseError::InvalidParameters));
    }
}
