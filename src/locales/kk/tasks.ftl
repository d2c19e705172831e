# Практикалық тапсырмалар: мұғалімнің жұмысы және тексерушінің беттері.
nav-review = Тексеру

task-rubric = Тапсырма қалай бағаланады
task-rubric-empty = Бұл тапсырманың әзірге бағалау критерийлері жоқ.
task-criterion = Критерий
task-max-score = Ең жоғары балл
task-waiting = Жұмысыңыз тексеруді күтуде. Тексерілгенде сізге хат келеді.
task-passed = Тапсырмаңыз қабылданды.
task-submit-title = Жұмысты жіберу
task-body-label = Сіздің жауабыңыз
task-body-hint = Жауапты осында жазыңыз, төменде файл тіркеңіз немесе екеуін де жасаңыз. 20 000 таңбаға дейін.
task-files-label = Файл тіркеу (міндетті емес)
task-files-hint = PDF, Word (DOCX), OpenDocument (ODT) немесе сурет (PNG, JPEG, WebP, GIF). { $max } файлға дейін, әрқайсысы 10 МБ-қа дейін, барлығы 20 МБ-қа дейін.
task-submit = Тексеруге жіберу
task-your-submissions = Сіздің жұмыстарыңыз
task-no-submissions = Сіз бұл тапсырманы әлі жібермедіңіз.
task-submitted-on = Жіберілген күні
task-files = Тіркелген файлдар
task-scores = Баллдар
task-feedback = Тексерушінің пікірі
task-size-kb = { $size } КБ
task-size-mb = { $size } МБ

task-error-empty = Жауап жазыңыз немесе кемінде бір файл тіркеңіз
task-error-text-too-long = Жауап { $max } таңбадан аспауы керек
task-error-too-many-files = { $max } файлдан артық тіркемеңіз
task-error-too-large-in-all = Файлдардың жалпы көлемі 20 МБ-тан аспауы керек
task-error-file-empty = «{ $name }» файлы бос
task-error-file-too-large = «{ $name }» файлы 10 МБ-тан үлкен
task-error-file-type = «{ $name }» файлы PDF, DOCX, ODT немесе сурет емес
task-error-score-missing = Тапсырманы қабылдау үшін «{ $criterion }» критерийі бойынша балл қойыңыз
task-error-score-range = «{ $criterion }» критерийі бойынша балл 0-ден { $max }-ге дейінгі бүтін сан болуы керек
task-error-feedback-missing = Тапсырманы қайтару үшін мұғалімге пікір жазыңыз
task-error-feedback-too-long = Пікір 20 000 таңбадан аспауы керек

review-title = Тексерілетін практикалық тапсырмалар
review-no-courses = Сізді әлі ешбір курсты тексеруге тағайындаған жоқ. Тьюторларды курстарға әкімші тағайындайды.
review-filter-course = Курс
review-all-courses = Барлық курстар
review-filter = Көрсету
review-empty = Тексеруді күтіп тұрған жұмыс жоқ.
review-waiting-caption = Тексеруді күтіп тұрған жұмыстар, ең ертесі бірінші
review-col-submitted = Жіберілген күні
review-col-teacher = Мұғалім
review-col-course = Курс
review-col-task = Тапсырма
review-status = Күйі
review-reviewed-by = тексерген
review-instructions = Тапсырманың шарты
review-decision = Сіздің шешіміңіз
review-scores = Баллдар
review-scores-hint = Тапсырманы қабылдау үшін әр критерийді бағалаңыз. Қайтарғанда балл қоймауға болады.
review-score-range = аралығы
review-feedback-label = Мұғалімге пікір
review-feedback-hint = Тапсырманы қайтарғанда міндетті. Мұғалім оны электрондық пошта арқылы алады.
review-pass = Қабылдау
review-return = Пысықтауға қайтару
review-history = Бұрынғы жұмыстар
task-review-done-passed = Тапсырма қабылданды, мұғалімге хабарланды.
task-review-done-returned = Тапсырма қайтарылды, мұғалімге хабарланды.
task-review-already = Бұл жұмысты { $name } тексеріп қойған.

email-task-passed-subject = «{ $task }» тапсырмаңыз қабылданды
email-task-passed-body = Сәлеметсіз бе, { $name }!

    «{ $course }» курсындағы «{ $task }» практикалық тапсырмаңыз қабылданды.

    Пікір: { $feedback }

    Баллдарыңызды көру: { $link }

    Ustaz
email-task-returned-subject = «{ $task }» тапсырмаңызды пысықтау керек
email-task-returned-body = Сәлеметсіз бе, { $name }!

    «{ $course }» курсындағы «{ $task }» практикалық тапсырмаңыз пысықтауға қайтарылды.

    Пікір: { $feedback }

    Қайта жіберу: { $link }

    Ustaz

audit-action-task-submitted = Практикалық тапсырма жіберілді
audit-action-task-passed = Практикалық тапсырма қабылданды
audit-action-task-returned = Практикалық тапсырма қайтарылды
