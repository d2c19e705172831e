## Администрирование: организации образования (src/admin/schools.rs)
admin-schools-title = Организации образования
admin-schools-lead = Школы, детские сады и колледжи каждого региона и сведения о том, созданы ли в них условия для инклюзивного образования.
admin-schools-show = Показать
admin-schools-filters = Выбор региона
admin-schools-add = Добавить организацию
admin-schools-import-link = Загрузить организации из файла CSV
admin-schools-import-users-link = Загрузить педагогов из файла CSV
admin-schools-summary = { $total ->
    [one] { $total } организация образования
    [few] { $total } организации образования
    [many] { $total } организаций образования
   *[other] { $total } организации образования
}, из них с условиями для инклюзивного образования — { $inclusive } ({ $percent }%)
admin-schools-caption = Организации образования: { $region }
admin-schools-none = В этом регионе пока нет ни одной организации.
admin-schools-col-name = Название
admin-schools-col-kind = Тип
admin-schools-col-district = Район
admin-schools-col-inclusive = Условия для инклюзивного образования
admin-schools-col-actions = Действия
admin-schools-yes = Да
admin-schools-no = Нет
admin-schools-edit = Изменить
admin-schools-added = Организация «{ $name }» добавлена.
admin-schools-updated = Изменения в записи «{ $name }» сохранены.
admin-schools-back = К списку организаций
admin-schools-new-title = Добавить организацию образования
admin-schools-edit-title = Изменить организацию образования
admin-schools-field-name = Название
admin-schools-hint-name = Как в официальных документах, например «Школа-лицей № 165».
admin-schools-field-kind = Тип организации
admin-schools-field-district = Район (необязательно)
admin-schools-field-inclusive = Условия для инклюзивного образования
admin-schools-inclusive-label = В организации созданы условия для инклюзивного образования
admin-schools-hint-inclusive = Например: доступное здание, специалисты психолого-педагогического сопровождения, адаптированные программы.
admin-schools-save = Сохранить
admin-schools-cancel = Отмена
admin-schools-kind-school = Школа
admin-schools-kind-kindergarten = Детский сад
admin-schools-kind-special = Специальная школа
admin-schools-kind-college = Колледж
admin-schools-kind-other = Другое
admin-schools-error-region = Выберите регион, в котором находится организация.
admin-schools-error-name-missing = Введите название организации.
admin-schools-error-name-invalid = Название должно быть не длиннее 200 символов.
admin-schools-error-district-invalid = Название района должно быть не длиннее 100 символов.
admin-schools-error-kind = Выберите тип организации.
admin-schools-error-duplicate = В этом регионе уже есть организация с таким названием. Введите другое название или измените существующую запись.
audit-action-school-updated = Организация образования изменена

## Администрирование: загрузка из CSV (src/admin/imports.rs)
admin-import-schools-title = Загрузка организаций образования
admin-import-schools-lead = Добавьте сразу много организаций из файла CSV — например, сохранённого из электронной таблицы. Если в регионе уже есть организация с таким же названием, её данные обновятся, поэтому исправленный файл можно загрузить повторно.
admin-import-users-title = Загрузка педагогов
admin-import-users-lead = Создайте учётные записи сразу для многих педагогов. Каждый новый педагог получит письмо со ссылкой для установки пароля. Педагоги, чей адрес электронной почты уже зарегистрирован, останутся без изменений.
admin-import-rule = Сначала проверяется каждая строка. Если хотя бы в одной есть ошибка, ничего не загружается, а строки с ошибками показываются списком.
admin-import-columns-caption = Столбцы файла
admin-import-columns-note = В первой строке указываются названия столбцов. Порядок столбцов любой; разделитель — запятая, точка с запятой или табуляция.
admin-import-col-column = Столбец
admin-import-col-meaning = Что указать
admin-import-optional = (необязательный)
admin-import-example = Пример
admin-import-region-codes = Коды регионов
admin-import-col-code = Код
admin-import-col-region = Регион
admin-import-field-csv = Вставьте строки
admin-import-hint-csv = Вместе с первой строкой, где названы столбцы. Ячейки можно скопировать из электронной таблицы.
admin-import-field-file = Или выберите файл CSV
admin-import-hint-file = В формате «CSV UTF-8», не более { $max } строк.
admin-import-field-language = Язык учётных записей и приглашений
admin-import-hint-language = Педагоги смогут изменить его в личном кабинете.
admin-import-schools-submit = Загрузить организации
admin-import-users-submit = Загрузить и отправить приглашения
admin-import-errors-caption = Ошибки в файле
admin-import-col-line = Строка
admin-import-col-problem = Ошибка
admin-import-line = Строка { $line }
admin-import-more-problems = Ещё ошибок, не показанных здесь: { $count }.
admin-import-refused = Ничего не загружено: строк с ошибками — { $count }. Исправьте файл и загрузите его снова.
admin-import-schools-done-title = Организации загружены
admin-import-schools-done = Добавлено: { $added }. Обновлено: { $updated }. Без изменений: { $unchanged }.
admin-import-users-done-title = Педагоги загружены
admin-import-users-done = Приглашено: { $invited }. Уже зарегистрированы: { $registered }.
admin-import-registered-caption = Уже зарегистрированы — приглашение не отправлялось
admin-import-col-email = Адрес электронной почты
admin-import-more-registered = И ещё: { $count }.
admin-import-again = Загрузить другой файл
admin-import-error-empty = Вставьте строки файла или выберите файл CSV.
admin-import-error-both = Вставьте строки или выберите файл — что-то одно.
admin-import-error-encoding = Файл не в кодировке UTF-8. В электронной таблице выберите «Сохранить как» и тип «CSV UTF-8», затем выберите файл снова.
admin-import-error-no-header = В первой строке должны быть названия столбцов: { $columns }.
admin-import-error-missing-columns = В первой строке не хватает столбцов: { $columns }.
admin-import-error-unknown-column = Столбца «{ $column }» не существует. Допустимые столбцы: { $columns }.
admin-import-error-repeated-column = Столбец «{ $column }» указан в первой строке дважды.
admin-import-error-no-rows = Под первой строкой в файле нет ни одной строки.
admin-import-error-too-many-rows = За один раз можно загрузить не более { $max } строк. Разделите файл на несколько.
admin-import-error-unreadable = Эту строку не удаётся прочитать. Проверьте кавычки.
admin-import-error-width = Значений в строке: { $found }, а столбцов в первой строке: { $expected }.
admin-import-error-region = Неизвестный код региона { $value }. Укажите код из списка, например KZ-75.
admin-import-error-region-missing = Не указан код региона.
admin-import-error-kind = Неизвестный тип «{ $value }». Укажите school, kindergarten, special, college или other.
admin-import-error-inclusive = В столбце inclusive укажите yes или no, а не «{ $value }».
admin-import-error-school-repeated = Организация «{ $value }» уже есть в строке { $line }.
admin-import-error-name-missing = Не указано ФИО.
admin-import-error-name-invalid = ФИО длиннее 200 символов.
admin-import-error-email-missing = Не указан адрес электронной почты.
admin-import-error-email-invalid = «{ $value }» — не адрес электронной почты.
admin-import-error-email-repeated = Адрес { $value } уже есть в строке { $line }.
admin-import-error-category = Неизвестная категория «{ $value }». Укажите preschool, general, special или other.
admin-import-error-iin = «{ $value }» — неверный ИИН: в нём 12 цифр, он начинается с даты рождения и заканчивается контрольной цифрой.
admin-import-error-iin-repeated = ИИН { $value } уже есть в строке { $line }.
admin-import-error-iin-taken = ИИН { $value } уже принадлежит другой учётной записи.
admin-import-error-school-unknown = Организации «{ $value }» нет в регионе «{ $region }». Сначала добавьте её или оставьте поле школы пустым.
admin-import-error-language = Выберите язык учётных записей и приглашений.
admin-import-schools-column-region-code = Код региона, например KZ-75 для Алматы.
admin-import-schools-column-name = Название организации.
admin-import-schools-column-kind = school (школа), kindergarten (детский сад), special (специальная школа), college (колледж) или other (другое).
admin-import-schools-column-inclusive = yes или no: созданы ли условия для инклюзивного образования.
admin-import-schools-column-district = Район; можно оставить пустым.
admin-import-users-column-full-name = ФИО педагога.
admin-import-users-column-email = Адрес электронной почты педагога: на него придёт приглашение, с ним педагог будет входить.
admin-import-users-column-region-code = Код региона, например KZ-75 для Алматы.
admin-import-users-column-school = Название организации, как оно указано в списке этого региона; можно оставить пустым.
admin-import-users-column-category = preschool (дошкольное), general (общее среднее), special (специальное) или other (другое).
admin-import-users-column-iin = ИИН из 12 цифр; можно оставить пустым.

## Приглашение загруженного педагога
email-invitation-subject = Приглашение на Ustaz
email-invitation-body = Здравствуйте, { $name }!

    Для вас создана учётная запись на Ustaz — платформе курсов повышения квалификации по инклюзивному образованию.

    Чтобы начать, придумайте пароль:

    { $link }

    Ссылка действует один раз в течение 14 дней. После этого входите с адресом { $email } и своим паролем. Если срок ссылки истёк, нажмите «Забыли пароль?» на странице входа.

    Ustaz
