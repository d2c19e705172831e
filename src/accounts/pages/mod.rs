//! The accounts pages, and the page every spent or unknown link shows.

pub mod account;
pub mod password;
pub mod register;
pub mod session;
pub mod sign_in;
pub mod two_step;

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use super::tokens::{self, Purpose};
use crate::db::{now, DbPool};
use crate::error::AppResult;
use crate::web::{render_with_status, run, Ctx};

#[derive(Template)]
#[template(path = "accounts/link_invalid.html")]
pub struct LinkInvalidPage {
    pub ctx: Ctx,
}

fn link_invalid(ctx: Ctx) -> AppResult<HttpResponse> {
    render_with_status(&LinkInvalidPage { ctx }, StatusCode::GONE)
}

/// Whose a still-valid link is, without using it up.
async fn peek_token(
    pool: &DbPool,
    token: &str,
    purposes: &'static [Purpose],
) -> AppResult<Option<(i32, Purpose)>> {
    let token = token.to_owned();
    run(pool, move |conn| {
        tokens::peek(conn, &token, purposes, now())
    })
    .await
}
