//! The chain's own quotes from a storage capture: `SwapRuntimeApi_current_alpha_price`,
//! `_sim_swap_tao_for_alpha` and `_sim_swap_alpha_for_tao`, in every pool era.
//!
//! Ports of opentensor/subtensor `runtime/src/lib.rs` (`impl SwapRuntimeApi`) and
//! `pallets/swap/src/pallet/impls.rs` (`current_price`, `sim_swap`):
//!
//! * v3 era (@ 8f13194, spec 367; same rules up to the balancer): `current_price` is U96F32,
//!   `AlphaSqrtPrice²` once `SwapV3Initialized`, else `(SubnetTAO + SubnetTaoProvided) /
//!   (SubnetAlphaIn + SubnetAlphaInProvided)`; the swap is [`crate::pool::v3::V3Pool`] over `CurrentTick`,
//!   `CurrentLiquidity` and the subnet's `Ticks`.
//! * balancer era (@ 211007c59, spec 391, and 14bc6f9): `current_price` is U64F64 from
//!   `SwapBalancer` and the reserves `SubnetTAO` / `SubnetAlphaIn`; the swap is [`crate::pool::swap::BalancerPool`]
//!   (weights 1/2 while `PalSwapInitialized` is false, as `maybe_initialize_palswap(None)` sets).
//!   The reservoirs (`BalancerTaoReservoir`, `BalancerAlphaReservoir`) are not price-active and
//!   do not enter a quote.
//! * `SubnetMechanism ≠ 1` (root and stable subnets): price 1; a swap gives `amount` 1:1 without
//!   fee when the subnet exists.
//!
//! `sim_swap` uses fees and the order's default limit (balancer: buy 10^15, sell 1000 rao per
//! alpha; v3: the tick range's price bounds, `u64::MAX` and 0 rao); any error of the swap is reported as all zeros, as the runtime does. The result is
//! `SimSwapResult {tao_amount, alpha_amount, tao_fee, alpha_fee}` (32 bytes) and, from the
//! slippage fields (a67c9e7e1, shipped in spec 391 by the statement),
//! `+ {tao_slippage, alpha_slippage}` (48 bytes); slippage = output at the spot price − output.
//! A subnet that does not exist (`NetworksAdded` false) is an error here (`OUT_OF_RANGE`,
//! `netuid`), where the runtime would answer zeros.

use super::capture::{le_bytes, Capture};
pub use super::pool_read::{read_pool, PoolState, QuoteEra};
use crate::error::{Error, ErrorCode, Result};
use crate::pool::balancer::{fx, safe_div, Balancer, SwapGuards};
use crate::pool::swap::{
    limit_from_rao, price_to_rao, Order, SwapConstants, SwapResult, MAX_PRICE_RAO, MIN_PRICE_RAO,
};
use substrate_fixed::types::{U64F64, U96F32};

/// First spec whose `SimSwapResult` carries the two slippage fields (48 bytes).
pub const SLIPPAGE_FIELDS_FROM_SPEC: u32 = 391;

/// `SimSwapResult` as the runtime API returns it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SimSwapResult {
    /// TAO paid in (net of fee) for a buy, TAO out for a sell.
    pub tao_amount: u64,
    /// Alpha out for a buy, alpha paid in (net of fee) for a sell.
    pub alpha_amount: u64,
    /// Fee of a buy, TAO.
    pub tao_fee: u64,
    /// Fee of a sell, alpha.
    pub alpha_fee: u64,
    /// Sell: TAO at the spot price − TAO out (0 in the 32-byte layout).
    pub tao_slippage: u64,
    /// Buy: alpha at the spot price − alpha out (0 in the 32-byte layout).
    pub alpha_slippage: u64,
}

impl SimSwapResult {
    /// Whether `spec` returns the 48-byte layout.
    pub fn has_slippage(spec_version: u32) -> bool {
        spec_version >= SLIPPAGE_FIELDS_FROM_SPEC
    }

    /// SCALE bytes under `spec_version`'s layout.
    pub fn encode(&self, spec_version: u32) -> Vec<u8> {
        let mut f = vec![
            self.tao_amount,
            self.alpha_amount,
            self.tao_fee,
            self.alpha_fee,
        ];
        if Self::has_slippage(spec_version) {
            f.extend([self.tao_slippage, self.alpha_slippage]);
        }
        f.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Decode under `spec_version`'s layout (exact length, else `DECODE`).
    pub fn decode(bytes: &[u8], spec_version: u32) -> Result<SimSwapResult> {
        let n = if Self::has_slippage(spec_version) {
            6
        } else {
            4
        };
        if bytes.len() != n * 8 {
            return Err(Error::field(
                ErrorCode::Decode,
                "result",
                format!(
                    "SimSwapResult at spec {spec_version} is {} bytes, got {}",
                    n * 8,
                    bytes.len()
                ),
            ));
        }
        let v: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|c| le_bytes::<8>(c, "SimSwapResult").map(u64::from_le_bytes))
            .collect::<Result<_>>()?;
        let g = |i: usize| v.get(i).copied().unwrap_or(0);
        Ok(SimSwapResult {
            tao_amount: g(0),
            alpha_amount: g(1),
            tao_fee: g(2),
            alpha_fee: g(3),
            tao_slippage: g(4),
            alpha_slippage: g(5),
        })
    }

    /// `{tao_amount, …}` with decimal strings (the CLI's output contract).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "tao_amount": self.tao_amount.to_string(),
            "alpha_amount": self.alpha_amount.to_string(),
            "tao_fee": self.tao_fee.to_string(),
            "alpha_fee": self.alpha_fee.to_string(),
            "tao_slippage": self.tao_slippage.to_string(),
            "alpha_slippage": self.alpha_slippage.to_string(),
        })
    }
}

/// `current_price` of the era, as the runtime holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Price {
    /// Balancer era and later.
    U64F64(U64F64),
    /// v3 era.
    U96F32(U96F32),
}

fn price_of(state: &PoolState) -> Price {
    match state {
        PoolState::Stable => Price::U64F64(U64F64::from_num(1)),
        PoolState::Balancer(p, _) => Price::U64F64(p.price()),
        PoolState::UniswapV3(p) => Price::U96F32(if p.initialized {
            U96F32::saturating_from_num(p.sqrt_price.saturating_mul(p.sqrt_price))
        } else if p.alpha_reserve == 0 {
            U96F32::from_num(0)
        } else {
            U96F32::saturating_from_num(p.tao_reserve)
                .saturating_div(U96F32::saturating_from_num(p.alpha_reserve))
        }),
    }
}

/// `SwapRuntimeApi_current_alpha_price`: `floor(price × 10^9)`.
pub fn current_alpha_price(capture: &Capture, netuid: u16) -> Result<u64> {
    let state = read_pool(capture, netuid, false)?;
    Ok(match price_of(&state) {
        Price::U64F64(p) => price_to_rao(p),
        Price::U96F32(p) => p
            .saturating_mul(U96F32::from_num(1_000_000_000u64))
            .saturating_to_num::<u64>(),
    })
}

/// Output at the spot price: buy `amount / price`, sell `amount × price` (0 for a zero price).
fn no_slippage(order: Order, amount: u64, price: Price) -> u64 {
    match (order, price) {
        (Order::Buy, Price::U64F64(p)) => safe_div(fx(amount), p).saturating_to_num(),
        (Order::Sell, Price::U64F64(p)) => fx(amount).saturating_mul(p).saturating_to_num(),
        (Order::Buy, Price::U96F32(p)) => U96F32::saturating_from_num(amount)
            .checked_div(p)
            .unwrap_or(U96F32::from_num(0))
            .saturating_to_num(),
        (Order::Sell, Price::U96F32(p)) => U96F32::saturating_from_num(amount)
            .saturating_mul(p)
            .saturating_to_num(),
    }
}

/// The v3 pallet's `max_price_inner` / `min_price_inner` (@ 8f13194 `impls.rs`): the squared
/// sqrt-price bounds of `TickIndex::MAX` / `MIN` (`tick.rs` constants) × 10^9 in U64F64, the
/// maximum rounded, the minimum truncated; they saturate to `u64::MAX` and 0 rao.
pub fn v3_default_limit_rao(order: Order) -> u64 {
    let billion = U64F64::from_num(1_000_000_000u64);
    match order {
        Order::Buy => {
            #[allow(clippy::excessive_precision)]
            let s = U64F64::saturating_from_num(4_294_886_577.209_892_225_138_997_908_05f64);
            s.saturating_mul(s)
                .saturating_mul(billion)
                .saturating_round()
                .saturating_to_num::<u64>()
        }
        Order::Sell => {
            let s = U64F64::saturating_from_num(0.000_000_000_232_835_019_5f64);
            s.saturating_mul(s)
                .saturating_mul(billion)
                .saturating_to_num::<u64>()
        }
    }
}

/// The pallet's `sim_swap` (fees on, the order's default limit); `None` for a swap error. The
/// balancer pallet's default limits are 10^15 / 1000 rao, the v3 pallet's
/// [`v3_default_limit_rao`]; both become `U64F64(limit) / 10^9` (v3 then takes its square root).
/// At spec 423 the balancer swap of that runtime ([`SwapGuards::Spec423`]); elsewhere 424's.
fn pallet_sim_swap(
    state: &PoolState,
    order: Order,
    amount: u64,
    guards: SwapGuards,
) -> Option<SwapResult> {
    let limit = limit_from_rao(match (state, order) {
        (PoolState::UniswapV3(_), o) => v3_default_limit_rao(o),
        (_, Order::Buy) => MAX_PRICE_RAO,
        (_, Order::Sell) => MIN_PRICE_RAO,
    });
    let consts = SwapConstants::default();
    match state {
        PoolState::Stable => Some(SwapResult {
            amount_paid_in: amount,
            amount_paid_out: amount,
            fee_paid: 0,
            fee_to_block_author: 0,
        }),
        PoolState::Balancer(p, init) => {
            let mut pool = *p;
            if !init {
                pool.weights = Balancer::default();
            }
            pool.quote_swap_with(order, amount, limit, false, true, &consts, guards)
                .ok()
        }
        PoolState::UniswapV3(p) => p.simulate(order, amount, limit, false, &consts).ok(),
    }
}

/// `SwapRuntimeApi_sim_swap_tao_for_alpha` (`Order::Buy`, `amount` TAO) or
/// `_sim_swap_alpha_for_tao` (`Order::Sell`, `amount` alpha) at the capture's block.
pub fn sim_swap(
    capture: &Capture,
    netuid: u16,
    order: Order,
    amount: u64,
) -> Result<SimSwapResult> {
    let state = read_pool(capture, netuid, true)?;
    Ok(sim_swap_state(&state, order, amount, capture.spec_version))
}

/// [`sim_swap`] on an already read pool.
pub fn sim_swap_state(state: &PoolState, order: Order, amount: u64, spec: u32) -> SimSwapResult {
    // The balancer swap of the capture's runtime: 423's where the rules say so, and before 423
    // (380's balancer, whose pool code is 423's); newer specs the engine has no rules for keep
    // 424's.
    let guards = if spec < crate::runtime::OLDEST_KNOWN_SPEC {
        SwapGuards::Spec423
    } else {
        crate::runtime::Rules::for_spec(spec)
            .map_or(SwapGuards::On, |r| SwapGuards::of(r.balancer_swap_guards))
    };
    let Some(sr) = pallet_sim_swap(state, order, amount, guards) else {
        return SimSwapResult::default();
    };
    let slip = SimSwapResult::has_slippage(spec);
    let ideal = if slip {
        no_slippage(order, amount, price_of(state))
    } else {
        0
    };
    match order {
        Order::Buy => SimSwapResult {
            tao_amount: sr.amount_paid_in,
            alpha_amount: sr.amount_paid_out,
            tao_fee: sr.fee_paid,
            alpha_fee: 0,
            tao_slippage: 0,
            alpha_slippage: if slip {
                ideal.saturating_sub(sr.amount_paid_out)
            } else {
                0
            },
        },
        Order::Sell => SimSwapResult {
            tao_amount: sr.amount_paid_out,
            alpha_amount: sr.amount_paid_in,
            tao_fee: 0,
            alpha_fee: sr.fee_paid,
            tao_slippage: if slip {
                ideal.saturating_sub(sr.amount_paid_out)
            } else {
                0
            },
            alpha_slippage: 0,
        },
    }
}

/// The method name and SCALE args of a quote (`netuid: u16 ++ amount: u64`).
pub fn sim_swap_call(netuid: u16, order: Order, amount: u64) -> (&'static str, Vec<u8>) {
    let m = match order {
        Order::Buy => "SwapRuntimeApi_sim_swap_tao_for_alpha",
        Order::Sell => "SwapRuntimeApi_sim_swap_alpha_for_tao",
    };
    let mut a = netuid.to_le_bytes().to_vec();
    a.extend(amount.to_le_bytes());
    (m, a)
}

/// One checked runtime-API entry of a capture.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiCheck {
    /// Method.
    pub method: String,
    /// Args, `0x` hex.
    pub args_hex: String,
    /// The captured result, `0x` hex.
    pub expected: String,
    /// The engine's, `0x` hex (empty when it could not compute it).
    pub actual: String,
    /// Equal.
    pub equal: bool,
    /// Why the engine could not compute it.
    pub error: Option<String>,
}

fn check_one(capture: &Capture, method: &str, args: &[u8]) -> Result<Vec<u8>> {
    let bad = || {
        Error::field(
            ErrorCode::Decode,
            "args_hex",
            format!("bad args for {method}"),
        )
    };
    let netuid = u16::from_le_bytes(le_bytes::<2>(args.get(..2).ok_or_else(bad)?, "netuid")?);
    let amount = || -> Result<u64> {
        Ok(u64::from_le_bytes(le_bytes::<8>(
            args.get(2..).ok_or_else(bad)?,
            "amount",
        )?))
    };
    match method {
        "SwapRuntimeApi_current_alpha_price" if args.len() == 2 => {
            Ok(current_alpha_price(capture, netuid)?.to_le_bytes().to_vec())
        }
        "SwapRuntimeApi_sim_swap_tao_for_alpha" => {
            Ok(sim_swap(capture, netuid, Order::Buy, amount()?)?.encode(capture.spec_version))
        }
        "SwapRuntimeApi_sim_swap_alpha_for_tao" => {
            Ok(sim_swap(capture, netuid, Order::Sell, amount()?)?.encode(capture.spec_version))
        }
        _ => Err(bad()),
    }
}

/// Recompute every `SwapRuntimeApi` entry the capture carries and compare byte for byte.
pub fn check_swap_api(capture: &Capture) -> Vec<ApiCheck> {
    capture
        .runtime_api
        .iter()
        .filter(|c| c.method.starts_with("SwapRuntimeApi_") && !c.method.ends_with("_all"))
        .map(|c| {
            let got =
                super::hex::decode(&c.args_hex).and_then(|a| check_one(capture, &c.method, &a));
            let (actual, error) = match got {
                Ok(b) => (super::hex::encode(&b), None),
                Err(e) => (String::new(), Some(e.to_string())),
            };
            ApiCheck {
                method: c.method.clone(),
                args_hex: c.args_hex.clone(),
                expected: c.result.clone(),
                equal: error.is_none() && actual == c.result,
                actual,
                error,
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "sim_swap_tests.rs"]
mod tests;
