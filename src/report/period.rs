//! Calendar dates of articles and the periods of the timeline.
//!
//! Written by hand rather than pulling in a date crate: the report only
//! needs to validate `YYYY-MM-DD`, order dates, and map them to an ISO
//! week, a month or a year, which is a few lines of proleptic-Gregorian
//! arithmetic (Howard Hinnant's `days_from_civil`).

use std::fmt;
use std::str::FromStr;

/// A calendar date, ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of month, 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`; a time part after `T` or a space (`2024-03-05T10:00`)
    /// is ignored, anything else is an error.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let bad = || format!("date {s:?} is not an ISO date YYYY-MM-DD");
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        if b.len() > 10 && b[10] != b'T' && b[10] != b' ' {
            return Err(bad());
        }
        let digits = |r: std::ops::Range<usize>| -> Result<u32, String> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = digits(0..4)? as i32;
        let month = digits(5..7)?;
        let day = digits(8..10)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(format!("date {s:?} does not exist"));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    pub fn iso_weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.days_since_epoch() + 3).rem_euclid(7) + 1) as u32
    }

    /// Day of the year, 1-based.
    pub fn ordinal(self) -> u32 {
        (1..self.month)
            .map(|m| days_in_month(self.year, m))
            .sum::<u32>()
            + self.day
    }

    /// ISO 8601 week-numbering year and week (1–53).
    pub fn iso_week(self) -> (i32, u32) {
        let week = (self.ordinal() as i64 - self.iso_weekday() as i64 + 10) / 7;
        if week < 1 {
            (self.year - 1, iso_weeks_in_year(self.year - 1))
        } else if week as u32 > iso_weeks_in_year(self.year) {
            (self.year + 1, 1)
        } else {
            (self.year, week as u32)
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A year has 53 ISO weeks when it starts on a Thursday, or is a leap year
/// starting on a Wednesday.
fn iso_weeks_in_year(y: i32) -> u32 {
    let jan1 = Date {
        year: y,
        month: 1,
        day: 1,
    }
    .iso_weekday();
    if jan1 == 4 || (jan1 == 3 && is_leap(y)) {
        53
    } else {
        52
    }
}

/// Bucket size of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    /// ISO week, written `2024-W07`.
    Week,
    /// Calendar month, written `2024-03`.
    #[default]
    Month,
    /// Calendar year, written `2024`.
    Year,
}

impl Period {
    /// The period containing `date`, spelled so that string order is time order.
    pub fn key(self, date: Date) -> String {
        match self {
            Period::Week => {
                let (y, w) = date.iso_week();
                format!("{y:04}-W{w:02}")
            }
            Period::Month => format!("{:04}-{:02}", date.year, date.month),
            Period::Year => format!("{:04}", date.year),
        }
    }

    /// `week`, `month` or `year`.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Period, String> {
        match s {
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "year" => Ok(Period::Year),
            other => Err(format!(
                "unknown period {other:?} (expected week, month or year)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            d("2024-02-29"),
            Date {
                year: 2024,
                month: 2,
                day: 29
            }
        );
        assert_eq!(d("2024-03-05T10:00:00Z").to_string(), "2024-03-05");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-3-5",
            "05/03/2024",
            "2024-03-0x",
            "2024-03-05x",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn epoch_and_weekdays() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2000-03-01").days_since_epoch(), 11_017);
        assert_eq!(d("1970-01-01").iso_weekday(), 4); // Thursday
        assert_eq!(d("2024-01-01").iso_weekday(), 1); // Monday
        assert_eq!(d("2024-03-05").iso_weekday(), 2); // Tuesday
    }

    #[test]
    fn iso_weeks_at_year_boundaries() {
        // Values checked against `date +%G-W%V`.
        assert_eq!(Period::Week.key(d("2024-01-01")), "2024-W01");
        assert_eq!(Period::Week.key(d("2024-03-05")), "2024-W10");
        assert_eq!(Period::Week.key(d("2021-01-01")), "2020-W53");
        assert_eq!(Period::Week.key(d("2024-12-30")), "2025-W01");
        assert_eq!(Period::Week.key(d("2026-12-31")), "2026-W53");
        assert_eq!(Period::Week.key(d("2027-01-03")), "2026-W53");
        assert_eq!(Period::Week.key(d("2027-01-04")), "2027-W01");
        assert_eq!(Period::Month.key(d("2024-03-05")), "2024-03");
        assert_eq!(Period::Year.key(d("2024-03-05")), "2024");
    }
}
