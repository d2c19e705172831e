nav-courses = Курсы
nav-learn = Моё обучение

catalogue-title = Курсы
catalogue-lead = Бесплатные курсы повышения квалификации по инклюзивному образованию для педагогов Казахстана.
catalogue-filter-label = Отбор курсов
catalogue-search = Поиск
catalogue-search-hint = Слова из названия или краткого описания
catalogue-category = Для кого
catalogue-language = Язык обучения
catalogue-area = Область компетенций
catalogue-any = Любой
catalogue-apply = Показать курсы
catalogue-clear = Сбросить фильтры
catalogue-count = { $count ->
    [one] { $count } курс
    [few] { $count } курса
   *[other] { $count } курсов
}
catalogue-empty = Подходящих курсов нет. Попробуйте другие слова или сбросьте фильтры.

course-counts-badge = Засчитывается в национальную цель
course-language = Язык
course-hours = Академических часов
course-modules = Модули
course-audience = Для кого
course-area = Область компетенций
course-about = О курсе
course-enrolment-heading = Ваша запись на курс
course-sign-in-to-enrol = Войдите, чтобы записаться
course-confirm-email-first = Чтобы записаться, подтвердите адрес электронной почты: перейдите по ссылке из письма или запросите новое письмо выше.
course-teachers-only = Курсы проходят педагоги. Вы можете прочитать курс, но не записаться на него.
course-enrol = Записаться на курс
course-enrol-again = Записаться снова
course-withdrawn-text = Вы отказались от этого курса. Запишитесь снова, чтобы продолжить: ваш прогресс сохранён.
course-continue = Продолжить
course-review = Просмотреть курс
course-withdraw = Отказаться от курса
course-withdraw-hint = Если вы вернётесь позже, прогресс сохранится.
course-completed = Курс пройден
course-required = Обязательный
course-optional = Необязательный

learn-title = Моё обучение
learn-none = Вы пока не записаны ни на один курс.
learn-browse = Посмотреть курсы
learn-active = В процессе
learn-completed = Пройденные
learn-withdrawn = Прерванные
learn-withdrawn-hint = Запишитесь снова на странице курса, чтобы продолжить с того же места.
learn-progress = Пройдено обязательных модулей: { $done } из { $required }
learn-next = Далее:
learn-done = Пройдено
learn-completed-text = Вы прошли все обязательные модули этого курса.
learn-watch-video = Смотреть видео (откроется другой сайт)
learn-transcript = Расшифровка видео
learn-mark-complete = Отметить как пройденный
learn-lesson-done = Вы прошли этот урок.
learn-pager-label = Модули курса
learn-previous = Назад
learn-next-module = Далее
learn-outline = Модули курса

quiz-question = Вопрос
quiz-choose-all = Выберите все подходящие ответы.
quiz-submit = Отправить ответы
quiz-pass-mark = Проходной балл:
quiz-best-score = Ваш лучший результат:
quiz-your-score = Ваш результат:
quiz-passed = Тест пройден
quiz-failed = На этот раз тест не пройден
quiz-wrong-marked = Вопросы с неверными ответами отмечены ниже.
quiz-retry = Перечитайте уроки и попробуйте ещё раз: лучший результат сохраняется.
quiz-answer-wrong = Этот ответ неверный.
quiz-error-unanswered = Ответьте на вопрос { $number }
quiz-error-unknown-answer = Ответы не соответствуют вопросам этого теста. Обновите страницу и ответьте снова.
task-status-submitted = Ожидает проверки
task-status-passed = Принято
task-status-returned = Возвращено на доработку

# Порядок модулей, попытки и результаты (issue 14)
learn-when = { $date }, { $time } (по времени Астаны)
learn-locked = Пока закрыт
learn-locked-title = Этот модуль пока закрыт
learn-locked-text = Сначала завершите эти модули:
learn-locked-refused = Этот модуль пока закрыт: сначала завершите модули из списка.
learn-open-first = Сначала откройте и прочитайте урок, затем отметьте его как пройденный.
quiz-wait-until = Пройти тест снова можно с { $when }.
quiz-attempts-used = Вы использовали все попытки этого теста ({ $allowed }).
quiz-changed-new-attempt = Тест изменился после того, как была составлена ваша попытка, поэтому для вас составлена новая. Ответьте, пожалуйста, ещё раз.
quiz-result-title = Результат теста
quiz-right-count = Правильных ответов: { $right } из { $total }
quiz-submitted-at = Отправлено:
quiz-answers-heading = Ваши ответы
quiz-answer-right = Ответ верный.
quiz-your-choice = ваш выбор
quiz-right-option = правильный ответ
quiz-explanation = Пояснение:
quiz-details-score-only = Этот тест показывает только ваш результат.
quiz-details-after-pass = Какие ответы были верными, с пояснениями, вы увидите, когда сдадите тест или после последней разрешённой попытки.
quiz-try-again = Пройти тест ещё раз
quiz-back = Вернуться к тесту
quiz-your-attempts = Ваши попытки
quiz-attempt-passed = сдан
quiz-attempt-failed = не сдан
