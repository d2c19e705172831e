//! Progress toward the targets. The counting rule lives in `models` and nowhere else.

pub mod cache;
pub mod export;
pub mod handlers;
pub mod models;
pub mod regional;
