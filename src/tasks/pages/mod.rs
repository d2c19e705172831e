//! The pages of practical tasks: the teacher's submission and files (`submit`) and the
//! reviewer's queue and review (`review`).

pub mod review;
pub mod submit;
