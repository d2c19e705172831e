## Site frame
site-name = Ustaz
site-name-tagline = Inclusive education for every teacher
site-description = Professional-development courses in inclusive education for teachers in Kazakhstan.
skip-to-content = Skip to main content
language-switch-label = Language
footer-mission = Ustaz — professional development in inclusive education, so that every school teaches every child.

## Dates and numbers
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-long = { $day } { $month } { $year }
days-count = { $count ->
    [one] { $count } day
   *[other] { $count } days
}

## Home page
home-title = Home
home-heading = Inclusive education for every teacher
home-lead = Take professional-development courses in inclusive education online, at your own pace, and earn a certificate that anyone can verify.
progress-heading = Progress toward the national target
progress-headline = { $trained } of { $target } teachers have completed a course in inclusive education.
progress-percent = Share of the target
progress-deadline = Deadline
progress-status = Status
progress-reached = The target has been reached.
progress-deadline-passed = The deadline has passed.
progress-days-left = { $count ->
    [one] { $count } day left
   *[other] { $count } days left
}
progress-rule = A teacher is counted once, when they hold a valid certificate of a course that counts toward the target, issued within the target's period.
progress-none = No national target has been set yet.
how-heading = How it works
how-enrol-title = Enrol
how-enrol-body = Register with your region, school and teaching category, and choose a course written for you.
how-learn-title = Learn
how-learn-body = Work through lessons and quizzes on a computer or a phone, whenever it suits you.
how-certificate-title = Get your certificate
how-certificate-body = Finish the required modules to receive a certificate with a QR code that employers can check.
access-heading = Accessible to everyone
access-body = Ustaz works with a screen reader, with the keyboard alone, at 400% zoom and on a slow connection. It speaks Kazakh, Russian and English.

## Errors
error-go-home = Go to the home page
error-status-code = Error code
error-400-title = The request could not be understood
error-400-body = Something in the request was not right. Go back and try again.
error-401-title = Please sign in
error-401-body = You need to sign in to see this page.
error-403-title = You do not have access to this page
error-403-body = Your account cannot open this page. If you think it should, contact your administrator.
error-404-title = Page not found
error-404-body = If you typed the web address, check it is correct. If you pasted it, check you copied all of it.
error-405-title = This action is not allowed here
error-405-body = The page cannot be used this way. Go back and try again.
error-408-title = The request took too long
error-408-body = What you sent did not arrive in time. Check your connection and try again.
error-409-title = This has already been changed
error-409-body = Someone else changed this at the same time. Reload the page and try again.
error-413-title = What you sent is too large
error-413-body = Send a smaller file or less text.
error-429-title = Too many attempts
error-429-body = Wait a few minutes, then try again.
error-500-title = Sorry, something went wrong on our side
error-500-body = The problem has been recorded. Try again later.
error-503-title = The service is temporarily unavailable
error-503-body = We cannot reach our database or save to it right now; nothing has been changed. Try again in a few minutes.
error-busy-title = The site is busy right now
error-busy-body = Too many people are signing in or setting passwords at this moment. Wait a few seconds and try again.

## Input
error-control-characters = This text contains invisible control characters that cannot be saved. Type it again, or paste it as plain text.
error-address-control-characters-title = This address cannot be used
error-address-control-characters-body = The web address or the search contains invisible control characters that cannot be used. Check the address, or type your search again.
error-email-missing = Enter your email address.
error-email-invalid = Enter an email address in the correct format, like name@example.kz.
error-name-missing = Enter your full name.
error-name-invalid = Enter your full name using at most 200 characters.
error-password-short = Your password must be at least 8 characters long.
error-password-long = Your password must be at most 128 characters long.
error-role-invalid = Choose a role: teacher, coordinator or admin.
