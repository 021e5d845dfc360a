//! Calendar days: parsing, formatting and arithmetic on `YYYY-MM-DD` dates.
//!
//! Owns the one date type of the crate, a proleptic Gregorian day number, so
//! that validity intervals compare as integers on the hot path. Time zones and
//! times of day are out of scope: the data is dated to the day.

use std::fmt;
use std::str::FromStr;

/// A calendar day, counted from 1970-01-01 (day 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i32);

/// Why a string is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text does not have the `YYYY-MM-DD` shape.
    #[error("'{0}' is not a date in the form YYYY-MM-DD")]
    Format(String),
    /// The shape is right but the day does not exist (e.g. 2022-02-30).
    #[error("'{0}' is not a real calendar day")]
    Impossible(String),
}

impl Day {
    /// Builds a day from its year, month (1-12) and day of month, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day(days_from_civil(year, month, day)))
    }

    /// The year, month and day of month.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// The day `n` days later (or earlier for negative `n`).
    #[must_use]
    pub fn plus_days(self, n: i32) -> Self {
        Day(self.0 + n)
    }

    /// Days since 1970-01-01.
    pub fn number(self) -> i32 {
        self.0
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`], after Neri and Schneider ("Euclidean
/// affine functions and their application to calendar algorithms", 2022):
/// multiplications and shifts on a March-based calendar shifted to unsigned
/// numbers, no divisions by variables. It formats every date we write, so
/// its speed shows in the report.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]
fn civil_from_days(days: i32) -> (i32, u32, u32) {
    // Whole 400-year eras added so that every i32 day is non-negative.
    const ERAS: u64 = 14_700;
    // Days from 0000-03-01 to 1970-01-01, plus the eras.
    const SHIFT: u64 = 719_468 + 146_097 * ERAS;
    let n = (i64::from(days) + SHIFT as i64) as u64;
    // Century and day of the century.
    let n1 = 4 * n + 3;
    let century = n1 / 146_097;
    let n_c = (n1 % 146_097 / 4) as u32;
    // Year of the century and day of the year, by one multiplication.
    let p = 2_939_745 * u64::from(4 * n_c + 3);
    let year_of_century = (p >> 32) as u32;
    let day_of_year = (p as u32) / 2_939_745 / 4;
    // Month and day (March = 3), by another.
    let n3 = 2141 * day_of_year + 197_913;
    let (month, day) = (n3 >> 16, (n3 & 0xFFFF) / 2141 + 1);
    // January and February belong to the next civil year.
    let january_or_later = day_of_year >= 306;
    let year = (100 * century + u64::from(year_of_century) + u64::from(january_or_later)) as i64
        - 400 * ERAS as i64;
    let month = if january_or_later { month - 12 } else { month };
    (year as i32, month, day)
}

impl FromStr for Day {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format(s.chars().take(40).collect()));
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        Day::from_ymd(num(0..4) as i32, num(5..7), num(8..10))
            .ok_or_else(|| DateError::Impossible(s.to_owned()))
    }
}

impl Day {
    /// `YYYY-MM-DD` as bytes, for years 0 to 9999 (`None` outside them).
    pub(crate) fn iso_bytes(self) -> Option<[u8; 10]> {
        let (y, m, d) = self.ymd();
        let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Some([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The fixed-width fast path matters: reports print a dozen dates.
        if let Some(b) = self.iso_bytes() {
            f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?)
        } else {
            let (y, m, d) = self.ymd();
            write!(f, "{y:04}-{m:02}-{d:02}")
        }
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.iso_bytes() {
            Some(b) => s.serialize_str(std::str::from_utf8(&b).map_err(serde::ser::Error::custom)?),
            None => s.collect_str(self),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A half-open interval of days, `[from, to)`; `None` ends are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Validity {
    /// First day of validity; `None` means since always.
    pub valid_from: Option<Day>,
    /// First day no longer valid; `None` means still valid.
    pub valid_to: Option<Day>,
}

impl Validity {
    /// Whether `day` falls inside the interval.
    pub fn contains(&self, day: Day) -> bool {
        self.valid_from.is_none_or(|f| day >= f) && self.valid_to.is_none_or(|t| day < t)
    }

    /// Whether the interval shares at least one day with `[from, to)`.
    pub fn overlaps(&self, from: Option<Day>, to: Option<Day>) -> bool {
        let starts_before_end = match (self.valid_from, to) {
            (Some(a), Some(b)) => a < b,
            _ => true,
        };
        let ends_after_start = match (self.valid_to, from) {
            (Some(a), Some(b)) => a > b,
            _ => true,
        };
        starts_before_end && ends_after_start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_and_calendar_dates_convert_both_ways() {
        // Every day from 2000 BCE to 12000 CE, and the ends of the range.
        let mut expected = civil_from_days(-1_450_000);
        for n in -1_450_000..3_700_000 {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m, d), n);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
            // Consecutive days step through the calendar.
            assert_eq!((y, m, d), expected, "day {n}");
            expected = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        for n in [i32::MIN / 2, i32::MAX / 2] {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m, d), n);
        }
        // The very ends do not overflow (the inverse would, in i32).
        for n in [i32::MIN, i32::MAX] {
            let (_, m, d) = civil_from_days(n);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d));
        }
    }

    #[test]
    fn parses_and_formats_round_trip() {
        for s in [
            "2020-11-10",
            "2022-02-28",
            "2024-02-29",
            "1970-01-01",
            "2023-09-20",
        ] {
            let d: Day = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        assert_eq!("1970-01-02".parse::<Day>().unwrap().number(), 1);
    }

    #[test]
    fn the_fast_format_agrees_with_the_general_one_in_json_and_text() {
        // Years 0 to 9999 take the fixed-width path, others the general one.
        for n in (-800_000..3_000_000).step_by(997) {
            let d = Day(n);
            let (y, m, dd) = d.ymd();
            let general = format!("{y:04}-{m:02}-{dd:02}");
            assert_eq!(d.to_string(), general, "day {n}");
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{general}\""));
        }
    }

    #[test]
    fn impossible_and_malformed_dates_are_rejected() {
        assert!(matches!(
            "2022-02-29".parse::<Day>(),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            "2022-13-01".parse::<Day>(),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            "2022-3-1".parse::<Day>(),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            "yesterday".parse::<Day>(),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            "２０２２-03-01".parse::<Day>(),
            Err(DateError::Format(_))
        ));
    }

    #[test]
    fn day_arithmetic_crosses_month_and_year_ends() {
        let d: Day = "2020-12-31".parse().unwrap();
        assert_eq!(d.plus_days(1).to_string(), "2021-01-01");
        assert_eq!(d.plus_days(-31).to_string(), "2020-11-30");
    }

    #[test]
    fn validity_is_half_open() {
        let v = Validity {
            valid_from: "2022-03-25".parse().ok(),
            valid_to: "2022-08-26".parse().ok(),
        };
        assert!(!v.contains("2022-03-24".parse().unwrap()));
        assert!(v.contains("2022-03-25".parse().unwrap()));
        assert!(v.contains("2022-08-25".parse().unwrap()));
        assert!(!v.contains("2022-08-26".parse().unwrap()));
        assert!(v.overlaps(None, "2022-03-26".parse().ok()));
        assert!(!v.overlaps("2022-08-26".parse().ok(), None));
    }
}
