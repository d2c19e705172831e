//! Targets administration.

pub mod targets;
