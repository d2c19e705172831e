## Navigation and shared form words
nav-account-label = Учётная запись
nav-account = Личный кабинет
nav-sign-in = Войти
nav-sign-out = Выйти
nav-admin-courses = Редактор курсов
nav-admin-users = Пользователи
nav-admin-schools = Организации образования
nav-admin-audit = Журнал аудита
nav-register = Зарегистрироваться
error-prefix = Ошибка:
error-summary-title = Есть проблема
error-stale = Кто-то другой сохранил изменения после того, как вы открыли эту страницу, поэтому ваши изменения не сохранены. Теперь в форме то, что сохранили они: внесите свои изменения ещё раз и сохраните.
field-choose = Выберите…
button-continue = Продолжить
button-save = Сохранить изменения
field-email = Адрес электронной почты
field-password = Пароль
field-new-password = Новый пароль
field-current-password = Текущий пароль
field-full-name = Полное имя (ФИО)
field-region = Регион
field-school = Школа или детский сад
field-school-not-listed = Моей организации нет в списке
field-category = Где вы преподаёте?
field-language = Предпочитаемый язык
field-iin = ИИН (необязательно)
field-role = Роль
hint-email = Мы отправим ссылку для подтверждения.
hint-new-password = Не менее 8 символов. Несколько не связанных между собой слов — надёжный и запоминающийся пароль.
hint-school = Школы и детские сады выбранного региона.
hint-iin = Ваш 12-значный индивидуальный идентификационный номер, если хотите, чтобы он был в сертификатах.
role-teacher = Педагог
role-coordinator = Региональный координатор
role-admin = Администратор

## Notices after an action
notice-signed-out = Вы вышли из системы.
notice-registered = Учётная запись создана. Мы отправили вам письмо со ссылкой для подтверждения адреса.
notice-email-confirmed = Адрес электронной почты подтверждён.
notice-link-sent = Мы отправили вам новую ссылку для подтверждения.
notice-password-reset = Пароль изменён. Войдите с новым паролем.
notice-password-changed = Пароль изменён. Все остальные сеансы завершены.
notice-account-saved = Изменения сохранены.

## Sign in
login-title = Вход
login-submit = Войти
login-forgot = Забыли пароль?
login-no-account = Впервые на Ustaz?
error-password-missing = Введите пароль.
error-login-failed = Введите правильные адрес электронной почты и пароль.
error-login-throttled = { $minutes ->
    [one] Слишком много неудачных попыток. Подождите { $minutes } минуту и попробуйте снова или восстановите пароль.
    [few] Слишком много неудачных попыток. Подождите { $minutes } минуты и попробуйте снова или восстановите пароль.
   *[many] Слишком много неудачных попыток. Подождите { $minutes } минут и попробуйте снова или восстановите пароль.
}
error-current-password-wrong = Текущий пароль указан неверно.
error-login-disabled = Эта учётная запись отключена. Обратитесь к администратору.
error-form-unreadable = Не удалось прочитать форму. Вернитесь назад и попробуйте ещё раз.

## Registration
register-step-1 = Шаг 1 из 2
register-step-2 = Шаг 2 из 2
register-region-title = Где вы работаете?
register-region-lead = Выберите регион вашей школы или детского сада. Затем вы выберете саму организацию.
register-have-account = Уже зарегистрированы?
register-title = Создание учётной записи
register-change-region = Изменить регион
register-submit = Создать учётную запись
error-region-missing = Выберите регион.
error-school-missing = Выберите организацию или «Моей организации нет в списке».
error-school-other-region = Выберите организацию в выбранном регионе.
error-language-missing = Выберите предпочитаемый язык.
error-email-taken = Учётная запись с этим адресом уже существует. Войдите или восстановите пароль.
error-iin-taken = Учётная запись с этим ИИН уже существует.
error-register-throttled = { $minutes ->
    [one] Из вашей сети создано слишком много учётных записей. Подождите { $minutes } минуту и попробуйте снова.
    [few] Из вашей сети создано слишком много учётных записей. Подождите { $minutes } минуты и попробуйте снова.
   *[many] Из вашей сети создано слишком много учётных записей. Подождите { $minutes } минут и попробуйте снова.
}
error-coordinator-region = Регион координатора назначает администратор.

## Email confirmation
confirm-banner-label = Подтвердите адрес электронной почты
confirm-banner-text = Подтвердите адрес электронной почты, чтобы записываться на курсы. Мы отправили ссылку на
confirm-banner-resend = Отправить ссылку ещё раз
confirm-title = Подтверждение адреса электронной почты
confirm-lead = Нажмите кнопку, чтобы подтвердить, что этот адрес принадлежит вам.
confirm-submit = Подтвердить адрес
link-invalid-title = Срок действия ссылки истёк, или она уже использована
link-invalid-body = Ссылки из наших писем действуют один раз и ограниченное время. Запросите новую.

## Password reset
forgot-title = Восстановление пароля
forgot-lead = Введите адрес электронной почты вашей учётной записи. Мы отправим ссылку для выбора нового пароля.
forgot-submit = Отправить ссылку
check-email-title = Проверьте почту
check-email-body = Если учётная запись с этим адресом существует, мы отправили ссылку для выбора нового пароля на
check-email-expiry = Ссылка действует один раз в течение 1 часа. Если письма нет, проверьте папку «Спам».
reset-title = Новый пароль
invitation-title = Задайте пароль для своей учётной записи
reset-submit = Сохранить пароль

## Account page
account-title = Личный кабинет
account-details = Ваши данные
account-password = Пароль
account-change-password = Изменить пароль

## Emails
email-confirm-subject = Подтвердите адрес электронной почты для Ustaz
email-confirm-body = Здравствуйте, { $name }!

    Подтвердите адрес электронной почты, чтобы начать обучение на Ustaz:

    { $link }

    Ссылка действует один раз в течение 3 дней. Если вы не регистрировались, просто проигнорируйте это письмо.

    Ustaz
email-reset-subject = Восстановление пароля Ustaz
email-reset-body = Здравствуйте, { $name }!

    Кто-то запросил восстановление пароля вашей учётной записи Ustaz. Чтобы выбрать новый пароль, откройте:

    { $link }

    Ссылка действует один раз в течение 1 часа. Если это были не вы, проигнорируйте письмо: пароль останется прежним.

    Ustaz
email-password-changed-subject = Пароль Ustaz изменён
email-password-changed-body = Здравствуйте, { $name }!

    Пароль вашей учётной записи Ustaz только что изменён, все остальные сеансы завершены.

    Если это сделали не вы, немедленно восстановите пароль и сообщите администратору.

    Ustaz
