//! Group commit: writes queued at the same moment share one transaction.
//!
//! A petition going viral is thousands of small write transactions a second on one row's
//! lock. Each costs a `BEGIN IMMEDIATE`/`COMMIT` on SQLite (the single writer) or a lock wait
//! and a commit on PostgreSQL; run one after the other they cap the rate far below what the
//! work inside them needs. Here one thread owns a connection, takes every write waiting when
//! it is free, runs each in its own savepoint (a refused one undoes only itself) and commits
//! them together; each caller hears its own result once the commit is done, so an answer
//! never acknowledges a write that is not stored.

use crate::{
    DbConn,
    connection::{ConnectionManager, write_transaction},
    error::DbError,
};
use diesel::Connection;
use r2d2::ManageConnection;
use std::panic::{AssertUnwindSafe, catch_unwind};
use tokio::sync::{mpsc, oneshot};

/// Writes in one transaction at most: bounds the wait of the last one.
const MAX_BATCH: usize = 256;
/// Writes waiting at most; callers beyond wait for room (back-pressure).
const QUEUE: usize = 4096;

/// One queued write: run in the shared transaction, then told how the commit went.
trait Pending: Send {
    /// Runs the write in its own savepoint.
    fn run(&mut self, conn: &mut DbConn);
    /// Sends the caller its result, or the commit's failure.
    fn finish(self: Box<Self>, committed: Result<(), String>);
}

struct Item<F, T, E> {
    work: Option<F>,
    out: Option<Result<T, E>>,
    reply: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Pending for Item<F, T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E> + Send,
    T: Send,
    E: From<DbError> + From<diesel::result::Error> + Send,
{
    fn run(&mut self, conn: &mut DbConn) {
        if let Some(work) = self.work.take() {
            self.out = Some(conn.transaction(work));
        }
    }

    fn finish(self: Box<Self>, committed: Result<(), String>) {
        let result = match (committed, self.out) {
            (Ok(()), Some(out)) => out,
            // A refusal stays the caller's answer even when the batch failed: it wrote nothing.
            (Err(_), Some(Err(refused))) => Err(refused),
            (Err(why), _) => Err(E::from(DbError::Task(format!("not committed: {why}")))),
            (Ok(()), None) => Err(E::from(DbError::Task("write was not run".into()))),
        };
        // The caller may have gone (its request cancelled); the write stands all the same.
        let _ = self.reply.send(result);
    }
}

/// The queue of writes to group, and the thread that commits them.
pub(crate) struct Batcher {
    queue: mpsc::Sender<Box<dyn Pending>>,
}

impl Batcher {
    /// Starts the committing thread on a connection of its own.
    pub(crate) fn start(manager: ConnectionManager) -> Batcher {
        let (queue, waiting) = mpsc::channel(QUEUE);
        let spawned = std::thread::Builder::new()
            .name("agora-db-batch".into())
            .spawn(move || commit_loop(manager, waiting));
        if let Err(e) = spawned {
            // Without the thread every queued write answers with an error (the receiver is
            // dropped); nothing is lost, and the log says why.
            tracing::error!(error = %e, "cannot start the group-commit thread");
        }
        Batcher { queue }
    }

    /// Queues `work` and waits for its result after the commit.
    pub(crate) async fn run<F, T, E>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let item = Box::new(Item {
            work: Some(work),
            out: None,
            reply,
        });
        self.queue
            .send(item)
            .await
            .map_err(|_| E::from(DbError::Task("the group-commit thread is gone".into())))?;
        answer
            .await
            .map_err(|_| E::from(DbError::Task("the group-commit thread is gone".into())))?
    }
}

fn commit_loop(manager: ConnectionManager, mut waiting: mpsc::Receiver<Box<dyn Pending>>) {
    let mut conn: Option<DbConn> = None;
    while let Some(first) = waiting.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match waiting.try_recv() {
                Ok(item) => batch.push(item),
                Err(_) => break,
            }
        }
        let open = match conn.take() {
            Some(c) => Ok(c),
            None => manager.connect().map_err(|e| e.to_string()),
        };
        let mut c = match open {
            Ok(c) => c,
            Err(why) => {
                tracing::error!(error = %why, "group commit: no connection");
                batch
                    .into_iter()
                    .for_each(|item| item.finish(Err(why.clone())));
                continue;
            }
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            write_transaction(&mut c, |c| -> Result<(), DbError> {
                batch.iter_mut().for_each(|item| item.run(c));
                Ok(())
            })
        }));
        let committed = match outcome {
            Ok(Ok(())) => {
                conn = Some(c);
                Ok(())
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, writes = batch.len(), "group commit failed");
                conn = Some(c);
                Err(e.to_string())
            }
            // A write panicked: the transaction's state is unknown, so the connection goes
            // (closing it rolls back) and a fresh one serves the next batch.
            Err(_) => {
                tracing::error!(
                    writes = batch.len(),
                    "a write panicked: its batch is rolled back"
                );
                Err("a write in the same batch failed".into())
            }
        };
        batch
            .into_iter()
            .for_each(|item| item.finish(committed.clone()));
    }
}
