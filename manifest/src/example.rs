//! A small but complete example bundle, used in docs and tests on both sides.

/// The JSON text of an example bundle of the current version; it holds one
/// event of an unknown (future) type, which readers must keep.
pub fn example_bundle_json() -> String {
    include_str!("../fixtures/bundle-v1.json").to_string()
}
