//! Targets administration (`/admin/targets`): the pages and the target form.

pub mod forms;
pub mod pages;
