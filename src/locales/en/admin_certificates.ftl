## Administration: certificates (src/certificates/admin.rs)
admin-certificates-title = Certificates
admin-certificates-lead = Every certificate issued on the platform. Open one to see its details, revoke it or reinstate it.
admin-certificates-queue-link = Completions awaiting a certificate
admin-certificates-new-link = Issue a certificate for a completion outside the platform
admin-certificates-back = Back to certificates
admin-certificates-cancel = Cancel
admin-certificates-filters = Filter certificates
admin-certificates-search-label = Search
admin-certificates-search-hint = Serial number, teacher's name or email address
admin-certificates-any-status = Any status
admin-certificates-any-course = All courses
admin-certificates-any-region = All regions
admin-certificates-apply = Apply filters
admin-certificates-clear = Clear filters
admin-certificates-count = { $count ->
    [one] { $count } certificate
   *[other] { $count } certificates
}
admin-certificates-caption = Certificates, newest first (page { $page } of { $pages })
admin-certificates-none = No certificates have been issued yet.
admin-certificates-none-found = No certificates match these filters.
admin-certificates-col-serial = Serial number
admin-certificates-col-teacher = Teacher
admin-certificates-col-course = Course
admin-certificates-col-hours = Hours
admin-certificates-col-issued = Issued
admin-certificates-col-status = Status
admin-certificates-col-region = Region
admin-certificates-col-completed = Completed
admin-certificates-col-mode = Certificate mode
admin-certificates-status-valid = Valid
admin-certificates-status-revoked = Revoked
admin-certificates-hours = { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
}
admin-certificates-course-archived = { $title } (archived)
admin-certificates-mode-automatic = Automatic
admin-certificates-mode-reviewed = Reviewed by an administrator

## The review queue
admin-certificates-queue-title = Completions awaiting a certificate
admin-certificates-queue-lead = Teachers who have completed a course but have no certificate yet: completions of courses whose certificates are reviewed, and completions from before certificates were issued automatically. The oldest come first.
admin-certificates-queue-count = { $count ->
    [one] { $count } completion awaits a certificate
   *[other] { $count } completions await a certificate
}
admin-certificates-queue-caption = Completions awaiting a certificate, oldest first (page { $page } of { $pages })
admin-certificates-queue-none = No completions are awaiting a certificate.
admin-certificates-queue-none-found = No completions awaiting a certificate match these filters.
admin-certificates-queue-hint = Select the teachers whose completion you have checked. Each receives their certificate by email.
admin-certificates-queue-submit = Issue selected
admin-certificates-queue-issued = { $count ->
    [one] { $count } certificate issued.
   *[other] { $count } certificates issued.
}
admin-certificates-queue-already = { $count } of the selected teachers already had one.
admin-certificates-error-nothing-selected = Select at least one teacher to issue a certificate to.
admin-certificates-error-selection-invalid = The selection could not be read. Select the teachers again.
admin-certificates-error-selection-refused = Nothing has been issued: { $count ->
    [one] { $count } of the selected completions is
   *[other] { $count } of the selected completions are
} no longer in the queue. Check the list and select again.

## Issuing for a completion outside the platform
admin-certificates-new-title = Issue a certificate for a completion outside the platform
admin-certificates-new-lead = For a teacher who completed a course in person or on another system. The completion is recorded on the platform, the certificate is issued at once and the teacher receives it by email. Both are written to the audit log with your reason.
admin-certificates-field-email = Teacher's email address
admin-certificates-hint-email = The address of the teacher's account on the platform.
admin-certificates-field-course = Course
admin-certificates-field-date = Date of completion
admin-certificates-hint-date = The day the teacher completed the course: not in the future, and not before 2000.
admin-certificates-field-issue-reason = Reason
admin-certificates-hint-issue-reason = Where and how the course was completed, for example the order or the list of participants it is recorded in. At most 500 characters.
admin-certificates-new-submit = Issue the certificate
admin-certificates-error-email-missing = Enter the teacher's email address.
admin-certificates-error-email-invalid = Enter an email address in the correct format, like name@example.kz.
admin-certificates-error-email-unknown = No account has this email address. The teacher has to register, or be imported, first.
admin-certificates-error-email-not-teacher = This account is not a teacher's. Certificates are issued to teachers only.
admin-certificates-error-course = Choose the course.
admin-certificates-error-date-missing = Enter the date of completion.
admin-certificates-error-date-invalid = Enter a real date of completion: day, month and year.
admin-certificates-error-date-future = The date of completion cannot be in the future.
admin-certificates-error-date-too-early = The date of completion must be in 2000 or later.
admin-certificates-error-reason-missing = Enter the reason.
admin-certificates-error-reason-too-long = The reason must be 500 characters or fewer.
admin-certificates-error-already-certified = { $name } already has certificate { $serial } for this course.

## A certificate
admin-certificates-detail-caption = Certificate
admin-certificates-code = Verification code
admin-certificates-issued-on = Issued on
admin-certificates-issued-by = Issued by
admin-certificates-issued-automatically = Automatically, on completion of the course
admin-certificates-person = { $name } ({ $email })
admin-certificates-issue-reason = Reason for issuing
admin-certificates-no-reason = None given
admin-certificates-revoked-on = Revoked on
admin-certificates-revoked-by = Revoked by
admin-certificates-revocation-reason = Reason for revocation
admin-certificates-links-heading = Documents
admin-certificates-link-pdf = Certificate (PDF)
admin-certificates-link-credential = Digital credential (Open Badges 3.0)
admin-certificates-link-verify = Public verification page
admin-certificates-revoke-heading = Revoke this certificate
admin-certificates-field-revocation-reason = Reason for revocation
admin-certificates-hint-revocation-reason = The teacher receives this reason by email, and the verification page shows the certificate as revoked. At most 500 characters.
admin-certificates-revoke-submit = Revoke the certificate
admin-certificates-reinstate-heading = Reinstate this certificate
admin-certificates-reinstate-hint = The certificate becomes valid again and the teacher is told by email.
admin-certificates-reinstate-submit = Reinstate the certificate
admin-certificates-done-issued = The certificate has been issued. The teacher has been sent it by email.
admin-certificates-done-revoked = The certificate has been revoked. The teacher has been told by email.
admin-certificates-done-reinstated = The certificate has been reinstated and is valid again. The teacher has been told by email.
admin-certificates-done-already-revoked = This certificate had already been revoked: nothing has changed.
admin-certificates-done-not-revoked = This certificate was not revoked: nothing has changed.

## Audit log
audit-action-certificate-issued = Certificate issued
audit-action-certificate-revoked = Certificate revoked
audit-action-certificate-reinstated = Certificate reinstated
audit-action-enrolment-completed-outside = Completion outside the platform recorded

## A completion under review (src/certificates/admin/completion.rs)
admin-completion-title = Completion under review
admin-completion-back = Back to the queue
admin-completion-col-evidence = Evidence
admin-completion-review-link = Review the evidence
admin-completion-summary-quizzes = { $count ->
    [0] No quiz attempts
    [one] { $count } quiz attempt, best score { $best }%
   *[other] { $count } quiz attempts, best score { $best }%
}
admin-completion-summary-time = { $time } from enrolment to completion
admin-completion-summary-tasks = Practical tasks: { $count } submitted, { $passed } passed
admin-completion-points = { $scored } of { $max } points
admin-completion-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
admin-completion-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
admin-completion-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
admin-completion-under-an-hour = less than an hour
admin-completion-under-a-minute = less than a minute
admin-completion-bytes = { $count } bytes
admin-completion-kilobytes = { $count } KB
admin-completion-megabytes = { $count } MB
admin-completion-teacher-heading = Teacher and dates
admin-completion-email = Email address
admin-completion-school = School
admin-completion-none = Not given
admin-completion-enrolled = Enrolled
admin-completion-not-completed = Not completed
admin-completion-duration = Time from enrolment to completion
admin-completion-standing-certified = This completion has certificate { $serial }.
admin-completion-standing-withdrawn = The teacher has withdrawn from this course: there is nothing to review.
admin-completion-standing-active = The teacher is taking this course again: it returns to the queue when they complete it.
admin-completion-open-certificate = Open the certificate
admin-completion-attempts-heading = Quiz attempts
admin-completion-no-attempts = No quiz attempts.
admin-completion-col-quiz = Quiz
admin-completion-col-started = Started
admin-completion-col-took = Time taken
admin-completion-col-score = Score
admin-completion-col-result = Result
admin-completion-passed = Passed
admin-completion-not-passed = Not passed
admin-completion-not-submitted = Not submitted
admin-completion-tasks-heading = Practical tasks
admin-completion-no-tasks = No practical tasks submitted.
admin-completion-submitted = Submitted
admin-completion-reviewed = Reviewed
admin-completion-feedback = Feedback
admin-completion-answer = The teacher's answer
admin-completion-scores-caption = Scores of “{ $task }” by criterion
admin-completion-col-criterion = Criterion
admin-completion-files = Attached files
admin-completion-returns-heading = Earlier returns
admin-completion-no-returns = This completion has not been returned before.
admin-completion-return-line = Returned on { $returned } by { $by } (completed on { $completed }):
admin-completion-issue-heading = Issue the certificate
admin-completion-issue-hint = The evidence is sufficient: the teacher receives the certificate by email.
admin-completion-issue-submit = Issue certificate
admin-completion-return-heading = Return to the teacher
admin-completion-field-reason = Reason
admin-completion-hint-reason = What the teacher must do again, and why. They receive it by email and see it on the course page. At most 500 characters.
admin-completion-field-modules = Modules the teacher must redo
admin-completion-hint-modules = The ticked modules are marked as not done. Quizzes and practical tasks are ticked to begin with.
admin-completion-return-submit = Return to the teacher
admin-completion-error-module-missing = Select at least one module the teacher must redo.
admin-completion-error-module-unknown = The modules could not be read. Select them again.
admin-completion-done-returned = The completion has been returned. The teacher has been told the reason by email.
admin-completion-done-not-waiting = This completion is no longer waiting for a certificate: nothing has changed.
admin-completion-done-certified = A certificate had been issued for this completion in the meantime, so it was not returned.
audit-action-completion-returned = Completion returned to the teacher

## Shown to the teacher (src/learning/pages/course.rs)
course-returned-heading = Your completion was returned
course-returned-text = An administrator returned your completion on { $date }. Do the modules again and complete the course.
email-completion-returned-subject = Your completion of “{ $course }” was returned
email-completion-returned-body = Hello { $name },

    An administrator has reviewed your completion of “{ $course }” and returned it to you before issuing a certificate.

    Reason: { $reason }

    Modules to do again: { $modules }

    Complete them and the course returns for review: { $link }

    Ustaz
