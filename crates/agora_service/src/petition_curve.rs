//! A petition's signature curve: the count its log proves over time.
//!
//! Reading the whole log for each view of a petition page costs as much as the petition is
//! popular: 300 000 leaves read and parsed per view of a viral one. A log only grows, so
//! what it said about its first `size` leaves never changes: the node keeps, per petition,
//! the net change of the count by time bucket for the leaves read so far, and each view reads
//! only the leaves appended since. Several processes on one PostgreSQL database each keep
//! their own, all read from the same log.

use crate::{Context, ServiceError, ServiceResult};
use agora_db::petitions::Petition;
use agora_tlog::{Event, Leaf};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// Buckets kept per petition; past it, neighbours merge (the bucket doubles in width).
const MAX_BUCKETS: usize = 2048;
/// Petitions kept; past it, the cache starts again empty (a view reads its log once more).
const MAX_PETITIONS: usize = 512;
/// Leaves read per query while catching up.
const READ_CHUNK: i64 = 20_000;

/// The curves read so far, per petition.
#[derive(Default)]
pub struct Curves {
    by_petition: Mutex<HashMap<i64, Changes>>,
}

/// The net change of the count per time bucket, for the first `size` leaves of a log.
#[derive(Clone)]
struct Changes {
    size: i64,
    /// Seconds per bucket; a bucket starts at a multiple of it (Unix time).
    width: i64,
    /// (bucket start, net change), in time order.
    buckets: Vec<(i64, i64)>,
    total: i64,
}

impl Changes {
    fn new() -> Changes {
        Changes {
            size: 0,
            width: 1,
            buckets: Vec::new(),
            total: 0,
        }
    }

    fn add(&mut self, at: DateTime<Utc>, delta: i64) {
        let start = at.timestamp().div_euclid(self.width) * self.width;
        self.total += delta;
        // Leaves come in time order; a clock step back lands in the last bucket.
        match self.buckets.last_mut() {
            Some(last) if last.0 >= start => last.1 += delta,
            _ => self.buckets.push((start, delta)),
        }
        if self.buckets.len() > MAX_BUCKETS {
            self.width *= 2;
            let width = self.width;
            let mut merged: Vec<(i64, i64)> = Vec::with_capacity(self.buckets.len() / 2 + 1);
            for &(s, d) in &self.buckets {
                let s = s.div_euclid(width) * width;
                match merged.last_mut() {
                    Some(last) if last.0 == s => last.1 += d,
                    _ => merged.push((s, d)),
                }
            }
            self.buckets = merged;
        }
    }

    /// The count at each of `points` evenly spaced times from `start` to `end`; the last is
    /// the count now.
    fn sample(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        points: usize,
    ) -> Vec<(DateTime<Utc>, i64)> {
        let points = points.max(2);
        let step = (end - start) / (points as i32 - 1);
        let (mut out, mut count, mut next) = (Vec::with_capacity(points), 0i64, 0usize);
        for i in 0..points {
            let at = start + step * i as i32;
            // A bucket counts once its last second has come (`at` itself included).
            while next < self.buckets.len()
                && self.buckets[next].0 + self.width <= at.timestamp() + 1
            {
                count += self.buckets[next].1;
                next += 1;
            }
            out.push((at, count));
        }
        if let Some(last) = out.last_mut() {
            last.1 = self.total;
        }
        out
    }
}

/// The signature curve: the count the log proves at `points` evenly spaced times from the
/// petition's start to its close (or now), each with its time.
pub async fn curve(
    ctx: &Context,
    petition: &Petition,
    points: usize,
    log_size: Option<i64>,
) -> ServiceResult<Vec<(DateTime<Utc>, i64)>> {
    let id = petition.id;
    let start = petition.created_at.and_utc();
    let end = petition
        .closed_at
        .unwrap_or(petition.deadline)
        .and_utc()
        .min(Utc::now())
        .max(start + Duration::seconds(1));
    let mut changes = ctx
        .curves
        .by_petition
        .lock()
        .map_err(|_| ServiceError::internal("curve cache poisoned"))?
        .get(&id)
        .cloned()
        .unwrap_or_else(Changes::new);
    // A caller that read the log's size spares the query when nothing was appended since.
    while log_size.is_none_or(|size| changes.size < size) {
        let from = changes.size;
        let rows = ctx
            .db
            .run(move |conn| agora_db::petition_log::leaves(conn, id, from, READ_CHUNK))
            .await?;
        let read = rows.len() as i64;
        for (_, text) in rows {
            let leaf = Leaf::from_bytes(text.as_bytes()).map_err(ServiceError::internal)?;
            let delta = if leaf.event == Event::Sign { 1 } else { -1 };
            changes.add(leaf.at, delta);
        }
        changes.size += read;
        if read < READ_CHUNK {
            break;
        }
    }
    let out = changes.sample(start, end, points);
    let mut cache = ctx
        .curves
        .by_petition
        .lock()
        .map_err(|_| ServiceError::internal("curve cache poisoned"))?;
    // Another view may have read further meanwhile: keep the longer.
    if cache.get(&id).is_none_or(|c| c.size < changes.size) {
        if cache.len() >= MAX_PETITIONS && !cache.contains_key(&id) {
            cache.clear();
        }
        cache.insert(id, changes);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0)
            .single()
            .expect("a time in range")
    }

    #[test]
    fn samples_count_what_had_happened_by_each_time() {
        let mut c = Changes::new();
        for s in [0, 0, 10, 20, 20, 20] {
            c.add(at(s), 1);
        }
        c.add(at(30), -1);
        let curve = c.sample(at(0), at(40), 5);
        let counts: Vec<i64> = curve.iter().map(|p| p.1).collect();
        assert_eq!(counts, vec![2, 3, 6, 5, 5]);
    }

    #[test]
    fn a_long_history_merges_buckets_and_keeps_the_total() {
        let mut c = Changes::new();
        for s in 0..10_000 {
            c.add(at(s * 7), 1);
        }
        assert!(c.buckets.len() <= MAX_BUCKETS, "{}", c.buckets.len());
        assert!(c.width > 1);
        assert_eq!(c.total, 10_000);
        assert_eq!(c.buckets.iter().map(|b| b.1).sum::<i64>(), 10_000);
        let curve = c.sample(at(0), at(70_000), 3);
        assert_eq!(curve[2].1, 10_000);
        // Halfway, about half had signed (to a bucket's width).
        let half = curve[1].1;
        assert!((4_900..=5_100).contains(&half), "{half}");
    }
}
