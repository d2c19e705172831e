## Администрирование: пользователи
admin-users-title = Пользователи
admin-users-filters = Поиск пользователей
admin-users-search-label = Имя, адрес электронной почты или ИИН
admin-users-search-hint = Достаточно части имени, адреса или ИИН. Регистр букв не важен.
admin-users-col-name = Имя
admin-users-col-email = Электронная почта
admin-users-col-role = Роль
admin-users-col-region = Регион
admin-users-col-category = Категория
admin-users-col-status = Статус
admin-users-any-role = Любая роль
admin-users-any-region = Любой регион
admin-users-any-category = Любая категория
admin-users-any-status = Любой статус
admin-users-apply = Применить фильтры
admin-users-clear = Сбросить фильтры
admin-users-count = { $count ->
    [one] Найден { $count } пользователь
    [few] Найдено { $count } пользователя
    [many] Найдено { $count } пользователей
   *[other] Найдено { $count } пользователя
}
admin-users-caption = Пользователи, страница { $page } из { $pages }
admin-users-none = Никого не найдено. Уберите часть фильтров или сократите запрос.
admin-users-pagination = Страницы
admin-users-previous = Предыдущая страница
admin-users-next = Следующая страница
admin-users-page-n = Страница { $page }
admin-users-status-active = Активен
admin-users-status-disabled = Отключён
admin-users-status-unconfirmed = Почта не подтверждена

## Страница пользователя
admin-users-back = Ко всем пользователям
admin-users-not-set = Не указано
admin-users-school = Школа или детский сад
admin-users-language = Язык интерфейса
admin-users-iin = ИИН
admin-users-registered = Дата регистрации
admin-users-history = История изменений этой учётной записи
admin-users-role-heading = Изменить роль
admin-users-role-legend = Роль
admin-users-role-region-hint = У педагога и регионального координатора должен быть регион. У администратора и тьютора его может не быть.
admin-users-no-region = Без региона
admin-users-role-submit = Изменить роль
admin-users-coordinator-heading = Назначить региональным координатором
admin-users-coordinator-move-heading = Перевести координатора в другой регион
admin-users-coordinator-region = Регион координатора
admin-users-coordinator-hint = Координатор видит панель и педагогов только этого региона.
admin-users-coordinator-submit = Назначить координатором
admin-users-coordinator-move-submit = Перевести в этот регион
admin-users-access-heading = Доступ к учётной записи
admin-users-disabled-since = Учётная запись отключена с
admin-users-enable = Включить учётную запись
admin-users-disable-hint = Пользователь выйдет со всех устройств и не сможет войти, пока учётную запись снова не включат. Его данные не удаляются.
admin-users-disable = Отключить учётную запись
admin-users-sessions-heading = Сеансы
admin-users-sessions-hint = Пользователь выйдет на всех устройствах, например если потерян телефон. Войти снова можно со своим паролем.
admin-users-sessions-hint-self = Вы выйдете на всех устройствах, включая это.
admin-users-sessions-submit = Завершить все сеансы
admin-users-done-role-changed = Роль изменена.
admin-users-done-coordinator-appointed = Регион координатора назначен.
admin-users-done-disabled = Учётная запись отключена, все её сеансы завершены.
admin-users-done-enabled = Учётная запись включена. Пользователь снова может войти.
admin-users-done-sessions-ended = Все сеансы пользователя завершены.
admin-users-done-unchanged = Менять ничего не потребовалось.
admin-users-error-own-role = Нельзя снять роль администратора с самого себя. Обратитесь к другому администратору.
admin-users-error-coordinator-region = Выберите регион, за который будет отвечать координатор.
admin-users-error-teacher-region = Выберите регион педагога.
admin-users-error-disable-self = Нельзя отключить собственную учётную запись. Обратитесь к другому администратору.

## Администрирование: журнал аудита
admin-audit-title = Журнал аудита
admin-audit-filters = Фильтр журнала аудита
admin-audit-about = Изменения учётной записи:
admin-audit-any-action = Любое действие
admin-audit-count = { $count ->
    [one] { $count } событие
    [few] { $count } события
    [many] { $count } событий
   *[other] { $count } события
}
admin-audit-caption = Журнал аудита, сначала новые, страница { $page } из { $pages }
admin-audit-none-found = Подходящих записей пока нет.
admin-audit-col-when = Когда (UTC)
admin-audit-col-who = Кто
admin-audit-col-action = Действие
admin-audit-col-subject = Объект
admin-audit-col-change = Было → стало
admin-audit-when = { $date }, { $time } UTC
admin-audit-system = Система
admin-audit-none = нет
admin-audit-field-role = Роль
admin-audit-field-region = Регион
admin-audit-field-school = Школа
admin-audit-field-status = Статус
admin-audit-field-session-version = Версия сеанса
audit-action-user-role-changed = Изменена роль
audit-action-user-coordinator-appointed = Назначен координатор
audit-action-user-disabled = Учётная запись отключена
audit-action-user-enabled = Учётная запись включена
audit-action-user-sessions-ended = Сеансы завершены

## A tutor's courses (src/accounts/admin/pages.rs)
admin-users-tutoring-heading = Курсы, которые проверяет этот тьютор
admin-users-tutoring-legend = Курсы, которые проверяет этот тьютор
admin-users-tutoring-hint = Тьютор проверяет практические задания отмеченных курсов. Снимите отметку, чтобы отменить назначение.
admin-users-tutoring-submit = Сохранить курсы
admin-users-tutoring-no-courses = Курсов пока нет.
admin-users-done-tutoring-saved = Курсы, которые проверяет этот тьютор, сохранены.
admin-users-error-tutoring-course = Не удалось прочитать выбор курсов. Отметьте их ещё раз.
admin-users-error-not-tutor = Этот пользователь не тьютор, поэтому не может проверять курсы. Сначала назначьте ему роль тьютора.
audit-action-user-tutoring-changed = Изменены курсы тьютора
