//! `agora`: run an Agora civic network node, migrate its database, check its configuration and
//! administer accounts.

use agora_core::{
    Config,
    kinds::{AccountKind, KindSetter},
};
use agora_service::{
    Context,
    accounts::{self, Role, SignUp},
};
use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// An Agora node: citizen initiatives, petitions and reports over ActivityPub.
///
/// Configuration comes from `agora.toml` in the working directory (or --config / AGORA_CONFIG),
/// then from AGORA_* variables (AGORA_DATABASE__URL, AGORA_INSTANCE__DOMAIN, …). With no file
/// the node runs on defaults: SQLite under ./data, listening on 127.0.0.1:8080.
#[derive(Parser)]
#[command(name = "agora", version, about, long_about = None)]
struct Cli {
    /// Configuration file (TOML). Defaults to ./agora.toml when it exists.
    #[arg(long, global = true, env = "AGORA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the node: HTTP server and delivery worker (creates and migrates the database).
    Serve,
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate,
    /// Configuration commands.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Administration commands.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Petition commands (they need no node of one's own).
    Petition {
        #[command(subcommand)]
        command: PetitionCommand,
    },
}

#[derive(Subcommand)]
enum PetitionCommand {
    /// Check a petition of any Agora node: its checkpoint's signature, every leaf of its
    /// transparency log against the root, the count shown against the count proved, and,
    /// with --since, that the log extends an earlier checkpoint. Exits non-zero on any
    /// inconsistency.
    Verify {
        /// The petition's URL (its ActivityPub id).
        url: String,
        /// A checkpoint saved by an earlier run (--save): the log must extend it.
        #[arg(long)]
        since: Option<PathBuf>,
        /// The node's checkpoint key (signed-note form); by default, its NodeInfo's.
        #[arg(long)]
        key: Option<String>,
        /// Save the checkpoint verified to this file, for a later --since.
        #[arg(long)]
        save: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validate the configuration and print the effective values.
    Check,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account. The password comes from AGORA_PASSWORD, or is asked for.
    CreateUser {
        /// Handle (a–z, 0–9, _).
        name: String,
        /// E-mail address (private; used to log in and confirm).
        #[arg(long)]
        email: String,
        /// Make the account an administrator.
        #[arg(long)]
        admin: bool,
        /// Mark the address as confirmed (no confirmation mail), as `tootctl accounts create
        /// --confirmed` does.
        #[arg(long)]
        confirmed: bool,
    },
    /// Set the role of an account: user, moderator or admin.
    SetRole {
        /// Handle.
        name: String,
        /// user, moderator or admin.
        role: String,
    },
    /// Set the kind of an account: citizen, association, public_body, media or business.
    /// Association, public body and media are recorded as verified today by an administrator.
    SetKind {
        /// Handle.
        name: String,
        /// citizen, association, public_body, media or business.
        kind: String,
    },
    /// Approve an account waiting for approval (registration = "approval").
    Approve {
        /// Handle.
        name: String,
    },
    /// Write an account's archive (Mastodon's layout plus the civic data) to a .zip file.
    ExportUser {
        /// Handle.
        name: String,
        /// Where the archive goes.
        #[arg(long)]
        out: PathBuf,
    },
    /// Delete an account: after the grace period (`limits.deletion_grace_hours`, which its
    /// owner can cancel), or at once with `--now`. `Delete` then goes to every known server.
    DeleteUser {
        /// Handle.
        name: String,
        /// Delete now, without a grace period.
        #[arg(long)]
        now: bool,
    },
    /// Erase what this node holds of another server's actor (`@name@host` or its id): its
    /// posts, follows and interactions; its signatures withdrawn or anonymised.
    PurgeActor {
        /// `@name@host` or the actor's id.
        actor: String,
    },
    /// Show where the database holds a piece of text (a handle, an e-mail address): every
    /// column of every table, searched, case-insensitively. For a person's access request,
    /// and to check that a deletion left nothing.
    FindData {
        /// The text.
        text: String,
    },
    /// For load tests only: open COUNT confirmed accounts PREFIX1…PREFIXn that cannot log in
    /// by password and share one key pair, and write one API token per line to FILE.
    #[command(hide = true)]
    SeedLoadAccounts {
        /// How many accounts.
        count: usize,
        /// Handle prefix.
        #[arg(long, default_value = "load")]
        prefix: String,
        /// Where the tokens go, one per line, in account order.
        #[arg(long)]
        tokens: PathBuf,
    },
}

fn load_config(path: Option<PathBuf>) -> Result<Config> {
    let path = path.or_else(|| {
        let default = PathBuf::from("agora.toml");
        default.exists().then_some(default)
    });
    if let Some(p) = path.as_ref().filter(|p| !p.exists()) {
        bail!("configuration file {} does not exist", p.display());
    }
    Config::load(path.as_deref()).map_err(|e| anyhow::anyhow!("configuration: {e}"))
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AGORA_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,activitypub_federation=warn"));
    // Colours only on a terminal: logs written to files stay greppable.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .init();
}

/// On the first `serve` with no configuration file, writes the effective configuration to
/// `./agora.toml` (readable by the owner only: it may hold a database password), so the admin
/// has a file to edit; `config/agora.example.toml` explains every key.
fn write_first_config(config: &Config) -> Result<()> {
    let path = PathBuf::from("agora.toml");
    let text = format!(
        "# Agora configuration, written on first start with the values then in effect.\n\
         # Every key can be overridden by AGORA_<SECTION>__<KEY>; see config/agora.example.toml.\n\n{}",
        config.to_toml()
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes())?;
    tracing::info!("wrote the configuration in effect to {}", path.display());
    Ok(())
}

/// glibc's malloc serves a large block from the heap of the thread that asks once its dynamic
/// mmap threshold has risen past that size, and keeps it there after it is freed. Each password
/// check takes 19 MiB (Argon2id) on whichever blocking thread runs it: a node that had served
/// 60 log-ins idled at 590 MB. A fixed threshold (`glibc.malloc.mmap_threshold`) keeps large
/// blocks in their own mappings, given back when freed: the same node idles at 29 MB
/// (`tests/bench/load.sh`, docs/benchmarks.md). Two arenas (`glibc.malloc.arena_max`) rather
/// than eight per core keep what small blocks the threads leave behind in fewer places (about
/// 1 MB less after log-ins). Tunables are read when the process starts, so the process starts
/// itself again once with them set; a value the admin set is left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn with_fixed_mmap_threshold() {
    use std::os::unix::process::CommandExt;
    const VAR: &str = "GLIBC_TUNABLES";
    const TUNABLE: &str = "glibc.malloc.mmap_threshold=131072:glibc.malloc.arena_max=2";
    let current = std::env::var(VAR).unwrap_or_default();
    if current.contains("glibc.malloc.mmap_threshold") {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let value = if current.is_empty() {
        TUNABLE.to_string()
    } else {
        format!("{current}:{TUNABLE}")
    };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(exe);
    if let Some(arg0) = args.next() {
        command.arg0(arg0);
    }
    // `exec` returns only when it failed: then run on with glibc's defaults.
    let error = command.args(args).env(VAR, value).exec();
    eprintln!("agora: could not restart with a fixed mmap threshold ({error}); continuing");
}

fn main() -> Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    with_fixed_mmap_threshold();
    let cli = Cli::parse();
    init_tracing();
    let first_run = cli.config.is_none() && !PathBuf::from("agora.toml").exists();
    let config = load_config(cli.config)?;
    if first_run && matches!(cli.command, Command::Serve) {
        write_first_config(&config)?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(cli.command, config))
}

async fn open(config: Config) -> Result<Context> {
    let url = config.database_url();
    tokio::task::spawn_blocking(move || Context::open(config))
        .await?
        .with_context(|| format!("opening the database {url}"))
}

async fn run(command: Command, config: Config) -> Result<()> {
    match command {
        Command::Serve => serve::run(open(config).await?).await,
        Command::Migrate => {
            open(config).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Check,
        } => {
            print!("{}", config.to_toml());
            eprintln!("configuration is valid");
            Ok(())
        }
        Command::Admin { command } => admin(command, open(config).await?).await,
        Command::Petition {
            command:
                PetitionCommand::Verify {
                    url,
                    since,
                    key,
                    save,
                },
        } => {
            verify::run(verify::Verify {
                url,
                since,
                key,
                save,
            })
            .await
        }
    }
}

async fn admin(command: AdminCommand, ctx: Context) -> Result<()> {
    match command {
        AdminCommand::CreateUser {
            name,
            email,
            admin,
            confirmed,
        } => {
            let password = match std::env::var("AGORA_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => rpassword::prompt_password(format!("Password for @{name}: "))
                    .context("reading the password (or set AGORA_PASSWORD)")?,
            };
            let role = if admin { Role::Admin } else { Role::User };
            let signup = SignUp {
                handle: name,
                email: Some(email),
                password,
                display_name: None,
            };
            let opening = if confirmed {
                accounts::Opening::AdminConfirmed
            } else {
                accounts::Opening::Admin
            };
            let (_, actor) = accounts::create_account(&ctx, signup, role, true, opening)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            println!("created {} ({})", actor.acct(), role.as_str());
            Ok(())
        }
        AdminCommand::SeedLoadAccounts {
            count,
            prefix,
            tokens,
        } => {
            let list = agora_service::load_test::seed_accounts(&ctx, &prefix, count, |done| {
                eprint!("\r{done}/{count} accounts");
            })
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            eprintln!();
            std::fs::write(&tokens, list.join("\n") + "\n")
                .with_context(|| format!("writing {}", tokens.display()))?;
            println!("{count} accounts, tokens in {}", tokens.display());
            Ok(())
        }
        AdminCommand::ExportUser { name, out } => {
            let user = agora_service::export::user_id_of(&ctx, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            let size = agora_federation::archive::write(&ctx, user, &out, |percent| {
                let filled = (percent.clamp(0, 100) / 5) as usize;
                eprint!(
                    "\r[{}{}] {percent:>3} %",
                    "#".repeat(filled),
                    " ".repeat(20 - filled)
                );
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!();
            println!("{} ({size} bytes)", out.display());
            Ok(())
        }
        AdminCommand::DeleteUser { name, now } => {
            let due = agora_service::deletion::by_admin(&ctx, &name, now)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            let name = name.trim_start_matches('@');
            match due {
                Some(at) => println!("@{name} will be deleted on {}", at.to_rfc3339()),
                None => println!("@{name} deleted"),
            }
            Ok(())
        }
        AdminCommand::PurgeActor { actor } => {
            agora_service::deletion::purge_remote(&ctx, &actor)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            println!("{actor} purged");
            Ok(())
        }
        AdminCommand::FindData { text } => {
            let found = ctx
                .db
                .run(move |conn| agora_db::data_map::holding(conn, &text))
                .await?;
            for f in &found {
                println!("{}.{}: {} rows", f.table, f.column, f.rows);
            }
            if found.is_empty() {
                println!("nowhere");
            }
            Ok(())
        }
        AdminCommand::SetRole { name, role } => {
            let role = Role::parse(&role)
                .with_context(|| format!("unknown role `{role}`: use user, moderator or admin"))?;
            accounts::set_role(&ctx, &name, role)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            println!("@{} is now {}", name.trim_start_matches('@'), role.as_str());
            Ok(())
        }
        AdminCommand::SetKind { name, kind } => {
            let kind = AccountKind::parse(&kind)
                .filter(|k| *k != AccountKind::Unknown)
                .with_context(|| format!("unknown kind `{kind}`: use citizen, association, public_body, media or business"))?;
            let actor = accounts::set_kind_of(&ctx, &name, kind, KindSetter::Admin, None)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            println!(
                "{} is now {} ({})",
                actor.acct(),
                kind.as_str(),
                actor.actor_type
            );
            Ok(())
        }
        AdminCommand::Approve { name } => {
            accounts::approve(&ctx, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
            println!("@{} is approved", name.trim_start_matches('@'));
            Ok(())
        }
    }
}

mod serve;
mod verify;
