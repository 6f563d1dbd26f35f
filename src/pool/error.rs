//! Swap and staking failures, named as the chain names them, with the engine's stable codes.

use crate::error::{Error, ErrorCode};
use core::fmt;

/// A failure the chain reports for a swap or a staking operation. [`ChainError::name`] is the
/// pallet error name (what test vectors and RPC responses show); `From<ChainError> for Error`
/// maps each onto a stable [`ErrorCode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ChainError {
    /// Net input above 1000 × the input reserve.
    SwapInputTooLarge,
    /// Output reserve below `MinimumReserve`, or a positive input that buys nothing.
    ReservesTooLow,
    /// The limit price is on the wrong side of the current price.
    PriceLimitExceeded,
    /// The pool would pay out more than it holds, or a share pool cannot represent the stake.
    InsufficientLiquidity,
    /// Pool weights cannot be set for these reserves and price.
    ReservesOutOfBalance,
    /// A limit order leaves nothing to execute.
    ZeroMaxStakeAmount,
    /// Fill-or-kill order that does not fit the limit.
    SlippageTooHigh,
    /// Amount below the minimum stake (or zero).
    AmountTooLow,
    /// Not enough free balance.
    NotEnoughBalanceToStake,
    /// Not enough stake to remove.
    NotEnoughStakeToWithdraw,
    /// Too many swap steps (v3 only).
    TooManySwapSteps,
    /// Origin and destination are the same.
    SameNetuid,
    /// No pool era matches the request.
    UnknownEra,
    /// The subnet does not exist (in the state given).
    SubnetNotExists,
}

impl ChainError {
    /// The pallet error name, e.g. `"PriceLimitExceeded"`.
    pub const fn name(self) -> &'static str {
        match self {
            ChainError::SwapInputTooLarge => "SwapInputTooLarge",
            ChainError::ReservesTooLow => "ReservesTooLow",
            ChainError::PriceLimitExceeded => "PriceLimitExceeded",
            ChainError::InsufficientLiquidity => "InsufficientLiquidity",
            ChainError::ReservesOutOfBalance => "ReservesOutOfBalance",
            ChainError::ZeroMaxStakeAmount => "ZeroMaxStakeAmount",
            ChainError::SlippageTooHigh => "SlippageTooHigh",
            ChainError::AmountTooLow => "AmountTooLow",
            ChainError::NotEnoughBalanceToStake => "NotEnoughBalanceToStake",
            ChainError::NotEnoughStakeToWithdraw => "NotEnoughStakeToWithdraw",
            ChainError::TooManySwapSteps => "TooManySwapSteps",
            ChainError::SameNetuid => "SameNetuid",
            ChainError::UnknownEra => "UnknownEra",
            ChainError::SubnetNotExists => "SubnetNotExists",
        }
    }

    /// The engine error code this failure maps to.
    pub const fn code(self) -> ErrorCode {
        match self {
            ChainError::SwapInputTooLarge => ErrorCode::TooLarge,
            ChainError::ReservesTooLow
            | ChainError::InsufficientLiquidity
            | ChainError::ReservesOutOfBalance => ErrorCode::EmptyPool,
            ChainError::PriceLimitExceeded
            | ChainError::ZeroMaxStakeAmount
            | ChainError::SlippageTooHigh => ErrorCode::LimitNotFillable,
            ChainError::AmountTooLow
            | ChainError::NotEnoughBalanceToStake
            | ChainError::NotEnoughStakeToWithdraw => ErrorCode::OutOfRange,
            ChainError::TooManySwapSteps => ErrorCode::OutOfRange,
            ChainError::SameNetuid => ErrorCode::OutOfRange,
            ChainError::UnknownEra => ErrorCode::UnknownEra,
            ChainError::SubnetNotExists => ErrorCode::OutOfRange,
        }
    }

    /// The input field a caller should look at, named as the JS requests name it (camelCase).
    pub const fn field(self) -> &'static str {
        match self {
            ChainError::SwapInputTooLarge
            | ChainError::AmountTooLow
            | ChainError::NotEnoughBalanceToStake
            | ChainError::NotEnoughStakeToWithdraw
            | ChainError::SlippageTooHigh => "amount",
            ChainError::PriceLimitExceeded | ChainError::ZeroMaxStakeAmount => "limitPrice",
            ChainError::ReservesTooLow
            | ChainError::InsufficientLiquidity
            | ChainError::ReservesOutOfBalance => "pool",
            ChainError::TooManySwapSteps => "amount",
            ChainError::SameNetuid => "destination",
            ChainError::UnknownEra => "era",
            ChainError::SubnetNotExists => "netuid",
        }
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<ChainError> for Error {
    fn from(e: ChainError) -> Self {
        Error::field(e.code(), e.field(), e.name())
    }
}
