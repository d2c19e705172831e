## Әкімшілік: пайдаланушылар
admin-users-title = Пайдаланушылар
admin-users-filters = Пайдаланушыларды іздеу
admin-users-search-label = Аты-жөні, электрондық пошта немесе ЖСН
admin-users-search-hint = Аты-жөнінің, поштаның немесе ЖСН-нің бір бөлігі жеткілікті. Бас әріп пен кіші әріптің айырмасы жоқ.
admin-users-col-name = Аты-жөні
admin-users-col-email = Электрондық пошта
admin-users-col-role = Рөлі
admin-users-col-region = Өңір
admin-users-col-category = Санаты
admin-users-col-status = Күйі
admin-users-any-role = Кез келген рөл
admin-users-any-region = Кез келген өңір
admin-users-any-category = Кез келген санат
admin-users-any-status = Кез келген күй
admin-users-apply = Сүзгілерді қолдану
admin-users-clear = Сүзгілерді тазалау
admin-users-count = { $count ->
   *[other] { $count } пайдаланушы табылды
}
admin-users-caption = Пайдаланушылар, { $pages } беттің { $page }-беті
admin-users-none = Ешкім табылмады. Сүзгілерді азайтып не іздеу сөзін қысқартып көріңіз.
admin-users-pagination = Беттер
admin-users-previous = Алдыңғы бет
admin-users-next = Келесі бет
admin-users-page-n = { $page }-бет
admin-users-status-active = Белсенді
admin-users-status-disabled = Өшірілген
admin-users-status-unconfirmed = Поштасы расталмаған

## Пайдаланушы беті
admin-users-back = Барлық пайдаланушыларға оралу
admin-users-not-set = Көрсетілмеген
admin-users-school = Мектеп немесе балабақша
admin-users-language = Интерфейс тілі
admin-users-iin = ЖСН
admin-users-registered = Тіркелген күні
admin-users-history = Осы тіркелгідегі өзгерістер тарихы
admin-users-role-heading = Рөлді өзгерту
admin-users-role-legend = Рөлі
admin-users-role-region-hint = Педагог пен өңірлік үйлестірушінің өңірі болуы керек. Әкімші мен тьютордың өңірі болмауы мүмкін.
admin-users-no-region = Өңірсіз
admin-users-role-submit = Рөлді өзгерту
admin-users-coordinator-heading = Өңірлік үйлестіруші етіп тағайындау
admin-users-coordinator-move-heading = Үйлестірушіні басқа өңірге ауыстыру
admin-users-coordinator-region = Үйлестіретін өңірі
admin-users-coordinator-hint = Үйлестіруші тек осы өңірдің тақтасы мен педагогтерін көреді.
admin-users-coordinator-submit = Үйлестіруші етіп тағайындау
admin-users-coordinator-move-submit = Осы өңірге ауыстыру
admin-users-access-heading = Тіркелгіге кіру мүмкіндігі
admin-users-disabled-since = Бұл тіркелгі өшірілген күні:
admin-users-enable = Тіркелгіні қосу
admin-users-disable-hint = Пайдаланушы барлық құрылғыдан шығарылады және тіркелгі қайта қосылмайынша кіре алмайды. Оның деректері өшірілмейді.
admin-users-disable = Тіркелгіні өшіру
admin-users-sessions-heading = Сеанстар
admin-users-sessions-hint = Пайдаланушы барлық құрылғыдан шығарылады, мысалы, телефоны жоғалғанда. Ол өз құпиясөзімен қайта кіре алады.
admin-users-sessions-hint-self = Сіз барлық құрылғыдан, соның ішінде осы құрылғыдан да шығасыз.
admin-users-sessions-submit = Барлық сеансты аяқтау
admin-users-done-role-changed = Рөл өзгертілді.
admin-users-done-coordinator-appointed = Үйлестірушінің өңірі белгіленді.
admin-users-done-disabled = Тіркелгі өшірілді, оның барлық сеансы аяқталды.
admin-users-done-enabled = Тіркелгі қосылды. Пайдаланушы қайта кіре алады.
admin-users-done-sessions-ended = Пайдаланушының барлық сеансы аяқталды.
admin-users-done-unchanged = Ештеңені өзгертудің қажеті болмады.
admin-users-error-own-role = Әкімші рөлін өзіңізден ала алмайсыз. Басқа әкімшіге жүгініңіз.
admin-users-error-coordinator-region = Үйлестіруші жауап беретін өңірді таңдаңыз.
admin-users-error-teacher-region = Педагогтің өңірін таңдаңыз.
admin-users-error-disable-self = Өз тіркелгіңізді өшіре алмайсыз. Басқа әкімшіге жүгініңіз.

## Әкімшілік: аудит журналы
admin-audit-title = Аудит журналы
admin-audit-filters = Аудит журналын сүзу
admin-audit-about = Мына тіркелгідегі өзгерістер:
admin-audit-any-action = Кез келген әрекет
admin-audit-count = { $count ->
   *[other] { $count } оқиға
}
admin-audit-caption = Аудит журналы, жаңалары басында, { $pages } беттің { $page }-беті
admin-audit-none-found = Сәйкес жазбалар әзірге жоқ.
admin-audit-col-when = Қашан (UTC)
admin-audit-col-who = Кім
admin-audit-col-action = Әрекет
admin-audit-col-subject = Нысан
admin-audit-col-change = Бұрын → кейін
admin-audit-when = { $date }, { $time } UTC
admin-audit-system = Жүйе
admin-audit-none = жоқ
admin-audit-field-role = Рөлі
admin-audit-field-region = Өңір
admin-audit-field-school = Мектеп
admin-audit-field-status = Күйі
admin-audit-field-session-version = Сеанс нұсқасы
audit-action-user-role-changed = Рөл өзгертілді
audit-action-user-coordinator-appointed = Үйлестіруші тағайындалды
audit-action-user-disabled = Тіркелгі өшірілді
audit-action-user-enabled = Тіркелгі қосылды
audit-action-user-sessions-ended = Сеанстар аяқталды

## A tutor's courses (src/accounts/admin/pages.rs)
admin-users-tutoring-heading = Осы тьютор тексеретін курстар
admin-users-tutoring-legend = Осы тьютор тексеретін курстар
admin-users-tutoring-hint = Тьютор белгіленген курстардың практикалық тапсырмаларын тексереді. Тағайындауды тоқтату үшін белгіні алып тастаңыз.
admin-users-tutoring-submit = Курстарды сақтау
admin-users-tutoring-no-courses = Әзірге курстар жоқ.
admin-users-done-tutoring-saved = Осы тьютор тексеретін курстар сақталды.
admin-users-error-tutoring-course = Курстар таңдауын оқу мүмкін болмады. Оларды қайта белгілеңіз.
admin-users-error-not-tutor = Бұл пайдаланушы тьютор емес, сондықтан курстарды тексере алмайды. Алдымен оған тьютор рөлін беріңіз.
audit-action-user-tutoring-changed = Тьютор курстары өзгертілді
