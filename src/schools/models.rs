//! Regions and schools: the reference geography every account and figure refers to.

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::i18n::Lang;
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

pub fn region_by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<Region>> {
    regions::table
        .filter(regions::code.eq(code.trim().to_ascii_uppercase()))
        .select(Region::as_select())
        .first(conn)
        .optional()
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
