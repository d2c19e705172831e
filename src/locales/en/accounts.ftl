## Navigation and shared form words
nav-account-label = Account
nav-account = Your account
nav-sign-in = Sign in
nav-sign-out = Sign out
nav-admin-courses = Course authoring
nav-admin-users = Users
nav-admin-schools = Schools
nav-admin-audit = Audit log
nav-register = Create an account
error-prefix = Error:
error-summary-title = There is a problem
error-stale = Someone else saved changes here after you opened this page, so your changes were not saved. The form now shows what they saved: make your changes again and save.
field-choose = Choose…
button-continue = Continue
button-save = Save changes
field-email = Email address
field-password = Password
field-new-password = New password
field-current-password = Current password
field-full-name = Full name
field-region = Region
field-school = School or kindergarten
field-school-not-listed = My school is not listed
field-category = Where do you teach?
field-language = Preferred language
field-iin = IIN (optional)
field-role = Role
hint-email = We will send a link to confirm it.
hint-new-password = At least 8 characters. A few unrelated words make a strong password that is easy to remember.
hint-school = Schools and kindergartens of the region you chose.
hint-iin = Your 12-digit individual identification number, if you want it on your certificates.
role-teacher = Teacher
role-coordinator = Regional coordinator
role-admin = Administrator

## Notices after an action
notice-signed-out = You have signed out.
notice-email-confirmed = Your email address is confirmed.
notice-link-sent = We have sent you a new confirmation link.
notice-password-reset = Your password has been changed. Sign in with your new password.
notice-password-changed = Your password has been changed. You have been signed out everywhere else.
notice-account-saved = Your changes have been saved.

## Sign in
login-title = Sign in
login-submit = Sign in
login-forgot = Forgotten your password?
login-no-account = New to Ustaz?
error-password-missing = Enter your password.
error-login-failed = Enter a correct email address and password.
error-login-throttled = { $minutes ->
    [one] Too many failed attempts. Wait { $minutes } minute, then try again, or reset your password.
   *[other] Too many failed attempts. Wait { $minutes } minutes, then try again, or reset your password.
}
error-current-password-wrong = Your current password is not correct.
error-login-disabled = This account has been disabled. Contact your administrator.
error-form-unreadable = The form could not be read. Go back and try again.

## Registration
register-step-1 = Step 1 of 2
register-step-2 = Step 2 of 2
register-region-title = Where do you work?
register-region-lead = Choose the region of your school or kindergarten. Next you will choose the school itself.
register-have-account = Already registered?
register-title = Create your account
register-change-region = Change region
register-submit = Create account
register-sent-body = We have sent an email to the address you gave. Open the link in it to confirm your address and finish creating your account.
register-sent-existing = If you already have an account with this address, the email tells you how to sign in instead.
register-sent-expiry = The link works once, for 3 days. If nothing arrives, check your spam folder.
error-region-missing = Choose your region.
error-school-missing = Choose your school, or “My school is not listed”.
error-school-other-region = Choose a school in the region you selected.
error-language-missing = Choose your preferred language.
error-register-throttled = { $minutes ->
    [one] Too many accounts have been created from your network. Wait { $minutes } minute, then try again.
   *[other] Too many accounts have been created from your network. Wait { $minutes } minutes, then try again.
}
error-coordinator-region = A coordinator's region is set by an administrator.

## Email confirmation
confirm-banner-label = Confirm your email address
confirm-banner-text = Confirm your email address to enrol in courses. We sent a link to
confirm-banner-resend = Send the link again
confirm-title = Confirm your email address
confirm-lead = Press the button to confirm that this email address is yours.
confirm-submit = Confirm my email address
link-invalid-title = This link has expired or has already been used
link-invalid-body = Links in our emails work once and only for a limited time. Ask for a new one.

## Password reset
forgot-title = Reset your password
forgot-lead = Enter the email address of your account. We will send you a link to choose a new password.
forgot-submit = Send the link
check-email-title = Check your email
check-email-body = If an account exists for this address, we have sent a link to choose a new password to
check-email-expiry = The link works once, for 1 hour. If nothing arrives, check your spam folder.
reset-title = Choose a new password
invitation-title = Set a password for your account
reset-submit = Save password

## Account page
account-title = Your account
account-details = Your details
account-password = Password
account-change-password = Change password

## Emails
email-confirm-subject = Confirm your email address for Ustaz
email-confirm-body = Hello { $name },

    Please confirm your email address to start learning on Ustaz:

    { $link }

    The link works once, for 3 days. If you did not create an account, ignore this email.

    Ustaz
email-register-taken-subject = Someone tried to register with your email address on Ustaz
email-register-taken-body = Hello { $name },

    Someone tried to create an Ustaz account with your email address, { $email }. You already have an account, so no new one was made.

    If it was you, sign in:

    { $login }

    If you have forgotten your password, choose a new one:

    { $reset }

    If it was not you, ignore this email: nothing has changed in your account.

    Ustaz
email-register-iin-subject = Someone tried to register with your IIN on Ustaz
email-register-iin-body = Hello { $name },

    Someone tried to create an Ustaz account with the IIN of your account, under another email address. An IIN belongs to one account only, so no new one was made.

    If it was you, you already have an account: sign in with { $email }:

    { $login }

    If you have forgotten your password, choose a new one:

    { $reset }

    If it was not you, ignore this email: nothing has changed in your account. If it happens again, tell your administrator.

    Ustaz
email-reset-subject = Reset your Ustaz password
email-reset-body = Hello { $name },

    Someone asked to reset the password of your Ustaz account. To choose a new password, open:

    { $link }

    The link works once, for 1 hour. If it was not you, ignore this email: your password stays as it is.

    Ustaz
email-password-changed-subject = Your Ustaz password has been changed
email-password-changed-body = Hello { $name },

    The password of your Ustaz account has just been changed, and every other session has been ended.

    If you did not do this, reset your password at once and tell your administrator.

    Ustaz

## Unconfirmed accounts removed after a while
audit-action-users-unconfirmed-removed = Unconfirmed accounts removed
admin-audit-field-removed = Accounts removed
admin-audit-field-older-than-days = Unconfirmed for more than (days)
role-tutor = Tutor
