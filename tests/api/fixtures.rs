//! Small worlds for tests, written straight to the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use ustaz::db::AnyConnection;
use ustaz::schema::{certificates, courses, enrolments, schools, users};

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("timestamp")
}

pub fn teacher(conn: &mut AnyConnection, email: &str, region_id: Option<i32>) -> i32 {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::full_name.eq(format!("Teacher {email}")),
            users::role.eq("teacher"),
            users::region_id.eq(region_id),
            users::category.eq("general"),
        ))
        .execute(conn)
        .expect("insert teacher");
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .expect("teacher id")
}

pub fn school(conn: &mut AnyConnection, region_id: i32, name: &str, inclusive: bool) -> i32 {
    diesel::insert_into(schools::table)
        .values((
            schools::region_id.eq(region_id),
            schools::name.eq(name),
            schools::kind.eq("school"),
            schools::inclusive_conditions.eq(inclusive),
        ))
        .execute(conn)
        .expect("insert school");
    schools::table
        .filter(schools::region_id.eq(region_id))
        .filter(schools::name.eq(name))
        .select(schools::id)
        .first(conn)
        .expect("school id")
}

pub fn course(conn: &mut AnyConnection, slug: &str, counts_toward_target: bool) -> i32 {
    diesel::insert_into(courses::table)
        .values((
            courses::slug.eq(slug),
            courses::title.eq(format!("Course {slug}")),
            courses::language.eq("ru"),
            courses::hours.eq(72),
            courses::competency_area.eq("inclusive"),
            courses::status.eq("published"),
            courses::counts_toward_target.eq(counts_toward_target),
        ))
        .execute(conn)
        .expect("insert course");
    courses::table
        .filter(courses::slug.eq(slug))
        .select(courses::id)
        .first(conn)
        .expect("course id")
}

pub fn enrolment(conn: &mut AnyConnection, user_id: i32, course_id: i32) -> QueryResult<i32> {
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::user_id.eq(user_id),
            enrolments::course_id.eq(course_id),
        ))
        .execute(conn)?;
    enrolments::table
        .filter(enrolments::user_id.eq(user_id))
        .filter(enrolments::course_id.eq(course_id))
        .select(enrolments::id)
        .first(conn)
}

/// An enrolment completed at `completed_at`, without a certificate yet.
pub fn completed(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    completed_at: &str,
) -> i32 {
    let id = enrolment(conn, user_id, course_id).expect("enrolment");
    diesel::update(enrolments::table.find(id))
        .set((
            enrolments::status.eq("completed"),
            enrolments::completed_at.eq(at(completed_at)),
        ))
        .execute(conn)
        .expect("complete");
    id
}

pub fn certificate(
    conn: &mut AnyConnection,
    enrolment_id: i32,
    serial_number: i32,
    issued_at: &str,
) -> QueryResult<usize> {
    let (user_id, course_id): (i32, i32) = enrolments::table
        .find(enrolment_id)
        .select((enrolments::user_id, enrolments::course_id))
        .first(conn)?;
    let issued_at = at(issued_at);
    diesel::insert_into(certificates::table)
        .values((
            certificates::enrolment_id.eq(enrolment_id),
            certificates::user_id.eq(user_id),
            certificates::course_id.eq(course_id),
            certificates::serial.eq(format!("UST-{}-{serial_number:06}", issued_at.format("%Y"))),
            certificates::serial_year.eq(issued_at
                .format("%Y")
                .to_string()
                .parse::<i32>()
                .unwrap_or(2025)),
            certificates::serial_number.eq(serial_number),
            certificates::verification_code.eq(format!("TESTCODE{serial_number:012}")),
            certificates::teacher_name.eq("Teacher"),
            certificates::course_title.eq("Course"),
            certificates::hours.eq(72),
            certificates::issued_at.eq(issued_at),
        ))
        .execute(conn)
}

/// A completed enrolment with its certificate.
pub fn trained(
    conn: &mut AnyConnection,
    user_id: i32,
    course_id: i32,
    serial_number: i32,
    issued_at: &str,
) -> i32 {
    let enrolment_id = enrolment(conn, user_id, course_id).expect("enrolment");
    certificate(conn, enrolment_id, serial_number, issued_at).expect("certificate");
    certificates::table
        .filter(certificates::enrolment_id.eq(enrolment_id))
        .select(certificates::id)
        .first(conn)
        .expect("certificate id")
}

pub fn revoke(conn: &mut AnyConnection, certificate_id: i32, when: &str) {
    diesel::update(certificates::table.find(certificate_id))
        .set((
            certificates::revoked_at.eq(Some(at(when))),
            certificates::revocation_reason.eq(Some("Issued in error")),
        ))
        .execute(conn)
        .expect("revoke");
}

/// A required module's fields: a lesson, or a quiz when there is a pass mark.
pub fn module_fields(
    title: &str,
    slug: &str,
    pass_mark: Option<i32>,
) -> ustaz::courses::models::ModuleFields {
    ustaz::courses::models::ModuleFields {
        title: title.to_owned(),
        slug: slug.to_owned(),
        body_markdown: "Text".to_owned(),
        video_url: None,
        transcript: None,
        pass_mark,
        required: true,
        updated_at: at("2025-01-01 00:00:00"),
    }
}
