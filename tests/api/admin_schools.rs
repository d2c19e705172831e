//! Schools and the CSV imports of schools and teachers, as an administrator uses them.

use diesel::prelude::*;
use ustaz::schema::{outbox_emails, schools, user_tokens, users};

use crate::access::{browsers, check_access, rows};
use crate::fixtures::{region_id, SchoolBuilder};
use crate::helpers::{location, spawn_admin_app, text_of, visible_text, TestApp, ADMIN, PASSWORD};

const TEACHER_PASSWORD: &str = "apple orchards of almaty";

#[derive(Debug, PartialEq, Eq, Queryable)]
struct StoredSchool {
    region_id: i32,
    name: String,
    kind: String,
    district: Option<String>,
    inclusive: bool,
}

fn stored_schools(app: &TestApp) -> Vec<StoredSchool> {
    schools::table
        .order(schools::id.asc())
        .select((
            schools::region_id,
            schools::name,
            schools::kind,
            schools::district,
            schools::inclusive_conditions,
        ))
        .load(&mut app.conn())
        .expect("schools")
}

fn school(
    region_id: i32,
    name: &str,
    kind: &str,
    district: Option<&str>,
    inclusive: bool,
) -> StoredSchool {
    StoredSchool {
        region_id,
        name: name.to_owned(),
        kind: kind.to_owned(),
        district: district.map(str::to_owned),
        inclusive,
    }
}

fn count_users(app: &TestApp) -> i64 {
    users::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

fn count_tokens(app: &TestApp) -> i64 {
    user_tokens::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

fn count_emails(app: &TestApp) -> i64 {
    outbox_emails::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

// ---- Schools ------------------------------------------------------------------------------

#[tokio::test]
async fn an_admin_adds_and_edits_schools_and_sees_the_inclusive_share() {
    let (app, _) = spawn_admin_app().await;
    let almaty = region_id(&mut app.conn(), "KZ-75");
    let empty = text_of(app.get("/admin/schools?region=KZ-75").await).await;
    assert!(
        empty.contains("0 schools, 0 with inclusive conditions (0%)"),
        "{empty}"
    );
    assert!(empty.contains("No schools have been added"), "{empty}");

    let form = text_of(app.get("/admin/schools/new?region=KZ-75").await).await;
    assert!(form.contains("Add a school"), "{form}");

    let added = app
        .post(
            "/admin/schools/new",
            &[
                ("region", "KZ-75"),
                ("name", "  School-lyceum   No. 165 "),
                ("kind", "school"),
                ("district", "Bostandyk"),
                ("inclusive", "yes"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let back = location(&added);
    assert!(
        back.starts_with("/admin/schools?region=KZ-75&added="),
        "{back}"
    );
    let list = text_of(app.get(&back).await).await;
    assert!(
        list.contains("“School-lyceum No. 165” has been added."),
        "{list}"
    );
    assert!(
        list.contains("1 school, 1 with inclusive conditions (100%)"),
        "{list}"
    );

    let second = app
        .post(
            "/admin/schools/new",
            &[
                ("region", "KZ-75"),
                ("name", "Kindergarten No. 12"),
                ("kind", "kindergarten"),
                ("district", ""),
            ],
        )
        .await;
    assert_eq!(second.status(), 303);
    let list = text_of(app.get("/admin/schools?region=KZ-75").await).await;
    assert!(
        list.contains("2 schools, 1 with inclusive conditions (50%)"),
        "{list}"
    );
    assert!(
        list.contains("Kindergarten No. 12 Kindergarten No"),
        "{list}"
    );
    // Another region's list does not show them.
    let astana = text_of(app.get("/admin/schools?region=KZ-71").await).await;
    assert!(astana.contains("0 schools"), "{astana}");

    assert_eq!(
        stored_schools(&app),
        vec![
            school(
                almaty,
                "School-lyceum No. 165",
                "school",
                Some("Bostandyk"),
                true
            ),
            school(almaty, "Kindergarten No. 12", "kindergarten", None, false),
        ]
    );

    let id: i32 = schools::table
        .filter(schools::name.eq("School-lyceum No. 165"))
        .select(schools::id)
        .first(&mut app.conn())
        .expect("id");
    let edit_path = format!("/admin/schools/{id}/edit");
    let edit = app.get(&edit_path).await;
    assert_eq!(edit.status(), 200);
    let html = edit.text().await.expect("body");
    assert!(html.contains("value=\"School-lyceum No. 165\""), "{html}");
    assert!(
        html.contains("name=\"inclusive\" value=\"yes\" checked"),
        "{html}"
    );

    // An unticked box is left out of the form: the flag goes off.
    let saved = app
        .save_form(
            &edit_path,
            &edit_path,
            &[
                ("region", "KZ-75"),
                ("name", "School-lyceum No. 165 named after Abai"),
                ("kind", "special"),
                ("district", ""),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let list = text_of(app.get(&location(&saved)).await).await;
    assert!(
        list.contains("Your changes to “School-lyceum No. 165 named after Abai” have been saved."),
        "{list}"
    );
    assert!(
        list.contains("2 schools, 0 with inclusive conditions (0%)"),
        "{list}"
    );
    assert_eq!(
        stored_schools(&app)[0],
        school(
            almaty,
            "School-lyceum No. 165 named after Abai",
            "special",
            None,
            false
        )
    );

    assert_eq!(app.get("/admin/schools/999999/edit").await.status(), 404);
}

#[tokio::test]
async fn school_form_errors_and_duplicates_are_shown_next_to_the_field() {
    let (app, _) = spawn_admin_app().await;
    let astana = region_id(&mut app.conn(), "KZ-71");
    let empty = app.post("/admin/schools/new", &[("name", " ")]).await;
    assert_eq!(empty.status(), 422);
    let html = empty.text().await.expect("body");
    assert!(html.contains("<title>Error:"), "{html}");
    let text = visible_text(&html);
    for message in [
        "Choose the region of the school.",
        "Enter the name of the school.",
        "Choose the kind of organisation.",
    ] {
        assert!(text.contains(message), "{message}: {text}");
    }
    assert!(stored_schools(&app).is_empty());

    let first = SchoolBuilder::new("Gymnasium No. 1")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let same = [
        ("region", "KZ-75"),
        ("name", "Gymnasium  No. 1"),
        ("kind", "school"),
    ];
    let duplicate = app.post("/admin/schools/new", &same).await;
    assert_eq!(duplicate.status(), 422);
    let text = text_of(duplicate).await;
    assert!(
        text.contains("A school with this name already exists in this region."),
        "{text}"
    );
    assert_eq!(stored_schools(&app).len(), 1);

    // The same name in another region is another school.
    let other = app
        .post(
            "/admin/schools/new",
            &[
                ("region", "KZ-71"),
                ("name", "Gymnasium No. 1"),
                ("kind", "school"),
            ],
        )
        .await;
    assert_eq!(other.status(), 303);
    let astana_school: i32 = schools::table
        .filter(schools::region_id.eq(astana))
        .select(schools::id)
        .first(&mut app.conn())
        .expect("id");
    assert_ne!(astana_school, first);

    // Moving it into Almaty would make two of one name there.
    let edit = format!("/admin/schools/{astana_school}/edit");
    let moved = app.save_form(&edit, &edit, &same).await;
    assert_eq!(moved.status(), 422);
    assert!(text_of(moved)
        .await
        .contains("already exists in this region"));
    // Saving a school under its own name is no duplicate.
    let edit = format!("/admin/schools/{first}/edit");
    let resaved = app.save_form(&edit, &edit, &same).await;
    assert_eq!(resaved.status(), 303);

    let long = "x".repeat(201);
    let too_long = app
        .post(
            "/admin/schools/new",
            &[("region", "KZ-75"), ("name", &long), ("kind", "castle")],
        )
        .await;
    assert_eq!(too_long.status(), 422);
    let text = text_of(too_long).await;
    assert!(
        text.contains("Enter a name of at most 200 characters."),
        "{text}"
    );
    assert_eq!(stored_schools(&app).len(), 2);
}

// ---- Importing schools --------------------------------------------------------------------

const SCHOOLS_CSV: &str = "region_code,name,kind,inclusive,district\n\
                           KZ-75,School-lyceum No. 165,school,yes,Bostandyk\n\
                           kz-75,Kindergarten No. 12,kindergarten,no,\n\
                           KZ-71,Special boarding school No. 4,special,TRUE,Almaty district\n";

#[tokio::test]
async fn importing_schools_stores_every_row_and_again_changes_nothing() {
    let (app, _) = spawn_admin_app().await;
    let almaty = region_id(&mut app.conn(), "KZ-75");
    let astana = region_id(&mut app.conn(), "KZ-71");
    let page = text_of(app.get("/admin/schools/import").await).await;
    assert!(page.contains("Import schools"), "{page}");
    assert!(
        page.contains("KZ-79 Shymkent"),
        "region codes are listed: {page}"
    );

    // Already there, with other values: the import updates it.
    SchoolBuilder::new("School-lyceum No. 165")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let first = app
        .post("/admin/schools/import", &[("csv", SCHOOLS_CSV)])
        .await;
    assert_eq!(first.status(), 200);
    let text = text_of(first).await;
    assert!(text.contains("2 added, 1 updated, 0 unchanged."), "{text}");
    let expected = vec![
        school(
            almaty,
            "School-lyceum No. 165",
            "school",
            Some("Bostandyk"),
            true,
        ),
        school(almaty, "Kindergarten No. 12", "kindergarten", None, false),
        school(
            astana,
            "Special boarding school No. 4",
            "special",
            Some("Almaty district"),
            true,
        ),
    ];
    assert_eq!(stored_schools(&app), expected);

    let again = app
        .post("/admin/schools/import", &[("csv", SCHOOLS_CSV)])
        .await;
    assert_eq!(again.status(), 200);
    let text = text_of(again).await;
    assert!(text.contains("0 added, 0 updated, 3 unchanged."), "{text}");
    assert_eq!(stored_schools(&app), expected);

    // Without a district column the stored districts stay; semicolons work too.
    let changed = app
        .post(
            "/admin/schools/import",
            &[(
                "csv",
                "name;region_code;kind;inclusive\nSchool-lyceum No. 165;KZ-75;school;no\n",
            )],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert!(text_of(changed)
        .await
        .contains("0 added, 1 updated, 0 unchanged."));
    assert_eq!(
        stored_schools(&app)[0],
        school(
            almaty,
            "School-lyceum No. 165",
            "school",
            Some("Bostandyk"),
            false
        )
    );
    let list = text_of(app.get("/admin/schools?region=KZ-75").await).await;
    assert!(
        list.contains("2 schools, 0 with inclusive conditions (0%)"),
        "{list}"
    );
}

#[tokio::test]
async fn a_bad_line_in_a_school_import_is_named_and_nothing_is_stored() {
    let (app, _) = spawn_admin_app().await;
    let csv = "region_code,name,kind,inclusive\n\
               KZ-75,School No. 1,school,yes\n\
               KZ-75,School No. 2,school,no\n\
               KZ-99,School No. 3,school,yes\n\
               KZ-75,School No. 4,university,maybe\n\
               KZ-75,School No. 1,college,no\n";
    let refused = app.post("/admin/schools/import", &[("csv", csv)]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("body");
    assert!(html.contains("<title>Error:"), "{html}");
    // The pasted rows come back to be corrected.
    assert!(html.contains("KZ-99,School No. 3"), "{html}");
    let text = visible_text(&html);
    for expected in [
        "Nothing has been imported: 3 lines have problems.",
        "Line 4 Unknown region code KZ-99.",
        "Line 5 Unknown kind “university”.",
        "Line 5 Write yes or no in the inclusive column, not “maybe”.",
        "Line 6 The school “School No. 1” is also on line 2.",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(!text.contains("Line 2 "), "{text}");
    assert!(stored_schools(&app).is_empty());

    // Problems with the file as a whole are shown next to the text box.
    for (csv, message) in [
        ("", "Paste the rows of the file, or choose a CSV file."),
        (
            "region_code,name\nKZ-75,School No. 1\n",
            "The first line does not name these columns: kind, inclusive.",
        ),
        (
            "region_code,name,kind,inclusive,colour\nKZ-75,School No. 1,school,yes,red\n",
            "There is no column “colour”.",
        ),
        (
            "region_code,name,kind,inclusive\n",
            "The file has no rows under the first line.",
        ),
    ] {
        let refused = app.post("/admin/schools/import", &[("csv", csv)]).await;
        assert_eq!(refused.status(), 422, "{csv}");
        let text = text_of(refused).await;
        assert!(text.contains(message), "{message}: {text}");
    }
    assert!(stored_schools(&app).is_empty());
}

#[tokio::test]
async fn a_school_file_can_be_uploaded_instead_of_pasted() {
    let (app, _) = spawn_admin_app().await;
    let almaty = region_id(&mut app.conn(), "KZ-75");
    // As a spreadsheet with Russian settings saves it: a byte-order mark and semicolons.
    let file = "\u{feff}region_code;name;kind;inclusive\r\nKZ-75;Школа-лицей № 165;school;да\r\n";
    let uploaded = app
        .post_multipart("/admin/schools/import", &[("csv", "")], file.as_bytes())
        .await;
    assert_eq!(uploaded.status(), 200);
    assert!(text_of(uploaded)
        .await
        .contains("1 added, 0 updated, 0 unchanged."));
    assert_eq!(
        stored_schools(&app),
        vec![school(almaty, "Школа-лицей № 165", "school", None, true)]
    );

    let both = app
        .post_multipart(
            "/admin/schools/import",
            &[("csv", "region_code,name,kind,inclusive\nKZ-75,A,school,yes")],
            file.as_bytes(),
        )
        .await;
    assert_eq!(both.status(), 422);
    assert!(text_of(both)
        .await
        .contains("Either paste the rows or choose a file, not both."));

    // Windows-1251 bytes are not UTF-8.
    let legacy = b"region_code,name,kind,inclusive\nKZ-75,\xd8\xea\xee\xeb\xe0,school,yes\n";
    let refused = app
        .post_multipart("/admin/schools/import", &[], legacy)
        .await;
    assert_eq!(refused.status(), 422);
    assert!(text_of(refused).await.contains("The file is not in UTF-8."));
    assert_eq!(stored_schools(&app).len(), 1);

    // The CSRF token is checked in multipart forms too.
    let forged = app
        .client
        .post(app.url("/admin/schools/import"))
        .header("Content-Type", "multipart/form-data; boundary=x")
        .body("--x\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nnope\r\n--x--\r\n")
        .send()
        .await
        .expect("request");
    assert_eq!(forged.status(), 403);
}

// ---- Importing teachers -------------------------------------------------------------------

const TEACHERS_CSV: &str = "full_name,email,region_code,school,category,iin\n\
                            Айгерім Нұрланқызы,Aigerim@Mektep.kz,KZ-75,school-lyceum no. 165,general,850101400120\n\
                            Иван Петров,ivan.petrov@mektep.kz,KZ-71,,special,\n";

#[derive(Debug, Queryable)]
struct Invited {
    email: String,
    role: String,
    region_id: Option<i32>,
    school_id: Option<i32>,
    category: Option<String>,
    language: String,
    iin: Option<String>,
    password_hash: Option<String>,
    email_verified: Option<chrono::NaiveDateTime>,
}

fn invited(app: &TestApp, email: &str) -> Invited {
    users::table
        .filter(users::email.eq(email))
        .select((
            users::email,
            users::role,
            users::region_id,
            users::school_id,
            users::category,
            users::language,
            users::iin,
            users::password_hash,
            users::email_verified_at,
        ))
        .first(&mut app.conn())
        .expect("invited teacher")
}

#[tokio::test]
async fn imported_teachers_get_one_invitation_and_set_their_password() {
    let (app, _) = spawn_admin_app().await;
    let almaty = region_id(&mut app.conn(), "KZ-75");
    let astana = region_id(&mut app.conn(), "KZ-71");
    let school_id = SchoolBuilder::new("School-lyceum No. 165")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let form = app.get("/admin/users/import").await;
    assert_eq!(form.status(), 200);
    let html = form.text().await.expect("body");
    assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
    // The invitations go out in the admin's language unless another is chosen.
    assert!(html.contains("value=\"en\" checked"), "{html}");

    let done = app
        .post(
            "/admin/users/import",
            &[("csv", TEACHERS_CSV), ("language", "ru")],
        )
        .await;
    assert_eq!(done.status(), 200);
    let text = text_of(done).await;
    assert!(text.contains("2 invited, 0 already registered."), "{text}");

    let aigerim = invited(&app, "aigerim@mektep.kz");
    assert_eq!(aigerim.email, "aigerim@mektep.kz");
    assert_eq!(aigerim.role, "teacher");
    assert_eq!(aigerim.region_id, Some(almaty));
    assert_eq!(aigerim.school_id, Some(school_id));
    assert_eq!(aigerim.category.as_deref(), Some("general"));
    assert_eq!(aigerim.language, "ru");
    assert_eq!(aigerim.iin.as_deref(), Some("850101400120"));
    assert_eq!(aigerim.password_hash, None);
    assert_eq!(aigerim.email_verified, None);
    let ivan = invited(&app, "ivan.petrov@mektep.kz");
    assert_eq!((ivan.region_id, ivan.school_id), (Some(astana), None));
    assert_eq!(ivan.iin, None);

    let emails = app.emails_to("aigerim@mektep.kz");
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].subject, "Приглашение на Ustaz");
    assert!(
        emails[0].text.contains("Здравствуйте, Айгерім Нұрланқызы!"),
        "{}",
        emails[0].text
    );
    assert_eq!(app.emails_to("ivan.petrov@mektep.kz").len(), 1);

    // The teacher opens the link, chooses a password and signs in.
    let link = emails[0].link(&app.address);
    let path = link
        .strip_prefix(&app.address)
        .expect("a link to this site");
    assert!(path.starts_with("/password/reset/"), "{path}");
    let teacher = app.another_browser();
    let page = teacher.get(path).await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        teacher
            .login("aigerim@mektep.kz", TEACHER_PASSWORD)
            .await
            .status(),
        422,
        "no password before the invitation is used"
    );
    let set = teacher.post(path, &[("password", TEACHER_PASSWORD)]).await;
    assert_eq!(set.status(), 303);
    assert_eq!(
        teacher
            .login("aigerim@mektep.kz", TEACHER_PASSWORD)
            .await
            .status(),
        303
    );
    let aigerim = invited(&app, "aigerim@mektep.kz");
    assert!(aigerim.password_hash.is_some());
    assert!(
        aigerim.email_verified.is_some(),
        "the link proved the address"
    );
    // The link works once.
    assert_eq!(app.another_browser().get(path).await.status(), 410);
}

#[tokio::test]
async fn importing_the_same_teachers_again_creates_nothing_new() {
    let (app, _) = spawn_admin_app().await;
    SchoolBuilder::new("School-lyceum No. 165")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    let first = app
        .post(
            "/admin/users/import",
            &[("csv", TEACHERS_CSV), ("language", "kk")],
        )
        .await;
    assert_eq!(first.status(), 200);
    let (users_after, tokens_after, emails_after) =
        (count_users(&app), count_tokens(&app), count_emails(&app));
    assert_eq!(users_after, 3);
    assert_eq!(tokens_after, 2);

    let again = app
        .post(
            "/admin/users/import",
            &[("csv", TEACHERS_CSV), ("language", "kk")],
        )
        .await;
    assert_eq!(again.status(), 200);
    let text = text_of(again).await;
    assert!(text.contains("0 invited, 2 already registered."), "{text}");
    assert!(text.contains("Line 2 aigerim@mektep.kz"), "{text}");
    assert!(text.contains("Line 3 ivan.petrov@mektep.kz"), "{text}");
    assert_eq!(count_users(&app), users_after);
    assert_eq!(count_tokens(&app), tokens_after);
    assert_eq!(count_emails(&app), emails_after);
    assert_eq!(app.emails_to("aigerim@mektep.kz").len(), 1);

    // A file with one new teacher and the admin's own address invites only the new one.
    let mixed = format!(
        "email,full_name,region_code,category\n{ADMIN},Admin,KZ-75,other\nnew@mektep.kz,New Teacher,KZ-75,preschool\n"
    );
    let done = app
        .post(
            "/admin/users/import",
            &[("csv", &mixed), ("language", "en")],
        )
        .await;
    assert_eq!(done.status(), 200);
    assert!(text_of(done)
        .await
        .contains("1 invited, 1 already registered."));
    assert_eq!(count_users(&app), users_after + 1);
    let email = app.last_email_to("new@mektep.kz");
    assert_eq!(email.subject, "You are invited to Ustaz");
    assert!(email.text.contains("14 days"), "{}", email.text);
}

#[tokio::test]
async fn a_bad_teacher_row_writes_nothing() {
    let (app, _) = spawn_admin_app().await;
    SchoolBuilder::new("School-lyceum No. 165")
        .region("KZ-75")
        .expect_build(&mut app.conn());
    // An existing account holds this IIN.
    app.create_user("teacher", "holder@mektep.kz", PASSWORD, Some("KZ-75"));
    diesel::update(users::table.filter(users::email.eq("holder@mektep.kz")))
        .set(users::iin.eq("850101300124"))
        .execute(&mut app.conn())
        .expect("iin");
    let before = (count_users(&app), count_tokens(&app), count_emails(&app));

    let csv = "full_name,email,region_code,school,category,iin\n\
               Good Teacher,good@mektep.kz,KZ-75,,general,\n\
               Second,GOOD@mektep.kz,KZ-75,,general,\n\
               Third,third@mektep.kz,KZ-75,No Such School,general,\n\
               Fourth,fourth@mektep.kz,KZ-99,,higher,123\n\
               Fifth,fifth@mektep.kz,KZ-75,,special,850101300124\n\
               ,not-an-address,KZ-75,,general,\n";
    let refused = app
        .post("/admin/users/import", &[("csv", csv), ("language", "ru")])
        .await;
    assert_eq!(refused.status(), 422);
    let text = text_of(refused).await;
    for expected in [
        "Nothing has been imported: 5 lines have problems.",
        "Line 3 The email address good@mektep.kz is also on line 2.",
        "Line 4 There is no school “No Such School” in Almaty.",
        "Line 5 Unknown region code KZ-99.",
        "Line 5 Unknown category “higher”.",
        "Line 5 “123” is not a valid IIN",
        "Line 6 The IIN 850101300124 already belongs to another account.",
        "Line 7 The full name is missing.",
        "Line 7 “not-an-address” is not an email address.",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert_eq!(
        (count_users(&app), count_tokens(&app), count_emails(&app)),
        before
    );
    assert!(app.emails_to("good@mektep.kz").is_empty());

    let no_language = app
        .post("/admin/users/import", &[("csv", TEACHERS_CSV)])
        .await;
    assert_eq!(no_language.status(), 422);
    assert!(text_of(no_language)
        .await
        .contains("Choose the language of the accounts and invitations."));
    assert_eq!(count_users(&app), before.0);
}

// ---- Who may ------------------------------------------------------------------------------

#[tokio::test]
async fn only_admins_reach_schools_and_imports() {
    let (app, browsers) = browsers().await;
    assert_eq!(
        SchoolBuilder::new("Gymnasium No. 1")
            .region("KZ-75")
            .expect_build(&mut app.conn()),
        1
    );
    let rows = rows![
        GET "/admin/schools" => [SignIn, Denied, Denied, Page],
        GET "/admin/schools?region=KZ-71" => [SignIn, Denied, Denied, Page],
        GET "/admin/schools/new" => [SignIn, Denied, Denied, Page],
        POST "/admin/schools/new" => [SignIn, Denied, Denied, Invalid],
        GET "/admin/schools/1/edit" => [SignIn, Denied, Denied, Page],
        POST "/admin/schools/1/edit" => [SignIn, Denied, Denied, Invalid],
        GET "/admin/schools/import" => [SignIn, Denied, Denied, Page],
        POST "/admin/schools/import" => [SignIn, Denied, Denied, Invalid],
        GET "/admin/users/import" => [SignIn, Denied, Denied, Page],
        POST "/admin/users/import" => [SignIn, Denied, Denied, Invalid],
    ];
    check_access(&browsers, &rows).await;
    // Nothing was written by the refused attempts.
    assert_eq!(stored_schools(&app).len(), 1);
}
