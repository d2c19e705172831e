//! What an administrator changes on a user (role, a coordinator's region, a tutor's courses,
//! disabling, ending sessions), each in one transaction with its audit event.

use diesel::QueryResult;

use crate::accounts::models::{self as m, AccountRow, UserStatus};
use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::db::{self, now, AnyConnection};
use crate::domain::{Role, Version};
use crate::schools::models::{all_regions, Region};

/// What these operations change, for the audit log.
const SUBJECT: AuditSubject = AuditSubject::User;

/// Role and region as the audit log records them (the region by its code).
fn placement(role: &str, region_id: Option<i32>, regions: &[Region]) -> serde_json::Value {
    let region = region_id
        .and_then(|id| regions.iter().find(|r| r.id == id))
        .map(|r| r.code.clone());
    serde_json::json!({ "role": role, "region": region })
}

/// What placing a user came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Changed,
    /// The user already had that role and region.
    Unchanged,
    /// The account changed after the page was opened and nothing was written.
    Stale,
}

/// Sets role and region of the account at `version`; a school outside the new region is let go
/// (it would be wrong).
pub fn place_user(
    conn: &mut AnyConnection,
    actor_id: i32,
    (user_id, version): (i32, Version),
    role: Role,
    region_id: Option<i32>,
    action: AuditAction,
) -> QueryResult<Placed> {
    db::transaction(conn, |conn| {
        let user = m::account(conn, user_id)?;
        if user.version != version.get() {
            return Ok(Placed::Stale);
        }
        if user.role == role.as_str() && user.region_id == region_id {
            return Ok(Placed::Unchanged);
        }
        let regions = all_regions(conn)?;
        let school_id = m::school_kept_in(conn, user.school_id, region_id)?;
        let placed = m::Placement {
            role,
            region_id,
            school_id,
        };
        if !m::set_placement(conn, user_id, version, &placed, now())? {
            return Ok(Placed::Stale);
        }
        let mut before = placement(&user.role, user.region_id, &regions);
        let mut after = placement(role.as_str(), region_id, &regions);
        // A user who stops being a tutor stops reviewing their courses.
        if user.role() == Some(Role::Tutor) && role != Role::Tutor {
            let ids = m::tutored_course_ids(conn, user_id)?;
            if !ids.is_empty() {
                before["tutoring"] = m::course_titles(conn, &ids)?.into();
                after["tutoring"] = serde_json::json!([]);
                m::dismiss_tutor(conn, user_id, None)?;
            }
        }
        if school_id != user.school_id {
            before["school"] = m::school_name(conn, user.school_id)?.into();
            after["school"] = serde_json::Value::Null;
        }
        let change = serde_json::json!({ "before": before, "after": after });
        audit::record(conn, Some(actor_id), action, SUBJECT, Some(user_id), change)?;
        Ok(Placed::Changed)
    })
}

/// Disables or enables the account; disabling also ends every session. Returns whether anything
/// changed.
pub fn set_disabled(
    conn: &mut AnyConnection,
    actor_id: i32,
    user_id: i32,
    disabled: bool,
) -> QueryResult<bool> {
    db::transaction(conn, |conn| {
        let user: AccountRow = m::account(conn, user_id)?;
        if user.disabled_at.is_some() == disabled {
            return Ok(false);
        }
        let at = now();
        let (disabled_at, session_version, action) = if disabled {
            (
                Some(at),
                user.session_version + 1,
                AuditAction::UserDisabled,
            )
        } else {
            (None, user.session_version, AuditAction::UserEnabled)
        };
        m::set_access(conn, user_id, disabled_at, session_version, at)?;
        let after = UserStatus::of(disabled_at, user.email_verified_at);
        let change = serde_json::json!({
            "before": { "status": user.status().as_str() },
            "after": { "status": after.as_str() },
        });
        audit::record(conn, Some(actor_id), action, SUBJECT, Some(user_id), change)?;
        Ok(true)
    })
}

/// Every session token the user holds stops working.
pub fn end_user_sessions(conn: &mut AnyConnection, actor_id: i32, user_id: i32) -> QueryResult<()> {
    db::transaction(conn, |conn| {
        let user = m::account(conn, user_id)?;
        // Not a change of what the account's page shows: its forms stay current.
        let version = m::bump_session_version(conn, user_id)?;
        let change = serde_json::json!({
            "before": { "session_version": user.session_version },
            "after": { "session_version": version },
        });
        let action = AuditAction::UserSessionsEnded;
        audit::record(conn, Some(actor_id), action, SUBJECT, Some(user_id), change)
    })
}

/// What saving a tutor's courses came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tutoring {
    Changed,
    Unchanged,
    /// The user is not (or no longer) a tutor: nothing was written.
    NotTutor,
}

/// Makes `course_ids` the courses the tutor reviews: the others' appointments end. The user's
/// row is locked first, so that a change of role and concurrent saves queue one behind the
/// other and each sees what the one before did.
pub fn set_tutoring(
    conn: &mut AnyConnection,
    actor_id: i32,
    user_id: i32,
    course_ids: &[i32],
) -> QueryResult<Tutoring> {
    db::transaction(conn, |conn| {
        if !m::lock_user(conn, user_id)? {
            return Err(diesel::NotFound);
        }
        if m::account(conn, user_id)?.role() != Some(Role::Tutor) {
            return Ok(Tutoring::NotTutor);
        }
        let before = m::tutored_course_ids(conn, user_id)?;
        let mut after = course_ids.to_vec();
        after.sort_unstable();
        after.dedup();
        if before == after {
            return Ok(Tutoring::Unchanged);
        }
        let dismissed: Vec<i32> = before
            .iter()
            .copied()
            .filter(|id| !after.contains(id))
            .collect();
        m::dismiss_tutor(conn, user_id, Some(&dismissed))?;
        m::appoint_tutor(conn, user_id, &after, now())?;
        let change = serde_json::json!({
            "before": { "tutoring": m::course_titles(conn, &before)? },
            "after": { "tutoring": m::course_titles(conn, &after)? },
        });
        let action = AuditAction::UserTutoringChanged;
        audit::record(conn, Some(actor_id), action, SUBJECT, Some(user_id), change)?;
        Ok(Tutoring::Changed)
    })
}
