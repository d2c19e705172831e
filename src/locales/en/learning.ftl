nav-courses = Courses
nav-learn = My learning

catalogue-title = Courses
catalogue-lead = Free professional development courses in inclusive education for teachers in Kazakhstan.
catalogue-filter-label = Filter courses
catalogue-search = Search
catalogue-search-hint = Words from the title or summary
catalogue-category = Who it is for
catalogue-language = Language of instruction
catalogue-area = Competency area
catalogue-any = Any
catalogue-apply = Show courses
catalogue-clear = Clear filters
catalogue-count = { $count ->
    [one] { $count } course
   *[other] { $count } courses
}
catalogue-empty = No courses match. Try other words or clear the filters.

course-counts-badge = Counts toward the national target
course-language = Language
course-hours = Academic hours
course-modules = Modules
course-audience = For
course-area = Competency area
course-about = About this course
course-enrolment-heading = Your enrolment
course-sign-in-to-enrol = Sign in to enrol
course-confirm-email-first = Confirm your email address to enrol: follow the link in the email we sent you, or ask for a new one above.
course-teachers-only = Courses are taken by teachers. You can read this course, but not enrol.
course-enrol = Enrol on this course
course-enrol-again = Enrol again
course-withdrawn-text = You withdrew from this course. Enrol again to continue: your progress has been kept.
course-continue = Continue
course-review = Review the course
course-withdraw = Withdraw from this course
course-withdraw-hint = Your progress is kept if you come back later.
course-completed = Course completed
course-required = Required
course-optional = Optional

learn-title = My learning
learn-none = You are not enrolled on any course yet.
learn-browse = Browse courses
learn-active = In progress
learn-completed = Completed
learn-withdrawn = Withdrawn
learn-withdrawn-hint = Enrol again from the course page to continue where you stopped.
learn-progress = { $done } of { $required } required modules done
learn-next = Next:
learn-done = Done
learn-completed-text = You have completed every required module of this course.
learn-watch-video = Watch the video (opens another site)
learn-transcript = Video transcript
learn-mark-complete = Mark as complete
learn-lesson-done = You have completed this lesson.
learn-pager-label = Modules of this course
learn-previous = Previous
learn-next-module = Next
learn-outline = Course modules

quiz-question = Question
quiz-choose-all = Select all that apply.
quiz-submit = Submit answers
quiz-pass-mark = Pass mark:
quiz-best-score = Your best score:
quiz-your-score = Your score:
quiz-passed = You passed the quiz
quiz-failed = You did not pass this time
quiz-wrong-marked = The questions you answered wrongly are marked below.
quiz-retry = Read the lessons again and try once more: your best score is kept.
quiz-answer-wrong = This answer is not right.
quiz-error-unanswered = Answer question { $number }
quiz-error-unknown-answer = Your answers did not match this quiz's questions. Reload the page and answer again.
task-status-submitted = Waiting for review
task-status-passed = Passed
task-status-returned = Returned for changes
