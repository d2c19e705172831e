use chrono::Utc;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::domain::{Email, FullName, Role};
use crate::on_backend;
use crate::schema::{regions, users};

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

pub fn region_by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<Region>> {
    regions::table
        .filter(regions::code.eq(code.trim().to_ascii_uppercase()))
        .select(Region::as_select())
        .first(conn)
        .optional()
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    email: &'a str,
    full_name: &'a str,
    role: &'a str,
    region_id: Option<i32>,
    password_hash: Option<&'a str>,
    email_verified_at: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

/// An account made by an operator (command line): the address counts as confirmed.
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub full_name: &'a FullName,
    pub role: Role,
    pub region_id: Option<i32>,
    pub password_hash: Option<&'a str>,
}

/// Inserts the user and returns its id; a taken email is a unique violation.
pub fn create_user(conn: &mut AnyConnection, user: &NewUser<'_>) -> QueryResult<i32> {
    let now = Utc::now().naive_utc();
    let row = NewUserRow {
        email: user.email.as_str(),
        full_name: user.full_name.as_str(),
        role: user.role.as_str(),
        region_id: user.region_id,
        password_hash: user.password_hash,
        email_verified_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    on_backend!(conn, |c| diesel::insert_into(users::table)
        .values(&row)
        .returning(users::id)
        .get_result(c))
}

pub fn email_taken(conn: &mut AnyConnection, email: &Email) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email.as_str())),
    ))
    .get_result(conn)
}
