//! A throwaway PostgreSQL cluster for end-to-end tests.
//!
//! [`Cluster::start`] finds `initdb`, `pg_ctl` and `psql` (under `$LAWFUL_PG_BIN`, else the
//! newest `/usr/lib/postgresql/*/bin`, else `PATH`), creates a cluster in a fresh temporary
//! folder, and starts it listening only on a Unix socket in that folder and on a random
//! high port of 127.0.0.1. Dropping the [`Cluster`] stops the server and removes the
//! folder, also when the test panics.
//!
//! `initdb` refuses to run as root, so as root the folder is handed to the `postgres` user
//! and the server programs run through `runuser -u postgres --`.
//!
//! When PostgreSQL is not installed, [`Cluster::start_or_skip`] panics with a message that
//! says how to install it, unless `LAWFUL_SKIP_PG=1` is set: a test that silently skips
//! would hide a CI that lost its PostgreSQL.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A running throwaway cluster. Stopped and deleted on drop.
pub struct Cluster {
    bin: PathBuf,
    dir: Option<tempfile::TempDir>,
    /// Folder of the Unix socket (the temporary folder itself).
    pub socket_dir: PathBuf,
    pub port: u16,
    as_postgres: bool,
    running: bool,
}

/// The folder that holds `initdb`, `pg_ctl` and `psql`, if PostgreSQL is installed.
pub fn find_bin_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("LAWFUL_PG_BIN") {
        let d = PathBuf::from(d);
        return d.join("initdb").is_file().then_some(d);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p).find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

impl Cluster {
    /// Start a cluster, or return `None` when PostgreSQL is missing and `LAWFUL_SKIP_PG=1`.
    ///
    /// Panics when PostgreSQL is missing and skipping was not asked for, and when the
    /// cluster cannot be created or started (with the server log).
    pub fn start_or_skip() -> Option<Cluster> {
        let Some(bin) = find_bin_dir() else {
            if std::env::var("LAWFUL_SKIP_PG").as_deref() == Ok("1") {
                eprintln!("PostgreSQL is not installed; skipped because LAWFUL_SKIP_PG=1");
                return None;
            }
            panic!(
                "PostgreSQL is not installed: no initdb/pg_ctl under /usr/lib/postgresql/*/bin, \
                 $LAWFUL_PG_BIN or PATH.\nInstall it (Debian: `apt-get install -y postgresql`) \
                 or set LAWFUL_SKIP_PG=1 to skip the end-to-end database tests on purpose."
            );
        };
        match Cluster::start(&bin) {
            Ok(c) => Some(c),
            Err(e) => panic!("could not start a throwaway PostgreSQL cluster: {e}"),
        }
    }

    fn start(bin: &Path) -> Result<Cluster, String> {
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("lawful-pg-")
            .tempdir()
            .map_err(|e| format!("temporary folder: {e}"))?;
        let socket_dir = dir.path().to_path_buf();
        if as_postgres {
            let o = Command::new("chown")
                .args(["postgres:", &socket_dir.to_string_lossy()])
                .output()
                .map_err(|e| format!("chown: {e}"))?;
            if !o.status.success() {
                return Err(format!(
                    "running as root, but the folder could not be handed to the `postgres` \
                     user (does it exist?): {}",
                    text(&o)
                ));
            }
        }
        let mut c = Cluster {
            bin: bin.to_path_buf(),
            dir: Some(dir),
            socket_dir,
            port: 0,
            as_postgres,
            running: false,
        };
        let data = c.socket_dir.join("data");
        let o = c
            .server_cmd("initdb")
            .args(["-D", &data.to_string_lossy()])
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"])
            .arg("--no-sync")
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !o.status.success() {
            return Err(format!("initdb failed: {}", text(&o)));
        }
        // A port taken between the probe and the start makes the start fail: try again.
        let mut last = String::new();
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| format!("no free port: {e}"))?
                .port();
            let opts = format!(
                "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={} \
                 -c fsync=off -c full_page_writes=off -c synchronous_commit=off{}",
                c.socket_dir.display(),
                EXTRA.with(|e| e.borrow().clone())
            );
            let log = c.socket_dir.join("server.log");
            let o = c
                .server_cmd("pg_ctl")
                .args(["-D", &data.to_string_lossy(), "-l", &log.to_string_lossy()])
                .args(["-o", &opts, "-w", "-t", "60", "start"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("pg_ctl: {e}"))?;
            if o.status.success() {
                c.port = port;
                c.running = true;
                return Ok(c);
            }
            last = format!(
                "pg_ctl start failed: {}\n{}",
                text(&o),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        Err(last)
    }

    /// A server program (`initdb`, `pg_ctl`), run as `postgres` when we are root.
    fn server_cmd(&self, prog: &str) -> Command {
        let path = self.bin.join(prog);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn psql_cmd(&self, db: &str) -> Command {
        let psql = if self.bin.join("psql").is_file() {
            self.bin.join("psql")
        } else {
            PathBuf::from("psql")
        };
        let mut c = Command::new(psql);
        c.args(["-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1"])
            .args(["-h", &self.socket_dir.to_string_lossy()])
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", db])
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .env("PGCONNECT_TIMEOUT", "10")
            .env("PGOPTIONS", "-c client_min_messages=warning")
            .stdin(Stdio::null());
        c
    }

    /// Run SQL (one or more statements, in one implicit transaction) and return the
    /// unaligned, tuples-only output: one line per row, columns separated by `|`.
    pub fn try_sql(&self, db: &str, sql: &str) -> Result<String, String> {
        let o = self
            .psql_cmd(db)
            .args(["-c", sql])
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if o.status.success() {
            Ok(String::from_utf8_lossy(&o.stdout).to_string())
        } else {
            Err(text(&o))
        }
    }

    /// [`Cluster::try_sql`], panicking with the statement and the error on failure.
    pub fn sql(&self, db: &str, sql: &str) -> String {
        self.try_sql(db, sql)
            .unwrap_or_else(|e| panic!("SQL failed:\n{sql}\n---\n{e}"))
    }

    /// Run a file of SQL statements with `ON_ERROR_STOP`; Err carries psql's message.
    pub fn try_file(&self, db: &str, path: &Path) -> Result<String, String> {
        let o = self
            .psql_cmd(db)
            .arg("-f")
            .arg(path)
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if o.status.success() {
            Ok(String::from_utf8_lossy(&o.stdout).to_string())
        } else {
            Err(text(&o))
        }
    }

    /// [`Cluster::try_file`], panicking on failure.
    pub fn file(&self, db: &str, path: &Path) -> String {
        self.try_file(db, path)
            .unwrap_or_else(|e| panic!("{} failed:\n{e}", path.display()))
    }

    /// Path of the server log, for messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.socket_dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            let data = self.socket_dir.join("data");
            let _ = self
                .server_cmd("pg_ctl")
                .args([
                    "-D",
                    &data.to_string_lossy(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            self.running = false;
        }
        // TempDir removes the folder (root may remove the postgres-owned files).
        if let Some(d) = self.dir.take() {
            let _ = d.close();
        }
    }
}

impl Cluster {
    /// [`Cluster::start_or_skip`] with extra server settings (`-c name=value`), such as
    /// `shared_preload_libraries`. A setting the server refuses (a library that is not
    /// installed) makes the start fail; then the cluster is started without the settings.
    pub fn start_with_or_skip(settings: &[(&str, &str)]) -> Option<Cluster> {
        let bin = find_bin_dir()?;
        let extra: String = settings
            .iter()
            .map(|(k, v)| format!(" -c {k}={v}"))
            .collect();
        EXTRA.with(|e| *e.borrow_mut() = extra);
        let c = Cluster::start(&bin);
        EXTRA.with(|e| e.borrow_mut().clear());
        match c {
            Ok(c) => Some(c),
            Err(_) => Cluster::start_or_skip(),
        }
    }

    /// Run a file of SQL statements without `ON_ERROR_STOP`: every statement runs, and the
    /// output (errors included) is returned.
    pub fn try_file_lenient(&self, db: &str, path: &Path) -> String {
        let mut c = self.psql_cmd(db);
        c.args(["-v", "ON_ERROR_STOP=0", "-f"]).arg(path);
        c.output().map(|o| text(&o)).unwrap_or_default()
    }
}

thread_local! {
    /// Extra `-c` settings for the next [`Cluster::start`] on this thread.
    static EXTRA: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}
