//! The one door to YAML. serde_yaml is archived upstream; every YAML call in digest goes
//! through these names, so a maintained fork with the same API replaces it on this line.

#[allow(unused_imports)]
pub(crate) use serde_yaml::{from_str, Deserializer, Mapping, Value};
