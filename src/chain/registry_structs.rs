//! The runtime-API structs that can be decoded by name, listed once: the type-name normaliser
//! ([`super::type_name`]) drops their generic arguments, and the decode table
//! ([`super::registry`]) registers each as `T`, `Option<T>`, `Vec<T>` and `Vec<Option<T>>`.

/// `with_registered_structs!(m! { rest })` expands to `m! { structs: [<the structs>], rest }`.
macro_rules! with_registered_structs {
    ($m:ident! { $($rest:tt)* }) => {
        $m! {
            structs: [
                AxonInfo, PrometheusInfo, NeuronInfo, NeuronInfoLite, NeuronInfoDevRao,
                NeuronInfoLiteDevRao, SubnetIdentityV3, ChainIdentityV2, SubnetInfo, SubnetInfov2,
                SubnetHyperparams, SubnetHyperparamsV2, HyperparamEntry, DynamicInfo, Metagraph,
                SelectiveMetagraph, SubnetState, StakeInfo, StakeInfoLegacy, StakeAvailability,
                LockState, DelegateInfo, DelegateInfoLegacy, Header, DigestItem, SafeFloat,
                MetagraphWithCollateral, SelectiveMetagraphWithCollateral, MinerCollateralState,
                SubnetLease,
            ],
            $($rest)*
        }
    };
}
pub(crate) use with_registered_structs;

macro_rules! struct_names {
    (structs: [$($s:ident),* $(,)?], ) => {
        /// Names of the registered structs (their generic arguments are dropped when parsing).
        pub(crate) const STRUCT_NAMES: &[&str] = &[$(stringify!($s)),*];
    };
}

with_registered_structs!(struct_names! {});
