//! Dates in words for pages and messages, from Unix milliseconds, in UTC
//! (the server has no time-zone database and needs none for this).

/// `1767225600000` → `2026-01-01 00:00`.
pub fn utc_minute(unix_ms: i64) -> String {
    let minutes = unix_ms.div_euclid(60_000);
    let days = minutes.div_euclid(1_440);
    let minute_of_day = minutes.rem_euclid(1_440);
    let (year, month, day) = civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// `1767225600123` → `2026-01-01T00:00:00.123Z` (RFC 3339, for logs).
pub fn utc_millis(unix_ms: i64) -> String {
    let seconds = unix_ms.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        unix_ms.rem_euclid(1000)
    )
}

/// `1767225600123` → `20260101T000000Z` (the basic ISO 8601 form S3 signatures use).
pub fn utc_basic_seconds(unix_ms: i64) -> String {
    let full = utc_millis(unix_ms);
    let without_fraction = full.split('.').next().unwrap_or_default();
    format!("{}Z", without_fraction.replace(['-', ':'], ""))
}

/// `2026-01-01` → the Unix ms of that day's start in UTC; `None` if it is not such a date.
pub fn parse_day(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1970..=9999).contains(&year) {
        return None;
    }
    // Days since 1970-01-01, counting years from March so leap days end them.
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let round_trip = utc_minute(days * 86_400_000);
    round_trip
        .starts_with(&format!("{year:04}-{month:02}-{day:02}"))
        .then_some(days * 86_400_000)
}

/// `2026-12-06T21:53:02.000Z` (as S3 lists objects) → its Unix ms; `None`
/// if it is not such a time.
pub fn parse_utc_time(text: &str) -> Option<i64> {
    let (day, time) = text.trim().split_once('T')?;
    let time = time.strip_suffix('Z')?;
    let mut parts = time.split(':');
    let hours: i64 = parts.next()?.parse().ok()?;
    let minutes: i64 = parts.next()?.parse().ok()?;
    let seconds: f64 = parts.next()?.parse().ok()?;
    if hours > 23 || minutes > 59 || !(0.0..61.0).contains(&seconds) {
        return None;
    }
    Some(parse_day(day)? + (hours * 3600 + minutes * 60) * 1000 + (seconds * 1000.0) as i64)
}

/// The proleptic Gregorian date `days` after 1970-01-01.
fn civil_date(days: i64) -> (i64, u32, u32) {
    // Count in 400-year eras from 0000-03-01, so that leap days end each year.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_form_for_signatures() {
        assert_eq!(utc_basic_seconds(1_767_225_600_123), "20260101T000000Z");
    }

    #[test]
    fn s3_times_are_read() {
        assert_eq!(
            parse_utc_time("1970-01-02T00:00:01.500Z"),
            Some(86_400_000 + 1_500)
        );
        assert_eq!(
            parse_utc_time("2026-12-06T21:53:02Z")
                .map(utc_minute)
                .as_deref(),
            Some("2026-12-06 21:53")
        );
        assert_eq!(parse_utc_time("2026-12-06 21:53:02"), None);
    }

    #[test]
    fn dates_in_utc() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00");
        assert_eq!(utc_minute(1_767_225_600_000), "2026-01-01 00:00");
        assert_eq!(
            utc_minute(951_782_400_000 + 90 * 60_000),
            "2000-02-29 01:30"
        );
        assert_eq!(utc_minute(1_795_910_400_000 - 60_000), "2026-11-28 23:59");
        assert_eq!(utc_millis(1_767_225_661_123), "2026-01-01T00:01:01.123Z");
        assert_eq!(parse_day("2026-01-01"), Some(1_767_225_600_000));
        assert_eq!(parse_day("2000-02-29"), Some(951_782_400_000));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("yesterday"), None);
    }
}
