//! The team pages' HTML: askama templates (`templates/team/`), checked when
//! the server is compiled, every value escaped unless a template says
//! otherwise (none does). The handlers in `team_pages` fill these.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::store::TokenInfo;
use crate::team_store::Holder;
use crate::ApiError;

/// The team pages' Content-Security-Policy: no script, no outside load,
/// forms post only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// `page` as the answer, with `status` and the team pages' policy.
pub fn respond(status: StatusCode, page: &impl Template) -> Response {
    match render(page) {
        Ok(html) => respond_rendered(status, html),
        Err(e) => e.into_response(),
    }
}

/// A page rendered already (away from the async runtime) as the answer.
pub fn respond_rendered(status: StatusCode, html: String) -> Response {
    crate::viewer_page::html_with_policy(status, html, CSP)
}

/// `page`'s HTML.
pub fn render(page: &impl Template) -> Result<String, ApiError> {
    page.render()
        .map_err(|e| ApiError::Internal(format!("a team page did not render: {e}")))
}

/// A page that only says something (a refusal).
#[derive(Template)]
#[template(path = "team/notice.html")]
pub struct Notice<'a> {
    pub title: &'a str,
    pub message: &'a str,
}

/// The sign-in form.
#[derive(Template)]
#[template(path = "team/sign_in.html")]
pub struct SignIn<'a> {
    /// Where to go once signed in.
    pub next: &'a str,
    /// The form's check value (also in a cookie).
    pub check: &'a str,
    /// Why the form is shown again, if it is.
    pub message: &'a str,
}

/// What the reports page was asked, shown back in its form.
pub struct ReportSearch {
    pub text: String,
    pub tester: String,
    pub from: String,
    pub to: String,
    /// The status asked for (empty: any).
    pub status: String,
}

/// One report as the list shows it.
pub struct ReportRow {
    pub id: String,
    pub title: String,
    pub url: String,
    pub tester: String,
    pub uploaded: String,
    pub size: String,
    /// Revoked, expired or expiring, or nothing.
    pub link_state: String,
    /// The forms the holder may use on it: (path word, button label).
    pub actions: &'static [(&'static str, &'static str)],
    /// Where the team is with it (a stored status value).
    pub status: String,
    /// Its thumbnail can be shown (it has one and its link works).
    pub thumbnail: bool,
}

/// `/reports`: the list, searched.
#[derive(Template)]
#[template(path = "team/reports.html")]
pub struct Reports<'a> {
    pub holder: &'a Holder,
    pub problems: Vec<String>,
    pub search: ReportSearch,
    pub rows: Vec<ReportRow>,
    /// The page shown (from 1; a hundred reports each).
    pub page: u32,
    /// The links to the pages of newer and older reports, when there are.
    pub newer: Option<String>,
    pub older: Option<String>,
    /// The statuses a report may have: (value, words).
    pub statuses: &'a [(&'a str, &'a str)],
}

/// One token as the admin page lists it.
pub struct TokenRow {
    pub id: i64,
    pub label: String,
    pub admin: bool,
    pub revoked: bool,
    pub reports: i64,
    pub created: String,
}

impl From<TokenInfo> for TokenRow {
    fn from(token: TokenInfo) -> Self {
        TokenRow {
            id: token.id,
            label: token.label,
            admin: token.admin,
            revoked: token.revoked,
            reports: token.reports,
            created: crate::dates::utc_minute(token.created_at),
        }
    }
}

/// `/admin`: the tokens, and a new one shown once.
#[derive(Template)]
#[template(path = "team/tokens.html")]
pub struct Tokens<'a> {
    pub holder: &'a Holder,
    pub created: Option<&'a str>,
    pub tokens: Vec<TokenRow>,
}
