//! The reports of `replay block` ([`super::replay_block`]) and `replay epoch`
//! ([`super::replay_epoch`]): compared items, missing outputs with what they need, the epoch's
//! computed writes, and the one summary line `N equal, M mismatched, K missing`.

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
        verdict(&self.items, self.missing.len()).0
    }

    /// Exit status 0 only when nothing mismatched and something was compared.
    pub fn success(&self) -> bool {
        verdict(&self.items, self.missing.len()).1
    }
}

/// One epoch write the engine computed, as the chain would store it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ComputedItem {
    /// `Pallet.Item`.
    pub item: String,
    /// Rendered map keys.
    pub args: String,
    /// Full storage key.
    pub key: String,
    /// The engine's SCALE value, `0x` hex.
    pub value: String,
}

/// The `replay epoch` report ([`super::replay_epoch::replay_epoch`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EpochReplay {
    /// The parent's runtime (its rules apply).
    pub spec_version: u32,
    /// The epoch block (the parent's next block).
    pub block: u64,
    /// Subnet.
    pub netuid: u16,
    /// Uids the epoch ran on (`SubnetworkN` at the parent; 0 while inputs are missing).
    pub uids: u16,
    /// Outputs compared with the child.
    pub items: Vec<ItemCheck>,
    /// Outputs not compared, with what they lack.
    pub missing: Vec<MissingItem>,
    /// Every output the engine computed (empty while inputs are missing).
    pub computed: Vec<ComputedItem>,
    /// Rao handed to the epoch, decimal (`None` while inputs are missing).
    pub emission: Option<String>,
    /// Whether `emission` was stated by the caller (else: the parent's pending emission).
    pub emission_exact: bool,
    /// Whether approximate rules were used.
    pub approximate: bool,
    /// Caveats.
    pub notes: Vec<String>,
}

/// `N equal, M mismatched, K missing`, and whether the replay succeeded (nothing mismatched and
/// something was compared): the same for both reports.
fn verdict(items: &[ItemCheck], missing: usize) -> (String, bool) {
    let eq = items.iter().filter(|i| i.equal).count();
    let bad = items.len().saturating_sub(eq);
    (
        format!("{eq} equal, {bad} mismatched, {missing} missing"),
        bad == 0 && eq > 0,
    )
}

impl EpochReplay {
    /// `N equal, M mismatched, K missing`.
    pub fn summary(&self) -> String {
        verdict(&self.items, self.missing.len()).0
    }

    /// Exit status 0 only when nothing mismatched and something was compared.
    pub fn success(&self) -> bool {
        verdict(&self.items, self.missing.len()).1
    }
}
