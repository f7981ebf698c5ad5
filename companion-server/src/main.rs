//! `repro-server`: the companion server's command line.
//!
//! ```text
//! repro-server serve --listen 127.0.0.1:8080 --data ./data [--assets dist/viewer] [--public-url URL]
//! repro-server token create --data ./data [--label NAME]
//! ```
//! Each option may also come from the environment: `REPRO_LISTEN`,
//! `REPRO_DATA`, `REPRO_ASSETS`, `REPRO_PUBLIC_URL`, `REPRO_SECRET_SCAN`
//! (`--secret-scan on|off`: refuse uploads that still carry a secret shape;
//! on by default), `REPRO_PART_BYTES` (`--part-bytes N`: the part size of
//! uploads in parts, 1 MiB by default), `REPRO_UPLOAD_EXPIRY_HOURS`
//! (`--upload-expiry-hours H`: unfinished uploads in parts are deleted after
//! H hours, 24 by default).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use repro_server::{app, PendingUploads, ServerState, Store, DEFAULT_PART_BYTES};

struct Options {
    listen: String,
    data: PathBuf,
    assets: PathBuf,
    public_url: Option<String>,
    label: String,
    scan_secrets: bool,
    part_bytes: usize,
    upload_expiry_hours: u64,
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} takes a whole number, not `{text}`"))
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let env = |name: &str| std::env::var(name).ok();
    let mut options = Options {
        listen: env("REPRO_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into()),
        data: PathBuf::from(env("REPRO_DATA").unwrap_or_else(|| "data".into())),
        assets: PathBuf::from(env("REPRO_ASSETS").unwrap_or_else(|| "dist/viewer".into())),
        public_url: env("REPRO_PUBLIC_URL"),
        label: String::new(),
        scan_secrets: env("REPRO_SECRET_SCAN").as_deref() != Some("off"),
        part_bytes: match env("REPRO_PART_BYTES") {
            Some(text) => number("REPRO_PART_BYTES", &text)?,
            None => DEFAULT_PART_BYTES,
        },
        upload_expiry_hours: match env("REPRO_UPLOAD_EXPIRY_HOURS") {
            Some(text) => number("REPRO_UPLOAD_EXPIRY_HOURS", &text)?,
            None => 24,
        },
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => options.listen = value()?,
            "--data" => options.data = PathBuf::from(value()?),
            "--assets" => options.assets = PathBuf::from(value()?),
            "--public-url" => options.public_url = Some(value()?),
            "--label" => options.label = value()?,
            "--secret-scan" => {
                options.scan_secrets = match value()?.as_str() {
                    "on" => true,
                    "off" => false,
                    other => return Err(format!("--secret-scan takes on or off, not {other}")),
                }
            }
            "--part-bytes" => options.part_bytes = number(flag, &value()?)?,
            "--upload-expiry-hours" => options.upload_expiry_hours = number(flag, &value()?)?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

const USAGE: &str = "usage:
  repro-server serve --listen ADDR:PORT --data FOLDER [--assets FOLDER] [--public-url URL] [--secret-scan on|off]
                     [--part-bytes N] [--upload-expiry-hours H]
  repro-server token create --data FOLDER [--label NAME]
  repro-server token list --data FOLDER
  repro-server token revoke NUMBER --data FOLDER
  repro-server report revoke ID --data FOLDER";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["serve", ..] => parse_options(&args[1..]).and_then(serve),
        ["token", "create", ..] => parse_options(&args[2..]).and_then(create_token),
        ["token", "list", ..] => parse_options(&args[2..]).and_then(list_tokens),
        ["token", "revoke", number, ..] => {
            let number = number
                .parse::<i64>()
                .map_err(|_| format!("`{number}` is not a token number (see `token list`)"));
            number.and_then(|n| parse_options(&args[3..]).and_then(|o| revoke_token(o, n)))
        }
        ["report", "revoke", id, ..] => {
            let id = id.to_string();
            parse_options(&args[3..]).and_then(|o| revoke_report(o, &id))
        }
        _ => Err(USAGE.to_string()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("repro-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn create_token(options: Options) -> Result<(), String> {
    let store = Store::open(&options.data)
        .map_err(|e| format!("cannot open the store in {}: {e}", options.data.display()))?;
    let token = store
        .create_token(&options.label)
        .map_err(|e| e.to_string())?;
    println!("Created an upload token. It is shown only this once; paste it into the extension's options:");
    println!("{token}");
    Ok(())
}

fn open_store(options: &Options) -> Result<Store, String> {
    Store::open(&options.data)
        .map_err(|e| format!("cannot open the store in {}: {e}", options.data.display()))
}

fn list_tokens(options: Options) -> Result<(), String> {
    let tokens = open_store(&options)?
        .list_tokens()
        .map_err(|e| e.to_string())?;
    println!(
        "{:>6}  {:<8}  {:>7}  {:<24}  label",
        "number", "state", "reports", "created (Unix ms)"
    );
    for token in tokens {
        let state = if token.revoked { "revoked" } else { "active" };
        println!(
            "{:>6}  {:<8}  {:>7}  {:<24}  {}",
            token.id, state, token.reports, token.created_at, token.label
        );
    }
    Ok(())
}

fn revoke_token(options: Options, number: i64) -> Result<(), String> {
    match open_store(&options)?.revoke_token(number) {
        Ok(()) => {
            println!("Token {number} is revoked: uploads with it are refused from now on.");
            Ok(())
        }
        Err(repro_server::StoreError::NotFound) => Err(format!(
            "there is no token number {number} (see `token list`)"
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn revoke_report(options: Options, id: &str) -> Result<(), String> {
    if !repro_manifest::is_valid_bundle_id(id) {
        return Err(format!(
            "`{id}` is not a report id (the 32 hex digits after /r/ in the link)"
        ));
    }
    match open_store(&options)?.revoke_report(id) {
        Ok(()) => {
            println!("Report {id} is revoked: its link answers 410 Gone from now on.");
            Ok(())
        }
        Err(repro_server::StoreError::NotFound) => Err(format!("there is no report {id}")),
        Err(e) => Err(e.to_string()),
    }
}

fn serve(options: Options) -> Result<(), String> {
    let store = Store::open(&options.data)
        .map_err(|e| format!("cannot open the store in {}: {e}", options.data.display()))?;
    if !options.assets.join("viewer.js").exists() {
        eprintln!(
            "warning: no viewer assets in {} (build them with `cargo xtask build`); share links will not replay",
            options.assets.display()
        );
    }
    if !(1024..=64 * 1024 * 1024).contains(&options.part_bytes) {
        return Err(format!(
            "--part-bytes must be between 1024 and 67108864, not {}",
            options.part_bytes
        ));
    }
    let pending_folder = options.data.join("uploads");
    let pending = PendingUploads::open(&pending_folder)
        .map_err(|e| format!("cannot open {}: {e}", pending_folder.display()))?;
    let state = ServerState {
        store: Arc::new(store),
        assets: options.assets,
        public_url: options.public_url,
        limits: repro_manifest::Limits::default(),
        scan_secrets: options.scan_secrets,
        pending: Arc::new(pending),
        part_bytes: options.part_bytes,
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&options.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        println!(
            "Repro server listening on http://{address} (store: {})",
            options.data.display()
        );
        tokio::spawn(expire_unfinished_uploads(
            state.pending.clone(),
            options.upload_expiry_hours,
        ));
        axum::serve(listener, app(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    })
}

/// Delete unfinished uploads older than `hours`, now and every few minutes.
async fn expire_unfinished_uploads(pending: Arc<PendingUploads>, hours: u64) {
    let max_age_ms = (hours * 3_600_000) as i64;
    let every = std::time::Duration::from_millis((max_age_ms as u64 / 4).clamp(1_000, 600_000));
    loop {
        let pending = pending.clone();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        if let Ok(removed @ 1..) =
            tokio::task::spawn_blocking(move || pending.expire(now - max_age_ms)).await
        {
            eprintln!("expired {removed} unfinished upload(s) older than {hours} h");
        }
        tokio::time::sleep(every).await;
    }
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}
