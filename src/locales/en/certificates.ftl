## Teachers' and public certificate pages

## What a certificate says
cert-hours = { $hours ->
    [one] { $hours } academic hour
   *[other] { $hours } academic hours
}
cert-hours-label = Length
cert-teacher = Teacher
cert-course = Course
cert-issued-on = Date of issue
cert-serial = Certificate number
cert-issuer = Issued by
cert-code = Verification code

## My certificates
mycert-title = My certificates
mycert-lead = Download your certificates, or share their verification link so that an employer can check them.
mycert-none = You have no certificates yet.
mycert-none-hint = A certificate is issued when you complete every required module of a course. Continue your courses, or find one to start.
mycert-go-learn = Continue my learning
mycert-go-courses = Browse courses
mycert-status-valid = Valid
mycert-status-revoked = Revoked
mycert-revoked-hint = This certificate is no longer valid, and its verification page says so. If you think this is a mistake, contact your regional coordinator.
mycert-download-pdf = Download the certificate (PDF)
mycert-download-credential = Download the digital credential
mycert-credential-hint = A signed Open Badges 3.0 file for digital wallets and employers' systems.
mycert-share = Share or check
mycert-share-hint = Anyone can check this certificate at this address, without signing in:

## Verification
verify-title = Check a certificate
verify-lead = Enter the verification code to see whether an Ustaz certificate is genuine and still valid.
verify-code-label = Verification code
verify-code-hint = It is printed on the certificate next to the QR code: the end of the link, 20 letters and digits. Capital or small letters, with or without dashes.
verify-submit = Check the certificate
verify-error-code-missing = Enter the verification code from the certificate.
verify-error-code-invalid = Enter the code exactly as printed on the certificate: 20 letters and digits, like K7QF2-M9XAB-3CDEF-GHJKL.
verify-not-found-title = No certificate has this code
verify-not-found-code = You looked for:
verify-not-found-body = We have not issued a certificate with this verification code.
verify-not-found-check-typing = Check that you typed the code exactly as printed: codes never contain the letters O and I or the digits 0 and 1.
verify-not-found-check-link = If you followed a link or a QR code, check that the whole link was copied.
verify-not-found-ask = If it is still not found, ask the certificate's holder for its PDF or its link.
verify-try-again = Try another code
verify-valid-title = Valid certificate
verify-valid-body = Ustaz issued this certificate and it has not been revoked.
verify-revoked-title = This certificate has been revoked
verify-revoked-body = Ustaz issued this certificate, but it is no longer valid.
verify-revoked-on = Revoked on
verify-revoked-reason = Reason
verify-details = What the certificate says
verify-privacy = We show only what is printed on the certificate.
verify-status-link = Machine-readable status (JSON)
verify-another = Check another certificate

## The certificate of a completed course on “My learning”
learn-cert-issued = Certificate { $serial }
learn-cert-download = Download (PDF)
learn-cert-all = My certificates
learn-cert-revoked = Certificate { $serial } has been revoked.
learn-cert-awaiting-review = Your certificate is awaiting review by an administrator. We will email you when it is issued.
learn-cert-pending = Your certificate has not been issued yet. If it does not appear in the next few days, contact your regional coordinator.
