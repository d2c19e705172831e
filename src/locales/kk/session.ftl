## Inactivity timeout: the warning before it, and the sign-in page after it
session-warning-title = Сеанс жақында аяқталады
session-warning-minutes = Қауіпсіздік үшін сеансыңызды { $minutes } минуттан кейін аяқтаймыз.
session-warning-seconds = Қауіпсіздік үшін сеансыңызды { $seconds } секундтан кейін аяқтаймыз.
session-warning-why = Ұзақ уақыт ешқандай әрекет болмаса, осылай істейміз. Бұл беттегі сақталмаған деректер жоғалады.
session-warning-stay = Жүйеде қалу
notice-session-timed-out = { $minutes } минут бойы ешқандай әрекет болмағандықтан, сеансыңыз аяқталды. Тоқтаған жерден жалғастыру үшін қайта кіріңіз.
