//! A report as a prompt for a coding agent: what to do, the issue, and
//! how to read more of the report through the server's MCP endpoint.

use repro_manifest::Bundle;

/// The prompt for report `id` (its share id), `bundle`, shared at `link`
/// on the server at `base`.
pub fn agent_prompt(id: &str, bundle: &Bundle, link: &str, base: &str) -> String {
    format!(
        "You are fixing a bug a tester reported with Repro. The report follows: what they did, \
what went wrong and the evidence, recorded in their browser (typed values and secrets were \
masked before anything left it).\n\n\
1. Add the generated regression test to the project's Playwright tests: {link}/playwright.spec.ts \
(fill in the typed values it marks TODO). Run it: it fails while the bug is there.\n\
2. Find the cause from the evidence below, and fix it.\n\
3. Run the test again: it passes once the bug is fixed. Keep it.\n\n\
More of the report is at the Repro MCP server, {base}/mcp (Streamable HTTP; send an upload \
token as `Authorization: Bearer <token>`). Its tools take the report id `{id}`: `get_report`, \
`get_console`, `get_network`, `get_marks`, `get_dom_at` (the page as HTML at a moment), \
`get_screenshot`, `get_har`, `get_playwright_test`.\n\n---\n\n{}",
        crate::issue_markdown::issue_markdown(bundle, link)
    )
}
