//! Calendar dates as days since 1970-01-01, the form RFC 8943 §2.2 (CBOR tag 100) puts on the wire.

use core::fmt;
use core::str::FromStr;

/// A proleptic Gregorian calendar date.
///
/// Stored as the number of days since 1970-01-01 (negative before), which is
/// exactly the integer carried under CBOR tag 100 (RFC 8943 §2.2), so encoding
/// and decoding never touch the calendar arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

/// Range accepted on input: years 1..=9999 keep `YYYY-MM-DD` four digits.
const MIN_DAYS: i64 = -719_162; // 0001-01-01
const MAX_DAYS: i64 = 2_932_896; // 9999-12-31

impl Date {
    /// The date `days` days after 1970-01-01; `None` outside years 1..=9999.
    pub fn from_days(days: i64) -> Option<Self> {
        (MIN_DAYS..=MAX_DAYS).contains(&days).then_some(Self { days: days as i32 })
    }

    /// The date from year, month (1–12) and day (1–31); `None` if no such day exists.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Self::from_days(days_from_civil(year, month, day))
    }

    /// The UTC calendar date of a Unix time in seconds.
    pub fn from_unix(seconds: u64) -> Option<Self> {
        Self::from_days((seconds / 86_400) as i64)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        i64::from(self.days)
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u8, u8) {
        civil_from_days(i64::from(self.days))
    }

    /// Completed years of age on `on` for someone born on `self`.
    ///
    /// A 29 February birthday is reached on 1 March in common years.
    pub fn years_until(self, on: Date) -> i32 {
        let (y1, m1, d1) = self.ymd();
        let (y2, m2, d2) = on.ymd();
        let mut years = y2 - y1;
        if (m2, d2) < (m1, d1) {
            years -= 1;
        }
        years
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// The text was not a valid `YYYY-MM-DD` date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidDate;

impl core::error::Error for InvalidDate {}

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a date as YYYY-MM-DD")
    }
}

impl FromStr for Date {
    type Err = InvalidDate;

    fn from_str(s: &str) -> Result<Self, InvalidDate> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(InvalidDate);
        }
        let num = |r: core::ops::Range<usize>| -> Result<u32, InvalidDate> {
            b[r].iter()
                .try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')).ok_or(InvalidDate))
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::from_ymd(y as i32, m as u8, d as u8).ok_or(InvalidDate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn known_days() {
        let cases = [
            ("1970-01-01", 0),
            ("1969-12-31", -1),
            ("2000-02-29", 11_016),
            ("1990-05-17", 7_441),
            ("0001-01-01", -719_162),
            ("9999-12-31", 2_932_896),
        ];
        for (text, days) in cases {
            let date: Date = text.parse().unwrap();
            assert_eq!(date.days(), days, "{text}");
            assert_eq!(date.to_string(), text);
            assert_eq!(Date::from_days(days), Some(date));
        }
    }

    #[test]
    fn rejects_bad_text() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "20240101",
            "abcd-ef-gh",
            "0000-01-01",
            "2024-04-31",
        ] {
            assert_eq!(bad.parse::<Date>(), Err(InvalidDate), "{bad}");
        }
        assert_eq!(Date::from_days(MAX_DAYS + 1), None);
    }

    #[test]
    fn age_counts_completed_years() {
        let born: Date = "2008-02-29".parse().unwrap();
        assert_eq!(born.years_until("2026-02-28".parse().unwrap()), 17);
        assert_eq!(born.years_until("2026-03-01".parse().unwrap()), 18);
        let born: Date = "2008-11-23".parse().unwrap();
        assert_eq!(born.years_until("2026-11-22".parse().unwrap()), 17);
        assert_eq!(born.years_until("2026-11-23".parse().unwrap()), 18);
    }
}
