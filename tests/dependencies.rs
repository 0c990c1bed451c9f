//! Dependency floors that matter for safety. cargo-audit and cargo-deny cannot fetch the
//! advisory database from this network, so the floors DESIGN.md names are checked here.

fn locked_version(name: &str) -> Vec<u64> {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let entry = lock
        .split("[[package]]")
        .find(|p| p.contains(&format!("\nname = \"{name}\"\n")))
        .unwrap_or_else(|| panic!("{name} is not in Cargo.lock"));
    let version = entry
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    // build metadata such as `+deprecated` is not part of the version's order
    let version = version.split('+').next().unwrap();
    version.split('.').map(|n| n.parse().unwrap()).collect()
}

#[test]
fn ammonia_is_past_its_advisories() {
    // ammonia before 4.1.4 (and the 3.x line) has published advisories
    assert!(locked_version("ammonia") >= vec![4, 1, 4]);
}

#[test]
fn the_yaml_crate_is_the_one_yaml_rs_names() {
    // every YAML call goes through src/yaml.rs; if the crate is replaced by a fork, this
    // test is where to say which one
    assert!(locked_version("serde_yaml") >= vec![0, 9, 34]);
}
