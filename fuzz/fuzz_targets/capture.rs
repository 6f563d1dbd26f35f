#![no_main]
//! Storage captures: JSON parsing and hex checks, then every pool read and quote the replay CLI
//! offers (`current_alpha_price`, both `sim_swap`s, the runtime-API check) on arbitrary text.
use libfuzzer_sys::fuzz_target;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::sim_swap::{check_swap_api, current_alpha_price, sim_swap};
use tao_engine::pool::swap::Order;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = Capture::from_json(text) {
        let _ = check_swap_api(&c);
        for netuid in [0u16, 1, 3, 64] {
            let _ = current_alpha_price(&c, netuid);
            for order in [Order::Buy, Order::Sell] {
                for amount in [0u64, 1, 1_000_000_000, u64::MAX] {
                    let _ = sim_swap(&c, netuid, order, amount);
                }
            }
        }
    }
});
