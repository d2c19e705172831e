use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::dsl::count;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::schema::{certificates, courses, targets, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = targets)]
pub struct Target {
    pub id: i32,
    pub name: String,
    pub teachers: i32,
    pub starts_on: NaiveDate,
    pub deadline: NaiveDate,
    pub region_id: Option<i32>,
}

impl Target {
    /// The period as half-open timestamps: [start of the first day, start of the day after the deadline).
    fn period(&self) -> (NaiveDateTime, NaiveDateTime) {
        let start = self.starts_on.and_time(NaiveTime::MIN);
        let end = self
            .deadline
            .succ_opt()
            .unwrap_or(self.deadline)
            .and_time(NaiveTime::MIN);
        (start, end)
    }
}

/// The national target being worked toward on `today`: the earliest one whose deadline has not
/// passed, or else the one that ended last.
pub fn current_national_target(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> QueryResult<Option<Target>> {
    let national = || {
        targets::table
            .filter(targets::region_id.is_null())
            .select(Target::as_select())
    };
    if let Some(target) = national()
        .filter(targets::deadline.ge(today))
        .order((targets::deadline.asc(), targets::id.asc()))
        .first(conn)
        .optional()?
    {
        return Ok(Some(target));
    }
    national()
        .order((targets::deadline.desc(), targets::id.desc()))
        .first(conn)
        .optional()
}

/// The counting rule (PRODUCT.md): distinct teachers holding at least one non-revoked certificate
/// of a course that counts toward targets, issued inside the target's period and, for a regional
/// target, belonging to a teacher of that region.
pub fn trained_teachers(conn: &mut AnyConnection, target: &Target) -> QueryResult<i64> {
    let (start, end) = target.period();
    let counted = certificates::table
        .inner_join(courses::table)
        .inner_join(users::table.on(users::id.eq(certificates::user_id)))
        .filter(certificates::revoked_at.is_null())
        .filter(courses::counts_toward_target.eq(true))
        .filter(certificates::issued_at.ge(start))
        .filter(certificates::issued_at.lt(end))
        .select(count(certificates::user_id).aggregate_distinct())
        .into_boxed();
    let counted = match target.region_id {
        Some(region) => counted.filter(users::region_id.eq(region)),
        None => counted,
    };
    counted.first(conn)
}

#[derive(Debug, Clone)]
pub struct TargetProgress {
    pub target: Target,
    pub trained: i64,
}

pub fn national_progress(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> QueryResult<Option<TargetProgress>> {
    let Some(target) = current_national_target(conn, today)? else {
        return Ok(None);
    };
    let trained = trained_teachers(conn, &target)?;
    Ok(Some(TargetProgress { target, trained }))
}
