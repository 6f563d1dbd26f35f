//! The in-memory model: an optional character embedding followed by dense layers.

use tao_engine::error::{Error, ErrorCode, Result};

/// What a model answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Task {
    /// 8x8 digit images (64 pixels scaled to 0..=1) -> probabilities of the 10 classes.
    Digits,
    /// `context` character ids -> log-probabilities of the next character.
    Text,
}

/// A layer's activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Activation {
    /// Identity.
    None,
    /// max(0, x).
    Relu,
}

impl Activation {
    /// Wire code (also the WGSL `act` parameter).
    pub const fn code(self) -> u8 {
        match self {
            Activation::None => 0,
            Activation::Relu => 1,
        }
    }
    /// From the wire code.
    pub fn from_code(c: u8) -> Result<Self> {
        match c {
            0 => Ok(Activation::None),
            1 => Ok(Activation::Relu),
            _ => Err(Error::field(
                ErrorCode::Decode,
                "layer.act",
                format!("unknown activation {c}"),
            )),
        }
    }
}

/// A dense layer `y = act(x W + b)`; `w` is `input` rows of `output` columns (row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    /// Input width.
    pub input: usize,
    /// Output width.
    pub output: usize,
    /// Activation after the bias.
    pub act: Activation,
    /// Weights, `input * output`, row k holds the weights from input k.
    pub w: Vec<f32>,
    /// Bias, `output`.
    pub b: Vec<f32>,
}

/// A character embedding: `context` ids each pick a row of `table` (`vocab x dim`); the rows are
/// concatenated into the first layer's input. With no layers the single row is the logits
/// (a bigram model).
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding {
    /// Vocabulary size.
    pub vocab: usize,
    /// Row width.
    pub dim: usize,
    /// Characters of context.
    pub context: usize,
    /// `vocab * dim` values.
    pub table: Vec<f32>,
}

/// A whole model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Name, e.g. `digits-l`.
    pub name: String,
    /// What it answers.
    pub task: Task,
    /// Character embedding (text models only).
    pub embed: Option<Embedding>,
    /// Dense layers, in order.
    pub layers: Vec<Dense>,
}

impl Model {
    /// Values per input row: 64 pixels, or `context` character ids.
    pub fn input_dim(&self) -> usize {
        match (&self.embed, self.layers.first()) {
            (Some(e), _) => e.context,
            (None, Some(l)) => l.input,
            (None, None) => 0,
        }
    }

    /// Width of the features the first layer sees (after the embedding).
    pub fn feature_dim(&self) -> usize {
        match &self.embed {
            Some(e) => e.context.saturating_mul(e.dim),
            None => self.input_dim(),
        }
    }

    /// Values per output row (classes or vocabulary).
    pub fn output_dim(&self) -> usize {
        match (self.layers.last(), &self.embed) {
            (Some(l), _) => l.output,
            (None, Some(e)) => e.dim,
            (None, None) => 0,
        }
    }

    /// Number of parameters.
    pub fn param_count(&self) -> usize {
        let e = self.embed.as_ref().map_or(0, |e| e.table.len());
        e + self
            .layers
            .iter()
            .map(|l| l.w.len() + l.b.len())
            .sum::<usize>()
    }

    /// Multiply-adds of one input row through the dense layers.
    pub fn macs_per_row(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.input.saturating_mul(l.output))
            .sum()
    }

    /// Check every shape; decoders and trainers call this so the kernels can trust the sizes.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, msg: String| Err(Error::field(ErrorCode::Decode, field, msg));
        if let Some(e) = &self.embed {
            if e.vocab == 0
                || e.dim == 0
                || e.context == 0
                || e.table.len() != e.vocab.saturating_mul(e.dim)
            {
                return bad("embed", "embedding shape does not match its table".into());
            }
            if self.task != Task::Text {
                return bad("embed", "only text models have an embedding".into());
            }
            if self.layers.is_empty() && (e.context != 1 || e.dim != e.vocab) {
                return bad(
                    "embed",
                    "a model with no layers must be a bigram (context 1, dim = vocab)".into(),
                );
            }
        } else if self.task == Task::Text {
            return bad("embed", "text models need an embedding".into());
        }
        let mut width = self.feature_dim();
        for (i, l) in self.layers.iter().enumerate() {
            if l.input != width || l.input == 0 || l.output == 0 {
                return bad(
                    &format!("layers[{i}]"),
                    format!("expects {} inputs, gets {width}", l.input),
                );
            }
            if l.w.len() != l.input.saturating_mul(l.output) || l.b.len() != l.output {
                return bad(
                    &format!("layers[{i}]"),
                    "weight or bias length does not match the shape".into(),
                );
            }
            width = l.output;
        }
        let classes = self.output_dim();
        match (self.task, &self.embed) {
            (Task::Digits, _) if classes != 10 => bad(
                "layers",
                format!("a digits model has 10 outputs, not {classes}"),
            ),
            (Task::Text, Some(e)) if classes != e.vocab => bad(
                "layers",
                "a text model outputs one value per vocabulary entry".into(),
            ),
            _ if self.input_dim() == 0 => bad("layers", "the model has no input".into()),
            _ => Ok(()),
        }
    }
}
