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
use crate::team_store::{Holder, ReportQuery};
use crate::{ApiError, ServerState};
use repro_manifest::markup::escape_html as escape;

const COOKIE: &str = "repro_session";
/// The sign-in form's check value, kept in this cookie until the form comes
/// back: a form another site posts carries neither (the cookie is
/// `SameSite=Strict`), so it cannot sign a browser in with its own token.
const SIGN_IN_COOKIE: &str = "repro_sign_in";
const CSP: &str = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

type Fields = HashMap<String, String>;

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{} · Repro</title></head><body>{body}</body></html>",
        escape(title)
    );
    crate::viewer_page::html_with_policy(status, html, CSP)
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
    let note = if message.is_empty() {
        String::new()
    } else {
        format!("<p role=\"alert\">{}</p>", escape(message))
    };
    let Ok(check) = crate::store::random_id() else {
        return ApiError::Internal("no randomness for the sign-in form".into()).into_response();
    };
    let mut response = page(
        status,
        "Sign in",
        &format!(
            "<h1>Repro: sign in</h1>{note}<form method=\"post\" action=\"/sign-in\">\
             <input type=\"hidden\" name=\"next\" value=\"{}\">\
             <input type=\"hidden\" name=\"check\" value=\"{check}\">\
             <p><label for=\"token\">Upload token</label><br><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" size=\"40\" required></p>\
             <p><button type=\"submit\">Sign in</button></p></form>",
            escape(next)
        ),
    );
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
async fn holder(state: &ServerState, headers: &HeaderMap) -> Result<Option<Holder>, ApiError> {
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
        Ok(Some(_)) => Err(page(StatusCode::FORBIDDEN, "Refused", "<p role=\"alert\">This form is stale or came from another site. Go back, reload and try again.</p>")),
        Ok(None) => Err(sign_in_page(StatusCode::UNAUTHORIZED, "/reports", "Your sign-in ended; sign in again.")),
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

fn header_bar(holder: &Holder) -> String {
    format!(
        "<p>Signed in as <strong>{}</strong>{}. <a href=\"/reports\">Reports</a>{} \
         <form method=\"post\" action=\"/sign-out\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button type=\"submit\">Sign out</button></form></p>",
        escape(&holder.label),
        if holder.admin { " (admin)" } else { "" },
        if holder.admin { " · <a href=\"/admin\">Tokens</a>" } else { "" },
        escape(&holder.csrf)
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
    };
    let store = state.store.clone();
    let search = query.clone();
    let rows = match blocking(move || store.find_reports(&search, 500)).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(e)) => return ApiError::from(e).into_response(),
        Err(e) => return e.into_response(),
    };
    let mut table = String::new();
    for row in &rows {
        let state_words = if row.revoked {
            "revoked".to_string()
        } else {
            match row.expires_at {
                Some(at) if at <= crate::store::now_ms() => format!("expired {}", utc_minute(at)),
                Some(at) => format!("expires {}", utc_minute(at)),
                None => String::new(),
            }
        };
        let mut delete = String::new();
        if holder.admin || holder.token_id == row.token_id {
            let actions: &[(&str, &str)] = if row.revoked {
                &[("delete", "Delete")]
            } else {
                &[("revoke", "Revoke link"), ("delete", "Delete")]
            };
            for (action, label) in actions {
                delete.push_str(&format!(
                    "<form method=\"post\" action=\"/reports/{}/{action}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button type=\"submit\">{label}</button></form>",
                    escape(&row.id),
                    escape(&holder.csrf)
                ));
            }
        }
        table.push_str(&format!(
            "<tr><td><a href=\"/r/{id}\">{title}</a></td><td>{url}</td><td>{tester}</td><td>{when}</td><td>{size}</td><td>{state_words}</td><td>{delete}</td></tr>",
            id = escape(&row.id),
            title = escape(if row.title.is_empty() { "(untitled)" } else { &row.title }),
            url = escape(&row.url),
            tester = escape(&row.tester),
            when = utc_minute(row.created_at),
            size = human_size(row.bytes),
        ));
    }
    let alerts: String = problems
        .iter()
        .map(|p| format!("<p role=\"alert\">{}</p>", escape(p)))
        .collect();
    let body = format!(
        "<h1>Repro reports</h1>{bar}{alerts}\
         <form method=\"get\" action=\"/reports\"><p>\
         <label for=\"q\">Title or URL</label> <input id=\"q\" name=\"q\" value=\"{q}\"> \
         <label for=\"tester\">Tester</label> <input id=\"tester\" name=\"tester\" value=\"{tester}\"> \
         <label for=\"from\">From</label> <input id=\"from\" name=\"from\" type=\"date\" value=\"{from}\"> \
         <label for=\"to\">To</label> <input id=\"to\" name=\"to\" type=\"date\" value=\"{to}\"> \
         <button type=\"submit\">Search</button></p></form>\
         <p id=\"count\">{count} report{plural}{more}</p>\
         <table id=\"reports\"><thead><tr><th>Title</th><th>Page</th><th>Tester</th><th>Uploaded (UTC)</th><th>Size</th><th>Link</th><th></th></tr></thead><tbody>{table}</tbody></table>",
        bar = header_bar(&holder),
        q = escape(&query.text),
        tester = escape(&query.tester),
        from = escape(&field("from")),
        to = escape(&field("to")),
        count = rows.len(),
        plural = if rows.len() == 1 { "" } else { "s" },
        more = if rows.len() == 500 { " (the newest 500; narrow the search)" } else { "" },
    );
    page(StatusCode::OK, "Reports", &body)
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
    let revoke = match action.as_str() {
        "delete" => false,
        "revoke" => true,
        _ => return ApiError::NotFound.into_response(),
    };
    if !repro_manifest::is_valid_bundle_id(&id) {
        return ApiError::NotFound.into_response();
    }
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
        Ok(Ok(false)) => page(StatusCode::FORBIDDEN, "Refused", "<p role=\"alert\">Only the tester who uploaded a report, or an admin, may revoke or delete it.</p>"),
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

fn token_table(
    state: &ServerState,
    holder: &Holder,
    created: Option<&str>,
) -> Result<String, ApiError> {
    let tokens = state.store.list_tokens()?;
    let mut rows = String::new();
    for token in tokens {
        let action = if token.revoked {
            String::new()
        } else {
            format!(
                "<form method=\"post\" action=\"/admin/tokens/{}/revoke\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button type=\"submit\">Revoke</button></form>",
                token.id,
                escape(&holder.csrf)
            )
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
            token.id,
            escape(&token.label),
            if token.admin { "admin" } else { "upload" },
            if token.revoked { "revoked" } else { "active" },
            token.reports,
            utc_minute(token.created_at),
        ));
    }
    let shown = created
        .map(|token| {
            format!(
                "<p role=\"status\">New token, shown only this once; paste it into the extension's Options: <code id=\"new-token\">{}</code></p>",
                escape(token)
            )
        })
        .unwrap_or_default();
    Ok(format!(
        "<h1>Repro upload tokens</h1>{bar}{shown}\
         <form method=\"post\" action=\"/admin/tokens\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><p>\
         <label for=\"label\">Label (the tester's name)</label> <input id=\"label\" name=\"label\" required> \
         <label><input type=\"checkbox\" name=\"admin\" value=\"on\"> Admin</label> \
         <button type=\"submit\">Create token</button></p></form>\
         <table id=\"tokens\"><thead><tr><th>Number</th><th>Label</th><th>Kind</th><th>State</th><th>Reports</th><th>Created (UTC)</th><th></th></tr></thead><tbody>{rows}</tbody></table>",
        bar = header_bar(holder),
        csrf = escape(&holder.csrf),
    ))
}

/// `GET /admin`: the tokens.
pub async fn admin(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    let holder = match admin_holder(&state, &headers).await {
        Ok(holder) => holder,
        Err(refusal) => return refusal,
    };
    let listing = state.clone();
    match blocking(move || token_table(&listing, &holder, None)).await {
        Ok(Ok(body)) => page(StatusCode::OK, "Tokens", &body),
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
        token_table(&listing, &holder, Some(&token))
    })
    .await;
    match outcome {
        Ok(Ok(body)) => page(StatusCode::CREATED, "Tokens", &body),
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
