//! The audit log's rows: every action the platform records, `record` (called inside the
//! transaction of the change it describes, so an event exists exactly when its change does), and
//! the log's queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{now, AnyConnection, MultiBackend};
use crate::domain::stored_enum;
use crate::schema::{audit_events, users};
use crate::schools::models::{all_regions, Region};
use crate::web::pagination::page_offset;

pub const PAGE_SIZE: i64 = 50;

/// What an audit event records; stored as its code (`user.role_changed`), labelled by the
/// `audit-action-…` message of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    UserRoleChanged,
    UserCoordinatorAppointed,
    UserDisabled,
    UserEnabled,
    UserSessionsEnded,
    CourseCreated,
    CoursePublished,
    CourseArchived,
    CourseReturnedToDraft,
    CourseUpdated,
    ModuleUpdated,
    QuestionUpdated,
    SchoolUpdated,
    CertificateIssued,
    CertificateRevoked,
    CertificateReinstated,
    EnrolmentCompletedOutside,
    TargetCreated,
    TargetUpdated,
    TargetDeleted,
    RemindersSent,
    UnconfirmedAccountsRemoved,
    TwoStepEnabled,
    TwoStepDisabled,
    TwoStepRecoveryUsed,
    TwoStepReset,
    QuestionAdded,
    QuestionDeleted,
    QuestionMoved,
    CriterionAdded,
    CriterionUpdated,
    CriterionDeleted,
}

impl AuditAction {
    pub const ALL: [AuditAction; 32] = [
        Self::UserRoleChanged,
        Self::UserCoordinatorAppointed,
        Self::UserDisabled,
        Self::UserEnabled,
        Self::UserSessionsEnded,
        Self::CourseCreated,
        Self::CoursePublished,
        Self::CourseArchived,
        Self::CourseReturnedToDraft,
        Self::CourseUpdated,
        Self::ModuleUpdated,
        Self::QuestionUpdated,
        Self::SchoolUpdated,
        Self::CertificateIssued,
        Self::CertificateRevoked,
        Self::CertificateReinstated,
        Self::EnrolmentCompletedOutside,
        Self::TargetCreated,
        Self::TargetUpdated,
        Self::TargetDeleted,
        Self::RemindersSent,
        Self::UnconfirmedAccountsRemoved,
        Self::TwoStepEnabled,
        Self::TwoStepDisabled,
        Self::TwoStepRecoveryUsed,
        Self::TwoStepReset,
        Self::QuestionAdded,
        Self::QuestionDeleted,
        Self::QuestionMoved,
        Self::CriterionAdded,
        Self::CriterionUpdated,
        Self::CriterionDeleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserRoleChanged => "user.role_changed",
            Self::UserCoordinatorAppointed => "user.coordinator_appointed",
            Self::UserDisabled => "user.disabled",
            Self::UserEnabled => "user.enabled",
            Self::UserSessionsEnded => "user.sessions_ended",
            Self::CourseCreated => "course.created",
            Self::CoursePublished => "course.published",
            Self::CourseArchived => "course.archived",
            Self::CourseReturnedToDraft => "course.returned_to_draft",
            Self::CourseUpdated => "course.updated",
            Self::ModuleUpdated => "module.updated",
            Self::QuestionUpdated => "question.updated",
            Self::SchoolUpdated => "school.updated",
            Self::CertificateIssued => "certificate.issued",
            Self::CertificateRevoked => "certificate.revoked",
            Self::CertificateReinstated => "certificate.reinstated",
            Self::EnrolmentCompletedOutside => "enrolment.completed_outside",
            Self::TargetCreated => "target.created",
            Self::TargetUpdated => "target.updated",
            Self::TargetDeleted => "target.deleted",
            Self::RemindersSent => "reminders.sent",
            Self::UnconfirmedAccountsRemoved => "users.unconfirmed_removed",
            Self::TwoStepEnabled => "two_step.enabled",
            Self::TwoStepDisabled => "two_step.disabled",
            Self::TwoStepRecoveryUsed => "two_step.recovery_used",
            Self::TwoStepReset => "two_step.reset",
            Self::QuestionAdded => "question.added",
            Self::QuestionDeleted => "question.deleted",
            Self::QuestionMoved => "question.moved",
            Self::CriterionAdded => "criterion.added",
            Self::CriterionUpdated => "criterion.updated",
            Self::CriterionDeleted => "criterion.deleted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == code)
    }

    /// The translation key of the action's label.
    pub fn label_key(self) -> String {
        format!("audit-action-{}", self.as_str().replace(['.', '_'], "-"))
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

stored_enum! {
    /// What kind of thing an event is about (`audit_events.subject_type`); shown as its code
    /// with the subject's id ("course #3"), or as the user it names.
    pub enum AuditSubject {
        User => "user",
        Course => "course",
        Certificate => "certificate",
        Enrolment => "enrolment",
        Region => "region",
        Target => "target",
        Module => "module",
        Question => "question",
        School => "school",
    }
}

/// Writes one audit event. `details` holds what changed, as `{"before": {…}, "after": {…}}`.
pub fn record(
    conn: &mut AnyConnection,
    actor_id: Option<i32>,
    action: AuditAction,
    subject: AuditSubject,
    subject_id: Option<i32>,
    details: serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::actor_id.eq(actor_id),
            audit_events::action.eq(action.as_str()),
            audit_events::subject_type.eq(subject.as_str()),
            audit_events::subject_id.eq(subject_id),
            audit_events::details.eq(details.to_string()),
            audit_events::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// How much of a long text an event keeps: the log says what changed, the record keeps the text.
const EXCERPT_CHARS: usize = 200;
/// How much of the unchanged text an excerpt shows before the first change.
const EXCERPT_LEAD: usize = 40;

/// Two versions of a text as an event keeps them: whole when short, else the stretch from a
/// little before their first difference, at most `EXCERPT_CHARS` characters, marked "…" where
/// cut, so that the two excerpts still differ where the texts do.
fn excerpts(before: &str, after: &str) -> (String, String) {
    let short = |t: &str| t.chars().count() <= EXCERPT_CHARS;
    if short(before) && short(after) {
        return (before.to_owned(), after.to_owned());
    }
    let same = before
        .chars()
        .zip(after.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let start = same.saturating_sub(EXCERPT_LEAD);
    let cut = |text: &str| {
        let rest: String = text.chars().skip(start).collect();
        let mut piece: String = rest.chars().take(EXCERPT_CHARS).collect();
        if start > 0 {
            piece.insert(0, '…');
        }
        if rest.chars().count() > EXCERPT_CHARS {
            piece.push('…');
        }
        piece
    };
    (cut(before), cut(after))
}

/// An edit's details: the fields whose values differ between `before` and `after` (two JSON
/// objects with the same keys), as `{"before": {…}, "after": {…}}`, long texts as excerpts;
/// none when nothing changed, for saving a form unchanged is not an event.
pub fn changes(before: serde_json::Value, after: serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return None;
    };
    let (mut was, mut now) = (serde_json::Map::new(), serde_json::Map::new());
    for (field, after_value) in after {
        let before_value = before.get(&field).cloned().unwrap_or_default();
        if before_value == after_value {
            continue;
        }
        let (before_value, after_value) = match (&before_value, &after_value) {
            (Value::String(b), Value::String(a)) => {
                let (b, a) = excerpts(b, a);
                (Value::String(b), Value::String(a))
            }
            _ => (before_value, after_value),
        };
        was.insert(field.clone(), before_value);
        now.insert(field, after_value);
    }
    (!now.is_empty()).then(|| serde_json::json!({ "before": was, "after": now }))
}

// ---- Queries ------------------------------------------------------------------------------

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub subject_user: Option<i32>,
}

fn filtered(filter: &AuditFilter) -> audit_events::BoxedQuery<'static, MultiBackend> {
    let mut query = audit_events::table.into_boxed();
    if let Some(action) = &filter.action {
        query = query.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(user_id) = filter.subject_user {
        query = query
            .filter(audit_events::subject_type.eq(AuditSubject::User.as_str()))
            .filter(audit_events::subject_id.eq(user_id));
    }
    query
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct EventRow {
    pub created_at: NaiveDateTime,
    pub actor_id: Option<i32>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i32>,
    pub details: String,
}

impl EventRow {
    /// The stored subject type; None for one this version does not know.
    pub fn subject(&self) -> Option<AuditSubject> {
        AuditSubject::parse(&self.subject_type)
    }
}

pub struct AuditData {
    pub total: i64,
    pub events: Vec<EventRow>,
    /// Name and email of the actors and subject users on the page.
    pub people: HashMap<i32, (String, String)>,
    pub actions: Vec<String>,
    pub regions: Vec<Region>,
}

pub fn load(conn: &mut AnyConnection, filter: &AuditFilter, page: i64) -> QueryResult<AuditData> {
    let total: i64 = filtered(filter).count().get_result(conn)?;
    let events: Vec<EventRow> = filtered(filter)
        .select(EventRow::as_select())
        .order((audit_events::created_at.desc(), audit_events::id.desc()))
        .limit(PAGE_SIZE)
        .offset(page_offset(page, total, PAGE_SIZE))
        .load(conn)?;
    let mut ids: Vec<i32> = events.iter().filter_map(|e| e.actor_id).collect();
    ids.extend(
        events
            .iter()
            .filter(|e| e.subject() == Some(AuditSubject::User))
            .filter_map(|e| e.subject_id),
    );
    ids.extend(filter.subject_user);
    ids.sort_unstable();
    ids.dedup();
    let people = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name, users::email))
        .load::<(i32, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, email)| (id, (name, email)))
        .collect();
    let actions = audit_events::table
        .select(audit_events::action)
        .distinct()
        .order(audit_events::action.asc())
        .load(conn)?;
    Ok(AuditData {
        total,
        events,
        people,
        actions,
        regions: all_regions(conn)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_keep_only_what_differs() {
        let before = serde_json::json!({"title": "Old", "hours": 36, "counts": true});
        let after = serde_json::json!({"title": "New", "hours": 36, "counts": false});
        assert_eq!(
            changes(before.clone(), after),
            Some(serde_json::json!({
                "before": {"title": "Old", "counts": true},
                "after": {"title": "New", "counts": false},
            }))
        );
        assert_eq!(changes(before.clone(), before), None);
    }

    #[test]
    fn long_texts_are_kept_as_excerpts_around_the_change() {
        let before = "a".repeat(500);
        let after = format!("{}b{}", "a".repeat(300), "a".repeat(199));
        let (b, a) = excerpts(&before, &after);
        assert_ne!(b, a);
        assert!(b.starts_with('…') && b.ends_with('…'), "{b}");
        assert!(
            a.starts_with(&format!("…{}b", "a".repeat(EXCERPT_LEAD))),
            "{a}"
        );
        assert!(a.chars().count() <= EXCERPT_CHARS + 2);
        let (short_b, short_a) = excerpts("short", "shorter");
        assert_eq!((short_b.as_str(), short_a.as_str()), ("short", "shorter"));
        let grown = format!("{before}!");
        let (b, a) = excerpts(&before, &grown);
        assert_ne!(b, a, "a text that only grew still shows the change");
    }

    #[test]
    fn subjects_round_trip() {
        for subject in AuditSubject::ALL {
            assert_eq!(AuditSubject::parse(subject.as_str()), Some(*subject));
        }
        assert_eq!(AuditSubject::parse(" Course "), Some(AuditSubject::Course));
        assert_eq!(AuditSubject::parse("schools"), None);
    }
}
