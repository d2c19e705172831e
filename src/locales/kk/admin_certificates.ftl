## Әкімшілік: сертификаттар (src/certificates/admin.rs)
admin-certificates-title = Сертификаттар
admin-certificates-lead = Платформада берілген барлық сертификаттар. Мәліметтерін көру, кері қайтару немесе қалпына келтіру үшін сертификатты ашыңыз.
admin-certificates-queue-link = Сертификат күтіп тұрған педагогтер
admin-certificates-new-link = Платформадан тыс оқу үшін сертификат беру
admin-certificates-back = Сертификаттар тізіміне оралу
admin-certificates-cancel = Болдырмау
admin-certificates-filters = Сертификаттарды сүзу
admin-certificates-search-label = Іздеу
admin-certificates-search-hint = Сертификат нөмірі, педагогтің аты-жөні немесе электрондық поштасы
admin-certificates-any-status = Кез келген күй
admin-certificates-any-course = Барлық курстар
admin-certificates-any-region = Барлық өңірлер
admin-certificates-apply = Сүзгілерді қолдану
admin-certificates-clear = Сүзгілерді тазалау
admin-certificates-count = { $count } сертификат
admin-certificates-caption = Сертификаттар, алдымен жаңалары ({ $pages } беттің { $page }-беті)
admin-certificates-none = Әзірге бірде-бір сертификат берілмеген.
admin-certificates-none-found = Бұл сүзгілерге сәйкес сертификат жоқ.
admin-certificates-col-serial = Нөмірі
admin-certificates-col-teacher = Педагог
admin-certificates-col-course = Курс
admin-certificates-col-hours = Сағат саны
admin-certificates-col-issued = Берілген күні
admin-certificates-col-status = Күйі
admin-certificates-col-region = Өңір
admin-certificates-col-completed = Аяқталған күні
admin-certificates-col-mode = Беру тәртібі
admin-certificates-status-valid = Жарамды
admin-certificates-status-revoked = Кері қайтарылған
admin-certificates-hours = { $hours } академиялық сағат
admin-certificates-course-archived = { $title } (мұрағатта)
admin-certificates-mode-automatic = Автоматты түрде
admin-certificates-mode-reviewed = Әкімші тексергеннен кейін

## Сертификат беру кезегі
admin-certificates-queue-title = Сертификат күтіп тұрған педагогтер
admin-certificates-queue-lead = Курсты аяқтаған, бірақ әлі сертификат алмаған педагогтер: сертификаты тексеруден кейін берілетін курстар бойынша және сертификаттар автоматты түрде беріле бастағанға дейін аяқталған курстар бойынша. Алдымен ең ерте аяқтағандар көрсетіледі.
admin-certificates-queue-count = Сертификат күтіп тұрғандар: { $count }
admin-certificates-queue-caption = Сертификат күтіп тұрған педагогтер, алдымен ең ерте аяқтағандар ({ $pages } беттің { $page }-беті)
admin-certificates-queue-none = Сертификат күтіп тұрған ешкім жоқ.
admin-certificates-queue-none-found = Бұл сүзгілерге сәйкес сертификат күтіп тұрған ешкім жоқ.
admin-certificates-queue-hint = Курсты аяқтағаны тексерілген педагогтерді белгілеңіз. Әрқайсысы өз сертификатын электрондық пошта арқылы алады.
admin-certificates-queue-submit = Белгіленгендерге беру
admin-certificates-queue-issued = { $count } сертификат берілді.
admin-certificates-queue-already = Сертификаты бұрыннан барлар: { $count }.
admin-certificates-error-nothing-selected = Сертификат берілетін кемінде бір педагогті белгілеңіз.
admin-certificates-error-selection-invalid = Таңдауды оқу мүмкін болмады. Педагогтерді қайта белгілеңіз.
admin-certificates-error-selection-refused = Ештеңе берілмеді: белгіленгендердің кейбірі ({ $count }) енді кезекте жоқ. Тізімді тексеріп, педагогтерді қайта белгілеңіз.

## Платформадан тыс оқу үшін сертификат беру
admin-certificates-new-title = Платформадан тыс оқу үшін сертификат беру
admin-certificates-new-lead = Курсты бетпе-бет форматта немесе басқа жүйеде өткен педагог үшін. Курстың аяқталғаны платформада тіркеледі, сертификат бірден беріледі және педагог оны электрондық пошта арқылы алады. Екеуі де сіз көрсеткен негіздемемен бірге әрекеттер журналына жазылады.
admin-certificates-field-email = Педагогтің электрондық поштасы
admin-certificates-hint-email = Педагогтің платформадағы тіркелгісінің мекенжайы.
admin-certificates-field-course = Курс
admin-certificates-field-date = Аяқталған күні
admin-certificates-hint-date = Педагог курсты аяқтаған күн: бүгіннен кеш емес және 2000 жылдан ерте емес.
admin-certificates-field-issue-reason = Негіздеме
admin-certificates-hint-issue-reason = Курс қайда және қалай өтілгені, мысалы, бұл жазылған бұйрық немесе қатысушылар тізімі. 500 таңбадан аспауы керек.
admin-certificates-new-submit = Сертификат беру
admin-certificates-error-email-missing = Педагогтің электрондық поштасын енгізіңіз.
admin-certificates-error-email-invalid = Электрондық поштаны дұрыс форматта енгізіңіз, мысалы, name@example.kz.
admin-certificates-error-email-unknown = Бұл мекенжаймен тіркелгі жоқ. Алдымен педагог тіркелуі немесе файлдан жүктелуі керек.
admin-certificates-error-email-not-teacher = Бұл педагогтің тіркелгісі емес. Сертификаттар тек педагогтерге беріледі.
admin-certificates-error-course = Курсты таңдаңыз.
admin-certificates-error-date-missing = Аяқталған күнін енгізіңіз.
admin-certificates-error-date-invalid = Аяқталған күнін дұрыс енгізіңіз: күні, айы және жылы.
admin-certificates-error-date-future = Аяқталған күні болашақта бола алмайды.
admin-certificates-error-date-too-early = Аяқталған күні 2000 жылдан ерте болмауы керек.
admin-certificates-error-reason-missing = Негіздемені енгізіңіз.
admin-certificates-error-reason-too-long = Негіздеме 500 таңбадан аспауы керек.
admin-certificates-error-already-certified = { $name } бұл курс бойынша { $serial } сертификатын бұрын алған.

## Сертификат
admin-certificates-detail-caption = Сертификат
admin-certificates-code = Тексеру коды
admin-certificates-issued-on = Берілген күні
admin-certificates-issued-by = Кім берді
admin-certificates-issued-automatically = Автоматты түрде, курс аяқталғанда
admin-certificates-person = { $name } ({ $email })
admin-certificates-issue-reason = Беру негіздемесі
admin-certificates-no-reason = Көрсетілмеген
admin-certificates-revoked-on = Кері қайтарылған күні
admin-certificates-revoked-by = Кім кері қайтарды
admin-certificates-revocation-reason = Кері қайтару себебі
admin-certificates-links-heading = Құжаттар
admin-certificates-link-pdf = Сертификат (PDF)
admin-certificates-link-credential = Цифрлық куәлік (Open Badges 3.0)
admin-certificates-link-verify = Жария тексеру беті
admin-certificates-revoke-heading = Сертификатты кері қайтару
admin-certificates-field-revocation-reason = Кері қайтару себебі
admin-certificates-hint-revocation-reason = Педагог бұл себепті электрондық пошта арқылы алады, ал тексеру беті сертификаттың кері қайтарылғанын көрсетеді. 500 таңбадан аспауы керек.
admin-certificates-revoke-submit = Сертификатты кері қайтару
admin-certificates-reinstate-heading = Сертификатты қалпына келтіру
admin-certificates-reinstate-hint = Сертификат қайта жарамды болады, педагогке электрондық пошта арқылы хабарланады.
admin-certificates-reinstate-submit = Сертификатты қалпына келтіру
admin-certificates-done-issued = Сертификат берілді және педагогке электрондық пошта арқылы жіберілді.
admin-certificates-done-revoked = Сертификат кері қайтарылды. Педагогке электрондық пошта арқылы хабарланды.
admin-certificates-done-reinstated = Сертификат қалпына келтірілді және қайта жарамды. Педагогке электрондық пошта арқылы хабарланды.
admin-certificates-done-already-revoked = Бұл сертификат бұрын кері қайтарылған: ештеңе өзгерген жоқ.
admin-certificates-done-not-revoked = Бұл сертификат кері қайтарылмаған еді: ештеңе өзгерген жоқ.

## Әрекеттер журналы
audit-action-certificate-issued = Сертификат берілді
audit-action-certificate-revoked = Сертификат кері қайтарылды
audit-action-certificate-reinstated = Сертификат қалпына келтірілді
audit-action-enrolment-completed-outside = Платформадан тыс аяқталған курс тіркелді

## A completion under review (src/certificates/admin/completion.rs)
admin-completion-title = Тексерудегі курсты аяқтау
admin-completion-back = Кезекке оралу
admin-completion-col-evidence = Дәлелдер
admin-completion-review-link = Дәлелдерді қарау
admin-completion-summary-quizzes = { $count ->
    [0] Тест әрекеттері жоқ
   *[other] Тест әрекеттері: { $count }, ең жақсы нәтиже { $best }%
}
admin-completion-summary-time = Жазылудан аяқтауға дейін { $time }
admin-completion-summary-tasks = Практикалық тапсырмалар: { $count } жіберілді, { $passed } қабылданды
admin-completion-points = { $max } ұпайдан { $scored }
admin-completion-days = { $count } күн
admin-completion-hours = { $count } сағат
admin-completion-minutes = { $count } минут
admin-completion-under-an-hour = бір сағаттан аз
admin-completion-under-a-minute = бір минуттан аз
admin-completion-bytes = { $count } байт
admin-completion-kilobytes = { $count } КБ
admin-completion-megabytes = { $count } МБ
admin-completion-teacher-heading = Педагог және күндер
admin-completion-email = Электрондық пошта мекенжайы
admin-completion-school = Білім беру ұйымы
admin-completion-none = Көрсетілмеген
admin-completion-enrolled = Курсқа жазылды
admin-completion-not-completed = Аяқталмаған
admin-completion-duration = Жазылудан аяқтауға дейін
admin-completion-standing-certified = Осы аяқтау бойынша { $serial } сертификаты берілген.
admin-completion-standing-withdrawn = Педагог курстан бас тартты: тексеретін ештеңе жоқ.
admin-completion-standing-active = Педагог курсты қайта өтуде: аяқтаған кезде ол кезекке қайта түседі.
admin-completion-open-certificate = Сертификатты ашу
admin-completion-attempts-heading = Тест әрекеттері
admin-completion-no-attempts = Тест әрекеттері жоқ.
admin-completion-col-quiz = Тест
admin-completion-col-started = Басталды
admin-completion-col-took = Кеткен уақыт
admin-completion-col-score = Нәтиже
admin-completion-col-result = Қорытынды
admin-completion-passed = Тапсырылды
admin-completion-not-passed = Тапсырылмады
admin-completion-not-submitted = Жіберілмеді
admin-completion-tasks-heading = Практикалық тапсырмалар
admin-completion-no-tasks = Практикалық тапсырмалар жіберілмеген.
admin-completion-submitted = Жіберілді
admin-completion-reviewed = Тексерілді
admin-completion-feedback = Пікір
admin-completion-answer = Педагогтің жауабы
admin-completion-scores-caption = «{ $task }» бойынша критерийлер ұпайлары
admin-completion-col-criterion = Критерий
admin-completion-files = Тіркелген файлдар
admin-completion-returns-heading = Бұрынғы қайтарулар
admin-completion-no-returns = Бұл аяқтау бұрын қайтарылмаған.
admin-completion-return-line = { $returned } қайтарылды, қайтарған: { $by } (аяқталған уақыты: { $completed }):
admin-completion-issue-heading = Сертификат беру
admin-completion-issue-hint = Дәлелдер жеткілікті: педагог сертификатты электрондық пошта арқылы алады.
admin-completion-issue-submit = Сертификат беру
admin-completion-return-heading = Педагогке қайтару
admin-completion-field-reason = Себебі
admin-completion-hint-reason = Педагог нені қайта орындауы керек және неліктен. Ол мұны хатпен алады және курс бетінде көреді. Ең көбі 500 таңба.
admin-completion-field-modules = Қайта өтетін модульдер
admin-completion-hint-modules = Белгіленген модульдер өтілмеген болып саналады. Алдымен тесттер мен практикалық тапсырмалар белгіленген.
admin-completion-return-submit = Педагогке қайтару
admin-completion-error-module-missing = Педагог қайта өтуі керек кемінде бір модульді белгілеңіз.
admin-completion-error-module-unknown = Модульдер таңдауын оқу мүмкін болмады. Оларды қайта белгілеңіз.
admin-completion-done-returned = Аяқтау қайтарылды. Педагогке себебі көрсетілген хат жіберілді.
admin-completion-done-not-waiting = Бұл аяқтау енді сертификат күтпейді: ештеңе өзгерген жоқ.
admin-completion-done-certified = Осы уақытта бұл аяқтау бойынша сертификат берілді, сондықтан ол қайтарылмады.
audit-action-completion-returned = Аяқтау педагогке қайтарылды

## Shown to the teacher (src/learning/pages/course.rs)
course-returned-heading = Курсты аяқтауыңыз қайтарылды
course-returned-text = Әкімші { $date } курсты аяқтауыңызды қайтарды. Модульдерді қайта өтіп, курсты аяқтаңыз.
email-completion-returned-subject = «{ $course }» курсын аяқтауыңыз қайтарылды
email-completion-returned-body = Сәлеметсіз бе, { $name }!

    Әкімші «{ $course }» курсын аяқтауыңызды тексеріп, сертификат бермей, сізге қайтарды.

    Себебі: { $reason }

    Қайта өтетін модульдер: { $modules }

    Оларды өткен соң курс қайта тексеруге түседі: { $link }

    Ustaz
