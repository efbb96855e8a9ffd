//! A throwaway MariaDB server for end-to-end tests.
//!
//! [`Server::start_or_skip`] finds `mariadb-install-db` (or `mysql_install_db`),
//! `mariadbd` (or `mysqld`, also under `/usr/sbin`) and the `mariadb` (or `mysql`) client,
//! creates a data folder in a fresh temporary folder, and starts the server listening on a
//! Unix socket in that folder and on a random high port of 127.0.0.1, with the grant
//! tables on (the tests check privileges), `utf8mb4` as the server character set, the
//! event scheduler off (the tests call the jobs themselves) and a temporary folder of its
//! own (servers bootstrapped at once in the shared /tmp clash on temporary table names). Dropping the [`Server`]
//! stops it and removes the folder, also when the test panics.
//!
//! As root, the folder is handed to the `mysql` user and the server runs through `runuser
//! -u mysql --` (mariadbd refuses to run as root without `--user`).
//!
//! When MariaDB is not installed, [`Server::start_or_skip`] panics with a message that
//! says how to install it, unless `LAWFUL_SKIP_MARIADB=1` is set: a test that silently
//! skips would hide a CI that lost its MariaDB.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A running throwaway server. Stopped and deleted on drop.
pub struct Server {
    dir: Option<tempfile::TempDir>,
    child: Option<Child>,
    client: PathBuf,
    /// The server's Unix socket.
    pub socket: PathBuf,
    pub port: u16,
}

fn find(names: &[&str]) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.extend(["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"].map(PathBuf::from));
    for n in names {
        for d in &dirs {
            let p = d.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
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

impl Server {
    /// Start a server, or return `None` when MariaDB is missing and
    /// `LAWFUL_SKIP_MARIADB=1`.
    ///
    /// Panics when MariaDB is missing and skipping was not asked for, and when the server
    /// cannot be created or started (with its log).
    pub fn start_or_skip() -> Option<Server> {
        let install = find(&["mariadb-install-db", "mysql_install_db"]);
        let server = find(&["mariadbd", "mysqld"]);
        let client = find(&["mariadb", "mysql"]);
        let (Some(install), Some(server), Some(client)) = (install, server, client) else {
            if std::env::var("LAWFUL_SKIP_MARIADB").as_deref() == Ok("1") {
                eprintln!("MariaDB is not installed; skipped because LAWFUL_SKIP_MARIADB=1");
                return None;
            }
            panic!(
                "MariaDB is not installed: no mariadb-install-db, mariadbd and mariadb client \
                 on PATH or under /usr/sbin.\nInstall it (Debian: `apt-get install -y \
                 mariadb-server mariadb-client`) or set LAWFUL_SKIP_MARIADB=1 to skip the \
                 MariaDB end-to-end tests on purpose."
            );
        };
        match Server::start(&install, &server, &client) {
            Ok(s) => Some(s),
            Err(e) => panic!("could not start a throwaway MariaDB server: {e}"),
        }
    }

    fn start(install: &Path, server: &Path, client: &Path) -> Result<Server, String> {
        let as_mysql = is_root();
        let dir = tempfile::Builder::new()
            .prefix("lawful-mariadb-")
            .tempdir()
            .map_err(|e| format!("temporary folder: {e}"))?;
        let root = dir.path().to_path_buf();
        if as_mysql {
            let o = Command::new("chown")
                .args(["mysql:", &root.to_string_lossy()])
                .output()
                .map_err(|e| format!("chown: {e}"))?;
            if !o.status.success() {
                return Err(format!(
                    "running as root, but the folder could not be handed to the `mysql` user \
                     (does it exist?): {}",
                    text(&o)
                ));
            }
        }
        let cmd = |prog: &Path| {
            if as_mysql {
                let mut c = Command::new("runuser");
                c.args(["-u", "mysql", "--"]).arg(prog);
                c
            } else {
                Command::new(prog)
            }
        };
        let data = root.join("data");
        // A temporary folder of its own: servers bootstrapping at the same time in the
        // shared /tmp clash on their temporary table names.
        let tmp = root.join("tmp");
        std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        if as_mysql {
            let _ = Command::new("chown")
                .args(["mysql:", &tmp.to_string_lossy()])
                .output();
        }
        let o = cmd(install)
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--tmpdir={}", tmp.display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("mariadb-install-db: {e}"))?;
        if !o.status.success() {
            return Err(format!("mariadb-install-db failed: {}", text(&o)));
        }
        let socket = root.join("mariadb.sock");
        let log = root.join("server.log");
        let mut last = String::new();
        // A port taken between the probe and the start makes the start fail: try again.
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| format!("no free port: {e}"))?
                .port();
            let mut child = cmd(server)
                .arg("--no-defaults")
                .arg(format!("--datadir={}", data.display()))
                .arg(format!("--tmpdir={}", tmp.display()))
                .arg(format!("--socket={}", socket.display()))
                .arg(format!("--port={port}"))
                .arg("--bind-address=127.0.0.1")
                .arg(format!("--log-error={}", log.display()))
                .arg(format!("--pid-file={}", root.join("mariadb.pid").display()))
                .args([
                    "--character-set-server=utf8mb4",
                    "--collation-server=utf8mb4_bin",
                    "--event-scheduler=OFF",
                    "--innodb-flush-log-at-trx-commit=0",
                    "--skip-log-bin",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("mariadbd: {e}"))?;
            let started = Instant::now();
            let mut s = Server {
                dir: None,
                child: None,
                client: client.to_path_buf(),
                socket: socket.clone(),
                port,
            };
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if socket.exists() && s.try_sql("", "SELECT 1").is_ok() {
                    s.dir = Some(dir);
                    s.child = Some(child);
                    return Ok(s);
                }
                if started.elapsed() > Duration::from_secs(60) {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            last = format!(
                "mariadbd did not start:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        Err(last)
    }

    fn client_cmd(&self, db: &str, user: Option<(&str, &str)>) -> Command {
        let mut c = Command::new(&self.client);
        c.arg("--no-defaults")
            .arg(format!("--socket={}", self.socket.display()))
            .args(["--batch", "--raw", "--skip-column-names"])
            .arg("--default-character-set=utf8mb4");
        match user {
            Some((u, p)) => {
                c.arg(format!("--user={u}")).arg(format!("--password={p}"));
            }
            None => {
                c.arg("--user=root");
            }
        }
        if !db.is_empty() {
            c.arg(format!("--database={db}"));
        }
        c.env_remove("MYSQL_PWD").env_remove("MYSQL_HOST");
        c
    }

    fn run(&self, mut c: Command, input: &[u8]) -> Result<String, String> {
        use std::io::Write;
        let mut child = c
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("mariadb client: {e}"))?;
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(input)
            .map_err(|e| format!("writing to the client: {e}"))?;
        let o = child
            .wait_with_output()
            .map_err(|e| format!("mariadb client: {e}"))?;
        if o.status.success() {
            Ok(String::from_utf8_lossy(&o.stdout).to_string())
        } else {
            Err(text(&o))
        }
    }

    /// Run SQL as root (statements separated by `;`) in database `db` (`""`: none) and
    /// return the output: one line per row, columns separated by tabs, no header.
    pub fn try_sql(&self, db: &str, sql: &str) -> Result<String, String> {
        self.run(self.client_cmd(db, None), sql.as_bytes())
    }

    /// [`Server::try_sql`], panicking with the statement and the error on failure.
    pub fn sql(&self, db: &str, sql: &str) -> String {
        self.try_sql(db, sql)
            .unwrap_or_else(|e| panic!("SQL failed:\n{sql}\n---\n{e}"))
    }

    /// Run SQL as the user `user` with password `password`.
    pub fn try_sql_as(
        &self,
        user: &str,
        password: &str,
        db: &str,
        sql: &str,
    ) -> Result<String, String> {
        self.run(self.client_cmd(db, Some((user, password))), sql.as_bytes())
    }

    /// Run SQL as `user` with `--force`: statements that fail (a denied privilege) are
    /// skipped and the others run; returns what the successful ones printed.
    pub fn sql_as_forced(&self, user: &str, password: &str, db: &str, sql: &str) -> String {
        use std::io::Write;
        let mut c = self.client_cmd(db, Some((user, password)));
        c.arg("--force");
        let mut child = c
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mariadb client");
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(sql.as_bytes())
            .expect("write to the client");
        let o = child.wait_with_output().expect("mariadb client");
        String::from_utf8_lossy(&o.stdout).to_string()
    }

    /// Run a file of SQL statements through the client, as root; the client reads
    /// `DELIMITER` lines. Err carries the client's message.
    pub fn try_file(&self, db: &str, path: &Path) -> Result<String, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        self.run(self.client_cmd(db, None), &bytes)
    }

    /// [`Server::try_file`], panicking on failure.
    pub fn file(&self, db: &str, path: &Path) -> String {
        self.try_file(db, path)
            .unwrap_or_else(|e| panic!("{} failed:\n{e}", path.display()))
    }

    /// The server log, for messages.
    pub fn log(&self) -> String {
        self.dir
            .as_ref()
            .and_then(|d| std::fs::read_to_string(d.path().join("server.log")).ok())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SHUTDOWN as root; kill if it does not stop in time.
            let _ = self.try_sql("", "SHUTDOWN");
            let started = Instant::now();
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    _ if started.elapsed() > Duration::from_secs(20) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                    _ => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        }
        if let Some(d) = self.dir.take() {
            let _ = d.close();
        }
    }
}
