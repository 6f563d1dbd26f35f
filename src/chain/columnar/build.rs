//! The builders of [`super`]: one vector per field collected from a decoded value
//! (`columns_of!`), in the chain's field order and with its names.

use super::{Column, Columns, Scalar};
use crate::chain::types::{
    AccountId32, AxonInfo, ChainIdentityV2, DynamicInfo, Metagraph, MetagraphCollateral,
    NeuronInfo, NeuronInfoLite, PrometheusInfo, SubnetIdentityV3, I96F32,
};
use crate::error::{Error, ErrorCode, Result};

/// Columns of the rows of `rows` (a cloneable `ExactSizeIterator` of `&T`): each entry
/// `name: Kind = expr` collects `expr` (of the row bound to `$r`) into column `name`. Collecting
/// column by column lets each vector be filled at its exact length without a capacity check per
/// element (faster than one push loop over all fields).
macro_rules! columns_of {
    ($rows:expr, |$r:ident: $ty:ty| { $($name:ident: $kind:ident = $get:expr),* $(,)? }) => {{
        let rows = $rows;
        Columns {
            len: rows.len(),
            present: None,
            columns: vec![$((
                stringify!($name),
                Column::$kind(rows.clone().map(|$r: &$ty| $get).collect()),
            )),*],
        }
    }};
}

fn axons<'a>(rows: impl ExactSizeIterator<Item = &'a AxonInfo> + Clone) -> Columns {
    columns_of!(rows, |a: AxonInfo| {
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

fn prometheus<'a>(rows: impl ExactSizeIterator<Item = &'a PrometheusInfo> + Clone) -> Columns {
    columns_of!(rows, |p: PrometheusInfo| {
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
        let head = columns_of!(rows.iter(), |r: $ty| {
            hotkey: Account = r.hotkey,
            coldkey: Account = r.coldkey,
            uid: U16 = r.uid,
            netuid: U16 = r.netuid,
            active: Bool = u8::from(r.active),
        });
        let tail = columns_of!(rows.iter(), |r: $ty| {
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

pub(super) fn neurons_lite(rows: &[NeuronInfoLite]) -> Result<Columns> {
    neuron_columns!(rows, NeuronInfoLite, |_: &[NeuronInfoLite]| Ok::<_, Error>(
        vec![]
    ))
}

pub(super) fn neurons(rows: &[NeuronInfo]) -> Result<Columns> {
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
    let mut c = columns_of!(rows.iter().map(|o| o.as_ref().unwrap_or(&zero)), |i: ChainIdentityV2| {
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
    let mut c = columns_of!(rows.map(|o| o.unwrap_or(&zero)), |i: SubnetIdentityV3| {
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

pub(super) fn dynamic_infos<'a>(
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
    let mut c = columns_of!(all.clone(), |d: DynamicInfo| {
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
pub(super) fn metagraph(
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
