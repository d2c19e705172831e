//! Administrators' certificate pages: the register of issued certificates, the review queue with
//! each completion's evidence (issue its certificate or return it to the teacher), manual
//! issuance, and one certificate with revocation and reinstatement. The rules (one certificate
//! per enrolment, the audit event and the teacher's email in the same transaction) live in
//! `super::ops`.

pub mod completion;
pub mod detail;
pub mod forms;
pub mod issue;
pub mod queue;
pub mod register;
pub mod views;
