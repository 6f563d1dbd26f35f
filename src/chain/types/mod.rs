//! The runtime-API and storage value types, declared in encoding order with the chain's field
//! names. Every type implements [`Codec`](super::scale::Codec).

mod account;
mod delegate;
mod dynamic;
mod fixed;
mod header;
mod metagraph;
mod neuron;
mod stake;
mod subnet;

pub use account::{AccountId32, H256, SS58_PREFIX};
pub use delegate::{DelegateInfo, DelegateInfoLegacy, Delegated, DelegatedLegacy};
pub use dynamic::DynamicInfo;
pub use fixed::{I32F32, I64F64, I96F32, U64F64, U96F32};
pub use header::{DigestItem, Header};
pub use metagraph::{Metagraph, SelectiveMetagraph, SubnetState, SELECTIVE_METAGRAPH_FIELDS};
pub use neuron::{
    AxonInfo, NeuronInfo, NeuronInfoDevRao, NeuronInfoLite, NeuronInfoLiteDevRao, PrometheusInfo,
};
pub use stake::{LockState, StakeAvailability, StakeInfo, StakeInfoLegacy};
pub use subnet::{
    hyperparam, ChainIdentityV2, HyperparamEntry, HyperparamValue, SubnetHyperparams,
    SubnetHyperparamsV2, SubnetIdentityV3, SubnetInfo, SubnetInfov2,
};

scale_struct! {
    /// `SafeFloat { mantissa, exponent }` (value of the `AlphaV2` share map).
    pub struct SafeFloat {
        /// Mantissa.
        pub mantissa: u128 as u128,
        /// Base-10 exponent.
        pub exponent: i64 as i64,
    }
}
