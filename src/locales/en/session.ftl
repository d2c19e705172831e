## Inactivity timeout: the warning before it, and the sign-in page after it
session-warning-title = You are about to be signed out
session-warning-minutes = { $minutes ->
    [one] For your security, we will sign you out in { $minutes } minute.
   *[other] For your security, we will sign you out in { $minutes } minutes.
}
session-warning-seconds = { $seconds ->
    [one] For your security, we will sign you out in { $seconds } second.
   *[other] For your security, we will sign you out in { $seconds } seconds.
}
session-warning-why = We do this when nothing has happened for a while. Anything on this page you have not saved will be lost.
session-warning-stay = Stay signed in
notice-session-timed-out = { $minutes ->
    [one] You were signed out after { $minutes } minute without activity. Sign in again to carry on where you were.
   *[other] You were signed out after { $minutes } minutes without activity. Sign in again to carry on where you were.
}
