//! The superellipse state, its construction, coordinates, invariant and spot price, and the
//! centre translations of injection and extraction.
//!
//! Port of `Superellipse::{from_weights, from_balancer, from_price, at_scales, coordinates,
//! squares, invariant, calculate_price, translate_liquidity, withdraw_liquidity}` of
//! RaoFoundation/subtensor `pallets/swap/src/pallet/superellipse.rs` at
//! `61cafd4026c5d64dd5df4e7a7d17fb5575477b12` (index id 71297106277); the first-generation
//! `from_price` is the one at `0249a4a4e5d5aa5d4dd940730374183fe30a6f2c` (index id 71297815211).
//! Spec `pool-after-425.md` §3.1–§3.3, §3.8, §3.10.
//!
//! With `X = Cα − α·2^32` and `Y = Cτ − τ·2^32` the invariant is `X²b² + Y²a² = K` and the spot
//! price (TAO per alpha) is `b²X / (a²Y)`. Only `X > 0, Y > 0` is tradable.

use super::wide::{
    add, div, mul, narrow, wide, EllipseError, MathResult, SCALE, U512, WEIGHT_SCALE,
};
use crate::pool::perquintill::Perquintill;
use substrate_fixed::types::U64F64;

/// `Swap.SwapSuperellipse[netuid]` (`freeze_struct("a374c3b634a94ebc")`): Q32 scales and
/// centres, SCALE-encoded as 4 × 16 bytes little-endian in this field order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Superellipse {
    /// `a`: Q32 scale on the alpha axis.
    pub alpha_scale: u128,
    /// `b`: Q32 scale on the TAO axis.
    pub tao_scale: u128,
    /// `Cα`: Q32 alpha centre.
    pub center_alpha: i128,
    /// `Cτ`: Q32 TAO centre.
    pub center_tao: i128,
}

/// Which `from_price` a caller wants (only upstream tests call it; initialisation goes through
/// a balancer weight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FromPrice {
    /// `0249a4a4`: quantise a Perquintill weight `τ·2^64 / (τ·2^64 + α·p)` first.
    QuantisedWeight,
    /// `61cafd40`: derive the scales directly, with no weight quantisation.
    DirectScales,
}

/// `(reserve << 32) + scale` as i128, or `Overflow`.
fn center(reserve: u64, scale: u128) -> MathResult<i128> {
    let c = (u128::from(reserve) << 32)
        .checked_add(scale)
        .ok_or(EllipseError::Overflow)?;
    i128::try_from(c).map_err(|_| EllipseError::Overflow)
}

/// `reserve << 32` as i128 (always fits: 96 bits).
fn q32(reserve: u64) -> i128 {
    i128::from(reserve) << 32
}

impl Superellipse {
    /// The 64-byte SCALE encoding.
    pub fn encode(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        let parts = [
            self.alpha_scale.to_le_bytes(),
            self.tao_scale.to_le_bytes(),
            self.center_alpha.to_le_bytes(),
            self.center_tao.to_le_bytes(),
        ];
        for (chunk, bytes) in out.chunks_mut(16).zip(parts.iter()) {
            chunk.copy_from_slice(bytes);
        }
        out
    }

    /// Decode the 64-byte SCALE encoding (`None` unless exactly 64 bytes).
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 64 {
            return None;
        }
        let mut it = bytes.chunks(16).map(|c| <[u8; 16]>::try_from(c).ok());
        let mut next = || it.next().flatten();
        Some(Superellipse {
            alpha_scale: u128::from_le_bytes(next()?),
            tao_scale: u128::from_le_bytes(next()?),
            center_alpha: i128::from_le_bytes(next()?),
            center_tao: i128::from_le_bytes(next()?),
        })
    }

    /// Anchor at the balancer price and log-sensitivity of quote weight `w`:
    /// `a = floor(α·(w<<33)/10^18)`, `b = floor(τ·((10^18−w)<<33)/10^18)`, centres `reserve<<32 +
    /// scale`, so `X0 = a`, `Y0 = b` and `K0 = 2a²b²`.
    pub fn from_weights(alpha: u64, tao: u64, quote: Perquintill) -> MathResult<Self> {
        let w = u128::from(quote.deconstruct());
        if alpha == 0 || tao == 0 || w == 0 || w >= WEIGHT_SCALE {
            return Err(EllipseError::InvalidParameters);
        }
        let complement = WEIGHT_SCALE
            .checked_sub(w)
            .ok_or(EllipseError::InvalidParameters)?;
        let a = narrow(div(
            mul(wide(u128::from(alpha)), wide(w << 33))?,
            wide(WEIGHT_SCALE),
        )?)?;
        let b = narrow(div(
            mul(wide(u128::from(tao)), wide(complement << 33))?,
            wide(WEIGHT_SCALE),
        )?)?;
        Self::at_scales(alpha, tao, a, b)
    }

    /// The migration's and initialisation's constructor (an alias of [`Self::from_weights`]).
    pub fn from_balancer(alpha: u64, tao: u64, quote: Perquintill) -> MathResult<Self> {
        Self::from_weights(alpha, tao, quote)
    }

    /// Anchor at a requested spot price (U64F64), in either upstream generation.
    pub fn from_price(
        alpha: u64,
        tao: u64,
        price: U64F64,
        generation: FromPrice,
    ) -> MathResult<Self> {
        let p = price.to_bits();
        if alpha == 0 || tao == 0 || p == 0 {
            return Err(EllipseError::InvalidParameters);
        }
        let t = mul(wide(u128::from(tao)), wide(1u128 << 64))?;
        let px = mul(wide(u128::from(alpha)), wide(p))?;
        let total = add(t, px)?;
        match generation {
            FromPrice::QuantisedWeight => {
                let parts = narrow(div(mul(t, wide(WEIGHT_SCALE))?, total)?)?;
                let parts = u64::try_from(parts).map_err(|_| EllipseError::InvalidParameters)?;
                Self::from_weights(alpha, tao, Perquintill::from_parts(parts))
            }
            FromPrice::DirectScales => {
                let two_scale = wide(SCALE << 1);
                let a = narrow(div(
                    mul(mul(wide(u128::from(alpha)), t)?, two_scale)?,
                    total,
                )?)?;
                let b = narrow(div(
                    mul(mul(wide(u128::from(tao)), px)?, two_scale)?,
                    total,
                )?)?;
                Self::at_scales(alpha, tao, a, b)
            }
        }
    }

    /// A curve with the given scales whose anchor is the reserves.
    pub fn at_scales(alpha: u64, tao: u64, a: u128, b: u128) -> MathResult<Self> {
        if a == 0 || b == 0 {
            return Err(EllipseError::InvalidParameters);
        }
        Ok(Superellipse {
            alpha_scale: a,
            tao_scale: b,
            center_alpha: center(alpha, a)?,
            center_tao: center(tao, b)?,
        })
    }

    /// `(X, Y)` for the reserves; `OutsideDomain` off the positive branch.
    pub fn coordinates(&self, alpha: u64, tao: u64) -> MathResult<(U512, U512)> {
        if self.alpha_scale == 0 || self.tao_scale == 0 {
            return Err(EllipseError::InvalidParameters);
        }
        let x = self
            .center_alpha
            .checked_sub(q32(alpha))
            .ok_or(EllipseError::Overflow)?;
        let y = self
            .center_tao
            .checked_sub(q32(tao))
            .ok_or(EllipseError::Overflow)?;
        if x <= 0 || y <= 0 {
            return Err(EllipseError::OutsideDomain);
        }
        Ok((wide(x.unsigned_abs()), wide(y.unsigned_abs())))
    }

    /// `(a², b²)`.
    pub fn squares(&self) -> MathResult<(U512, U512)> {
        Ok((
            mul(wide(self.alpha_scale), wide(self.alpha_scale))?,
            mul(wide(self.tao_scale), wide(self.tao_scale))?,
        ))
    }

    /// `K = X²b² + Y²a²`.
    pub fn invariant(&self, x: U512, y: U512) -> MathResult<U512> {
        let (a2, b2) = self.squares()?;
        add(mul(mul(x, x)?, b2)?, mul(mul(y, y)?, a2)?)
    }

    /// `K` at the reserves.
    pub fn invariant_at(&self, alpha: u64, tao: u64) -> MathResult<U512> {
        let (x, y) = self.coordinates(alpha, tao)?;
        self.invariant(x, y)
    }

    /// Spot price `floor(b²·X·2^64 / (a²·Y))` as U64F64 bits (`calculate_price`).
    pub fn price(&self, alpha: u64, tao: u64) -> MathResult<U64F64> {
        let (x, y) = self.coordinates(alpha, tao)?;
        let (a2, b2) = self.squares()?;
        let num = mul(mul(b2, x)?, wide(1u128 << 64))?;
        let den = mul(a2, y)?;
        Ok(U64F64::from_bits(narrow(div(num, den)?)?))
    }

    /// Injection: `Cα += Δα<<32`, `Cτ += Δτ<<32` (i128 checked). X, Y, the price and every quote
    /// at the raised reserves stay bit-identical.
    pub fn translate_liquidity(&mut self, alpha_delta: u64, tao_delta: u64) -> MathResult<()> {
        let ca = self
            .center_alpha
            .checked_add(q32(alpha_delta))
            .ok_or(EllipseError::Overflow)?;
        let ct = self
            .center_tao
            .checked_add(q32(tao_delta))
            .ok_or(EllipseError::Overflow)?;
        self.center_alpha = ca;
        self.center_tao = ct;
        Ok(())
    }

    /// Extraction: `Cα −= Δα<<32`, `Cτ −= Δτ<<32`; the caller lowers the reserves by the same.
    pub fn withdraw_liquidity(&mut self, alpha_delta: u64, tao_delta: u64) -> MathResult<()> {
        let ca = self
            .center_alpha
            .checked_sub(q32(alpha_delta))
            .ok_or(EllipseError::Overflow)?;
        let ct = self
            .center_tao
            .checked_sub(q32(tao_delta))
            .ok_or(EllipseError::Overflow)?;
        self.center_alpha = ca;
        self.center_tao = ct;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn half() -> Perquintill {
        Perquintill::from_parts(500_000_000_000_000_000)
    }

    #[test]
    fn anchor_is_the_balancer_price() {
        let c = Superellipse::from_weights(4_000_000_000, 1_000_000_000, half()).unwrap();
        assert_eq!(c.alpha_scale, 4_000_000_000u128 << 32);
        assert_eq!(c.tao_scale, 1_000_000_000u128 << 32);
        assert_eq!(
            c.price(4_000_000_000, 1_000_000_000).unwrap().to_bits(),
            1u128 << 62
        );
    }

    #[test]
    fn invalid_construction() {
        assert_eq!(
            Superellipse::from_weights(0, 1, half()),
            Err(EllipseError::InvalidParameters)
        );
        assert_eq!(
            Superellipse::from_weights(1, 1, Perquintill::from_parts(0)),
            Err(EllipseError::InvalidParameters)
        );
    }

    #[test]
    fn encoding_round_trips() {
        let c = Superellipse::from_weights(10, 20, half()).unwrap();
        let bytes = c.encode();
        assert_eq!(Superellipse::decode(&bytes), Some(c));
        assert_eq!(Superellipse::decode(&bytes[1..]), None);
    }

    #[test]
    fn translation_keeps_price() {
        let mut c = Superellipse::from_weights(10_000_000, 500_000, half()).unwrap();
        let p = c.price(10_000_000, 500_000).unwrap();
        c.translate_liquidity(7_000_000, 900_000).unwrap();
        assert_eq!(c.price(17_000_000, 1_400_000).unwrap(), p);
        c.withdraw_liquidity(7_000_000, 900_000).unwrap();
        assert_eq!(c.price(10_000_000, 500_000).unwrap(), p);
    }
}
