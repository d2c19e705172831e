//! Saving schools: one from the form, or a whole CSV file in one transaction. Importing the same
//! file again changes nothing: schools are matched by region and name.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DbError;

use crate::db::{self, is_unique_violation, now, AnyConnection};
use crate::schools::forms::{SchoolCommand, SchoolLine};
use crate::schools::models::{
    insert_school, insert_schools, name_taken, schools_of_regions, update_school, NewSchool,
    SchoolChanges, SchoolRow,
};

pub enum Saved {
    Done(i32),
    Duplicate,
}

/// Saves a new school (`id` none) or changes one; a name already used in the region is reported,
/// whether the check or the database's unique constraint finds it.
pub fn save_school(
    conn: &mut AnyConnection,
    id: Option<i32>,
    school: &SchoolCommand,
) -> QueryResult<Saved> {
    if name_taken(conn, school.region_id, &school.name, id)? {
        return Ok(Saved::Duplicate);
    }
    let at = now();
    let result = match id {
        None => insert_school(
            conn,
            &NewSchool {
                region_id: school.region_id,
                name: school.name.clone(),
                kind: school.kind.as_str().to_owned(),
                district: school.district.clone(),
                inclusive_conditions: school.inclusive,
                created_at: at,
                updated_at: at,
            },
        ),
        Some(id) => update_school(
            conn,
            id,
            &SchoolChanges {
                region_id: school.region_id,
                name: school.name.clone(),
                kind: school.kind.as_str().to_owned(),
                district: school.district.clone(),
                inclusive_conditions: school.inclusive,
                updated_at: at,
            },
        )
        .and_then(|n| {
            if n == 1 {
                Ok(id)
            } else {
                Err(DbError::NotFound)
            }
        }),
    };
    match result {
        Ok(id) => Ok(Saved::Done(id)),
        Err(e) if is_unique_violation(&e) => Ok(Saved::Duplicate),
        Err(e) => Err(e),
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
