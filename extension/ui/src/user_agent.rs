//! Browser, version and OS from a user agent string, for the environment.

/// `(browser, version, os)` read from `ua`; unknown parts are `"unknown"`.
pub fn parse(ua: &str) -> (String, String, String) {
    let version_after = |marker: &str| {
        ua.split(marker)
            .nth(1)
            .map(|rest| rest.split([' ', ';', ')']).next().unwrap_or("").to_string())
    };
    let (browser, version) = if let Some(v) = version_after("Firefox/") {
        ("Firefox", v)
    } else if let Some(v) = version_after("Edg/") {
        ("Edge", v)
    } else if let Some(v) = version_after("Chrome/") {
        ("Chromium", v)
    } else {
        ("unknown", "unknown".to_string())
    };
    let os = ["Windows", "Android", "iPhone", "Mac OS X", "CrOS", "Linux"]
        .iter()
        .find(|name| ua.contains(*name))
        .map(|name| match *name {
            "Linux" if ua.contains("x86_64") => "Linux x86_64",
            "Mac OS X" => "macOS",
            "CrOS" => "ChromeOS",
            other => other,
        })
        .unwrap_or("unknown");
    (browser.to_string(), version, os.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn chromium_on_linux() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.73 Safari/537.36";
        let (b, v, os) = super::parse(ua);
        assert_eq!(
            (b.as_str(), v.as_str(), os.as_str()),
            ("Chromium", "156.0.8078.73", "Linux x86_64")
        );
    }

    #[test]
    fn firefox_on_windows() {
        let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:153.0) Gecko/20100101 Firefox/153.0";
        let (b, v, os) = super::parse(ua);
        assert_eq!(
            (b.as_str(), v.as_str(), os.as_str()),
            ("Firefox", "153.0", "Windows")
        );
    }
}
