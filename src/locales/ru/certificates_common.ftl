## Navigation
nav-certificates = Мои сертификаты
nav-admin-certificates = Сертификаты

## Письма о сертификатах
email-certificate-issued-subject = Ваш сертификат: { $course }
email-certificate-issued-body = Здравствуйте, { $name }!

    Поздравляем с завершением курса «{ $course }». Ваш сертификат { $serial } выдан.

    Скачать (PDF): { $pdf }
    Любой может проверить его здесь, без входа: { $verify }

    Все ваши сертификаты: { $list }

    Ustaz
email-certificate-revoked-subject = Ваш сертификат { $serial } отозван
email-certificate-revoked-body = Здравствуйте, { $name }!

    Администратор отозвал ваш сертификат { $serial } по курсу «{ $course }».

    Причина: { $reason }

    Страница проверки теперь показывает, что он отозван: { $verify }
    Если вы считаете это ошибкой, ответьте на это письмо или обратитесь к региональному координатору.

    Ustaz
email-certificate-reinstated-subject = Ваш сертификат { $serial } снова действителен
email-certificate-reinstated-body = Здравствуйте, { $name }!

    Ваш сертификат { $serial } по курсу «{ $course }» восстановлен и снова действителен.

    Скачать (PDF): { $pdf }
    Страница проверки: { $verify }

    Ustaz

## Audit log fields of certificate events
admin-audit-field-serial = Номер
admin-audit-field-reason = Причина
admin-audit-field-teacher = Педагог
admin-audit-field-course = Курс
admin-audit-field-hours = Часы
admin-audit-field-automatic = Выдан автоматически
admin-audit-field-revoked = Отозван
admin-audit-field-enrolment = Запись на курс
admin-audit-field-enrolment-id = Запись на курс
admin-audit-field-completed-on = Дата завершения
