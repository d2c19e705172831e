use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use ustaz::accounts::models::{create_user, email_taken, NewUser};

use ustaz::configuration::Settings;
use ustaz::db::{establish, run_migrations};
use ustaz::domain::{Email, FullName, Password, Role};
use ustaz::i18n::Lang;
use ustaz::schools::models::region_by_code;
use ustaz::startup::Application;

/// jemalloc's background thread gives freed memory back to the system, so the heap shrinks again
/// after a burst of sign-ins or dashboard computations (`bench/memory.sh` measures it).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Ustaz: professional-development courses in inclusive education for teachers.
#[derive(Parser)]
#[command(name = "ustaz", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the site (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Install the starter courses in inclusive education (those not there yet), published.
    SeedCourses {
        /// Also bring the installed starter courses up to date: their quizzes (pools, pass
        /// marks, attempt policies) and descriptions are replaced by the shipped ones and their
        /// practical tasks added; open attempts at a replaced quiz are deleted, submitted
        /// attempts keep their scores. One transaction and one audit event per course.
        #[arg(long)]
        refresh: bool,
    },
    /// Fill a fresh database with a realistic, deterministic demo country: regions, ~7,000
    /// schools, N teachers, enrolments, progress and certificates over 2021–2025.
    SeedDemo {
        /// How many teachers (Kazakhstan has about 400,000).
        #[arg(long)]
        teachers: u32,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 2025)]
        seed: u64,
    },
    /// Remove the teachers who registered more than USTAZ_UNCONFIRMED_DAYS days ago (7 by
    /// default) and never confirmed their address (the server also does it every hour).
    PurgeUnconfirmed,
    /// Create an account; the password is read from standard input.
    CreateUser {
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Region code (ISO 3166-2:KZ, e.g. KZ-75); required for a coordinator.
        #[arg(long)]
        region: Option<String>,
        /// Read the password from standard input (the only way to give it).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

fn main() -> ExitCode {
    // Before anything is written: files the process creates (the SQLite database and its
    // -wal/-shm, keys, mail) are its owner's only, 0600, and folders 0700.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    ustaz::telemetry::init();
    let cli = Cli::parse();
    let result =
        private_settings().and_then(|settings| match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(settings),
            Command::Migrate => {
                migrate(&settings).map(|applied| println!("{applied} migration(s) applied"))
            }
            Command::SeedCourses { refresh } => seed_courses(&settings, refresh),
            Command::PurgeUnconfirmed => purge_unconfirmed(&settings),
            Command::SeedDemo { teachers, seed } => seed_demo(&settings, teachers, seed),
            Command::CreateUser {
                role,
                email,
                name,
                region,
                password_stdin: _,
            } => {
                let mut password = String::new();
                std::io::stdin()
                    .read_to_string(&mut password)
                    .context("cannot read the password from standard input")?;
                let password = password.trim_end_matches(['\n', '\r']);
                cli_create_user(&settings, &role, &email, &name, region.as_deref(), password)
                    .map(|id| println!("{id}"))
            }
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The settings, once nothing in the data folder is readable by others: what an older version or
/// a copy left readable is tightened (with a warning) before the database is opened.
fn private_settings() -> anyhow::Result<Settings> {
    let settings = Settings::from_env()?;
    ustaz::db::secure_data_dir(&settings.data_dir, &settings.database_url);
    Ok(settings)
}

fn migrate(settings: &Settings) -> anyhow::Result<usize> {
    let mut conn = establish(&settings.database_url)?;
    run_migrations(&mut conn)
}

fn purge_unconfirmed(settings: &Settings) -> anyhow::Result<()> {
    let mut conn = establish(&settings.database_url)?;
    run_migrations(&mut conn)?;
    let days = settings.purge.days;
    let removed = ustaz::accounts::ops::purge_unconfirmed(&mut conn, days)?;
    println!("removed {removed} account(s) unconfirmed for more than {days} days");
    Ok(())
}

fn seed_courses(settings: &Settings, refresh: bool) -> anyhow::Result<()> {
    use ustaz::courses::seed::{self, RefreshOutcome};
    let mut conn = establish(&settings.database_url)?;
    run_migrations(&mut conn)?;
    let now = chrono::Utc::now().naive_utc();
    let added = seed::install(&mut conn, now)?;
    for slug in &added {
        println!("installed {slug}");
    }
    if !refresh {
        if added.is_empty() {
            println!("the starter courses are already installed (--refresh updates their quizzes)");
        }
        return Ok(());
    }
    for (slug, outcome) in seed::refresh(&mut conn, now)? {
        match outcome {
            RefreshOutcome::NotInstalled => println!("{slug}: not installed"),
            RefreshOutcome::UpToDate if added.contains(&slug) => {}
            RefreshOutcome::UpToDate => println!("{slug}: already up to date"),
            RefreshOutcome::Refreshed(done) => {
                println!(
                    "{slug}: refreshed{}",
                    if done.description_updated {
                        " (description updated)"
                    } else {
                        ""
                    }
                );
                if !done.quizzes.is_empty() {
                    println!(
                        "  quiz {}: {} questions replaced by {}; {} open attempt(s) deleted, submitted attempts keep their scores",
                        done.quizzes.join(", "),
                        done.questions_before,
                        done.questions_after,
                        done.open_attempts_deleted
                    );
                }
                for task in done.tasks_added {
                    println!("  practical task {task} added");
                }
            }
        }
    }
    Ok(())
}

fn seed_demo(settings: &Settings, teachers: u32, seed: u64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut conn = establish(&settings.database_url)?;
    run_migrations(&mut conn)?;
    // One random password for the demo's staff accounts, hashed once.
    let password = format!("demo-{}", hex::encode(rand::random::<[u8; 6]>()));
    let hash = Password::parse(&password)
        .map_err(|e| anyhow::anyhow!(Lang::En.t(e.key())))?
        .hash()?;
    let options = ustaz::demo::DemoOptions { teachers, seed };
    let report = ustaz::demo::seed(
        &mut conn,
        options,
        &hash,
        &password,
        chrono::Utc::now().naive_utc(),
    )?;
    println!(
        "seeded {} teachers, {} schools, {} enrolments, {} certificates in {:.1} s",
        report.teachers,
        report.schools,
        report.enrolments,
        report.certificates,
        started.elapsed().as_secs_f64()
    );
    println!(
        "sign in at {}/login with password {}",
        settings.base_url, report.password
    );
    println!("  administrator: {}", report.admin_email);
    for (region, email) in &report.coordinators {
        println!("  coordinator of {region}: {email}");
    }
    Ok(())
}

/// Serves at once, even while the database is unreachable (503 until it can be migrated).
fn serve(settings: Settings) -> anyhow::Result<()> {
    tracing::info!(settings = ?settings, "starting");
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build_migrating(settings)?;
        app.run_until_stopped().await?;
        Ok(())
    })
}

/// Checks every input before touching the database, and says in plain words what is wrong.
fn cli_create_user(
    settings: &Settings,
    role: &str,
    email: &str,
    name: &str,
    region: Option<&str>,
    password: &str,
) -> anyhow::Result<i32> {
    let say = |e: ustaz::domain::InputError| anyhow::anyhow!(Lang::En.t(e.key()));
    let role = Role::parse(role).map_err(say)?;
    let email = Email::parse(email).map_err(say)?;
    let full_name = FullName::parse(name).map_err(say)?;
    let password = Password::parse(password).map_err(say)?;
    let mut conn = establish(&settings.database_url)?;
    run_migrations(&mut conn)?;
    let region_id = match region {
        Some(code) => Some(
            region_by_code(&mut conn, code)?
                .with_context(|| format!("unknown region code {code:?} (expected e.g. KZ-75)"))?
                .id,
        ),
        None if role == Role::Coordinator => anyhow::bail!("a coordinator needs --region"),
        None => None,
    };
    anyhow::ensure!(
        !email_taken(&mut conn, &email)?,
        "a user with the email {email} already exists"
    );
    let hash = password.hash()?;
    let user = NewUser {
        email: &email,
        full_name: &full_name,
        role,
        region_id,
        password_hash: Some(&hash),
    };
    create_user(&mut conn, &user).map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => {
            anyhow::anyhow!("a user with the email {email} already exists")
        }
        other => other.into(),
    })
}
