//! CPU kernels: dense layer (matmul + bias + activation) as a scalar reference and as a 4-lane
//! SIMD kernel ([`F32x4`]: wasm f32x4 in the browser), softmax / log-softmax, and the whole
//! forward pass. Both kernels accumulate `x[i,0]*w[0,j] + x[i,1]*w[1,j] + ...` in ascending k
//! from 0.0, then add the bias, with separate multiplies and adds: their outputs are bit-identical.

use super::lanes::F32x4;
use super::model::{Activation, Model, Task};
use tao_engine::error::{Error, ErrorCode, Result};

/// Which CPU kernel to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Kernel {
    /// Plain loops (the reference).
    Scalar,
    /// 4-lane SIMD, register-blocked 4 rows x 8 columns.
    Simd,
}

fn check_dims(
    x: &[f32],
    m: usize,
    k: usize,
    w: &[f32],
    n: usize,
    b: &[f32],
    y: &[f32],
) -> Result<()> {
    let ok = Some(x.len()) == m.checked_mul(k)
        && Some(w.len()) == k.checked_mul(n)
        && b.len() == n
        && Some(y.len()) == m.checked_mul(n);
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::LengthMismatch,
            format!("dense {m}x{k} * {k}x{n}: buffer sizes do not match"),
        ))
    }
}

#[inline(always)]
fn activate(v: f32, act: Activation) -> f32 {
    match act {
        Activation::None => v,
        Activation::Relu => {
            if v > 0.0 {
                v
            } else {
                0.0
            }
        }
    }
}

/// `y = act(x w + b)` with x `m x k`, w `k x n`, b `n`, y `m x n` (row-major): the reference.
pub fn dense_scalar(
    x: &[f32],
    m: usize,
    k: usize,
    w: &[f32],
    n: usize,
    b: &[f32],
    act: Activation,
    y: &mut [f32],
) -> Result<()> {
    check_dims(x, m, k, w, n, b, y)?;
    for i in 0..m {
        for j in 0..n {
            let mut acc = 0f32;
            for kk in 0..k {
                acc += x.get(i * k + kk).copied().unwrap_or(0.0)
                    * w.get(kk * n + j).copied().unwrap_or(0.0);
            }
            if let Some(out) = y.get_mut(i * n + j) {
                *out = activate(acc + b.get(j).copied().unwrap_or(0.0), act);
            }
        }
    }
    Ok(())
}

#[inline(always)]
fn load4(s: &[f32], at: usize) -> F32x4 {
    match s
        .get(at..at + 4)
        .and_then(|c| <&[f32; 4]>::try_from(c).ok())
    {
        Some(a) => F32x4::load(a),
        None => F32x4::splat(0.0),
    }
}

/// The same as [`dense_scalar`] with the 4-lane kernel: blocks of 4 rows x 8 columns keep 8
/// accumulators in registers; leftover rows use 1 x 4 blocks and leftover columns scalar code.
pub fn dense_simd(
    x: &[f32],
    m: usize,
    k: usize,
    w: &[f32],
    n: usize,
    b: &[f32],
    act: Activation,
    y: &mut [f32],
) -> Result<()> {
    check_dims(x, m, k, w, n, b, y)?;
    let xv = |i: usize, kk: usize| F32x4::splat(x.get(i * k + kk).copied().unwrap_or(0.0));
    let n8 = n - n % 8;
    let n4 = n - n % 4;
    let m4 = m - m % 4;
    let mut i = 0;
    while i < m4 {
        let mut j = 0;
        while j < n8 {
            let z = F32x4::splat(0.0);
            let mut acc = [[z; 2]; 4];
            for kk in 0..k {
                let w0 = load4(w, kk * n + j);
                let w1 = load4(w, kk * n + j + 4);
                for (r, a) in acc.iter_mut().enumerate() {
                    let xs = xv(i + r, kk);
                    a[0] = a[0].add(xs.mul(w0));
                    a[1] = a[1].add(xs.mul(w1));
                }
            }
            for (r, a) in acc.iter().enumerate() {
                store_row(a[0], y, (i + r) * n + j, b, j, act);
                store_row(a[1], y, (i + r) * n + j + 4, b, j + 4, act);
            }
            j += 8;
        }
        for r in 0..4 {
            tail_row(x, i + r, k, w, n, b, act, y, n8, n4);
        }
        i += 4;
    }
    while i < m {
        let mut j = 0;
        while j < n8 {
            let mut a0 = F32x4::splat(0.0);
            let mut a1 = F32x4::splat(0.0);
            for kk in 0..k {
                let xs = xv(i, kk);
                a0 = a0.add(xs.mul(load4(w, kk * n + j)));
                a1 = a1.add(xs.mul(load4(w, kk * n + j + 4)));
            }
            store_row(a0, y, i * n + j, b, j, act);
            store_row(a1, y, i * n + j + 4, b, j + 4, act);
            j += 8;
        }
        tail_row(x, i, k, w, n, b, act, y, n8, n4);
        i += 1;
    }
    Ok(())
}

/// Columns n8..n of row i: one 4-wide block if there is one, then scalar.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn tail_row(
    x: &[f32],
    i: usize,
    k: usize,
    w: &[f32],
    n: usize,
    b: &[f32],
    act: Activation,
    y: &mut [f32],
    n8: usize,
    n4: usize,
) {
    if n4 > n8 {
        let mut a = F32x4::splat(0.0);
        for kk in 0..k {
            a = a.add(
                F32x4::splat(x.get(i * k + kk).copied().unwrap_or(0.0)).mul(load4(w, kk * n + n8)),
            );
        }
        store_row(a, y, i * n + n8, b, n8, act);
    }
    for j in n4..n {
        let mut acc = 0f32;
        for kk in 0..k {
            acc += x.get(i * k + kk).copied().unwrap_or(0.0)
                * w.get(kk * n + j).copied().unwrap_or(0.0);
        }
        if let Some(out) = y.get_mut(i * n + j) {
            *out = activate(acc + b.get(j).copied().unwrap_or(0.0), act);
        }
    }
}

#[inline(always)]
fn store_row(v: F32x4, y: &mut [f32], at: usize, b: &[f32], j: usize, act: Activation) {
    let mut r = v.add(load4(b, j));
    if act == Activation::Relu {
        r = r.max(F32x4::splat(0.0));
    }
    if let Some(a) = y
        .get_mut(at..at + 4)
        .and_then(|c| <&mut [f32; 4]>::try_from(c).ok())
    {
        r.store(a);
    }
}

/// Dense layer with the chosen kernel.
#[allow(clippy::too_many_arguments)]
pub fn dense(
    kernel: Kernel,
    x: &[f32],
    m: usize,
    k: usize,
    w: &[f32],
    n: usize,
    b: &[f32],
    act: Activation,
    y: &mut [f32],
) -> Result<()> {
    match kernel {
        Kernel::Scalar => dense_scalar(x, m, k, w, n, b, act, y),
        Kernel::Simd => dense_simd(x, m, k, w, n, b, act, y),
    }
}

/// Softmax of each row of width `n`, in place.
pub fn softmax_rows(v: &mut [f32], n: usize) {
    for row in v.chunks_mut(n.max(1)) {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0f32;
        for x in row.iter_mut() {
            *x = (*x - max).exp();
            sum += *x;
        }
        for x in row.iter_mut() {
            *x /= sum;
        }
    }
}

/// Log-softmax of each row of width `n`, in place.
pub fn log_softmax_rows(v: &mut [f32], n: usize) {
    for row in v.chunks_mut(n.max(1)) {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = row.iter().map(|x| (x - max).exp()).sum();
        let lse = max + sum.ln();
        for x in row.iter_mut() {
            *x -= lse;
        }
    }
}

/// Turn input rows into first-layer features: digits pass through (checked finite); text ids
/// (given as f32 integers) gather and concatenate embedding rows.
pub fn features(model: &Model, inputs: &[f32], batch: usize) -> Result<Vec<f32>> {
    let d = model.input_dim();
    if Some(inputs.len()) != batch.checked_mul(d) {
        return Err(Error::field(
            ErrorCode::LengthMismatch,
            "inputs",
            format!("{} values for a batch of {batch} rows of {d}", inputs.len()),
        ));
    }
    if let Some(i) = inputs.iter().position(|v| !v.is_finite()) {
        return Err(Error::field(
            ErrorCode::NotFinite,
            format!("inputs[{i}]"),
            "input is not finite",
        ));
    }
    let Some(e) = &model.embed else {
        return Ok(inputs.to_vec());
    };
    let mut out = Vec::with_capacity(batch.saturating_mul(model.feature_dim()));
    for (i, &id) in inputs.iter().enumerate() {
        if id < 0.0 || id.fract() != 0.0 || id >= e.vocab as f32 {
            return Err(Error::field(
                ErrorCode::OutOfRange,
                format!("inputs[{i}]"),
                format!("{id} is not a character id below {}", e.vocab),
            ));
        }
        let row = id as usize * e.dim;
        out.extend_from_slice(e.table.get(row..row + e.dim).unwrap_or(&[]));
    }
    Ok(out)
}

/// Run `batch` input rows through the model on the CPU. Digits models return class
/// probabilities (softmax), text models next-character log-probabilities (log-softmax); either
/// way `batch * output_dim` values.
pub fn forward(model: &Model, inputs: &[f32], batch: usize, kernel: Kernel) -> Result<Vec<f32>> {
    let mut h = features(model, inputs, batch)?;
    for l in &model.layers {
        let mut y = vec![0f32; batch.saturating_mul(l.output)];
        dense(
            kernel, &h, batch, l.input, &l.w, l.output, &l.b, l.act, &mut y,
        )?;
        h = y;
    }
    let n = model.output_dim();
    match model.task {
        Task::Digits => softmax_rows(&mut h, n),
        Task::Text => log_softmax_rows(&mut h, n),
    }
    Ok(h)
}

/// Index of the largest value of each row (ties: the first).
pub fn argmax_rows(v: &[f32], n: usize) -> Vec<usize> {
    v.chunks(n.max(1))
        .map(|row| {
            row.iter()
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |best, (i, &x)| {
                    if x > best.1 {
                        (i, x)
                    } else {
                        best
                    }
                })
                .0
        })
        .collect()
}
