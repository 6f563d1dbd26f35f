//! Storage keys and values (spec `chain-data.md` section 4).
//!
//! `key = twox128(pallet) ++ twox128(item) ++ H1(k1) ++ H2(k2) ...`, each key SCALE-encoded before
//! hashing; `Identity` and the `*Concat` hashers keep the raw key, so map keys can be recovered
//! from a key returned by `state_getKeysPaged` ([`StorageItem::split_key`]). An absent key
//! (`null` from `state_getStorage`) means the item's declared default for `ValueQuery` items and
//! `None` for `OptionQuery` items ([`StorageItem::decode_value`]).
//!
//! Length: the storage item table and the key/value codec it drives belong together (each item's
//! hashers and default are read by the same functions); the tests are the last 190 lines.

use super::hashing::{blake2_128, blake2_256, twox_128, twox_256, twox_64};
use super::registry::{decode_type, Decoded, Wrapping};
use super::types::AccountId32;
use crate::error::{Error, ErrorCode, Result};

/// The pallet that holds every item below.
pub const SUBTENSOR_PALLET: &str = "SubtensorModule";

/// A storage hasher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hasher {
    /// The key itself.
    Identity,
    /// `xxh64(key, seed 0)` LE ++ key.
    Twox64Concat,
    /// `blake2b-128(key)` ++ key.
    Blake2_128Concat,
    /// `twox128(key)` (not reversible).
    Twox128,
    /// `blake2b-128(key)` (not reversible).
    Blake2_128,
    /// `blake2b-256(key)` (not reversible).
    Blake2_256,
    /// `twox256(key)` (not reversible).
    Twox256,
}

impl Hasher {
    /// Parse the metadata name (`Identity`, `Twox64Concat`, `Blake2_128Concat`, ...).
    pub fn parse(name: &str) -> Result<Hasher> {
        Ok(match name.trim() {
            "Identity" => Hasher::Identity,
            "Twox64Concat" => Hasher::Twox64Concat,
            "Blake2_128Concat" => Hasher::Blake2_128Concat,
            "Twox128" => Hasher::Twox128,
            "Blake2_128" => Hasher::Blake2_128,
            "Blake2_256" => Hasher::Blake2_256,
            "Twox256" => Hasher::Twox256,
            other => {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!("unknown hasher {other:?}"),
                ))
            }
        })
    }

    /// Append `hash(encoded_key)` to `out`.
    pub fn hash_into(self, encoded_key: &[u8], out: &mut Vec<u8>) {
        match self {
            Hasher::Identity => {}
            Hasher::Twox64Concat => out.extend_from_slice(&twox_64(encoded_key)),
            Hasher::Blake2_128Concat | Hasher::Blake2_128 => {
                out.extend_from_slice(&blake2_128(encoded_key))
            }
            Hasher::Twox128 => out.extend_from_slice(&twox_128(encoded_key)),
            Hasher::Blake2_256 => out.extend_from_slice(&blake2_256(encoded_key)),
            Hasher::Twox256 => out.extend_from_slice(&twox_256(encoded_key)),
        }
        if self.keeps_key() {
            out.extend_from_slice(encoded_key);
        }
    }

    /// Whether the raw key follows the hash (so it can be recovered).
    pub fn keeps_key(self) -> bool {
        matches!(
            self,
            Hasher::Identity | Hasher::Twox64Concat | Hasher::Blake2_128Concat
        )
    }

    /// Bytes of hash before the raw key.
    pub fn hash_len(self) -> usize {
        match self {
            Hasher::Identity => 0,
            Hasher::Twox64Concat => 8,
            Hasher::Blake2_128Concat | Hasher::Blake2_128 | Hasher::Twox128 => 16,
            Hasher::Blake2_256 | Hasher::Twox256 => 32,
        }
    }
}

/// `twox128(pallet) ++ twox128(item)`.
pub fn prefix(pallet: &str, item: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    let (a, b) = out.split_at_mut(16);
    a.copy_from_slice(&twox_128(pallet.as_bytes()));
    b.copy_from_slice(&twox_128(item.as_bytes()));
    out
}

/// A full key from already SCALE-encoded key parts.
pub fn key(pallet: &str, item: &str, parts: &[(Hasher, &[u8])]) -> Vec<u8> {
    let mut out = prefix(pallet, item).to_vec();
    for (h, k) in parts {
        h.hash_into(k, &mut out);
    }
    out
}

/// How a map key is SCALE-encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `MechId` and other u8 keys.
    U8,
    /// `NetUid`, `NetUidStorageIndex`, uid: 2 bytes LE.
    U16,
    /// `LeaseId`: 4 bytes LE.
    U32,
    /// Epoch indexes, drand rounds: 8 bytes LE.
    U64,
    /// Accounts: 32 bytes.
    AccountId32,
}

impl KeyType {
    fn len(self) -> usize {
        match self {
            KeyType::U8 => 1,
            KeyType::U16 => 2,
            KeyType::U32 => 4,
            KeyType::U64 => 8,
            KeyType::AccountId32 => 32,
        }
    }
}

/// A map key value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyArg {
    /// u8 key.
    U8(u8),
    /// u16 key.
    U16(u16),
    /// u32 key.
    U32(u32),
    /// u64 key.
    U64(u64),
    /// Account key.
    Account(AccountId32),
}

impl KeyArg {
    /// The SCALE encoding.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            KeyArg::U8(v) => vec![*v],
            KeyArg::U16(v) => v.to_le_bytes().to_vec(),
            KeyArg::U32(v) => v.to_le_bytes().to_vec(),
            KeyArg::U64(v) => v.to_le_bytes().to_vec(),
            KeyArg::Account(a) => a.0.to_vec(),
        }
    }

    /// Its key type.
    pub fn key_type(&self) -> KeyType {
        match self {
            KeyArg::U8(_) => KeyType::U8,
            KeyArg::U16(_) => KeyType::U16,
            KeyArg::U32(_) => KeyType::U32,
            KeyArg::U64(_) => KeyType::U64,
            KeyArg::Account(_) => KeyType::AccountId32,
        }
    }

    fn from_bytes(t: KeyType, b: &[u8]) -> Option<KeyArg> {
        Some(match t {
            KeyType::U8 => KeyArg::U8(*b.first()?),
            KeyType::U16 => KeyArg::U16(u16::from_le_bytes(b.try_into().ok()?)),
            KeyType::U32 => KeyArg::U32(u32::from_le_bytes(b.try_into().ok()?)),
            KeyType::U64 => KeyArg::U64(u64::from_le_bytes(b.try_into().ok()?)),
            KeyType::AccountId32 => KeyArg::Account(AccountId32(b.try_into().ok()?)),
        })
    }
}

/// What an absent key means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Query {
    /// `ValueQuery`: the default below.
    Value(DefaultValue),
    /// `OptionQuery`: `None`.
    Option,
}

/// A `ValueQuery` default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    /// A bool.
    Bool(bool),
    /// A u8.
    U8(u8),
    /// A u16.
    U16(u16),
    /// A u32.
    U32(u32),
    /// A u64.
    U64(u64),
    /// An i16.
    I16(i16),
    /// Two u16 (`AlphaValues`: low, high).
    U16Pair(u16, u16),
    /// The all-zero account.
    ZeroAccount,
    /// An empty vector.
    EmptyVec,
    /// Zero of a 16-byte fixed-point type (`I96F32`, `U64F64`).
    Zero128,
    /// `SafeFloat { mantissa: 0u128, exponent: 0i64 }` (24 zero bytes).
    ZeroSafeFloat,
}

impl DefaultValue {
    /// The SCALE encoding of the default.
    pub fn encode(self) -> Vec<u8> {
        match self {
            DefaultValue::Bool(v) => vec![u8::from(v)],
            DefaultValue::U8(v) => vec![v],
            DefaultValue::U16(v) => v.to_le_bytes().to_vec(),
            DefaultValue::U32(v) => v.to_le_bytes().to_vec(),
            DefaultValue::U64(v) => v.to_le_bytes().to_vec(),
            DefaultValue::I16(v) => v.to_le_bytes().to_vec(),
            DefaultValue::U16Pair(a, b) => [a.to_le_bytes(), b.to_le_bytes()].concat(),
            DefaultValue::ZeroAccount => vec![0; 32],
            DefaultValue::EmptyVec => vec![0],
            DefaultValue::Zero128 => vec![0; 16],
            DefaultValue::ZeroSafeFloat => vec![0; 24],
        }
    }
}

/// One storage item: where it lives, how it is keyed, its value type and default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageItem {
    /// Pallet (`SubtensorModule`).
    pub pallet: &'static str,
    /// Item name as on chain (note `LastMechansimStepBlock`).
    pub name: &'static str,
    /// Hasher and key type of each map key, outermost first (empty for a `StorageValue`).
    pub keys: &'static [(Hasher, KeyType)],
    /// Value type, a [`decode_type`] name.
    pub value_type: &'static str,
    /// Absent-key meaning.
    pub query: Query,
}

use Hasher::{Blake2_128Concat as B2, Identity as Id, Twox64Concat as Tx};
use KeyType::{AccountId32 as Acc, U16, U32 as K32, U64 as K64};

const NETUID: &[(Hasher, KeyType)] = &[(Id, U16)];
const NETUID_UID: &[(Hasher, KeyType)] = &[(Id, U16), (Id, U16)];
const NETUID_HOTKEY: &[(Hasher, KeyType)] = &[(Id, U16), (B2, Acc)];
const HOTKEY: &[(Hasher, KeyType)] = &[(B2, Acc)];
const HOTKEY_NETUID: &[(Hasher, KeyType)] = &[(B2, Acc), (Id, U16)];
const TX_NETUID: &[(Hasher, KeyType)] = &[(Tx, U16)];
const B2_NETUID: &[(Hasher, KeyType)] = &[(B2, U16)];

const fn item(
    name: &'static str,
    keys: &'static [(Hasher, KeyType)],
    value_type: &'static str,
    query: Query,
) -> StorageItem {
    StorageItem {
        pallet: SUBTENSOR_PALLET,
        name,
        keys,
        value_type,
        query,
    }
}

const fn val(d: DefaultValue) -> Query {
    Query::Value(d)
}

/// Every `SubtensorModule` item the spec lists for an epoch replay (plus the hyperparameters and
/// fixture items next to them). Defaults are the mainnet runtime's (spec section 4).
#[rustfmt::skip]
pub static ITEMS: &[StorageItem] = &[
    item("SubnetworkN", NETUID, "u16", val(DefaultValue::U16(0))),
    item("NetworksAdded", NETUID, "bool", val(DefaultValue::Bool(false))),
    item("TotalNetworks", &[], "u16", val(DefaultValue::U16(0))),
    item("Keys", NETUID_UID, "AccountId32", val(DefaultValue::ZeroAccount)),
    item("Uids", NETUID_HOTKEY, "u16", Query::Option),
    item("Owner", HOTKEY, "AccountId32", val(DefaultValue::ZeroAccount)),
    item("Delegates", HOTKEY, "u16", val(DefaultValue::U16(11_796))),
    item("Axons", NETUID_HOTKEY, "AxonInfo", Query::Option),
    item("Prometheus", NETUID_HOTKEY, "PrometheusInfo", Query::Option),
    item("Tempo", NETUID, "u16", val(DefaultValue::U16(360))),
    item("ActivityCutoffFactorMilli", NETUID, "u32", val(DefaultValue::U32(13_889))),
    item("ActivityCutoff", NETUID, "u16", val(DefaultValue::U16(5000))),
    item("LastUpdate", NETUID, "Vec<u64>", val(DefaultValue::EmptyVec)),
    item("BlockAtRegistration", NETUID_UID, "u64", val(DefaultValue::U64(0))),
    item("TotalHotkeyAlpha", HOTKEY_NETUID, "u64", val(DefaultValue::U64(0))),
    item("ParentKeys", HOTKEY_NETUID, "Vec<(u64,AccountId32)>", val(DefaultValue::EmptyVec)),
    item("ChildKeys", HOTKEY_NETUID, "Vec<(u64,AccountId32)>", val(DefaultValue::EmptyVec)),
    item("TaoWeight", &[], "u64", val(DefaultValue::U64(971_718_665_099_567_868))),
    item("StakeThreshold", &[], "u64", val(DefaultValue::U64(0))),
    item("SubnetOwnerHotkey", NETUID, "AccountId32", val(DefaultValue::ZeroAccount)),
    item("SubnetOwner", NETUID, "AccountId32", val(DefaultValue::ZeroAccount)),
    item("ValidatorPermit", NETUID, "Vec<bool>", val(DefaultValue::EmptyVec)),
    item("MaxAllowedValidators", NETUID, "u16", val(DefaultValue::U16(128))),
    item("MaxAllowedUids", NETUID, "u16", val(DefaultValue::U16(256))),
    item("ImmunityPeriod", NETUID, "u16", val(DefaultValue::U16(4096))),
    item("MinAllowedWeights", NETUID, "u16", val(DefaultValue::U16(1024))),
    item("MaxWeightsLimit", NETUID, "u16", val(DefaultValue::U16(u16::MAX))),
    item("WeightsVersionKey", NETUID, "u64", val(DefaultValue::U64(0))),
    item("WeightsSetRateLimit", NETUID, "u64", val(DefaultValue::U64(100))),
    // Runtime constants `SubtensorInitialDifficulty` (10^7 in every runtime seen) and
    // `SubtensorInitialBurn` (10^9 rao in older runtimes, 10^8 in current ones).
    item("Difficulty", NETUID, "u64", val(DefaultValue::U64(10_000_000))),
    item("Burn", NETUID, "u64", val(DefaultValue::U64(100_000_000))),
    item("Weights", NETUID_UID, "Vec<(u16,u16)>", val(DefaultValue::EmptyVec)),
    item("Bonds", NETUID_UID, "Vec<(u16,u16)>", val(DefaultValue::EmptyVec)),
    item("Kappa", NETUID, "u16", val(DefaultValue::U16(32_767))),
    item("BondsPenalty", NETUID, "u16", val(DefaultValue::U16(u16::MAX))),
    item("BondsMovingAverage", NETUID, "u64", val(DefaultValue::U64(900_000))),
    item("BondsResetOn", NETUID, "bool", val(DefaultValue::Bool(false))),
    item("Yuma3On", B2_NETUID, "bool", val(DefaultValue::Bool(false))),
    item("LiquidAlphaOn", B2_NETUID, "bool", val(DefaultValue::Bool(false))),
    item("AlphaValues", NETUID, "(u16,u16)", val(DefaultValue::U16Pair(45_875, 58_982))),
    item("AlphaSigmoidSteepness", NETUID, "i16", val(DefaultValue::I16(1000))),
    item("LastMechansimStepBlock", NETUID, "u64", val(DefaultValue::U64(0))),
    item("CommitRevealWeightsEnabled", NETUID, "bool", val(DefaultValue::Bool(true))),
    item("CommitRevealWeightsVersion", &[], "u16", val(DefaultValue::U16(4))),
    item("RevealPeriodEpochs", TX_NETUID, "u64", val(DefaultValue::U64(1))),
    item("WeightCommits", &[(Tx, U16), (Tx, Acc)], "Vec<(H256,u64,u64,u64)>", Query::Option),
    item("TimelockedWeightCommits", &[(Tx, U16), (Tx, K64)], "Vec<(AccountId32,u64,Vec<u8>,u64)>", val(DefaultValue::EmptyVec)),
    item("SubnetEpochIndex", NETUID, "u64", val(DefaultValue::U64(0))),
    item("LastEpochBlock", NETUID, "u64", val(DefaultValue::U64(0))),
    item("PendingEpochAt", NETUID, "u64", val(DefaultValue::U64(0))),
    item("BlocksSinceLastStep", NETUID, "u64", val(DefaultValue::U64(0))),
    item("MaxEpochsPerBlock", &[], "u8", val(DefaultValue::U8(2))),
    item("MechanismCountCurrent", TX_NETUID, "u8", val(DefaultValue::U8(1))),
    item("MechanismEmissionSplit", TX_NETUID, "Vec<u16>", Query::Option),
    item("PendingServerEmission", NETUID, "u64", val(DefaultValue::U64(0))),
    item("PendingValidatorEmission", NETUID, "u64", val(DefaultValue::U64(0))),
    item("PendingRootAlphaDivs", NETUID, "u64", val(DefaultValue::U64(0))),
    item("PendingOwnerCut", NETUID, "u64", val(DefaultValue::U64(0))),
    item("Incentive", NETUID, "Vec<u16>", val(DefaultValue::EmptyVec)),
    item("Dividends", NETUID, "Vec<u16>", val(DefaultValue::EmptyVec)),
    item("Consensus", NETUID, "Vec<u16>", val(DefaultValue::EmptyVec)),
    item("ValidatorTrust", NETUID, "Vec<u16>", val(DefaultValue::EmptyVec)),
    item("Active", NETUID, "Vec<bool>", val(DefaultValue::EmptyVec)),
    item("Emission", NETUID, "Vec<u64>", val(DefaultValue::EmptyVec)),
    item("StakeWeight", NETUID, "Vec<u16>", val(DefaultValue::EmptyVec)),
    item("SubnetTAO", NETUID, "u64", val(DefaultValue::U64(0))),
    item("SubnetAlphaIn", NETUID, "u64", val(DefaultValue::U64(0))),
    item("SubnetAlphaOut", NETUID, "u64", val(DefaultValue::U64(0))),
    item("SubnetMovingPrice", NETUID, "I96F32", val(DefaultValue::Zero128)),
    item("SubnetMechanism", NETUID, "u16", val(DefaultValue::U16(0))),
    item("SubnetTaoProvided", NETUID, "u64", val(DefaultValue::U64(0))),
    item("SubnetAlphaInProvided", NETUID, "u64", val(DefaultValue::U64(0))),
    item("Alpha", &[(B2, Acc), (B2, Acc), (Id, U16)], "U64F64", val(DefaultValue::Zero128)),
    // ValueQuery (subtensor `pallets/subtensor/src/lib.rs`; metadata 424 default: 24 zero bytes).
    item("AlphaV2", &[(B2, Acc), (B2, Acc), (Id, U16)], "SafeFloat", val(DefaultValue::ZeroSafeFloat)),
    // The epoch's distribution (`distribute_dividends_and_incentives`, subtensor @ 14bc6f9
    // `pallets/subtensor/src/lib.rs`): share pools, payout records and their inputs.
    item("TotalHotkeyShares", HOTKEY_NETUID, "U64F64", val(DefaultValue::Zero128)),
    item("TotalHotkeySharesV2", HOTKEY_NETUID, "SafeFloat", val(DefaultValue::ZeroSafeFloat)),
    item("AlphaDividendsPerSubnet", NETUID_HOTKEY, "u64", val(DefaultValue::U64(0))),
    item("RootAlphaDividendsPerSubnet", NETUID_HOTKEY, "u64", val(DefaultValue::U64(0))),
    item("TotalHotkeyAlphaLastEpoch", HOTKEY_NETUID, "u64", val(DefaultValue::U64(0))),
    item("MinerBurned", NETUID, "U96F32", val(DefaultValue::Zero128)),
    item("RootClaimable", HOTKEY, "BTreeMap<u16,I96F32>", val(DefaultValue::EmptyVec)),
    item("OwnedHotkeys", HOTKEY, "Vec<AccountId32>", val(DefaultValue::EmptyVec)),
    item("AutoStakeDestination", HOTKEY_NETUID, "AccountId32", Query::Option),
    item("SubnetUidToLeaseId", TX_NETUID, "u32", Query::Option),
    item("CKBurn", &[], "u64", val(DefaultValue::U64(0))),
    item("ChildkeyTake", HOTKEY_NETUID, "u16", val(DefaultValue::U16(0))),
    item("MinChildkeyTake", &[], "u16", val(DefaultValue::U16(0))),
    item("MinChildkeyTakePerSubnet", NETUID, "u16", val(DefaultValue::U16(0))),
    // The payout's items of newer runtimes (RaoFoundation/subtensor `pallets/subtensor/src/lib.rs`,
    // index id 68884137211; spec `chain-data-after-425.md` §4.1): miner collateral (436+) and the
    // root dividends queued for the validator's fund (441+).
    item("MinerCollateral", &[(Id, U16), (B2, Acc), (B2, Acc)], "MinerCollateralState", Query::Option),
    item("ColdkeyMinerCollateral", NETUID_HOTKEY, "u64", val(DefaultValue::U64(0))),
    item("PendingBasketDeposits", HOTKEY_NETUID, "u64", val(DefaultValue::U64(0))),
    // The liquid-alpha consensus source (446+; same lib.rs, `Identity NetUid -> ConsensusMode`):
    // the enum's SCALE byte, `Current` 0, `Previous` 1, `Auto` 2 (the default).
    item("LiquidAlphaConsensusMode", NETUID, "u8", val(DefaultValue::U8(2))),
    // Subnet leases (subtensor `pallets/subtensor/src/lib.rs` @ v3.4.9-424; `LeaseId` = u32) and
    // what a lease dividend's stake transfers read and write (`Lock`: coldkey, netuid, hotkey).
    item("SubnetLeases", &[(Tx, K32)], "SubnetLease", Query::Option),
    item("SubnetLeaseShares", &[(Tx, K32), (Id, Acc)], "U64F64", val(DefaultValue::Zero128)),
    item("AccumulatedLeaseDividends", &[(Tx, K32)], "u64", val(DefaultValue::U64(0))),
    item("LastColdkeyHotkeyStakeBlock", &[(Tx, Acc), (Tx, Acc)], "u64", Query::Option),
    item("Lock", &[(B2, Acc), (Id, U16), (B2, Acc)], "LockState", Query::Option),
    // The share pools' epochs of the closing rules (RaoFoundation/subtensor `lib.rs`, index id
    // 68884137211): a pool's generation, and the generation each share row was written in.
    item("AlphaSharePoolEpoch", HOTKEY_NETUID, "u64", val(DefaultValue::U64(0))),
    item("AlphaShareEpoch", &[(B2, Acc), (B2, Acc), (Id, U16)], "u64", val(DefaultValue::U64(0))),
    // Spec 448 (`pool-after-425.md` §5.4): the subnet's Σ TotalHotkeyAlpha, and the cursor of its
    // paged backfill (a `storage_alias` of `migrate_total_alpha_staked`: `{ cursor: Vec<u8> }`).
    item("TotalAlphaStaked", NETUID, "u64", val(DefaultValue::U64(0))),
    item("TotalAlphaStakedMigration", &[], "Vec<u8>", Query::Option),
];

/// The pallet of the subnet pools.
pub const SWAP_PALLET: &str = "Swap";

const fn swap_item(name: &'static str, value_type: &'static str, query: Query) -> StorageItem {
    StorageItem {
        pallet: SWAP_PALLET,
        name,
        keys: TX_NETUID,
        value_type,
        query,
    }
}

/// `Swap` pallet items keyed by `Twox64Concat NetUid` that a quote reads (opentensor/subtensor
/// `pallets/swap/src/pallet/mod.rs`: v3 items @ 8f13194, balancer items @ 14bc6f9). `Ticks` is a
/// double map (`Twox64Concat NetUid, Twox64Concat TickIndex → Tick`, option query) and is read by
/// prefix ([`swap_ticks_prefix`]).
#[rustfmt::skip]
pub static SWAP_ITEMS: &[StorageItem] = &[
    swap_item("FeeRate", "u16", val(DefaultValue::U16(33))),
    swap_item("SwapV3Initialized", "bool", val(DefaultValue::Bool(false))),
    swap_item("AlphaSqrtPrice", "U64F64", val(DefaultValue::Zero128)),
    swap_item("CurrentTick", "i32", val(DefaultValue::U32(0))),
    swap_item("CurrentLiquidity", "u64", val(DefaultValue::U64(0))),
    // `Balancer { quote: Perquintill }`: the quote weight's parts; default 1/2.
    swap_item("SwapBalancer", "u64", val(DefaultValue::U64(500_000_000_000_000_000))),
    swap_item("PalSwapInitialized", "bool", val(DefaultValue::Bool(false))),
    swap_item("BalancerTaoReservoir", "u64", val(DefaultValue::U64(0))),
    swap_item("BalancerAlphaReservoir", "u64", val(DefaultValue::U64(0))),
];

/// Look a `Swap` item up by name.
pub fn swap_item_named(name: &str) -> Option<&'static StorageItem> {
    SWAP_ITEMS.iter().find(|i| i.name == name)
}

/// `twox128("Swap") ++ twox128("Ticks") ++ twox64concat(netuid)`: the prefix of one subnet's ticks.
pub fn swap_ticks_prefix(netuid: u16) -> Vec<u8> {
    key(SWAP_PALLET, "Ticks", &[(Tx, &netuid.to_le_bytes())])
}

/// Items keyed by the mechanism storage index `netuid + 4096 * mecid` instead of the netuid.
pub const MECHANISM_INDEXED: &[&str] = &[
    "Weights",
    "Bonds",
    "Incentive",
    "LastUpdate",
    "WeightCommits",
    "TimelockedWeightCommits",
];

/// Look an item up by name (pallet `SubtensorModule`).
pub fn item_named(name: &str) -> Option<&'static StorageItem> {
    ITEMS.iter().find(|i| i.name == name)
}

/// `NetUidStorageIndex = netuid + 4096 * mecid` (`mecid < 16`, `netuid < 4096`).
pub fn netuid_index(netuid: u16, mecid: u8) -> Result<u16> {
    if mecid >= 16 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "mecid",
            format!("{mecid} is not below 16"),
        ));
    }
    if netuid >= 4096 {
        return Err(Error::field(
            ErrorCode::OutOfRange,
            "netuid",
            format!("{netuid} is not below 4096"),
        ));
    }
    Ok(netuid.saturating_add(4096u16.saturating_mul(u16::from(mecid))))
}

/// Split a storage index back into `(netuid, mecid)`.
pub fn split_netuid_index(index: u16) -> (u16, u8) {
    (index % 4096, (index / 4096) as u8)
}

impl StorageItem {
    /// `twox128(pallet) ++ twox128(name)`.
    pub fn prefix(&self) -> [u8; 32] {
        prefix(self.pallet, self.name)
    }

    /// The key for the first `args.len()` map keys: the full key when every key is given, an
    /// iteration prefix (for `state_getKeysPaged`) when fewer are. Wrong types or too many
    /// arguments are `INVALID_TYPE` / `LENGTH_MISMATCH`.
    pub fn key(&self, args: &[KeyArg]) -> Result<Vec<u8>> {
        if args.len() > self.keys.len() {
            return Err(Error::new(
                ErrorCode::LengthMismatch,
                format!(
                    "{} takes {} key(s), got {}",
                    self.name,
                    self.keys.len(),
                    args.len()
                ),
            ));
        }
        let mut out = self.prefix().to_vec();
        for (i, ((hasher, kt), arg)) in self.keys.iter().zip(args).enumerate() {
            if arg.key_type() != *kt {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    format!("keys[{i}]"),
                    format!("{} key {i} is {kt:?}, got {:?}", self.name, arg.key_type()),
                ));
            }
            hasher.hash_into(&arg.encode(), &mut out);
        }
        Ok(out)
    }

    /// Recover the map keys from a full storage key (every hasher must keep the key).
    pub fn split_key(&self, key: &[u8]) -> Result<Vec<KeyArg>> {
        self.split(key, false)
    }

    /// Recover the leading map keys from an iteration prefix ([`StorageItem::key`] with fewer
    /// arguments than keys) or a full key.
    pub fn split_prefix(&self, key: &[u8]) -> Result<Vec<KeyArg>> {
        self.split(key, true)
    }

    fn split(&self, key: &[u8], partial: bool) -> Result<Vec<KeyArg>> {
        let bad = |why: &str| Error::new(ErrorCode::Decode, format!("{} key: {why}", self.name));
        let p = self.prefix();
        let mut rest = key
            .strip_prefix(&p[..])
            .ok_or_else(|| bad("prefix does not match"))?;
        let mut out = Vec::with_capacity(self.keys.len());
        for (hasher, kt) in self.keys {
            if partial && rest.is_empty() {
                break;
            }
            if !hasher.keeps_key() {
                return Err(bad("hasher does not keep the key"));
            }
            let (hash, tail) = rest
                .split_at_checked(hasher.hash_len())
                .ok_or_else(|| bad("truncated"))?;
            let (raw, tail) = tail
                .split_at_checked(kt.len())
                .ok_or_else(|| bad("truncated"))?;
            let mut check = Vec::new();
            hasher.hash_into(raw, &mut check);
            if check.get(..hash.len()) != Some(hash) {
                return Err(bad("hash does not match the key"));
            }
            out.push(KeyArg::from_bytes(*kt, raw).ok_or_else(|| bad("bad key bytes"))?);
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(out)
    }

    /// The encoded default for a `ValueQuery` item.
    pub fn default_bytes(&self) -> Option<Vec<u8>> {
        match self.query {
            Query::Value(d) => Some(d.encode()),
            Query::Option => None,
        }
    }

    /// Decode a storage read: `Some(bytes)` as the value type; `None` (absent key) as the
    /// default for `ValueQuery` items and as `Ok(None)` for `OptionQuery` items.
    pub fn decode_value(&self, bytes: Option<&[u8]>) -> Result<Option<Decoded>> {
        let named = |e: Error| Error {
            message: format!("{}: {}", self.name, e.message),
            ..e
        };
        match (bytes, self.default_bytes()) {
            (Some(b), _) => decode_type(self.value_type, b, Wrapping::Raw)
                .map(Some)
                .map_err(named),
            (None, Some(d)) => decode_type(self.value_type, &d, Wrapping::Raw)
                .map(Some)
                .map_err(named),
            (None, None) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::hex;

    /// twox128 prefixes the spec lists (section 4).
    const SPEC_PREFIXES: &[(&str, &str)] = &[
        ("SubnetworkN", "a1048e9d244171852dfe8db314dc68ca"),
        ("NetworksAdded", "0e30450fc4d507a846032a7fa65d9a43"),
        ("Keys", "9f99a2ce711f3a31b2fc05604c93f179"),
        // chain-data-after-425.md §4.1.
        ("MinerCollateral", "be2f10e8ce45bb678b64f11b37f40152"),
        ("ColdkeyMinerCollateral", "40730e4a9cf45fb0c5f47ac116ca2d36"),
        ("PendingBasketDeposits", "5439b7dffac006494258ea5ae29f4bbb"),
        // chain-data-after-425.md §4 (the `LiquidAlphaConsensusMode` row).
        (
            "LiquidAlphaConsensusMode",
            "35c32912d86f933ce83ce4a034b264f2",
        ),
        ("Uids", "aab1b4e78e1ea8305462ee53b3686dc8"),
        ("Owner", "eca6b7a1fdc9f689184ecb4f359c0518"),
        ("Tempo", "7641384bb339f3758acddfd7053d3317"),
        (
            "ActivityCutoffFactorMilli",
            "320e4eafc29fb1a85711f8a3a208aae2",
        ),
        ("ActivityCutoff", "c57fc7240b4e0c444a010d7fe83ec3ec"),
        ("LastUpdate", "696e262a16e52255a69d8acd79354146"),
        ("BlockAtRegistration", "5306000b65aa58c97bf98ad9f8619049"),
        ("TotalHotkeyAlpha", "ee25c3b5b1886863480497907f1829e6"),
        ("ParentKeys", "de41ae13ae40a9d3c5fd9b3bdea86fe2"),
        ("ChildKeys", "4bf30057b0f64219556b6cc15bd2804a"),
        ("TaoWeight", "6b2684762c3b1e22ffb4a92939298741"),
        ("StakeThreshold", "782d99ebaa64a1ba18b3e8cda1047327"),
        ("SubnetOwnerHotkey", "68b7553499633fe05caf4d8a51aefe5c"),
        ("ValidatorPermit", "56af5b07ace59da2c9d7f0d48bc93143"),
        ("MaxAllowedValidators", "741b883d2519eed91857993bfd4df0ba"),
        ("Weights", "a1e7036061f484bc3048a64b64e35ec4"),
        ("Bonds", "5641285262b8f970e4cbaafbff8d6ab0"),
        ("Kappa", "06d22dc781f44e506e51707fab5eea4d"),
        ("BondsPenalty", "20b865428adc94c5fa992353cb33c6e1"),
        ("BondsMovingAverage", "d8117c571cafc568cd7c63bca9d9e785"),
        ("Yuma3On", "dd640da43c4f8e3feabfdf1f232d8534"),
        ("LiquidAlphaOn", "06fbf32f30ce60050a34378b09c777d0"),
        ("AlphaValues", "3a164c89cc5b424c9f3532e6793e16ae"),
        ("AlphaSigmoidSteepness", "d73d5304e006b38779635fe672ea41e1"),
        ("LastMechansimStepBlock", "90a5927434316ff88c68f65cd390bb70"),
        (
            "CommitRevealWeightsEnabled",
            "8fb0d3eb3d4ea01122652b09d1d43c65",
        ),
        ("RevealPeriodEpochs", "8f232bcbac768c1d6201850c60f161ed"),
        ("WeightCommits", "9f14c8e879f1adfb03db481d61f6798c"),
        (
            "TimelockedWeightCommits",
            "119e1c428ff5c7c6dac4c888a10d1443",
        ),
        ("SubnetEpochIndex", "4f101d7a30ae31c7ab3099206c5ae12b"),
        ("LastEpochBlock", "90010c37124c14146041452f9ffba0df"),
        ("PendingEpochAt", "3328b142e30b57e47a52648ba110e3a7"),
        ("BlocksSinceLastStep", "63f934e48e59bf9413de427605faa024"),
        ("MechanismCountCurrent", "604fb97037feb8522bf37d42d54fa6e9"),
        ("MechanismEmissionSplit", "beab2628b84716c818c24a8234e9684c"),
        ("PendingServerEmission", "7f31afa3e070ac1d98b1546887927609"),
        (
            "PendingValidatorEmission",
            "6459b861fc6b4d87d2515a77a950df0b",
        ),
        ("PendingRootAlphaDivs", "ed70b5ba3510918e3a9b3d1d0220ba2d"),
        ("PendingOwnerCut", "619fc1d902020b6627d90e16de3dd552"),
        ("MaxEpochsPerBlock", "4ebd9a359f3ce311dcce73ce8fd4c968"),
        ("Incentive", "89c69c2c416b8105d37501394f4de849"),
        ("Dividends", "86752d66f11480ecef37769cdd736b9b"),
        ("Consensus", "925bd7637d049b4f2508e14eb43b51a1"),
        ("ValidatorTrust", "372b10ce520c756285796e436e44318e"),
        ("Active", "0f41321f75df7ea5127be2db4983c8b2"),
        ("Emission", "93916af563e2313a574d6cd48caec1a5"),
        ("StakeWeight", "77ad8cc9064f1da3a4455d92db4661ef"),
        ("SubnetTAO", "7a57dce016211512d1700561066b85a3"),
        ("SubnetAlphaIn", "2ce12f7007574647d692ac7edf8b7a53"),
        ("SubnetAlphaOut", "7837978cc6746112a2c9e680a18cfcb9"),
    ];

    #[test]
    fn prefixes_match_the_spec() {
        for (name, want) in SPEC_PREFIXES {
            let it = item_named(name).unwrap_or_else(|| panic!("{name} missing"));
            let p = it.prefix();
            assert_eq!(hex::encode(&p[..16]), "0x658faa385070e074c85bf6b568cf0555");
            assert_eq!(hex::encode(&p[16..]), format!("0x{want}"), "{name}");
        }
    }

    #[test]
    fn every_value_type_and_default_decodes() {
        for it in ITEMS {
            let v = it
                .decode_value(None)
                .unwrap_or_else(|e| panic!("{}: {e}", it.name));
            assert_eq!(
                v.is_some(),
                matches!(it.query, Query::Value(_)),
                "{}",
                it.name
            );
        }
    }

    #[test]
    fn spec_example_keys() {
        let w = item_named("Weights")
            .unwrap()
            .key(&[KeyArg::U16(23), KeyArg::U16(10)])
            .unwrap();
        assert_eq!(
            hex::encode(&w),
            "0x658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec417000a00"
        );
        let m = item_named("MechanismCountCurrent")
            .unwrap()
            .key(&[KeyArg::U16(1)])
            .unwrap();
        assert_eq!(
            hex::encode(&m),
            "0x658faa385070e074c85bf6b568cf0555604fb97037feb8522bf37d42d54fa6e9f1577fbf1d628fdd0100"
        );
        let it = item_named("Uids").unwrap();
        let hk = AccountId32([7; 32]);
        let k = it.key(&[KeyArg::U16(14), KeyArg::Account(hk)]).unwrap();
        assert_eq!(
            it.split_key(&k).unwrap(),
            vec![KeyArg::U16(14), KeyArg::Account(hk)]
        );
        let mut bad = k.clone();
        if let Some(b) = bad.get_mut(40) {
            *b ^= 1;
        }
        assert!(it.split_key(&bad).is_err());
        assert_eq!(
            it.key(&[KeyArg::Account(hk)]).unwrap_err().code,
            ErrorCode::InvalidType
        );
        assert_eq!(
            it.key(&[KeyArg::U16(1), KeyArg::Account(hk), KeyArg::U16(1)])
                .unwrap_err()
                .code,
            ErrorCode::LengthMismatch
        );
    }

    #[test]
    fn swap_items_decode_their_defaults() {
        for it in SWAP_ITEMS {
            assert!(it.decode_value(None).unwrap().is_some(), "{}", it.name);
        }
        let k = swap_item_named("FeeRate")
            .unwrap()
            .key(&[KeyArg::U16(1)])
            .unwrap();
        assert_eq!(k.len(), 32 + 8 + 2);
        assert!(swap_ticks_prefix(1).starts_with(&prefix("Swap", "Ticks")));
    }

    #[test]
    fn mechanism_index() {
        assert_eq!(netuid_index(1, 0).unwrap(), 1);
        assert_eq!(netuid_index(1, 2).unwrap(), 8193);
        assert_eq!(split_netuid_index(8193), (1, 2));
        assert_eq!(netuid_index(1, 16).unwrap_err().code, ErrorCode::OutOfRange);
        assert_eq!(
            netuid_index(4096, 0).unwrap_err().code,
            ErrorCode::OutOfRange
        );
    }

    #[test]
    fn absent_keys_use_declared_defaults() {
        let t = item_named("Tempo")
            .unwrap()
            .decode_value(None)
            .unwrap()
            .unwrap();
        assert_eq!(t.get::<u16>(), Some(&360));
        let e = item_named("CommitRevealWeightsEnabled")
            .unwrap()
            .decode_value(None)
            .unwrap()
            .unwrap();
        assert_eq!(e.get::<bool>(), Some(&true));
        assert!(item_named("SubnetOwnerHotkey")
            .unwrap()
            .decode_value(None)
            .unwrap()
            .is_some());
        assert!(item_named("MechanismEmissionSplit")
            .unwrap()
            .decode_value(None)
            .unwrap()
            .is_none());
    }
}
