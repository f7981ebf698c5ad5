//! A report as a Playwright Test file that does again what the tester did
//! and checks that what went wrong then does not happen now: it fails
//! while the bug is there (naming the request and its status, or the
//! console error) and passes once it is fixed.
//!
//! Each step's element is found the way a person names it (its role and
//! accessible name, as recorded), else by the CSS path read from the page
//! at that moment (`repro_manifest::locators`), through its frames. What
//! the tester typed was masked: such values become named placeholders the
//! developer fills in. The test goes to `baseURL` from the developer's
//! Playwright config when set, else to the recorded site.
//!
//! Every recorded text is written as a JSON string literal (valid
//! JavaScript) or on a comment line folded to one line: a page's text
//! cannot become code.

use std::collections::{BTreeMap, HashMap};

use repro_manifest::locators::{control_of, element_path, role_of};
use repro_manifest::{steps, Action, Bundle, ConsoleLevel, NetworkKind, PageCursor, MASK_CHAR};

/// The most steps written (a longer recording's rest is left out, saying so).
const MAX_STEPS: usize = 200;
/// The most recorded failures checked.
const MAX_FAILURES: usize = 50;

/// `text` as a JavaScript string literal.
fn literal(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// `text` for a `//` comment: one line, cut.
fn comment(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(200) {
        Some((end, _)) => format!("{}…", &folded[..end]),
        None => folded,
    }
}

/// The path, query and fragment of `url` (what a test asks of `baseURL`).
fn path_of(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".into(),
        },
        None => url.to_string(),
    }
}

/// The origin of `url`: `scheme://host:port`.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{host}")
        }
        None => String::new(),
    }
}

/// What went wrong in the recording after the first step: requests (by
/// method and path) that failed, and console errors (by message).
fn recorded_failures(bundle: &Bundle, from: u64) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut add = |kind: &str, key: String| {
        if keys.len() < MAX_FAILURES && !keys.iter().any(|(k, v)| k == kind && *v == key) {
            keys.push((kind.to_string(), key));
        }
    };
    for request in bundle.network.iter().filter(|r| r.t >= from) {
        let failed = request.status.is_some_and(|s| s >= 400) || request.error.is_some();
        if failed && request.kind != NetworkKind::Resource {
            let path = path_of(&request.url);
            let path = path.split(['?', '#']).next().unwrap_or_default();
            add("request", format!("{} {path}", request.method));
        }
    }
    for entry in bundle.console.iter().filter(|e| e.t >= from) {
        if entry.level == ConsoleLevel::Error && entry.before_start_ms.is_none() {
            add("console", entry.args.join(" "));
        }
    }
    keys
}

/// Is `value` as recorded a masked one (stars only)?
fn is_masked(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c == MASK_CHAR)
}

/// The report `bundle`, shared at `link`, as a Playwright Test file.
pub fn playwright_spec(bundle: &Bundle, link: &str) -> String {
    let all_steps = steps(bundle);
    let origin = bundle
        .pages
        .first()
        .map(|p| origin_of(&p.url))
        .unwrap_or_default();
    let first_action = all_steps
        .iter()
        .find(|s| s.element.is_some())
        .map_or(u64::MAX, |s| s.t);
    let failures = recorded_failures(bundle, first_action);
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    let mut cursors: HashMap<u32, PageCursor> = HashMap::new();
    let mut body = String::new();
    let mut started = false;
    for (n, step) in all_steps.iter().take(MAX_STEPS).enumerate() {
        if step.element.is_some() && !started {
            body.push_str("  seen.start();\n");
            started = true;
        }
        body.push_str(&format!(
            "  // {}. {} ({})\n",
            n + 1,
            comment(&step.line()),
            crate::markdown_text::clock(step.t)
        ));
        let target = step.element.map(|id| {
            let cursor = cursors
                .entry(step.page)
                .or_insert_with(|| PageCursor::new(bundle, step.page));
            locator(cursor, step.t, id)
        });
        let target = target.unwrap_or_default();
        match &step.action {
            Action::Open { url } => {
                body.push_str(&format!(
                    "  await page.goto(at({}));\n",
                    literal(&path_of(url))
                ));
            }
            Action::Load { url } => {
                body.push_str(&format!(
                    "  await arrive(page, at({}));\n",
                    literal(&path_of(url))
                ));
            }
            Action::Click { label } => {
                let find = find_call(&target, label.as_deref());
                match step.count {
                    1 => body.push_str(&format!("  await {find}.click();\n")),
                    n => body.push_str(&format!(
                        "  for (let i = 0; i < {n}; i++) await {find}.click();\n"
                    )),
                }
            }
            Action::Check { label, checked } => {
                let verb = if *checked { "check" } else { "uncheck" };
                body.push_str(&format!(
                    "  await {}.{verb}();\n",
                    find_call(&target, label.as_deref())
                ));
            }
            Action::Type { label, value } => {
                let value = if is_masked(value) {
                    let name = label.clone().unwrap_or_else(|| format!("field {}", n + 1));
                    typed.insert(
                        name.clone(),
                        format!(
                            "TODO: the {} characters typed into \u{201c}{name}\u{201d}",
                            value.chars().count()
                        ),
                    );
                    format!("TYPED[{}]", literal(&name))
                } else {
                    literal(value)
                };
                body.push_str(&format!(
                    "  await {}.fill({value});\n",
                    find_call(&target, label.as_deref())
                ));
            }
            Action::Resize { w, h } => body.push_str(&format!(
                "  await page.setViewportSize({{ width: {w}, height: {h} }});\n"
            )),
            Action::Navigate { .. } | Action::Mark { .. } => {}
        }
    }
    if all_steps.len() > MAX_STEPS {
        body.push_str(&format!(
            "  // …and {} more steps, left out: see the replay.\n",
            all_steps.len() - MAX_STEPS
        ));
    }
    let request_keys: Vec<String> = failures
        .iter()
        .filter(|(kind, _)| kind == "request")
        .map(|(_, key)| literal(key))
        .collect();
    let failure_list: Vec<String> = failures
        .iter()
        .map(|(kind, key)| format!("  {{ kind: {}, key: {} }},", literal(kind), literal(key)))
        .collect();
    let typed_list: Vec<String> = typed
        .iter()
        .map(|(name, placeholder)| format!("  {}: {},", literal(name), literal(placeholder)))
        .collect();
    let viewport = bundle.environment.viewport;
    let title = crate::issue_markdown::issue_title(bundle);
    format!(
        r#"// A Playwright test generated by Repro from the report {link}
// ({title}).
// It does again what the tester did, then checks that what went wrong in the
// recording does not happen: it fails while the bug is there and passes once
// it is fixed. It goes to `baseURL` from your Playwright config when set, else
// to the recorded site. Run it with `npx playwright test`.
import {{ test, expect, type Page, type FrameLocator, type Locator }} from '@playwright/test';

const RECORDED_ORIGIN = {origin};

/** What the tester typed was masked by Repro: put the values to type here. */
const TYPED: Record<string, string> = {{
{typed}
}};

/** What went wrong in the recording after the first step. */
const RECORDED_FAILURES: {{ kind: string; key: string }}[] = [
{failure_list}
];

test.use({{ viewport: {{ width: {vw}, height: {vh} }} }});

test({test_name}, async ({{ page, baseURL }}) => {{
  const seen = watch(page);
  const at = (path: string) => new URL(path, baseURL ?? RECORDED_ORIGIN).href;

{body}
  await seen.settled([{request_keys}]);
  expect(seen.failures(RECORDED_FAILURES), {message}).toEqual([]);
}});

type Role = Parameters<Page['getByRole']>[0];

/** The element by its role and accessible name, else by the CSS path recorded. */
function find(root: Page | FrameLocator, role: string | null, name: string | null, css: string): Locator {{
  const byPath = root.locator(css);
  if (name === null) return byPath.first();
  const byName = role === null ? root.getByText(name, {{ exact: true }}) : root.getByRole(role as Role, {{ name, exact: true }});
  return css === '' ? byName.first() : byName.or(byPath).first();
}}

/** The page the tester went to next: followed if the last step led there, else opened. */
async function arrive(page: Page, url: string) {{
  const path = new URL(url).pathname;
  await page.waitForURL((u) => u.pathname === path, {{ timeout: 5000 }}).catch(() => page.goto(url));
}}

/** What goes wrong on the page from `start()`: failed requests, console errors, uncaught errors. */
function watch(page: Page) {{
  let on = false;
  const requests: string[] = [];
  const failures: {{ kind: string; key: string; said: string }}[] = [];
  const key = (method: string, url: string) => `${{method}} ${{new URL(url).pathname}}`;
  page.on('requestfinished', (request) => {{ if (on) requests.push(key(request.method(), request.url())); }});
  page.on('response', (response) => {{
    const request = response.request();
    if (!on || response.status() < 400 || !['fetch', 'xhr'].includes(request.resourceType())) return;
    const k = key(request.method(), request.url());
    failures.push({{ kind: 'request', key: k, said: `${{k}} answered ${{response.status()}}` }});
  }});
  page.on('requestfailed', (request) => {{
    if (!on) return;
    const k = key(request.method(), request.url());
    requests.push(k);
    failures.push({{ kind: 'request', key: k, said: `${{k}} failed (${{request.failure()?.errorText}})` }});
  }});
  page.on('console', (message) => {{
    if (on && message.type() === 'error') failures.push({{ kind: 'console', key: message.text(), said: `console error: ${{message.text()}}` }});
  }});
  page.on('pageerror', (error) => {{
    if (on) failures.push({{ kind: 'console', key: `Uncaught ${{error.name}}: ${{error.message}}`, said: `uncaught: ${{error.message}}` }});
  }});
  // A masked part of a recorded message (stars) matches anything.
  const like = (recorded: string, now: string) =>
    new RegExp(`^${{recorded.replace(/[.+?^${{}}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*')}}$`).test(now) || now.includes(recorded);
  return {{
    start: () => {{ on = true; }},
    /** Wait (at most 10 s) for the requests that failed in the recording to be made again, then a moment for what follows them. */
    settled: async (keys: string[]) => {{
      await expect.poll(() => keys.every((k) => requests.includes(k)), {{ timeout: 10000 }}).toBe(true).catch(() => {{}});
      await page.waitForTimeout(500);
    }},
    /** What went wrong now that also went wrong in the recording. */
    failures: (recorded: {{ kind: string; key: string }}[]) =>
      failures.filter((f) => recorded.some((r) => r.kind === f.kind && (r.kind === 'request' ? r.key === f.key : like(r.key, f.key)))).map((f) => f.said),
  }};
}}
"#,
        title = comment(&title),
        origin = literal(&origin),
        typed = typed_list.join("\n"),
        failure_list = failure_list.join("\n"),
        vw = viewport.w.max(1),
        vh = viewport.h.max(1),
        test_name = literal(&format!("Repro report: {title}")),
        request_keys = request_keys.join(", "),
        message = literal(&format!("what went wrong in the recording ({link})")),
    )
}

/// A step's element for `find()`: its frames, role and CSS path, from the
/// page at the step's moment.
#[derive(Default)]
struct Target {
    frames: Vec<String>,
    role: Option<String>,
    css: String,
}

fn locator(cursor: &mut PageCursor, t: u64, id: u32) -> Target {
    let Some(model) = cursor.advance_to(t) else {
        return Target::default();
    };
    let control = control_of(model, id);
    let path = element_path(model, control);
    Target {
        frames: path.frames,
        role: role_of(model, control),
        css: path.css,
    }
}

/// `find(…)` for `target`, named `label`.
fn find_call(target: &Target, label: Option<&str>) -> String {
    let root = target
        .frames
        .iter()
        .fold("page".to_string(), |root, frame| {
            format!("{root}.frameLocator({})", literal(frame))
        });
    let or_null = |text: Option<&str>| text.map_or("null".to_string(), literal);
    let css = if target.css.is_empty() && label.is_none() {
        // Nothing to find it by: the body, so that the test still runs.
        "body"
    } else {
        &target.css
    };
    format!(
        "find({root}, {}, {}, {})",
        or_null(target.role.as_deref()),
        or_null(label),
        literal(css)
    )
}
