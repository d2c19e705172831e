## Navigation
nav-certificates = Менің сертификаттарым
nav-admin-certificates = Сертификаттар

## Сертификаттар туралы хаттар
email-certificate-issued-subject = Сіздің сертификатыңыз: { $course }
email-certificate-issued-body = Сәлеметсіз бе, { $name }!

    «{ $course }» курсын аяқтауыңызбен құттықтаймыз. Сіздің { $serial } сертификатыңыз берілді.

    Жүктеп алу (PDF): { $pdf }
    Оны кез келген адам жүйеге кірмей-ақ осы жерден тексере алады: { $verify }

    Барлық сертификаттарыңыз: { $list }

    Ustaz
email-certificate-revoked-subject = Сіздің { $serial } сертификатыңыз кері қайтарылды
email-certificate-revoked-body = Сәлеметсіз бе, { $name }!

    Әкімші «{ $course }» курсы бойынша { $serial } сертификатыңызды кері қайтарды.

    Себебі: { $reason }

    Тексеру беті енді оның кері қайтарылғанын көрсетеді: { $verify }
    Егер бұл қате деп ойласаңыз, осы хатқа жауап беріңіз немесе өңірлік үйлестірушіге хабарласыңыз.

    Ustaz
email-certificate-reinstated-subject = Сіздің { $serial } сертификатыңыз қайта жарамды
email-certificate-reinstated-body = Сәлеметсіз бе, { $name }!

    «{ $course }» курсы бойынша { $serial } сертификатыңыз қалпына келтірілді және қайта жарамды.

    Жүктеп алу (PDF): { $pdf }
    Тексеру беті: { $verify }

    Ustaz

## Audit log fields of certificate events
admin-audit-field-serial = Нөмірі
admin-audit-field-reason = Себебі
admin-audit-field-teacher = Педагог
admin-audit-field-course = Курс
admin-audit-field-hours = Сағат
admin-audit-field-automatic = Автоматты түрде берілді
admin-audit-field-revoked = Кері қайтарылды
admin-audit-field-enrolment = Курсқа жазылу
admin-audit-field-enrolment-id = Курсқа жазылу
admin-audit-field-completed-on = Аяқталған күні
