//! The energy label: what a post, update or petition costs, from its bytes — the activity's
//! size times the inboxes it was delivered to, plus what is stored of it here and at each
//! receiver for a year — under a published model whose parameters are settings; and the
//! meter of what the node itself moves.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// The model's parameters (`[energy]`), published on `/about/energy`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnergyConfig {
    /// Energy to move one gigabyte across the network, in kWh.
    pub network_kwh_per_gb: f64,
    /// Energy to keep one gigabyte stored for a year, in kWh.
    pub storage_kwh_per_gb_year: f64,
    /// Carbon intensity of the electricity, in gCO₂e per kWh (France's grid by default).
    pub grid_g_co2_per_kwh: f64,
    /// Upper bounds in Wh of labels A to F; above the last, G.
    pub label_bounds_wh: Vec<f64>,
}

impl Default for EnergyConfig {
    fn default() -> Self {
        EnergyConfig {
            network_kwh_per_gb: 0.03,
            storage_kwh_per_gb_year: 0.005,
            grid_g_co2_per_kwh: 52.0,
            label_bounds_wh: vec![0.001, 0.003, 0.01, 0.03, 0.1, 0.3],
        }
    }
}

/// What the model says of one post or petition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Bytes sent: the activity times the inboxes.
    pub bytes_moved: i64,
    /// Bytes stored for a year: the text here and at each receiver.
    pub bytes_stored: i64,
    /// Energy, in Wh.
    pub wh: f64,
    /// Emissions, in gCO₂e.
    pub g_co2: f64,
    /// A to G.
    pub label: char,
}

const GB: f64 = 1e9;

impl EnergyConfig {
    /// The estimate for an activity of `payload_bytes` delivered to `inboxes` inboxes, whose
    /// text takes `stored_bytes`.
    pub fn estimate(&self, payload_bytes: i64, inboxes: i64, stored_bytes: i64) -> Estimate {
        let bytes_moved = payload_bytes.max(0) * inboxes.max(0);
        let bytes_stored = stored_bytes.max(0) * (1 + inboxes.max(0));
        let kwh = bytes_moved as f64 / GB * self.network_kwh_per_gb
            + bytes_stored as f64 / GB * self.storage_kwh_per_gb_year;
        let wh = kwh * 1000.0;
        let rank = self
            .label_bounds_wh
            .iter()
            .position(|bound| wh <= *bound)
            .unwrap_or(self.label_bounds_wh.len())
            .min(6);
        Estimate {
            bytes_moved,
            bytes_stored,
            wh,
            g_co2: kwh * self.grid_g_co2_per_kwh,
            label: char::from(b'A' + rank as u8),
        }
    }
}

/// Bytes and deliveries the process moved since the last sample.
#[derive(Debug, Default)]
pub struct Meter {
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    deliveries: AtomicU64,
}

/// The process's meter.
pub static METER: Meter = Meter {
    bytes_in: AtomicU64::new(0),
    bytes_out: AtomicU64::new(0),
    deliveries: AtomicU64::new(0),
};

impl Meter {
    /// Counts a request received and its answer.
    pub fn http(&self, bytes_in: u64, bytes_out: u64) {
        self.bytes_in.fetch_add(bytes_in, Ordering::Relaxed);
        self.bytes_out.fetch_add(bytes_out, Ordering::Relaxed);
    }

    /// Counts a delivery sent.
    pub fn delivery(&self, bytes: u64) {
        self.bytes_out.fetch_add(bytes, Ordering::Relaxed);
        self.deliveries.fetch_add(1, Ordering::Relaxed);
    }

    /// Takes what was counted since the last call: (bytes in, bytes out, deliveries).
    pub fn take(&self) -> (u64, u64, u64) {
        (
            self.bytes_in.swap(0, Ordering::Relaxed),
            self.bytes_out.swap(0, Ordering::Relaxed),
            self.deliveries.swap(0, Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::EnergyConfig;

    #[test]
    fn labels_grow_with_the_bytes_moved() {
        let model = EnergyConfig::default();
        // A 2 kB post to ten inboxes, to a thousand, to a hundred thousand.
        let few = model.estimate(2_000, 10, 500);
        let many = model.estimate(2_000, 1_000, 500);
        let viral = model.estimate(2_000, 100_000, 500);
        assert_eq!(few.bytes_moved, 20_000);
        assert_eq!(few.bytes_stored, 5_500);
        assert_eq!(few.label, 'A');
        assert_eq!(many.label, 'E');
        assert_eq!(viral.label, 'G');
        assert!((many.wh - (2e6 / 1e9 * 0.03 + 500_500.0 / 1e9 * 0.005) * 1000.0).abs() < 1e-12);
        assert!(viral.g_co2 > many.g_co2);
        assert_eq!(model.estimate(0, 0, 0).label, 'A');
    }
}
