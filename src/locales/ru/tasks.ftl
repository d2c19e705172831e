# Практические задания: работа учителя и страницы проверяющего.
nav-review = Проверка

task-rubric = Как оценивается задание
task-rubric-empty = У этого задания пока нет критериев оценивания.
task-criterion = Критерий
task-max-score = Максимальный балл
task-waiting = Ваша работа ожидает проверки. Когда её проверят, вы получите письмо.
task-passed = Ваше задание принято.
task-submit-title = Отправить работу
task-body-label = Ваш ответ
task-body-hint = Напишите ответ здесь, прикрепите файлы ниже или сделайте и то и другое. До 20 000 символов.
task-files-label = Прикрепить файлы (необязательно)
task-files-hint = PDF, Word (DOCX), OpenDocument (ODT) или изображения (PNG, JPEG, WebP, GIF). Не более { $max } файлов, до 10 МБ каждый и до 20 МБ всего.
task-submit = Отправить на проверку
task-your-submissions = Ваши работы
task-no-submissions = Вы ещё не отправляли это задание.
task-submitted-on = Отправлено
task-files = Прикреплённые файлы
task-scores = Баллы
task-feedback = Отзыв проверяющего
task-size-kb = { $size } КБ
task-size-mb = { $size } МБ

task-error-empty = Напишите ответ или прикрепите хотя бы один файл
task-error-text-too-long = Ответ должен быть не длиннее { $max } символов
task-error-too-many-files = Прикрепите не более { $max } файлов
task-error-too-large-in-all = Общий размер файлов должен быть не больше 20 МБ
task-error-file-empty = Файл «{ $name }» пустой
task-error-file-too-large = Файл «{ $name }» больше 10 МБ
task-error-file-type = Файл «{ $name }» не является PDF, DOCX, ODT или изображением
task-error-score-missing = Поставьте балл по критерию «{ $criterion }», чтобы принять задание
task-error-score-range = Балл по критерию «{ $criterion }» должен быть целым числом от 0 до { $max }
task-error-feedback-missing = Напишите учителю отзыв, чтобы вернуть задание
task-error-feedback-too-long = Отзыв должен быть не длиннее 20 000 символов

review-title = Практические задания на проверку
review-no-courses = Вас пока не назначили проверять ни один курс. Тьюторов на курсы назначает администратор.
review-filter-course = Курс
review-all-courses = Все курсы
review-filter = Показать
review-empty = Нет работ, ожидающих проверки.
review-waiting-caption = Работы, ожидающие проверки, сначала самые ранние
review-col-submitted = Отправлено
review-col-teacher = Учитель
review-col-course = Курс
review-col-task = Задание
review-status = Статус
review-reviewed-by = проверил(а)
review-instructions = Условие задания
review-decision = Ваше решение
review-scores = Баллы
review-scores-hint = Чтобы принять задание, оцените каждый критерий. При возврате баллы можно не ставить.
review-score-range = от
review-feedback-label = Отзыв для учителя
review-feedback-hint = Обязателен при возврате задания. Учитель получит его по электронной почте.
review-pass = Принять
review-return = Вернуть на доработку
review-history = Предыдущие работы
task-review-done-passed = Задание принято, учитель уведомлён.
task-review-done-returned = Задание возвращено, учитель уведомлён.
task-review-already = Эту работу уже проверил(а) { $name }.

email-task-passed-subject = Ваше задание «{ $task }» принято
email-task-passed-body = Здравствуйте, { $name }!

    Ваше практическое задание «{ $task }» в курсе «{ $course }» принято.

    Отзыв: { $feedback }

    Ваши баллы: { $link }

    Ustaz
email-task-returned-subject = Ваше задание «{ $task }» нужно доработать
email-task-returned-body = Здравствуйте, { $name }!

    Ваше практическое задание «{ $task }» в курсе «{ $course }» возвращено на доработку.

    Отзыв: { $feedback }

    Отправить его снова: { $link }

    Ustaz

audit-action-task-submitted = Практическое задание отправлено
audit-action-task-passed = Практическое задание принято
audit-action-task-returned = Практическое задание возвращено
