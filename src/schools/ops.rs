//! Saving schools: one from the form (a change audited), or a whole CSV file in one transaction.
//! Importing the same file again changes nothing: schools are matched by region and name.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::models::{self as audit, AuditAction, AuditSubject};
use crate::db::{self, is_unique_violation, now, AnyConnection};
use crate::domain::Version;
use crate::schools::forms::{SchoolCommand, SchoolLine};
use crate::schools::models::{
    find_school, insert_school, insert_schools, name_taken, region_code, schools_of_regions,
    update_school, NewSchool, SchoolChanges, SchoolRow,
};

pub enum Saved {
    Done(i32),
    /// Another school of the region has the name.
    Duplicate,
    /// The school changed after the form was opened and nothing was written: it as it is now.
    Stale(SchoolRow),
}

fn new_school(school: &SchoolCommand, at: NaiveDateTime) -> NewSchool {
    NewSchool {
        region_id: school.region_id,
        name: school.name.clone(),
        kind: school.kind.as_str().to_owned(),
        district: school.district.clone(),
        inclusive_conditions: school.inclusive,
        created_at: at,
        updated_at: at,
    }
}

fn school_changes(school: &SchoolCommand, at: NaiveDateTime) -> SchoolChanges {
    SchoolChanges {
        region_id: school.region_id,
        name: school.name.clone(),
        kind: school.kind.as_str().to_owned(),
        district: school.district.clone(),
        inclusive_conditions: school.inclusive,
        updated_at: at,
    }
}

/// What the audit log compares of a school.
fn school_details(
    region: Option<String>,
    name: &str,
    kind: &str,
    district: &Option<String>,
    inclusive: bool,
) -> serde_json::Value {
    serde_json::json!({
        "region": region,
        "name": name,
        "kind": kind,
        "district": district,
        "inclusive_conditions": inclusive,
    })
}

/// Saves a new school (`id` none) or changes the one at the version given (audited when that
/// changes something); a name already used in the region is reported, whether the check or the
/// database's unique constraint finds it.
pub fn save_school(
    conn: &mut AnyConnection,
    admin_id: i32,
    id: Option<(i32, Version)>,
    school: &SchoolCommand,
) -> QueryResult<Saved> {
    let result = db::transaction(conn, |conn| {
        let at = now();
        let Some((id, version)) = id else {
            if name_taken(conn, school.region_id, &school.name, None)? {
                return Ok(Saved::Duplicate);
            }
            return insert_school(conn, &new_school(school, at)).map(Saved::Done);
        };
        let stored = find_school(conn, id)?;
        if stored.version != version.get() {
            return Ok(Saved::Stale(stored));
        }
        if name_taken(conn, school.region_id, &school.name, Some(id))? {
            return Ok(Saved::Duplicate);
        }
        let before = school_details(
            region_code(conn, Some(stored.region_id))?,
            &stored.name,
            &stored.kind,
            &stored.district,
            stored.inclusive_conditions,
        );
        let after = school_details(
            Some(school.region_code.clone()),
            &school.name,
            school.kind.as_str(),
            &school.district,
            school.inclusive,
        );
        let Some(change) = audit::changes(before, after) else {
            return Ok(Saved::Done(id));
        };
        let changes = school_changes(school, at);
        if update_school(conn, id, Some(version), &changes)? == 0 {
            return Ok(Saved::Stale(find_school(conn, id)?));
        }
        let action = AuditAction::SchoolUpdated;
        audit::record(
            conn,
            Some(admin_id),
            action,
            AuditSubject::School,
            Some(id),
            change,
        )?;
        Ok(Saved::Done(id))
    });
    match result {
        Err(e) if is_unique_violation(&e) => Ok(Saved::Duplicate),
        other => other,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchoolCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Adds the new schools of a checked file and updates the existing ones (same region and name),
/// all in one transaction.
pub fn import_schools(
    conn: &mut AnyConnection,
    lines: &[SchoolLine],
    at: NaiveDateTime,
) -> QueryResult<SchoolCounts> {
    db::transaction(conn, |conn| save_school_lines(conn, lines, at))
}

fn save_school_lines(
    conn: &mut AnyConnection,
    lines: &[SchoolLine],
    at: NaiveDateTime,
) -> QueryResult<SchoolCounts> {
    let region_ids: Vec<i32> = lines.iter().map(|l| l.region_id).collect();
    let existing: HashMap<(i32, String), SchoolRow> = schools_of_regions(conn, &region_ids)?
        .into_iter()
        .map(|s| ((s.region_id, s.name.clone()), s))
        .collect();
    let mut counts = SchoolCounts::default();
    let mut new = Vec::new();
    for line in lines {
        let Some(old) = existing.get(&(line.region_id, line.name.clone())) else {
            new.push(NewSchool {
                region_id: line.region_id,
                name: line.name.clone(),
                kind: line.kind.as_str().to_owned(),
                district: line.district.clone().flatten(),
                inclusive_conditions: line.inclusive,
                created_at: at,
                updated_at: at,
            });
            continue;
        };
        let district = match &line.district {
            Some(district) => district.clone(),
            None => old.district.clone(),
        };
        if old.kind() == Some(line.kind)
            && old.inclusive_conditions == line.inclusive
            && old.district == district
        {
            counts.unchanged += 1;
            continue;
        }
        update_school(
            conn,
            old.id,
            None,
            &SchoolChanges {
                region_id: old.region_id,
                name: old.name.clone(),
                kind: line.kind.as_str().to_owned(),
                district,
                inclusive_conditions: line.inclusive,
                updated_at: at,
            },
        )?;
        counts.updated += 1;
    }
    counts.added = insert_schools(conn, &new)?;
    Ok(counts)
}
