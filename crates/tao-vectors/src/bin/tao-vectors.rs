//! `tao-vectors <dir-or-file>...`: run every vector file found (recursively) through the native
//! engine. Prints one line per failed check and ends with `N passed, M failed`. Exit status 1 on
//! any failure or unreadable file. `--quiet-pass` is implied; `--list` prints every outcome.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for e in entries {
            collect(&e.path(), files)?;
        }
    } else if path.extension().is_some_and(|e| e == "json") {
        files.push(path.to_path_buf());
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut list = false;
    let mut roots = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--list" => list = true,
            _ => roots.push(PathBuf::from(a)),
        }
    }
    if roots.is_empty() {
        eprintln!("usage: tao-vectors [--list] <dir-or-file>...");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for r in &roots {
        if let Err(e) = collect(r, &mut files) {
            eprintln!("error: cannot read {}: {e}", r.display());
            return ExitCode::from(2);
        }
    }
    let (mut passed, mut failed, mut bad_files) = (0usize, 0usize, 0usize);
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                println!("{}: cannot read: {e}", f.display());
                bad_files += 1;
                continue;
            }
        };
        // Files a fixture names (metadata blobs) sit beside it; plain names only.
        let dir = f.parent().map(Path::to_path_buf).unwrap_or_default();
        let load = |name: &str| {
            let plain = !name.is_empty() && !name.contains(['/', '\\']) && name != "..";
            plain.then(|| std::fs::read(dir.join(name)).ok()).flatten()
        };
        match tao_vectors::run_file_with(&text, &load) {
            Ok(report) => {
                for o in &report.outcomes {
                    if !o.passed || list {
                        println!(
                            "{} {} | case {} | field {} | expected {} | actual {}",
                            if o.passed { "PASS" } else { "FAIL" },
                            f.display(),
                            o.case,
                            o.field,
                            o.expected,
                            o.actual
                        );
                    }
                }
                passed += report.passed();
                failed += report.failed();
            }
            Err(e) => {
                println!("FAIL {} | file | {e}", f.display());
                bad_files += 1;
            }
        }
    }
    if files.is_empty() {
        println!("no vector files found under {roots:?}");
        bad_files += 1;
    }
    failed += bad_files;
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
