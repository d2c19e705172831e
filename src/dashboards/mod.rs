//! Progress toward the targets. The counting rule lives in `models` and nowhere else.

pub mod models;
