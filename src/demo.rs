//! `ustaz seed-demo`: a realistic, deterministic country to try the dashboards with — all 20
//! regions, about 7,000 schools, N teachers spread by region population and teaching category,
//! the starter courses, enrolments, progress and certificates from 2021 to 2025, so that the
//! national target is reached late in 2025 and some regions lag behind.
//!
//! Everything is drawn from one seeded generator, so the same `--teachers` and `--seed` give the
//! same database. Rows are written in multi-row inserts inside one transaction, with explicit ids
//! (so no row needs a round trip to learn its id).

use std::collections::HashMap;

use anyhow::Context;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::certificates::models::{code_from, format_serial};
use crate::courses::models as courses;
use crate::db::{self, AnyConnection};
use crate::domain::CertificateMode;
use crate::on_backend;
use crate::schema::{
    certificate_serials, certificates, enrolments, module_progress, regions, schools, users,
};

/// About this many schools in the country.
pub const SCHOOLS: usize = 7_000;
/// Share of schools with conditions for inclusive education, nationally (PRODUCT.md: about 70%).
const INCLUSIVE_SHARE: f64 = 0.70;
/// Share of teachers trained by the end of 2025: 7.8% of 400,000 is 31,200, past the 30,000 target.
const TRAINED_SHARE: f64 = 0.078;
/// Rows per multi-row insert: below SQLite's 32,766 bound parameters for the widest table.
const CHUNK: usize = 1_000;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub teachers: u32,
    pub seed: u64,
}

/// What was created, and how to sign in.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub teachers: usize,
    pub schools: usize,
    pub enrolments: usize,
    pub certificates: usize,
    pub admin_email: String,
    pub password: String,
    /// (region code, coordinator email)
    pub coordinators: Vec<(String, String)>,
}

struct Region {
    id: i32,
    code: String,
    population: i64,
}

#[derive(Insertable)]
#[diesel(table_name = schools, treat_none_as_default_value = false)]
struct SchoolRow {
    id: i32,
    region_id: i32,
    name: String,
    kind: &'static str,
    district: Option<String>,
    inclusive_conditions: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
struct UserRow {
    id: i32,
    email: String,
    full_name: String,
    role: &'static str,
    region_id: Option<i32>,
    school_id: Option<i32>,
    category: Option<&'static str>,
    language: &'static str,
    password_hash: Option<String>,
    email_verified_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = enrolments, treat_none_as_default_value = false)]
struct EnrolmentRow {
    id: i32,
    user_id: i32,
    course_id: i32,
    status: &'static str,
    enrolled_at: NaiveDateTime,
    completed_at: Option<NaiveDateTime>,
    withdrawn_at: Option<NaiveDateTime>,
    last_activity_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = module_progress, treat_none_as_default_value = false)]
struct ProgressRow {
    enrolment_id: i32,
    module_id: i32,
    completed_at: Option<NaiveDateTime>,
    best_score: Option<i32>,
    attempts: i32,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = certificates, treat_none_as_default_value = false)]
struct CertificateRow {
    enrolment_id: i32,
    user_id: i32,
    course_id: i32,
    serial: String,
    serial_year: i32,
    serial_number: i32,
    verification_code: String,
    teacher_name: String,
    course_title: String,
    hours: i32,
    issued_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    revocation_reason: Option<String>,
}

/// A starter course as the demo uses it.
struct DemoCourse {
    id: i32,
    title: String,
    hours: i32,
    automatic: bool,
    /// (module id, is a quiz)
    required: Vec<(i32, bool)>,
}

const FEMALE: [&str; 24] = [
    "Айгерім",
    "Гүлнар",
    "Динара",
    "Жанар",
    "Әсел",
    "Мадина",
    "Салтанат",
    "Ақмарал",
    "Нұргүл",
    "Самал",
    "Индира",
    "Алия",
    "Анна",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Светлана",
    "Гүлмира",
    "Айжан",
    "Камила",
    "Дана",
    "Меруерт",
    "Ұлжан",
];
const MALE: [&str; 16] = [
    "Нұрлан",
    "Ерлан",
    "Асхат",
    "Бауыржан",
    "Дәурен",
    "Марат",
    "Серік",
    "Қайрат",
    "Ержан",
    "Тимур",
    "Алексей",
    "Сергей",
    "Андрей",
    "Дмитрий",
    "Арман",
    "Бекзат",
];
/// Surnames in the male form; the female form adds -а (or is the same for -ұлы/-ова style ones).
const SURNAMES: [&str; 24] = [
    "Ахметов",
    "Жұмабаев",
    "Сейтқалиев",
    "Нұрпейісов",
    "Омаров",
    "Қасымов",
    "Әбенов",
    "Тоқтаров",
    "Бекмұхамбетов",
    "Исмаилов",
    "Серікбаев",
    "Ибраев",
    "Иванов",
    "Петров",
    "Ким",
    "Цой",
    "Шевченко",
    "Мусин",
    "Байжанов",
    "Оспанов",
    "Есенов",
    "Құдайбергенов",
    "Садықов",
    "Жақсылықов",
];

/// Fills an empty database (no users yet) with the demo country. `now` ends the activity.
pub fn seed(
    conn: &mut AnyConnection,
    options: DemoOptions,
    password_hash: &str,
    password: &str,
    now: NaiveDateTime,
) -> anyhow::Result<DemoReport> {
    anyhow::ensure!(options.teachers > 0, "--teachers must be at least 1");
    let existing: i64 = users::table.count().get_result(conn)?;
    anyhow::ensure!(
        existing == 0,
        "the database already has {existing} users; seed-demo fills a fresh database (set DATABASE_URL or USTAZ_DATA_DIR to a new one)"
    );
    crate::courses::seed::install(conn, now)?;
    let courses = demo_courses(conn)?;
    let regions: Vec<Region> = regions::table
        .order(regions::id)
        .select((regions::id, regions::code, regions::population_thousands))
        .load::<(i32, String, i32)>(conn)?
        .into_iter()
        .map(|(id, code, population)| Region {
            id,
            code,
            population: i64::from(population),
        })
        .collect();
    anyhow::ensure!(
        !regions.is_empty(),
        "the regions are missing: run `ustaz migrate`"
    );

    let mut rng = StdRng::seed_from_u64(options.seed);
    let mut world = World::default();
    world.staff(&regions, password_hash, now);
    world.schools(&mut rng, &regions, now);
    world.teachers(&mut rng, &regions, options.teachers as usize);
    world.learning(&mut rng, &regions, &courses, now);

    db::transaction(conn, |conn| world.write(conn)).context("writing the demo data")?;
    // Fresh statistics for the query planners after a bulk load (both databases know ANALYZE).
    diesel::sql_query("ANALYZE").execute(conn)?;
    Ok(DemoReport {
        teachers: options.teachers as usize,
        schools: world.schools.len(),
        enrolments: world.enrolments.len(),
        certificates: world.certificates.len(),
        admin_email: ADMIN_EMAIL.to_owned(),
        password: password.to_owned(),
        coordinators: regions
            .iter()
            .map(|r| (r.code.clone(), coordinator_email(&r.code)))
            .collect(),
    })
}

const ADMIN_EMAIL: &str = "admin@demo.ustaz.kz";

fn coordinator_email(code: &str) -> String {
    format!("coordinator.{}@demo.ustaz.kz", code.to_lowercase())
}

/// Language by slug suffix: the Foundations course in each language, then the SEN course.
fn demo_courses(conn: &mut AnyConnection) -> anyhow::Result<HashMap<&'static str, DemoCourse>> {
    let mut found = HashMap::new();
    for (key, slug) in [
        ("kk", "foundations-of-inclusive-education-kk"),
        ("ru", "foundations-of-inclusive-education-ru"),
        ("sen", "supporting-learners-with-sen-ru"),
    ] {
        let course = courses::course_by_slug(conn, slug)?
            .with_context(|| format!("starter course {slug} is missing"))?;
        let required = courses::modules_of(conn, course.id, false)?
            .into_iter()
            .filter(|m| m.required)
            .map(|m| (m.id, m.is_quiz()))
            .collect();
        found.insert(
            key,
            DemoCourse {
                id: course.id,
                automatic: course.certificate_mode() == CertificateMode::Automatic,
                title: course.title,
                hours: course.hours,
                required,
            },
        );
    }
    Ok(found)
}

#[derive(Default)]
struct World {
    users: Vec<UserRow>,
    schools: Vec<SchoolRow>,
    /// Per region id: the ids of its schools.
    schools_of: HashMap<i32, Vec<i32>>,
    /// (user id, region id, teacher name, language)
    teachers: Vec<(i32, i32, String, &'static str)>,
    enrolments: Vec<EnrolmentRow>,
    progress: Vec<ProgressRow>,
    certificates: Vec<CertificateRow>,
    /// Reviewed completions left waiting in the queue so far.
    waiting: usize,
}

/// At least this many reviewed completions wait in the queue, whatever their dates.
const WAITING_AT_LEAST: usize = 6;

fn at(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Splits `total` in proportion to `weights` (largest remainder), so the parts add up exactly.
fn apportion(total: usize, weights: &[i64]) -> Vec<usize> {
    let sum: i64 = weights.iter().sum::<i64>().max(1);
    let mut parts: Vec<(usize, usize, i64)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let exact = total as i128 * i128::from(*w);
            (
                i,
                (exact / i128::from(sum)) as usize,
                (exact % i128::from(sum)) as i64,
            )
        })
        .collect();
    let short = total - parts.iter().map(|p| p.1).sum::<usize>();
    parts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for part in parts.iter_mut().take(short) {
        part.1 += 1;
    }
    parts.sort_by_key(|p| p.0);
    parts.into_iter().map(|p| p.1).collect()
}

impl World {
    fn staff(&mut self, regions: &[Region], password_hash: &str, now: NaiveDateTime) {
        let mut id = 1;
        let mut add = |email: String, name: String, role, region_id| {
            self.users.push(UserRow {
                id,
                email,
                full_name: name,
                role,
                region_id,
                school_id: None,
                category: None,
                language: "ru",
                password_hash: Some(password_hash.to_owned()),
                email_verified_at: Some(now),
                created_at: now,
                updated_at: now,
            });
            id += 1;
        };
        add(
            ADMIN_EMAIL.to_owned(),
            "Demo administrator".to_owned(),
            "admin",
            None,
        );
        for region in regions {
            add(
                coordinator_email(&region.code),
                format!("Demo coordinator {}", region.code),
                "coordinator",
                Some(region.id),
            );
        }
    }

    fn schools(&mut self, rng: &mut StdRng, regions: &[Region], now: NaiveDateTime) {
        let weights: Vec<i64> = regions.iter().map(|r| r.population).collect();
        let mut id = 1;
        for (region, count) in regions.iter().zip(apportion(SCHOOLS, &weights)) {
            // Each region's share of schools with inclusive conditions sits around the national one.
            let share = (INCLUSIVE_SHARE + rng.random_range(-0.15..0.15)).clamp(0.0, 1.0);
            let ids = self.schools_of.entry(region.id).or_default();
            for n in 1..=count {
                let (kind, name) = match n % 10 {
                    0 => ("kindergarten", format!("Ясли-сад №{n}")),
                    5 if n % 20 == 5 => ("special", format!("Специальная школа №{n}")),
                    _ => ("school", format!("Школа-гимназия №{n}")),
                };
                self.schools.push(SchoolRow {
                    id,
                    region_id: region.id,
                    name,
                    kind,
                    district: Some(format!("Район {}", n % 12 + 1)),
                    inclusive_conditions: rng.random_bool(share),
                    created_at: now,
                    updated_at: now,
                });
                ids.push(id);
                id += 1;
            }
        }
    }

    fn teachers(&mut self, rng: &mut StdRng, regions: &[Region], total: usize) {
        let weights: Vec<i64> = regions.iter().map(|r| r.population).collect();
        let mut id = self.users.len() as i32 + 1;
        for (region, count) in regions.iter().zip(apportion(total, &weights)) {
            let schools = &self.schools_of[&region.id];
            for _ in 0..count {
                let female = rng.random_bool(0.8);
                let first = if female {
                    FEMALE[rng.random_range(0..FEMALE.len())]
                } else {
                    MALE[rng.random_range(0..MALE.len())]
                };
                let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
                let surname = if female && surname.ends_with(['в', 'н']) {
                    format!("{surname}а")
                } else {
                    surname.to_owned()
                };
                let name = format!("{surname} {first}");
                let category = match rng.random_range(0..100) {
                    0..18 => "preschool",
                    18..88 => "general",
                    88..95 => "special",
                    _ => "other",
                };
                let language = if rng.random_bool(0.62) { "kk" } else { "ru" };
                let joined = at(date(2020, 9, 1)) + Duration::days(rng.random_range(0..1_800));
                self.users.push(UserRow {
                    id,
                    email: format!("teacher{id}@demo.ustaz.kz"),
                    full_name: name.clone(),
                    role: "teacher",
                    region_id: Some(region.id),
                    school_id: Some(schools[rng.random_range(0..schools.len())]),
                    category: Some(category),
                    language,
                    password_hash: None,
                    email_verified_at: Some(joined),
                    created_at: joined,
                    updated_at: joined,
                });
                self.teachers.push((id, region.id, name, language));
                id += 1;
            }
        }
    }

    fn learning(
        &mut self,
        rng: &mut StdRng,
        regions: &[Region],
        courses: &HashMap<&'static str, DemoCourse>,
        now: NaiveDateTime,
    ) {
        // Some regions are ahead, some lag: a factor per region, normalised so the country as a
        // whole trains TRAINED_SHARE of its teachers.
        let pace: HashMap<i32, f64> = regions
            .iter()
            .map(|r| (r.id, rng.random_range(0.55..1.45)))
            .collect();
        let weighted: f64 = self.teachers.iter().map(|t| pace[&t.1]).sum();
        let base = TRAINED_SHARE * self.teachers.len() as f64 / weighted.max(1.0);
        let start = at(date(2021, 1, 11));
        let end = at(date(2025, 12, 20)).min(now);
        let span = (end - start).num_seconds() as f64;
        let teachers = std::mem::take(&mut self.teachers);
        let mut issued: Vec<(usize, NaiveDateTime)> = Vec::new();
        let mut enrolment_id = 1;
        for (user_id, region_id, name, language) in &teachers {
            let foundations = &courses[*language];
            let roll: f64 = rng.random();
            let trained = roll < base * pace[region_id];
            if trained {
                // Completions accelerate over the five years: the cumulative share grows as t^2.5.
                let t: f64 = rng.random::<f64>().powf(1.0 / 2.5);
                let completed = start + Duration::seconds((t * span) as i64);
                let enrolled = completed - Duration::days(rng.random_range(10..90));
                self.complete(
                    enrolment_id,
                    *user_id,
                    foundations,
                    enrolled,
                    completed,
                    rng,
                );
                issued.push((
                    self.certificates_pending(
                        enrolment_id,
                        *user_id,
                        foundations,
                        name,
                        completed,
                        rng,
                    ),
                    completed,
                ));
                enrolment_id += 1;
                // One in eight goes on to the course on special educational needs.
                if rng.random_bool(0.125) {
                    let sen = &courses["sen"];
                    let enrolled = completed + Duration::days(rng.random_range(5..120));
                    let done = enrolled + Duration::days(rng.random_range(14..100));
                    if done < end {
                        self.complete(enrolment_id, *user_id, sen, enrolled, done, rng);
                        // Reviewed courses: reviewed within a fortnight, but December's
                        // wait (and the first few, so the queue is never empty).
                        let waits = !sen.automatic
                            && (done >= at(date(2025, 12, 1)) || self.waiting < WAITING_AT_LEAST);
                        if waits {
                            self.waiting += 1;
                        } else {
                            let when = done + Duration::days(rng.random_range(1..14));
                            issued.push((
                                self.certificates_pending(
                                    enrolment_id,
                                    *user_id,
                                    sen,
                                    name,
                                    when,
                                    rng,
                                ),
                                when,
                            ));
                        }
                    } else {
                        self.in_progress(enrolment_id, *user_id, sen, enrolled, now, rng);
                    }
                    enrolment_id += 1;
                }
            } else if roll < base * pace[region_id] + 0.07 {
                // Started, not finished: some recently active, many stalled.
                let enrolled = now - Duration::days(rng.random_range(20..400));
                self.in_progress(enrolment_id, *user_id, foundations, enrolled, now, rng);
                enrolment_id += 1;
            } else if roll < base * pace[region_id] + 0.085 {
                let enrolled = now - Duration::days(rng.random_range(60..900));
                self.enrolments.push(EnrolmentRow {
                    id: enrolment_id,
                    user_id: *user_id,
                    course_id: foundations.id,
                    status: "withdrawn",
                    enrolled_at: enrolled,
                    completed_at: None,
                    withdrawn_at: Some(enrolled + Duration::days(7)),
                    last_activity_at: enrolled + Duration::days(7),
                });
                enrolment_id += 1;
            }
        }
        self.teachers = teachers;
        // Serials run per year in order of issue.
        issued.sort_by_key(|(index, when)| (*when, *index));
        let mut numbers: HashMap<i32, i32> = HashMap::new();
        for (index, when) in issued {
            let year = chrono::Datelike::year(&when);
            let number = numbers.entry(year).or_insert(0);
            *number += 1;
            let certificate = &mut self.certificates[index];
            certificate.issued_at = when;
            certificate.serial_year = year;
            certificate.serial_number = *number;
            certificate.serial = format_serial(year, *number);
        }
    }

    fn complete(
        &mut self,
        id: i32,
        user_id: i32,
        course: &DemoCourse,
        enrolled: NaiveDateTime,
        completed: NaiveDateTime,
        rng: &mut StdRng,
    ) {
        self.enrolments.push(EnrolmentRow {
            id,
            user_id,
            course_id: course.id,
            status: "completed",
            enrolled_at: enrolled,
            completed_at: Some(completed),
            withdrawn_at: None,
            last_activity_at: completed,
        });
        let steps = course.required.len() as i64;
        for (i, (module_id, quiz)) in course.required.iter().enumerate() {
            let when = enrolled + (completed - enrolled) * (i as i32 + 1) / steps.max(1) as i32;
            self.progress.push(ProgressRow {
                enrolment_id: id,
                module_id: *module_id,
                completed_at: Some(when),
                best_score: quiz.then(|| rng.random_range(80..=100)),
                attempts: if *quiz { rng.random_range(1..=3) } else { 1 },
                updated_at: when,
            });
        }
    }

    fn in_progress(
        &mut self,
        id: i32,
        user_id: i32,
        course: &DemoCourse,
        enrolled: NaiveDateTime,
        now: NaiveDateTime,
        rng: &mut StdRng,
    ) {
        let done = rng.random_range(0..course.required.len().max(1));
        let last = (enrolled + Duration::days(rng.random_range(0..120))).min(now);
        self.enrolments.push(EnrolmentRow {
            id,
            user_id,
            course_id: course.id,
            status: "active",
            enrolled_at: enrolled,
            completed_at: None,
            withdrawn_at: None,
            last_activity_at: last,
        });
        for (module_id, quiz) in course.required.iter().take(done) {
            self.progress.push(ProgressRow {
                enrolment_id: id,
                module_id: *module_id,
                completed_at: Some(last),
                best_score: quiz.then(|| rng.random_range(80..=100)),
                attempts: 1,
                updated_at: last,
            });
        }
    }

    /// Adds a certificate (serial assigned later, in order of issue); returns its index.
    fn certificates_pending(
        &mut self,
        enrolment_id: i32,
        user_id: i32,
        course: &DemoCourse,
        name: &str,
        issued_at: NaiveDateTime,
        rng: &mut StdRng,
    ) -> usize {
        // About one in a hundred certificates was revoked later.
        let revoked = rng
            .random_bool(0.01)
            .then(|| issued_at + Duration::days(rng.random_range(10..60)));
        self.certificates.push(CertificateRow {
            enrolment_id,
            user_id,
            course_id: course.id,
            serial: String::new(),
            serial_year: 0,
            serial_number: 0,
            verification_code: code_from(rng),
            teacher_name: name.to_owned(),
            course_title: course.title.clone(),
            hours: course.hours,
            issued_at,
            revoked_at: revoked,
            revocation_reason: revoked.map(|_| {
                "Issued in error: the final assessment was not the teacher's own work".to_owned()
            }),
        });
        self.certificates.len() - 1
    }

    fn write(&self, conn: &mut AnyConnection) -> anyhow::Result<()> {
        for chunk in self.schools.chunks(CHUNK) {
            on_backend!(conn, |c| diesel::insert_into(schools::table)
                .values(chunk)
                .execute(c))?;
        }
        for chunk in self.users.chunks(CHUNK) {
            on_backend!(conn, |c| diesel::insert_into(users::table)
                .values(chunk)
                .execute(c))?;
        }
        for chunk in self.enrolments.chunks(CHUNK) {
            on_backend!(conn, |c| diesel::insert_into(enrolments::table)
                .values(chunk)
                .execute(c))?;
        }
        for chunk in self.progress.chunks(CHUNK) {
            on_backend!(conn, |c| diesel::insert_into(module_progress::table)
                .values(chunk)
                .execute(c))?;
        }
        for chunk in self.certificates.chunks(CHUNK) {
            on_backend!(conn, |c| diesel::insert_into(certificates::table)
                .values(chunk)
                .execute(c))?;
        }
        let mut last: HashMap<i32, i32> = HashMap::new();
        for c in &self.certificates {
            let n = last.entry(c.serial_year).or_insert(0);
            *n = (*n).max(c.serial_number);
        }
        for (year, number) in last {
            diesel::insert_into(certificate_serials::table)
                .values((
                    certificate_serials::year.eq(year),
                    certificate_serials::last_number.eq(number),
                ))
                .execute(conn)?;
        }
        // Explicit ids leave PostgreSQL's identity sequences behind: move them past the rows.
        if let AnyConnection::Pg(pg) = conn {
            for table in ["schools", "users", "enrolments"] {
                diesel::sql_query(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .execute(pg)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportioning_adds_up_and_follows_the_weights() {
        assert_eq!(apportion(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(
            apportion(7_000, &[610, 790, 930]).iter().sum::<usize>(),
            7_000
        );
        assert_eq!(apportion(0, &[5, 5]), vec![0, 0]);
        let parts = apportion(400_000, &[2_000, 1_000]);
        assert_eq!(parts, vec![266_667, 133_333]);
    }
}
