//! `repro-server`: the companion server's command line.
//!
//! ```text
//! repro-server serve --listen 127.0.0.1:8080 --data ./data [--assets dist/viewer] [--public-url URL]
//! repro-server token create --data ./data [--label NAME]
//! ```
//! Every option may also come from the environment or a settings file (see
//! `repro_server::settings`): `--part-bytes N` is `REPRO_PART_BYTES=N`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use repro_server::connections::ConnectionLimits;
use repro_server::housekeeping::{self, Ages};
use repro_server::rate_limit::RateLimiter;
use repro_server::settings::Settings;
use repro_server::{app, PendingUploads, ServerState, Store};

fn parse_options(args: &[String]) -> Result<Settings, String> {
    Settings::parse(
        args,
        |name| std::env::var(name).ok(),
        |path| std::fs::read_to_string(path),
    )
}

const USAGE: &str = "usage:
  repro-server serve --listen ADDR:PORT --data FOLDER [--assets FOLDER] [--public-url URL] [--secret-scan on|off]
                     [--part-bytes N] [--upload-expiry-hours H] [--retention-days D] [--rate-limit N] [--config FILE]
                     [--database-url postgres://… [--database-schema NAME]]
                     [--s3-endpoint URL --s3-bucket NAME --s3-access-key ID --s3-secret-key KEY [--s3-region R] [--s3-prefix P/]]
                     [--issue-repository OWNER/NAME|URL] [--webhooks URL[,URL…]]
  repro-server token create --data FOLDER [--label NAME] [--admin]
  repro-server token list --data FOLDER
  repro-server token revoke NUMBER --data FOLDER
  repro-server report revoke ID --data FOLDER
  repro-server check --data FOLDER [--repair]";

/// Whether `switch` (a flag without a value) is in `args`, and the other arguments.
fn take_switch(args: &[String], switch: &str) -> (bool, Vec<String>) {
    let rest: Vec<String> = args.iter().filter(|a| *a != switch).cloned().collect();
    (rest.len() < args.len(), rest)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["serve", ..] => parse_options(&args[1..]).and_then(serve),
        ["token", "create", ..] => {
            let (admin, rest) = take_switch(&args[2..], "--admin");
            parse_options(&rest).and_then(|o| create_token(o, admin))
        }
        ["token", "list", ..] => parse_options(&args[2..]).and_then(list_tokens),
        ["token", "revoke", number, ..] => {
            let number = number
                .parse::<i64>()
                .map_err(|_| format!("`{number}` is not a token number (see `token list`)"));
            number.and_then(|n| parse_options(&args[3..]).and_then(|o| revoke_token(o, n)))
        }
        ["check", ..] => {
            let (repair, rest) = take_switch(&args[1..], "--repair");
            parse_options(&rest).and_then(|o| check_store(o, repair))
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

fn create_token(options: Settings, admin: bool) -> Result<(), String> {
    repro_server::store::check_token_label(&options.label)?;
    let token = open_store(&options)?
        .create_token_with(&options.label, admin)
        .map_err(|e| e.to_string())?;
    println!("Created an upload token. It is shown only this once; paste it into the extension's options:");
    println!("{token}");
    Ok(())
}

fn open_store(options: &Settings) -> Result<Store, String> {
    let backends = options.backends()?;
    Store::open_with(&options.data, &backends).map_err(|e| {
        if backends == Default::default() {
            format!("cannot open the store in {}: {e}", options.data.display())
        } else {
            format!("cannot open the store: {e}")
        }
    })
}

fn list_tokens(options: Settings) -> Result<(), String> {
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

fn revoke_token(options: Settings, number: i64) -> Result<(), String> {
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

fn check_store(options: Settings, repair: bool) -> Result<(), String> {
    let store = open_store(&options)?;
    let findings = repro_server::integrity::check(&store, repair).map_err(|e| e.to_string())?;
    for problem in &findings.problems {
        println!("problem: {problem}");
    }
    for id in &findings.orphans {
        let done = if findings.young_orphans.contains(id) {
            "written less than an hour ago, perhaps by an upload in progress: left alone"
        } else if repair {
            "deleted"
        } else {
            "delete with --repair"
        };
        println!(
            "orphan blob (no report names it; {done}): {}",
            store.blob_location(id)
        );
    }
    for sha256 in &findings.orphan_assets {
        let done = if findings.young_orphan_assets.contains(sha256) {
            "written less than an hour ago, perhaps by an upload in progress: left alone"
        } else if repair {
            "deleted"
        } else {
            "delete with --repair"
        };
        println!("orphan asset blob (no asset row names it; {done}): {sha256}");
    }
    println!(
        "{} report(s) checked, {} problem(s), {} orphan blob(s)",
        findings.reports,
        findings.problems.len(),
        findings.orphans.len()
    );
    println!(
        "{} asset(s) checked, {} orphan asset blob(s)",
        findings.assets,
        findings.orphan_assets.len()
    );
    if findings.is_sound() {
        Ok(())
    } else {
        Err("the store has problems (listed above)".into())
    }
}

fn revoke_report(options: Settings, id: &str) -> Result<(), String> {
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

fn serve(options: Settings) -> Result<(), String> {
    let store = open_store(&options)?;
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
    let pending = PendingUploads::new(store.database());
    let described = store.describe();
    let state = ServerState {
        public_url: options.public_url.clone(),
        scan_secrets: options.scan_secrets,
        part_bytes: options.part_bytes,
        rate_limit: Arc::new(RateLimiter::new(options.rate_limit_per_minute)),
        issue_repository: options.issue_repository.clone(),
        webhooks: Arc::new(repro_server::webhooks::Webhooks::new(
            options.webhooks.clone(),
        )),
        ..ServerState::new(store, pending, options.assets.clone())
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&options.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        println!(
            "Repro server listening on http://{address} (data: {}; {described})",
            options.data.display()
        );
        repro_server::json_log::event(
            "info",
            "settings",
            serde_json::json!({ "settings": options.describe() }),
        );
        let ages = Ages {
            unfinished_upload: Duration::from_secs(options.upload_expiry_hours * 3600),
            report: options
                .retention_days
                .map(|days| Duration::from_secs(days * 86_400)),
        };
        tokio::spawn(housekeeping::run(
            state.store.clone(),
            state.pending.clone(),
            ages,
        ));
        let limits = ConnectionLimits::new(options.max_connections);
        repro_server::connections::serve(listener, app(state), limits, shutdown_signal()).await;
        Ok(())
    })
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
