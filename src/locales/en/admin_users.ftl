## Administration: users
admin-users-title = Users
admin-users-filters = Find users
admin-users-search-label = Name, email address or IIN
admin-users-search-hint = Part of a name, email address or IIN is enough. Capital letters do not matter.
admin-users-col-name = Name
admin-users-col-email = Email address
admin-users-col-role = Role
admin-users-col-region = Region
admin-users-col-category = Category
admin-users-col-status = Status
admin-users-any-role = Any role
admin-users-any-region = Any region
admin-users-any-category = Any category
admin-users-any-status = Any status
admin-users-apply = Apply filters
admin-users-clear = Clear filters
admin-users-count = { $count ->
    [one] { $count } user found
   *[other] { $count } users found
}
admin-users-caption = Users, page { $page } of { $pages }
admin-users-none = No users match. Try fewer filters or a shorter search.
admin-users-pagination = Pages
admin-users-previous = Previous page
admin-users-next = Next page
admin-users-page-n = Page { $page }
admin-users-status-active = Active
admin-users-status-disabled = Disabled
admin-users-status-unconfirmed = Email not confirmed

## A user's page
admin-users-back = Back to all users
admin-users-not-set = Not given
admin-users-school = School or kindergarten
admin-users-language = Preferred language
admin-users-iin = IIN
admin-users-registered = Registered on
admin-users-history = See the history of changes to this account
admin-users-role-heading = Change the role
admin-users-role-legend = Role
admin-users-role-region-hint = Teachers and regional coordinators need a region. An administrator or a tutor may have none.
admin-users-no-region = No region
admin-users-role-submit = Change the role
admin-users-coordinator-heading = Appoint as regional coordinator
admin-users-coordinator-move-heading = Move the coordinator to another region
admin-users-coordinator-region = Region to coordinate
admin-users-coordinator-hint = A coordinator sees the dashboard and the teachers of this region only.
admin-users-coordinator-submit = Appoint as coordinator
admin-users-coordinator-move-submit = Move to this region
admin-users-access-heading = Access to the account
admin-users-disabled-since = This account has been disabled since
admin-users-enable = Enable the account
admin-users-disable-hint = The user will be signed out everywhere and will not be able to sign in until the account is enabled again. Nothing of theirs is deleted.
admin-users-disable = Disable the account
admin-users-sessions-heading = Sessions
admin-users-sessions-hint = Signs the user out on every device, for example after a lost phone. They can sign in again with their password.
admin-users-sessions-hint-self = Signs you out on every device, this one included.
admin-users-sessions-submit = End all sessions
admin-users-done-role-changed = The role has been changed.
admin-users-done-coordinator-appointed = The coordinator's region has been set.
admin-users-done-disabled = The account has been disabled and all its sessions have ended.
admin-users-done-enabled = The account has been enabled. The user can sign in again.
admin-users-done-sessions-ended = All the user's sessions have ended.
admin-users-done-unchanged = Nothing needed changing.
admin-users-error-own-role = You cannot take away your own administrator role. Ask another administrator.
admin-users-error-coordinator-region = Choose the region the coordinator will be responsible for.
admin-users-error-teacher-region = Choose the teacher's region.
admin-users-error-disable-self = You cannot disable your own account. Ask another administrator.

## Administration: audit log
admin-audit-title = Audit log
admin-audit-filters = Filter the audit log
admin-audit-about = Changes to the account of
admin-audit-any-action = Any action
admin-audit-count = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
admin-audit-caption = Audit log, newest first, page { $page } of { $pages }
admin-audit-none-found = Nothing has been recorded yet that matches.
admin-audit-col-when = When (UTC)
admin-audit-col-who = Who
admin-audit-col-action = Action
admin-audit-col-subject = Subject
admin-audit-col-change = Before → after
admin-audit-when = { $date }, { $time } UTC
admin-audit-system = The system
admin-audit-none = none
admin-audit-field-role = Role
admin-audit-field-region = Region
admin-audit-field-school = School
admin-audit-field-status = Status
admin-audit-field-session-version = Session version
audit-action-user-role-changed = Role changed
audit-action-user-coordinator-appointed = Coordinator appointed
audit-action-user-disabled = Account disabled
audit-action-user-enabled = Account enabled
audit-action-user-sessions-ended = Sessions ended

## A tutor's courses (src/accounts/admin/pages.rs)
admin-users-tutoring-heading = Courses this tutor reviews
admin-users-tutoring-legend = Courses this tutor reviews
admin-users-tutoring-hint = The tutor reviews the practical tasks of the ticked courses. Untick a course to end the appointment.
admin-users-tutoring-submit = Save the courses
admin-users-tutoring-no-courses = There are no courses yet.
admin-users-done-tutoring-saved = The courses this tutor reviews have been saved.
admin-users-error-tutoring-course = The courses could not be read. Tick them again.
admin-users-error-not-tutor = This user is not a tutor, so they cannot review courses. Give them the tutor role first.
audit-action-user-tutoring-changed = Tutor's courses changed
