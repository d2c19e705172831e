//! Guard rails on the two sets of migrations (`migrations/sqlite`, `migrations/postgres`).
//!
//! Both backends' schemas are read back from the database's own catalogue and rendered as one
//! normalised text: tables, columns (type, nullability, default), primary keys, unique
//! constraints, foreign keys, indexes and triggers. The rendering after all migrations must equal
//! `tests/api/schema.snapshot` on SQLite and on PostgreSQL alike: that is the parity check. And
//! every migration's `down.sql` must bring the schema back to what it was before its `up.sql`.
//!
//! What the normaliser treats as the same: the spellings of a type (`INTEGER`/`int4`,
//! `TIMESTAMP`/`timestamp without time zone`, …), AUTOINCREMENT against an identity column,
//! PostgreSQL's casts and parentheses in defaults and index expressions, the names the backends
//! give the indexes behind PRIMARY KEY and UNIQUE constraints (rendered as `unique (…)` without a
//! name), and the order of an `UPDATE OF` trigger's columns. Not compared: CHECK constraints,
//! trigger bodies and whether a trigger fires per row or per statement (SQLite has only row
//! triggers; PostgreSQL's are per statement here), and the seeded reference data.
//!
//! `USTAZ_UPDATE_SCHEMA_SNAPSHOT=1 cargo test --test api schema` rewrites the snapshot.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use diesel::backend::Backend;
use diesel::sql_types::{Bool, Integer, Nullable, Text};
use diesel::{sql_query, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};
use ustaz::db::{establish, AnyConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

use crate::helpers::TestDatabase;

const SNAPSHOT: &str = "tests/api/schema.snapshot";
const UPDATE_VAR: &str = "USTAZ_UPDATE_SCHEMA_SNAPSHOT";
const DIESEL_TABLE: &str = "__diesel_schema_migrations";

#[test]
fn schema_after_all_migrations_matches_the_snapshot_on_either_backend() {
    let db = TestDatabase::new();
    let mut conn = establish(&db.url).expect("connect to the test database");
    ustaz::db::run_migrations(&mut conn).expect("migrate");
    let (backend, schema) = describe(&mut conn);
    assert_matches_snapshot(&schema, backend);
}

#[test]
fn schema_comes_back_after_each_migration_is_reverted() {
    let db = TestDatabase::new();
    let mut conn = establish(&db.url).expect("connect to the test database");
    match &mut conn {
        AnyConnection::Pg(c) => round_trip(
            c,
            || POSTGRES_MIGRATIONS,
            "PostgreSQL",
            |c| {
                let mut text = introspect_pg(c).render();
                text.push_str(&pg_extras(c));
                text
            },
        ),
        AnyConnection::Sqlite(c) => round_trip(
            c,
            || SQLITE_MIGRATIONS,
            "SQLite",
            |c| introspect_sqlite(c).render(),
        ),
    }
    // Applied again from nothing, the schema is the one every other database has.
    let (backend, schema) = describe(&mut conn);
    assert_matches_snapshot(&schema, backend);
}

/// The normaliser on what the migrations do not (yet) use, written the same on both backends:
/// a varchar, a partial descending expression index, ON DELETE SET NULL, a view, a BEFORE
/// trigger watching columns. Both backends must render it as written here.
#[test]
fn schema_rendering_spells_both_backends_alike() {
    use diesel::connection::SimpleConnection;
    let db = TestDatabase::new();
    let mut conn = establish(&db.url).expect("connect to the test database");
    ustaz::db::run_migrations(&mut conn).expect("migrate");
    conn.batch_execute(
        "CREATE TABLE zz_notes ( \
           id INTEGER PRIMARY KEY NOT NULL, \
           user_id INTEGER REFERENCES users (id) ON DELETE SET NULL, \
           body VARCHAR(20) NOT NULL DEFAULT 'x', \
           flagged BOOLEAN NOT NULL DEFAULT FALSE, \
           UNIQUE (body, user_id)); \
         CREATE INDEX zz_notes_recent ON zz_notes (user_id, LOWER(body) DESC) \
           WHERE flagged = TRUE AND body <> ''; \
         CREATE UNIQUE INDEX zz_notes_body ON zz_notes (body); \
         CREATE VIEW zz_flagged AS SELECT id FROM zz_notes WHERE flagged;",
    )
    .expect("create the extra objects");
    let trigger = match conn {
        AnyConnection::Pg(_) => {
            "CREATE TRIGGER zz_notes_touch BEFORE UPDATE OF flagged, body ON zz_notes \
             FOR EACH ROW EXECUTE FUNCTION bump_stats_version();"
        }
        AnyConnection::Sqlite(_) => {
            "CREATE TRIGGER zz_notes_touch BEFORE UPDATE OF flagged, body ON zz_notes \
             BEGIN SELECT 1; END;"
        }
    };
    conn.batch_execute(trigger).expect("create the trigger");

    let (backend, schema) = describe(&mut conn);
    assert!(
        schema.starts_with("view zz_flagged\n"),
        "{backend}: no view in\n{schema}"
    );
    let block = schema
        .split("\n\n")
        .find(|b| b.starts_with("table zz_notes\n"))
        .unwrap_or_default();
    let expected = "table zz_notes
  column id integer not null
  column user_id integer null
  column body text not null default 'x'
  column flagged boolean not null default false
  primary key (id)
  unique (body, user_id)
  foreign key (user_id) references users (id) on delete set null
  index zz_notes_recent (user_id, lower(body) desc) where flagged=true and body<>''
  unique index zz_notes_body (body)
  trigger zz_notes_touch before update of (body, flagged)
";
    assert!(
        block.trim_end() == expected.trim_end(),
        "{backend} renders the extra table otherwise:\n{}",
        line_diff(expected, block, "expected", backend)
    );
}

/// Applies the migrations one at a time, recording the schema before each; reverts them one at a
/// time, checking each revert restores what was there before that migration; applies them all
/// again and checks the schema is the one the first pass made.
fn round_trip<C, DB>(
    conn: &mut C,
    source: impl Fn() -> EmbeddedMigrations,
    backend: &str,
    describe: impl Fn(&mut C) -> String,
) where
    DB: Backend,
    C: MigrationHarness<DB>,
{
    let mut steps: Vec<(String, String, String)> = Vec::new();
    while conn
        .has_pending_migration(source())
        .unwrap_or_else(|e| panic!("{backend}: list pending migrations: {e}"))
    {
        let name = conn
            .pending_migrations(source())
            .unwrap_or_else(|e| panic!("{backend}: list pending migrations: {e}"))
            .first()
            .map(|m| m.name().to_string())
            .unwrap_or_default();
        let before = describe(conn);
        let version = conn
            .run_next_migration(source())
            .unwrap_or_else(|e| panic!("{backend}: apply migration {name}: {e}"))
            .to_string();
        steps.push((version, name, before));
    }
    assert!(steps.len() > 1, "{backend}: expected several migrations");
    let full = describe(conn);

    for (version, name, before) in steps.iter().rev() {
        let reverted = conn
            .revert_last_migration(source())
            .unwrap_or_else(|e| panic!("{backend}: revert migration {name}: {e}"))
            .to_string();
        assert_eq!(&reverted, version, "{backend}: reverted out of order");
        let after = describe(conn);
        assert!(
            after == *before,
            "{backend}: reverting migration {name} does not restore the schema from before it \
             (its down.sql does not undo its up.sql):\n{}",
            line_diff(
                before,
                &after,
                &format!("before {name}/up.sql"),
                &format!("after {name}/down.sql")
            )
        );
    }
    let left = conn
        .applied_migrations()
        .unwrap_or_else(|e| panic!("{backend}: list applied migrations: {e}"));
    assert!(left.is_empty(), "{backend}: still applied: {left:?}");

    conn.run_pending_migrations(source())
        .unwrap_or_else(|e| panic!("{backend}: apply all migrations again: {e}"));
    let again = describe(conn);
    assert!(
        again == full,
        "{backend}: the migrations applied again after a full revert give another schema:\n{}",
        line_diff(&full, &again, "first time", "second time")
    );
}

/// The backend's name and its normalised schema (what the snapshot holds).
fn describe(conn: &mut AnyConnection) -> (&'static str, String) {
    match conn {
        AnyConnection::Pg(c) => ("PostgreSQL", introspect_pg(c).render()),
        AnyConnection::Sqlite(c) => ("SQLite", introspect_sqlite(c).render()),
    }
}

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT)
}

fn assert_matches_snapshot(actual: &str, backend: &str) {
    let path = snapshot_path();
    if std::env::var(UPDATE_VAR).is_ok_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("write the schema snapshot");
        eprintln!("{UPDATE_VAR}=1: wrote {SNAPSHOT} from the {backend} schema");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "The {backend} schema after all migrations differs from {SNAPSHOT}.\n\
         The same snapshot must hold on SQLite and on PostgreSQL: a change on one backend only \
         means migrations/sqlite and migrations/postgres disagree.\n\n{}\n\
         If the change is intended (and made in both backends' migrations), regenerate the \
         snapshot with\n    {UPDATE_VAR}=1 cargo test --test api schema\n\
         and check the other backend against it, e.g.\n    \
         TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test --test api schema\n",
        line_diff(&expected, actual, SNAPSHOT, &format!("{backend} database"))
    );
}

// ---- The normalised description --------------------------------------------------------------

#[derive(Default)]
struct Schema {
    tables: BTreeMap<String, Table>,
    views: BTreeSet<String>,
}

#[derive(Default)]
struct Table {
    /// In declaration order.
    columns: Vec<String>,
    primary_key: Vec<String>,
    uniques: Vec<String>,
    foreign_keys: Vec<String>,
    indexes: Vec<String>,
    triggers: Vec<String>,
}

impl Schema {
    fn table(&mut self, name: &str) -> &mut Table {
        self.tables.entry(name.to_owned()).or_default()
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for view in &self.views {
            let _ = writeln!(out, "view {view}");
        }
        for (name, table) in &self.tables {
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "table {name}");
            for column in &table.columns {
                let _ = writeln!(out, "  column {column}");
            }
            if !table.primary_key.is_empty() {
                let _ = writeln!(out, "  primary key ({})", table.primary_key.join(", "));
            }
            for group in [
                &table.uniques,
                &table.foreign_keys,
                &table.indexes,
                &table.triggers,
            ] {
                let mut lines = group.clone();
                lines.sort();
                for line in lines {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
        out
    }
}

fn column_line(name: &str, raw_type: &str, not_null: bool, default: Option<&str>) -> String {
    let mut line = format!(
        "{name} {} {}",
        normal_type(raw_type),
        if not_null { "not null" } else { "null" }
    );
    if let Some(default) = default.map(normal_expr) {
        // A serial's sequence is the identity/AUTOINCREMENT difference the rendering leaves out.
        if default != "null" && !default.starts_with("nextval(") {
            let _ = write!(line, " default {default}");
        }
    }
    line
}

fn unique_line(columns: &[String]) -> String {
    format!("unique ({})", columns.join(", "))
}

fn foreign_key_line(
    columns: &[String],
    table: &str,
    references: &[String],
    on_delete: &str,
    on_update: &str,
) -> String {
    let mut line = format!(
        "foreign key ({}) references {table} ({})",
        columns.join(", "),
        references.join(", ")
    );
    for (what, action) in [("delete", on_delete), ("update", on_update)] {
        if action != "no action" {
            let _ = write!(line, " on {what} {action}");
        }
    }
    line
}

fn index_line(
    name: &str,
    unique: bool,
    keys: &[String],
    predicate: Option<&str>,
    method: &str,
) -> String {
    let mut line = format!(
        "{}index {name} ({})",
        if unique { "unique " } else { "" },
        keys.join(", ")
    );
    if method != "btree" {
        let _ = write!(line, " using {method}");
    }
    if let Some(predicate) = predicate {
        let _ = write!(line, " where {}", normal_expr_with(predicate, true));
    }
    line
}

fn trigger_line(name: &str, timing: &str, events: &[&str], mut columns: Vec<String>) -> String {
    columns.sort();
    let mut line = format!("trigger {name} {timing} {}", events.join(" or "));
    if !columns.is_empty() {
        let _ = write!(line, " of ({})", columns.join(", "));
    }
    line
}

/// The type as diesel's schema sees it, whichever backend's spelling.
fn normal_type(raw: &str) -> String {
    let lower = raw.trim().to_ascii_lowercase();
    let base = lower.split('(').next().unwrap_or_default().trim();
    match base {
        "integer" | "int" | "int4" => "integer",
        "bigint" | "int8" => "bigint",
        "smallint" | "int2" => "smallint",
        "text" | "varchar" | "character varying" => "text",
        "boolean" | "bool" => "boolean",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "date" => "date",
        "real" | "float4" => "real",
        "double" | "double precision" | "float8" => "double",
        "blob" | "bytea" => "binary",
        // Unknown: shown as the backend spells it, so a diff names it.
        _ => return lower,
    }
    .to_owned()
}

/// An SQL expression as both backends can agree on it: lower case outside string literals,
/// without identifier quotes, PostgreSQL's casts (`'kk'::text`) or wrapping parentheses, and with
/// a space only where it separates two words.
fn normal_expr(raw: &str) -> String {
    normal_expr_with(raw, false)
}

/// `normal_expr`, optionally reading every parenthesis as a space: PostgreSQL parenthesises each
/// comparison of a WHERE clause it prints back.
fn normal_expr_with(raw: &str, drop_parentheses: bool) -> String {
    const TYPE_WORDS: [&str; 5] = [
        " without time zone",
        " with time zone",
        " varying",
        " precision",
        "[]",
    ];
    let chars: Vec<char> = raw.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::new();
    let mut space = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            out.extend(&chars[start..i]);
            space = false;
            continue;
        }
        if c == ':' && chars.get(i + 1) == Some(&':') {
            i += 2;
            while i < chars.len() && (is_word(chars[i]) || chars[i] == '"') {
                i += 1;
            }
            'suffix: loop {
                let rest: String = chars[i..].iter().collect::<String>().to_lowercase();
                for word in TYPE_WORDS {
                    if rest.starts_with(word) {
                        i += word.chars().count();
                        continue 'suffix;
                    }
                }
                break;
            }
            continue;
        }
        if c.is_whitespace() || (drop_parentheses && matches!(c, '(' | ')')) {
            space = true;
        } else if c != '"' && c != '`' {
            if space && is_word(c) && out.chars().last().is_some_and(is_word) {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        }
        i += 1;
    }
    while wrapped_in_parentheses(&out) {
        out = out[1..out.len() - 1].to_owned();
    }
    out
}

/// Whether the first character opens a parenthesis that the last one closes.
fn wrapped_in_parentheses(text: &str) -> bool {
    if !(text.starts_with('(') && text.ends_with(')')) {
        return false;
    }
    let mut depth = 0;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return i == text.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

// ---- SQLite: sqlite_master and the table-valued pragmas -------------------------------------

#[derive(QueryableByName)]
struct SqliteObject {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Nullable<Text>)]
    default_value: Option<String>,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    #[diesel(sql_type = Text)]
    origin: String,
}

#[derive(QueryableByName)]
struct SqliteIndexKey {
    #[diesel(sql_type = Integer)]
    cid: i32,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = Integer)]
    descending: i32,
}

#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    ref_column: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

fn introspect_sqlite(conn: &mut SqliteConnection) -> Schema {
    let objects: Vec<SqliteObject> = sql_query(
        "SELECT name, type AS kind, tbl_name AS table_name, sql FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name <> ? ORDER BY name",
    )
    .bind::<Text, _>(DIESEL_TABLE)
    .load(conn)
    .expect("read sqlite_master");
    let mut schema = Schema::default();
    let mut index_sql = BTreeMap::new();
    for object in &objects {
        match object.kind.as_str() {
            "table" => read_sqlite_table(conn, &mut schema, &object.name),
            "view" => {
                schema.views.insert(object.name.clone());
            }
            "index" => {
                index_sql.insert(object.name.clone(), object.sql.clone().unwrap_or_default());
            }
            "trigger" => {
                let (timing, event, columns) =
                    parse_sqlite_trigger(object.sql.as_deref().unwrap_or_default());
                let line = trigger_line(&object.name, &timing, &[event.as_str()], columns);
                schema.table(&object.table_name).triggers.push(line);
            }
            _ => {}
        }
    }
    let tables: Vec<String> = schema.tables.keys().cloned().collect();
    for table in tables {
        read_sqlite_indexes(conn, &mut schema, &table, &index_sql);
        read_sqlite_foreign_keys(conn, &mut schema, &table);
    }
    schema
}

fn sqlite_columns(conn: &mut SqliteConnection, table: &str) -> Vec<SqliteColumn> {
    sql_query(
        "SELECT name, type AS data_type, \"notnull\" AS not_null, dflt_value AS default_value, pk \
         FROM pragma_table_info(?) ORDER BY cid",
    )
    .bind::<Text, _>(table)
    .load(conn)
    .unwrap_or_else(|e| panic!("columns of {table}: {e}"))
}

fn read_sqlite_table(conn: &mut SqliteConnection, schema: &mut Schema, name: &str) {
    let columns = sqlite_columns(conn, name);
    let single_pk = columns.iter().filter(|c| c.pk > 0).count() == 1;
    let table = schema.table(name);
    let mut primary_key: Vec<(i32, String)> = Vec::new();
    for column in &columns {
        // An INTEGER PRIMARY KEY is the rowid, never NULL whatever it declares.
        let rowid = single_pk && column.pk > 0 && column.data_type.eq_ignore_ascii_case("integer");
        table.columns.push(column_line(
            &column.name,
            &column.data_type,
            column.not_null != 0 || rowid,
            column.default_value.as_deref(),
        ));
        if column.pk > 0 {
            primary_key.push((column.pk, column.name.clone()));
        }
    }
    primary_key.sort();
    table.primary_key = primary_key.into_iter().map(|(_, c)| c).collect();
}

fn read_sqlite_indexes(
    conn: &mut SqliteConnection,
    schema: &mut Schema,
    table: &str,
    index_sql: &BTreeMap<String, String>,
) {
    let indexes: Vec<SqliteIndex> = sql_query(
        "SELECT name, \"unique\" AS is_unique, origin FROM pragma_index_list(?) ORDER BY name",
    )
    .bind::<Text, _>(table)
    .load(conn)
    .unwrap_or_else(|e| panic!("indexes of {table}: {e}"));
    for index in indexes {
        if index.origin == "pk" {
            continue; // the primary key line says it
        }
        let keys: Vec<SqliteIndexKey> = sql_query(
            "SELECT cid, name, \"desc\" AS descending FROM pragma_index_xinfo(?) \
             WHERE key = 1 ORDER BY seqno",
        )
        .bind::<Text, _>(&index.name)
        .load(conn)
        .unwrap_or_else(|e| panic!("columns of index {}: {e}", index.name));
        if index.origin == "u" {
            let columns: Vec<String> = keys.into_iter().filter_map(|k| k.name).collect();
            schema.table(table).uniques.push(unique_line(&columns));
            continue;
        }
        let sql = index_sql.get(&index.name).map(String::as_str).unwrap_or("");
        let (written, predicate) = parse_sqlite_index(sql);
        let keys: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let mut text = match (&key.name, key.cid) {
                    (Some(name), cid) if cid >= 0 => name.clone(),
                    _ => normal_expr(written.get(i).map(String::as_str).unwrap_or("?")),
                };
                if key.descending != 0 {
                    text.push_str(" desc");
                }
                text
            })
            .collect();
        let line = index_line(
            &index.name,
            index.is_unique != 0,
            &keys,
            predicate.as_deref(),
            "btree",
        );
        schema.table(table).indexes.push(line);
    }
}

fn read_sqlite_foreign_keys(conn: &mut SqliteConnection, schema: &mut Schema, table: &str) {
    let rows: Vec<SqliteForeignKey> = sql_query(
        "SELECT id, \"table\" AS ref_table, \"from\" AS column_name, \"to\" AS ref_column, \
         on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
    )
    .bind::<Text, _>(table)
    .load(conn)
    .unwrap_or_else(|e| panic!("foreign keys of {table}: {e}"));
    let mut keys: BTreeMap<i32, Vec<SqliteForeignKey>> = BTreeMap::new();
    for row in rows {
        keys.entry(row.id).or_default().push(row);
    }
    for parts in keys.values() {
        let first = &parts[0];
        let columns: Vec<String> = parts.iter().map(|p| p.column_name.clone()).collect();
        let mut references: Vec<String> =
            parts.iter().filter_map(|p| p.ref_column.clone()).collect();
        if references.len() != columns.len() {
            // `REFERENCES t` without columns: the parent's primary key.
            let mut pk: Vec<(i32, String)> = sqlite_columns(conn, &first.ref_table)
                .into_iter()
                .filter(|c| c.pk > 0)
                .map(|c| (c.pk, c.name))
                .collect();
            pk.sort();
            references = pk.into_iter().map(|(_, c)| c).collect();
        }
        let line = foreign_key_line(
            &columns,
            &first.ref_table,
            &references,
            &first.on_delete.to_ascii_lowercase(),
            &first.on_update.to_ascii_lowercase(),
        );
        schema.table(table).foreign_keys.push(line);
    }
}

/// The written key elements (without ASC/DESC or COLLATE) and the WHERE clause of a
/// `CREATE INDEX … ON t (a, lower(b) DESC) WHERE …` statement.
fn parse_sqlite_index(sql: &str) -> (Vec<String>, Option<String>) {
    let Some(open) = sql.find('(') else {
        return (Vec::new(), None);
    };
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    let mut quote: Option<char> = None;
    let mut end = sql.len();
    for (i, c) in sql[open..].char_indices() {
        if let Some(q) = quote {
            current.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                quote = Some(c);
                current.push(c);
            }
            '(' => {
                depth += 1;
                if depth > 1 {
                    current.push(c);
                }
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    parts.push(std::mem::take(&mut current));
                    end = open + i + 1;
                    break;
                }
                current.push(c);
            }
            ',' if depth == 1 => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    let keys = parts
        .into_iter()
        .map(|part| {
            let mut part = part.trim().to_owned();
            let lower = part.to_ascii_lowercase();
            if let Some(at) = lower.find(" collate ") {
                part.truncate(at);
            } else if lower.ends_with(" desc") || lower.ends_with(" asc") {
                part.truncate(lower.rfind(' ').unwrap_or(part.len()));
            }
            part.trim().to_owned()
        })
        .collect();
    let rest = sql[end..].trim();
    let predicate = rest
        .get(..5)
        .filter(|w| w.eq_ignore_ascii_case("where"))
        .map(|_| rest[5..].trim().to_owned());
    (keys, predicate)
}

/// Timing, event and `UPDATE OF` columns of a `CREATE TRIGGER` statement.
fn parse_sqlite_trigger(sql: &str) -> (String, String, Vec<String>) {
    let tokens: Vec<String> = sql
        .replace(',', " , ")
        .split_whitespace()
        .map(|t| t.trim_matches(['"', '`', '[', ']']).to_owned())
        .collect();
    let word = |i: usize| {
        tokens
            .get(i)
            .map(|t| t.to_ascii_uppercase())
            .unwrap_or_default()
    };
    let mut i = tokens
        .iter()
        .position(|t| t.eq_ignore_ascii_case("trigger"))
        .map_or(tokens.len(), |p| p + 1);
    if word(i) == "IF" {
        i += 3; // IF NOT EXISTS
    }
    i += 1; // the name
    let timing = match word(i).as_str() {
        "BEFORE" => {
            i += 1;
            "before"
        }
        "AFTER" => {
            i += 1;
            "after"
        }
        "INSTEAD" => {
            i += 2;
            "instead of"
        }
        _ => "before",
    };
    let event = word(i).to_ascii_lowercase();
    i += 1;
    let mut columns = Vec::new();
    if event == "update" && word(i) == "OF" {
        i += 1;
        while i < tokens.len() && word(i) != "ON" {
            if tokens[i] != "," {
                columns.push(tokens[i].to_ascii_lowercase());
            }
            i += 1;
        }
    }
    (timing.to_owned(), event, columns)
}

// ---- PostgreSQL: pg_catalog of the current schema -------------------------------------------

#[derive(QueryableByName)]
struct PgName {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    default_value: Option<String>,
}

#[derive(QueryableByName)]
struct PgConstraintColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    ref_table: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    ref_column: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
}

#[derive(QueryableByName)]
struct PgIndexKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Text)]
    method: String,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Bool)]
    descending: bool,
    #[diesel(sql_type = Nullable<Text>)]
    predicate: Option<String>,
}

#[derive(QueryableByName)]
struct PgTrigger {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Integer)]
    tgtype: i32,
    #[diesel(sql_type = Nullable<Text>)]
    columns: Option<String>,
}

#[derive(QueryableByName)]
struct PgLine {
    #[diesel(sql_type = Text)]
    line: String,
}

fn introspect_pg(conn: &mut PgConnection) -> Schema {
    let mut schema = Schema::default();
    let relations: Vec<PgName> = sql_query(
        "SELECT relname::text AS name, relkind::text AS kind FROM pg_class \
         WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'v', 'm') \
         AND relname <> $1",
    )
    .bind::<Text, _>(DIESEL_TABLE)
    .load(conn)
    .expect("read pg_class");
    for relation in relations {
        if matches!(relation.kind.as_str(), "v" | "m") {
            schema.views.insert(relation.name);
        } else {
            schema.table(&relation.name);
        }
    }

    let columns: Vec<PgColumn> = sql_query(
        "SELECT c.relname::text AS table_name, a.attname::text AS name, \
         format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null, \
         pg_get_expr(d.adbin, d.adrelid) AS default_value \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') \
         AND c.relname <> $1 AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY c.relname, a.attnum",
    )
    .bind::<Text, _>(DIESEL_TABLE)
    .load(conn)
    .expect("read pg_attribute");
    for column in columns {
        let line = column_line(
            &column.name,
            &column.data_type,
            column.not_null,
            column.default_value.as_deref(),
        );
        schema.table(&column.table_name).columns.push(line);
    }

    let constraint_columns: Vec<PgConstraintColumn> = sql_query(
        "SELECT c.conname::text AS name, c.contype::text AS kind, t.relname::text AS table_name, \
         a.attname::text AS column_name, rt.relname::text AS ref_table, \
         ra.attname::text AS ref_column, c.confdeltype::text AS on_delete, \
         c.confupdtype::text AS on_update \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, refnum, ord) \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
         LEFT JOIN pg_class rt ON rt.oid = c.confrelid \
         LEFT JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refnum \
         WHERE t.relnamespace = current_schema()::regnamespace AND t.relname <> $1 \
         AND c.contype IN ('p', 'u', 'f') \
         ORDER BY t.relname, c.conname, k.ord",
    )
    .bind::<Text, _>(DIESEL_TABLE)
    .load(conn)
    .expect("read pg_constraint");
    let mut constraints: BTreeMap<(String, String), Vec<PgConstraintColumn>> = BTreeMap::new();
    for row in constraint_columns {
        constraints
            .entry((row.table_name.clone(), row.name.clone()))
            .or_default()
            .push(row);
    }
    for ((table_name, _), parts) in constraints {
        let first = &parts[0];
        let columns: Vec<String> = parts.iter().map(|p| p.column_name.clone()).collect();
        let table = schema.table(&table_name);
        match first.kind.as_str() {
            "p" => table.primary_key = columns,
            "u" => table.uniques.push(unique_line(&columns)),
            _ => {
                let references: Vec<String> =
                    parts.iter().filter_map(|p| p.ref_column.clone()).collect();
                table.foreign_keys.push(foreign_key_line(
                    &columns,
                    first.ref_table.as_deref().unwrap_or("?"),
                    &references,
                    pg_action(&first.on_delete),
                    pg_action(&first.on_update),
                ));
            }
        }
    }

    // Indexes of their own only: those behind PRIMARY KEY and UNIQUE constraints are named
    // differently by the two backends and are already rendered as the constraints.
    let index_keys: Vec<PgIndexKey> = sql_query(
        "SELECT t.relname::text AS table_name, ic.relname::text AS name, \
         i.indisunique AS is_unique, am.amname::text AS method, \
         CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int4, true) \
              ELSE a.attname::text END AS key, \
         (i.indoption[k.ord::int4 - 1] & 1) = 1 AS descending, \
         pg_get_expr(i.indpred, i.indrelid) AS predicate \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam \
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
         WHERE t.relnamespace = current_schema()::regnamespace AND t.relname <> $1 \
         AND k.ord <= i.indnkeyatts \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid \
                         AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) \
         ORDER BY t.relname, ic.relname, k.ord",
    )
    .bind::<Text, _>(DIESEL_TABLE)
    .load(conn)
    .expect("read pg_index");
    let mut indexes: BTreeMap<(String, String), Vec<PgIndexKey>> = BTreeMap::new();
    for row in index_keys {
        indexes
            .entry((row.table_name.clone(), row.name.clone()))
            .or_default()
            .push(row);
    }
    for ((table_name, name), parts) in indexes {
        let first = &parts[0];
        let keys: Vec<String> = parts
            .iter()
            .map(|p| {
                let key = normal_expr(&p.key);
                if p.descending {
                    format!("{key} desc")
                } else {
                    key
                }
            })
            .collect();
        let line = index_line(
            &name,
            first.is_unique,
            &keys,
            first.predicate.as_deref(),
            &first.method,
        );
        schema.table(&table_name).indexes.push(line);
    }

    let triggers: Vec<PgTrigger> = sql_query(
        "SELECT t.tgname::text AS name, c.relname::text AS table_name, t.tgtype::int4 AS tgtype, \
         (SELECT string_agg(a.attname::text, ',' ORDER BY a.attname) \
          FROM unnest(t.tgattr::int2[]) AS k(attnum) \
          JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum) AS columns \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal",
    )
    .load(conn)
    .expect("read pg_trigger");
    for trigger in triggers {
        // pg_trigger.h: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32, INSTEAD 64.
        let timing = if trigger.tgtype & 64 != 0 {
            "instead of"
        } else if trigger.tgtype & 2 != 0 {
            "before"
        } else {
            "after"
        };
        let events: Vec<&str> = [
            (4, "insert"),
            (16, "update"),
            (8, "delete"),
            (32, "truncate"),
        ]
        .into_iter()
        .filter(|(bit, _)| trigger.tgtype & bit != 0)
        .map(|(_, event)| event)
        .collect();
        let columns = trigger
            .columns
            .map(|c| c.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        let line = trigger_line(&trigger.name, timing, &events, columns);
        schema.table(&trigger.table_name).triggers.push(line);
    }
    schema
}

fn pg_action(code: &str) -> &'static str {
    match code {
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        _ => "no action",
    }
}

/// What PostgreSQL has and SQLite has not (functions, sequences, types), for the round trip
/// only: a `down.sql` must drop the function its `up.sql` created.
fn pg_extras(conn: &mut PgConnection) -> String {
    let lines: Vec<PgLine> = sql_query(
        "SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' \
                AS line FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace \
         UNION ALL SELECT 'sequence ' || c.relname FROM pg_class c \
           WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'S' \
         UNION ALL SELECT 'type ' || t.typname FROM pg_type t \
           WHERE t.typnamespace = current_schema()::regnamespace AND t.typtype IN ('e', 'd') \
         ORDER BY 1",
    )
    .load(conn)
    .expect("read functions, sequences and types");
    let mut out = String::from("\n-- PostgreSQL only\n");
    for line in lines {
        let _ = writeln!(out, "{}", line.line);
    }
    out
}

// ---- A readable diff -------------------------------------------------------------------------

/// A unified-style line diff (longest common subsequence), three lines of context, each hunk
/// headed by the table (or section) it is in.
fn line_diff(expected: &str, actual: &str, expected_name: &str, actual_name: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let near = |k: usize| changed.iter().any(|&c| c.abs_diff(k) <= CONTEXT);
    let mut out = format!("--- {expected_name}\n+++ {actual_name}\n");
    // The table (or other unindented heading) each line belongs to; a hunk is headed by the one
    // of its first changed line.
    let mut sections = Vec::with_capacity(ops.len());
    let mut section = "";
    for (sign, line) in &ops {
        if *sign != '+' && !line.is_empty() && !line.starts_with(' ') {
            section = line;
        }
        sections.push(section);
    }
    let mut shown_last = false;
    for (k, (sign, line)) in ops.iter().enumerate() {
        if near(k) {
            if !shown_last {
                let first_change = changed.iter().copied().find(|&c| c >= k).unwrap_or(k);
                let _ = writeln!(out, "@@ {} @@", sections[first_change]);
            }
            let _ = writeln!(out, "{sign} {line}");
            shown_last = true;
        } else {
            shown_last = false;
        }
    }
    if changed.is_empty() {
        out.push_str("(the texts differ only in line endings or the final newline)\n");
    }
    out
}
