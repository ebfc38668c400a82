//! The energy label's estimates, and what the node measures of itself each day: bytes in and
//! out, deliveries, CPU time, database size — sampled every minute into `energy_days`.

use crate::{Context, ServiceResult};
use agora_core::energy::{Estimate, METER};
use agora_db::energy_days::{self, Day};
use std::time::Duration;

/// How often the meter is written down.
pub const SAMPLE_EVERY: Duration = Duration::from_secs(60);
/// Days `/about/energy` shows.
pub const DAYS_SHOWN: i64 = 30;

/// The estimate of a post or petition: its activity's bytes, the inboxes it reached, the
/// bytes of its text.
pub fn estimate(ctx: &Context, payload_bytes: i64, inboxes: i64, stored_bytes: i64) -> Estimate {
    ctx.config
        .energy
        .estimate(payload_bytes, inboxes, stored_bytes)
}

/// CPU time of this process so far, in milliseconds (Linux; 0 elsewhere).
fn cpu_ms() -> i64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and
    // 13th, in clock ticks of 1/100 s.
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<i64>().ok())
            .unwrap_or(0)
    };
    (ticks(11) + ticks(12)) * 10
}

/// The database's size: PostgreSQL's, or the SQLite file with its write-ahead log.
async fn db_bytes(ctx: &Context) -> ServiceResult<i64> {
    if let Some(size) = ctx.db.run(energy_days::pg_database_size).await? {
        return Ok(size);
    }
    let url = ctx.config.database_url();
    let path = url.trim_start_matches("sqlite://");
    let size = |p: String| std::fs::metadata(p).map_or(0, |m| m.len() as i64);
    Ok(size(path.to_string()) + size(format!("{path}-wal")))
}

/// Writes down what the meter counted since the last sample, for as long as the node runs.
pub async fn keep_measuring(ctx: Context) {
    let mut tick = tokio::time::interval(SAMPLE_EVERY);
    let mut cpu_before = cpu_ms();
    loop {
        tick.tick().await;
        let cpu_now = cpu_ms();
        if let Err(e) = sample(&ctx, cpu_now - cpu_before).await {
            tracing::warn!(error = %e, "energy sample not written");
        }
        cpu_before = cpu_now;
    }
}

/// Adds one sample to today's row.
pub async fn sample(ctx: &Context, cpu_ms: i64) -> ServiceResult<()> {
    let (bytes_in, bytes_out, deliveries) = METER.take();
    let day = Day {
        day: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        bytes_in: bytes_in as i64,
        bytes_out: bytes_out as i64,
        deliveries: deliveries as i64,
        cpu_ms,
        db_bytes: db_bytes(ctx).await?,
    };
    Ok(ctx.db.run(move |conn| energy_days::add(conn, &day)).await?)
}

/// The last days measured, oldest first.
pub async fn days(ctx: &Context) -> ServiceResult<Vec<Day>> {
    Ok(ctx
        .db
        .run(|conn| energy_days::last(conn, DAYS_SHOWN))
        .await?)
}
