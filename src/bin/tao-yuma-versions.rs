//! `tao-yuma-versions SCENARIO.json` (or `-` for standard input): run one historical Yuma version
//! (yuma-simulation's Yuma 1, 2, 2B, 2C, 3, 3 with liquid alpha) over a scenario's epochs and print
//! `{"epochs": [{"dividends": [...], "incentives": [...], "bonds": [[...]]}, ...]}`.
//! See `tao_engine::consensus::history::scenario` for the input. Bad input: a message on stderr
//! and exit status 1; usage errors exit 2.

use std::io::Read;
use std::process::ExitCode;

use tao_engine::consensus::history::scenario::run_json;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path] = args.as_slice() else {
        eprintln!("usage: tao-yuma-versions SCENARIO.json   (or - for standard input)");
        return ExitCode::from(2);
    };
    let text = if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map(|_| s)
    } else {
        std::fs::read_to_string(path)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    match run_json(&text) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {path}: {e}");
            ExitCode::from(1)
        }
    }
}
