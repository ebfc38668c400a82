//! What every visitor sees of a petition, kept in memory until the petition changes.
//!
//! A viral petition's page is loaded hundreds of times a second while thousands sign it; each
//! load read the row, the tallies, the log's size, the cosignatures and the shown signers, and
//! on PostgreSQL those round trips took as much of the machine as the signatures did. Every
//! change to a petition goes through this crate, which calls [`PetitionViews::changed`] once
//! the change is committed; a view read before that is never kept after it, so a process
//! shows exactly what it committed. Another process sharing a PostgreSQL database does not
//! tell this one: a view is also dropped [`MAX_AGE`] after it was read.

use crate::petitions::PetitionDetails;
use agora_db::actors::Actor;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a view is shown at most, for changes made by other processes.
pub const MAX_AGE: Duration = Duration::from_secs(1);
/// Petitions kept; past it, the cache starts again empty.
const MAX_PETITIONS: usize = 1024;

/// What anyone may see of a published petition.
#[derive(Debug)]
pub struct PublicView {
    /// The petition, its counts, log size and witnesses.
    pub details: PetitionDetails,
    /// The first counted signers who chose to be shown.
    pub signers: Vec<Actor>,
}

/// The views kept, per petition row id.
pub struct PetitionViews<V = PublicView> {
    state: Mutex<State<V>>,
}

impl<V> Default for PetitionViews<V> {
    fn default() -> Self {
        PetitionViews {
            state: Mutex::new(State {
                tick: 0,
                cleared_at: 0,
                slots: HashMap::new(),
            }),
        }
    }
}

struct State<V> {
    /// Counts changes; a read remembers it when it starts.
    tick: u64,
    /// The tick of the last time everything was forgotten.
    cleared_at: u64,
    slots: HashMap<i64, Slot<V>>,
}

struct Slot<V> {
    changed_at: u64,
    view: Option<(Instant, Arc<V>)>,
}

/// When a read started, to decide whether what it read may be kept.
#[derive(Clone, Copy)]
pub struct ReadStart(u64);

impl<V> PetitionViews<V> {
    /// The kept view of petition `id`, or when the read that replaces it starts.
    pub fn get(&self, id: i64) -> Result<Arc<V>, ReadStart> {
        let Ok(state) = self.state.lock() else {
            return Err(ReadStart(u64::MAX));
        };
        match state.slots.get(&id).and_then(|s| s.view.as_ref()) {
            Some((at, view)) if at.elapsed() < MAX_AGE => Ok(view.clone()),
            _ => Err(ReadStart(state.tick)),
        }
    }

    /// Keeps `view`, read from `start`, unless the petition changed since.
    pub fn keep(&self, id: i64, start: ReadStart, view: Arc<V>) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if start.0 == u64::MAX || state.cleared_at > start.0 {
            return;
        }
        if state.slots.len() >= MAX_PETITIONS && !state.slots.contains_key(&id) {
            state.tick += 1;
            state.cleared_at = state.tick;
            state.slots.clear();
            return;
        }
        let slot = state.slots.entry(id).or_insert(Slot {
            changed_at: 0,
            view: None,
        });
        if slot.changed_at <= start.0 {
            slot.view = Some((Instant::now(), view));
        }
    }

    /// Petition `id` changed: a committed change, told after the commit.
    pub fn changed(&self, id: i64) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.tick += 1;
        let tick = state.tick;
        if let Some(slot) = state.slots.get_mut(&id) {
            slot.changed_at = tick;
            slot.view = None;
        } else if state.slots.len() < MAX_PETITIONS {
            state.slots.insert(
                id,
                Slot {
                    changed_at: tick,
                    view: None,
                },
            );
        } else {
            state.cleared_at = tick;
            state.slots.clear();
        }
    }

    /// Any petition may have changed (an account's signatures started to count).
    pub fn changed_all(&self) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        state.tick += 1;
        state.cleared_at = state.tick;
        state.slots.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Arc<u32> {
        Arc::new(7)
    }

    #[test]
    fn a_view_read_before_a_change_is_not_kept_after_it() {
        let views = PetitionViews::<u32>::default();
        let start = views.get(1).expect_err("nothing kept yet");
        views.changed(1);
        views.keep(1, start, view());
        assert!(
            views.get(1).is_err(),
            "a read older than the change was kept"
        );
        let start = views.get(1).expect_err("still nothing");
        views.keep(1, start, view());
        assert!(views.get(1).is_ok(), "a read after the change was not kept");
        views.changed(1);
        assert!(views.get(1).is_err(), "a change left the old view");
    }

    #[test]
    fn a_change_to_another_petition_or_to_all_is_seen() {
        let views = PetitionViews::<u32>::default();
        let start = views.get(1).expect_err("nothing kept yet");
        views.changed(2);
        views.keep(1, start, view());
        assert!(
            views.get(1).is_ok(),
            "petition 2's change dropped petition 1's view"
        );
        let start = views.get(3).expect_err("nothing kept yet");
        views.changed_all();
        views.keep(3, start, view());
        assert!(
            views.get(3).is_err(),
            "a read older than a change to all was kept"
        );
        assert!(views.get(1).is_err(), "a change to all left a view");
    }

    #[test]
    fn a_view_expires() {
        let views = PetitionViews::<u32>::default();
        let start = views.get(1).expect_err("nothing kept yet");
        views.keep(1, start, view());
        assert!(views.get(1).is_ok());
        std::thread::sleep(MAX_AGE + Duration::from_millis(50));
        assert!(views.get(1).is_err(), "a view outlived MAX_AGE");
    }
}
