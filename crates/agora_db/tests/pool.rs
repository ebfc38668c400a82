//! The pool on a real PostgreSQL server: a connection the server closed (a restart, an admin,
//! an idle timeout) is found out and replaced before a caller uses it, even though a
//! connection handed back a moment ago is not tested.
#![allow(missing_docs, clippy::unwrap_used)]

use agora_db::{Db, DbError};
use diesel::{Connection, QueryableByName, RunQueryDsl, sql_types::Integer};
use std::time::Duration;

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

/// The PostgreSQL server of the suite (`AGORA_TEST_DATABASE`, or the local one the README's
/// setup starts): this behaviour only exists with a server.
fn server() -> String {
    std::env::var("AGORA_TEST_DATABASE")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432".into())
        .trim_end_matches('/')
        .to_string()
}

fn admin() -> diesel::PgConnection {
    diesel::PgConnection::establish(&format!("{}/postgres", server()))
        .expect("PostgreSQL on 127.0.0.1:5432 (bash tests/setup.sh starts it)")
}

async fn backend_pid(db: &Db) -> Result<i32, DbError> {
    db.run(|conn| {
        Ok::<_, DbError>(
            diesel::sql_query("SELECT pg_backend_pid() AS pid")
                .get_result::<Pid>(conn)?
                .pid,
        )
    })
    .await
}

fn terminate(pid: i32) {
    diesel::sql_query(format!("SELECT pg_terminate_backend({pid})"))
        .execute(&mut admin())
        .unwrap();
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced() {
    let name = format!("agora_pool_{}", std::process::id());
    let mut admin = admin();
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    // One connection, so every call gets the same one back.
    let db = Db::open(&format!("{}/{name}", server()), 1).unwrap();

    // Closed while idle: tested before the next use, and replaced.
    let first = backend_pid(&db).await.unwrap();
    terminate(first);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let second = backend_pid(&db).await.expect("a fresh connection");
    assert_ne!(first, second);

    // Closed just after use: the call that meets it fails (nothing could know), and the
    // connection is tested before the call after it, and replaced.
    terminate(second);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        backend_pid(&db).await.is_err(),
        "the closed connection answered"
    );
    let third = backend_pid(&db)
        .await
        .expect("a fresh connection after the failure");
    assert_ne!(second, third);
    assert_eq!(
        backend_pid(&db).await.unwrap(),
        third,
        "a good connection is kept"
    );

    drop(db);
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
}
