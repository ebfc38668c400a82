//! Test harness: real `agora` processes on 127.0.0.1, each named `localhost:PORT`, with its own
//! data directory and database (SQLite by default; a fresh PostgreSQL database per node when
//! `AGORA_TEST_DATABASE=postgres://…` is set), driven over HTTP.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

#[allow(unused_imports)]
pub use agora_peer::{mastodon, peer, signing};

use diesel::{Connection, RunQueryDsl};
use serde_json::{Value, json};
use std::{
    collections::HashSet,
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The `http.metrics_token` every test node runs with.
pub const METRICS_TOKEN: &str = "test-metrics-token";

/// The PostgreSQL server to create test databases on, if the suite runs on PostgreSQL.
pub fn postgres_base() -> Option<String> {
    std::env::var("AGORA_TEST_DATABASE")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

/// A port no other node of this test process has had: the kernel may hand the same free port
/// to two quick `bind(0)`s, and two nodes on one port would answer each other's health checks.
pub fn free_port() -> u16 {
    static GIVEN: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if GIVEN
            .lock()
            .unwrap()
            .get_or_insert_with(HashSet::new)
            .insert(port)
        {
            return port;
        }
    }
}

/// One running node.
pub struct Node {
    pub port: u16,
    pub domain: String,
    pub dir: PathBuf,
    pub database_url: String,
    pg_database: Option<String>,
    extra_env: Vec<(String, String)>,
    child: Option<Child>,
    pub http: reqwest::Client,
}

/// A signed-in user of a node.
#[derive(Clone)]
pub struct User {
    pub name: String,
    pub token: String,
    pub acct: String,
    pub uri: String,
}

impl Node {
    /// Starts a node with default test settings.
    pub async fn start() -> Node {
        Node::start_with(&[]).await
    }

    /// Starts a node with extra `AGORA_*` variables.
    pub async fn start_with(extra: &[(&str, &str)]) -> Node {
        // Another program may take the port between our probe and the node's bind: then the node
        // starts again on another one (its name follows its port, so only before its first start).
        for _ in 0..4 {
            let mut node = Node::prepare(extra, free_port());
            match node.try_launch().await {
                Ok(()) => return node,
                Err(log) if log.contains("Address already in use") => continue,
                Err(log) => panic!("agora serve did not start; log:\n{log}"),
            }
        }
        panic!("no free port for a node after 4 tries");
    }

    /// A node's directory, database and settings, not started yet.
    fn prepare(extra: &[(&str, &str)], port: u16) -> Node {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("agora-test-{}-{n}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let (database_url, pg_database) = match postgres_base() {
            Some(base) => {
                let name = format!("agora_test_{}_{n}_{port}", std::process::id());
                let mut admin = diesel::PgConnection::establish(&format!(
                    "{}/postgres",
                    base.trim_end_matches('/')
                ))
                .expect("AGORA_TEST_DATABASE is set but PostgreSQL does not answer");
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
                    .execute(&mut admin)
                    .unwrap();
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .unwrap();
                (format!("{}/{name}", base.trim_end_matches('/')), Some(name))
            }
            None => (format!("sqlite://{}/agora.sqlite3", dir.display()), None),
        };
        Node {
            port,
            domain: format!("localhost:{port}"),
            dir,
            database_url,
            pg_database,
            extra_env: extra
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            child: None,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        }
    }

    /// A command for the `agora` binary with this node's environment.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_agora"));
        cmd.current_dir(&self.dir)
            .env_remove("AGORA_TEST_DATABASE")
            .env("AGORA_DATA_DIR", &self.dir)
            .env("AGORA_DATABASE__URL", &self.database_url)
            .env("AGORA_HTTP__BIND", format!("127.0.0.1:{}", self.port))
            .env("AGORA_INSTANCE__DOMAIN", &self.domain)
            .env("AGORA_INSTANCE__SCHEME", "http")
            .env("AGORA_FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true")
            .env("AGORA_FEDERATION__RETRY_BASE_SECS", "1")
            .env("AGORA_FEDERATION__REQUEST_TIMEOUT_SECS", "5")
            .env("AGORA_HTTP__WORKERS", "2")
            .env("AGORA_HTTP__METRICS_TOKEN", METRICS_TOKEN)
            // Every test signer comes from 127.0.0.1; the limits have their own test.
            .env("AGORA_LIMITS__SIGNATURES_PER_ADDRESS_MINUTE", "10000")
            .env("AGORA_LIMITS__SIGNATURES_PER_ADDRESS_5MIN", "10000")
            .env("AGORA_LOG", "info,activitypub_federation=warn");
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Starts the server process and waits until it answers.
    pub async fn launch(&mut self) {
        if let Err(log) = self.try_launch().await {
            panic!("agora serve did not start; log:\n{log}");
        }
    }

    /// Starts the server process and waits until it serves; the log if it exited instead.
    async fn try_launch(&mut self) -> Result<(), String> {
        assert!(self.child.is_none(), "node already running");
        let logged_before = self.log().len();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("serve.log"))
            .unwrap();
        let child = self
            .command()
            .arg("serve")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("spawn agora serve");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // Only this process says it serves: a health answer alone may come from a stranger.
            let serving = self.log()[logged_before..].contains("agora is serving");
            if serving
                && let Ok(r) = self.http.get(self.url("/health")).send().await
                && r.status().is_success()
            {
                // Fail loudly if the suite meant for PostgreSQL silently ran on SQLite.
                let backend = if self.pg_database.is_some() {
                    "postgres"
                } else {
                    "sqlite"
                };
                assert!(
                    self.log().contains(&format!("database={backend}")),
                    "node is not on {backend}:\n{}",
                    self.log()
                );
                return Ok(());
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                self.child = None;
                return Err(format!("exited with {status}\n{}", self.log()));
            }
            assert!(
                Instant::now() < deadline,
                "node did not start in 60 s; log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the server with SIGKILL: no chance to flush anything.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("serve.log")).unwrap_or_default()
    }

    /// The actor of a simulated remote server follows `target` here, signing as Mastodon signs
    /// with `key` (the follow's id ends in `/follows/{n}`); returns the `Accept` it receives.
    pub async fn remote_follow(&self, peer: &peer::Peer, key: &str, target: &str, n: u32) -> Value {
        let follow = mastodon::follow(&peer.url(&format!("/follows/{n}")), &peer.actor, target);
        let status = signing::post_signed(
            &self.http,
            &format!("{target}/inbox"),
            follow.to_string().as_bytes(),
            &signing::Signed::new(&peer.key_id, key),
        )
        .await;
        assert_eq!(status, 202, "the Follow of {target}");
        eventually(30, "the Accept", || async {
            peer.received()
                .into_iter()
                .find(|a| a["type"] == "Accept" && a["object"]["id"] == follow["id"])
        })
        .await
    }

    /// The node's Prometheus metrics, read with its token.
    pub async fn metrics(&self) -> String {
        let r = self
            .http
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "metrics");
        r.text().await.unwrap()
    }

    /// `http://localhost:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.port)
    }

    /// Creates an account with the CLI and gets an API token; its e-mail address waits for
    /// confirmation (a link in the node's mail folder).
    pub async fn user(&self, name: &str) -> User {
        self.user_with(name, &[]).await
    }

    /// Creates an account whose address the administrator vouched for (`--confirmed`).
    pub async fn confirmed_user(&self, name: &str) -> User {
        self.user_with(name, &["--confirmed"]).await
    }

    async fn user_with(&self, name: &str, flags: &[&str]) -> User {
        let email = format!("{name}@example.org");
        let out = self
            .command()
            .args(["admin", "create-user", name, "--email", &email])
            .args(flags)
            .env("AGORA_PASSWORD", "correct horse battery")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "create-user failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = self.token(name, "correct horse battery").await;
        User {
            name: name.into(),
            token,
            acct: format!("@{name}@{}", self.domain),
            uri: self.url(&format!("/users/{name}")),
        }
    }

    /// Every mail written to the node's mail folder so far.
    pub fn mails(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.join("mail"))
            .map(|dir| {
                dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .map(|t| t.replace("=\r\n", "").replace("=3D", "="))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The confirmation link in the newest mail written to the node's mail folder.
    pub fn confirmation_link(&self) -> String {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.join("mail"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        files.sort_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap());
        let text = std::fs::read_to_string(files.last().unwrap()).unwrap();
        let text = text.replace("=\r\n", "").replace("=3D", "=");
        let start = text.find("http://").unwrap();
        text[start..].split_whitespace().next().unwrap().to_string()
    }

    /// A bearer token for a user name and password (panics on failure).
    pub async fn token(&self, name: &str, password: &str) -> String {
        let r = self
            .post_json(
                "/api/v1/auth/token",
                None,
                &json!({"username": name, "password": password}),
            )
            .await;
        assert_eq!(r.0, 200, "token: {}", r.1);
        r.1["token"].as_str().unwrap().to_string()
    }

    /// POSTs JSON; returns (status, JSON body or Null).
    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        let mut req = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Sends a request with a JSON body and a method.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// GETs JSON with an optional token.
    pub async fn get_json(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// The home timeline of a user.
    pub async fn timeline(&self, user: &User) -> Vec<Value> {
        let (status, body) = self
            .get_json("/api/v1/timelines/home?limit=40", Some(&user.token))
            .await;
        assert_eq!(status, 200, "{body}");
        body.as_array().unwrap().clone()
    }

    /// `user` follows `target` (`@name@host`); returns the follow.
    pub async fn follow(&self, user: &User, target: &str) -> Value {
        let (status, body) = self
            .post_json(
                "/api/v1/follows",
                Some(&user.token),
                &json!({ "target": target }),
            )
            .await;
        assert_eq!(status, 201, "follow: {body}");
        body
    }

    /// Waits until `user`'s newest follow is accepted.
    pub async fn wait_accepted(&self, user: &User) {
        eventually(30, "the follow accepted", || async {
            let (_, list) = self.get_json("/api/v1/follows", Some(&user.token)).await;
            (list[0]["state"] == "accepted").then_some(())
        })
        .await;
    }

    /// A cookie-keeping browser client signed in as `name` through the log-in form.
    pub async fn browser_login(&self, name: &str) -> reqwest::Client {
        let web = browser();
        let html = web
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf(&html);
        let form = [
            ("username", name),
            ("password", "correct horse battery"),
            ("csrf", token.as_str()),
        ];
        let r = web
            .post(self.url("/login"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "log-in of {name}");
        web
    }

    /// `by` (a moderator or administrator) sets the kind of the account `handle`.
    pub async fn set_kind(&self, by: &User, handle: &str, kind: &str) -> (u16, Value) {
        let path = format!("/api/v1/admin/accounts/{handle}/kind");
        self.send_json(
            reqwest::Method::POST,
            &path,
            &by.token,
            Some(&json!({ "kind": kind })),
        )
        .await
    }

    /// `user` declares its own kind.
    pub async fn declare_kind(&self, user: &User, kind: &str) -> (u16, Value) {
        self.send_json(
            reqwest::Method::PATCH,
            "/api/v1/accounts/me",
            &user.token,
            Some(&json!({ "account_kind": kind })),
        )
        .await
    }

    /// Waits for the first follow request to `user`, accepts or rejects it, and returns it.
    pub async fn answer_next_request(&self, user: &User, accept: bool) -> Value {
        let request = eventually(30, "a follow request", || async {
            let (_, list) = self
                .get_json("/api/v1/follow_requests", Some(&user.token))
                .await;
            list.as_array().and_then(|l| l.first().cloned())
        })
        .await;
        let id = request["id"].as_i64().unwrap();
        let verb = if accept { "accept" } else { "reject" };
        let path = format!("/api/v1/follow_requests/{id}/{verb}");
        let (status, body) = self
            .send_json(reqwest::Method::POST, &path, &user.token, None)
            .await;
        assert_eq!(status, 204, "{verb}: {body}");
        request
    }

    /// Publishes a post; returns it.
    pub async fn post(&self, user: &User, content: &str) -> Value {
        let (status, body) = self
            .post_json(
                "/api/v1/posts",
                Some(&user.token),
                &json!({ "content": content }),
            )
            .await;
        assert_eq!(status, 201, "post: {body}");
        body
    }

    /// The private and public keys of a local user, read from the node's own database (to sign
    /// as that user, or to lend them to a simulated remote actor).
    /// Runs an `agora admin …` command against the node's database; it must succeed.
    pub fn admin(&self, args: &[&str]) {
        let out = self.command().arg("admin").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "agora admin {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts a petition as `user` from `defaults` with `extra`'s fields laid over them;
    /// gives its API view.
    pub async fn start_petition(&self, user: &User, defaults: Value, extra: Value) -> Value {
        let mut body = defaults;
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, view) = self
            .post_json("/api/v1/petitions", Some(&user.token), &body)
            .await;
        assert_eq!(status, 201, "{view}");
        view
    }

    /// Runs SQL on the node's database behind its back (tests that tamper with it); it must
    /// change something. Returns once the node shows it: what it shows of a petition may be
    /// up to `MAX_AGE` older than a change made by another process.
    pub fn tamper(&self, sql: &str) {
        let db = self.db();
        let mut conn = db.get().unwrap();
        let changed = diesel::sql_query(sql).execute(&mut *conn).unwrap();
        assert!(changed > 0, "nothing changed: {sql}");
        std::thread::sleep(agora_service::petition_views::MAX_AGE + Duration::from_millis(100));
    }

    /// A fresh confirmed user's key pair (private, public), to lend to a simulated server.
    pub async fn keys_of_new_user(&self, name: &str) -> (String, String) {
        self.confirmed_user(name).await;
        self.keys(name)
    }

    pub fn keys(&self, name: &str) -> (String, String) {
        let db = self.db();
        let mut conn = db.get().unwrap();
        let actor = agora_db::actors::local_by_username(&mut conn, name)
            .unwrap()
            .unwrap();
        (actor.private_key_pem.unwrap(), actor.public_key_pem)
    }

    /// Asks for an archive by POSTing to `path` (`/api/v1/export`, or an initiative's export)
    /// as `user` (it must be taken: 202), waits until it is built, and downloads it.
    pub async fn archive(&self, user: &User, path: &str) -> Vec<u8> {
        let (status, asked) = self.post_json(path, Some(&user.token), &json!({})).await;
        assert_eq!(status, 202, "{path}: {asked}");
        eventually(60, "the archive", || async {
            let (_, e) = self
                .get_json(
                    &format!("/api/v1/export/{}", asked["id"]),
                    Some(&user.token),
                )
                .await;
            (e["status"] == "ready").then_some(())
        })
        .await;
        self.http
            .get(self.url(&format!("/api/v1/export/{}/archive", asked["id"])))
            .bearer_auth(&user.token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec()
    }

    /// Runs `agora petition verify` on a petition from an empty folder, as anyone would; it
    /// must succeed. Gives what it printed.
    pub fn verify_log(&self, uri: &str) -> String {
        let dir = self.dir.join("verifier");
        std::fs::create_dir_all(&dir).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_agora"))
            .current_dir(&dir)
            .args(["petition", "verify", uri])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{text}");
        text
    }

    /// Starts an initiative `handle` named `name`, organized by `organizer`.
    pub async fn initiative(&self, organizer: &User, handle: &str, name: &str) -> Value {
        let (status, body) = self
            .post_json(
                "/api/v1/initiatives",
                Some(&organizer.token),
                &json!({"handle": handle, "name": name, "description": "<p>Un jardin.</p>"}),
            )
            .await;
        assert_eq!(status, 201, "initiative: {body}");
        body
    }

    /// The storage of this node, opened directly (to read keys for forged requests, count rows).
    pub fn db(&self) -> agora_db::Db {
        agora_db::Db::open(&self.database_url, 2).unwrap()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill9();
        if std::thread::panicking() {
            eprintln!("--- log of node {} ---\n{}", self.domain, self.log());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        if let (Some(base), Some(name)) = (postgres_base(), &self.pg_database)
            && let Ok(mut admin) =
                diesel::PgConnection::establish(&format!("{}/postgres", base.trim_end_matches('/')))
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// RFC 3339 time `days` from now (negative: in the past).
pub fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

/// A client that keeps cookies and does not follow redirects, as a test browser.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The body of a page fetched with `client` (panics if it cannot be fetched).
pub async fn html(client: &reqwest::Client, url: impl reqwest::IntoUrl) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// The body of a page fetched with `client` by a browser whose languages are `lang` (an
/// `Accept-Language` value).
pub async fn html_in(client: &reqwest::Client, url: impl reqwest::IntoUrl, lang: &str) -> String {
    let r = client.get(url).header("accept-language", lang).send().await;
    r.unwrap().text().await.unwrap()
}

/// A JSON document fetched with `client`, asking for `accept` (`application/activity+json`
/// for an ActivityPub object).
pub async fn json_as(client: &reqwest::Client, url: impl reqwest::IntoUrl, accept: &str) -> Value {
    let r = client.get(url).header("accept", accept).send().await;
    r.unwrap().json().await.unwrap()
}

/// A URI as one URL-encoded path segment or query value.
pub fn encoded(uri: &str) -> String {
    url::form_urlencoded::byte_serialize(uri.as_bytes()).collect()
}

/// The value of the first hidden `csrf` field of a page.
pub fn csrf(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("a form with a csrf field")
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Polls `check` until it returns `Some`, or panics after `secs` seconds with `what`.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {secs} s waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `user` signs petition `id` (its number, or its encoded URI for another server's).
pub async fn sign(node: &Node, user: &User, id: &str) -> (u16, Value) {
    node.send_json(
        reqwest::Method::POST,
        &format!("/api/v1/petitions/{id}/signatures"),
        &user.token,
        Some(&json!({})),
    )
    .await
}

/// Petition `id` as the API shows it to anyone; it must be there.
pub async fn petition_view(node: &Node, id: &str) -> Value {
    let (status, view) = node
        .get_json(&format!("/api/v1/petitions/{id}"), None)
        .await;
    assert_eq!(status, 200, "{view}");
    view
}

/// `user` uploads `data` as the file `name` (of type `mime`) to `POST /api/v1/imports`, with
/// these text fields.
pub async fn upload_import(
    node: &Node,
    user: &User,
    fields: &[(&str, &str)],
    (name, mime): (&str, &str),
    data: Vec<u8>,
) -> (u16, Value) {
    use reqwest::multipart::{Form, Part};
    let file = Part::bytes(data)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let mut form = Form::new();
    for (field, value) in fields {
        form = form.text(field.to_string(), value.to_string());
    }
    let form = form.part("data", file);
    let r = node
        .http
        .post(node.url("/api/v1/imports"))
        .bearer_auth(&user.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}
