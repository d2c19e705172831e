# Two-step sign-in (TOTP) for coordinators and administrators.

two-step-code-title = Enter the code from your app
two-step-code-intro = Open the authenticator app on your phone and enter the 6-digit code it shows for Ustaz.
two-step-code-label = Code from the app
two-step-code-hint = 6 digits, for example 123 456. You can paste it. If the code changes while you type, the previous one still works.
two-step-code-submit = Continue
two-step-no-app-heading = Cannot use your app?
two-step-use-recovery = Use a recovery code instead
two-step-use-app = Use a code from your app instead
two-step-no-codes = If you have lost your phone and your recovery codes, ask an administrator to reset your two-step sign-in.

two-step-recovery-title = Enter a recovery code
two-step-recovery-label = Recovery code
two-step-recovery-hint = One of the codes you saved when you set up two-step sign-in, for example abcde-fghij. Each code works once.
two-step-recovery-used-title = You are signed in with a recovery code
two-step-recovery-used-body = That recovery code cannot be used again.
two-step-recovery-left = { $count ->
    [0] You have no recovery codes left.
    [one] You have 1 recovery code left.
   *[other] You have { $count } recovery codes left.
}
two-step-few-codes = You are running out of recovery codes. Get new ones from your account page while you can still sign in. If you have lost your phone, ask an administrator to reset your two-step sign-in.
two-step-continue = Continue

two-step-setup-title = Set up two-step sign-in
two-step-setup-required = Coordinators and administrators sign in with a password and a code from an app. Set it up now to continue.
two-step-setup-intro = Install an authenticator app on your phone if you do not have one (for example Google Authenticator, Microsoft Authenticator, FreeOTP or Aegis). Then add Ustaz to it in one of these ways.
two-step-setup-scan = Scan the QR code with the app
two-step-setup-qr-label = QR code for adding Ustaz to your authenticator app
two-step-setup-link = Or open this link on the phone that has the app
two-step-setup-type = Or type this key into the app
two-step-setup-type-hint = Choose to enter a key by hand, name the account Ustaz, and type these letters and digits (the spaces do not matter). The type is time-based.
two-step-setup-confirm = Enter the code the app now shows
two-step-setup-submit = Turn on two-step sign-in

two-step-codes-title = Your recovery codes
two-step-codes-on = Two-step sign-in is on.
two-step-codes-intro = If you cannot use your app (a lost or new phone), each of these codes lets you sign in once instead of a code from the app.
two-step-codes-keep = Print this page, write the codes down, or copy them into a password manager, and keep them somewhere safe, apart from your phone.
two-step-codes-once = This is the only time the codes are shown. Older recovery codes no longer work.

two-step-renew-title = Get new recovery codes
two-step-renew-intro = Your current recovery codes stop working and you get 10 new ones. To confirm it is you, enter a code from your app.
two-step-renew-submit = Get new recovery codes
two-step-off-title = Turn off two-step sign-in
two-step-off-intro = You will sign in with your password only, and your recovery codes stop working. To confirm it is you, enter a code from your app.
two-step-off-submit = Turn off two-step sign-in
two-step-back = Back to your account
two-step-done-off = Two-step sign-in is off.

two-step-error-code-missing = Enter the code from your app
two-step-error-code-form = Enter the code as 6 digits, for example 123 456
two-step-error-code-wrong = The code is not right. Enter the code the app shows now; if it keeps failing, check that the time on your phone is set automatically.
two-step-error-code-used = That code has already been used. Wait for the app to show a new code and enter it.
two-step-error-locked = { $minutes ->
    [one] Too many wrong codes. Wait { $minutes } minute and try again.
   *[other] Too many wrong codes. Wait { $minutes } minutes and try again.
}
two-step-error-recovery-missing = Enter a recovery code
two-step-error-recovery-form = Enter the recovery code as 10 letters and digits, for example abcde-fghij
two-step-error-recovery-wrong = The recovery code is not right, or it has already been used.
two-step-error-setup-wrong = The code does not match. Check that you added the key shown on this page, then enter the code the app shows now.
two-step-error-setup-new = The set-up has been started again: add this new key to your app and enter the code it shows.

account-two-step = Two-step sign-in
account-two-step-on = Two-step sign-in is on (since { $date }). You sign in with your password and a code from your authenticator app.
account-two-step-off = Two-step sign-in is off: you sign in with your password only. Adding a code from an app on your phone protects your account if your password is stolen.
account-two-step-set-up = Set up two-step sign-in
account-two-step-renew = Get new recovery codes
account-two-step-turn-off = Turn off two-step sign-in

admin-users-two-step-heading = Two-step sign-in
admin-users-two-step-on = This user signs in with a password and a code from an authenticator app.
admin-users-two-step-off = This user has not set up two-step sign-in.
admin-users-two-step-self = Another administrator can reset your own two-step sign-in.
admin-users-two-step-reset-hint = Reset it only for someone who has lost both their phone and their recovery codes, once you have made sure, by phone or in person, that the request comes from them. Their app and recovery codes stop working, every session of theirs ends, they are emailed, and they set it up again at their next sign-in.
admin-users-two-step-confirm = I have checked that this person asked for the reset
admin-users-two-step-reset = Reset two-step sign-in
admin-users-two-step-error-confirm = Confirm that you have checked that this person asked for the reset
admin-users-two-step-error-self = You cannot reset your own two-step sign-in: ask another administrator
admin-users-done-two-step-reset = Two-step sign-in has been reset. The user sets it up again at their next sign-in.

audit-action-two-step-enabled = Two-step sign-in turned on
audit-action-two-step-disabled = Two-step sign-in turned off
audit-action-two-step-recovery-used = Signed in with a recovery code
audit-action-two-step-reset = Two-step sign-in reset

email-two-step-enabled-subject = Two-step sign-in is on for your Ustaz account
email-two-step-enabled-body = Hello { $name },

    Two-step sign-in has just been turned on for your Ustaz account: from now on you sign in with your password and a code from your authenticator app.

    If you did not do this, tell your administrator at once.

    Ustaz
email-two-step-disabled-subject = Two-step sign-in is off for your Ustaz account
email-two-step-disabled-body = Hello { $name },

    Two-step sign-in has just been turned off for your Ustaz account: you now sign in with your password only.

    If you did not do this, change your password and tell your administrator at once.

    Ustaz
email-two-step-reset-subject = Your Ustaz two-step sign-in has been reset
email-two-step-reset-body = Hello { $name },

    An administrator has reset the two-step sign-in of your Ustaz account, and every session has been ended. Your old authenticator app entry and recovery codes no longer work: you will set up two-step sign-in again the next time you sign in.

    If you did not ask for this, tell your administrator at once.

    Ustaz
email-two-step-recovery-used-subject = A recovery code was used to sign in to Ustaz
email-two-step-recovery-used-body = Hello { $name },

    Someone has just signed in to your Ustaz account with one of your recovery codes. You have { $count } recovery codes left.

    If this was not you, change your password and tell your administrator at once.

    Ustaz
