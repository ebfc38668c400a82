//! Rebuilds the crate when a migration is added, so the embedded set stays current.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
