//! Course authoring.

pub mod courses;
