//! The team's pages, plain HTML forms with no script: `/reports` lists every
//! report with search by title or URL, tester and date, revokes links and
//! deletes reports; `/admin`
//! (admin tokens only) creates, lists and revokes upload tokens. A token
//! holder signs in once with the token; the browser then keeps a random
//! session id in an `HttpOnly`, `SameSite=Strict` cookie, and every form
//! carries the session's own check value, so no other site can act for it.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

use crate::blocking::blocking;
use crate::dates::{parse_day, utc_minute};
use crate::team_html::{self, respond, Notice, ReportRow, ReportSearch, Reports, SignIn, Tokens};
use crate::team_store::{Holder, ReportQuery, REPORT_STATUSES};
use crate::{ApiError, ServerState};

const COOKIE: &str = "repro_session";
/// The sign-in form's check value, kept in this cookie until the form comes
/// back: a form another site posts carries neither (the cookie is
/// `SameSite=Strict`), so it cannot sign a browser in with its own token.
const SIGN_IN_COOKIE: &str = "repro_sign_in";
/// The most reports the list shows at once.
/// Reports on one page of the list.
const PAGE_SIZE: u32 = 100;
/// The furthest page the list goes to.
const MAX_PAGE: u32 = 10_000;

type Fields = HashMap<String, String>;

/// A page that only says `message`, titled `title`.
fn notice(status: StatusCode, title: &str, message: &str) -> Response {
    respond(status, &Notice { title, message })
}

/// `1536` → `1.5 KB`.
fn human_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

fn sign_in_page(status: StatusCode, next: &str, message: &str) -> Response {
    let Ok(check) = crate::store::random_id() else {
        return ApiError::Internal("no randomness for the sign-in form".into()).into_response();
    };
    let page = SignIn {
        next,
        check: &check,
        message,
    };
    let mut response = respond(status, &page);
    let cookie =
        format!("{SIGN_IN_COOKIE}={check}; Path=/sign-in; HttpOnly; SameSite=Strict; Max-Age=3600");
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

fn redirect(to: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
}

/// The value of the cookie `name`.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(&prefix).map(str::to_string))
}

/// The signed-in holder, if any.
pub(crate) async fn holder(
    state: &ServerState,
    headers: &HeaderMap,
) -> Result<Option<Holder>, ApiError> {
    let Some(session) = session_cookie(headers) else {
        return Ok(None);
    };
    let store = state.store.clone();
    Ok(blocking(move || store.holder(&session)).await??)
}

/// The holder of a form's session, if its check value is right.
async fn form_holder(
    state: &ServerState,
    headers: &HeaderMap,
    form: &Fields,
) -> Result<Holder, Response> {
    match holder(state, headers).await {
        Ok(Some(holder)) if form.get("csrf") == Some(&holder.csrf) => Ok(holder),
        Ok(Some(_)) => Err(notice(
            StatusCode::FORBIDDEN,
            "Refused",
            "This form is stale or came from another site. Go back, reload and try again.",
        )),
        Ok(None) => Err(sign_in_page(
            StatusCode::UNAUTHORIZED,
            "/reports",
            "Your sign-in ended; sign in again.",
        )),
        Err(e) => Err(e.into_response()),
    }
}

/// `POST /sign-in`: trade a token for a session.
pub async fn sign_in(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    let next = match form.get("next").map(String::as_str) {
        Some("/admin") => "/admin",
        _ => "/reports",
    };
    let check = form.get("check").filter(|c| !c.is_empty());
    if check.is_none() || check != cookie(&headers, SIGN_IN_COOKIE).as_ref() {
        return sign_in_page(
            StatusCode::FORBIDDEN,
            next,
            "This sign-in form is stale or came from another site: sign in here.",
        );
    }
    let token = form.get("token").cloned().unwrap_or_default();
    let store = state.store.clone();
    match blocking(move || store.sign_in(token.trim())).await {
        Ok(Ok(Some(session))) => {
            let secure = state
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"));
            let cookie = format!(
                "{COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{}",
                if secure { "; Secure" } else { "" }
            );
            redirect(next, Some(cookie))
        }
        Ok(Ok(None)) => sign_in_page(
            StatusCode::UNAUTHORIZED,
            next,
            "That token is unknown or revoked.",
        ),
        Ok(Err(e)) => ApiError::from(e).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /sign-out`.
pub async fn sign_out(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    // Without the session's check value (a form from another site) nothing
    // happens: the browser stays signed in.
    if let Err(refusal) = form_holder(&state, &headers, &form).await {
        return refusal;
    }
    if let Some(session) = session_cookie(&headers) {
        let store = state.store.clone();
        let _ = blocking(move || store.sign_out(&session)).await;
    }
    redirect(
        "/reports",
        Some(format!(
            "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        )),
    )
}

/// `GET /reports`: the list, searched.
pub async fn reports(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Query(params): Query<Fields>,
) -> Response {
    let holder = match holder(&state, &headers).await {
        Ok(Some(holder)) => holder,
        Ok(None) => return sign_in_page(StatusCode::OK, "/reports", ""),
        Err(e) => return e.into_response(),
    };
    let field = |name: &str| {
        params
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut day = |name: &str, label: &str| match field(name).as_str() {
        "" => None,
        text => parse_day(text).or_else(|| {
            problems.push(format!("{label} `{text}` is not a date like 2026-01-31"));
            None
        }),
    };
    let query = ReportQuery {
        text: field("q"),
        tester: field("tester"),
        from: day("from", "From"),
        until: day("to", "To").map(|start| start + 86_400_000),
        status: Some(field("status"))
            .filter(|s| REPORT_STATUSES.iter().any(|(value, _)| value == s))
            .unwrap_or_default(),
    };
    let store = state.store.clone();
    let search = query.clone();
    let page_number: u32 = field("page").parse().unwrap_or(1).clamp(1, MAX_PAGE);
    let offset = (page_number - 1) * PAGE_SIZE;
    // One more than a page: whether there are older ones.
    let found = match blocking(move || store.find_reports(&search, PAGE_SIZE + 1, offset)).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(e)) => return ApiError::from(e).into_response(),
        Err(e) => return e.into_response(),
    };
    let now = crate::store::now_ms();
    let older = found.len() > PAGE_SIZE as usize;
    let rows: Vec<ReportRow> = found
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|row| ReportRow {
            thumbnail: row.thumbnail && !row.revoked && row.expires_at.is_none_or(|at| at > now),
            link_state: if row.revoked {
                "revoked".to_string()
            } else {
                match row.expires_at {
                    Some(at) if at <= now => format!("expired {}", utc_minute(at)),
                    Some(at) => format!("expires {}", utc_minute(at)),
                    None => String::new(),
                }
            },
            actions: match (holder.admin || holder.token_id == row.token_id, row.revoked) {
                (false, _) => &[],
                (true, true) => &[("delete", "Delete")],
                (true, false) => &[("revoke", "Revoke link"), ("delete", "Delete")],
            },
            title: if row.title.is_empty() {
                "(untitled)".to_string()
            } else {
                row.title
            },
            uploaded: utc_minute(row.created_at),
            size: human_size(row.bytes),
            id: row.id,
            url: row.url,
            tester: row.tester,
            status: row.status,
        })
        .collect();
    let page = Reports {
        holder: &holder,
        problems,
        page: page_number,
        newer: (page_number > 1).then(|| page_link(&params, page_number - 1)),
        older: older.then(|| page_link(&params, page_number + 1)),
        rows,
        search: ReportSearch {
            text: query.text,
            tester: query.tester,
            from: field("from"),
            to: field("to"),
            status: query.status,
        },
        statuses: &REPORT_STATUSES,
    };
    respond(StatusCode::OK, &page)
}

/// `POST /reports/{id}/delete` or `/reports/{id}/revoke`: by the token that
/// uploaded the report, or an admin. A revoked link answers 410; a deleted
/// report is gone with its bundle.
pub async fn report_action(
    State(state): State<ServerState>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    let holder = match form_holder(&state, &headers, &form).await {
        Ok(holder) => holder,
        Err(refusal) => return refusal,
    };
    if !repro_manifest::is_valid_bundle_id(&id) {
        return ApiError::NotFound.into_response();
    }
    let revoke = match action.as_str() {
        "delete" => false,
        "revoke" => true,
        // Any holder may say where the team is with a report.
        "status" => return set_status(&state, id, &form).await,
        _ => return ApiError::NotFound.into_response(),
    };
    let store = state.store.clone();
    let outcome = blocking(move || {
        let owner = store.report_owner(&id)?;
        if owner != holder.token_id && !holder.admin {
            return Ok(false);
        }
        if revoke {
            store.revoke_report(&id)
        } else {
            store.delete_report(&id)
        }
        .map(|_| true)
    })
    .await;
    match outcome {
        Ok(Ok(true)) => redirect("/reports", None),
        Ok(Ok(false)) => notice(
            StatusCode::FORBIDDEN,
            "Refused",
            "Only the tester who uploaded a report, or an admin, may revoke or delete it.",
        ),
        Ok(Err(e)) => ApiError::from(e).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `/reports?…&page=N`: the list's address with the same search on page `n`.
fn page_link(params: &Fields, n: u32) -> String {
    let mut query: Vec<String> = ["q", "tester", "from", "to", "status"]
        .iter()
        .filter_map(|name| {
            let value = params.get(*name)?.trim();
            (!value.is_empty()).then(|| format!("{name}={}", query_value(value)))
        })
        .collect();
    query.push(format!("page={n}"));
    format!("/reports?{}", query.join("&"))
}

/// `text` percent-encoded for a query value.
fn query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `POST /reports/{id}/status` (`status` one of the statuses): set it.
async fn set_status(state: &ServerState, id: String, form: &Fields) -> Response {
    let status = form
        .get("status")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if !REPORT_STATUSES.iter().any(|(value, _)| *value == status) {
        return ApiError::BadBundle {
            message: format!(
                "status must be one of {}",
                REPORT_STATUSES.map(|(value, _)| value).join(", ")
            ),
            path: Some("status".into()),
        }
        .into_response();
    }
    let store = state.store.clone();
    match blocking(move || store.set_report_status(&id, &status)).await {
        Ok(Ok(())) => redirect("/reports", None),
        Ok(Err(e)) => ApiError::from(e).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn admin_holder(state: &ServerState, headers: &HeaderMap) -> Result<Holder, Response> {
    match holder(state, headers).await {
        Ok(Some(holder)) if holder.admin => Ok(holder),
        Ok(Some(_)) => Err(sign_in_page(
            StatusCode::FORBIDDEN,
            "/admin",
            "Managing tokens needs an admin token (repro-server token create --admin); sign in with one.",
        )),
        Ok(None) => Err(sign_in_page(StatusCode::OK, "/admin", "")),
        Err(e) => Err(e.into_response()),
    }
}

/// The admin holding a form's session, if its check value is right.
async fn form_admin(
    state: &ServerState,
    headers: &HeaderMap,
    form: &Fields,
) -> Result<Holder, Response> {
    let holder = form_holder(state, headers, form).await?;
    if holder.admin {
        return Ok(holder);
    }
    Err(admin_holder(state, headers)
        .await
        .err()
        .unwrap_or_else(|| StatusCode::FORBIDDEN.into_response()))
}

/// The admin page for `holder`, showing `created` once if a token was just made.
fn tokens_page(
    state: &ServerState,
    holder: &Holder,
    created: Option<&str>,
) -> Result<String, ApiError> {
    let tokens = state.store.list_tokens()?;
    let page = Tokens {
        holder,
        created,
        tokens: tokens.into_iter().map(team_html::TokenRow::from).collect(),
    };
    team_html::render(&page)
}

/// `GET /admin`: the tokens.
pub async fn admin(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    let holder = match admin_holder(&state, &headers).await {
        Ok(holder) => holder,
        Err(refusal) => return refusal,
    };
    let listing = state.clone();
    match blocking(move || tokens_page(&listing, &holder, None)).await {
        Ok(Ok(html)) => team_html::respond_rendered(StatusCode::OK, html),
        Ok(Err(e)) | Err(e) => e.into_response(),
    }
}

/// `POST /admin/tokens`: create one and show it once.
pub async fn create_token(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    let holder = match form_admin(&state, &headers, &form).await {
        Ok(holder) => holder,
        Err(refusal) => return refusal,
    };
    let label = form
        .get("label")
        .map(|l| l.trim().to_string())
        .unwrap_or_default();
    if let Err(message) = crate::store::check_token_label(&label) {
        return ApiError::BadBundle {
            message,
            path: Some("label".into()),
        }
        .into_response();
    }
    let admin = form.get("admin").is_some_and(|v| v == "on");
    let listing = state.clone();
    let outcome = blocking(move || {
        let token = listing.store.create_token_with(&label, admin)?;
        tokens_page(&listing, &holder, Some(&token))
    })
    .await;
    match outcome {
        Ok(Ok(html)) => team_html::respond_rendered(StatusCode::CREATED, html),
        Ok(Err(e)) | Err(e) => e.into_response(),
    }
}

/// `POST /admin/tokens/{n}/revoke`.
pub async fn revoke_token(
    State(state): State<ServerState>,
    Path(number): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    let number: i64 = match crate::error::number_in_path(&number, "token number") {
        Ok(number) => number,
        Err(refusal) => return refusal.into_response(),
    };
    if let Err(refusal) = form_admin(&state, &headers, &form).await {
        return refusal;
    }
    let store = state.store.clone();
    match blocking(move || store.revoke_token(number)).await {
        Ok(Ok(())) => redirect("/admin", None),
        Ok(Err(e)) => ApiError::from(e).into_response(),
        Err(e) => e.into_response(),
    }
}
