## Администрирование: сертификаты (src/certificates/admin.rs)
admin-certificates-title = Сертификаты
admin-certificates-lead = Все сертификаты, выданные на платформе. Откройте сертификат, чтобы посмотреть сведения о нём, отозвать или восстановить его.
admin-certificates-queue-link = Завершения, ожидающие сертификата
admin-certificates-new-link = Выдать сертификат за обучение вне платформы
admin-certificates-back = К списку сертификатов
admin-certificates-cancel = Отмена
admin-certificates-filters = Фильтры сертификатов
admin-certificates-search-label = Поиск
admin-certificates-search-hint = Номер сертификата, имя педагога или адрес электронной почты
admin-certificates-any-status = Любой статус
admin-certificates-any-course = Все курсы
admin-certificates-any-region = Все регионы
admin-certificates-apply = Применить фильтры
admin-certificates-clear = Сбросить фильтры
admin-certificates-count = { $count ->
    [one] { $count } сертификат
    [few] { $count } сертификата
    [many] { $count } сертификатов
   *[other] { $count } сертификата
}
admin-certificates-caption = Сертификаты, сначала новые (страница { $page } из { $pages })
admin-certificates-none = Сертификаты ещё не выдавались.
admin-certificates-none-found = Нет сертификатов, подходящих под эти фильтры.
admin-certificates-col-serial = Номер
admin-certificates-col-teacher = Педагог
admin-certificates-col-course = Курс
admin-certificates-col-hours = Часы
admin-certificates-col-issued = Дата выдачи
admin-certificates-col-status = Статус
admin-certificates-col-region = Регион
admin-certificates-col-completed = Дата завершения
admin-certificates-col-mode = Порядок выдачи
admin-certificates-status-valid = Действителен
admin-certificates-status-revoked = Отозван
admin-certificates-hours = { $hours ->
    [one] { $hours } академический час
    [few] { $hours } академических часа
    [many] { $hours } академических часов
   *[other] { $hours } академического часа
}
admin-certificates-course-archived = { $title } (в архиве)
admin-certificates-mode-automatic = Автоматически
admin-certificates-mode-reviewed = После проверки администратором

## Очередь на выдачу
admin-certificates-queue-title = Завершения, ожидающие сертификата
admin-certificates-queue-lead = Педагоги, завершившие курс, но ещё не получившие сертификат: по курсам, сертификаты которых выдаются после проверки, и по курсам, завершённым до того, как сертификаты стали выдаваться автоматически. Сначала самые давние.
admin-certificates-queue-count = { $count ->
    [one] { $count } завершение ожидает сертификата
    [few] { $count } завершения ожидают сертификата
    [many] { $count } завершений ожидают сертификата
   *[other] { $count } завершения ожидают сертификата
}
admin-certificates-queue-caption = Завершения, ожидающие сертификата, сначала самые давние (страница { $page } из { $pages })
admin-certificates-queue-none = Нет завершений, ожидающих сертификата.
admin-certificates-queue-none-found = Нет завершений, ожидающих сертификата, которые подходят под эти фильтры.
admin-certificates-queue-hint = Отметьте педагогов, чьё завершение курса вы проверили. Каждый получит свой сертификат по электронной почте.
admin-certificates-queue-submit = Выдать отмеченным
admin-certificates-queue-issued = { $count ->
    [one] Выдан { $count } сертификат.
    [few] Выдано { $count } сертификата.
    [many] Выдано { $count } сертификатов.
   *[other] Выдано { $count } сертификата.
}
admin-certificates-queue-already = Уже имели сертификат: { $count }.
admin-certificates-error-nothing-selected = Отметьте хотя бы одного педагога, которому нужно выдать сертификат.
admin-certificates-error-selection-invalid = Не удалось прочитать выбор. Отметьте педагогов ещё раз.
admin-certificates-error-selection-refused = Ничего не выдано: некоторых отмеченных завершений ({ $count }) уже нет в очереди. Проверьте список и отметьте педагогов снова.

## Выдача за обучение вне платформы
admin-certificates-new-title = Выдать сертификат за обучение вне платформы
admin-certificates-new-lead = Для педагога, который прошёл курс очно или в другой системе. Завершение курса записывается на платформе, сертификат выдаётся сразу, и педагог получает его по электронной почте. И то и другое попадает в журнал действий вместе с указанным вами основанием.
admin-certificates-field-email = Адрес электронной почты педагога
admin-certificates-hint-email = Адрес учётной записи педагога на платформе.
admin-certificates-field-course = Курс
admin-certificates-field-date = Дата завершения
admin-certificates-hint-date = День, когда педагог завершил курс: не позже сегодняшнего и не раньше 2000 года.
admin-certificates-field-issue-reason = Основание
admin-certificates-hint-issue-reason = Где и как пройден курс, например приказ или список участников, в котором это записано. Не более 500 символов.
admin-certificates-new-submit = Выдать сертификат
admin-certificates-error-email-missing = Введите адрес электронной почты педагога.
admin-certificates-error-email-invalid = Введите адрес электронной почты в правильном формате, например name@example.kz.
admin-certificates-error-email-unknown = Учётной записи с таким адресом нет. Сначала педагог должен зарегистрироваться или быть загружен из файла.
admin-certificates-error-email-not-teacher = Это учётная запись не педагога. Сертификаты выдаются только педагогам.
admin-certificates-error-course = Выберите курс.
admin-certificates-error-date-missing = Введите дату завершения.
admin-certificates-error-date-invalid = Введите настоящую дату завершения: день, месяц и год.
admin-certificates-error-date-future = Дата завершения не может быть в будущем.
admin-certificates-error-date-too-early = Дата завершения должна быть не раньше 2000 года.
admin-certificates-error-reason-missing = Укажите основание.
admin-certificates-error-reason-too-long = Основание должно быть не длиннее 500 символов.
admin-certificates-error-already-certified = У педагога { $name } уже есть сертификат { $serial } по этому курсу.

## Сертификат
admin-certificates-detail-caption = Сертификат
admin-certificates-code = Код проверки
admin-certificates-issued-on = Дата выдачи
admin-certificates-issued-by = Кем выдан
admin-certificates-issued-automatically = Автоматически, по завершении курса
admin-certificates-person = { $name } ({ $email })
admin-certificates-issue-reason = Основание выдачи
admin-certificates-no-reason = Не указано
admin-certificates-revoked-on = Дата отзыва
admin-certificates-revoked-by = Кем отозван
admin-certificates-revocation-reason = Причина отзыва
admin-certificates-links-heading = Документы
admin-certificates-link-pdf = Сертификат (PDF)
admin-certificates-link-credential = Цифровое удостоверение (Open Badges 3.0)
admin-certificates-link-verify = Публичная страница проверки
admin-certificates-revoke-heading = Отозвать сертификат
admin-certificates-field-revocation-reason = Причина отзыва
admin-certificates-hint-revocation-reason = Педагог получит эту причину по электронной почте, а страница проверки покажет сертификат как отозванный. Не более 500 символов.
admin-certificates-revoke-submit = Отозвать сертификат
admin-certificates-reinstate-heading = Восстановить сертификат
admin-certificates-reinstate-hint = Сертификат снова станет действительным, педагог получит уведомление по электронной почте.
admin-certificates-reinstate-submit = Восстановить сертификат
admin-certificates-done-issued = Сертификат выдан и отправлен педагогу по электронной почте.
admin-certificates-done-revoked = Сертификат отозван. Педагог получил уведомление по электронной почте.
admin-certificates-done-reinstated = Сертификат восстановлен и снова действителен. Педагог получил уведомление по электронной почте.
admin-certificates-done-already-revoked = Этот сертификат уже был отозван: ничего не изменилось.
admin-certificates-done-not-revoked = Этот сертификат не был отозван: ничего не изменилось.

## Журнал действий
audit-action-certificate-issued = Выдан сертификат
audit-action-certificate-revoked = Сертификат отозван
audit-action-certificate-reinstated = Сертификат восстановлен
audit-action-enrolment-completed-outside = Записано завершение курса вне платформы

## A completion under review (src/certificates/admin/completion.rs)
admin-completion-title = Завершение курса на проверке
admin-completion-back = Назад к очереди
admin-completion-col-evidence = Подтверждения
admin-completion-review-link = Посмотреть подтверждения
admin-completion-summary-quizzes = { $count ->
    [0] Попыток тестов нет
    [one] { $count } попытка теста, лучший результат { $best }%
    [few] { $count } попытки теста, лучший результат { $best }%
   *[many] { $count } попыток теста, лучший результат { $best }%
}
admin-completion-summary-time = { $time } от записи до завершения
admin-completion-summary-tasks = Практические задания: отправлено { $count }, принято { $passed }
admin-completion-points = { $scored } из { $max } баллов
admin-completion-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}
admin-completion-hours = { $count ->
    [one] { $count } час
    [few] { $count } часа
   *[many] { $count } часов
}
admin-completion-minutes = { $count ->
    [one] { $count } минута
    [few] { $count } минуты
   *[many] { $count } минут
}
admin-completion-under-an-hour = меньше часа
admin-completion-under-a-minute = меньше минуты
admin-completion-bytes = { $count } байт
admin-completion-kilobytes = { $count } КБ
admin-completion-megabytes = { $count } МБ
admin-completion-teacher-heading = Педагог и даты
admin-completion-email = Адрес электронной почты
admin-completion-school = Организация образования
admin-completion-none = Не указано
admin-completion-enrolled = Запись на курс
admin-completion-not-completed = Не завершён
admin-completion-duration = От записи до завершения
admin-completion-standing-certified = По этому завершению выдан сертификат { $serial }.
admin-completion-standing-withdrawn = Педагог отказался от курса: проверять нечего.
admin-completion-standing-active = Педагог проходит курс снова: завершение вернётся в очередь, когда он закончит курс.
admin-completion-open-certificate = Открыть сертификат
admin-completion-attempts-heading = Попытки тестов
admin-completion-no-attempts = Попыток тестов нет.
admin-completion-col-quiz = Тест
admin-completion-col-started = Начата
admin-completion-col-took = Заняло
admin-completion-col-score = Результат
admin-completion-col-result = Итог
admin-completion-passed = Сдан
admin-completion-not-passed = Не сдан
admin-completion-not-submitted = Не отправлена
admin-completion-tasks-heading = Практические задания
admin-completion-no-tasks = Практических заданий не отправлено.
admin-completion-submitted = Отправлено
admin-completion-reviewed = Проверено
admin-completion-feedback = Отзыв
admin-completion-answer = Ответ педагога
admin-completion-scores-caption = Баллы за «{ $task }» по критериям
admin-completion-col-criterion = Критерий
admin-completion-files = Приложенные файлы
admin-completion-returns-heading = Прежние возвраты
admin-completion-no-returns = Это завершение ещё не возвращалось.
admin-completion-return-line = Возвращено { $returned }, { $by } (завершено { $completed }):
admin-completion-issue-heading = Выдать сертификат
admin-completion-issue-hint = Подтверждений достаточно: педагог получит сертификат по электронной почте.
admin-completion-issue-submit = Выдать сертификат
admin-completion-return-heading = Вернуть педагогу
admin-completion-field-reason = Причина
admin-completion-hint-reason = Что педагогу нужно сделать заново и почему. Он получит это письмом и увидит на странице курса. Не более 500 символов.
admin-completion-field-modules = Модули, которые нужно пройти заново
admin-completion-hint-modules = Отмеченные модули станут непройденными. Сначала отмечены тесты и практические задания.
admin-completion-return-submit = Вернуть педагогу
admin-completion-error-module-missing = Отметьте хотя бы один модуль, который педагогу нужно пройти заново.
admin-completion-error-module-unknown = Не удалось прочитать выбор модулей. Отметьте их ещё раз.
admin-completion-done-returned = Завершение возвращено. Педагогу отправлено письмо с причиной.
admin-completion-done-not-waiting = Это завершение больше не ждёт сертификата: ничего не изменилось.
admin-completion-done-certified = Тем временем по этому завершению был выдан сертификат, поэтому оно не возвращено.
audit-action-completion-returned = Завершение возвращено педагогу

## Shown to the teacher (src/learning/pages/course.rs)
course-returned-heading = Ваше завершение курса возвращено
course-returned-text = Администратор вернул ваше завершение курса { $date }. Пройдите модули заново и завершите курс.
email-completion-returned-subject = Ваше завершение курса «{ $course }» возвращено
email-completion-returned-body = Здравствуйте, { $name }!

    Администратор проверил ваше завершение курса «{ $course }» и вернул его вам, не выдав сертификат.

    Причина: { $reason }

    Модули, которые нужно пройти заново: { $modules }

    Когда вы их пройдёте, курс снова поступит на проверку: { $link }

    Ustaz
