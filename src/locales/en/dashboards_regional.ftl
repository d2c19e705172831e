## The regional dashboard (/dashboard/regions/{code})
regional-title = { $region }: progress toward the target
regional-contents = On this page
regional-back = All regions
regional-no-target = No national target is set yet, so there is nothing to count toward.
regional-quota-target = The quota is the regional target set for this region.
regional-inclusive-summary = Schools with conditions for inclusive education: { $inclusive } of { $schools } ({ $percent }).
regional-schools-heading = Schools
regional-no-schools = No schools are registered in this region yet.
regional-download-schools = Download the list of schools:
regional-download-teachers = Download this list:
regional-download-csv = CSV
regional-download-xlsx = Excel (XLSX)
regional-schools-caption = Schools, page { $page } of { $pages }
regional-schools-pages = Pages of the list of schools
regional-col-school = School
regional-col-district = District
regional-col-registered = Teachers registered
regional-col-trained = Teachers trained
regional-col-inclusive = Inclusive conditions
regional-yes = Yes
regional-no = No
regional-teachers-heading = Teachers
regional-status-definitions = Only courses that count toward the target are considered. Completed: holds a certificate that counts, or has completed a course. In progress: active in the last 30 days. Stalled: enrolled, but no progress for 30 days or more. Not started: not enrolled, or withdrew.
regional-status-not-started = Not started
regional-status-in-progress = In progress
regional-status-stalled = Stalled
regional-status-completed = Completed
regional-status-any = All statuses
regional-teachers-filters = Find teachers
regional-search-label = Name or email
regional-col-name = Name
regional-col-email = Email
regional-col-category = Category
regional-col-status = Status
regional-col-last-activity = Last activity
regional-teachers-count = { $count ->
    [one] { $shown } teacher
   *[other] { $shown } teachers
}
regional-teachers-caption = Teachers, page { $page } of { $pages }
regional-teachers-pages = Pages of the list of teachers
regional-no-teachers = No teachers match.
regional-reminders-heading = Reminders
regional-reminders-text = Stalled teachers matching this search: { $shown }. Each gets the reminder by email, in their own language.
regional-reminders-rule = A teacher gets at most one reminder in 7 days: those reminded in the last 7 days are skipped.
regional-reminders-button = Send a reminder to the stalled teachers
regional-reminders-none = No stalled teachers match this search.
regional-reminders-done = { $sent ->
    [one] { $sent } reminder sent
   *[other] { $sent } reminders sent
} ({ $skipped } skipped: reminded in the last 7 days).
regional-schools-file = { $region } - schools
regional-teachers-file = { $region } - teachers

## The reminder email
email-reminder-subject = Ustaz: pick up your course where you left off
email-reminder-body = Hello, { $name }!

    You started a course in inclusive education on Ustaz but have not continued it for a while. Your progress is saved: carry on where you left off.

    Your courses: { $link }

    Your regional coordinator
    Ustaz

## The audit log
audit-action-reminders-sent = Reminders sent
admin-audit-field-sent = Sent
admin-audit-field-skipped = Skipped
admin-audit-field-search = Search
