//! Small worlds for tests, written straight to the database by builders:
//! `UserBuilder::teacher("a@x.kz").region("KZ-75").expect_build(conn)` and the like. Each
//! builder starts from plain defaults, has a method for each thing a test cares about, and
//! ends with `build(conn)` (the database's answer) or `expect_build(conn)` (the new row's id).
//! Regions are named by their ISO code; times are `"2025-03-01"` or `"2025-03-01 10:00:00"`
//! (UTC), or a `NaiveDateTime`.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use ustaz::db::AnyConnection;
use ustaz::schema::{certificates, courses, enrolments, regions, schools, targets, users};

/// A timestamp written `2025-03-01 10:00:00`.
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("timestamp")
}

/// A moment, as the builders take it: a `NaiveDateTime`, or text with or without the time of
/// day (`2025-03-01` is its midnight).
pub trait Moment {
    fn moment(self) -> NaiveDateTime;
}

impl Moment for NaiveDateTime {
    fn moment(self) -> NaiveDateTime {
        self
    }
}

impl Moment for &str {
    fn moment(self) -> NaiveDateTime {
        match chrono::NaiveDate::parse_from_str(self, "%Y-%m-%d") {
            Ok(day) => day.and_time(chrono::NaiveTime::MIN),
            Err(_) => at(self),
        }
    }
}

/// The id of the region with the ISO code `code` (e.g. `KZ-75`, Almaty) in the seeded table.
pub fn region_id(conn: &mut AnyConnection, code: &str) -> i32 {
    regions::table
        .filter(regions::code.eq(code))
        .select(regions::id)
        .first(conn)
        .unwrap_or_else(|e| panic!("region {code}: {e}"))
}

/// A user written straight to the database: by default a teacher named "Teacher {email}" of
/// the general category, with no region, school or password, reading Kazakh, not confirmed.
pub struct UserBuilder {
    email: String,
    full_name: String,
    role: String,
    region: Option<String>,
    school: Option<i32>,
    category: Option<String>,
    language: String,
    iin: Option<String>,
    email_verified_at: Option<NaiveDateTime>,
    disabled_at: Option<NaiveDateTime>,
    last_reminded_at: Option<NaiveDateTime>,
}

impl UserBuilder {
    pub fn teacher(email: &str) -> Self {
        Self {
            email: email.to_owned(),
            full_name: format!("Teacher {email}"),
            role: "teacher".to_owned(),
            region: None,
            school: None,
            category: Some("general".to_owned()),
            language: "kk".to_owned(),
            iin: None,
            email_verified_at: None,
            disabled_at: None,
            last_reminded_at: None,
        }
    }

    /// `teacher`, `coordinator` or `admin`.
    pub fn role(mut self, role: &str) -> Self {
        self.role = role.to_owned();
        self
    }

    pub fn name(mut self, full_name: &str) -> Self {
        self.full_name = full_name.to_owned();
        self
    }

    /// The region, by its ISO code.
    pub fn region(mut self, code: &str) -> Self {
        self.region = Some(code.to_owned());
        self
    }

    /// The school, by its id (`None`: none).
    pub fn school(mut self, school: impl Into<Option<i32>>) -> Self {
        self.school = school.into();
        self
    }

    /// `preschool`, `general`, `special` or `other` (`None`: none).
    pub fn category<'a>(mut self, category: impl Into<Option<&'a str>>) -> Self {
        self.category = category.into().map(str::to_owned);
        self
    }

    /// `kk`, `ru` or `en`.
    pub fn language(mut self, language: &str) -> Self {
        self.language = language.to_owned();
        self
    }

    pub fn iin(mut self, iin: &str) -> Self {
        self.iin = Some(iin.to_owned());
        self
    }

    /// The email address confirmed now.
    pub fn confirmed(mut self) -> Self {
        self.email_verified_at = Some(Utc::now().naive_utc());
        self
    }

    /// The email address not confirmed (as by default).
    pub fn unconfirmed(mut self) -> Self {
        self.email_verified_at = None;
        self
    }

    pub fn disabled_on(mut self, when: impl Moment) -> Self {
        self.disabled_at = Some(when.moment());
        self
    }

    pub fn reminded_on(mut self, when: impl Moment) -> Self {
        self.last_reminded_at = Some(when.moment());
        self
    }

    pub fn build(self, conn: &mut AnyConnection) -> QueryResult<i32> {
        let region_id = self.region.as_deref().map(|code| region_id(conn, code));
        diesel::insert_into(users::table)
            .values((
                users::email.eq(&self.email),
                users::full_name.eq(&self.full_name),
                users::role.eq(&self.role),
                users::region_id.eq(region_id),
                users::school_id.eq(self.school),
                users::category.eq(&self.category),
                users::language.eq(&self.language),
                users::iin.eq(&self.iin),
                users::email_verified_at.eq(self.email_verified_at),
                users::disabled_at.eq(self.disabled_at),
                users::last_reminded_at.eq(self.last_reminded_at),
            ))
            .execute(conn)?;
        users::table
            .filter(users::email.eq(&self.email))
            .select(users::id)
            .first(conn)
    }

    pub fn expect_build(self, conn: &mut AnyConnection) -> i32 {
        let email = self.email.clone();
        self.build(conn)
            .unwrap_or_else(|e| panic!("user {email}: {e}"))
    }
}

/// A school of a region (by default Almaty, KZ-75): a `school`, without a district or
/// conditions for inclusive education.
pub struct SchoolBuilder {
    name: String,
    region: String,
    kind: String,
    district: Option<String>,
    inclusive: bool,
}

impl SchoolBuilder {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            region: "KZ-75".to_owned(),
            kind: "school".to_owned(),
            district: None,
            inclusive: false,
        }
    }

    /// The region, by its ISO code.
    pub fn region(mut self, code: &str) -> Self {
        self.region = code.to_owned();
        self
    }

    pub fn district(mut self, district: &str) -> Self {
        self.district = Some(district.to_owned());
        self
    }

    /// With conditions for inclusive education.
    pub fn inclusive(mut self) -> Self {
        self.inclusive = true;
        self
    }

    pub fn build(self, conn: &mut AnyConnection) -> QueryResult<i32> {
        let region_id = region_id(conn, &self.region);
        diesel::insert_into(schools::table)
            .values((
                schools::region_id.eq(region_id),
                schools::name.eq(&self.name),
                schools::kind.eq(&self.kind),
                schools::district.eq(&self.district),
                schools::inclusive_conditions.eq(self.inclusive),
            ))
            .execute(conn)?;
        schools::table
            .filter(schools::region_id.eq(region_id))
            .filter(schools::name.eq(&self.name))
            .select(schools::id)
            .first(conn)
    }

    pub fn expect_build(self, conn: &mut AnyConnection) -> i32 {
        let name = self.name.clone();
        self.build(conn)
            .unwrap_or_else(|e| panic!("school {name}: {e}"))
    }
}

/// A course titled "Course {slug}": Russian, 72 hours, inclusive education, certificates issued
/// automatically; by default a draft that does not count toward the targets.
pub struct CourseBuilder {
    slug: String,
    summary: Option<String>,
    status: &'static str,
    counts_toward_target: bool,
    certificate_mode: &'static str,
}

impl CourseBuilder {
    pub fn new(slug: &str) -> Self {
        Self {
            slug: slug.to_owned(),
            summary: None,
            status: "draft",
            counts_toward_target: false,
            certificate_mode: "automatic",
        }
    }

    /// Published (the status only: no publication time).
    pub fn published(mut self) -> Self {
        self.status = "published";
        self
    }

    /// Counts toward the targets.
    pub fn counting(mut self) -> Self {
        self.counts_toward_target = true;
        self
    }

    /// Certificates wait for an administrator's review.
    pub fn reviewed(mut self) -> Self {
        self.certificate_mode = "reviewed";
        self
    }

    pub fn summary(mut self, summary: &str) -> Self {
        self.summary = Some(summary.to_owned());
        self
    }

    pub fn build(self, conn: &mut AnyConnection) -> QueryResult<i32> {
        diesel::insert_into(courses::table)
            .values((
                courses::slug.eq(&self.slug),
                courses::title.eq(format!("Course {}", self.slug)),
                courses::summary.eq(self.summary.as_deref().unwrap_or_default()),
                courses::language.eq("ru"),
                courses::hours.eq(72),
                courses::competency_area.eq("inclusive"),
                courses::status.eq(self.status),
                courses::counts_toward_target.eq(self.counts_toward_target),
                courses::certificate_mode.eq(self.certificate_mode),
            ))
            .execute(conn)?;
        courses::table
            .filter(courses::slug.eq(&self.slug))
            .select(courses::id)
            .first(conn)
    }

    pub fn expect_build(self, conn: &mut AnyConnection) -> i32 {
        let slug = self.slug.clone();
        self.build(conn)
            .unwrap_or_else(|e| panic!("course {slug}: {e}"))
    }
}

/// A teacher's enrolment on a course: by default active, last active when written.
pub struct EnrolmentBuilder {
    user_id: i32,
    course_id: i32,
    status: &'static str,
    completed_at: Option<NaiveDateTime>,
    withdrawn_at: Option<NaiveDateTime>,
    last_activity_at: Option<NaiveDateTime>,
}

impl EnrolmentBuilder {
    pub fn new(user_id: i32, course_id: i32) -> Self {
        Self {
            user_id,
            course_id,
            status: "active",
            completed_at: None,
            withdrawn_at: None,
            last_activity_at: None,
        }
    }

    /// Completed at `when` (without a certificate).
    pub fn completed_on(mut self, when: impl Moment) -> Self {
        self.status = "completed";
        self.completed_at = Some(when.moment());
        self
    }

    /// Withdrawn, with no time of withdrawal.
    pub fn withdrawn(mut self) -> Self {
        self.status = "withdrawn";
        self
    }

    /// Withdrawn at `when`.
    pub fn withdrawn_on(mut self, when: impl Moment) -> Self {
        self.status = "withdrawn";
        self.withdrawn_at = Some(when.moment());
        self
    }

    pub fn last_active(mut self, when: impl Moment) -> Self {
        self.last_activity_at = Some(when.moment());
        self
    }

    pub fn build(self, conn: &mut AnyConnection) -> QueryResult<i32> {
        diesel::insert_into(enrolments::table)
            .values((
                enrolments::user_id.eq(self.user_id),
                enrolments::course_id.eq(self.course_id),
                enrolments::status.eq(self.status),
                enrolments::completed_at.eq(self.completed_at),
                enrolments::withdrawn_at.eq(self.withdrawn_at),
            ))
            .execute(conn)?;
        let id = enrolments::table
            .filter(enrolments::user_id.eq(self.user_id))
            .filter(enrolments::course_id.eq(self.course_id))
            .select(enrolments::id)
            .first(conn)?;
        if let Some(when) = self.last_activity_at {
            diesel::update(enrolments::table.find(id))
                .set(enrolments::last_activity_at.eq(when))
                .execute(conn)?;
        }
        Ok(id)
    }

    pub fn expect_build(self, conn: &mut AnyConnection) -> i32 {
        let (user, course) = (self.user_id, self.course_id);
        self.build(conn)
            .unwrap_or_else(|e| panic!("enrolment of user {user} on course {course}: {e}"))
    }
}

enum Holder {
    Enrolment(i32),
    /// A teacher and a course: an active enrolment is written for the certificate.
    Teacher {
        user_id: i32,
        course_id: i32,
    },
}

/// A certificate written straight to the database (not issued through the app: no email, no
/// audit): "Teacher", "Course", 72 hours, serial `UST-{year}-{number:06}` with the verification
/// code `TESTCODE{number:012}`.
pub struct CertificateBuilder {
    holder: Holder,
    serial_number: Option<i32>,
    issued_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl CertificateBuilder {
    /// A certificate of the teacher for the course, on an (active) enrolment written with it.
    pub fn new(user_id: i32, course_id: i32) -> Self {
        Self::of(Holder::Teacher { user_id, course_id })
    }

    /// A certificate of an enrolment already written.
    pub fn of_enrolment(enrolment_id: i32) -> Self {
        Self::of(Holder::Enrolment(enrolment_id))
    }

    fn of(holder: Holder) -> Self {
        Self {
            holder,
            serial_number: None,
            issued_at: at("2025-01-01 00:00:00"),
            revoked_at: None,
        }
    }

    /// The number in the serial (by default the next of its year).
    pub fn serial(mut self, number: i32) -> Self {
        self.serial_number = Some(number);
        self
    }

    /// Issued at `when` (by default at the start of 2025).
    pub fn issued_on(mut self, when: impl Moment) -> Self {
        self.issued_at = when.moment();
        self
    }

    /// Revoked at `when`, "Issued in error".
    pub fn revoked_on(mut self, when: impl Moment) -> Self {
        self.revoked_at = Some(when.moment());
        self
    }

    /// The new certificate's id.
    pub fn build(self, conn: &mut AnyConnection) -> QueryResult<i32> {
        let enrolment_id = match self.holder {
            Holder::Enrolment(id) => id,
            Holder::Teacher { user_id, course_id } => {
                EnrolmentBuilder::new(user_id, course_id).build(conn)?
            }
        };
        let (user_id, course_id): (i32, i32) = enrolments::table
            .find(enrolment_id)
            .select((enrolments::user_id, enrolments::course_id))
            .first(conn)?;
        let year = self
            .issued_at
            .format("%Y")
            .to_string()
            .parse::<i32>()
            .unwrap_or(2025);
        let serial_number = match self.serial_number {
            Some(number) => number,
            None => {
                let last: Option<i32> = certificates::table
                    .filter(certificates::serial_year.eq(year))
                    .select(diesel::dsl::max(certificates::serial_number))
                    .first(conn)?;
                last.unwrap_or(0) + 1
            }
        };
        diesel::insert_into(certificates::table)
            .values((
                certificates::enrolment_id.eq(enrolment_id),
                certificates::user_id.eq(user_id),
                certificates::course_id.eq(course_id),
                certificates::serial.eq(format!("UST-{year}-{serial_number:06}")),
                certificates::serial_year.eq(year),
                certificates::serial_number.eq(serial_number),
                certificates::verification_code.eq(format!("TESTCODE{serial_number:012}")),
                certificates::teacher_name.eq("Teacher"),
                certificates::course_title.eq("Course"),
                certificates::hours.eq(72),
                certificates::issued_at.eq(self.issued_at),
                certificates::revoked_at.eq(self.revoked_at),
                certificates::revocation_reason.eq(self.revoked_at.map(|_| "Issued in error")),
            ))
            .execute(conn)?;
        certificates::table
            .filter(certificates::enrolment_id.eq(enrolment_id))
            .select(certificates::id)
            .first(conn)
    }

    pub fn expect_build(self, conn: &mut AnyConnection) -> i32 {
        self.build(conn)
            .unwrap_or_else(|e| panic!("certificate: {e}"))
    }
}

/// Revokes a certificate already written, at `when`: "Issued in error".
pub fn revoke(conn: &mut AnyConnection, certificate_id: i32, when: impl Moment) {
    diesel::update(certificates::table.find(certificate_id))
        .set((
            certificates::revoked_at.eq(Some(when.moment())),
            certificates::revocation_reason.eq(Some("Issued in error")),
        ))
        .execute(conn)
        .expect("revoke");
}

/// A training target: national unless given a region; by default for 2021–2025.
pub struct TargetBuilder {
    name: String,
    teachers: i32,
    region: Option<String>,
    starts_on: NaiveDateTime,
    deadline: NaiveDateTime,
}

impl TargetBuilder {
    pub fn new(name: &str, teachers: i32) -> Self {
        Self {
            name: name.to_owned(),
            teachers,
            region: None,
            starts_on: at("2021-01-01 00:00:00"),
            deadline: at("2025-12-31 00:00:00"),
        }
    }

    /// A regional target, of the region with this ISO code.
    pub fn region(mut self, code: &str) -> Self {
        self.region = Some(code.to_owned());
        self
    }

    pub fn build(self, conn: &mut AnyConnection) -> QueryResult<i32> {
        let region_id = self.region.as_deref().map(|code| region_id(conn, code));
        diesel::insert_into(targets::table)
            .values((
                targets::name.eq(&self.name),
                targets::teachers.eq(self.teachers),
                targets::starts_on.eq(self.starts_on.date()),
                targets::deadline.eq(self.deadline.date()),
                targets::region_id.eq(region_id),
            ))
            .execute(conn)?;
        targets::table
            .filter(targets::name.eq(&self.name))
            .order(targets::id.desc())
            .select(targets::id)
            .first(conn)
    }

    pub fn expect_build(self, conn: &mut AnyConnection) -> i32 {
        let name = self.name.clone();
        self.build(conn)
            .unwrap_or_else(|e| panic!("target {name}: {e}"))
    }
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
