## Әкімшілік: білім беру ұйымдары (src/admin/schools.rs)
admin-schools-title = Білім беру ұйымдары
admin-schools-lead = Әр өңірдің мектептері, балабақшалары мен колледждері және оларда инклюзивті білім беру үшін жағдай жасалғаны туралы мәлімет.
admin-schools-show = Көрсету
admin-schools-filters = Өңірді таңдау
admin-schools-add = Ұйым қосу
admin-schools-import-link = Ұйымдарды CSV файлынан жүктеу
admin-schools-import-users-link = Педагогтерді CSV файлынан жүктеу
admin-schools-summary = { $total } білім беру ұйымы, оның ішінде { $inclusive } ұйымда инклюзивті білім беру үшін жағдай жасалған ({ $percent }%)
admin-schools-caption = Білім беру ұйымдары: { $region }
admin-schools-none = Бұл өңірге әлі бірде-бір ұйым қосылмаған.
admin-schools-col-name = Атауы
admin-schools-col-kind = Түрі
admin-schools-col-district = Ауданы
admin-schools-col-inclusive = Инклюзивті білім беру жағдайлары
admin-schools-col-actions = Әрекеттер
admin-schools-yes = Иә
admin-schools-no = Жоқ
admin-schools-edit = Өзгерту
admin-schools-added = «{ $name }» қосылды.
admin-schools-updated = «{ $name }» бойынша өзгерістер сақталды.
admin-schools-back = Ұйымдар тізіміне оралу
admin-schools-new-title = Білім беру ұйымын қосу
admin-schools-edit-title = Білім беру ұйымын өзгерту
admin-schools-field-name = Атауы
admin-schools-hint-name = Ресми құжаттардағыдай, мысалы, «№ 165 мектеп-лицей».
admin-schools-field-kind = Ұйымның түрі
admin-schools-field-district = Ауданы (міндетті емес)
admin-schools-field-inclusive = Инклюзивті білім беру жағдайлары
admin-schools-inclusive-label = Ұйымда инклюзивті білім беру үшін жағдай жасалған
admin-schools-hint-inclusive = Мысалы: кедергісіз ғимарат, психологиялық-педагогикалық сүйемелдеу мамандары, бейімделген бағдарламалар.
admin-schools-save = Сақтау
admin-schools-cancel = Болдырмау
admin-schools-kind-school = Мектеп
admin-schools-kind-kindergarten = Балабақша
admin-schools-kind-special = Арнайы мектеп
admin-schools-kind-college = Колледж
admin-schools-kind-other = Басқа
admin-schools-error-region = Ұйым орналасқан өңірді таңдаңыз.
admin-schools-error-name-missing = Ұйымның атауын енгізіңіз.
admin-schools-error-name-invalid = Атауы 200 таңбадан аспауы керек.
admin-schools-error-district-invalid = Аудан атауы 100 таңбадан аспауы керек.
admin-schools-error-kind = Ұйымның түрін таңдаңыз.
admin-schools-error-duplicate = Бұл өңірде осындай атаумен ұйым бұрыннан бар. Басқа атау енгізіңіз немесе бар ұйымды өзгертіңіз.
audit-action-school-updated = Білім беру ұйымы өзгертілді

## Әкімшілік: CSV файлынан жүктеу (src/admin/imports.rs)
admin-import-schools-title = Білім беру ұйымдарын жүктеу
admin-import-schools-lead = Көп ұйымды CSV файлынан бірден қосыңыз — мысалы, электрондық кестеден сақталған файлдан. Өңірде дәл осындай атаумен ұйым бұрыннан болса, оның деректері жаңартылады, сондықтан түзетілген файлды қайта жүктеуге болады.
admin-import-users-title = Педагогтерді жүктеу
admin-import-users-lead = Көп педагогке тіркелгіні бірден ашыңыз. Әр жаңа педагогке құпиясөз орнатуға арналған сілтемесі бар хат келеді. Электрондық пошта мекенжайы бұрын тіркелген педагогтер өзгеріссіз қалады.
admin-import-rule = Алдымен әр жол тексеріледі. Кемінде бір жолда қате болса, ештеңе жүктелмейді, ал қатесі бар жолдар тізіммен көрсетіледі.
admin-import-columns-caption = Файлдың бағандары
admin-import-columns-note = Бірінші жолда бағандардың атаулары жазылады. Бағандардың реті кез келген; бөлгіш — үтір, нүктелі үтір немесе табуляция.
admin-import-col-column = Баған
admin-import-col-meaning = Не жазу керек
admin-import-optional = (міндетті емес)
admin-import-example = Үлгі
admin-import-region-codes = Өңір кодтары
admin-import-col-code = Код
admin-import-col-region = Өңір
admin-import-field-csv = Жолдарды қойыңыз
admin-import-hint-csv = Бағандар аталған бірінші жолымен бірге. Ұяшықтарды электрондық кестеден көшіруге болады.
admin-import-field-file = Немесе CSV файлын таңдаңыз
admin-import-hint-file = «CSV UTF-8» пішімінде, { $max } жолдан аспауы керек.
admin-import-field-language = Тіркелгілер мен шақырулардың тілі
admin-import-hint-language = Педагогтер оны кейін жеке кабинетте өзгерте алады.
admin-import-schools-submit = Ұйымдарды жүктеу
admin-import-users-submit = Жүктеу және шақыру жіберу
admin-import-errors-caption = Файлдағы қателер
admin-import-col-line = Жол
admin-import-col-problem = Қате
admin-import-line = { $line }-жол
admin-import-more-problems = Мұнда көрсетілмеген тағы қателер саны: { $count }.
admin-import-refused = Ештеңе жүктелмеді: қатесі бар жолдар саны — { $count }. Файлды түзетіп, қайта жүктеңіз.
admin-import-schools-done-title = Ұйымдар жүктелді
admin-import-schools-done = Қосылды: { $added }. Жаңартылды: { $updated }. Өзгеріссіз: { $unchanged }.
admin-import-users-done-title = Педагогтер жүктелді
admin-import-users-done = Шақыру жіберілді: { $invited }. Бұрын тіркелген: { $registered }.
admin-import-registered-caption = Бұрын тіркелгендер — шақыру жіберілмеді
admin-import-col-email = Электрондық пошта мекенжайы
admin-import-more-registered = Тағы: { $count }.
admin-import-again = Басқа файлды жүктеу
admin-import-error-empty = Файлдың жолдарын қойыңыз немесе CSV файлын таңдаңыз.
admin-import-error-both = Жолдарды қойыңыз немесе файлды таңдаңыз — екеуінің бірін ғана.
admin-import-error-encoding = Файл UTF-8 кодтауында емес. Электрондық кестеде «Басқаша сақтау» тармағын және «CSV UTF-8» түрін таңдап, файлды қайта таңдаңыз.
admin-import-error-no-header = Бірінші жолда бағандардың атаулары болуы керек: { $columns }.
admin-import-error-missing-columns = Бірінші жолда мына бағандар жоқ: { $columns }.
admin-import-error-unknown-column = «{ $column }» деген баған жоқ. Қолдануға болатын бағандар: { $columns }.
admin-import-error-repeated-column = «{ $column }» бағаны бірінші жолда екі рет жазылған.
admin-import-error-no-rows = Файлда бірінші жолдан кейін бірде-бір жол жоқ.
admin-import-error-too-many-rows = Бір ретте { $max } жолдан артық жүктеуге болмайды. Файлды бірнеше бөлікке бөліңіз.
admin-import-error-unreadable = Бұл жолды оқу мүмкін емес. Тырнақшаларды тексеріңіз.
admin-import-error-width = Жолдағы мәндер саны: { $found }, ал бірінші жолдағы бағандар саны: { $expected }.
admin-import-error-region = { $value } деген өңір коды белгісіз. Тізімдегі кодты жазыңыз, мысалы, KZ-75.
admin-import-error-region-missing = Өңір коды жазылмаған.
admin-import-error-kind = «{ $value }» деген түр белгісіз. school, kindergarten, special, college немесе other деп жазыңыз.
admin-import-error-inclusive = inclusive бағанына «{ $value }» емес, yes немесе no деп жазыңыз.
admin-import-error-school-repeated = «{ $value }» ұйымы { $line }-жолда да бар.
admin-import-error-name-missing = Аты-жөні жазылмаған.
admin-import-error-name-invalid = Аты-жөні 200 таңбадан ұзын.
admin-import-error-email-missing = Электрондық пошта мекенжайы жазылмаған.
admin-import-error-email-invalid = «{ $value }» электрондық пошта мекенжайы емес.
admin-import-error-email-repeated = { $value } мекенжайы { $line }-жолда да бар.
admin-import-error-category = «{ $value }» деген санат белгісіз. preschool, general, special немесе other деп жазыңыз.
admin-import-error-iin = «{ $value }» — дұрыс ЖСН емес: онда 12 цифр болады, ол туған күннен басталып, бақылау цифрымен аяқталады.
admin-import-error-iin-repeated = { $value } ЖСН-і { $line }-жолда да бар.
admin-import-error-iin-taken = { $value } ЖСН-і басқа тіркелгіге тиесілі.
admin-import-error-school-unknown = «{ $region }» өңірінде «{ $value }» деген ұйым жоқ. Алдымен оны қосыңыз немесе мектеп бағанын бос қалдырыңыз.
admin-import-error-language = Тіркелгілер мен шақырулардың тілін таңдаңыз.
admin-import-schools-column-region-code = Өңір коды, мысалы, Алматы үшін KZ-75.
admin-import-schools-column-name = Ұйымның атауы.
admin-import-schools-column-kind = school (мектеп), kindergarten (балабақша), special (арнайы мектеп), college (колледж) немесе other (басқа).
admin-import-schools-column-inclusive = yes немесе no: инклюзивті білім беру үшін жағдай жасалған ба.
admin-import-schools-column-district = Ауданы; бос қалдыруға болады.
admin-import-users-column-full-name = Педагогтің толық аты-жөні.
admin-import-users-column-email = Педагогтің электрондық пошта мекенжайы: шақыру соған келеді, педагог сол арқылы кіреді.
admin-import-users-column-region-code = Өңір коды, мысалы, Алматы үшін KZ-75.
admin-import-users-column-school = Ұйымның сол өңір тізіміндегі атауы; бос қалдыруға болады.
admin-import-users-column-category = preschool (мектепке дейінгі), general (жалпы орта), special (арнайы) немесе other (басқа).
admin-import-users-column-iin = 12 цифрлы ЖСН; бос қалдыруға болады.

## Жүктелген педагогке шақыру
email-invitation-subject = Ustaz платформасына шақыру
email-invitation-body = Сәлеметсіз бе, { $name }!

    Сізге Ustaz — инклюзивті білім беру бойынша біліктілікті арттыру курстарының платформасында тіркелгі ашылды.

    Бастау үшін құпиясөз ойлап табыңыз:

    { $link }

    Сілтеме 14 күн ішінде бір рет жұмыс істейді. Кейін { $email } мекенжайы мен құпиясөзіңіз арқылы кіресіз. Сілтеменің мерзімі өтіп кетсе, кіру бетінде «Құпиясөзді ұмыттыңыз ба?» сілтемесін басыңыз.

    Ustaz
