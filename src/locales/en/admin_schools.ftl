## Administration: schools (src/admin/schools.rs)
admin-schools-title = Schools
admin-schools-lead = The schools, kindergartens and colleges of each region, and whether each has created conditions for inclusive education.
admin-schools-show = Show
admin-schools-filters = Choose a region
admin-schools-add = Add a school
admin-schools-import-link = Import schools from a CSV file
admin-schools-import-users-link = Import teachers from a CSV file
admin-schools-summary = { $total ->
    [one] { $total } school
   *[other] { $total } schools
}, { $inclusive } with inclusive conditions ({ $percent }%)
admin-schools-caption = Schools in { $region }
admin-schools-none = No schools have been added to this region yet.
admin-schools-col-name = Name
admin-schools-col-kind = Kind
admin-schools-col-district = District
admin-schools-col-inclusive = Inclusive conditions
admin-schools-col-actions = Actions
admin-schools-yes = Yes
admin-schools-no = No
admin-schools-edit = Edit
admin-schools-added = “{ $name }” has been added.
admin-schools-updated = Your changes to “{ $name }” have been saved.
admin-schools-back = Back to schools
admin-schools-new-title = Add a school
admin-schools-edit-title = Edit a school
admin-schools-field-name = Name
admin-schools-hint-name = As it is written in official documents, for example “School-lyceum No. 165”.
admin-schools-field-kind = Kind of organisation
admin-schools-field-district = District (optional)
admin-schools-field-inclusive = Inclusive conditions
admin-schools-inclusive-label = This organisation has created conditions for inclusive education
admin-schools-hint-inclusive = For example: an accessible building, specialists who support children with special educational needs, adapted programmes.
admin-schools-save = Save
admin-schools-cancel = Cancel
admin-schools-kind-school = School
admin-schools-kind-kindergarten = Kindergarten
admin-schools-kind-special = Special school
admin-schools-kind-college = College
admin-schools-kind-other = Other
admin-schools-error-region = Choose the region of the school.
admin-schools-error-name-missing = Enter the name of the school.
admin-schools-error-name-invalid = Enter a name of at most 200 characters.
admin-schools-error-district-invalid = Enter a district of at most 100 characters.
admin-schools-error-kind = Choose the kind of organisation.
admin-schools-error-duplicate = A school with this name already exists in this region. Enter another name, or edit the existing school.
audit-action-school-updated = School changed

## Administration: imports from CSV (src/admin/imports.rs)
admin-import-schools-title = Import schools
admin-import-schools-lead = Add many schools at once from a CSV file, for example one saved from a spreadsheet. A school that already exists in its region under the same name is updated, so you can correct the file and import it again.
admin-import-users-title = Import teachers
admin-import-users-lead = Create accounts for many teachers at once. Each new teacher receives an email with a link to set a password. Teachers whose email address already has an account are left as they are.
admin-import-rule = Every line is checked first. If any line has a problem, nothing is imported and the lines with problems are listed.
admin-import-columns-caption = Columns of the file
admin-import-columns-note = The first line names the columns. They may come in any order, separated by commas, semicolons or tabs.
admin-import-col-column = Column
admin-import-col-meaning = What to write
admin-import-optional = (optional)
admin-import-example = Example
admin-import-region-codes = Region codes
admin-import-col-code = Code
admin-import-col-region = Region
admin-import-field-csv = Paste the rows
admin-import-hint-csv = With the first line that names the columns. You can copy the cells from a spreadsheet.
admin-import-field-file = Or choose a CSV file
admin-import-hint-file = Saved as “CSV UTF-8”, with at most { $max } rows.
admin-import-field-language = Language of the accounts and invitations
admin-import-hint-language = Teachers can change it later on their account page.
admin-import-schools-submit = Import schools
admin-import-users-submit = Import and send invitations
admin-import-errors-caption = Problems in the file
admin-import-col-line = Line
admin-import-col-problem = Problem
admin-import-line = Line { $line }
admin-import-more-problems = { $count ->
    [one] … and { $count } more problem, not shown.
   *[other] … and { $count } more problems, not shown.
}
admin-import-refused = Nothing has been imported: { $count ->
    [one] { $count } line has problems
   *[other] { $count } lines have problems
}. Correct the file and import it again.
admin-import-schools-done-title = Schools imported
admin-import-schools-done = { $added } added, { $updated } updated, { $unchanged } unchanged.
admin-import-users-done-title = Teachers imported
admin-import-users-done = { $invited } invited, { $registered } already registered.
admin-import-registered-caption = Already registered: no invitation was sent
admin-import-col-email = Email address
admin-import-more-registered = … and { $count } more.
admin-import-again = Import another file
admin-import-error-empty = Paste the rows of the file, or choose a CSV file.
admin-import-error-both = Either paste the rows or choose a file, not both.
admin-import-error-encoding = The file is not in UTF-8. In your spreadsheet, choose “Save as” and the type “CSV UTF-8”, then choose the file again.
admin-import-error-no-header = The first line must name the columns: { $columns }.
admin-import-error-missing-columns = The first line does not name these columns: { $columns }.
admin-import-error-unknown-column = There is no column “{ $column }”. The columns are: { $columns }.
admin-import-error-repeated-column = The column “{ $column }” is named twice in the first line.
admin-import-error-no-rows = The file has no rows under the first line.
admin-import-error-too-many-rows = Import at most { $max } rows at a time. Split the file into smaller ones.
admin-import-error-unreadable = This line cannot be read. Check its quotation marks.
admin-import-error-width = This line has { $found } values, but the first line names { $expected } columns.
admin-import-error-region = Unknown region code { $value }. Use a code from the list, like KZ-75.
admin-import-error-region-missing = The region code is missing.
admin-import-error-kind = Unknown kind “{ $value }”. Write school, kindergarten, special, college or other.
admin-import-error-inclusive = Write yes or no in the inclusive column, not “{ $value }”.
admin-import-error-school-repeated = The school “{ $value }” is also on line { $line }.
admin-import-error-name-missing = The full name is missing.
admin-import-error-name-invalid = The full name is longer than 200 characters.
admin-import-error-email-missing = The email address is missing.
admin-import-error-email-invalid = “{ $value }” is not an email address.
admin-import-error-email-repeated = The email address { $value } is also on line { $line }.
admin-import-error-category = Unknown category “{ $value }”. Write preschool, general, special or other.
admin-import-error-iin = “{ $value }” is not a valid IIN: it has 12 digits, starts with the date of birth and ends with a control digit.
admin-import-error-iin-repeated = The IIN { $value } is also on line { $line }.
admin-import-error-iin-taken = The IIN { $value } already belongs to another account.
admin-import-error-school-unknown = There is no school “{ $value }” in { $region }. Add it first, or leave the school empty.
admin-import-error-language = Choose the language of the accounts and invitations.
admin-import-schools-column-region-code = The region's code, for example KZ-75 for Almaty.
admin-import-schools-column-name = The name of the school.
admin-import-schools-column-kind = school, kindergarten, special, college or other.
admin-import-schools-column-inclusive = yes or no: has it created conditions for inclusive education?
admin-import-schools-column-district = The district; may be empty.
admin-import-users-column-full-name = The teacher's full name.
admin-import-users-column-email = The teacher's email address: the invitation goes there, and the teacher signs in with it.
admin-import-users-column-region-code = The region's code, for example KZ-75 for Almaty.
admin-import-users-column-school = The name of the school as it is listed in that region; may be empty.
admin-import-users-column-category = preschool, general, special or other.
admin-import-users-column-iin = The 12-digit IIN; may be empty.

## The invitation of an imported teacher
email-invitation-subject = You are invited to Ustaz
email-invitation-body = Hello { $name },

    An account has been created for you on Ustaz, the platform for professional-development courses in inclusive education.

    To start, choose your password:

    { $link }

    The link works once, for 14 days. Afterwards, sign in with your email address { $email } and your password. If the link has expired, choose “Forgotten your password?” on the sign-in page.

    Ustaz
