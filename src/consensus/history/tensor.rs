//! The float32 tensor operations that yuma-simulation's torch code performs, done the way torch's
//! CPU kernels do them (torch 2.5, `aten/src/ATen/native/cpu/SumKernel.cpp`,
//! `ReduceOpsKernel.cpp`), so that discrete steps (the `.int()` quantisation of consensus, the
//! `cumsum >= kappa` search, winner-takes-all ties) fall the same way.
//!
//! * Element-wise arithmetic is plain IEEE `f32`; a Python float operand is rounded to `f32` first
//!   (torch's type promotion of a wrapped scalar), after any Python (`f64`) arithmetic on it.
//! * `sum` follows ATen's scalar `row_sum` (four interleaved accumulators, the tail added to the
//!   first, then the four added in order). Below eight elements (every yuma-simulation case) this
//!   is exactly what torch does; at eight or more torch switches to SIMD partial sums and the
//!   result may differ in the last bit.
//! * `cumsum` accumulates in `f64` (ATen's CPU `acc_type<float>`) and rounds each prefix to `f32`.
//! * `minimum`/`maximum`/`max` propagate NaN, `nan_to_num` maps NaN to 0 and ±inf to ±`f32::MAX`.
//! * `exp` (liquid alpha only) is the C library's `expf`. torch's own (MKL's vector `exp` in the
//!   PyPI builds) differs from it in the last bit now and then; this is the one step not matched
//!   bit for bit, and it moves results by about 1e-7 at most.

use crate::error::{Error, ErrorCode, Result};

/// A dense row-major `rows × cols` matrix of `f32`.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f32>,
}

fn shape_error(what: &str) -> Error {
    Error::new(
        ErrorCode::Internal,
        format!("tensor shape mismatch in {what}"),
    )
}

impl Matrix {
    /// A matrix from row-major data; `data.len()` must be `rows · cols`.
    pub fn new(rows: usize, cols: usize, data: Vec<f32>) -> Result<Self> {
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(shape_error("Matrix::new"));
        }
        Ok(Matrix { rows, cols, data })
    }

    /// All zeros.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows.saturating_mul(cols)],
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Element `(r, c)`, if inside.
    pub fn get(&self, r: usize, c: usize) -> Option<f32> {
        if r >= self.rows || c >= self.cols {
            return None;
        }
        self.data
            .get(r.checked_mul(self.cols)?.checked_add(c)?)
            .copied()
    }

    /// The rows as slices.
    pub fn row_iter(&self) -> impl Iterator<Item = &[f32]> {
        self.data.chunks_exact(self.cols.max(1)).take(self.rows)
    }

    /// Column `c` (empty when outside).
    pub fn col(&self, c: usize) -> Vec<f32> {
        if c >= self.cols {
            return Vec::new();
        }
        self.row_iter()
            .filter_map(|row| row.get(c).copied())
            .collect()
    }

    /// The rows as vectors.
    pub fn to_rows(&self) -> Vec<Vec<f32>> {
        self.row_iter().map(<[f32]>::to_vec).collect()
    }

    /// `f` applied to every element.
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Matrix {
        Matrix {
            rows: self.rows,
            cols: self.cols,
            data: self.data.iter().map(|&x| f(x)).collect(),
        }
    }

    /// `f(self[r][c], other[r][c])` for two matrices of one shape.
    pub fn zip(&self, other: &Matrix, f: impl Fn(f32, f32) -> f32) -> Result<Matrix> {
        if self.rows != other.rows || self.cols != other.cols {
            return Err(shape_error("zip"));
        }
        Ok(Matrix {
            rows: self.rows,
            cols: self.cols,
            data: self
                .data
                .iter()
                .zip(&other.data)
                .map(|(&a, &b)| f(a, b))
                .collect(),
        })
    }

    /// `f(r, c, self[r][c], other[r][c])` for two matrices of one shape.
    pub fn zip_at(
        &self,
        other: &Matrix,
        f: impl Fn(usize, usize, f32, f32) -> f32,
    ) -> Result<Matrix> {
        if self.rows != other.rows || self.cols != other.cols {
            return Err(shape_error("zip_at"));
        }
        let mut data = Vec::with_capacity(self.data.len());
        for (r, (a_row, b_row)) in self.row_iter().zip(other.row_iter()).enumerate() {
            for (c, (&a, &b)) in a_row.iter().zip(b_row).enumerate() {
                data.push(f(r, c, a, b));
            }
        }
        Ok(Matrix {
            rows: self.rows,
            cols: self.cols,
            data,
        })
    }

    /// `f(self[r][c], v[r])`: a per-row vector broadcast along the columns (`v.view(-1, 1)`).
    pub fn with_rows(&self, v: &[f32], f: impl Fn(f32, f32) -> f32) -> Result<Matrix> {
        if v.len() != self.rows {
            return Err(shape_error("with_rows"));
        }
        let mut data = Vec::with_capacity(self.data.len());
        for (row, &x) in self.row_iter().zip(v) {
            data.extend(row.iter().map(|&a| f(a, x)));
        }
        Ok(Matrix {
            rows: self.rows,
            cols: self.cols,
            data,
        })
    }

    /// `f(self[r][c], v[c])`: a per-column vector broadcast along the rows.
    pub fn with_cols(&self, v: &[f32], f: impl Fn(f32, f32) -> f32) -> Result<Matrix> {
        if v.len() != self.cols {
            return Err(shape_error("with_cols"));
        }
        let mut data = Vec::with_capacity(self.data.len());
        for row in self.row_iter() {
            data.extend(row.iter().zip(v).map(|(&a, &x)| f(a, x)));
        }
        Ok(Matrix {
            rows: self.rows,
            cols: self.cols,
            data,
        })
    }

    /// `sum(dim=0)`: one sum per column, over the rows.
    pub fn sum_rows(&self) -> Vec<f32> {
        (0..self.cols).map(|c| sum(&self.col(c))).collect()
    }

    /// `sum(dim=1)`: one sum per row, over the columns.
    pub fn sum_cols(&self) -> Vec<f32> {
        self.row_iter().map(sum).collect()
    }

    /// Set every element of column `c` to `value` (`B[:, c] = value`).
    pub fn fill_col(&mut self, c: usize, value: f32) -> Result<()> {
        if c >= self.cols {
            return Err(shape_error("fill_col"));
        }
        for row in self.data.chunks_exact_mut(self.cols) {
            if let Some(x) = row.get_mut(c) {
                *x = value;
            }
        }
        Ok(())
    }

    /// The block `[..rows, cols - n..]`: the first `rows` rows and the last `n` columns.
    pub fn top_right(&self, rows: usize, n: usize) -> Result<Matrix> {
        if rows > self.rows || n > self.cols {
            return Err(shape_error("top_right"));
        }
        let start = self.cols.saturating_sub(n);
        let mut data = Vec::with_capacity(rows.saturating_mul(n));
        for row in self.row_iter().take(rows) {
            data.extend(row.iter().skip(start));
        }
        Matrix::new(rows, n, data)
    }

    /// A zero `rows × cols` matrix with `block` written into `[..block.rows, cols - block.cols..]`.
    pub fn embed_top_right(block: &Matrix, rows: usize, cols: usize) -> Result<Matrix> {
        if block.rows > rows || block.cols > cols {
            return Err(shape_error("embed_top_right"));
        }
        let start = cols.saturating_sub(block.cols);
        let mut out = Matrix::zeros(rows, cols);
        for (dst, src) in out.data.chunks_exact_mut(cols.max(1)).zip(block.row_iter()) {
            for (d, &s) in dst.iter_mut().skip(start).zip(src) {
                *d = s;
            }
        }
        Ok(out)
    }
}

/// `x.sum()` of a contiguous float32 vector, in ATen's scalar `row_sum` order.
pub fn sum(xs: &[f32]) -> f32 {
    let chunks = xs.chunks_exact(4);
    let tail = chunks.remainder();
    let mut partial = [0.0f32; 4];
    for chunk in chunks {
        for (acc, &x) in partial.iter_mut().zip(chunk) {
            *acc += x;
        }
    }
    let [mut first, second, third, fourth] = partial;
    for &x in tail {
        first += x;
    }
    first += second;
    first += third;
    first += fourth;
    first
}

/// `x.cumsum(0)` of a float32 vector: an `f64` running sum, each prefix rounded to `f32`.
pub fn cumsum(xs: &[f32]) -> Vec<f32> {
    let mut acc = 0.0f64;
    xs.iter()
        .map(|&x| {
            acc += f64::from(x);
            acc as f32
        })
        .collect()
}

/// `torch.minimum(a, b)` (NaN-propagating).
pub fn minimum(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if b < a {
        b
    } else {
        a
    }
}

/// `torch.maximum(a, b)` (NaN-propagating).
pub fn maximum(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        f32::NAN
    } else if b > a {
        b
    } else {
        a
    }
}

/// `x.clamp(min=lo, max=hi)` with NaN kept (torch's clamp).
pub fn clamp(x: f32, lo: Option<f32>, hi: Option<f32>) -> f32 {
    let mut y = x;
    if let Some(lo) = lo {
        y = maximum(y, lo);
    }
    if let Some(hi) = hi {
        y = minimum(y, hi);
    }
    y
}

/// `x.nan_to_num(0)`.
pub fn nan_to_num(x: f32) -> f32 {
    if x.is_nan() {
        0.0
    } else if x == f32::INFINITY {
        f32::MAX
    } else if x == f32::NEG_INFINITY {
        f32::MIN
    } else {
        x
    }
}

/// `x.int()` on x86: truncation toward zero, and `i32::MIN` (the CPU's "integer indefinite") for
/// NaN and values outside `i32` (what `cvttss2si` returns and torch therefore yields).
pub fn to_int(x: f32) -> i32 {
    const LIMIT: f32 = 2_147_483_648.0;
    if x.is_nan() || !(-LIMIT..LIMIT).contains(&x) {
        i32::MIN
    } else {
        x as i32
    }
}

/// `torch.max(x)` over a vector: NaN if any element is NaN, `None` when empty.
pub fn max(xs: &[f32]) -> Option<f32> {
    let mut it = xs.iter().copied();
    let first = it.next()?;
    Some(it.fold(first, maximum))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_follows_aten_row_sum_order() {
        // Sequential below five elements.
        assert_eq!(sum(&[1.0, 2.0, 3.0]), 6.0);
        // Five: ((x0 + x4) + x1) + x2) + x3.
        let xs = [1.0e8f32, 1.0, 1.0, 1.0, -1.0e8];
        assert_eq!(sum(&xs), 3.0);
        // Sequential order would lose the ones against 1e8.
        let seq = xs.iter().fold(0.0f32, |a, &x| a + x);
        assert_eq!(seq, 0.0);
    }

    #[test]
    fn cumsum_accumulates_in_f64() {
        let xs = [0.1f32; 10];
        let c = cumsum(&xs);
        assert_eq!(c.last().copied(), Some((f64::from(0.1f32) * 10.0) as f32));
    }

    #[test]
    fn to_int_mimics_x86() {
        assert_eq!(to_int(65534.9), 65534);
        assert_eq!(to_int(f32::NAN), i32::MIN);
        assert_eq!(to_int(3.0e9), i32::MIN);
        assert_eq!(to_int(-0.5), 0);
    }

    #[test]
    fn matrix_blocks() -> Result<()> {
        let m = Matrix::new(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?;
        assert_eq!(m.sum_rows(), vec![5.0, 7.0, 9.0]);
        assert_eq!(m.sum_cols(), vec![6.0, 15.0]);
        let tr = m.top_right(1, 2)?;
        assert_eq!(tr.to_rows(), vec![vec![2.0, 3.0]]);
        let e = Matrix::embed_top_right(&tr, 2, 3)?;
        assert_eq!(e.to_rows(), vec![vec![0.0, 2.0, 3.0], vec![0.0, 0.0, 0.0]]);
        assert!(Matrix::new(2, 2, vec![0.0]).is_err());
        Ok(())
    }

    #[test]
    fn nan_rules() {
        assert!(minimum(f32::NAN, 1.0).is_nan());
        assert_eq!(nan_to_num(f32::NAN), 0.0);
        assert_eq!(nan_to_num(f32::INFINITY), f32::MAX);
        assert!(max(&[1.0, f32::NAN]).is_some_and(f32::is_nan));
    }
}
