//! Hashing and checking passwords, the one place where argon2 runs for a request: sign-in,
//! registration, password change and reset (admin-created and imported accounts set theirs
//! through the reset link).
//!
//! Each argon2id hash takes 19 MiB and tens of milliseconds of a core, so at most one per core
//! runs at once: more would only share the same cores and pile up memory (200 sign-ins at once
//! once held 5 GB). The others wait their turn in arrival order, briefly; past the wait the
//! answer is `AppError::Busy`, a 503 "busy, try again" page.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use tokio::sync::Semaphore;

use crate::domain::Password;
use crate::error::{AppError, AppResult};

/// Checked for unknown accounts, so that both cases take the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5Ttt8LyYjA1b0F7oS3Xr1hCgnYzWJk9yG6cQ8bVvLrE";

pub struct Hashing {
    turns: Arc<Semaphore>,
    wait: Duration,
}

impl Hashing {
    /// At most `at_once` hashes at a time (at least one), each request waiting up to `wait`
    /// (the settings' `password_hashes_at_once`, one per core, and `password_hash_wait`).
    pub fn new(at_once: usize, wait: Duration) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(at_once.max(1))),
            wait,
        }
    }

    /// An argon2id hash of a new password.
    pub async fn hash(&self, password: Password) -> AppResult<String> {
        Ok(self.run(move || password.hash()).await??)
    }

    /// Whether `password` matches the stored hash (false for an account without one).
    pub async fn verify(&self, hash: Option<String>, password: String) -> AppResult<bool> {
        self.run(move || {
            use argon2::{PasswordHash, PasswordVerifier};
            let stored = hash.as_deref().unwrap_or(DUMMY_HASH);
            let Ok(parsed) = PasswordHash::new(stored) else {
                return false;
            };
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
                && hash.is_some()
        })
        .await
    }

    /// Runs `work` on the blocking thread pool when a turn is free, or answers `Busy` when
    /// none is within the wait.
    async fn run<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let turn = tokio::time::timeout(self.wait, Arc::clone(&self.turns).acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        // The work holds the turn, not the request: one given up mid-hash still counts until
        // its hash ends.
        Ok(web::block(move || {
            let _turn = turn;
            work()
        })
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Barrier;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn never_runs_more_than_its_limit_at_once() {
        const LIMIT: usize = 3;
        let hashing = Arc::new(Hashing::new(LIMIT, Duration::from_secs(600)));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        // Each work waits until LIMIT of them run together: the gate lets that many through
        // (else this never ends), and the count shows it lets no more.
        let together = Arc::new(Barrier::new(LIMIT));
        let tasks: Vec<_> = (0..LIMIT * 20)
            .map(|_| {
                let (hashing, running, most, together) = (
                    Arc::clone(&hashing),
                    Arc::clone(&running),
                    Arc::clone(&most),
                    Arc::clone(&together),
                );
                tokio::spawn(async move {
                    hashing
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            together.wait();
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("task").expect("its turn came");
        }
        assert_eq!(most.load(Ordering::SeqCst), LIMIT);
    }

    #[tokio::test]
    async fn past_the_wait_the_answer_is_busy_and_a_freed_turn_serves_the_next() {
        let hashing = Hashing::new(1, Duration::from_millis(20));
        let taken = Arc::clone(&hashing.turns)
            .try_acquire_owned()
            .expect("a free turn");
        assert!(matches!(hashing.run(|| 1).await, Err(AppError::Busy)));
        drop(taken);
        assert_eq!(hashing.run(|| 2).await.expect("a free turn"), 2);
    }

    #[tokio::test]
    async fn a_waiting_request_gets_the_turn_given_back() {
        let hashing = Arc::new(Hashing::new(1, Duration::from_secs(600)));
        let taken = Arc::clone(&hashing.turns)
            .try_acquire_owned()
            .expect("a free turn");
        let waiting = tokio::spawn({
            let hashing = Arc::clone(&hashing);
            async move { hashing.run(|| 3).await }
        });
        tokio::task::yield_now().await;
        drop(taken);
        assert_eq!(waiting.await.expect("task").expect("its turn came"), 3);
    }

    #[tokio::test]
    async fn verifies_what_it_hashed_and_nothing_for_an_unknown_account() {
        let hashing = Hashing::new(2, Duration::from_secs(600));
        let password = Password::parse("correct horse battery").expect("valid");
        let hash = hashing.hash(password).await.expect("hash");
        let verify =
            |hash: Option<String>, password: &str| hashing.verify(hash, password.to_owned());
        assert!(verify(Some(hash.clone()), "correct horse battery")
            .await
            .expect("verify"));
        assert!(!verify(Some(hash), "wrong horse battery")
            .await
            .expect("verify"));
        assert!(!verify(None, "correct horse battery").await.expect("verify"));
    }
}
