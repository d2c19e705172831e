# Стартовые курсы (`ustaz seed-courses`).
audit-action-course-starter-refreshed = Стартовый курс обновлён (тесты и задание)
