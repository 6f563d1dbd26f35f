//! Validator side: seeded challenges (held-out digit images, held-out text contexts) and scoring
//! of a miner's answers (accuracy and mean log-likelihood of the true answer). Scoring
//! renormalizes every answer row (probabilities by their sum, log-probabilities by their
//! log-sum-exp), so a miner cannot inflate its likelihood by not summing to one.

use super::model::Task;
use super::text::VOCAB_SIZE;
use super::train::{context_of, digit_input, Digit, SplitMix64};
use tao_engine::error::{Error, ErrorCode, Result};

/// The log-likelihood given to unanswered, invalid or zero-probability answers: ln(1e-9).
pub const LL_FLOOR: f64 = -20.723_265_836_946_41;

/// A batch of challenges: model inputs and the true answers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenges {
    /// Task.
    pub task: Task,
    /// Values per input row (64 pixels, or the context length).
    pub input_dim: usize,
    /// `count * input_dim` values (pixels scaled to 0..=1, or character ids).
    pub inputs: Vec<f32>,
    /// True class / next character id, one per challenge.
    pub targets: Vec<u8>,
    /// Index into the held-out set (digit index or text position) of each challenge.
    pub sources: Vec<u32>,
}

/// `count` digit challenges drawn (with replacement) from `heldout` by `seed`.
pub fn digit_challenges(heldout: &[Digit], seed: u64, count: usize) -> Result<Challenges> {
    check_count(count)?;
    if heldout.is_empty() {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "heldout",
            "no held-out digits",
        ));
    }
    let mut rng = SplitMix64(seed ^ 0xD161_75);
    let mut c = Challenges {
        task: Task::Digits,
        input_dim: 64,
        inputs: Vec::with_capacity(count * 64),
        targets: Vec::new(),
        sources: Vec::new(),
    };
    for _ in 0..count {
        let i = rng.below(heldout.len());
        let Some(d) = heldout.get(i) else { continue };
        c.inputs.extend(digit_input(d));
        c.targets.push(d.label);
        c.sources.push(i as u32);
    }
    Ok(c)
}

/// `count` next-character challenges with `context` characters each, from positions of `ids`
/// drawn by `seed`.
pub fn text_challenges(ids: &[u8], seed: u64, count: usize, context: usize) -> Result<Challenges> {
    check_count(count)?;
    if context == 0 || context > 256 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "context",
            format!("{context} is outside 1..=256"),
        ));
    }
    if ids.len() <= context {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "text",
            "held-out text shorter than the context",
        ));
    }
    let mut rng = SplitMix64(seed ^ 0x7E47);
    let mut c = Challenges {
        task: Task::Text,
        input_dim: context,
        inputs: Vec::with_capacity(count * context),
        targets: Vec::new(),
        sources: Vec::new(),
    };
    for _ in 0..count {
        let p = context + rng.below(ids.len() - context);
        c.inputs.extend(context_of(ids, p, context));
        c.targets.push(ids.get(p).copied().unwrap_or(0));
        c.sources.push(p as u32);
    }
    Ok(c)
}

fn check_count(count: usize) -> Result<()> {
    if count == 0 || count > 65_536 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "count",
            format!("{count} is outside 1..=65536"),
        ));
    }
    Ok(())
}

/// How well one set of answers did.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    /// Challenges.
    pub count: u32,
    /// Challenges answered (with a valid row).
    pub answered: u32,
    /// Correct top-1 answers / count (unanswered count as wrong).
    pub accuracy: f64,
    /// Mean ln p(true answer) over all challenges (unanswered get [`LL_FLOOR`]).
    pub mean_log_likelihood: f64,
    /// The same in bits per challenge, negated (bits per character for text).
    pub bits: f64,
}

/// Score `outputs` (`count * classes`: digits probabilities, text log-probabilities) against
/// `targets`. `answered[i] == false` (or a row with a non-finite value) means no answer.
pub fn score(
    task: Task,
    outputs: &[f32],
    targets: &[u8],
    answered: Option<&[bool]>,
) -> Result<Score> {
    let classes = match task {
        Task::Digits => 10,
        Task::Text => VOCAB_SIZE,
    };
    let count = targets.len();
    if Some(outputs.len()) != count.checked_mul(classes) {
        return Err(Error::field(
            ErrorCode::LengthMismatch,
            "outputs",
            format!("{} values for {count} answers of {classes}", outputs.len()),
        ));
    }
    if let Some(a) = answered {
        if a.len() != count {
            return Err(Error::field(
                ErrorCode::LengthMismatch,
                "answered",
                format!("{} flags for {count} answers", a.len()),
            ));
        }
    }
    let (mut done, mut correct, mut ll) = (0usize, 0usize, 0f64);
    for (i, (row, &t)) in outputs.chunks(classes).zip(targets).enumerate() {
        let t = t as usize;
        let given = answered.and_then(|a| a.get(i).copied()).unwrap_or(true);
        if !given || row.iter().any(|v| !v.is_finite()) || t >= classes {
            ll += LL_FLOOR;
            continue;
        }
        done += 1;
        let best = row
            .iter()
            .enumerate()
            .fold(
                (0, f32::NEG_INFINITY),
                |b, (j, &v)| if v > b.1 { (j, v) } else { b },
            )
            .0;
        if best == t {
            correct += 1;
        }
        let p_ln = match task {
            Task::Digits => {
                let sum: f64 = row.iter().map(|&v| f64::from(v.max(0.0))).sum();
                let p = f64::from(row.get(t).copied().unwrap_or(0.0).max(0.0));
                if sum > 0.0 && p > 0.0 {
                    (p / sum).ln()
                } else {
                    LL_FLOOR
                }
            }
            Task::Text => {
                let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
                let lse = max
                    + row
                        .iter()
                        .map(|&v| (f64::from(v) - max).exp())
                        .sum::<f64>()
                        .ln();
                f64::from(row.get(t).copied().unwrap_or(0.0)) - lse
            }
        };
        ll += p_ln.max(LL_FLOOR);
    }
    let n = count.max(1) as f64;
    let mean = ll / n;
    Ok(Score {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        answered: u32::try_from(done).unwrap_or(u32::MAX),
        accuracy: correct as f64 / n,
        mean_log_likelihood: mean,
        bits: -mean / core::f64::consts::LN_2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_uniform_and_missing_answers() {
        let targets = [3u8, 7];
        let mut perfect = vec![0f32; 20];
        perfect[3] = 1.0;
        perfect[17] = 1.0;
        let s = score(Task::Digits, &perfect, &targets, None).unwrap();
        assert_eq!((s.accuracy, s.answered), (1.0, 2));
        assert!(s.mean_log_likelihood.abs() < 1e-12);
        // unnormalized answers are renormalized: 10x the uniform row is still uniform
        let s = score(Task::Digits, &[10f32; 20], &targets, None).unwrap();
        assert!((s.mean_log_likelihood - (0.1f64).ln()).abs() < 1e-9);
        let s = score(Task::Digits, &perfect, &targets, Some(&[true, false])).unwrap();
        assert_eq!((s.accuracy, s.answered), (0.5, 1));
        assert!((s.mean_log_likelihood - LL_FLOOR / 2.0).abs() < 1e-9);
        assert_eq!(
            score(Task::Digits, &perfect[..19], &targets, None)
                .unwrap_err()
                .code,
            ErrorCode::LengthMismatch
        );
    }

    #[test]
    fn challenges_are_seeded() {
        let ids: Vec<u8> = (0..500).map(|i| (i % 34) as u8).collect();
        let a = text_challenges(&ids, 5, 50, 8).unwrap();
        assert_eq!(a, text_challenges(&ids, 5, 50, 8).unwrap());
        assert_ne!(a, text_challenges(&ids, 6, 50, 8).unwrap());
        for (k, &t) in a.targets.iter().enumerate() {
            // the context is the 8 ids before the target
            let p = a.sources[k] as usize;
            assert_eq!(ids[p], t);
            assert_eq!(a.inputs[k * 8 + 7], ids[p - 1] as f32);
        }
        assert_eq!(
            text_challenges(&ids, 5, 0, 8).unwrap_err().code,
            ErrorCode::OutOfRange
        );
    }
}
