//! The server's settings, from four layers, each overriding the one before:
//! the defaults, a settings file (`--config FILE` or `REPRO_CONFIG`), the
//! environment, and the command line. Every setting has one name in each:
//! `--part-bytes 4096` on the command line is `REPRO_PART_BYTES=4096` in the
//! environment and in the file (one per line, `#` starts a comment; the
//! same format as a systemd `EnvironmentFile`). [`Settings::describe`] says
//! what is in force with secrets redacted, for the log.

use std::path::PathBuf;

use crate::blobs::S3Settings;
use crate::store::Backends;

/// Everything `repro-server` can be told. Its `Debug` leaves out the
/// database URL (it may hold a password) and the S3 secret key.
#[derive(Clone, PartialEq)]
pub struct Settings {
    /// Address to listen on.
    pub listen: String,
    /// Folder of the embedded store.
    pub data: PathBuf,
    /// Folder of the viewer's assets.
    pub assets: PathBuf,
    /// Public base URL of share links (else taken from each request's Host).
    pub public_url: Option<String>,
    /// Label of a token being created.
    pub label: String,
    /// Refuse bundles that still carry a secret shape.
    pub scan_secrets: bool,
    /// Part size of uploads in parts, in bytes.
    pub part_bytes: usize,
    /// Unfinished uploads in parts are deleted after this many hours.
    pub upload_expiry_hours: u64,
    /// Reports are deleted this many days after upload; `None` keeps them.
    pub retention_days: Option<u64>,
    /// Upload requests one token may make per minute (parts count each).
    pub rate_limit_per_minute: u32,
    /// Connections served at once; `None` follows the open-file limit.
    pub max_connections: Option<usize>,
    /// PostgreSQL URL for metadata (else SQLite in `data`).
    pub database_url: Option<String>,
    /// PostgreSQL schema for Repro's tables.
    pub database_schema: Option<String>,
    /// S3 endpoint for blobs (else `bundles/` in `data`), bucket, region,
    /// keys and key prefix.
    pub s3: S3Settings,
    /// The repository the viewer's "new issue" buttons open: `owner/name`
    /// (on github.com or gitlab.com) or the repository's `https://` address.
    pub issue_repository: Option<String>,
    /// Addresses a new report's issue is POSTed to, as JSON.
    pub webhooks: Vec<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data", &self.data)
            .field("assets", &self.assets)
            .field("public_url", &self.public_url)
            .field("label", &self.label)
            .field("scan_secrets", &self.scan_secrets)
            .field("part_bytes", &self.part_bytes)
            .field("upload_expiry_hours", &self.upload_expiry_hours)
            .field("retention_days", &self.retention_days)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("max_connections", &self.max_connections)
            .field(
                "database_url",
                &self.database_url.as_ref().map(|_| "[redacted]"),
            )
            .field("database_schema", &self.database_schema)
            .field("s3", &self.s3)
            .field("issue_repository", &self.issue_repository)
            .field("webhooks", &self.webhooks.len())
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            data: PathBuf::from("data"),
            assets: PathBuf::from("dist/viewer"),
            public_url: None,
            label: String::new(),
            scan_secrets: true,
            part_bytes: crate::DEFAULT_PART_BYTES,
            upload_expiry_hours: 24,
            retention_days: None,
            rate_limit_per_minute: 600,
            max_connections: None,
            database_url: None,
            database_schema: None,
            s3: S3Settings {
                region: "us-east-1".into(),
                ..S3Settings::default()
            },
            issue_repository: None,
            webhooks: Vec::new(),
        }
    }
}

/// Every setting's name, as a flag without its `--`.
const NAMES: &[&str] = &[
    "listen",
    "data",
    "assets",
    "public-url",
    "label",
    "secret-scan",
    "part-bytes",
    "upload-expiry-hours",
    "retention-days",
    "rate-limit",
    "max-connections",
    "database-url",
    "database-schema",
    "s3-endpoint",
    "s3-bucket",
    "s3-region",
    "s3-access-key",
    "s3-secret-key",
    "s3-prefix",
    "issue-repository",
    "webhooks",
];

/// `part-bytes` → `REPRO_PART_BYTES`.
fn variable(name: &str) -> String {
    format!("REPRO_{}", name.to_uppercase().replace('-', "_"))
}

fn number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{name} takes a whole number, not `{text}`"))
}

impl Settings {
    /// Set `name` (a flag without `--`) to `value`; `origin` names where it came from, for errors.
    fn set(&mut self, name: &str, value: &str, origin: &str) -> Result<(), String> {
        let what = format!("{origin} {name}");
        match name {
            "listen" => self.listen = value.to_string(),
            "data" => self.data = PathBuf::from(value),
            "assets" => self.assets = PathBuf::from(value),
            "public-url" => self.public_url = Some(value.to_string()),
            "label" => self.label = value.to_string(),
            "secret-scan" => {
                self.scan_secrets = match value {
                    "on" => true,
                    "off" => false,
                    other => return Err(format!("{what} takes on or off, not `{other}`")),
                }
            }
            "part-bytes" => self.part_bytes = number(&what, value)?,
            "upload-expiry-hours" => self.upload_expiry_hours = number(&what, value)?,
            "retention-days" => {
                self.retention_days = match number(&what, value)? {
                    0 => None,
                    days => Some(days),
                }
            }
            "rate-limit" => self.rate_limit_per_minute = number(&what, value)?,
            "max-connections" => {
                self.max_connections = match number(&what, value)? {
                    0 => None,
                    n => Some(n),
                }
            }
            "database-url" => self.database_url = Some(value.to_string()),
            "database-schema" => self.database_schema = Some(value.to_string()),
            "s3-endpoint" => self.s3.endpoint = value.to_string(),
            "s3-bucket" => self.s3.bucket = value.to_string(),
            "s3-region" => self.s3.region = value.to_string(),
            "s3-access-key" => self.s3.access_key = value.to_string(),
            "s3-secret-key" => self.s3.secret_key = value.to_string(),
            "s3-prefix" => self.s3.prefix = value.to_string(),
            "issue-repository" => {
                let value = value.trim().trim_end_matches('/');
                let is_address = value.starts_with("https://") || value.starts_with("http://");
                let is_name = value.split('/').count() >= 2
                    && value.split('/').all(|part| {
                        !part.is_empty()
                            && part
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                    });
                if !(is_address || is_name) {
                    return Err(format!(
                        "{what} takes owner/name or the repository's https:// address, not `{value}`"
                    ));
                }
                self.issue_repository = Some(value.to_string());
            }
            "webhooks" => {
                let urls: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_string)
                    .collect();
                if let Some(bad) = urls
                    .iter()
                    .find(|u| !(u.starts_with("https://") || u.starts_with("http://")))
                {
                    return Err(format!(
                        "{what} takes http:// or https:// addresses, separated by commas, not `{bad}`"
                    ));
                }
                self.webhooks = urls;
            }
            other => return Err(format!("unknown option {origin}{other}")),
        }
        Ok(())
    }

    /// Read the layers: `args` (flags and values), `env` (the environment),
    /// and the settings file `--config` or `REPRO_CONFIG` names, read by `read_file`.
    pub fn parse(
        args: &[String],
        env: impl Fn(&str) -> Option<String>,
        read_file: impl Fn(&str) -> std::io::Result<String>,
    ) -> Result<Settings, String> {
        let mut settings = Settings::default();
        let flag_file = args
            .iter()
            .position(|a| a == "--config")
            .map(|at| {
                args.get(at + 1)
                    .cloned()
                    .ok_or_else(|| "--config needs a value".to_string())
            })
            .transpose()?;
        if let Some(path) = flag_file.or_else(|| env("REPRO_CONFIG")) {
            let text = read_file(&path)
                .map_err(|e| format!("cannot read the settings file {path}: {e}"))?;
            for (number, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let origin = format!("{path}:{}:", number + 1);
                let (key, value) = line
                    .split_once('=')
                    .ok_or_else(|| format!("{origin} expected REPRO_NAME=value, got `{line}`"))?;
                let value = value.trim().trim_matches('"');
                let name = NAMES
                    .iter()
                    .find(|n| variable(n) == key.trim())
                    .ok_or_else(|| format!("{origin} unknown setting {}", key.trim()))?;
                settings.set(name, value, &origin)?;
            }
        }
        for name in NAMES {
            if let Some(value) = env(&variable(name)) {
                settings.set(name, &value, &format!("{}:", variable(name)))?;
            }
        }
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            let Some(name) = flag.strip_prefix("--") else {
                return Err(format!("unexpected `{flag}`"));
            };
            let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
            if name != "config" {
                settings.set(name, value, "--")?;
            }
        }
        Ok(settings)
    }

    /// Where the store keeps metadata and blobs: a PostgreSQL URL and an S3
    /// bucket when given (every S3 setting but the prefix and region is then
    /// needed), else the data folder.
    pub fn backends(&self) -> Result<Backends, String> {
        let s3 = &self.s3;
        let s3 = if s3.endpoint.is_empty() {
            if !(s3.bucket.is_empty() && s3.access_key.is_empty() && s3.secret_key.is_empty()) {
                return Err(
                    "S3 settings were given without --s3-endpoint (REPRO_S3_ENDPOINT)".into(),
                );
            }
            None
        } else {
            let missing: Vec<&str> = [
                ("--s3-bucket", &s3.bucket),
                ("--s3-access-key", &s3.access_key),
                ("--s3-secret-key", &s3.secret_key),
            ]
            .iter()
            .filter(|(_, value)| value.is_empty())
            .map(|(name, _)| *name)
            .collect();
            if !missing.is_empty() {
                return Err(format!(
                    "with --s3-endpoint, also give {}",
                    missing.join(", ")
                ));
            }
            Some(s3.clone())
        };
        Ok(Backends {
            database_url: self.database_url.clone(),
            database_schema: self.database_schema.clone(),
            s3,
        })
    }

    /// The settings in force, one line, with secrets (passwords in URLs, the S3 secret key) redacted.
    pub fn describe(&self) -> String {
        let database = match &self.database_url {
            Some(url) => format!(
                "{} schema={}",
                redact_url(url),
                self.database_schema.as_deref().unwrap_or("(default)")
            ),
            None => "(SQLite in data)".into(),
        };
        let blobs = if self.s3.endpoint.is_empty() {
            "(folder in data)".into()
        } else {
            format!(
                "{} bucket={} region={} prefix={} access-key={} secret-key=***",
                redact_url(&self.s3.endpoint),
                self.s3.bucket,
                self.s3.region,
                self.s3.prefix,
                self.s3.access_key
            )
        };
        format!(
            "listen={} data={} assets={} public-url={} secret-scan={} part-bytes={} upload-expiry-hours={} retention-days={} rate-limit={}/min max-connections={} database={database} blobs={blobs} issue-repository={} webhooks={}",
            self.listen,
            self.data.display(),
            self.assets.display(),
            self.public_url.as_deref().map_or("(from each request's Host)".into(), redact_url),
            if self.scan_secrets { "on" } else { "off" },
            self.part_bytes,
            self.upload_expiry_hours,
            self.retention_days.map_or("(keep reports)".into(), |d| d.to_string()),
            self.rate_limit_per_minute,
            self.max_connections
                .map_or("(from the open-file limit)".into(), |n| n.to_string()),
            self.issue_repository.as_deref().unwrap_or("(none)"),
            // (A webhook's path may be its secret: the count only.)
            self.webhooks.len(),
        )
    }
}

/// `https://user:secret@host/` → `https://user:***@host/`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn debug_output_never_shows_the_database_password_or_the_s3_secret() {
        let settings = Settings::parse(
            &args(&[
                "--database-url",
                "postgres://repro:db-Password-Qq7@db.test/repro",
                "--s3-endpoint",
                "http://127.0.0.1:9000",
                "--s3-bucket",
                "b",
                "--s3-access-key",
                "access",
                "--s3-secret-key",
                "s3-Secret-Key-Ww3",
            ]),
            |_| None,
            |_| Err(std::io::Error::other("no file")),
        )
        .unwrap();
        let shown = format!("{settings:?}");
        assert!(!shown.contains("db-Password-Qq7"), "{shown}");
        assert!(!shown.contains("s3-Secret-Key-Ww3"), "{shown}");
        assert!(shown.contains("http://127.0.0.1:9000"));
    }

    #[test]
    fn flags_override_the_environment_which_overrides_the_file() {
        let file = "# team server\nREPRO_PART_BYTES=4096\nREPRO_LISTEN = \"0.0.0.0:80\"\nREPRO_RETENTION_DAYS=30\n";
        let env = |name: &str| (name == "REPRO_LISTEN").then(|| "127.0.0.1:9000".to_string());
        let settings = Settings::parse(
            &args(&["--config", "/etc/repro.env", "--part-bytes", "2048"]),
            env,
            |path| {
                assert_eq!(path, "/etc/repro.env");
                Ok(file.to_string())
            },
        )
        .unwrap();
        assert_eq!(settings.part_bytes, 2048);
        assert_eq!(settings.listen, "127.0.0.1:9000");
        assert_eq!(settings.retention_days, Some(30));
        assert_eq!(settings.rate_limit_per_minute, 600);
    }

    #[test]
    fn mistakes_say_where_they_are() {
        let none = |_: &str| None;
        let file = |_: &str| Ok("REPRO_PART_BYTES=lots\n".to_string());
        let error = Settings::parse(&args(&["--config", "s.env"]), none, file).unwrap_err();
        assert_eq!(
            error,
            "s.env:1: part-bytes takes a whole number, not `lots`"
        );
        let file = |_: &str| Ok("REPRO_COLOUR=blue\n".to_string());
        let error = Settings::parse(&args(&["--config", "s.env"]), none, file).unwrap_err();
        assert_eq!(error, "s.env:1: unknown setting REPRO_COLOUR");
        let error = Settings::parse(&args(&["--colour", "blue"]), none, file).unwrap_err();
        assert_eq!(error, "unknown option --colour");
        let env = |name: &str| (name == "REPRO_SECRET_SCAN").then(|| "maybe".to_string());
        let error = Settings::parse(&[], env, file).unwrap_err();
        assert_eq!(
            error,
            "REPRO_SECRET_SCAN: secret-scan takes on or off, not `maybe`"
        );
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact_url("https://ops:hunter2@repro.example/base"),
            "https://ops:***@repro.example/base"
        );
        assert_eq!(redact_url("https://repro.example"), "https://repro.example");
        let settings = Settings {
            public_url: Some("https://a:b@c".into()),
            ..Settings::default()
        };
        assert!(!settings.describe().contains(":b@"));
        let settings = Settings::parse(
            &args(&[
                "--database-url",
                "postgres://repro:pg-secret@db/repro",
                "--s3-endpoint",
                "http://s3:9000",
                "--s3-bucket",
                "reports",
                "--s3-access-key",
                "AK",
                "--s3-secret-key",
                "s3-secret",
            ]),
            |_| None,
            |_| Ok(String::new()),
        )
        .unwrap();
        let described = settings.describe();
        assert!(!described.contains("pg-secret") && !described.contains("s3-secret"));
        assert!(described.contains("bucket=reports"));
        assert!(settings.backends().unwrap().s3.is_some());
    }

    #[test]
    fn s3_settings_come_whole() {
        let parse =
            |list: &[&str]| Settings::parse(&args(list), |_| None, |_| Ok(String::new())).unwrap();
        assert_eq!(
            parse(&["--s3-endpoint", "http://s3:9000", "--s3-bucket", "b"])
                .backends()
                .unwrap_err(),
            "with --s3-endpoint, also give --s3-access-key, --s3-secret-key"
        );
        assert!(parse(&["--s3-bucket", "b"]).backends().is_err());
        assert_eq!(parse(&[]).backends().unwrap(), Backends::default());
    }
}
