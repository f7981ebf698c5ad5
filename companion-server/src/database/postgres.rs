//! PostgreSQL, the engine for several server replicas. A few worker threads
//! each hold one connection (made on first use, made again after it drops);
//! a piece of work is handed to whichever is free and runs in one
//! transaction there, so callers never hold a connection themselves.
//! Connections are plain TCP (`NoTls`): run the database on loopback or a
//! private network.

use std::str::FromStr;
use std::sync::{mpsc, Arc, Mutex};

use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, Config, NoTls};

use super::{Row, Sql, Value};
use crate::store_error::StoreError;

/// Worker threads, hence connections, per server.
const CONNECTIONS: usize = 8;

type Job = Box<dyn FnOnce(Result<&mut Client, String>) + Send>;

/// A PostgreSQL database reached through a few pooled connections.
#[derive(Clone)]
pub struct PostgresDatabase {
    jobs: Arc<Mutex<mpsc::Sender<Job>>>,
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError::Database(match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        })
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            Value::Int(v) if *ty == Type::BOOL => (*v != 0).to_sql(ty, out),
            Value::Int(v) => v.to_sql(ty, out),
            Value::Text(v) => v.as_str().to_sql(ty, out),
            Value::Bytes(v) => v.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// `?1` parameters as PostgreSQL's `$1`.
fn dollar_parameters(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn row_of(row: &postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?
                .map(|v| Value::Int(v.into()))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?
                .map(|v| Value::Int(v.into()))
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes)
        } else {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

fn parameters(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for postgres::Transaction<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        Ok(postgres::Transaction::execute(
            self,
            dollar_parameters(sql).as_str(),
            &parameters(params),
        )?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        postgres::Transaction::query(self, dollar_parameters(sql).as_str(), &parameters(params))?
            .iter()
            .map(row_of)
            .collect()
    }
}

/// A schema name that needs no quoting: lowercase letters, digits, `_`.
fn valid_schema(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn connect(config: &Config, schema: &Option<String>) -> Result<Client, String> {
    let mut client = config.connect(NoTls).map_err(|e| e.to_string())?;
    if let Some(schema) = schema {
        client
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(client)
}

fn work_loop(config: Config, schema: Option<String>, jobs: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut client: Option<Client> = None;
    loop {
        let job = {
            let receiver = jobs.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match receiver.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        if client.as_ref().is_none_or(Client::is_closed) {
            client = None;
            match connect(&config, &schema) {
                Ok(made) => client = Some(made),
                Err(e) => {
                    job(Err(format!("cannot connect to PostgreSQL: {e}")));
                    continue;
                }
            }
        }
        if let Some(client) = client.as_mut() {
            job(Ok(client));
        }
    }
}

impl PostgresDatabase {
    /// Connect to the database at `url` (`postgres://user:password@host:port/name`),
    /// keeping Repro's tables in `schema` (created if missing; the
    /// connection's default schema when `None`), and bring them up to date.
    pub fn open(url: &str, schema: Option<&str>) -> Result<PostgresDatabase, StoreError> {
        let config = Config::from_str(url)
            .map_err(|e| StoreError::Database(format!("the database URL is not valid: {e}")))?;
        if let Some(name) = schema.filter(|name| !valid_schema(name)) {
            return Err(StoreError::Database(format!(
                "the schema name `{name}` may hold only lowercase letters, digits and _"
            )));
        }
        let schema = schema.map(str::to_string);
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..CONNECTIONS {
            let (config, schema, receiver) = (config.clone(), schema.clone(), receiver.clone());
            std::thread::Builder::new()
                .name(format!("postgres-{n}"))
                .spawn(move || work_loop(config, schema, receiver))
                .map_err(StoreError::Io)?;
        }
        let database = PostgresDatabase {
            jobs: Arc::new(Mutex::new(sender)),
        };
        let schema = super::schema(
            "BIGINT",
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "BYTEA",
        );
        // Columns added since a table was created (PostgreSQL's integers
        // are BIGINT).
        let added: String = super::ADDED_COLUMNS
            .iter()
            .map(|(table, column, kind)| {
                let kind = kind.replace("INTEGER", "BIGINT");
                format!("ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind};\n")
            })
            .collect();
        // Replicas starting together take turns at creating the tables.
        let schema = format!("SELECT pg_advisory_xact_lock(7263487);\n{schema}{added}");
        database.run(move |tx| Ok(tx.batch_execute(&schema)?))?;
        Ok(database)
    }

    pub(super) fn transaction<R: Send + 'static>(
        &self,
        work: impl FnOnce(&mut dyn Sql) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        self.run(move |tx| work(tx))
    }

    /// Run `work` in one transaction on a free connection and wait for it.
    fn run<R: Send + 'static>(
        &self,
        work: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (answer, result) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |client| {
            let outcome = client.map_err(StoreError::Database).and_then(|client| {
                let mut tx = client.transaction()?;
                let value = work(&mut tx)?;
                tx.commit()?;
                Ok(value)
            });
            let _ = answer.send(outcome);
        });
        self.jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .send(job)
            .map_err(|_| StoreError::Database("the database workers stopped".into()))?;
        result
            .recv()
            .map_err(|_| StoreError::Database("a database worker stopped mid-request".into()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered_for_postgres() {
        assert_eq!(
            dollar_parameters("SELECT ?1, ?12 WHERE x = '?'"),
            "SELECT $1, $12 WHERE x = '?'"
        );
    }

    #[test]
    fn schema_names_need_no_quoting() {
        assert!(valid_schema("repro_test_1"));
        assert!(!valid_schema("Repro"));
        assert!(!valid_schema("a; DROP TABLE x"));
        assert!(!valid_schema("1abc"));
    }
}
