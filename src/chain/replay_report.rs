//! The `replay block` report ([`super::replay_block`]): compared items, missing outputs with what
//! they need, and the summary line `N equal, M mismatched, K missing`.

/// One compared output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemCheck {
    /// `Pallet.Item`.
    pub item: String,
    /// Rendered map keys.
    pub args: String,
    /// Full storage key.
    pub key: String,
    /// The child's value (`None`: absent).
    pub expected: Option<String>,
    /// The engine's value.
    pub actual: Option<String>,
    /// Equal.
    pub equal: bool,
}

/// An output the replay could not compute, with what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MissingItem {
    /// `Pallet.Item`.
    pub item: String,
    /// Rendered map keys.
    pub args: String,
    /// The parent inputs it lacks (`Pallet.Item[args] (key …)`), or why it is not replayed.
    pub needs: Vec<String>,
}

/// The `replay block` report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlockReplay {
    /// The parent's runtime (its rules apply).
    pub spec_version: u32,
    /// The replayed block.
    pub block: u64,
    /// Compared outputs.
    pub items: Vec<ItemCheck>,
    /// Outputs not computed.
    pub missing: Vec<MissingItem>,
    /// Whether approximate rules were used.
    pub approximate: bool,
}

impl BlockReplay {
    /// `N equal, M mismatched, K missing`.
    pub fn summary(&self) -> String {
        let eq = self.items.iter().filter(|i| i.equal).count();
        format!(
            "{eq} equal, {} mismatched, {} missing",
            self.items.len().saturating_sub(eq),
            self.missing.len()
        )
    }

    /// Exit status 0 only when nothing mismatched and something was compared.
    pub fn success(&self) -> bool {
        let eq = self.items.iter().filter(|i| i.equal).count();
        eq == self.items.len() && eq > 0
    }
}
