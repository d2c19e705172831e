# Practical tasks: the teacher's submission and the reviewer's pages.
nav-review = Review

task-rubric = How the task is assessed
task-rubric-empty = This task has no assessment criteria yet.
task-criterion = Criterion
task-max-score = Maximum score
task-waiting = Your submission is waiting for review. You will get an email when it has been reviewed.
task-passed = Your task has been accepted.
task-submit-title = Submit your work
task-body-label = Your answer
task-body-hint = Write your answer here, attach files below, or both. Up to 20,000 characters.
task-files-label = Attach files (optional)
task-files-hint = PDF, Word (DOCX), OpenDocument (ODT) or images (PNG, JPEG, WebP, GIF). Up to { $max } files, 10 MB each and 20 MB in all.
task-submit = Submit for review
task-your-submissions = Your submissions
task-no-submissions = You have not submitted this task yet.
task-submitted-on = Submitted on
task-files = Attached files
task-scores = Scores
task-feedback = Reviewer’s feedback
task-size-kb = { $size } KB
task-size-mb = { $size } MB

task-error-empty = Write an answer or attach at least one file
task-error-text-too-long = The answer must be { $max } characters or fewer
task-error-too-many-files = Attach no more than { $max } files
task-error-too-large-in-all = The files must be 20 MB or smaller in all
task-error-file-empty = “{ $name }” is empty
task-error-file-too-large = “{ $name }” is larger than 10 MB
task-error-file-type = “{ $name }” is not a PDF, DOCX, ODT or image file
task-error-score-missing = Enter a score for “{ $criterion }” to pass the task
task-error-score-range = The score for “{ $criterion }” must be a whole number from 0 to { $max }
task-error-feedback-missing = Write feedback to the teacher to return the task
task-error-feedback-too-long = The feedback must be 20,000 characters or fewer

review-title = Practical tasks to review
review-no-courses = You have not been appointed to review any course yet. An administrator appoints tutors to courses.
review-filter-course = Course
review-all-courses = All courses
review-filter = Show
review-empty = No submissions are waiting for review.
review-waiting-caption = Submissions waiting for review, oldest first
review-col-submitted = Submitted
review-col-teacher = Teacher
review-col-course = Course
review-col-task = Task
review-status = Status
review-reviewed-by = reviewed by
review-instructions = The task’s instructions
review-decision = Your decision
review-scores = Scores
review-scores-hint = Score every criterion to pass the task. Scores are optional when you return it.
review-score-range = from
review-feedback-label = Feedback to the teacher
review-feedback-hint = Required when you return the task. The teacher receives it by email.
review-pass = Pass
review-return = Return for changes
review-history = Earlier submissions
task-review-done-passed = The task has been passed and the teacher has been told.
task-review-done-returned = The task has been returned and the teacher has been told.
task-review-already = This submission has already been reviewed by { $name }.

email-task-passed-subject = Your task “{ $task }” has been accepted
email-task-passed-body = Hello { $name },

    Your practical task “{ $task }” in the course “{ $course }” has been accepted.

    Feedback: { $feedback }

    See your scores: { $link }

    Ustaz
email-task-returned-subject = Your task “{ $task }” needs changes
email-task-returned-body = Hello { $name },

    Your practical task “{ $task }” in the course “{ $course }” has been returned for changes.

    Feedback: { $feedback }

    Submit it again here: { $link }

    Ustaz

audit-action-task-submitted = Practical task submitted
audit-action-task-passed = Practical task passed
audit-action-task-returned = Practical task returned
