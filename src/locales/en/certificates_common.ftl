## Navigation
nav-certificates = My certificates
nav-admin-certificates = Certificates

## Emails about certificates
email-certificate-issued-subject = Your certificate: { $course }
email-certificate-issued-body = Hello { $name },

    Congratulations on completing “{ $course }”. Your certificate { $serial } has been issued.

    Download it (PDF): { $pdf }
    Anyone can check it here, without signing in: { $verify }

    All your certificates: { $list }

    Ustaz
email-certificate-revoked-subject = Your certificate { $serial } has been revoked
email-certificate-revoked-body = Hello { $name },

    Your certificate { $serial } for “{ $course }” has been revoked by an administrator.

    Reason: { $reason }

    The verification page now shows it as revoked: { $verify }
    If you think this is a mistake, reply to this email or contact your regional coordinator.

    Ustaz
email-certificate-reinstated-subject = Your certificate { $serial } is valid again
email-certificate-reinstated-body = Hello { $name },

    Your certificate { $serial } for “{ $course }” has been reinstated and is valid again.

    Download it (PDF): { $pdf }
    Verification page: { $verify }

    Ustaz

## Audit log fields of certificate events
admin-audit-field-serial = Serial
admin-audit-field-reason = Reason
admin-audit-field-teacher = Teacher
admin-audit-field-course = Course
admin-audit-field-hours = Hours
admin-audit-field-automatic = Issued automatically
admin-audit-field-revoked = Revoked
admin-audit-field-enrolment = Enrolment
admin-audit-field-enrolment-id = Enrolment
admin-audit-field-completed-on = Completed on
