//! The one door to YAML. serde_yaml is archived upstream; every YAML call in digest goes
//! through these names, so a maintained fork with the same API replaces it on this line.
//!
//! It also holds the bounds a YAML block is checked against before it is parsed
//! ([`check_bounds`]): libyaml and serde_yaml alone let a few kilobytes of front matter take
//! minutes or gigabytes.

#[allow(unused_imports)]
pub(crate) use serde_yaml::{from_str, Mapping, Value};

/// Checks a YAML block against the bounds below before it is parsed. On failure: what is
/// wrong, and the 0-based line of the block it is on.
pub(crate) fn check_bounds(block: &str) -> Result<(), (String, usize)> {
    check_nesting(block)?;
    check_expansion(block)
}

/// Deepest `[`/`{` nesting a YAML front matter block may have. serde_yaml stops at 128
/// levels anyway, but only after libyaml's scanner has read the whole block, and that
/// scanner rescans its stack of open flow collections on every token: 100,000 `[` take
/// minutes. Counted without regard to quoting, so a title with many `[` in quotes counts
/// too; real front matter is nowhere near.
const YAML_MAX_FLOW_DEPTH: usize = 128;

/// Refuses a block whose `[`/`{` nesting goes deeper than [`YAML_MAX_FLOW_DEPTH`], naming
/// the line where it does.
fn check_nesting(block: &str) -> Result<(), (String, usize)> {
    let mut depth = 0usize;
    for (n, line) in block.lines().enumerate() {
        for b in line.bytes() {
            match b {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > YAML_MAX_FLOW_DEPTH {
                return Err((
                    format!("lists or maps nested deeper than {YAML_MAX_FLOW_DEPTH} levels; expected plain values"),
                    n,
                ));
            }
        }
    }
    Ok(())
}

/// How much a YAML front matter block may expand to, in nodes plus bytes of text, beyond
/// twice its own length. Aliases (`*name`) repeat what an anchor (`&name`) holds; serde_yaml
/// caps how often it follows them, but not how much each one copies, so a block of a few
/// KB ("billion laughs", or one big anchor aliased thousands of times) could otherwise take
/// gigabytes. Real front matter never comes near this.
const YAML_EXPANSION_BUDGET: usize = 1 << 20;

/// Walks a YAML block the way the real parse will, counting nodes and text bytes, and
/// stops with an error as soon as the budget is spent: serde_yaml replays an alias only
/// as the visitor asks for it, so stopping the visitor stops the work.
fn check_expansion(block: &str) -> Result<(), (String, usize)> {
    use serde::de::DeserializeSeed;
    let budget = Budget {
        left: std::cell::Cell::new(YAML_EXPANSION_BUDGET + 2 * block.len()),
    };
    let result = serde_yaml::Deserializer::from_str(block)
        .next()
        .map(|doc| BudgetSeed(&budget).deserialize(doc));
    match result {
        // serde_yaml's own cap on following aliases says the same thing less clearly.
        Some(Err(e)) if budget.left.get() == 0 || e.to_string().contains("repetition limit") => {
            Err((
                "YAML aliases expand to too much (more than a megabyte); \
                      expected plain values, or fewer `*alias` references"
                    .into(),
                0,
            ))
        }
        // Syntax errors are reported by the real parse, with their line.
        _ => Ok(()),
    }
}

/// What is left of the expansion budget; 0 once it is spent.
struct Budget {
    left: std::cell::Cell<usize>,
}

impl Budget {
    fn spend<E: serde::de::Error>(&self, amount: usize) -> Result<(), E> {
        match self.left.get().checked_sub(amount) {
            Some(left) if left > 0 => {
                self.left.set(left);
                Ok(())
            }
            _ => {
                self.left.set(0);
                Err(E::custom("expansion budget spent"))
            }
        }
    }
}

/// A serde visitor that builds nothing and counts everything it is shown.
struct BudgetSeed<'a>(&'a Budget);

impl<'de> serde::de::DeserializeSeed<'de> for BudgetSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for BudgetSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.0.spend(1)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.0.spend(1)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.0.spend(1)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.0.spend(1)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.0.spend(1 + v.len())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.spend(1)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.spend(1)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.spend(1)?;
        while seq.next_element_seed(BudgetSeed(self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.spend(1)?;
        while map.next_key_seed(BudgetSeed(self.0))?.is_some() {
            map.next_value_seed(BudgetSeed(self.0))?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): the tag, then the value.
        use serde::de::VariantAccess;
        let ((), variant) = data.variant_seed(BudgetSeed(self.0))?;
        variant.newtype_variant_seed(BudgetSeed(self.0))
    }
}
