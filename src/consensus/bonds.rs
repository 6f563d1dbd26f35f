//! Bond EMAs: the fixed-alpha EMA and liquid alpha (spec §5.9, §5.10, §6).
//!
//! Port of `pallets/subtensor/src/epoch/` bonds helpers (`ema_bonds_liquid_or_normal_sparse`,
//! `liquid_alpha_matrix_sparse/dense`, `liquid_alpha_sigmoid`, `compute_bonds`) @ 14bc6f9f.

use super::hyperparams::Hyperparameters;
use crate::fixed::simd::ema_value;
use crate::fixed::{
    cdiv, clamp_value, exp_bracket, exp_bracket_positive, exp_safe, mat_ema, mat_ema_alpha,
    mat_ema_sparse, DenseRow, FastOps, SparseRow, HALF, I32F32, ONE, ZERO,
};

/// Liquid alpha of one (validator, miner) pair:
/// `d = clamp(w − c, 0, 1)` if `w ≥ b` else `clamp(b − w, 0, 1)`;
/// `sig = 1 / (1 + exp_safe((k / −100)·(d − 0.5)))`; `α = clamp(lo + sig·(hi − lo), lo, hi)`.
pub fn liquid_alpha_sigmoid(
    consensus: I32F32,
    weight: I32F32,
    bond: I32F32,
    alpha_low: I32F32,
    alpha_high: I32F32,
    steepness: I32F32,
) -> I32F32 {
    LiquidAlpha::new(alpha_low, alpha_high, steepness).alpha(consensus, weight, bond)
}

/// [`liquid_alpha_sigmoid`] with its per-epoch constants hoisted and the common `d = 0` case
/// (the weight at or below consensus and not below the bond) precomputed.
#[derive(Debug, Clone, Copy)]
pub struct LiquidAlpha {
    low: I32F32,
    high: I32F32,
    /// `steepness / −100`.
    slope: I32F32,
    at_zero: I32F32,
}

impl LiquidAlpha {
    /// Constants for `(alpha_low, alpha_high, steepness)`.
    pub fn new(low: I32F32, high: I32F32, steepness: I32F32) -> Self {
        let slope = steepness.saturating_div(I32F32::from_bits(-100 << 32));
        let mut la = LiquidAlpha {
            low,
            high,
            slope,
            at_zero: ZERO,
        };
        la.at_zero = la.of_diff(ZERO);
        la
    }

    /// Of a hyperparameter set.
    pub fn of(hp: &Hyperparameters) -> Self {
        let (lo, hi) = hp.alpha_bounds();
        LiquidAlpha::new(lo, hi, hp.steepness_fixed())
    }

    /// `α` of a clamped difference `d`. When the rigorous bracket around the chain's `exp` maps
    /// to one `α` at both ends, that is the exact `α` (every step after `exp` is monotone);
    /// otherwise the exact series decides.
    fn of_diff(&self, d: I32F32) -> I32F32 {
        let x = slope_times(self.slope, d.ssub(HALF));
        // |x| ≤ 8 there, so exp_safe's clamp to [−20, 20] is inactive. The two sides of the
        // bracket are settled apart (see `exp_bracket_positive`).
        let decided = match exp_bracket_positive(x) {
            Some((lo, hi)) => self.of_bracket(lo, hi),
            None => exp_bracket(x).and_then(|(lo, hi)| self.of_bracket(lo.to_bits(), hi.to_bits())),
        };
        decided.unwrap_or_else(|| self.of_exp(exp_safe(x)))
    }

    /// `α` when every `exp` in `[lo, hi]` (raw bits) gives the same one, else `None`.
    #[inline(always)]
    fn of_bracket(&self, lo: i64, hi: i64) -> Option<I32F32> {
        // 1/(1 + e) at both ends from one division: with q = floor(2^64 / den_hi), the
        // quotient at den_lo ≤ den_hi is also q exactly when (q + 1)·den_lo > 2^64.
        let den_lo = ONE.sadd(I32F32::from_bits(lo)).to_bits();
        let den_hi = ONE.sadd(I32F32::from_bits(hi)).to_bits();
        if den_lo <= 1 << 32 || den_hi < den_lo {
            return None;
        }
        let (dl, dh) = (den_lo as u64, den_hi as u64);
        let q = u64::MAX / dh + u64::from(dh.is_power_of_two());
        let s_hi = I32F32::from_bits(q as i64);
        if exceeds_2_64(q + 1, dl) {
            return Some(self.of_sigmoid(s_hi));
        }
        let s_lo = I32F32::from_bits((u64::MAX / dl + u64::from(dl.is_power_of_two())) as i64);
        let a = self.of_sigmoid(s_hi);
        (a == self.of_sigmoid(s_lo)).then_some(a)
    }

    /// `clamp(lo + (1 / (1 + e))·(hi − lo), lo, hi)`: monotone in `e`.
    #[inline]
    fn of_exp(&self, e: I32F32) -> I32F32 {
        let den = ONE.sadd(e);
        self.of_sigmoid(cdiv(ONE, den).unwrap_or_else(|| ONE.saturating_div(den)))
    }

    /// `clamp(lo + sigmoid·(hi − lo), lo, hi)`: monotone in `sigmoid`.
    #[inline]
    fn of_sigmoid(&self, sigmoid: I32F32) -> I32F32 {
        let alpha = self.low.sadd(sigmoid.smul(self.high.ssub(self.low)));
        clamp_value(alpha, self.low, self.high)
    }

    /// The reference evaluation (the chain's formula step by step), for the equivalence tests.
    #[cfg(test)]
    fn of_diff_reference(&self, d: I32F32) -> I32F32 {
        let x = self.slope.saturating_mul(d.saturating_sub(HALF));
        let sigmoid = ONE.saturating_div(ONE.saturating_add(exp_safe(x)));
        let alpha = self
            .low
            .saturating_add(sigmoid.saturating_mul(self.high.saturating_sub(self.low)));
        clamp_value(alpha, self.low, self.high)
    }

    /// Alpha of one (validator, miner) pair.
    #[inline]
    pub fn alpha(&self, consensus: I32F32, weight: I32F32, bond: I32F32) -> I32F32 {
        // Comparisons on the raw bits (the type's order).
        let d = if weight.to_bits() >= bond.to_bits() {
            clamp_value(weight.ssub(consensus), ZERO, ONE)
        } else {
            clamp_value(bond.ssub(weight), ZERO, ONE)
        };
        if d.to_bits() == 0 {
            self.at_zero
        } else {
            self.of_diff(d)
        }
    }
}

/// `s.saturating_mul(y)` without a 128-bit product when `|y| ≤ 2^31` (the `d − ½` of a `d` in
/// `[0, 1]`; wasm has no 64×64→128 multiply, and the library call cost a quarter of the
/// sigmoid): with `s = h·2^32 + l`, `0 ≤ l < 2^32`, `floor(s·y / 2^32) = h·y + floor(l·y / 2^32)`,
/// each product under `2^63` in magnitude and the result under `2^62`, so nothing saturates.
#[inline]
fn slope_times(s: I32F32, y: I32F32) -> I32F32 {
    let (sb, yb) = (s.to_bits(), y.to_bits());
    if yb.unsigned_abs() > 1 << 31 {
        return s.smul(y);
    }
    let (h, l) = (sb >> 32, sb & 0xFFFF_FFFF);
    I32F32::from_bits(h * yb + ((l * yb) >> 32))
}

/// Whether `m·d > 2^64`, for `m ≤ 2^32` and `d < 2^63`, with 64-bit products only (wasm has no
/// 64×64→128 multiply): `m·d = (m·a)·2^32 + m·b` with `d = a·2^32 + b`.
#[inline]
fn exceeds_2_64(m: u64, d: u64) -> bool {
    let (a, b) = (d >> 32, d & 0xFFFF_FFFF);
    let low = m * b; // ≤ 2^32·(2^32 − 1)
    let high = (m * a).saturating_add(low >> 32); // m·d = high·2^32 + (low mod 2^32)
    high > 1 << 32 || (high == 1 << 32 && low & 0xFFFF_FFFF != 0)
}

/// Whether the liquid-alpha EMA applies: enabled, and some consensus entry is non-zero.
pub fn uses_liquid_alpha(hp: &Hyperparameters, consensus: &[I32F32]) -> bool {
    hp.liquid_alpha_enabled && consensus.iter().any(|&c| c != ZERO)
}

/// Calls `f(j, value)` for the entries of `row` that the chain's forward-cursor lookup sees while
/// walking columns `0..columns`: the entries whose column is strictly above every earlier entry's
/// column (all of them when the row is column-sorted). Out-of-order entries read as 0.
fn for_each_visible(row: &[(u16, I32F32)], columns: usize, mut f: impl FnMut(usize, I32F32)) {
    let mut max: Option<u16> = None;
    for &(j, v) in row {
        if max.is_none_or(|m| j > m) {
            max = Some(j);
            let ju = usize::from(j);
            if ju < columns {
                f(ju, v);
            }
        }
    }
}

/// `liquid_alpha_matrix_sparse`: the dense `n × n` alpha matrix (`n = consensus.len()`), as the
/// chain builds it (only used for the trace; the epoch evaluates alphas lazily).
pub fn liquid_alpha_matrix_sparse(
    hp: &Hyperparameters,
    weights: &[SparseRow],
    bonds: &[SparseRow],
    consensus: &[I32F32],
) -> Vec<Vec<I32F32>> {
    if weights.len() != bonds.len() {
        return Vec::new();
    }
    let n = consensus.len();
    let la = LiquidAlpha::of(hp);
    let mut w = vec![ZERO; n];
    let mut b = vec![ZERO; n];
    weights
        .iter()
        .zip(bonds)
        .map(|(wr, br)| {
            w.fill(ZERO);
            b.fill(ZERO);
            for_each_visible(wr, n, |j, v| set(&mut w, j, v));
            for_each_visible(br, n, |j, v| set(&mut b, j, v));
            consensus
                .iter()
                .zip(&w)
                .zip(&b)
                .map(|((c, w), b)| la.alpha(*c, *w, *b))
                .collect()
        })
        .collect()
}

fn set(v: &mut [I32F32], j: usize, x: I32F32) {
    if let Some(c) = v.get_mut(j) {
        *c = x;
    }
}

/// Per-column scratch of the lazy liquid-alpha EMA (reset after each row).
#[derive(Debug, Clone, Copy, Default)]
struct AlphaCell {
    weight: I32F32,
    bond: I32F32,
    alpha: Option<I32F32>,
    decayed: I32F32,
}

/// Yuma3 bonds EMA of the sparse path (`ema_bonds_liquid_or_normal_sparse`).
///
/// Liquid alpha (when it applies) is evaluated only at the columns present in each row, which is
/// all `mat_ema_alpha_sparse` reads of the chain's dense alpha matrix. Returns the EMA bonds and,
/// when `want_alphas`, the dense alpha matrix for the trace.
pub fn ema_bonds_yuma3_sparse(
    hp: &Hyperparameters,
    weights: &[SparseRow],
    bonds: &[SparseRow],
    consensus: &[I32F32],
    want_alphas: bool,
) -> (Vec<SparseRow>, Option<Vec<Vec<I32F32>>>) {
    let liquid = uses_liquid_alpha(hp, consensus);
    ema_bonds_yuma3_sparse_gated(hp, weights, bonds, consensus, liquid, want_alphas)
}

/// [`ema_bonds_yuma3_sparse`] with the liquid-alpha gate decided by the caller: from spec 446 the
/// chain decides it on the fresh consensus, then runs liquid alpha on the consensus its mode picks
/// ([`super::consensus_mode`]).
pub fn ema_bonds_yuma3_sparse_gated(
    hp: &Hyperparameters,
    weights: &[SparseRow],
    bonds: &[SparseRow],
    consensus: &[I32F32],
    liquid: bool,
    want_alphas: bool,
) -> (Vec<SparseRow>, Option<Vec<Vec<I32F32>>>) {
    if !liquid {
        return (mat_ema_sparse(weights, bonds, hp.ema_alpha()), None);
    }
    let alphas = want_alphas.then(|| liquid_alpha_matrix_sparse(hp, weights, bonds, consensus));
    let n = consensus.len();
    // The chain's shape guards: a weights/bonds row-count mismatch yields no alpha rows, and
    // `mat_ema_alpha_sparse` then returns the weights unchanged.
    if weights.len() != bonds.len() || weights.len() != n {
        return (weights.to_vec(), alphas);
    }
    let la = LiquidAlpha::of(hp);
    let mut cells = vec![AlphaCell::default(); n];
    let ema = weights
        .iter()
        .zip(bonds)
        .map(|(wr, br)| {
            if increasing(wr) && increasing(br) {
                return ema_row_merged(&la, consensus, wr, br);
            }
            for_each_visible(wr, n, |j, v| {
                if let Some(c) = cells.get_mut(j) {
                    c.weight = v;
                }
            });
            for_each_visible(br, n, |j, v| {
                if let Some(c) = cells.get_mut(j) {
                    c.bond = v;
                }
            });
            // α of a column, evaluated once per row and only where the row has an entry.
            let alpha_of = |c: &mut AlphaCell, j: usize| -> I32F32 {
                *c.alpha.get_or_insert_with(|| {
                    la.alpha(consensus.get(j).copied().unwrap_or(ZERO), c.weight, c.bond)
                })
            };
            for &(j, old) in br {
                let ju = usize::from(j);
                if let Some(c) = cells.get_mut(ju) {
                    c.decayed = ONE.ssub(alpha_of(c, ju)).smul(old);
                }
            }
            let mut out = Vec::with_capacity(wr.len());
            for &(j, new) in wr {
                let ju = usize::from(j);
                if let Some(c) = cells.get_mut(ju) {
                    let a = alpha_of(c, ju);
                    let v = c.decayed.sadd(a.smul(new).max(ZERO)).min(ONE);
                    if v > ZERO {
                        out.push((j, v));
                    }
                }
            }
            for &(j, _) in wr.iter().chain(br) {
                if let Some(c) = cells.get_mut(usize::from(j)) {
                    *c = AlphaCell::default();
                }
            }
            out
        })
        .collect();
    (ema, alphas)
}

fn increasing(r: &[(u16, I32F32)]) -> bool {
    r.windows(2).all(|w| matches!(w, [p, q] if p.0 < q.0))
}

/// One row of the liquid-alpha EMA for column-sorted, duplicate-free rows (every entry visible):
/// a single merge of the weights row with the bonds row. Only the weights row's columns below
/// `n` produce output (the chain drops bond-only columns and ignores columns outside the alpha
/// row), each with `α = α(c_j, w_j, b_j)`, `b_j` = the bond at `j` or 0.
///
/// The EMA entry stays fused here, one at a time: gathering `(α, w, b)` into columns for the
/// lane kernel ([`crate::fixed::simd::ema_values`], 32×32→64 `extmul`s) cost more than the lanes
/// save (+0.7 ms on a 1024 × 64 epoch in wasm, same run), since `α` (the sigmoid) is most of
/// each entry's work and is not lane arithmetic.
fn ema_row_merged(
    la: &LiquidAlpha,
    consensus: &[I32F32],
    wr: &[(u16, I32F32)],
    br: &[(u16, I32F32)],
) -> SparseRow {
    let mut out = Vec::with_capacity(wr.len());
    // Cursor into the bonds row: `bonds` starts at the first entry not yet passed.
    let mut bonds = br;
    for &(j, w) in wr {
        let Some(&c) = consensus.get(usize::from(j)) else {
            continue;
        };
        let mut b = ZERO;
        while let Some((&(bj, bv), rest)) = bonds.split_first() {
            if bj > j {
                break;
            }
            bonds = rest;
            if bj == j {
                b = bv;
                break;
            }
        }
        let v = ema_value(la.alpha(c, w, b).to_bits(), w.to_bits(), b.to_bits());
        if v > 0 {
            out.push((j, I32F32::from_bits(v)));
        }
    }
    out
}

/// `liquid_alpha_matrix_dense`: alphas over `zip(weights row, bonds row, consensus)`.
pub fn liquid_alpha_matrix_dense(
    hp: &Hyperparameters,
    weights: &[DenseRow],
    bonds: &[DenseRow],
    consensus: &[I32F32],
) -> Vec<DenseRow> {
    if weights.len() != bonds.len() {
        return Vec::new();
    }
    let la = LiquidAlpha::of(hp);
    weights
        .iter()
        .zip(bonds)
        .map(|(wr, br)| {
            wr.iter()
                .zip(br)
                .zip(consensus)
                .map(|((w, b), c)| la.alpha(*c, *w, *b))
                .collect()
        })
        .collect()
}

/// `compute_bonds` (dense Yuma3 EMA): liquid alpha when it applies, else the fixed alpha.
pub fn compute_bonds_dense(
    hp: &Hyperparameters,
    weights: &[DenseRow],
    bonds: &[DenseRow],
    consensus: &[I32F32],
) -> Vec<DenseRow> {
    let liquid = uses_liquid_alpha(hp, consensus);
    compute_bonds_dense_gated(hp, weights, bonds, consensus, liquid)
}

/// [`compute_bonds_dense`] with the liquid-alpha gate decided by the caller (see
/// [`ema_bonds_yuma3_sparse_gated`]).
pub fn compute_bonds_dense_gated(
    hp: &Hyperparameters,
    weights: &[DenseRow],
    bonds: &[DenseRow],
    consensus: &[I32F32],
    liquid: bool,
) -> Vec<DenseRow> {
    if liquid {
        let alphas = liquid_alpha_matrix_dense(hp, weights, bonds, consensus);
        mat_ema_alpha(weights, bonds, &alphas)
    } else {
        mat_ema(weights, bonds, hp.ema_alpha())
    }
}

#[cfg(test)]
#[path = "bonds_tests.rs"]
mod tests;
