## Региональная панель (/dashboard/regions/{code})
regional-title = { $region }: продвижение к цели
regional-contents = На этой странице
regional-back = Все регионы
regional-no-target = Национальная цель ещё не задана, поэтому считать пока не к чему.
regional-quota-target = Квота — региональная цель, заданная для этого региона.
regional-inclusive-summary = Школы с условиями для инклюзивного образования: { $inclusive } из { $schools } ({ $percent }).
regional-schools-heading = Школы
regional-no-schools = В этом регионе пока нет зарегистрированных школ.
regional-download-schools = Скачать список школ:
regional-download-teachers = Скачать этот список:
regional-download-csv = CSV
regional-download-xlsx = Excel (XLSX)
regional-schools-caption = Школы, страница { $page } из { $pages }
regional-schools-pages = Страницы списка школ
regional-col-school = Школа
regional-col-district = Район
regional-col-registered = Зарегистрировано педагогов
regional-col-trained = Обучено педагогов
regional-col-inclusive = Условия для инклюзии
regional-yes = Да
regional-no = Нет
regional-teachers-heading = Педагоги
regional-status-definitions = Учитываются только курсы, которые засчитываются в цель. Завершил — есть засчитанный сертификат или завершённый курс. Учится — была активность за последние 30 дней. Остановился — записан на курс, но продвижения нет 30 дней и дольше. Не начал — не записан на курс или отчислился.
regional-status-not-started = Не начал
regional-status-in-progress = Учится
regional-status-stalled = Остановился
regional-status-completed = Завершил
regional-status-any = Все статусы
regional-teachers-filters = Поиск педагогов
regional-search-label = Имя или электронная почта
regional-col-name = ФИО
regional-col-email = Электронная почта
regional-col-category = Категория
regional-col-status = Статус
regional-col-last-activity = Последняя активность
regional-teachers-count = { $count ->
    [one] { $shown } педагог
    [few] { $shown } педагога
    [many] { $shown } педагогов
   *[other] { $shown } педагога
}
regional-teachers-caption = Педагоги, страница { $page } из { $pages }
regional-teachers-pages = Страницы списка педагогов
regional-no-teachers = Подходящих педагогов не найдено.
regional-reminders-heading = Напоминания
regional-reminders-text = Остановившихся педагогов по этому поиску: { $shown }. Каждый получит напоминание по электронной почте на своём языке.
regional-reminders-rule = Одному педагогу — не больше одного напоминания за 7 дней: тех, кому уже напоминали за последние 7 дней, пропустим.
regional-reminders-button = Отправить напоминание остановившимся педагогам
regional-reminders-none = Остановившихся педагогов по этому поиску нет.
regional-reminders-done = Отправлено напоминаний: { $sent } (пропущено: { $skipped } — им уже напоминали за последние 7 дней).
regional-schools-file = { $region } - школы
regional-teachers-file = { $region } - педагоги

## Письмо-напоминание
email-reminder-subject = Ustaz: продолжите обучение с того места, где остановились
email-reminder-body = Здравствуйте, { $name }!

    Вы начали курс по инклюзивному образованию на Ustaz, но давно к нему не возвращались. Ваш прогресс сохранён — продолжите с того места, где остановились.

    Ваши курсы: { $link }

    Ваш региональный координатор
    Ustaz

## Журнал действий
audit-action-reminders-sent = Отправлены напоминания
admin-audit-field-sent = Отправлено
admin-audit-field-skipped = Пропущено
admin-audit-field-search = Поиск
