use std::io::Write;
use std::process::{Command, Output, Stdio};

use diesel::prelude::*;
use ustaz::schema::{regions, users};

use crate::helpers::TestDatabase;

pub fn ustaz(db: &TestDatabase, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ustaz"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("USTAZ_DATA_DIR", db.data_dir())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ustaz");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn migrate_twice_applies_once() {
    let db = TestDatabase::new();
    let first = ustaz(&db, &["migrate"], "");
    assert!(first.status.success(), "{}", stderr(&first));
    // Every migration folder (the same number on either backend).
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .expect("migrations")
        .count();
    assert_eq!(stdout(&first), format!("{migrations} migration(s) applied"));
    let second = ustaz(&db, &["migrate"], "");
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(stdout(&second), "0 migration(s) applied");
}

#[test]
fn create_user_makes_an_account_and_prints_its_id() {
    let db = TestDatabase::new();
    let args = [
        "create-user",
        "--role",
        "coordinator",
        "--email",
        " Coordinator@Almaty.KZ ",
        "--name",
        "Әлия Сапарова",
        "--region",
        "KZ-75",
        "--password-stdin",
    ];
    let output = ustaz(&db, &args, "a long enough passphrase\n");
    assert!(output.status.success(), "{}", stderr(&output));
    let id: i32 = stdout(&output).parse().expect("an id on standard output");

    let mut conn = ustaz::db::establish(&db.url).expect("connect");
    let (email, name, role, region, hash, verified): (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        bool,
    ) = users::table
        .left_join(regions::table)
        .filter(users::id.eq(id))
        .select((
            users::email,
            users::full_name,
            users::role,
            regions::code.nullable(),
            users::password_hash,
            users::email_verified_at.is_not_null(),
        ))
        .first(&mut conn)
        .expect("the new user");
    assert_eq!(email, "coordinator@almaty.kz");
    assert_eq!(name, "Әлия Сапарова");
    assert_eq!(role, "coordinator");
    assert_eq!(region.as_deref(), Some("KZ-75"));
    let hash = hash.expect("a password hash");
    assert!(hash.starts_with("$argon2id$") && !hash.contains("passphrase"));
    assert!(verified);
}

#[test]
fn create_user_refuses_duplicates_and_bad_input_with_a_clear_message() {
    let db = TestDatabase::new();
    let make = |email: &str, extra: &[&str], password: &str| {
        let mut args = vec![
            "create-user",
            "--role",
            "admin",
            "--email",
            email,
            "--name",
            "Admin",
        ];
        args.extend_from_slice(extra);
        args.push("--password-stdin");
        ustaz(&db, &args, password)
    };
    let first = make("admin@ustaz.kz", &[], "correct horse battery staple");
    assert!(first.status.success(), "{}", stderr(&first));

    let duplicate = make("ADMIN@ustaz.kz", &[], "another good password");
    assert_eq!(duplicate.status.code(), Some(1));
    assert!(
        stderr(&duplicate).contains("already exists"),
        "{}",
        stderr(&duplicate)
    );

    let bad_email = make("not-an-email", &[], "correct horse battery staple");
    assert_eq!(bad_email.status.code(), Some(1));
    assert!(
        stderr(&bad_email).contains("Enter an email address in the correct format"),
        "{}",
        stderr(&bad_email)
    );

    let short = make("short@ustaz.kz", &[], "short");
    assert_eq!(short.status.code(), Some(1));
    assert!(
        stderr(&short).contains("at least 8 characters"),
        "{}",
        stderr(&short)
    );

    let region = make(
        "region@ustaz.kz",
        &["--region", "KZ-00"],
        "correct horse battery staple",
    );
    assert_eq!(region.status.code(), Some(1));
    assert!(
        stderr(&region).contains("unknown region code"),
        "{}",
        stderr(&region)
    );

    let mut coordinator = Command::new(env!("CARGO_BIN_EXE_ustaz"));
    let output = coordinator
        .args([
            "create-user",
            "--role",
            "coordinator",
            "--email",
            "c@ustaz.kz",
            "--name",
            "C",
            "--password-stdin",
        ])
        .env("DATABASE_URL", &db.url)
        .env("USTAZ_DATA_DIR", db.data_dir())
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));

    let mut conn = ustaz::db::establish(&db.url).expect("connect");
    let count: i64 = users::table.count().get_result(&mut conn).expect("count");
    assert_eq!(count, 1, "nothing but the first account was written");
}

#[test]
fn seed_courses_installs_the_starter_courses_once() {
    use ustaz::schema::{courses, modules, quiz_questions};
    let db = TestDatabase::new();
    let first = ustaz(&db, &["seed-courses"], "");
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(stdout(&first).lines().count(), 5, "{}", stdout(&first));
    let again = ustaz(&db, &["seed-courses"], "");
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("already installed"));

    let mut conn = ustaz::db::establish(&db.url).expect("connect");
    let published: Vec<(String, String)> = courses::table
        .filter(courses::status.eq("published"))
        .select((courses::slug, courses::language))
        .order(courses::slug)
        .load(&mut conn)
        .expect("courses");
    assert_eq!(published.len(), 5);
    for lang in ["kk", "ru", "en"] {
        assert!(published.iter().any(|(_, l)| l == lang), "{lang}");
    }
    let lessons: i64 = modules::table
        .filter(modules::kind.eq("lesson"))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert!(lessons >= 4 * 5 - 2, "{lessons}");
    let questions: i64 = quiz_questions::table
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert!(questions >= 40, "{questions}");
}
