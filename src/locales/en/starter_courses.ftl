# The starter courses (`ustaz seed-courses`).
audit-action-course-starter-refreshed = Starter course refreshed (quizzes and task)
