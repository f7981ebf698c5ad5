//! Running other programs, loudly: each command is echoed, and a failure says
//! which command failed and how.

use std::path::Path;
use std::process::Command;

/// Run `program args` in `dir`, inheriting the terminal; fail unless it exits 0.
pub fn run(program: &str, args: &[&str], dir: &Path) -> Result<(), String> {
    run_with_env(program, args, dir, &[])
}

/// [`run`] with `env` added to the environment (its values are not echoed:
/// they may hold passwords).
pub fn run_with_env(
    program: &str,
    args: &[&str],
    dir: &Path,
    env: &[(String, String)],
) -> Result<(), String> {
    let names: Vec<&str> = env.iter().map(|(name, _)| name.as_str()).collect();
    match names.is_empty() {
        true => eprintln!("+ {program} {}", args.join(" ")),
        false => eprintln!("+ {} {program} {}", names.join(" "), args.join(" ")),
    }
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir)
        .status()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Does `program` run at all (found on PATH)?
pub fn exists(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}
