//! Deterministic training of the shipped models: single-threaded f32, a fixed seed
//! ([`SplitMix64`]), a fixed sample order, and our own `exp`/`ln` ([`det_exp`], [`det_ln`]) made
//! of basic IEEE operations only, so the same recipe gives byte-identical weights on every
//! platform. Minibatch SGD with momentum and softmax cross-entropy; the bigram is counted.
//!
//! Length: one deterministic recipe per shipped model: the seeded RNG, the platform-independent
//! exp/ln and the SGD loop the recipes share stay with them so a weight change has one place to be
//! read; the tests are the last 50 lines.

use super::model::{Activation, Dense, Embedding, Model, Task};
use super::ops::{dense_simd, features};
use super::text::VOCAB_SIZE;
use tao_engine::error::{Error, ErrorCode, Result};

/// SplitMix64: a tiny, well-mixed 64-bit generator (Steele, Lea, Flood 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1) with 24 random bits.
    pub fn next_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u32 << 24) as f32
    }
    /// Uniform integer in [0, n) (n > 0; 0 when n == 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// e^x from basic IEEE f32 operations (range reduction by ln 2, degree-6 polynomial), so it
/// rounds the same everywhere. Relative error below 2e-7 on [-87, 88].
pub fn det_exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let n = (x * core::f32::consts::LOG2_E).round();
    let r = (x - n * 0.693_145_75) - n * 1.428_606_8e-6;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    let bits = ((n as i32 + 127) as u32) << 23;
    p * f32::from_bits(bits)
}

/// ln x (x > 0) in f64 from basic operations: x = m 2^e, ln m = 2 atanh((m-1)/(m+1)).
pub fn det_ln(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return f64::NEG_INFINITY;
    }
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > core::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 40.0 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    2.0 * sum + e as f64 * core::f64::consts::LN_2
}

/// Hyperparameters of one SGD run.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sgd {
    /// Seed of initialization and sample order.
    pub seed: u64,
    /// Minibatch steps.
    pub steps: usize,
    /// Rows per minibatch.
    pub batch: usize,
    /// Learning rate (linearly decayed to 10 % over the run).
    pub lr: f32,
    /// Momentum.
    pub momentum: f32,
    /// L2 weight decay.
    pub decay: f32,
}

/// A fresh model with Glorot-uniform weights and zero biases.
pub fn init_model(
    name: &str,
    task: Task,
    embed: Option<(usize, usize)>,
    widths: &[usize],
    rng: &mut SplitMix64,
) -> Model {
    let embed = embed.map(|(context, dim)| Embedding {
        vocab: VOCAB_SIZE,
        dim,
        context,
        table: (0..VOCAB_SIZE * dim)
            .map(|_| rng.next_f32() - 0.5)
            .collect(),
    });
    let layers = widths
        .windows(2)
        .enumerate()
        .map(|(i, p)| {
            let (input, output) = (p[0], p[1]);
            let a = (6.0 / (input + output) as f32).sqrt();
            Dense {
                input,
                output,
                act: if i + 2 < widths.len() {
                    Activation::Relu
                } else {
                    Activation::None
                },
                w: (0..input * output)
                    .map(|_| (rng.next_f32() * 2.0 - 1.0) * a)
                    .collect(),
                b: vec![0.0; output],
            }
        })
        .collect();
    Model {
        name: name.into(),
        task,
        embed,
        layers,
    }
}

/// Train `model` on rows from `sample(index, rng) -> (input row, target class)` with SGD and
/// softmax cross-entropy. Returns the mean training loss of the last 10 % of steps.
pub fn train_sgd(
    model: &mut Model,
    cfg: &Sgd,
    mut sample: impl FnMut(usize, &mut SplitMix64) -> (Vec<f32>, usize),
) -> Result<f32> {
    model.validate()?;
    let mut rng = SplitMix64(cfg.seed ^ 0x5EED);
    let mut vel: Vec<(Vec<f32>, Vec<f32>)> = model
        .layers
        .iter()
        .map(|l| (vec![0.0; l.w.len()], vec![0.0; l.b.len()]))
        .collect();
    let mut evel = model
        .embed
        .as_ref()
        .map(|e| vec![0f32; e.table.len()])
        .unwrap_or_default();
    let classes = model.output_dim();
    let mut tail_loss = 0f64;
    let mut tail_n = 0usize;
    for step in 0..cfg.steps {
        let lr = cfg.lr * (1.0 - 0.9 * step as f32 / cfg.steps.max(1) as f32);
        let mut inputs = Vec::new();
        let mut targets = Vec::with_capacity(cfg.batch);
        for b in 0..cfg.batch {
            let (row, t) = sample(step * cfg.batch + b, &mut rng);
            inputs.extend_from_slice(&row);
            targets.push(t);
        }
        let m = cfg.batch;
        // forward, keeping every activation
        let mut acts = vec![features(model, &inputs, m)?];
        for l in &model.layers {
            let mut y = vec![0f32; m * l.output];
            let x = acts.last().map(Vec::as_slice).unwrap_or(&[]);
            dense_simd(x, m, l.input, &l.w, l.output, &l.b, l.act, &mut y)?;
            acts.push(y);
        }
        // dlogits = softmax - onehot, / m
        let mut grad = acts.last().cloned().unwrap_or_default();
        for (r, row) in grad.chunks_mut(classes).enumerate() {
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0f32;
            for v in row.iter_mut() {
                *v = det_exp(*v - max);
                sum += *v;
            }
            let t = targets.get(r).copied().unwrap_or(0);
            for (c, v) in row.iter_mut().enumerate() {
                let p = *v / sum;
                if c == t {
                    if step * 10 >= cfg.steps * 9 {
                        tail_loss -= det_ln(f64::from(p.max(1e-30)));
                        tail_n += 1;
                    }
                    *v = (p - 1.0) / m as f32;
                } else {
                    *v = p / m as f32;
                }
            }
        }
        // backward
        for li in (0..model.layers.len()).rev() {
            let Some(l) = model.layers.get(li) else {
                continue;
            };
            let (k, n) = (l.input, l.output);
            let x = acts.get(li).map(Vec::as_slice).unwrap_or(&[]);
            let mut gw = vec![0f32; k * n];
            let mut gb = vec![0f32; n];
            for r in 0..m {
                let g = grad.get(r * n..(r + 1) * n).unwrap_or(&[]);
                for (bj, &gj) in gb.iter_mut().zip(g) {
                    *bj += gj;
                }
                for kk in 0..k {
                    let xv = x.get(r * k + kk).copied().unwrap_or(0.0);
                    if xv == 0.0 {
                        continue;
                    }
                    if let Some(dst) = gw.get_mut(kk * n..(kk + 1) * n) {
                        for (d, &gj) in dst.iter_mut().zip(g) {
                            *d += xv * gj;
                        }
                    }
                }
            }
            let need_dx = li > 0 || model.embed.is_some();
            let mut dx = vec![0f32; if need_dx { m * k } else { 0 }];
            if need_dx {
                for r in 0..m {
                    let g = grad.get(r * n..(r + 1) * n).unwrap_or(&[]);
                    for kk in 0..k {
                        let wrow = l.w.get(kk * n..(kk + 1) * n).unwrap_or(&[]);
                        let mut acc = 0f32;
                        for (&wv, &gj) in wrow.iter().zip(g) {
                            acc += wv * gj;
                        }
                        // ReLU mask of the layer below (its output is x)
                        let below_relu = li > 0
                            && model
                                .layers
                                .get(li - 1)
                                .is_some_and(|p| p.act == Activation::Relu);
                        if below_relu && x.get(r * k + kk).copied().unwrap_or(0.0) <= 0.0 {
                            acc = 0.0;
                        }
                        if let Some(d) = dx.get_mut(r * k + kk) {
                            *d = acc;
                        }
                    }
                }
            }
            let (vw, vb) = match vel.get_mut(li) {
                Some(v) => (&mut v.0, &mut v.1),
                None => return Err(Error::new(ErrorCode::Internal, "velocity missing")),
            };
            if let Some(l) = model.layers.get_mut(li) {
                for ((w, v), g) in l.w.iter_mut().zip(vw.iter_mut()).zip(&gw) {
                    *v = cfg.momentum * *v + (*g + cfg.decay * *w);
                    *w -= lr * *v;
                }
                for ((b, v), g) in l.b.iter_mut().zip(vb.iter_mut()).zip(&gb) {
                    *v = cfg.momentum * *v + *g;
                    *b -= lr * *v;
                }
            }
            grad = dx;
        }
        // embedding rows get the input gradient
        if let Some(e) = model.embed.as_mut() {
            if !model.layers.is_empty() {
                let mut ge = vec![0f32; e.table.len()];
                for (i, &id) in inputs.iter().enumerate() {
                    let slot = i % e.context;
                    let r = i / e.context;
                    let src = (r * e.context + slot) * e.dim;
                    let dst = id as usize * e.dim;
                    for d in 0..e.dim {
                        if let (Some(g), Some(&s)) = (ge.get_mut(dst + d), grad.get(src + d)) {
                            *g += s;
                        }
                    }
                }
                for ((w, v), g) in e.table.iter_mut().zip(evel.iter_mut()).zip(&ge) {
                    *v = cfg.momentum * *v + *g;
                    *w -= lr * *v;
                }
            }
        }
    }
    Ok((tail_loss / tail_n.max(1) as f64) as f32)
}

/// One digit image: 64 pixels (0..=16) and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digit {
    /// Pixels, row-major, 0..=16.
    pub pixels: [u8; 64],
    /// 0..=9.
    pub label: u8,
}

/// Parse scikit-learn's `digits.csv` (65 integers a line: 64 pixels, then the label).
pub fn parse_digits_csv(text: &str) -> Result<Vec<Digit>> {
    let mut out = Vec::new();
    for (ln, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let vals: Vec<u8> = line
            .split(',')
            .map(|v| {
                v.trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|x| (0.0..=16.0).contains(x))
                    .map(|x| x as u8)
            })
            .collect::<Option<_>>()
            .ok_or_else(|| {
                Error::field(
                    ErrorCode::Decode,
                    format!("line {}", ln + 1),
                    "not 65 integers in 0..=16",
                )
            })?;
        let (Some(pixels), Some(&label)) = (
            vals.get(..64).and_then(|p| <[u8; 64]>::try_from(p).ok()),
            vals.get(64),
        ) else {
            return Err(Error::field(
                ErrorCode::Decode,
                format!("line {}", ln + 1),
                "expected 65 values",
            ));
        };
        if vals.len() != 65 || label > 9 {
            return Err(Error::field(
                ErrorCode::Decode,
                format!("line {}", ln + 1),
                "expected 64 pixels and a label 0..=9",
            ));
        }
        out.push(Digit { pixels, label });
    }
    Ok(out)
}

/// Seed of the digits train/held-out split (fixed forever: the held-out set ships).
pub const DIGITS_SPLIT_SEED: u64 = 1797;
/// Held-out digits.
pub const DIGITS_HELDOUT: usize = 360;

/// Split the 1797 digits into (train, held-out) by a seeded shuffle.
pub fn split_digits(all: &[Digit]) -> (Vec<Digit>, Vec<Digit>) {
    let mut idx: Vec<usize> = (0..all.len()).collect();
    SplitMix64(DIGITS_SPLIT_SEED).shuffle(&mut idx);
    let held = DIGITS_HELDOUT.min(all.len());
    let pick = |ids: &[usize]| {
        ids.iter()
            .filter_map(|&i| all.get(i).cloned())
            .collect::<Vec<_>>()
    };
    (
        pick(idx.get(held..).unwrap_or(&[])),
        pick(idx.get(..held).unwrap_or(&[])),
    )
}

/// Pixels scaled to 0..=1, as the models take them.
pub fn digit_input(d: &Digit) -> Vec<f32> {
    d.pixels.iter().map(|&p| f32::from(p) / 16.0).collect()
}

/// A recipe of one shipped model.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Recipe {
    /// Model name (file `models/<name>.tmod`).
    pub name: String,
    /// Task.
    pub task: Task,
    /// Layer widths from features to outputs (empty for the bigram).
    pub widths: Vec<usize>,
    /// (context, embedding dim) for text MLPs.
    pub embed: Option<(usize, usize)>,
    /// Optimizer settings (unused by the bigram).
    pub sgd: Sgd,
    /// Store int8 weights.
    pub int8: bool,
}

/// Every shipped model's recipe, weakest first within each task.
pub fn recipes() -> Vec<Recipe> {
    let sgd = |seed, steps, batch, lr| Sgd {
        seed,
        steps,
        batch,
        lr,
        momentum: 0.9,
        decay: 1e-4,
    };
    let d = |name: &str, widths: &[usize], s: Sgd, int8| Recipe {
        name: name.into(),
        task: Task::Digits,
        widths: widths.to_vec(),
        embed: None,
        sgd: s,
        int8,
    };
    let t = |name: &str, widths: &[usize], embed, s: Sgd, int8| Recipe {
        name: name.into(),
        task: Task::Text,
        widths: widths.to_vec(),
        embed,
        sgd: s,
        int8,
    };
    vec![
        d("digits-s", &[64, 16, 10], sgd(1, 200, 32, 0.05), false),
        d("digits-m", &[64, 48, 10], sgd(2, 1500, 32, 0.05), false),
        d(
            "digits-l",
            &[64, 128, 64, 10],
            sgd(3, 3000, 32, 0.05),
            false,
        ),
        d(
            "digits-l-q8",
            &[64, 128, 64, 10],
            sgd(3, 3000, 32, 0.05),
            true,
        ),
        t("text-bigram", &[], None, sgd(0, 0, 0, 0.0), false),
        t(
            "text-mlp",
            &[12 * 16, 192, VOCAB_SIZE],
            Some((12, 16)),
            sgd(4, 12000, 64, 0.1),
            false,
        ),
        t(
            "text-mlp-q8",
            &[12 * 16, 192, VOCAB_SIZE],
            Some((12, 16)),
            sgd(4, 12000, 64, 0.1),
            true,
        ),
    ]
}

/// Train a digits recipe on the training split.
pub fn train_digits(r: &Recipe, train: &[Digit]) -> Result<Model> {
    let mut rng = SplitMix64(r.sgd.seed);
    let mut model = init_model(&r.name, Task::Digits, None, &r.widths, &mut rng);
    if train.is_empty() {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "train",
            "no training digits",
        ));
    }
    let mut order: Vec<usize> = (0..train.len()).collect();
    train_sgd(&mut model, &r.sgd, |i, rng| {
        let pos = i % order.len();
        if pos == 0 {
            rng.shuffle(&mut order);
        }
        let d = order
            .get(pos)
            .and_then(|&j| train.get(j))
            .cloned()
            .unwrap_or(Digit {
                pixels: [0; 64],
                label: 0,
            });
        (digit_input(&d), d.label as usize)
    })?;
    Ok(model)
}

/// Context ids before position `p` of `ids` (space-padded at the start).
pub fn context_of(ids: &[u8], p: usize, context: usize) -> Vec<f32> {
    (0..context)
        .map(|c| {
            if p + c >= context {
                ids.get(p + c - context).copied().unwrap_or(0) as f32
            } else {
                0.0
            }
        })
        .collect()
}

/// Train a text recipe (bigram by counting with add-0.5 smoothing; MLPs by SGD on random positions).
pub fn train_text(r: &Recipe, train: &[u8]) -> Result<Model> {
    if train.len() < 2 {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "train",
            "no training text",
        ));
    }
    let Some((context, dim)) = r.embed else {
        let mut counts = vec![0.5f64; VOCAB_SIZE * VOCAB_SIZE];
        for p in train.windows(2) {
            if let Some(c) = counts.get_mut(p[0] as usize * VOCAB_SIZE + p[1] as usize) {
                *c += 1.0;
            }
        }
        let mut table = vec![0f32; counts.len()];
        for (row, out) in counts.chunks(VOCAB_SIZE).zip(table.chunks_mut(VOCAB_SIZE)) {
            let ln_total = det_ln(row.iter().sum());
            for (c, o) in row.iter().zip(out.iter_mut()) {
                *o = (det_ln(*c) - ln_total) as f32;
            }
        }
        let m = Model {
            name: r.name.clone(),
            task: Task::Text,
            embed: Some(Embedding {
                vocab: VOCAB_SIZE,
                dim: VOCAB_SIZE,
                context: 1,
                table,
            }),
            layers: vec![],
        };
        m.validate()?;
        return Ok(m);
    };
    let mut rng = SplitMix64(r.sgd.seed);
    let mut model = init_model(
        &r.name,
        Task::Text,
        Some((context, dim)),
        &r.widths,
        &mut rng,
    );
    train_sgd(&mut model, &r.sgd, |_, rng| {
        let p = context + rng.below(train.len() - context);
        (
            context_of(train, p, context),
            train.get(p).copied().unwrap_or(0) as usize,
        )
    })?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn det_exp_and_ln_are_accurate() {
        for i in -800..800 {
            let x = i as f32 / 10.0;
            let (a, b) = (det_exp(x), x.exp());
            assert!(((a - b) / b).abs() < 1e-6, "exp({x}) {a} vs {b}");
        }
        for x in [1e-30, 0.001, 0.5, 1.0, 2.0, 3.7, 1e10] {
            assert!((det_ln(x) - x.ln()).abs() < 1e-12, "ln({x})");
        }
    }

    #[test]
    fn sgd_learns_a_separable_toy_problem() {
        let mut rng = SplitMix64(9);
        let mut m = init_model("toy", Task::Digits, None, &[64, 10], &mut rng);
        let cfg = Sgd {
            seed: 1,
            steps: 300,
            batch: 10,
            lr: 0.5,
            momentum: 0.9,
            decay: 0.0,
        };
        let loss = train_sgd(&mut m, &cfg, |i, _| {
            let c = i % 10;
            let mut x = vec![0f32; 64];
            x[c * 6] = 1.0;
            (x, c)
        })
        .unwrap();
        assert!(loss < 0.05, "loss {loss}");
    }

    #[test]
    fn csv_parse_and_split() {
        let line = |l: u8| format!("{},{}\n", vec!["3"; 64].join(","), l);
        let text: String = (0..20).map(|i| line(i % 10)).collect();
        let all = parse_digits_csv(&text).unwrap();
        assert_eq!(all.len(), 20);
        assert!(parse_digits_csv("1,2,3\n").is_err());
        assert!(parse_digits_csv(&line(11)).is_err());
        let (tr, te) = split_digits(&all);
        assert_eq!(tr.len() + te.len(), 20);
    }
}
