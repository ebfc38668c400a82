//! Concurrency on a real database: workers never claim the same job, a worker that dies leaves
//! its jobs to be claimed again once the lease ends, and requests meeting the same new remote
//! actor at once both succeed.
//! Runs on SQLite, or on a fresh PostgreSQL database when `AGORA_TEST_DATABASE` is set.
#![allow(missing_docs, clippy::unwrap_used)]

use agora_db::{
    Db,
    jobs::{self, NewJob},
};
use diesel::{Connection, ExpressionMethods, RunQueryDsl};
use std::collections::HashMap;

fn fresh_db(name: &str) -> Db {
    match std::env::var("AGORA_TEST_DATABASE")
        .ok()
        .filter(|u| u.starts_with("postgres"))
    {
        Some(base) => {
            let base = base.trim_end_matches('/');
            let db = format!("agora_queue_{}_{name}", std::process::id());
            let mut admin = diesel::PgConnection::establish(&format!("{base}/postgres")).unwrap();
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
                .execute(&mut admin)
                .unwrap();
            diesel::sql_query(format!("CREATE DATABASE {db}"))
                .execute(&mut admin)
                .unwrap();
            let opened = Db::open(&format!("{base}/{db}"), 8).unwrap();
            assert_eq!(opened.backend_name(), "postgres");
            opened
        }
        None => {
            let dir =
                std::env::temp_dir().join(format!("agora-queue-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            Db::open(&format!("sqlite://{}/q.sqlite3", dir.display()), 8).unwrap()
        }
    }
}

#[test]
fn concurrent_workers_claim_each_job_once() {
    let db = fresh_db("claims");
    let new: Vec<NewJob> = (0..300)
        .map(|i| NewJob {
            kind: "deliver".into(),
            payload: format!("{{\"n\":{i}}}"),
            target_domain: Some("x.example".into()),
        })
        .collect();
    jobs::enqueue(&mut db.get().unwrap(), &new).unwrap();

    let handles: Vec<_> = (0..4)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                let worker = format!("worker-{w}");
                loop {
                    let mut conn = db.get().unwrap();
                    let batch =
                        jobs::claim(&mut conn, &worker, 7, chrono::Duration::minutes(5)).unwrap();
                    if batch.is_empty() {
                        break;
                    }
                    for job in batch {
                        mine.push(job.payload.clone());
                        assert!(jobs::complete(&mut conn, job.id, &worker).unwrap());
                    }
                }
                mine
            })
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for h in handles {
        for p in h.join().unwrap() {
            *seen.entry(p).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), 300, "every job ran");
    assert!(seen.values().all(|&n| n == 1), "no job ran twice");
    assert_eq!(jobs::count(&mut db.get().unwrap()).unwrap(), 0);
}

#[test]
fn a_dead_workers_jobs_come_back_after_the_lease() {
    let db = fresh_db("lease");
    let mut conn = db.get().unwrap();
    jobs::enqueue(
        &mut conn,
        &[NewJob {
            kind: "deliver".into(),
            payload: "{}".into(),
            target_domain: None,
        }],
    )
    .unwrap();
    // Claimed with a lease that has already run out: as if its worker died mid-job.
    let first = jobs::claim(&mut conn, "dead", 10, chrono::Duration::seconds(-1)).unwrap();
    assert_eq!(first.len(), 1);
    let again = jobs::claim(&mut conn, "alive", 10, chrono::Duration::minutes(5)).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    // Held by a live lease, it is not handed out.
    assert!(
        jobs::claim(&mut conn, "other", 10, chrono::Duration::minutes(5))
            .unwrap()
            .is_empty()
    );
    // The dead worker no longer holds it: it may neither finish nor reschedule it.
    assert!(!jobs::complete(&mut conn, again[0].id, "dead").unwrap());
    assert!(!jobs::reschedule(&mut conn, again[0].id, "dead", agora_db::now(), "late").unwrap());
    assert!(!jobs::renew(&mut conn, again[0].id, "dead", agora_db::now()).unwrap());
    assert!(
        jobs::renew(
            &mut conn,
            again[0].id,
            "alive",
            agora_db::now() + chrono::Duration::minutes(10)
        )
        .unwrap()
    );
    // A failed job waits for its retry time.
    assert!(
        jobs::reschedule(
            &mut conn,
            again[0].id,
            "alive",
            agora_db::now() + chrono::Duration::hours(1),
            "boom",
        )
        .unwrap()
    );
    assert!(
        jobs::claim(&mut conn, "other", 10, chrono::Duration::minutes(5))
            .unwrap()
            .is_empty()
    );
    // Once rescheduled, nobody holds it: the next claim does.
    assert!(!jobs::reschedule(&mut conn, again[0].id, "alive", agora_db::now(), "x").unwrap());
    diesel::update(agora_db::schema::jobs::table)
        .set(agora_db::schema::jobs::run_at.eq(agora_db::now() - chrono::Duration::seconds(1)))
        .execute(&mut *conn)
        .unwrap();
    assert_eq!(
        jobs::claim(&mut conn, "other", 10, chrono::Duration::minutes(5))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_server_dies_only_after_failing_for_long_and_revives_on_success() {
    use agora_db::instances;
    let db = fresh_db("dead");
    let mut conn = db.get().unwrap();
    // A burst of failures during a short outage does not kill it.
    for _ in 0..30 {
        assert!(
            !instances::record_failure(
                &mut conn,
                "down.example:8080",
                10,
                chrono::Duration::hours(1)
            )
            .unwrap()
        );
    }
    let record = instances::get(&mut conn, "down.example:8080")
        .unwrap()
        .unwrap();
    assert_eq!(record.failure_count, 30);
    assert!(record.dead_since.is_none() && record.failing_since.is_some());
    // Failing long enough (here: no minimum) and often enough, it is dead.
    for n in 1..=10 {
        let dead =
            instances::record_failure(&mut conn, "gone.example", 10, chrono::Duration::zero())
                .unwrap();
        assert_eq!(dead, n >= 10, "after {n} failures");
    }
    assert!(
        instances::get(&mut conn, "gone.example")
            .unwrap()
            .unwrap()
            .dead_since
            .is_some()
    );
    // One success revives it; another host was never touched.
    instances::record_success(&mut conn, "gone.example").unwrap();
    let record = instances::get(&mut conn, "gone.example").unwrap().unwrap();
    assert!(record.dead_since.is_none() && record.failing_since.is_none());
    assert_eq!(record.failure_count, 0);
    assert!(
        instances::get(&mut conn, "other.example")
            .unwrap()
            .is_none()
    );
}

#[test]
fn concurrent_upserts_of_a_new_actor_all_succeed() {
    use agora_db::actors::{self, ActorForm};
    let db = fresh_db("upsert");
    let form = ActorForm {
        ap_id: "https://remote.example/users/bea".into(),
        actor_type: "Person".into(),
        username: "bea".into(),
        domain: "remote.example".into(),
        display_name: "Bea".into(),
        summary: String::new(),
        url: None,
        inbox: "https://remote.example/users/bea/inbox".into(),
        shared_inbox: None,
        outbox: None,
        followers_url: None,
        following_url: None,
        public_key_pem: "-----BEGIN PUBLIC KEY-----".into(),
        private_key_pem: None,
        local: false,
        account_kind: "unknown".into(),
        manually_approves_followers: false,
        also_known_as: "[]".into(),
        moved_to: None,
        last_refreshed_at: agora_db::now(),
        icon_url: None,
        image_url: None,
        published_at: None,
    };
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (db, form) = (db.clone(), form.clone());
            std::thread::spawn(move || actors::upsert(&mut db.get().unwrap(), &form).map(|a| a.id))
        })
        .collect();
    let ids: Vec<i64> = handles
        .into_iter()
        .map(|h| h.join().unwrap().expect("every upsert succeeds"))
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
}

#[test]
fn concurrent_read_then_write_transactions_do_not_fail() {
    // Each hit reads the counter then writes it: on SQLite a deferred transaction doing that
    // fails with "database is locked" when another writer got in between.
    let db = fresh_db("rmw");
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let db = db.clone();
            std::thread::spawn(move || {
                for _ in 0..50 {
                    agora_db::rate_limits::hit(
                        &mut db.get().unwrap(),
                        "k",
                        chrono::Duration::hours(1),
                        i32::MAX,
                    )
                    .expect("no busy error");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let exceeded = agora_db::rate_limits::exceeded(
        &mut db.get().unwrap(),
        "k",
        chrono::Duration::hours(1),
        400,
    )
    .unwrap();
    let not_yet = agora_db::rate_limits::exceeded(
        &mut db.get().unwrap(),
        "k",
        chrono::Duration::hours(1),
        401,
    )
    .unwrap();
    assert!(
        exceeded && !not_yet,
        "every one of the 400 hits was counted"
    );
}
