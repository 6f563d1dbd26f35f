//! Values the columnar tests share (tests/chain_columnar.rs, tests/chain_columnar_direct.rs): a
//! `DynamicInfo` exercising every field kind (u64 and u128 extremes, non-UTF-8 bytes, an optional
//! identity, a negative `I96F32`).

use tao_engine::chain::{AccountId32, DynamicInfo, SubnetIdentityV3, I96F32};

/// Subnet `netuid`'s hand-made `DynamicInfo`, with an identity when `ident`.
pub fn dynamic(netuid: u16, ident: bool) -> DynamicInfo {
    let a = |b: u8| AccountId32([b; 32]);
    DynamicInfo {
        netuid,
        owner_hotkey: a(netuid as u8),
        owner_coldkey: a(0xfe),
        subnet_name: format!("net {netuid}").into_bytes(),
        token_symbol: if netuid % 2 == 0 {
            "\u{3b1}".as_bytes().to_vec()
        } else {
            vec![0xff, 0x00]
        },
        tempo: 360,
        last_step: 6_852_000 + u64::from(netuid),
        blocks_since_last_step: 3,
        emission: 0,
        alpha_in: u64::MAX,
        alpha_out: 1 << 53,
        tao_in: (1 << 53) - 1,
        alpha_out_emission: 7,
        alpha_in_emission: 8,
        tao_in_emission: 9,
        pending_alpha_emission: 10,
        pending_root_emission: 0,
        subnet_volume: u128::MAX - u128::from(netuid),
        network_registered_at: 11,
        subnet_identity: ident.then(|| SubnetIdentityV3 {
            subnet_name: b"Apex".to_vec(),
            github_repo: vec![],
            subnet_contact: vec![0xc3],
            subnet_url: b"https://example.org".to_vec(),
            discord: vec![],
            description: "a, b".as_bytes().to_vec(),
            logo_url: vec![],
            additional: vec![],
        }),
        moving_price: I96F32::from_bits(-(i128::from(netuid) << 90) - 5),
    }
}
