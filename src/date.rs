//! Calendar days: `YYYY-MM-DD` dates and validity intervals.
//!
//! Owns the one date type of the crate, a thin newtype over
//! [`jiff::civil::Date`], which does the calendar arithmetic, formatting and
//! validation. Time zones and times of day are out of scope: the data is
//! dated to the day.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::ToSpan;

/// A calendar day from year 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(Date);

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

/// 1970-01-01, from which [`Day::number`] counts.
const EPOCH: Date = Date::constant(1970, 1, 1);

impl Day {
    /// The day in words, as a citation writes it ("25 March 2022").
    pub fn in_words(self) -> String {
        self.0.strftime("%-d %B %Y").to_string()
    }

    /// Builds a day from its year (1 to 9999), month (1-12) and day of
    /// month, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let (month, day) = (i8::try_from(month).ok()?, i8::try_from(day).ok()?);
        Date::new(year as i16, month, day).ok().map(Day)
    }

    /// The day `n` days later (or earlier for negative `n`), saturating at
    /// the ends of the calendar.
    #[must_use]
    pub fn plus_days(self, n: i32) -> Self {
        Day(self.0.saturating_add(n.days()))
    }

    /// Days since 1970-01-01.
    pub fn number(self) -> i32 {
        (self.0.duration_since(EPOCH).as_hours() / 24) as i32
    }
}

impl FromStr for Day {
    type Err = DateError;

    /// Exactly `YYYY-MM-DD` in ASCII digits (jiff would also take extended
    /// years and other ISO 8601 forms, which our files and queries never
    /// mean).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(DateError::Format(s.chars().take(40).collect()));
        }
        s.parse::<Date>()
            .ok()
            .filter(|d| d.year() >= 1)
            .map(Day)
            .ok_or_else(|| DateError::Impossible(s.to_owned()))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A half-open interval of days, `[from, to)`; `None` ends are open.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
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
        assert_eq!("1969-12-31".parse::<Day>().unwrap().number(), -1);
        assert_eq!(
            serde_json::to_string(&"0001-01-01".parse::<Day>().unwrap()).unwrap(),
            "\"0001-01-01\""
        );
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
