## Өңірлік мониторинг тақтасы (/dashboard/regions/{code})
regional-title = { $region }: мақсатқа жету барысы
regional-contents = Осы бетте
regional-back = Барлық өңірлер
regional-no-target = Ұлттық мақсат әлі қойылмаған, сондықтан әзірге есептейтін ештеңе жоқ.
regional-quota-target = Квота — осы өңірге қойылған өңірлік мақсат.
regional-inclusive-summary = Инклюзивті білім беруге жағдайы бар мектептер: { $schools } ішінен { $inclusive } ({ $percent }).
regional-schools-heading = Мектептер
regional-no-schools = Бұл өңірде әлі мектеп тіркелмеген.
regional-download-schools = Мектептер тізімін жүктеп алу:
regional-download-teachers = Осы тізімді жүктеп алу:
regional-download-csv = CSV
regional-download-xlsx = Excel (XLSX)
regional-schools-caption = Мектептер, { $pages } беттің { $page }-беті
regional-schools-pages = Мектептер тізімінің беттері
regional-col-school = Мектеп
regional-col-district = Аудан
regional-col-registered = Тіркелген педагогтер
regional-col-trained = Оқыған педагогтер
regional-col-inclusive = Инклюзияға жағдай
regional-yes = Иә
regional-no = Жоқ
regional-teachers-heading = Педагогтер
regional-status-definitions = Мақсатқа есептелетін курстар ғана ескеріледі. Аяқтады — есептелетін сертификаты немесе аяқталған курсы бар. Оқып жүр — соңғы 30 күнде белсенділік болған. Тоқтап қалды — курсқа жазылған, бірақ 30 күн немесе одан да көп уақыт бойы ілгерілеу жоқ. Бастамады — курсқа жазылмаған немесе курстан шыққан.
regional-status-not-started = Бастамады
regional-status-in-progress = Оқып жүр
regional-status-stalled = Тоқтап қалды
regional-status-completed = Аяқтады
regional-status-any = Барлық мәртебе
regional-teachers-filters = Педагогтерді іздеу
regional-search-label = Аты-жөні немесе электрондық пошта
regional-col-name = Аты-жөні
regional-col-email = Электрондық пошта
regional-col-category = Санаты
regional-col-status = Мәртебесі
regional-col-last-activity = Соңғы белсенділік
regional-teachers-count = { $shown } педагог
regional-teachers-caption = Педагогтер, { $pages } беттің { $page }-беті
regional-teachers-pages = Педагогтер тізімінің беттері
regional-no-teachers = Сәйкес педагог табылмады.
regional-reminders-heading = Еске салу
regional-reminders-text = Осы іздеуге сәйкес тоқтап қалған педагогтер: { $shown }. Әрқайсысы еске салуды электрондық поштамен, өз тілінде алады.
regional-reminders-rule = Бір педагогке 7 күнде бір реттен артық еске салу жіберілмейді: соңғы 7 күнде еске салу алғандар өткізіп жіберіледі.
regional-reminders-button = Тоқтап қалған педагогтерге еске салу жіберу
regional-reminders-none = Осы іздеуге сәйкес тоқтап қалған педагог жоқ.
regional-reminders-done = Жіберілген еске салу: { $sent } (өткізіп жіберілгені: { $skipped } — оларға соңғы 7 күнде еске салынған).
regional-schools-file = { $region } - мектептер
regional-teachers-file = { $region } - педагогтер

## Еске салу хаты
email-reminder-subject = Ustaz: курсты тоқтаған жерден жалғастырыңыз
email-reminder-body = Сәлеметсіз бе, { $name }!

    Сіз Ustaz платформасында инклюзивті білім беру курсын бастадыңыз, бірақ біраз уақыттан бері оған оралмадыңыз. Ілгерілеуіңіз сақталған — тоқтаған жерден жалғастыра аласыз.

    Курстарыңыз: { $link }

    Өңірлік үйлестірушіңіз
    Ustaz

## Әрекеттер журналы
audit-action-reminders-sent = Еске салулар жіберілді
admin-audit-field-sent = Жіберілді
admin-audit-field-skipped = Өткізіп жіберілді
admin-audit-field-search = Іздеу
