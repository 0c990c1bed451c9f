//! Safety of the build itself, with each failure injected for real: nothing is written
//! outside the output folder whatever a post says (confinement), digest refuses output
//! folders it must not use (refusal), a failed build leaves the previous output byte for byte
//! (atomicity), and hostile inputs end with a page or a clear error (bounds).
//! DESIGN.md "Safety" and docs/security.md state the rules these tests hold digest to.

mod common;

#[path = "safety/atomic.rs"]
mod atomic;
#[path = "safety/bounds.rs"]
mod bounds;
#[path = "safety/confinement.rs"]
mod confinement;
#[path = "safety/refusal.rs"]
mod refusal;
#[path = "safety/support.rs"]
mod support;
