//! Runtime-API identifiers: `state_getRuntimeVersion().apis` lists `[id, version]` where id is
//! blake2b-64 of the trait name (substrate `sp-api` `decl_runtime_apis`, `ID` constant).

use super::hashing::blake2_64;

/// Trait names seen in Subtensor runtimes (spec 343); used to name the ids a node reports.
pub const KNOWN_APIS: &[&str] = &[
    "Core",
    "Metadata",
    "BlockBuilder",
    "TaggedTransactionQueue",
    "OffchainWorkerApi",
    "AuraApi",
    "SessionKeys",
    "GrandpaApi",
    "AccountNonceApi",
    "TransactionPaymentApi",
    "TransactionPaymentCallApi",
    "DelegateInfoRuntimeApi",
    "NeuronInfoRuntimeApi",
    "SubnetInfoRuntimeApi",
    "StakeInfoRuntimeApi",
    "SubnetRegistrationRuntimeApi",
    "SwapRuntimeApi",
    "EthereumRuntimeRPCApi",
    "ConvertTransactionRuntimeApi",
    "GenesisBuilder",
];

/// The 8-byte id of a runtime-API trait.
pub fn api_id(trait_name: &str) -> [u8; 8] {
    blake2_64(trait_name.as_bytes())
}

/// The known trait whose id this is.
pub fn api_name(id: &[u8; 8]) -> Option<&'static str> {
    KNOWN_APIS.iter().copied().find(|n| &api_id(n) == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::hex;

    #[test]
    fn spec_ids() {
        assert_eq!(
            hex::encode(&api_id("NeuronInfoRuntimeApi")),
            "0x806df4ccaa9ed485"
        );
        assert_eq!(
            hex::encode(&api_id("StakeInfoRuntimeApi")),
            "0x5d1fbfbe852f2807"
        );
        assert_eq!(
            hex::encode(&api_id("DelegateInfoRuntimeApi")),
            "0x42e62be4a39e5b60"
        );
        assert_eq!(
            api_name(&api_id("SubnetInfoRuntimeApi")),
            Some("SubnetInfoRuntimeApi")
        );
    }
}
