//! Schools administration.

pub mod schools;
