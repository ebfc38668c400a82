//! The `agora` command line: help, configuration errors that name their key, commands on a
//! fresh data directory.
#![allow(missing_docs, clippy::unwrap_used)]

use std::process::Command;

fn agora(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agora"));
    cmd.current_dir(dir)
        .env_remove("AGORA_TEST_DATABASE")
        .env("AGORA_DATA_DIR", dir.join("data"));
    cmd
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("agora-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn help_lists_every_command() {
    let out = agora(&temp("help")).arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for word in ["serve", "migrate", "config", "admin", "petition"] {
        assert!(text.contains(word), "{text}");
    }
    let out = agora(&temp("help2"))
        .args(["admin", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("create-user") && text.contains("set-role"),
        "{text}"
    );
}

#[test]
fn config_errors_name_the_key() {
    let dir = temp("config");
    let out = agora(&dir)
        .args(["config", "check"])
        .env("AGORA_INSTANCE__SCHEME", "ftp")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("instance.scheme"));
    let out = agora(&dir)
        .args(["config", "check"])
        .env("AGORA_HTTP__BIND", "nowhere")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("http.bind"));
    std::fs::write(
        dir.join("agora.toml"),
        "[instance]\ndomian = \"typo.example\"\n",
    )
    .unwrap();
    let out = agora(&dir).args(["config", "check"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("domian"));
    std::fs::write(
        dir.join("agora.toml"),
        "[instance]\ndomain = \"civic.example\"\n",
    )
    .unwrap();
    let out = agora(&dir).args(["config", "check"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("domain = \"civic.example\""));
    let out = agora(&dir)
        .args(["--config", "missing.toml", "config", "check"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[test]
fn commands_work_on_a_fresh_data_directory() {
    let dir = temp("fresh");
    let out = agora(&dir).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("data/agora.sqlite3").exists());

    let dir = temp("fresh2");
    let out = agora(&dir)
        .args([
            "admin",
            "create-user",
            "root_admin",
            "--email",
            "r@example.org",
            "--admin",
        ])
        .env("AGORA_PASSWORD", "long enough pw")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = agora(&dir)
        .args([
            "admin",
            "create-user",
            "Bad Name",
            "--email",
            "b@example.org",
        ])
        .env("AGORA_PASSWORD", "long enough pw")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("handle"));
    let out = agora(&dir)
        .args(["admin", "set-role", "root_admin", "moderator"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = agora(&dir)
        .args(["admin", "set-role", "root_admin", "emperor"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    let out = agora(&dir)
        .args(["admin", "set-kind", "root_admin", "public_body"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("public_body (Organization)"));
    let out = agora(&dir)
        .args(["admin", "set-kind", "root_admin", "emperor"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown kind"));
    let out = agora(&dir)
        .args(["admin", "set-role", "ghost", "admin"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
