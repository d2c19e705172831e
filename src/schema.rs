// @generated automatically by Diesel CLI.

diesel::table! {
    audit_events (id) {
        id -> Integer,
        actor_id -> Nullable<Integer>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Nullable<Integer>,
        details -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    certificate_serials (year) {
        year -> Integer,
        last_number -> Integer,
    }
}

diesel::table! {
    certificates (id) {
        id -> Integer,
        enrolment_id -> Integer,
        user_id -> Integer,
        course_id -> Integer,
        serial -> Text,
        serial_year -> Integer,
        serial_number -> Integer,
        verification_code -> Text,
        teacher_name -> Text,
        course_title -> Text,
        hours -> Integer,
        issued_at -> Timestamp,
        issued_by -> Nullable<Integer>,
        issue_reason -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Integer>,
        revocation_reason -> Nullable<Text>,
    }
}

diesel::table! {
    completion_returns (id) {
        id -> Integer,
        enrolment_id -> Integer,
        returned_by -> Integer,
        reason -> Text,
        completed_at -> Timestamp,
        returned_at -> Timestamp,
    }
}

diesel::table! {
    course_audiences (course_id, category) {
        course_id -> Integer,
        category -> Text,
    }
}

diesel::table! {
    course_tutors (course_id, user_id) {
        course_id -> Integer,
        user_id -> Integer,
        appointed_at -> Timestamp,
    }
}

diesel::table! {
    courses (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        summary -> Text,
        description -> Text,
        language -> Text,
        hours -> Integer,
        competency_area -> Text,
        status -> Text,
        counts_toward_target -> Bool,
        certificate_mode -> Text,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        sequential -> Bool,
    }
}

diesel::table! {
    enrolments (id) {
        id -> Integer,
        user_id -> Integer,
        course_id -> Integer,
        status -> Text,
        enrolled_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        last_activity_at -> Timestamp,
    }
}

diesel::table! {
    module_progress (id) {
        id -> Integer,
        enrolment_id -> Integer,
        module_id -> Integer,
        completed_at -> Nullable<Timestamp>,
        best_score -> Nullable<Integer>,
        attempts -> Integer,
        updated_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    modules (id) {
        id -> Integer,
        course_id -> Integer,
        position -> Integer,
        kind -> Text,
        title -> Text,
        slug -> Text,
        body_markdown -> Text,
        video_url -> Nullable<Text>,
        transcript -> Nullable<Text>,
        pass_mark -> Nullable<Integer>,
        required -> Bool,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        draw_count -> Nullable<Integer>,
        attempts_allowed -> Nullable<Integer>,
        attempt_period_hours -> Nullable<Integer>,
        retry_wait_minutes -> Integer,
        feedback -> Text,
    }
}

diesel::table! {
    outbox_emails (id) {
        id -> Integer,
        recipient -> Text,
        recipient_name -> Text,
        language -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        created_at -> Timestamp,
        send_after -> Timestamp,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    quiz_attempt_questions (attempt_id, position) {
        attempt_id -> Integer,
        position -> Integer,
        question_id -> Integer,
        option_order -> Text,
        chosen -> Nullable<Text>,
        correct -> Nullable<Bool>,
    }
}

diesel::table! {
    quiz_attempts (id) {
        id -> Integer,
        enrolment_id -> Integer,
        module_id -> Integer,
        drawn_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        score -> Nullable<Integer>,
        passed -> Nullable<Bool>,
    }
}

diesel::table! {
    quiz_options (id) {
        id -> Integer,
        question_id -> Integer,
        position -> Integer,
        label -> Text,
        is_correct -> Bool,
    }
}

diesel::table! {
    quiz_questions (id) {
        id -> Integer,
        module_id -> Integer,
        position -> Integer,
        prompt -> Text,
        multiple -> Bool,
        version -> Integer,
        explanation -> Text,
    }
}

diesel::table! {
    rate_limits (limit_key) {
        limit_key -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    regions (id) {
        id -> Integer,
        code -> Text,
        kind -> Text,
        name_kk -> Text,
        name_ru -> Text,
        name_en -> Text,
        population_thousands -> Integer,
    }
}

diesel::table! {
    schools (id) {
        id -> Integer,
        region_id -> Integer,
        name -> Text,
        kind -> Text,
        district -> Nullable<Text>,
        inclusive_conditions -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    stats_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    targets (id) {
        id -> Integer,
        name -> Text,
        teachers -> Integer,
        starts_on -> Date,
        deadline -> Date,
        region_id -> Nullable<Integer>,
        created_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    task_criteria (id) {
        id -> Integer,
        module_id -> Integer,
        position -> Integer,
        title -> Text,
        description -> Text,
        max_score -> Integer,
        version -> Integer,
    }
}

diesel::table! {
    task_files (id) {
        id -> Integer,
        submission_id -> Integer,
        position -> Integer,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> Integer,
        sha256 -> Text,
        content -> Binary,
    }
}

diesel::table! {
    task_scores (submission_id, criterion_id) {
        submission_id -> Integer,
        criterion_id -> Integer,
        score -> Integer,
    }
}

diesel::table! {
    task_submissions (id) {
        id -> Integer,
        enrolment_id -> Integer,
        module_id -> Integer,
        body -> Text,
        status -> Text,
        submitted_at -> Timestamp,
        reviewed_at -> Nullable<Timestamp>,
        reviewer_id -> Nullable<Integer>,
        feedback -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    two_step_factors (user_id) {
        user_id -> Integer,
        secret -> Text,
        last_step -> BigInt,
        attempts -> Integer,
        attempts_since -> Nullable<Timestamp>,
        enabled_at -> Timestamp,
    }
}

diesel::table! {
    two_step_recovery_codes (id) {
        id -> Integer,
        user_id -> Integer,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        full_name -> Text,
        role -> Text,
        region_id -> Nullable<Integer>,
        school_id -> Nullable<Integer>,
        category -> Nullable<Text>,
        language -> Text,
        iin -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        session_version -> Integer,
        email_verified_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        last_reminded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        pending_iin -> Nullable<Text>,
    }
}

diesel::joinable!(audit_events -> users (actor_id));
diesel::joinable!(certificates -> courses (course_id));
diesel::joinable!(certificates -> enrolments (enrolment_id));
diesel::joinable!(completion_returns -> enrolments (enrolment_id));
diesel::joinable!(completion_returns -> users (returned_by));
diesel::joinable!(course_audiences -> courses (course_id));
diesel::joinable!(course_tutors -> courses (course_id));
diesel::joinable!(course_tutors -> users (user_id));
diesel::joinable!(enrolments -> courses (course_id));
diesel::joinable!(enrolments -> users (user_id));
diesel::joinable!(module_progress -> enrolments (enrolment_id));
diesel::joinable!(module_progress -> modules (module_id));
diesel::joinable!(modules -> courses (course_id));
diesel::joinable!(quiz_attempt_questions -> quiz_attempts (attempt_id));
diesel::joinable!(quiz_attempt_questions -> quiz_questions (question_id));
diesel::joinable!(quiz_attempts -> enrolments (enrolment_id));
diesel::joinable!(quiz_attempts -> modules (module_id));
diesel::joinable!(quiz_options -> quiz_questions (question_id));
diesel::joinable!(quiz_questions -> modules (module_id));
diesel::joinable!(schools -> regions (region_id));
diesel::joinable!(targets -> regions (region_id));
diesel::joinable!(task_criteria -> modules (module_id));
diesel::joinable!(task_files -> task_submissions (submission_id));
diesel::joinable!(task_scores -> task_criteria (criterion_id));
diesel::joinable!(task_scores -> task_submissions (submission_id));
diesel::joinable!(task_submissions -> enrolments (enrolment_id));
diesel::joinable!(task_submissions -> modules (module_id));
diesel::joinable!(task_submissions -> users (reviewer_id));
diesel::joinable!(two_step_factors -> users (user_id));
diesel::joinable!(two_step_recovery_codes -> users (user_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(users -> regions (region_id));
diesel::joinable!(users -> schools (school_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_events,
    certificate_serials,
    certificates,
    completion_returns,
    course_audiences,
    course_tutors,
    courses,
    enrolments,
    module_progress,
    modules,
    outbox_emails,
    quiz_attempt_questions,
    quiz_attempts,
    quiz_options,
    quiz_questions,
    rate_limits,
    regions,
    schools,
    stats_version,
    targets,
    task_criteria,
    task_files,
    task_scores,
    task_submissions,
    two_step_factors,
    two_step_recovery_codes,
    user_tokens,
    users,
);
