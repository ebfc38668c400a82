//! Group commit: writes of one kind queued at the same moment are done together, in one
//! transaction; and lookups many callers ask at the same moment, in one query.
//!
//! A petition going viral is thousands of small write transactions a second on one row's
//! lock. Each costs a `BEGIN IMMEDIATE`/`COMMIT` on SQLite (the single writer) or a lock wait
//! and a commit on PostgreSQL, and each reads again what the one before it just wrote (the
//! petition, the end of its log). A desk has one thread with a connection of its own; it
//! takes every write waiting when it is free and hands them all to its kind's
//! [`Bulk::run_all`], which reads what they share once and writes their rows in a few
//! statements. Each caller hears its own result once the commit is done, so an answer never
//! acknowledges a write that is not stored.
//!
//! The same desk serves reads that every request makes (the session behind a token): on
//! PostgreSQL each costs a round trip and a backend's time, and a hundred of them at once are
//! one `= ANY` query.

use crate::{
    DbConn,
    connection::{ConnectionManager, write_transaction},
    error::DbError,
};
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// Writes in one transaction at most: bounds the wait of the last one.
const MAX_BATCH: usize = 512;
/// Writes waiting at most; callers beyond wait for room (back-pressure).
const QUEUE: usize = 8192;

/// A kind of database work that is cheaper done many at once.
pub trait Bulk: Send + Sized + 'static {
    /// Whether it only reads: then it runs outside a transaction (on SQLite a write
    /// transaction would queue it behind every writer for nothing).
    const READ_ONLY: bool = false;
    /// What one write gives its caller.
    type Out: Send + 'static;
    /// What refuses one write, or fails them all.
    type Error: From<DbError> + From<diesel::result::Error> + std::fmt::Display + Send + 'static;

    /// Does every piece of work, in the desk's transaction: one result each, in order. A write
    /// it refuses must leave nothing behind (check before writing); an `Err` from the whole
    /// call rolls every write back.
    fn run_all(conn: &mut DbConn, writes: Vec<Self>) -> Result<Vec<Outcome<Self>>, Self::Error>;
}

/// What one write of kind `W` gives its caller.
pub type Outcome<W> = Result<<W as Bulk>::Out, <W as Bulk>::Error>;

type Reply<W> = oneshot::Sender<Outcome<W>>;
type Queue<W> = mpsc::Sender<(W, Reply<W>)>;

/// The queue of one kind of write, and the thread that commits them.
pub struct Desk<W: Bulk> {
    manager: ConnectionManager,
    /// Started on the first write: the CLI never needs its thread.
    queue: Arc<OnceLock<Queue<W>>>,
    kind: PhantomData<fn(W)>,
}

impl<W: Bulk> Clone for Desk<W> {
    fn clone(&self) -> Self {
        Desk {
            manager: self.manager.clone(),
            queue: self.queue.clone(),
            kind: PhantomData,
        }
    }
}

impl<W: Bulk> Desk<W> {
    /// A desk that opens its own connection with `manager`.
    pub(crate) fn new(manager: ConnectionManager) -> Desk<W> {
        Desk {
            manager,
            queue: Arc::default(),
            kind: PhantomData,
        }
    }

    /// Queues `write` and waits for its result after the commit.
    pub async fn run(&self, write: W) -> Result<W::Out, W::Error> {
        let queue = self.queue.get_or_init(|| start::<W>(self.manager.clone()));
        let gone = || W::Error::from(DbError::Task("the group-commit thread is gone".into()));
        let (reply, answer) = oneshot::channel();
        queue.send((write, reply)).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

fn start<W: Bulk>(manager: ConnectionManager) -> Queue<W> {
    let (queue, waiting) = mpsc::channel(QUEUE);
    let spawned = std::thread::Builder::new()
        .name("agora-db-desk".into())
        .spawn(move || commit_loop::<W>(manager, waiting));
    if let Err(e) = spawned {
        // Without the thread every queued write answers with an error (the receiver is
        // dropped); nothing is lost, and the log says why.
        tracing::error!(error = %e, "cannot start the group-commit thread");
    }
    queue
}

fn commit_loop<W: Bulk>(manager: ConnectionManager, mut waiting: mpsc::Receiver<(W, Reply<W>)>) {
    let mut conn: Option<DbConn> = None;
    while let Some(first) = waiting.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match waiting.try_recv() {
                Ok(item) => batch.push(item),
                Err(_) => break,
            }
        }
        let (writes, replies): (Vec<W>, Vec<Reply<W>>) = batch.into_iter().unzip();
        let open = match conn.take() {
            Some(c) => Ok(c),
            None => manager.open().map_err(|e| e.to_string()),
        };
        let mut c = match open {
            Ok(c) => c,
            Err(why) => {
                tracing::error!(error = %why, "group commit: no connection");
                fail_all::<W>(replies, &why);
                continue;
            }
        };
        let count = writes.len();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let all = |c: &mut DbConn| -> Result<_, W::Error> {
                let results = W::run_all(c, writes)?;
                if results.len() == count {
                    Ok(results)
                } else {
                    Err(DbError::Task("a bulk write lost its results".into()).into())
                }
            };
            if W::READ_ONLY {
                all(&mut c)
            } else {
                write_transaction(&mut c, all)
            }
        }));
        match outcome {
            Ok(Ok(results)) => {
                conn = Some(c);
                // A caller may have gone (its request cancelled); its write stands all the same.
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            // The connection goes too: a server that restarted or a network that dropped
            // leaves it broken, and a fresh one serves the next batch.
            Ok(Err(e)) => {
                tracing::error!(error = %e, writes = count, "group commit failed");
                fail_all::<W>(replies, "the batch failed");
            }
            // A write panicked: the transaction's state is unknown, so the connection goes
            // (closing it rolls back) and a fresh one serves the next batch.
            Err(_) => {
                tracing::error!(writes = count, "a write panicked: its batch is rolled back");
                fail_all::<W>(replies, "a write in the same batch failed");
            }
        }
    }
}

fn fail_all<W: Bulk>(replies: Vec<Reply<W>>, why: &str) {
    for reply in replies {
        let _ = reply.send(Err(W::Error::from(DbError::Task(format!(
            "not committed: {why}"
        )))));
    }
}
