# Бастапқы курстар (`ustaz seed-courses`).
audit-action-course-starter-refreshed = Бастапқы курс жаңартылды (тесттер мен тапсырма)
