//! The month a generation counts against, and when the next one starts.
//!
//! Quotas reset on the first of each month (UTC); the generation workflow and
//! `/api/me` must agree on which month "now" is, so both read it here.

use std::time::Duration;

use time::OffsetDateTime;

/// The quota period, e.g. `2026-11` (UTC).
pub fn current_month() -> String {
    month_of(OffsetDateTime::now_utc())
}

/// How long until the next quota period starts (at least one second), for `Retry-After`.
pub fn until_next_month() -> Duration {
    until_month_after(OffsetDateTime::now_utc())
}

fn month_of(now: OffsetDateTime) -> String {
    format!("{:04}-{:02}", now.year(), u8::from(now.month()))
}

/// When the next quota period starts: the first of next month, 00:00 UTC.
pub fn next_month_start() -> OffsetDateTime {
    start_of_month_after(OffsetDateTime::now_utc())
}

fn start_of_month_after(now: OffsetDateTime) -> OffsetDateTime {
    let (year, month) = match now.month() {
        time::Month::December => (now.year() + 1, time::Month::January),
        month => (now.year(), month.next()),
    };
    time::Date::from_calendar_date(year, month, 1)
        .map(|date| date.midnight().assume_utc())
        .unwrap_or(now)
}

fn until_month_after(now: OffsetDateTime) -> Duration {
    let next = start_of_month_after(now);
    Duration::from_secs((next - now).whole_seconds().max(1) as u64)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn a_month_is_named_by_year_and_number() {
        assert_eq!(month_of(datetime!(2026-03-31 23:59 UTC)), "2026-03");
    }

    #[test]
    fn december_rolls_over_to_the_next_year() {
        assert_eq!(
            until_month_after(datetime!(2026-12-31 23:00 UTC)),
            Duration::from_secs(3600)
        );
    }
}
