//! The scale-out backends for the server tests: a throwaway PostgreSQL
//! cluster (Debian's package; its own data folder, a loopback port, password
//! authentication) and an S3-compatible server (`s3s-fs`, from crates.io)
//! over a temporary folder with one bucket. Both stop and their folders go
//! when [`Services`] is dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The running services and how to reach them, as `REPRO_*` variables.
pub struct Services {
    postgres_data: PathBuf,
    pg_ctl: PathBuf,
    as_postgres_user: bool,
    s3: Child,
    s3_root: PathBuf,
    /// `REPRO_DATABASE_URL`, `REPRO_S3_*`: what an operator would set; and
    /// `REPRO_TEST_STORE_FOLDERS`, where the two keep their bytes on disk
    /// (for the browser tests that search every stored byte for secrets).
    pub environment: Vec<(String, String)>,
}

/// A port nothing listens on now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn wait_for_port(port: u16, what: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("{what} did not start listening on port {port}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Debian's PostgreSQL programs (`/usr/lib/postgresql/<version>/bin`).
pub fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Run a PostgreSQL program, as the `postgres` user when we are root
/// (PostgreSQL refuses to run as root).
fn postgres_program(as_postgres_user: bool, program: &Path, args: &[&str]) -> Result<(), String> {
    let mut command = if as_postgres_user {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let output = command
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not start {}: {e}", program.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} {} failed: {}{}",
            program.display(),
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn random_hex() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}{:x}", nanos, std::process::id())
}

impl Services {
    /// Start PostgreSQL and the S3 server.
    pub fn start() -> Result<Services, String> {
        let bin =
            postgres_bin().ok_or("PostgreSQL is not installed (cargo xtask install-test-deps)")?;
        let as_postgres_user = is_root();
        let base = std::env::temp_dir().join(format!("repro-services-{}", std::process::id()));
        let postgres_data = base.join("postgres");
        let s3_root = base.join("s3");
        std::fs::create_dir_all(&postgres_data).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(s3_root.join("repro-test")).map_err(|e| e.to_string())?;
        let password = random_hex();
        let password_file = base.join("pg-password");
        std::fs::write(&password_file, &password).map_err(|e| e.to_string())?;
        if as_postgres_user {
            let chown = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&base)
                .status()
                .map_err(|e| e.to_string())?;
            if !chown.success() {
                return Err(format!(
                    "could not give {} to the postgres user",
                    base.display()
                ));
            }
        }
        let data = postgres_data.to_string_lossy().to_string();
        postgres_program(
            as_postgres_user,
            &bin.join("initdb"),
            &[
                "-D",
                &data,
                "-U",
                "repro",
                "-A",
                "scram-sha-256",
                &format!("--pwfile={}", password_file.display()),
                "--no-sync",
            ],
        )?;
        let port = free_port()?;
        postgres_program(
            as_postgres_user,
            &bin.join("pg_ctl"),
            &[
                "-D",
                &data,
                "-o",
                &format!("-p {port} -k {data} -c listen_addresses=127.0.0.1"),
                "-l",
                &format!("{data}/server.log"),
                "-w",
                "start",
            ],
        )?;
        let s3_port = free_port()?;
        let s3_secret = random_hex();
        let s3 = Command::new("s3s-fs")
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &s3_port.to_string(),
                "--access-key",
                "repro-test",
                "--secret-key",
                &s3_secret,
            ])
            .arg(&s3_root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start s3s-fs (cargo xtask install-test-deps): {e}"))?;
        let store_folders = format!("{data}:{}", s3_root.display());
        let services = Services {
            postgres_data,
            pg_ctl: bin.join("pg_ctl"),
            as_postgres_user,
            s3,
            s3_root,
            environment: vec![
                (
                    "REPRO_DATABASE_URL".into(),
                    format!("postgres://repro:{password}@127.0.0.1:{port}/postgres"),
                ),
                (
                    "REPRO_S3_ENDPOINT".into(),
                    format!("http://127.0.0.1:{s3_port}"),
                ),
                ("REPRO_S3_BUCKET".into(), "repro-test".into()),
                ("REPRO_S3_REGION".into(), "us-east-1".into()),
                ("REPRO_S3_ACCESS_KEY".into(), "repro-test".into()),
                ("REPRO_S3_SECRET_KEY".into(), s3_secret),
                ("REPRO_TEST_STORE_FOLDERS".into(), store_folders),
            ],
        };
        wait_for_port(port, "PostgreSQL")?;
        wait_for_port(s3_port, "s3s-fs")?;
        Ok(services)
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        let _ = self.s3.kill();
        let _ = self.s3.wait();
        let data = self.postgres_data.to_string_lossy().to_string();
        let _ = postgres_program(
            self.as_postgres_user,
            &self.pg_ctl,
            &["-D", &data, "-m", "immediate", "stop"],
        );
        if let Some(base) = self.s3_root.parent() {
            let _ = std::fs::remove_dir_all(base);
        }
    }
}
