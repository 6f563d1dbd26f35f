//! `tao-replay`: the engine as a runtime on a storage capture (issue 13, item 3).
//!
//! ```text
//! tao-replay quote STATE.json --netuid N (--buy RAO | --sell RAO)
//! tao-replay price STATE.json --netuid N
//! tao-replay check STATE.json          # recompute every SwapRuntimeApi entry the capture holds
//! tao-replay block PARENT.json CHILD.json
//! tao-replay epoch PARENT.json [CHILD.json] --netuid N [--emission RAO]
//! ```
//!
//! `epoch` runs subnet N's epoch at block `PARENT.block + 1` from PARENT's storage
//! (`chain::replay_epoch`) and prints `{spec_version, block, netuid, uids, items, missing, computed,
//! emission, emission_exact, approximate, notes}`, then `N equal, M mismatched, K missing`. With
//! CHILD (the capture at the epoch block) every output is compared and the exit status is 0 only
//! when M = 0 and N > 0; without it the outputs are only computed (exit 0 when the parent held
//! every input). `Emission` is compared only when `--emission` states the rao the epoch distributed.
//!
//! `block` prints `{spec_version, block, items, missing, approximate}` and then the line
//! `N equal, M mismatched, K missing`; it exits 0 only when M = 0 and N > 0. The engine runs
//! block `CHILD.block`'s coinbase from PARENT under PARENT's runtime rules and compares every
//! output item with CHILD, and the writes of every epoch due at that block (`chain::replay_epoch`);
//! outputs it cannot compute are listed under `missing` with the parent inputs they lack, or why
//! they are not replayed (`chain::replay_block`).
//!
//! `quote` prints `{tao_amount, alpha_amount, tao_fee, alpha_fee, tao_slippage, alpha_slippage}`
//! (decimal strings) as `SwapRuntimeApi_sim_swap_*` returns them at the capture's block; `price`
//! prints `{"price_rao": "…"}` as `SwapRuntimeApi_current_alpha_price`. When the capture carries
//! the same call, the result must agree byte for byte, else the exit status is 1. Bad input
//! (unreadable file, malformed hex, missing storage, unknown subnet) prints `error: …` (missing
//! inputs by item and key) and exits 2.

use std::process::ExitCode;
use tao_engine::chain::capture::Capture;
use tao_engine::chain::hex;
use tao_engine::chain::replay_block::replay_block;
use tao_engine::chain::replay_epoch::replay_epoch;
use tao_engine::chain::sim_swap::{check_swap_api, current_alpha_price, sim_swap, sim_swap_call};
use tao_engine::pool::swap::Order;

const USAGE: &str =
    "usage: tao-replay quote STATE.json --netuid N (--buy RAO | --sell RAO)\n       \
                     tao-replay price STATE.json --netuid N\n       tao-replay check STATE.json\n       \
                     tao-replay block PARENT.json CHILD.json\n       \
                     tao-replay epoch PARENT.json [CHILD.json] --netuid N [--emission RAO]";

enum Fail {
    Usage(String),
    Input(String),
    Mismatch(String),
}

fn load(path: &str) -> Result<Capture, Fail> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fail::Input(format!("cannot read {path}: {e}")))?;
    Capture::from_json(&text).map_err(|e| Fail::Input(format!("{path}: {e}")))
}

fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<T>, Fail> {
    let Some(i) = args.iter().position(|a| a == name) else {
        return Ok(None);
    };
    let v = args
        .get(i + 1)
        .ok_or_else(|| Fail::Usage(format!("{name} needs a value")))?;
    v.parse()
        .map(Some)
        .map_err(|_| Fail::Usage(format!("{name}: {v:?} is not a valid number")))
}

/// The captured result of `method(args)`, if the capture holds that call.
fn captured(c: &Capture, method: &str, args: &[u8]) -> Result<Option<Vec<u8>>, Fail> {
    let calls = c.calls(method).map_err(|e| Fail::Input(e.to_string()))?;
    Ok(calls.into_iter().find(|(a, _)| a == args).map(|(_, r)| r))
}

fn run(args: &[String]) -> Result<(), Fail> {
    let cmd = args.first().map(String::as_str);
    let path = args
        .get(1)
        .ok_or_else(|| Fail::Usage("missing STATE.json".into()))?;
    let rest = args.get(2..).unwrap_or_default();
    match cmd {
        Some("quote") => {
            let c = load(path)?;
            let netuid: u16 = flag(rest, "--netuid")?
                .ok_or_else(|| Fail::Usage("--netuid is required".into()))?;
            let (order, amount) = match (flag::<u64>(rest, "--buy")?, flag::<u64>(rest, "--sell")?)
            {
                (Some(a), None) => (Order::Buy, a),
                (None, Some(a)) => (Order::Sell, a),
                _ => {
                    return Err(Fail::Usage(
                        "give exactly one of --buy RAO and --sell RAO".into(),
                    ))
                }
            };
            let r = sim_swap(&c, netuid, order, amount).map_err(|e| Fail::Input(e.to_string()))?;
            println!("{}", r.to_json());
            let (method, call_args) = sim_swap_call(netuid, order, amount);
            if let Some(want) = captured(&c, method, &call_args)? {
                let got = r.encode(c.spec_version);
                if got != want {
                    return Err(Fail::Mismatch(format!(
                        "{method}: the capture says {}, the engine {}",
                        hex::encode(&want),
                        hex::encode(&got)
                    )));
                }
            }
            Ok(())
        }
        Some("price") => {
            let c = load(path)?;
            let netuid: u16 = flag(rest, "--netuid")?
                .ok_or_else(|| Fail::Usage("--netuid is required".into()))?;
            let p = current_alpha_price(&c, netuid).map_err(|e| Fail::Input(e.to_string()))?;
            println!("{}", serde_json::json!({ "price_rao": p.to_string() }));
            let method = "SwapRuntimeApi_current_alpha_price";
            if let Some(want) = captured(&c, method, &netuid.to_le_bytes())? {
                if want != p.to_le_bytes() {
                    return Err(Fail::Mismatch(format!(
                        "{method}: the capture says {}, the engine {}",
                        hex::encode(&want),
                        hex::encode(&p.to_le_bytes())
                    )));
                }
            }
            Ok(())
        }
        Some("check") => {
            let c = load(path)?;
            let checks = check_swap_api(&c);
            let bad = checks.iter().filter(|k| !k.equal).count();
            for k in &checks {
                println!("{}", serde_json::to_string(k).unwrap_or_default());
            }
            println!("{} equal, {bad} mismatched", checks.len() - bad);
            if bad > 0 || checks.is_empty() {
                return Err(Fail::Mismatch(format!(
                    "{bad} of {} SwapRuntimeApi entries differ",
                    checks.len()
                )));
            }
            Ok(())
        }
        Some("block") => {
            let parent = load(path)?;
            let child_path = rest
                .first()
                .ok_or_else(|| Fail::Usage("missing CHILD.json".into()))?;
            let child = load(child_path)?;
            let r = replay_block(&parent, &child).map_err(|e| Fail::Input(e.to_string()))?;
            let json = serde_json::to_string_pretty(&r)
                .map_err(|e| Fail::Input(format!("cannot serialise: {e}")))?;
            println!("{json}");
            println!("{}", r.summary());
            if r.success() {
                Ok(())
            } else {
                Err(Fail::Mismatch(
                    "no output item was both computed and equal".into(),
                ))
            }
        }
        Some("epoch") => {
            let parent = load(path)?;
            let netuid: u16 = flag(rest, "--netuid")?
                .ok_or_else(|| Fail::Usage("--netuid is required".into()))?;
            let emission: Option<u64> = flag(rest, "--emission")?;
            // CHILD is the first argument that is neither a flag nor a flag's value.
            let mut child_path = None;
            let mut i = 0;
            while let Some(a) = rest.get(i) {
                if a.starts_with("--") {
                    i += 2;
                    continue;
                }
                child_path.get_or_insert(a.clone());
                i += 1;
            }
            let child = child_path.as_deref().map(load).transpose()?;
            let r = replay_epoch(&parent, netuid, child.as_ref(), emission)
                .map_err(|e| Fail::Input(e.to_string()))?;
            let json = serde_json::to_string_pretty(&r)
                .map_err(|e| Fail::Input(format!("cannot serialise: {e}")))?;
            println!("{json}");
            println!("{}", r.summary());
            match child {
                Some(_) if !r.success() => Err(Fail::Mismatch(
                    "an output mismatched, or none was compared".into(),
                )),
                None if r.computed.is_empty() => Err(Fail::Mismatch(
                    "the parent lacks inputs of the epoch (listed under missing)".into(),
                )),
                _ => Ok(()),
            }
        }
        _ => Err(Fail::Usage(format!("unknown command {cmd:?}"))),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Mismatch(m)) => {
            eprintln!("mismatch: {m}");
            ExitCode::from(1)
        }
        Err(Fail::Input(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        Err(Fail::Usage(m)) => {
            eprintln!("error: {m}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
