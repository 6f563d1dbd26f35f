//! `tao-decode`: decode chain data and print it as one JSON document in the fixture rendering
//! conventions (accounts as 0x hex, integers above 2^53 - 1 as strings, fixed-point as
//! `{"bits", "approx"}`, text as UTF-8).
//!
//! ```text
//! tao-decode [--ss58] [--pretty] <fixture.json>
//! tao-decode [--pretty] <metadata.scale>
//! tao-decode [--ss58] [--pretty] --type <T> [--wrapping raw|vec_u8|json_byte_array] --hex <0x..|[bytes]|@file|->
//! ```
//!
//! A fixture file is decoded per its `type`, `hex` and `result_wrapping` (`cases`, storage reads,
//! headers and runtime versions too). A runtime-metadata blob (`"meta"` magic, V14/V15/V16, or a
//! metadata fixture naming one) prints its summary: version, runtime version, pallets with their
//! storage items, runtime APIs with their methods. The value goes to stdout; diagnostics to stderr. Exit status
//! 1 on a decode error or leftover bytes (for files with cases, after printing the cases that did
//! decode, with `{"error": ...}` for the others), 2 on bad usage or unreadable input.

use std::process::ExitCode;

fn main() -> ExitCode {
    app::main()
}

mod app {
    use std::io::Read;
    use std::process::ExitCode;
    use tao_engine::chain::hex;
    use tao_engine::chain::registry::{bytes_from_json_array, decode_type, Wrapping};
    use tao_engine::chain::render::RenderOpts;
    use tao_engine::Error;
    use tao_vectors::chain::{decode_fixture, fixture_kind, metadata_summary_json, FixtureKind};

    const USAGE: &str = "usage: tao-decode [--ss58] [--pretty] <fixture.json | metadata.scale>\n       \
        tao-decode [--ss58] [--pretty] --type <T> [--wrapping raw|vec_u8|json_byte_array] --hex <0x..|[bytes]|@file|->";

    struct Args {
        ss58: bool,
        pretty: bool,
        file: Option<String>,
        ty: Option<String>,
        wrapping: Option<String>,
        input: Option<String>,
    }

    fn parse_args() -> Result<Args, String> {
        let mut a = Args {
            ss58: false,
            pretty: false,
            file: None,
            ty: None,
            wrapping: None,
            input: None,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
            match arg.as_str() {
                "--ss58" => a.ss58 = true,
                "--pretty" => a.pretty = true,
                "--type" => a.ty = Some(value("--type")?),
                "--wrapping" => a.wrapping = Some(value("--wrapping")?),
                "--hex" => a.input = Some(value("--hex")?),
                "-h" | "--help" => return Err(String::new()),
                s if s.starts_with("--") => return Err(format!("unknown option {s}")),
                _ if a.file.is_none() => a.file = Some(arg),
                _ => return Err("more than one file".into()),
            }
        }
        match (&a.file, &a.ty) {
            (Some(_), None) | (None, Some(_)) => Ok(a),
            (Some(_), Some(_)) => Err("give a fixture file or --type, not both".into()),
            (None, None) => Err(String::new()),
        }
    }

    fn read_text(spec: &str) -> Result<String, String> {
        if spec == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("stdin: {e}"))?;
            Ok(s)
        } else if let Some(path) = spec.strip_prefix('@') {
            std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
        } else {
            Ok(spec.to_string())
        }
    }

    fn report(e: &Error) {
        eprintln!("error: {e}");
    }

    fn print(v: &serde_json::Value, pretty: bool) {
        let s = if pretty {
            serde_json::to_string_pretty(v)
        } else {
            serde_json::to_string(v)
        };
        match s {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: cannot serialise: {e}"),
        }
    }

    fn print_metadata(bytes: &[u8], pretty: bool) -> ExitCode {
        match metadata_summary_json(bytes) {
            Ok(v) => {
                print(&v, pretty);
                ExitCode::SUCCESS
            }
            Err(e) => {
                report(&e);
                ExitCode::FAILURE
            }
        }
    }

    pub fn main() -> ExitCode {
        let args = match parse_args() {
            Ok(a) => a,
            Err(msg) => {
                if !msg.is_empty() {
                    eprintln!("error: {msg}");
                }
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        };
        let opts = if args.ss58 {
            RenderOpts::SS58
        } else {
            RenderOpts::default()
        };
        if let Some(ty) = &args.ty {
            let text = match args.input.as_deref().map(read_text) {
                Some(Ok(t)) => t,
                Some(Err(e)) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
                None => {
                    eprintln!("error: --type needs --hex\n{USAGE}");
                    return ExitCode::from(2);
                }
            };
            let wrapping = match Wrapping::parse(args.wrapping.as_deref().unwrap_or("raw")) {
                Ok(w) => w,
                Err(e) => {
                    report(&e);
                    return ExitCode::from(2);
                }
            };
            let t = text.trim();
            let bytes = if t.starts_with('[') {
                bytes_from_json_array(t)
            } else {
                hex::decode(t)
            };
            let result = bytes.and_then(|b| decode_type(ty, &b, wrapping));
            return match result {
                Ok(d) => {
                    print(&d.render(&opts), args.pretty);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    report(&e);
                    ExitCode::FAILURE
                }
            };
        }
        let path = args.file.unwrap_or_default();
        let raw = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {path}: {e}");
                return ExitCode::from(2);
            }
        };
        // Runtime metadata (`"meta"` magic): print its summary.
        if raw.starts_with(b"meta") {
            return print_metadata(&raw, args.pretty);
        }
        let doc: serde_json::Value = match String::from_utf8(raw)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| format!("not JSON: {e}")))
        {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {path}: {e}");
                return ExitCode::from(2);
            }
        };
        // A metadata fixture names its blob, beside it.
        if fixture_kind(&doc) == FixtureKind::Metadata {
            let name = doc.get("file").and_then(|f| f.as_str()).unwrap_or("");
            let blob = std::path::Path::new(&path).with_file_name(name);
            return match std::fs::read(&blob) {
                Ok(b) => print_metadata(&b, args.pretty),
                Err(e) => {
                    eprintln!("error: {}: {e}", blob.display());
                    ExitCode::from(2)
                }
            };
        }
        match decode_fixture(&doc, &opts) {
            Ok(fd) => {
                print(&fd.value, args.pretty);
                for e in &fd.errors {
                    report(e);
                }
                if fd.errors.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                report(&e);
                ExitCode::FAILURE
            }
        }
    }
}
