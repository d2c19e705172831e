use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use ustaz::db::{establish, run_migrations};
use ustaz::schema::{regions, targets, users};

use crate::fixtures::{CertificateBuilder, CourseBuilder, EnrolmentBuilder, UserBuilder};
use crate::helpers::spawn_app;

fn is_violation(result: QueryResult<impl std::fmt::Debug>, kind: &str) -> bool {
    match result {
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => kind == "unique",
        Err(Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)) => kind == "check",
        Err(Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)) => {
            kind == "foreign key"
        }
        // SQLite reports some constraint kinds without a specific code.
        Err(Error::DatabaseError(_, info)) => info.message().to_lowercase().contains(kind),
        _ => false,
    }
}

#[tokio::test]
async fn migrations_are_idempotent_and_seed_the_reference_data_once() {
    let app = spawn_app().await;
    let mut conn = establish(&app.server.db.url).expect("connect");
    assert_eq!(run_migrations(&mut conn).expect("second run"), 0);
    assert_eq!(run_migrations(&mut conn).expect("third run"), 0);

    let count: i64 = regions::table
        .count()
        .get_result(&mut conn)
        .expect("regions");
    assert_eq!(count, 20);
    let names: (String, String, String) = regions::table
        .filter(regions::code.eq("KZ-19"))
        .select((regions::name_kk, regions::name_ru, regions::name_en))
        .first(&mut conn)
        .expect("Almaty Region");
    assert_eq!(
        names,
        (
            "Алматы облысы".into(),
            "Алматинская область".into(),
            "Almaty Region".into()
        )
    );
    let cities: i64 = regions::table
        .filter(regions::kind.eq("city"))
        .count()
        .get_result(&mut conn)
        .expect("cities");
    assert_eq!(cities, 3);

    let national: Vec<(i32, chrono::NaiveDate, chrono::NaiveDate)> = targets::table
        .filter(targets::region_id.is_null())
        .select((targets::teachers, targets::starts_on, targets::deadline))
        .load(&mut conn)
        .expect("targets");
    assert_eq!(
        national,
        vec![(
            30000,
            chrono::NaiveDate::from_ymd_opt(2021, 1, 1).expect("date"),
            chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("date")
        )]
    );
}

#[tokio::test]
async fn the_schema_refuses_impossible_states() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let user = UserBuilder::teacher("aigerim@mektep.kz")
        .region("KZ-10")
        .expect_build(&mut conn);
    let course_id = CourseBuilder::new("foundations")
        .counting()
        .published()
        .expect_build(&mut conn);
    let enrolment_id = EnrolmentBuilder::new(user, course_id)
        .build(&mut conn)
        .expect("first enrolment");

    // One enrolment per teacher and course.
    assert!(is_violation(
        EnrolmentBuilder::new(user, course_id).build(&mut conn),
        "unique"
    ));
    // One certificate per enrolment.
    CertificateBuilder::of_enrolment(enrolment_id)
        .serial(1)
        .issued_on("2025-01-10 12:00:00")
        .build(&mut conn)
        .expect("first certificate");
    assert!(is_violation(
        CertificateBuilder::of_enrolment(enrolment_id)
            .serial(2)
            .issued_on("2025-01-11 12:00:00")
            .build(&mut conn),
        "unique"
    ));

    // Emails are unique whatever their case, and stored lower-cased.
    let duplicate = diesel::insert_into(users::table)
        .values((
            users::email.eq("aigerim@mektep.kz"),
            users::full_name.eq("Again"),
            users::role.eq("teacher"),
        ))
        .execute(&mut conn);
    assert!(is_violation(duplicate, "unique"));
    let upper = diesel::insert_into(users::table)
        .values((
            users::email.eq("AIGERIM@mektep.kz"),
            users::full_name.eq("Upper"),
            users::role.eq("teacher"),
        ))
        .execute(&mut conn);
    assert!(upper.is_err());

    // Unknown roles, a coordinator without a region, and a region that does not exist.
    let bad_role = diesel::insert_into(users::table)
        .values((
            users::email.eq("root@mektep.kz"),
            users::full_name.eq("Root"),
            users::role.eq("root"),
        ))
        .execute(&mut conn);
    assert!(is_violation(bad_role, "check"));
    let lost = diesel::insert_into(users::table)
        .values((
            users::email.eq("coord@mektep.kz"),
            users::full_name.eq("Coord"),
            users::role.eq("coordinator"),
        ))
        .execute(&mut conn);
    assert!(is_violation(lost, "check"));
    let nowhere = diesel::insert_into(users::table)
        .values((
            users::email.eq("far@mektep.kz"),
            users::full_name.eq("Far"),
            users::role.eq("teacher"),
            users::region_id.eq(Some(999)),
        ))
        .execute(&mut conn);
    assert!(is_violation(nowhere, "foreign key"));
}
