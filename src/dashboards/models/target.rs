//! Target rows: reading, adding, changing and removing them (the audited operations that use
//! these are in `crate::dashboards::ops`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::Target;
use crate::db::AnyConnection;
use crate::domain::Version;
use crate::schema::targets;

/// A target's fields as a valid form gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInput {
    pub name: String,
    pub teachers: i32,
    pub starts_on: NaiveDate,
    pub deadline: NaiveDate,
    /// Id and code of the region; none for a national target.
    pub region: Option<(i32, String)>,
}

impl TargetInput {
    pub fn region_id(&self) -> Option<i32> {
        self.region.as_ref().map(|(id, _)| *id)
    }

    pub fn region_code(&self) -> Option<&str> {
        self.region.as_ref().map(|(_, code)| code.as_str())
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = targets)]
pub struct NewTarget<'a> {
    pub name: &'a str,
    pub teachers: i32,
    pub starts_on: NaiveDate,
    pub deadline: NaiveDate,
    pub region_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = targets, treat_none_as_null = true)]
pub struct TargetChanges<'a> {
    pub name: &'a str,
    pub teachers: i32,
    pub starts_on: NaiveDate,
    pub deadline: NaiveDate,
    pub region_id: Option<i32>,
}

impl<'a> From<&'a TargetInput> for TargetChanges<'a> {
    fn from(input: &'a TargetInput) -> Self {
        Self {
            name: &input.name,
            teachers: input.teachers,
            starts_on: input.starts_on,
            deadline: input.deadline,
            region_id: input.region_id(),
        }
    }
}

pub fn all_targets(conn: &mut AnyConnection) -> QueryResult<Vec<Target>> {
    targets::table
        .order(targets::id.asc())
        .select(Target::as_select())
        .load(conn)
}

/// Every target, national ones first, the latest deadline first (the dashboard's choices).
pub fn targets_national_first(conn: &mut AnyConnection) -> QueryResult<Vec<Target>> {
    targets::table
        .order((targets::region_id.is_not_null(), targets::deadline.desc()))
        .select(Target::as_select())
        .load(conn)
}

pub fn find_target(conn: &mut AnyConnection, id: i32) -> QueryResult<Target> {
    targets::table
        .find(id)
        .select(Target::as_select())
        .first(conn)
}

/// The ids of the national targets. On PostgreSQL their rows stay locked until the transaction
/// ends, so that two administrators cannot each remove one of the last two national targets at
/// once; SQLite has one writer at a time, and a transaction that read a stale set fails to write.
fn national_target_ids(conn: &mut AnyConnection) -> QueryResult<Vec<i32>> {
    let query = targets::table
        .filter(targets::region_id.is_null())
        .select(targets::id);
    match conn {
        AnyConnection::Pg(c) => query.for_update().load(c),
        AnyConnection::Sqlite(c) => query.load(c),
    }
}

/// Changes the target if it is still at `version`, and moves it on; false (nothing written)
/// when another change came first.
pub fn update_target(
    conn: &mut AnyConnection,
    id: i32,
    version: Version,
    changes: &TargetChanges,
) -> QueryResult<bool> {
    let written = diesel::update(
        targets::table
            .find(id)
            .filter(targets::version.eq(version.get())),
    )
    .set((changes, targets::version.eq(targets::version + 1)))
    .execute(conn)?;
    Ok(written == 1)
}

/// Whether `id` is the only national target left.
pub fn last_national(conn: &mut AnyConnection, id: i32) -> QueryResult<bool> {
    Ok(national_target_ids(conn)?.iter().all(|&other| other == id))
}
