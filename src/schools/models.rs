//! Regions and schools: the reference geography every account and figure refers to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::domain::{SchoolKind, Version};
use crate::i18n::Lang;
use crate::on_backend;
use crate::schema::{regions, schools};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = regions)]
pub struct Region {
    pub id: i32,
    pub code: String,
    pub kind: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub population_thousands: i32,
}

impl Region {
    /// The region's name in the visitor's language.
    pub fn name(&self, lang: Lang) -> String {
        match lang {
            Lang::Kk => self.name_kk.clone(),
            Lang::Ru => self.name_ru.clone(),
            Lang::En => self.name_en.clone(),
        }
    }
}

/// A region as offered in a form, named in the visitor's language.
#[derive(Debug, Clone)]
pub struct RegionChoice {
    pub code: String,
    pub name: String,
    pub id: i32,
}

pub fn region_choices(regions: &[Region], lang: Lang) -> Vec<RegionChoice> {
    regions
        .iter()
        .map(|r| RegionChoice {
            code: r.code.clone(),
            id: r.id,
            name: r.name(lang),
        })
        .collect()
}

/// The region of `regions` with this ISO code, whatever its case and surrounding spaces.
pub fn find_region<'a>(regions: &'a [Region], code: &str) -> Option<&'a Region> {
    let code = code.trim();
    regions.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

pub fn region_by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<Region>> {
    regions::table
        .filter(regions::code.eq(code.trim().to_ascii_uppercase()))
        .select(Region::as_select())
        .first(conn)
        .optional()
}

/// The code of the region `region_id` (none for none).
pub fn region_code(
    conn: &mut AnyConnection,
    region_id: Option<i32>,
) -> QueryResult<Option<String>> {
    match region_id {
        Some(id) => regions::table
            .find(id)
            .select(regions::code)
            .first(conn)
            .map(Some),
        None => Ok(None),
    }
}

pub fn all_regions(conn: &mut AnyConnection) -> QueryResult<Vec<Region>> {
    regions::table
        .order(regions::id.asc())
        .select(Region::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = schools)]
pub struct SchoolOption {
    pub id: i32,
    pub region_id: i32,
    pub name: String,
    pub district: Option<String>,
}

pub fn schools_of_region(
    conn: &mut AnyConnection,
    region_id: i32,
) -> QueryResult<Vec<SchoolOption>> {
    schools::table
        .filter(schools::region_id.eq(region_id))
        .order((schools::district.asc(), schools::name.asc()))
        .select(SchoolOption::as_select())
        .load(conn)
}

pub fn school_in_region(
    conn: &mut AnyConnection,
    school_id: i32,
    region_id: i32,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        schools::table
            .filter(schools::id.eq(school_id))
            .filter(schools::region_id.eq(region_id)),
    ))
    .get_result(conn)
}

// ---- Schools as the administration edits them ------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = schools)]
pub struct SchoolRow {
    pub id: i32,
    pub region_id: i32,
    pub name: String,
    pub kind: String,
    pub district: Option<String>,
    pub inclusive_conditions: bool,
    /// One more at every change (`crate::domain::Version`).
    pub version: i32,
}

impl SchoolRow {
    /// The stored kind, if it is one this version knows.
    pub fn kind(&self) -> Option<SchoolKind> {
        SchoolKind::parse(&self.kind)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = schools)]
pub struct NewSchool {
    pub region_id: i32,
    pub name: String,
    pub kind: String,
    pub district: Option<String>,
    pub inclusive_conditions: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = schools, treat_none_as_null = true)]
pub struct SchoolChanges {
    pub region_id: i32,
    pub name: String,
    pub kind: String,
    pub district: Option<String>,
    pub inclusive_conditions: bool,
    pub updated_at: NaiveDateTime,
}

/// The schools of the regions `region_ids` (each region counts once, however often it is named).
pub fn schools_of_regions(
    conn: &mut AnyConnection,
    region_ids: &[i32],
) -> QueryResult<Vec<SchoolRow>> {
    let mut region_ids = region_ids.to_vec();
    region_ids.sort_unstable();
    region_ids.dedup();
    schools::table
        .filter(schools::region_id.eq_any(region_ids))
        .order(schools::id.asc())
        .select(SchoolRow::as_select())
        .load(conn)
}

pub fn find_school(conn: &mut AnyConnection, id: i32) -> QueryResult<SchoolRow> {
    schools::table
        .find(id)
        .select(SchoolRow::as_select())
        .first(conn)
}

/// Whether another school of the region already has this name (`UNIQUE (region_id, name)`).
pub fn name_taken(
    conn: &mut AnyConnection,
    region_id: i32,
    name: &str,
    except: Option<i32>,
) -> QueryResult<bool> {
    let mut query = schools::table
        .filter(schools::region_id.eq(region_id))
        .filter(schools::name.eq(name))
        .select(schools::id)
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(schools::id.ne(id));
    }
    Ok(query.first::<i32>(conn).optional()?.is_some())
}

pub fn insert_school(conn: &mut AnyConnection, school: &NewSchool) -> QueryResult<i32> {
    on_backend!(conn, |c| diesel::insert_into(schools::table)
        .values(school)
        .returning(schools::id)
        .get_result(c))
}

/// Inserts many schools with few statements (the multi-backend cannot do multi-row inserts).
pub fn insert_schools(conn: &mut AnyConnection, rows: &[NewSchool]) -> QueryResult<usize> {
    let mut inserted = 0;
    // 7 values a row stays far below SQLite's and PostgreSQL's limits on bound parameters.
    for chunk in rows.chunks(500) {
        inserted += on_backend!(conn, |c| diesel::insert_into(schools::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(inserted)
}

/// Changes a school and moves its version on: only if it is still at `version` when one is
/// given (an edit form's), whatever it is at otherwise (an import). Returns the rows changed.
pub fn update_school(
    conn: &mut AnyConnection,
    id: i32,
    version: Option<Version>,
    changes: &SchoolChanges,
) -> QueryResult<usize> {
    let changes = (changes, schools::version.eq(schools::version + 1));
    let school = schools::table.find(id);
    match version {
        Some(version) => diesel::update(school.filter(schools::version.eq(version.get())))
            .set(changes)
            .execute(conn),
        None => diesel::update(school).set(changes).execute(conn),
    }
}

/// Almaty as the unit tests of imports know it.
#[cfg(test)]
pub(crate) fn almaty_for_tests() -> Region {
    Region {
        id: 19,
        code: "KZ-75".into(),
        kind: "city".into(),
        name_kk: "Алматы".into(),
        name_ru: "Алматы".into(),
        name_en: "Almaty".into(),
        population_thousands: 2230,
    }
}
