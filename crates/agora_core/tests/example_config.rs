//! The annotated example configuration stays valid and complete.
#![allow(missing_docs, clippy::unwrap_used)]

#[test]
fn the_example_config_loads_and_names_every_key() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/agora.example.toml");
    let config = agora_core::Config::load(Some(&path)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    // Every key of the effective configuration is explained in the example.
    for line in config.to_toml().lines() {
        if let Some((key, _)) = line.split_once(" = ") {
            assert!(
                text.contains(&format!("\n{key} = ")),
                "example lacks `{key}`"
            );
        }
    }
}
