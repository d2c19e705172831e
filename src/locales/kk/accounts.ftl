## Navigation and shared form words
nav-account-label = Тіркелгі
nav-account = Жеке кабинет
nav-sign-in = Кіру
nav-sign-out = Шығу
nav-admin-courses = Курс редакторы
nav-admin-users = Пайдаланушылар
nav-admin-schools = Білім беру ұйымдары
nav-admin-audit = Аудит журналы
nav-register = Тіркелу
error-prefix = Қате:
error-summary-title = Мәселе бар
error-stale = Сіз бұл бетті ашқаннан кейін басқа біреу өзгерістерді сақтап қойды, сондықтан сіздің өзгерістеріңіз сақталмады. Енді формада солар сақтаған мәліметтер тұр: өзгерістеріңізді қайта енгізіп, сақтаңыз.
field-choose = Таңдаңыз…
button-continue = Жалғастыру
button-save = Өзгерістерді сақтау
field-email = Электрондық пошта мекенжайы
field-password = Құпиясөз
field-new-password = Жаңа құпиясөз
field-current-password = Қазіргі құпиясөз
field-full-name = Толық аты-жөні
field-region = Өңір
field-school = Мектеп немесе балабақша
field-school-not-listed = Менің ұйымым тізімде жоқ
field-category = Қайда сабақ бересіз?
field-language = Қалаған тіл
field-iin = ЖСН (міндетті емес)
field-role = Рөлі
hint-email = Растау үшін сілтеме жібереміз.
hint-new-password = Кемінде 8 таңба. Бір-бірімен байланысы жоқ бірнеше сөз — берік әрі есте қалатын құпиясөз.
hint-school = Таңдалған өңірдің мектептері мен балабақшалары.
hint-iin = Сертификаттарыңызда болуын қаласаңыз, 12 таңбалы жеке сәйкестендіру нөміріңіз.
role-teacher = Педагог
role-coordinator = Өңірлік үйлестіруші
role-admin = Әкімші

## Notices after an action
notice-signed-out = Сіз жүйеден шықтыңыз.
notice-registered = Тіркелгі жасалды. Мекенжайды растауға арналған сілтемесі бар хат жібердік.
notice-email-confirmed = Электрондық пошта мекенжайы расталды.
notice-link-sent = Растауға арналған жаңа сілтеме жібердік.
notice-password-reset = Құпиясөз өзгертілді. Жаңа құпиясөзбен кіріңіз.
notice-password-changed = Құпиясөз өзгертілді. Қалған барлық сеанстар аяқталды.
notice-account-saved = Өзгерістер сақталды.

## Sign in
login-title = Кіру
login-submit = Кіру
login-forgot = Құпиясөзді ұмыттыңыз ба?
login-no-account = Ustaz-та алғаш рет пе?
error-password-missing = Құпиясөзді енгізіңіз.
error-login-failed = Электрондық пошта мекенжайы мен құпиясөзді дұрыс енгізіңіз.
error-login-throttled = Сәтсіз әрекет тым көп. { $minutes } минут күтіп, қайталап көріңіз немесе құпиясөзді қалпына келтіріңіз.
error-current-password-wrong = Қазіргі құпиясөз дұрыс емес.
error-login-disabled = Бұл тіркелгі өшірілген. Әкімшіге хабарласыңыз.
error-form-unreadable = Пішінді оқу мүмкін болмады. Артқа қайтып, қайталап көріңіз.

## Registration
register-step-1 = 2 қадамның 1-қадамы
register-step-2 = 2 қадамның 2-қадамы
register-region-title = Қайда жұмыс істейсіз?
register-region-lead = Мектебіңіздің немесе балабақшаңыздың өңірін таңдаңыз. Содан кейін ұйымның өзін таңдайсыз.
register-have-account = Тіркелгенсіз бе?
register-title = Тіркелгі жасау
register-change-region = Өңірді өзгерту
register-submit = Тіркелгі жасау
error-region-missing = Өңірді таңдаңыз.
error-school-missing = Ұйымыңызды немесе «Менің ұйымым тізімде жоқ» дегенді таңдаңыз.
error-school-other-region = Таңдалған өңірдегі ұйымды таңдаңыз.
error-language-missing = Қалаған тілді таңдаңыз.
error-email-taken = Бұл мекенжаймен тіркелгі бар. Кіріңіз немесе құпиясөзді қалпына келтіріңіз.
error-iin-taken = Бұл ЖСН-мен тіркелгі бар.
error-register-throttled = Сіздің желіңізден тым көп тіркелгі ашылды. { $minutes } минут күтіп, қайталап көріңіз.
error-coordinator-region = Үйлестірушінің өңірін әкімші белгілейді.

## Email confirmation
confirm-banner-label = Электрондық пошта мекенжайын растаңыз
confirm-banner-text = Курстарға жазылу үшін электрондық пошта мекенжайын растаңыз. Сілтемені мына мекенжайға жібердік:
confirm-banner-resend = Сілтемені қайта жіберу
confirm-title = Электрондық пошта мекенжайын растау
confirm-lead = Бұл мекенжай сіздікі екенін растау үшін батырманы басыңыз.
confirm-submit = Мекенжайды растау
link-invalid-title = Сілтеменің мерзімі өтті немесе ол пайдаланылған
link-invalid-body = Хаттарымыздағы сілтемелер бір рет және шектеулі уақыт қана жұмыс істейді. Жаңасын сұраңыз.

## Password reset
forgot-title = Құпиясөзді қалпына келтіру
forgot-lead = Тіркелгіңіздің электрондық пошта мекенжайын енгізіңіз. Жаңа құпиясөз таңдауға арналған сілтеме жібереміз.
forgot-submit = Сілтемені жіберу
check-email-title = Поштаңызды тексеріңіз
check-email-body = Бұл мекенжаймен тіркелгі болса, жаңа құпиясөз таңдауға арналған сілтемені мына мекенжайға жібердік:
check-email-expiry = Сілтеме 1 сағат ішінде бір рет жұмыс істейді. Хат келмесе, «Спам» қалтасын тексеріңіз.
reset-title = Жаңа құпиясөз таңдау
invitation-title = Тіркелгіңізге құпиясөз орнатыңыз
reset-submit = Құпиясөзді сақтау

## Account page
account-title = Жеке кабинет
account-details = Сіздің деректеріңіз
account-password = Құпиясөз
account-change-password = Құпиясөзді өзгерту

## Emails
email-confirm-subject = Ustaz үшін электрондық пошта мекенжайыңызды растаңыз
email-confirm-body = Сәлеметсіз бе, { $name }!

    Ustaz-та оқуды бастау үшін электрондық пошта мекенжайыңызды растаңыз:

    { $link }

    Сілтеме 3 күн ішінде бір рет жұмыс істейді. Егер сіз тіркелмеген болсаңыз, бұл хатты елемеңіз.

    Ustaz
email-reset-subject = Ustaz құпиясөзін қалпына келтіру
email-reset-body = Сәлеметсіз бе, { $name }!

    Біреу Ustaz тіркелгіңіздің құпиясөзін қалпына келтіруді сұрады. Жаңа құпиясөз таңдау үшін ашыңыз:

    { $link }

    Сілтеме 1 сағат ішінде бір рет жұмыс істейді. Бұл сіз болмасаңыз, хатты елемеңіз: құпиясөзіңіз өзгермейді.

    Ustaz
email-password-changed-subject = Ustaz құпиясөзіңіз өзгертілді
email-password-changed-body = Сәлеметсіз бе, { $name }!

    Ustaz тіркелгіңіздің құпиясөзі жаңа ғана өзгертілді, қалған барлық сеанстар аяқталды.

    Егер мұны сіз жасамасаңыз, құпиясөзді дереу қалпына келтіріп, әкімшіге хабарлаңыз.

    Ustaz
