//! The audit log page, `/admin/audit`: the events newest first, filtered by action or by user,
//! each change worded as its form words it.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::models::{load, AuditAction, AuditData, AuditFilter, AuditSubject, EventRow, PAGE_SIZE};
use crate::accounts::models::UserStatus;
use crate::domain::Role;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::schools::models::Region;
use crate::state::AppState;
use crate::web::extractors::Admin;
use crate::web::pagination::{page_count, paginate, Pagination};
use crate::web::{encode_query_value, render, run, Ctx};

/// One line of "before → after".
pub struct ChangeView {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct EventView {
    pub when_iso: String,
    pub when: String,
    pub actor_name: String,
    pub actor_email: String,
    pub action: String,
    pub subject: String,
    pub subject_email: String,
    pub subject_href: String,
    pub changes: Vec<ChangeView>,
}

#[derive(Template)]
#[template(path = "audit/admin/audit.html")]
pub struct AuditPage {
    pub ctx: Ctx,
    pub events: Vec<EventView>,
    pub actions: Vec<(String, String)>,
    pub action: String,
    pub subject_user: Option<(i32, String, String)>,
    /// Filtered by action or by user.
    pub filtered: bool,
    pub summary: String,
    pub caption: String,
    pub pagination: Pagination,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    page: String,
}

/// The label of a stored action, or its code when this version does not know it.
pub fn action_label(lang: Lang, action: &str) -> String {
    match AuditAction::parse(action) {
        Some(known) => lang.t(&known.label_key()),
        None => action.to_owned(),
    }
}

fn when(lang: Lang, at: NaiveDateTime) -> String {
    lang.t_args(
        "admin-audit-when",
        &[
            ("date", Arg::from(lang.date(at.date()))),
            ("time", Arg::from(at.format("%H:%M").to_string())),
        ],
    )
}

/// A stored value as a reader should see it: roles and statuses translated, regions named.
fn value_label(
    lang: Lang,
    regions: &[Region],
    field: &str,
    value: Option<&serde_json::Value>,
) -> String {
    let text = match value {
        None | Some(serde_json::Value::Null) => return lang.t("admin-audit-none"),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    match field {
        "role" => match Role::parse(&text) {
            Ok(role) => lang.t(role.label_key()),
            Err(_) => text,
        },
        "status" => match UserStatus::parse(&text) {
            Some(status) => lang.t(status.label_key()),
            None => text,
        },
        "region" => regions
            .iter()
            .find(|r| r.code == text)
            .map(|r| r.name(lang))
            .unwrap_or(text),
        _ => text,
    }
}

fn field_label(lang: Lang, field: &str) -> String {
    match field {
        "role" => lang.t("admin-audit-field-role"),
        "region" => lang.t("admin-audit-field-region"),
        "school" => lang.t("admin-audit-field-school"),
        "status" => lang.t("admin-audit-field-status"),
        "session_version" => lang.t("admin-audit-field-session-version"),
        "serial" | "reason" | "teacher" | "course" | "hours" | "automatic" | "revoked"
        | "enrolment" | "enrolment_id" | "completed_on" | "sent" | "skipped" | "search" => {
            lang.t(&format!("admin-audit-field-{}", field.replace('_', "-")))
        }
        "removed" | "older_than_days" => {
            lang.t(&format!("admin-audit-field-{}", field.replace('_', "-")))
        }
        // A target's (and a school's name), a course's, a module's, a question's and a school's
        // fields, named as their forms name them.
        "name" | "teachers" | "starts_on" | "deadline" => {
            lang.t(&format!("admin-targets-field-{}", field.replace('_', "-")))
        }
        "title" | "slug" | "summary" | "description" | "audience" | "language" | "area"
        | "counts" | "certificate" | "required" | "body" | "video" | "transcript" | "pass_mark"
        | "prompt" | "answer_kind" | "options" => {
            lang.t(&format!("admin-courses-field-{}", field.replace('_', "-")))
        }
        "kind" | "district" => lang.t(&format!("admin-schools-field-{field}")),
        "inclusive_conditions" => lang.t("admin-schools-field-inclusive"),
        other => other.to_owned(),
    }
}

/// The fields that changed, each with its value before and after.
fn changes(lang: Lang, regions: &[Region], details: &str) -> Vec<ChangeView> {
    let Ok(serde_json::Value::Object(details)) = serde_json::from_str::<serde_json::Value>(details)
    else {
        return Vec::new();
    };
    let empty = serde_json::Map::new();
    let side = |name: &str| match details.get(name) {
        Some(serde_json::Value::Object(map)) => map.clone(),
        _ => empty.clone(),
    };
    let (before, after) = (side("before"), side("after"));
    let mut fields: Vec<&String> = before.keys().collect();
    fields.extend(after.keys().filter(|k| !before.contains_key(*k)));
    fields
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .map(|f| ChangeView {
            field: field_label(lang, f),
            before: value_label(lang, regions, f, before.get(f)),
            after: value_label(lang, regions, f, after.get(f)),
        })
        .collect()
}

pub async fn audit_log(
    Admin(_admin): Admin,
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let filter = AuditFilter {
        action: Some(query.action.trim().to_owned()).filter(|a| !a.is_empty()),
        subject_user: query.user.trim().parse().ok(),
    };
    let requested_page = query.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let data = {
        let filter = filter.clone();
        run(&state.pool, move |conn| load(conn, &filter, requested_page)).await?
    };
    render(&AuditPage::new(ctx, filter, data, requested_page))
}

impl AuditPage {
    fn new(ctx: Ctx, filter: AuditFilter, data: AuditData, requested_page: i64) -> Self {
        let lang = ctx.lang;
        let total_pages = page_count(data.total, PAGE_SIZE);
        let page = requested_page.min(total_pages);
        let events = data
            .events
            .iter()
            .map(|event| EventView::new(lang, event, &data))
            .collect();
        let action = filter.action.clone().unwrap_or_default();
        let mut base_query = String::new();
        if !action.is_empty() {
            base_query.push_str(&format!("action={}&", encode_query_value(&action)));
        }
        if let Some(id) = filter.subject_user {
            base_query.push_str(&format!("user={id}&"));
        }
        let subject_user = filter.subject_user.and_then(|id| {
            data.people
                .get(&id)
                .map(|(name, email)| (id, name.clone(), email.clone()))
        });
        Self {
            actions: data
                .actions
                .iter()
                .map(|a| (a.clone(), action_label(lang, a)))
                .collect(),
            filtered: !action.is_empty() || subject_user.is_some(),
            subject_user,
            pagination: paginate(lang, "/admin/audit", &base_query, page, total_pages),
            summary: lang.t_args("admin-audit-count", &[("count", Arg::from(data.total))]),
            caption: lang.t_args(
                "admin-audit-caption",
                &[("page", Arg::from(page)), ("pages", Arg::from(total_pages))],
            ),
            ctx,
            events,
            action,
        }
    }
}

impl EventView {
    fn new(lang: Lang, event: &EventRow, data: &AuditData) -> Self {
        let (actor_name, actor_email) = event
            .actor_id
            .and_then(|id| data.people.get(&id).cloned())
            .unwrap_or_else(|| (lang.t("admin-audit-system"), String::new()));
        let subject_user = (event.subject() == Some(AuditSubject::User))
            .then_some(event.subject_id)
            .flatten()
            .and_then(|id| data.people.get(&id).map(|person| (id, person)));
        let (subject, subject_email, subject_href) = match subject_user {
            Some((id, (name, email))) => {
                (name.clone(), email.clone(), format!("/admin/users/{id}"))
            }
            None => (
                match event.subject_id {
                    Some(id) => format!("{} #{id}", event.subject_type),
                    None => event.subject_type.clone(),
                },
                String::new(),
                String::new(),
            ),
        };
        Self {
            when_iso: event.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            when: when(lang, event.created_at),
            actor_name,
            actor_email,
            action: action_label(lang, &event.action),
            subject,
            subject_email,
            subject_href,
            changes: changes(lang, &data.regions, &event.details),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_label_in_every_language() {
        use crate::i18n::catalogue_keys;
        for lang in Lang::ALL {
            let keys = catalogue_keys(lang);
            for action in AuditAction::ALL {
                assert!(keys.contains(&action.label_key()), "{lang} lacks {action}");
                assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            }
        }
    }

    #[test]
    fn unknown_actions_show_their_code() {
        assert_eq!(action_label(Lang::En, "course.renamed"), "course.renamed");
        assert_eq!(action_label(Lang::En, "user.disabled"), "Account disabled");
        assert_eq!(
            action_label(Lang::En, "course.published"),
            "Course published"
        );
    }

    #[test]
    fn changes_list_only_what_changed() {
        let details = serde_json::json!({
            "before": {"role": "teacher", "region": "KZ-75", "other": 1},
            "after": {"role": "coordinator", "region": "KZ-75", "other": 2}
        })
        .to_string();
        let lines = changes(Lang::En, &[], &details);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].field, "other");
        assert_eq!(
            (lines[0].before.as_str(), lines[0].after.as_str()),
            ("1", "2")
        );
        assert_eq!(lines[1].field, "Role");
        assert_eq!(lines[1].before, "Teacher");
        assert_eq!(lines[1].after, "Regional coordinator");
        assert!(changes(Lang::En, &[], "not json").is_empty());
    }
}
