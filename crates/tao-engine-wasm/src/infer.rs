//! The playground's miner models for JS. The `InferModel` class holds one model (a shipped one by
//! name, or one decoded from `.tmod` bytes) and runs batches on the CPU (wasm SIMD or scalar) or
//! on WebGPU ([`gpu`]); seeded challenges, scoring, the text codec and the raw dense kernels are
//! free functions. Shape checks and the context trim live in `tao_playground::shape`.

mod gpu;
mod manifest;

use super::convert::{js_error, to_bool, to_f32s, to_opt_u32, to_str, to_ts, to_u32};
use super::request::{read, Bytes, CpuKernel, FromJs, InferTask, U64Like};
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use tao_engine::error::Error;
use tao_playground::challenge::{self, Challenges as CoreChallenges};
use tao_playground::ops::{self, Kernel};
use tao_playground::shape::{check_batch, check_dense, trim_context as trim, TEXT_CONTEXT};
use tao_playground::{decode_model, shipped, text, Activation, DType, Model, Task};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

/// A decoded model and its weights' storage type. The WebGPU backend caches uploads per `Loaded`
/// (by pointer, held weakly), so an `InferModel` uploads once however often it runs.
pub(crate) struct Loaded {
    pub(crate) model: Model,
    pub(crate) dtype: DType,
}

impl From<Task> for InferTask {
    fn from(t: Task) -> Self {
        match t {
            Task::Digits => InferTask::Digits,
            Task::Text => InferTask::Text,
        }
    }
}

impl From<InferTask> for Task {
    fn from(t: InferTask) -> Self {
        match t {
            InferTask::Digits => Task::Digits,
            InferTask::Text => Task::Text,
        }
    }
}

impl From<CpuKernel> for Kernel {
    fn from(k: CpuKernel) -> Self {
        match k {
            CpuKernel::Simd => Kernel::Simd,
            CpuKernel::Scalar => Kernel::Scalar,
        }
    }
}

/// How a model's weights are stored.
#[derive(Serialize, Deserialize, Tsify, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum ModelDType {
    /// 32-bit floats.
    F32,
    /// int8 with one f32 scale per column, dequantized at load.
    Int8,
}

/// One dense layer of a model.
#[derive(Serialize, Tsify)]
pub struct ModelLayer {
    /// Values in.
    input: u32,
    /// Values out.
    output: u32,
    /// Whether a ReLU follows.
    relu: bool,
}

/// A text model's character embedding.
#[derive(Serialize, Tsify)]
pub struct ModelEmbed {
    /// Characters in the vocabulary.
    vocab: u32,
    /// Values per character.
    dim: u32,
    /// Characters per input row.
    context: u32,
}

/// Shape and size of a model.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object, missing_as_null)]
pub struct ModelInfo {
    name: String,
    task: InferTask,
    /// "f32" or "int8" (weights stored as int8 with one f32 scale per column, dequantized at load).
    dtype: ModelDType,
    /// Values per input row: 64 pixels in 0..1, or `context` character ids.
    input_dim: u32,
    /// Values per output row: 10 classes, or the 34-character vocabulary.
    output_dim: u32,
    params: u32,
    /// Multiply-adds per input row.
    macs_per_row: u32,
    layers: Vec<ModelLayer>,
    /// Text models: the embedding (a bigram has no layers: its table row is the logits).
    embed: Option<ModelEmbed>,
}

fn small(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

impl From<&Loaded> for ModelInfo {
    fn from(l: &Loaded) -> Self {
        let m = &l.model;
        ModelInfo {
            name: m.name.clone(),
            task: m.task.into(),
            dtype: if l.dtype == DType::Int8 {
                ModelDType::Int8
            } else {
                ModelDType::F32
            },
            input_dim: small(m.input_dim()),
            output_dim: small(m.output_dim()),
            params: small(m.param_count()),
            macs_per_row: small(m.macs_per_row()),
            layers: m
                .layers
                .iter()
                .map(|d| ModelLayer {
                    input: small(d.input),
                    output: small(d.output),
                    relu: d.act == Activation::Relu,
                })
                .collect(),
            embed: m.embed.as_ref().map(|e| ModelEmbed {
                vocab: small(e.vocab),
                dim: small(e.dim),
                context: small(e.context),
            }),
        }
    }
}

/// A playground model: a shipped one by name, or one decoded from `.tmod` bytes. It runs batches
/// on the CPU (`runCpu`) or on WebGPU (`runGpu`, after `inferGpuInit`). Free it with `free()`
/// when done (or let the garbage collector do it).
///
/// @example
/// ```ts
/// const m = new InferModel("digits-s");
/// const ch = digitChallenges(7n, 32);
/// const probs = m.runCpu(ch.inputs, ch.count);    // 32 * 10 class probabilities
/// scoreAnswers(m.task, probs, ch.targets).accuracy;
/// ```
#[wasm_bindgen(js_name = InferModel)]
pub struct JsInferModel(Rc<Loaded>);

#[wasm_bindgen(js_class = InferModel)]
impl JsInferModel {
    /// The shipped model called `name` (see `inferModelNames`). Throws `UNSUPPORTED` for an
    /// unknown name.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<JsInferModel, JsValue> {
        let name = to_str(&name, "name").map_err(js_error)?;
        let (model, dtype) = shipped::load(&name).map_err(js_error)?;
        Ok(JsInferModel(Rc::new(Loaded { model, dtype })))
    }

    /// A model decoded from `.tmod` bytes (its name is the one stored in the file). Throws
    /// `DECODE`, `DECODE_LIMIT`, `TRAILING_BYTES`, ...
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: Ts<Bytes>) -> Result<JsInferModel, JsValue> {
        let bytes = read(&bytes, "bytes")?.0;
        let (model, dtype) = decode_model(&bytes).map_err(js_error)?;
        Ok(JsInferModel(Rc::new(Loaded { model, dtype })))
    }

    /// The model's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.model.name.clone()
    }

    /// What the model answers.
    #[wasm_bindgen(getter)]
    pub fn task(&self) -> Ts<InferTask> {
        Ts::new_unchecked(JsValue::from_str(match self.0.model.task {
            Task::Digits => "digits",
            Task::Text => "text",
        }))
    }

    /// Shape and size of the model.
    pub fn info(&self) -> Result<Ts<ModelInfo>, JsValue> {
        to_ts(&ModelInfo::from(&*self.0))
    }

    /// Run `batch` rows (`batch * inputDim` values) on the CPU with the `"simd"` (default) or
    /// `"scalar"` kernel. Returns `batch * outputDim` values: class probabilities (digits) or
    /// next-character log-probabilities (text). Throws `LENGTH_MISMATCH`, `OUT_OF_RANGE` (batch,
    /// or a character id), `NOT_FINITE`, `INVALID_TYPE`.
    #[wasm_bindgen(js_name = runCpu)]
    pub fn run_cpu(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] inputs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] batch: JsValue,
        kernel: Option<Ts<CpuKernel>>,
    ) -> Result<Vec<f32>, JsValue> {
        let inputs = to_f32s(&inputs, "inputs").map_err(js_error)?;
        let batch = to_u32(&batch, "batch").map_err(js_error)?;
        let kernel = optional::<CpuKernel>(&kernel, "kernel")?.unwrap_or_default();
        let m = &self.0.model;
        let batch = check_batch(m, inputs.len(), batch).map_err(js_error)?;
        ops::forward(m, &inputs, batch, kernel.into()).map_err(js_error)
    }
}

/// An optional argument of a `Tsify` type that is not a `js_request!` struct (an enum): absent,
/// `undefined` and `null` are `None`.
fn optional<T: FromJs + Tsify>(v: &Option<Ts<T>>, field: &str) -> Result<Option<T>, JsValue> {
    match v {
        None => Ok(None),
        Some(v) => Option::<T>::parse(&v.js_value(), field).map_err(js_error),
    }
}

/// Names of the models shipped in the package, weakest first within each task.
#[wasm_bindgen(js_name = inferModelNames)]
pub fn infer_model_names() -> Vec<String> {
    shipped::model_names()
        .into_iter()
        .map(String::from)
        .collect()
}

/// A batch of challenges and their true answers.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct Challenges {
    task: InferTask,
    input_dim: u32,
    count: u32,
    /// `count * inputDim` model inputs.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "Float32Array")]
    inputs: js_sys::Float32Array,
    /// The true class / next character id of each challenge.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "Uint8Array")]
    targets: js_sys::Uint8Array,
    /// Index of each challenge in the held-out set (digit index or text position).
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "Uint32Array")]
    sources: js_sys::Uint32Array,
}

fn challenges(c: Result<CoreChallenges, Error>) -> Result<Ts<Challenges>, JsValue> {
    let c = c.map_err(js_error)?;
    to_ts(&Challenges {
        task: c.task.into(),
        input_dim: small(c.input_dim),
        count: small(c.targets.len()),
        inputs: js_sys::Float32Array::from(c.inputs.as_slice()),
        targets: js_sys::Uint8Array::from(c.targets.as_slice()),
        sources: js_sys::Uint32Array::from(c.sources.as_slice()),
    })
}

/// `count` digit challenges drawn by `seed` from the 360 held-out digits (never trained on).
/// Same seed, same challenges. Throws `OUT_OF_RANGE` for count outside 1..=65536.
///
/// @example
/// ```ts
/// const ch = digitChallenges(7n, 32);
/// ch.inputs.length; // 32 * 64
/// ```
#[wasm_bindgen(js_name = digitChallenges)]
pub fn digit_challenges(
    seed: Ts<U64Like>,
    #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
) -> Result<Ts<Challenges>, JsValue> {
    let seed = read(&seed, "seed")?.0;
    let count = to_u32(&count, "count").map_err(js_error)?;
    challenges(challenge::digit_challenges(
        &shipped::heldout_digits(),
        seed,
        count as usize,
    ))
}

/// `count` next-character challenges of `context` characters (default 12, the text models'
/// context; the bigram reads only the last) from the held-out text.
#[wasm_bindgen(js_name = textChallenges)]
pub fn text_challenges(
    seed: Ts<U64Like>,
    #[wasm_bindgen(unchecked_param_type = "number")] count: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number | null")] context: Option<JsValue>,
) -> Result<Ts<Challenges>, JsValue> {
    let seed = read(&seed, "seed")?.0;
    let count = to_u32(&count, "count").map_err(js_error)?;
    let context = to_opt_u32(&context.unwrap_or_default(), "context").map_err(js_error)?;
    challenges(challenge::text_challenges(
        &shipped::heldout_text(),
        seed,
        count as usize,
        context.map_or(TEXT_CONTEXT, |c| c as usize),
    ))
}

/// Keep the last `context` ids of each `from`-wide row (to feed a shorter-context model, e.g.
/// the bigram, the same text challenges).
#[wasm_bindgen(js_name = trimContext)]
pub fn trim_context(
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] inputs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] context: JsValue,
) -> Result<Vec<f32>, JsValue> {
    let inputs = to_f32s(&inputs, "inputs").map_err(js_error)?;
    let from = to_u32(&from, "from").map_err(js_error)?;
    let context = to_u32(&context, "context").map_err(js_error)?;
    trim(&inputs, from as usize, context as usize).map_err(js_error)
}

/// How well a set of answers did.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(large_number_types_as_bigints, hashmap_as_object)]
pub struct Score {
    count: u32,
    answered: u32,
    /// Top-1 accuracy over all challenges (unanswered are wrong).
    accuracy: f64,
    /// Mean ln p(true answer), rows renormalized; unanswered get ln(1e-9).
    mean_log_likelihood: f64,
    /// -meanLogLikelihood in bits.
    bits: f64,
}

/// Score answers (`count * outputDim`: digit probabilities or next-character log-probabilities)
/// against the true `targets`. `answered` (optional, one 0/1 per challenge) marks skipped rows.
///
/// @example
/// ```ts
/// scoreAnswers("digits", probs, ch.targets).accuracy; // 0..1
/// ```
#[wasm_bindgen(js_name = scoreAnswers)]
pub fn score_answers(
    task: Ts<InferTask>,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] outputs: JsValue,
    targets: Ts<Bytes>,
    answered: Option<Ts<Bytes>>,
) -> Result<Ts<Score>, JsValue> {
    let task = read(&task, "task")?;
    let outputs = to_f32s(&outputs, "outputs").map_err(js_error)?;
    let targets = read(&targets, "targets")?.0;
    let answered = optional::<Bytes>(&answered, "answered")?;
    let flags: Option<Vec<bool>> = answered.map(|a| a.0.iter().map(|&v| v != 0).collect());
    let s =
        challenge::score(task.into(), &outputs, &targets, flags.as_deref()).map_err(js_error)?;
    to_ts(&Score {
        count: s.count,
        answered: s.answered,
        accuracy: s.accuracy,
        mean_log_likelihood: s.mean_log_likelihood,
        bits: s.bits,
    })
}

/// The 34-character vocabulary of the text models (id = position).
#[wasm_bindgen(js_name = textVocab)]
pub fn text_vocab() -> String {
    text::VOCAB.into()
}

/// Normalize and encode text to character ids (unknown characters are dropped).
#[wasm_bindgen(js_name = textEncode)]
pub fn text_encode(
    #[wasm_bindgen(unchecked_param_type = "string")] s: JsValue,
) -> Result<Vec<u8>, JsValue> {
    Ok(text::encode(&to_str(&s, "s").map_err(js_error)?))
}

/// Decode character ids to text.
#[wasm_bindgen(js_name = textDecode)]
pub fn text_decode(ids: Ts<Bytes>) -> Result<String, JsValue> {
    Ok(text::decode(&read(&ids, "ids")?.0))
}

/// One dense layer `act(x w + b)` on the CPU (for benchmarks and tests): x `m x k`, w `k x n`.
#[wasm_bindgen(js_name = denseCpu)]
#[allow(clippy::too_many_arguments)]
pub fn dense_cpu(
    kernel: Ts<CpuKernel>,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] m: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] k: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] w: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "boolean")] relu: JsValue,
) -> Result<Vec<f32>, JsValue> {
    let kernel = read(&kernel, "kernel")?;
    let d = DenseArgs::read(&x, &m, &k, &w, &n, &b, &relu).map_err(js_error)?;
    let mut y = vec![0f32; d.m.saturating_mul(d.n)];
    ops::dense(
        kernel.into(),
        &d.x,
        d.m,
        d.k,
        &d.w,
        d.n,
        &d.b,
        d.act(),
        &mut y,
    )
    .map_err(js_error)?;
    Ok(y)
}

/// The arguments of one dense layer (`denseCpu`, `inferDenseGpu`), read and checked
/// (`tao_playground::shape::check_dense`) before any buffer is sized from them.
pub(crate) struct DenseArgs {
    pub x: Vec<f32>,
    pub m: usize,
    pub k: usize,
    pub w: Vec<f32>,
    pub n: usize,
    pub b: Vec<f32>,
    pub relu: bool,
}

impl DenseArgs {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn read(
        x: &JsValue,
        m: &JsValue,
        k: &JsValue,
        w: &JsValue,
        n: &JsValue,
        b: &JsValue,
        relu: &JsValue,
    ) -> tao_engine::error::Result<DenseArgs> {
        let d = DenseArgs {
            x: to_f32s(x, "x")?,
            m: to_u32(m, "m")? as usize,
            k: to_u32(k, "k")? as usize,
            w: to_f32s(w, "w")?,
            n: to_u32(n, "n")? as usize,
            b: to_f32s(b, "b")?,
            relu: to_bool(relu, "relu")?,
        };
        check_dense(d.m, d.k, d.n, d.x.len(), d.w.len(), d.b.len())?;
        Ok(d)
    }

    pub(crate) fn act(&self) -> Activation {
        if self.relu {
            Activation::Relu
        } else {
            Activation::None
        }
    }
}
