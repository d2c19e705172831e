//! `ustaz seed-demo`: a deterministic country with working staff logins.

use std::collections::HashMap;

use diesel::prelude::*;
use ustaz::dashboards::models::{current_national_target, trained_teachers};
use ustaz::demo::{seed, DemoOptions};
use ustaz::schema::{certificates, enrolments, regions, schools, users};

use crate::cli::{stderr, stdout, ustaz};
use crate::helpers::{start, TestDatabase};

fn now() -> chrono::NaiveDateTime {
    crate::fixtures::at("2026-11-25 12:00:00")
}

#[tokio::test]
async fn seed_demo_fills_a_country_and_prints_logins_that_work() {
    let db = TestDatabase::new();
    let output = ustaz(&db, &["seed-demo", "--teachers", "2000", "--seed", "7"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    assert!(
        printed.contains("seeded 2000 teachers, 7000 schools"),
        "{printed}"
    );
    assert!(
        printed.contains("administrator: admin@demo.ustaz.kz"),
        "{printed}"
    );
    assert!(
        printed.contains("coordinator of KZ-75: coordinator.kz-75@demo.ustaz.kz"),
        "{printed}"
    );
    let password = printed
        .split("with password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a password in the output")
        .to_owned();

    // Seeding again into the same database is refused, and nothing is added.
    let again = ustaz(&db, &["seed-demo", "--teachers", "10"], "");
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already has"), "{}", stderr(&again));

    // Demo staff set up their second factor at their first sign-in (the helper does), then in.
    let app = start(db).await;
    app.login("admin@demo.ustaz.kz", &password).await;
    assert_eq!(app.get("/admin/users").await.status(), 200);
    let coordinator = app.another_browser();
    coordinator
        .login("coordinator.kz-75@demo.ustaz.kz", &password)
        .await;
    assert_eq!(coordinator.get("/dashboard").await.status(), 200);
    let teachers: i64 = users::table
        .filter(users::role.eq("teacher"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(teachers, 2000);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_country_and_the_shape_is_realistic() {
    let first = TestDatabase::new();
    let second = TestDatabase::new();
    let load = |db: &TestDatabase| {
        let mut conn = ustaz::db::establish(&db.url).expect("connect");
        ustaz::db::run_migrations(&mut conn).expect("migrate");
        seed(
            &mut conn,
            DemoOptions {
                teachers: 20_000,
                seed: 11,
            },
            "hash",
            "password",
            now(),
        )
        .expect("seed");
        let issued: Vec<(String, String, String, Option<chrono::NaiveDateTime>)> =
            certificates::table
                .order(certificates::serial)
                .select((
                    certificates::serial,
                    certificates::verification_code,
                    certificates::teacher_name,
                    certificates::revoked_at,
                ))
                .load(&mut conn)
                .expect("certificates");
        (conn, issued)
    };
    let (mut conn, issued) = load(&first);
    let (_, again) = load(&second);
    assert_eq!(issued, again, "same seed, same certificates");

    // Every region has teachers and schools, in proportion to its population.
    let per_region: Vec<(String, i32, i64)> = regions::table
        .inner_join(users::table)
        .filter(users::role.eq("teacher"))
        .group_by((regions::code, regions::population_thousands))
        .select((
            regions::code,
            regions::population_thousands,
            diesel::dsl::count_star(),
        ))
        .load(&mut conn)
        .expect("per region");
    assert_eq!(per_region.len(), 20);
    let almaty_city = per_region.iter().find(|r| r.0 == "KZ-75").expect("Almaty");
    let ulytau = per_region.iter().find(|r| r.0 == "KZ-62").expect("Ulytau");
    assert!(almaty_city.2 > 5 * ulytau.2, "{per_region:?}");
    let (all, inclusive): (i64, i64) = (
        schools::table
            .count()
            .get_result(&mut conn)
            .expect("schools"),
        schools::table
            .filter(schools::inclusive_conditions.eq(true))
            .count()
            .get_result(&mut conn)
            .expect("inclusive"),
    );
    assert_eq!(all, 7_000);
    let share = inclusive as f64 / all as f64;
    assert!((0.62..0.78).contains(&share), "{share}");

    // Serials run per year from 1 without gaps; about 7.8% of teachers are trained, and the
    // counting rule (distinct teachers, revoked excluded) gives fewer than the certificates.
    let mut by_year: HashMap<String, Vec<u32>> = HashMap::new();
    for (serial, ..) in &issued {
        let mut parts = serial.split('-').skip(1);
        let year = parts.next().expect("year").to_owned();
        let number = parts.next().expect("number").parse().expect("number");
        by_year.entry(year).or_default().push(number);
    }
    assert!(
        by_year
            .keys()
            .all(|y| ("2021".."2026").contains(&y.as_str())),
        "{by_year:?}"
    );
    for numbers in by_year.values_mut() {
        numbers.sort();
        assert_eq!(*numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
    }
    let target = current_national_target(&mut conn, now().date())
        .expect("target")
        .expect("a national target");
    let trained = trained_teachers(&mut conn, &target).expect("count");
    assert!((1_350..1_800).contains(&trained), "{trained}");
    assert!(trained < issued.len() as i64);
    assert!(
        issued.iter().any(|c| c.3.is_some()),
        "some certificates are revoked"
    );

    // Some teachers are still learning, some stalled, some withdrew.
    let statuses: Vec<(String, i64)> = enrolments::table
        .group_by(enrolments::status)
        .select((enrolments::status, diesel::dsl::count_star()))
        .load(&mut conn)
        .expect("statuses");
    assert_eq!(statuses.len(), 3, "{statuses:?}");
}
