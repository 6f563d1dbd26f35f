//! Columnar ("struct of arrays") form of the large runtime-API results: one vector per field
//! instead of one object per row, for callers that hand them to JS as typed arrays (the wasm
//! `decodeColumns`) or scan a field across a whole subnet.
//!
//! The bytes are decoded by [`decode_type_with_limits`] exactly as for the per-object form (same
//! types, wrappings, limits and errors); the columns are then built from the typed value in one
//! pass per struct (a row's nested axon, identity or list is a pass of its own). Field names are
//! the chain's, as in the per-object rendering. The tables:
//!
//! | type | rows | fields |
//! | --- | --- | --- |
//! | `Vec<NeuronInfoLite>`, `Vec<NeuronInfo>` | one per neuron | — |
//! | `Option<Metagraph>`, `Metagraph` (and `…WithCollateral`, spec 435+) | one per UID (`hotkeys`) | the subnet-wide values |
//! | `Vec<Option<DynamicInfo>>`, `Vec<DynamicInfo>`, `Option<DynamicInfo>`, `DynamicInfo` | one per subnet | — |
//!
//! Conventions: a nested struct is a [`Column::Group`] of columns; a per-row list (a neuron's
//! `stake`, `weights`, `bonds`) is a [`Column::List`] (CSR: `offsets` of `len + 1` entries and the
//! items of every row back to back); an absent row of a `Vec<Option<T>>` (or an absent nested
//! `Option`) has `present` 0 and zero values (zero account, empty text) in every column. Every
//! column of a metagraph keeps its own length (the chain leaves `pruning_score`, `trust` and `rank`
//! empty since ~spec 401; the dividend lists are per hotkey).

use crate::chain::registry::{canonical_type_name, decode_type_with_limits, Decoded, Wrapping};
use crate::chain::scale::{Codec, Limits};
use crate::chain::types::{
    AccountId32, AxonInfo, ChainIdentityV2, DynamicInfo, Metagraph, MetagraphCollateral,
    MetagraphWithCollateral, NeuronInfo, NeuronInfoLite, PrometheusInfo, SubnetIdentityV3, I96F32,
};
use crate::error::{Error, ErrorCode, Result};

/// The type names [`decode_columns`] accepts (canonical spelling).
pub const COLUMNAR_TYPES: [&str; 12] = [
    "Vec<NeuronInfoLite>",
    "Vec<NeuronInfo>",
    "Option<Metagraph>",
    "Metagraph",
    "Option<MetagraphWithCollateral>",
    "MetagraphWithCollateral",
    "Vec<Option<DynamicInfo>>",
    "Vec<DynamicInfo>",
    "Option<DynamicInfo>",
    "DynamicInfo",
    "Option<NeuronInfoLite>",
    "Option<NeuronInfo>",
];

/// One field of every row.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// `bool` as 0 / 1.
    Bool(Vec<u8>),
    /// `u8`.
    U8(Vec<u8>),
    /// `u16` / `Compact<u16>`.
    U16(Vec<u16>),
    /// `u32`.
    U32(Vec<u32>),
    /// `u64` / `Compact<u64>`.
    U64(Vec<u64>),
    /// `u128` / `Compact<u128>`.
    U128(Vec<u128>),
    /// `I96F32` (raw bits kept).
    I96F32(Vec<I96F32>),
    /// `AccountId32`.
    Account(Vec<AccountId32>),
    /// Text bytes (UTF-8 when valid; kept as the chain stored them).
    Text(Vec<Vec<u8>>),
    /// A nested struct (or a list of pairs at the top of a metagraph): columns of its own.
    Group(Columns),
    /// A per-row list: row `i` owns items `offsets[i]..offsets[i + 1]`.
    List {
        /// `len + 1` ascending item offsets, starting at 0.
        offsets: Vec<u32>,
        /// The items of every row, back to back.
        items: Columns,
    },
}

impl Column {
    /// Entries (rows of a group or list).
    pub fn len(&self) -> usize {
        match self {
            Column::Bool(v) | Column::U8(v) => v.len(),
            Column::U16(v) => v.len(),
            Column::U32(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::U128(v) => v.len(),
            Column::I96F32(v) => v.len(),
            Column::Account(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::Group(c) => c.len,
            Column::List { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Named columns of `len` rows, in the chain's field order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Columns {
    /// Rows.
    pub len: usize,
    /// For optional rows: 1 where the row is `Some`.
    pub present: Option<Vec<u8>>,
    /// The columns.
    pub columns: Vec<(&'static str, Column)>,
}

impl Columns {
    /// The column named `name`.
    pub fn get(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
    }
}

/// A single value of a table (a metagraph's subnet-wide fields).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `bool`.
    Bool(bool),
    /// `u16` / `Compact<u16>`.
    U16(u16),
    /// `u64` / `Compact<u64>`.
    U64(u64),
    /// `Compact<u128>`.
    U128(u128),
    /// `I96F32`.
    I96F32(I96F32),
    /// `AccountId32`.
    Account(AccountId32),
    /// Text bytes.
    Text(Vec<u8>),
    /// An optional struct (`None` is absent).
    Struct(Option<Vec<(&'static str, Scalar)>>),
}

/// A decoded result in columnar form.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The canonical type name.
    pub type_name: String,
    /// Values that are not per row (empty except for metagraphs).
    pub fields: Vec<(&'static str, Scalar)>,
    /// The rows.
    pub rows: Columns,
}

/// Decode `bytes` as one of [`COLUMNAR_TYPES`] into columns; `None` for an `Option` result that is
/// `None`. Errors as [`decode_type`](crate::chain::decode_type), and `UNSUPPORTED` (field
/// `typeName`) for a type without a columnar form.
pub fn decode_columns(type_name: &str, bytes: &[u8], wrapping: Wrapping) -> Result<Option<Table>> {
    decode_columns_with_limits(type_name, bytes, wrapping, Limits::DEFAULT)
}

/// [`decode_columns`] with explicit decoder limits.
pub fn decode_columns_with_limits(
    type_name: &str,
    bytes: &[u8],
    wrapping: Wrapping,
    limits: Limits,
) -> Result<Option<Table>> {
    let canonical = canonical_type_name(type_name).map_err(|e| e.with_field("typeName"))?;
    if !COLUMNAR_TYPES.contains(&canonical.as_str()) {
        return Err(Error::field(
            ErrorCode::Unsupported,
            "typeName",
            format!(
                "no columnar form of {canonical} (use decodeType); columnar types: {}",
                COLUMNAR_TYPES.join(", ")
            ),
        ));
    }
    let d = decode_type_with_limits(&canonical, bytes, wrapping, limits)?;
    let (fields, rows) = match canonical.as_str() {
        "Vec<NeuronInfoLite>" => (vec![], neurons_lite(typed::<Vec<NeuronInfoLite>>(&d)?)?),
        "Vec<NeuronInfo>" => (vec![], neurons(typed::<Vec<NeuronInfo>>(&d)?)?),
        "Option<NeuronInfoLite>" => match typed::<Option<NeuronInfoLite>>(&d)? {
            Some(n) => (vec![], neurons_lite(core::slice::from_ref(n))?),
            None => return Ok(None),
        },
        "Option<NeuronInfo>" => match typed::<Option<NeuronInfo>>(&d)? {
            Some(n) => (vec![], neurons(core::slice::from_ref(n))?),
            None => return Ok(None),
        },
        "Option<Metagraph>" => match typed::<Option<Metagraph>>(&d)? {
            Some(m) => metagraph(m, None),
            None => return Ok(None),
        },
        "Metagraph" => metagraph(typed::<Metagraph>(&d)?, None),
        "Option<MetagraphWithCollateral>" => match typed::<Option<MetagraphWithCollateral>>(&d)? {
            Some(m) => metagraph(&m.metagraph, Some(&m.collateral)),
            None => return Ok(None),
        },
        "MetagraphWithCollateral" => {
            let m = typed::<MetagraphWithCollateral>(&d)?;
            metagraph(&m.metagraph, Some(&m.collateral))
        }
        "Vec<Option<DynamicInfo>>" => {
            let v = typed::<Vec<Option<DynamicInfo>>>(&d)?;
            let mut c = dynamic_infos(v.iter().map(Option::as_ref));
            c.present = Some(v.iter().map(|o| u8::from(o.is_some())).collect());
            (vec![], c)
        }
        "Vec<DynamicInfo>" => (
            vec![],
            dynamic_infos(typed::<Vec<DynamicInfo>>(&d)?.iter().map(Some)),
        ),
        "Option<DynamicInfo>" => match typed::<Option<DynamicInfo>>(&d)? {
            Some(x) => (vec![], dynamic_infos(core::iter::once(Some(x)))),
            None => return Ok(None),
        },
        "DynamicInfo" => (
            vec![],
            dynamic_infos(core::iter::once(Some(typed::<DynamicInfo>(&d)?))),
        ),
        other => {
            return Err(Error::new(
                ErrorCode::Internal,
                format!("{other} is listed as columnar but has no builder"),
            ))
        }
    };
    Ok(Some(Table {
        type_name: canonical,
        fields,
        rows,
    }))
}

fn typed<C: Codec>(d: &Decoded) -> Result<&C::Value> {
    d.get::<C>().ok_or_else(|| {
        Error::new(
            ErrorCode::Internal,
            format!("{} decoded to an unexpected Rust type", d.type_name()),
        )
    })
}

/// Columns filled in one pass over `rows` (an `ExactSizeIterator` of `&T`): each entry
/// `name: Kind = expr` pushes `expr` (of the row bound to `$r`) onto column `name`.
macro_rules! one_pass {
    ($rows:expr, |$r:ident: $ty:ty| { $($name:ident: $kind:ident = $get:expr),* $(,)? }) => {{
        let rows = $rows;
        let n = rows.len();
        $( let mut $name = Vec::with_capacity(n); )*
        for $r in rows {
            let $r: &$ty = $r;
            $( $name.push($get); )*
        }
        Columns {
            len: n,
            present: None,
            columns: vec![$((stringify!($name), Column::$kind($name))),*],
        }
    }};
}

fn axons<'a>(rows: impl ExactSizeIterator<Item = &'a AxonInfo>) -> Columns {
    one_pass!(rows, |a: AxonInfo| {
        block: U64 = a.block,
        version: U32 = a.version,
        ip: U128 = a.ip,
        port: U16 = a.port,
        ip_type: U8 = a.ip_type,
        protocol: U8 = a.protocol,
        placeholder1: U8 = a.placeholder1,
        placeholder2: U8 = a.placeholder2,
    })
}

fn prometheus<'a>(rows: impl ExactSizeIterator<Item = &'a PrometheusInfo>) -> Columns {
    one_pass!(rows, |p: PrometheusInfo| {
        block: U64 = p.block,
        version: U32 = p.version,
        ip: U128 = p.ip,
        port: U16 = p.port,
        ip_type: U8 = p.ip_type,
    })
}

/// CSR offsets of per-row lists (`TOO_LARGE` past `u32::MAX` items).
fn offsets<'a, T: 'a>(lists: impl Iterator<Item = &'a Vec<T>>) -> Result<(Vec<u32>, usize)> {
    let mut out = vec![0u32];
    let mut total = 0usize;
    for l in lists {
        total = total.saturating_add(l.len());
        out.push(u32::try_from(total).map_err(|_| {
            Error::new(
                ErrorCode::TooLarge,
                "more than u32::MAX list items in one column",
            )
        })?);
    }
    Ok((out, total))
}

/// `Vec<(AccountId32, u64)>` per row as a list of `{coldkey, amount}` (`names` names the pair).
fn account_amounts<'a>(
    lists: impl Iterator<Item = &'a Vec<(AccountId32, u64)>> + Clone,
    names: (&'static str, &'static str),
) -> Result<Column> {
    let (offsets, total) = offsets(lists.clone())?;
    Ok(Column::List {
        offsets,
        items: account_amount_pairs(lists.flatten(), total, names),
    })
}

fn account_amount_pairs<'a>(
    pairs: impl Iterator<Item = &'a (AccountId32, u64)>,
    n: usize,
    (account, amount): (&'static str, &'static str),
) -> Columns {
    let mut a = Vec::with_capacity(n);
    let mut b = Vec::with_capacity(n);
    for (x, y) in pairs {
        a.push(*x);
        b.push(*y);
    }
    Columns {
        len: a.len(),
        present: None,
        columns: vec![(account, Column::Account(a)), (amount, Column::U64(b))],
    }
}

/// `Vec<(u16, u16)>` per row (weights, bonds) as a list of `{uid, value}`.
fn uid_values<'a>(lists: impl Iterator<Item = &'a Vec<(u16, u16)>> + Clone) -> Result<Column> {
    let (offsets, total) = offsets(lists.clone())?;
    let mut uid = Vec::with_capacity(total);
    let mut value = Vec::with_capacity(total);
    for &(u, v) in lists.flatten() {
        uid.push(u);
        value.push(v);
    }
    let items = Columns {
        len: uid.len(),
        present: None,
        columns: vec![("uid", Column::U16(uid)), ("value", Column::U16(value))],
    };
    Ok(Column::List { offsets, items })
}

const STAKE_PAIR: (&str, &str) = ("coldkey", "amount");

/// The neuron columns in the chain's field order (`lists` go between `validator_permit` and
/// `pruning_score`: `weights` and `bonds` of a full `NeuronInfo`).
macro_rules! neuron_columns {
    ($rows:expr, $ty:ty, $lists:expr) => {{
        let rows: &[$ty] = $rows;
        let head = one_pass!(rows.iter(), |r: $ty| {
            hotkey: Account = r.hotkey,
            coldkey: Account = r.coldkey,
            uid: U16 = r.uid,
            netuid: U16 = r.netuid,
            active: Bool = u8::from(r.active),
        });
        let tail = one_pass!(rows.iter(), |r: $ty| {
            rank: U16 = r.rank,
            emission: U64 = r.emission,
            incentive: U16 = r.incentive,
            consensus: U16 = r.consensus,
            trust: U16 = r.trust,
            validator_trust: U16 = r.validator_trust,
            dividends: U16 = r.dividends,
            last_update: U64 = r.last_update,
            validator_permit: Bool = u8::from(r.validator_permit),
        });
        let mut columns = head.columns;
        columns.push(("axon_info", Column::Group(axons(rows.iter().map(|r| &r.axon_info)))));
        columns.push((
            "prometheus_info",
            Column::Group(prometheus(rows.iter().map(|r| &r.prometheus_info))),
        ));
        columns.push(("stake", account_amounts(rows.iter().map(|r| &r.stake), STAKE_PAIR)?));
        columns.extend(tail.columns);
        let lists: Vec<(&'static str, Column)> = $lists(rows)?;
        columns.extend(lists);
        columns.push((
            "pruning_score",
            Column::U16(rows.iter().map(|r| r.pruning_score).collect()),
        ));
        Ok(Columns {
            len: rows.len(),
            present: None,
            columns,
        })
    }};
}

fn neurons_lite(rows: &[NeuronInfoLite]) -> Result<Columns> {
    neuron_columns!(rows, NeuronInfoLite, |_: &[NeuronInfoLite]| Ok::<_, Error>(
        vec![]
    ))
}

fn neurons(rows: &[NeuronInfo]) -> Result<Columns> {
    neuron_columns!(rows, NeuronInfo, |rows: &[NeuronInfo]| Ok::<_, Error>(
        vec![
            ("weights", uid_values(rows.iter().map(|r| &r.weights))?),
            ("bonds", uid_values(rows.iter().map(|r| &r.bonds))?),
        ]
    ))
}

fn chain_identities(rows: &[Option<ChainIdentityV2>]) -> Columns {
    let zero = ChainIdentityV2 {
        name: vec![],
        url: vec![],
        github_repo: vec![],
        image: vec![],
        discord: vec![],
        description: vec![],
        additional: vec![],
    };
    let mut c = one_pass!(rows.iter().map(|o| o.as_ref().unwrap_or(&zero)), |i: ChainIdentityV2| {
            name: Text = i.name.clone(),
            url: Text = i.url.clone(),
            github_repo: Text = i.github_repo.clone(),
            image: Text = i.image.clone(),
            discord: Text = i.discord.clone(),
            description: Text = i.description.clone(),
            additional: Text = i.additional.clone(),
    });
    c.present = Some(rows.iter().map(|o| u8::from(o.is_some())).collect());
    c
}

fn zero_subnet_identity() -> SubnetIdentityV3 {
    SubnetIdentityV3 {
        subnet_name: vec![],
        github_repo: vec![],
        subnet_contact: vec![],
        subnet_url: vec![],
        discord: vec![],
        description: vec![],
        logo_url: vec![],
        additional: vec![],
    }
}

fn subnet_identities<'a>(
    rows: impl ExactSizeIterator<Item = Option<&'a SubnetIdentityV3>> + Clone,
) -> Columns {
    let zero = zero_subnet_identity();
    let present = rows.clone().map(|o| u8::from(o.is_some())).collect();
    let mut c = one_pass!(rows.map(|o| o.unwrap_or(&zero)), |i: SubnetIdentityV3| {
            subnet_name: Text = i.subnet_name.clone(),
            github_repo: Text = i.github_repo.clone(),
            subnet_contact: Text = i.subnet_contact.clone(),
            subnet_url: Text = i.subnet_url.clone(),
            discord: Text = i.discord.clone(),
            description: Text = i.description.clone(),
            logo_url: Text = i.logo_url.clone(),
            additional: Text = i.additional.clone(),
    });
    c.present = Some(present);
    c
}

fn dynamic_infos<'a>(
    rows: impl ExactSizeIterator<Item = Option<&'a DynamicInfo>> + Clone,
) -> Columns {
    let zero = DynamicInfo {
        netuid: 0,
        owner_hotkey: AccountId32::ZERO,
        owner_coldkey: AccountId32::ZERO,
        subnet_name: vec![],
        token_symbol: vec![],
        tempo: 0,
        last_step: 0,
        blocks_since_last_step: 0,
        emission: 0,
        alpha_in: 0,
        alpha_out: 0,
        tao_in: 0,
        alpha_out_emission: 0,
        alpha_in_emission: 0,
        tao_in_emission: 0,
        pending_alpha_emission: 0,
        pending_root_emission: 0,
        subnet_volume: 0,
        network_registered_at: 0,
        subnet_identity: None,
        moving_price: I96F32::from_bits(0),
    };
    let all = rows.map(|o| o.unwrap_or(&zero));
    let mut c = one_pass!(all.clone(), |d: DynamicInfo| {
        netuid: U16 = d.netuid,
        owner_hotkey: Account = d.owner_hotkey,
        owner_coldkey: Account = d.owner_coldkey,
        subnet_name: Text = d.subnet_name.clone(),
        token_symbol: Text = d.token_symbol.clone(),
        tempo: U16 = d.tempo,
        last_step: U64 = d.last_step,
        blocks_since_last_step: U64 = d.blocks_since_last_step,
        emission: U64 = d.emission,
        alpha_in: U64 = d.alpha_in,
        alpha_out: U64 = d.alpha_out,
        tao_in: U64 = d.tao_in,
        alpha_out_emission: U64 = d.alpha_out_emission,
        alpha_in_emission: U64 = d.alpha_in_emission,
        tao_in_emission: U64 = d.tao_in_emission,
        pending_alpha_emission: U64 = d.pending_alpha_emission,
        pending_root_emission: U64 = d.pending_root_emission,
        subnet_volume: U128 = d.subnet_volume,
        network_registered_at: U64 = d.network_registered_at,
    });
    let ident = subnet_identities(all.clone().map(|d| d.subnet_identity.as_ref()));
    c.columns.push(("subnet_identity", Column::Group(ident)));
    c.columns.push((
        "moving_price",
        Column::I96F32(all.map(|d| d.moving_price).collect()),
    ));
    c
}

fn subnet_identity_scalar(i: &Option<SubnetIdentityV3>) -> Scalar {
    Scalar::Struct(i.as_ref().map(|i| {
        vec![
            ("subnet_name", Scalar::Text(i.subnet_name.clone())),
            ("github_repo", Scalar::Text(i.github_repo.clone())),
            ("subnet_contact", Scalar::Text(i.subnet_contact.clone())),
            ("subnet_url", Scalar::Text(i.subnet_url.clone())),
            ("discord", Scalar::Text(i.discord.clone())),
            ("description", Scalar::Text(i.description.clone())),
            ("logo_url", Scalar::Text(i.logo_url.clone())),
            ("additional", Scalar::Text(i.additional.clone())),
        ]
    }))
}

/// The subnet-wide fields as scalars and the per-UID vectors as columns.
fn metagraph(
    m: &Metagraph,
    collateral: Option<&MetagraphCollateral>,
) -> (Vec<(&'static str, Scalar)>, Columns) {
    use Scalar::{Bool as B, U16 as S, U64 as L};
    let fields = vec![
        ("netuid", S(m.netuid)),
        ("name", Scalar::Text(m.name.clone())),
        ("symbol", Scalar::Text(m.symbol.clone())),
        ("identity", subnet_identity_scalar(&m.identity)),
        ("network_registered_at", L(m.network_registered_at)),
        ("owner_hotkey", Scalar::Account(m.owner_hotkey)),
        ("owner_coldkey", Scalar::Account(m.owner_coldkey)),
        ("block", L(m.block)),
        ("tempo", S(m.tempo)),
        ("last_step", L(m.last_step)),
        ("blocks_since_last_step", L(m.blocks_since_last_step)),
        ("subnet_emission", L(m.subnet_emission)),
        ("alpha_in", L(m.alpha_in)),
        ("alpha_out", L(m.alpha_out)),
        ("tao_in", L(m.tao_in)),
        ("alpha_out_emission", L(m.alpha_out_emission)),
        ("alpha_in_emission", L(m.alpha_in_emission)),
        ("tao_in_emission", L(m.tao_in_emission)),
        ("pending_alpha_emission", L(m.pending_alpha_emission)),
        ("pending_root_emission", L(m.pending_root_emission)),
        ("subnet_volume", Scalar::U128(m.subnet_volume)),
        ("moving_price", Scalar::I96F32(m.moving_price)),
        ("rho", S(m.rho)),
        ("kappa", S(m.kappa)),
        ("min_allowed_weights", S(m.min_allowed_weights)),
        ("max_weights_limit", S(m.max_weights_limit)),
        ("weights_version", L(m.weights_version)),
        ("weights_rate_limit", L(m.weights_rate_limit)),
        ("activity_cutoff", L(m.activity_cutoff)),
        ("max_validators", S(m.max_validators)),
        ("num_uids", S(m.num_uids)),
        ("max_uids", S(m.max_uids)),
        ("burn", L(m.burn)),
        ("difficulty", L(m.difficulty)),
        ("registration_allowed", B(m.registration_allowed)),
        ("pow_registration_allowed", B(m.pow_registration_allowed)),
        ("immunity_period", S(m.immunity_period)),
        ("min_difficulty", L(m.min_difficulty)),
        ("max_difficulty", L(m.max_difficulty)),
        ("min_burn", L(m.min_burn)),
        ("max_burn", L(m.max_burn)),
        ("adjustment_alpha", L(m.adjustment_alpha)),
        ("adjustment_interval", S(m.adjustment_interval)),
        ("target_regs_per_interval", S(m.target_regs_per_interval)),
        ("max_regs_per_block", S(m.max_regs_per_block)),
        ("serving_rate_limit", L(m.serving_rate_limit)),
        (
            "commit_reveal_weights_enabled",
            B(m.commit_reveal_weights_enabled),
        ),
        ("commit_reveal_period", L(m.commit_reveal_period)),
        ("liquid_alpha_enabled", B(m.liquid_alpha_enabled)),
        ("alpha_high", S(m.alpha_high)),
        ("alpha_low", S(m.alpha_low)),
        ("bonds_moving_avg", L(m.bonds_moving_avg)),
    ];
    let bools = |v: &[bool]| Column::Bool(v.iter().map(|&b| u8::from(b)).collect());
    let pairs = |v: &[(AccountId32, u64)]| {
        Column::Group(account_amount_pairs(
            v.iter(),
            v.len(),
            ("hotkey", "amount"),
        ))
    };
    let mut columns = vec![
        ("hotkeys", Column::Account(m.hotkeys.clone())),
        ("coldkeys", Column::Account(m.coldkeys.clone())),
        ("identities", Column::Group(chain_identities(&m.identities))),
        ("axons", Column::Group(axons(m.axons.iter()))),
        ("active", bools(&m.active)),
        ("validator_permit", bools(&m.validator_permit)),
        ("pruning_score", Column::U16(m.pruning_score.clone())),
        ("last_update", Column::U64(m.last_update.clone())),
        ("emission", Column::U64(m.emission.clone())),
        ("dividends", Column::U16(m.dividends.clone())),
        ("incentives", Column::U16(m.incentives.clone())),
        ("consensus", Column::U16(m.consensus.clone())),
        ("trust", Column::U16(m.trust.clone())),
        ("rank", Column::U16(m.rank.clone())),
        (
            "block_at_registration",
            Column::U64(m.block_at_registration.clone()),
        ),
        ("alpha_stake", Column::U64(m.alpha_stake.clone())),
        ("tao_stake", Column::U64(m.tao_stake.clone())),
        ("total_stake", Column::U64(m.total_stake.clone())),
        (
            "tao_dividends_per_hotkey",
            pairs(&m.tao_dividends_per_hotkey),
        ),
        (
            "alpha_dividends_per_hotkey",
            pairs(&m.alpha_dividends_per_hotkey),
        ),
    ];
    if let Some(c) = collateral {
        columns.push((
            "collateral_locked",
            Column::U64(c.collateral_locked.clone()),
        ));
        columns.push(("collateral_min", Column::U64(c.collateral_min.clone())));
        columns.push((
            "collateral_earned",
            Column::U64(c.collateral_earned.clone()),
        ));
    }
    let rows = Columns {
        len: m.hotkeys.len(),
        present: None,
        columns,
    };
    (fields, rows)
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Accounts as one text, `sep` between them: `0x` hex, or SS58 with `ss58_prefix`. A JS caller
/// splits it in one call instead of making one string per account.
pub fn join_accounts(accounts: &[AccountId32], ss58_prefix: Option<u16>, sep: char) -> String {
    let Some(prefix) = ss58_prefix else {
        let mut out = Vec::with_capacity(accounts.len().saturating_mul(67));
        for (i, a) in accounts.iter().enumerate() {
            if i > 0 {
                let mut b = [0u8; 4];
                out.extend_from_slice(sep.encode_utf8(&mut b).as_bytes());
            }
            out.extend_from_slice(b"0x");
            for &byte in &a.0 {
                out.push(HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0'));
                out.push(HEX.get(usize::from(byte & 15)).copied().unwrap_or(b'0'));
            }
        }
        // Only ASCII digits and the separator were written.
        return String::from_utf8(out).unwrap_or_default();
    };
    let mut out = String::with_capacity(accounts.len().saturating_mul(49));
    for (i, a) in accounts.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(&a.to_ss58(prefix));
    }
    out
}
