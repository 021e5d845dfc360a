//! CSV cells a spreadsheet would run as formulas: the one rule for every CSV
//! the project writes (batch answers over HTTP and on the command line, layer
//! exports, the bundle).
//!
//! A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is read by Excel, Calc and Google Sheets as a formula
//! (CSV injection), so it is written with a leading `'`, as OWASP
//! recommends; the spreadsheet shows the text and the quote is not part of
//! what it displays. A cell that is wholly a finite number (`-12.5`,
//! `+3`, `-1e5`) is left as it is: it cannot hide a formula and must stay a
//! number. Machines that read the CSV themselves can ask for the cells as
//! they are ([`Formulas::Raw`]: `?csv_formulas=raw`, `--raw-csv`).
//!
//! This module decides what a cell becomes; which cells are text (echoed
//! input, names, messages) is for the writers to say.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_LEADS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// How text cells that look like formulas are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Formulas {
    /// Prefixed with `'` so a spreadsheet shows them as text (the default).
    #[default]
    Neutralise,
    /// Written as they are, for programs that read the CSV themselves.
    Raw,
}

/// A `csv_formulas` value other than `raw` or `neutralise`.
#[derive(Debug, thiserror::Error)]
#[error("csv_formulas must be 'raw' or 'neutralise', not '{0}'")]
pub struct UnknownFormulas(pub String);

impl std::str::FromStr for Formulas {
    type Err = UnknownFormulas;

    /// Reads the `csv_formulas` query value: `raw` or `neutralise`
    /// (also `escape`, the usual word elsewhere).
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.to_ascii_lowercase().as_str() {
            "raw" => Ok(Self::Raw),
            "neutralise" | "neutralize" | "escape" => Ok(Self::Neutralise),
            _ => Err(UnknownFormulas(value.to_owned())),
        }
    }
}

impl Formulas {
    /// The mode a command line's `--raw-csv` flag asks for.
    pub fn raw_if(raw: bool) -> Self {
        if raw {
            Self::Raw
        } else {
            Self::Neutralise
        }
    }

    /// The text cell `text` as it is to be written.
    pub fn cell(self, text: &str) -> Cow<'_, str> {
        if self == Self::Neutralise && is_formula(text) {
            Cow::Owned(format!("'{text}"))
        } else {
            Cow::Borrowed(text)
        }
    }
}

/// Whether a spreadsheet would evaluate `text` as a formula.
pub fn is_formula(text: &str) -> bool {
    text.starts_with(FORMULA_LEADS) && !is_number(text)
}

/// Whether `text` is wholly a finite decimal number (`-12.5`, `+3`, `1e5`),
/// not `inf` or `NaN`, which Rust's parser also accepts.
fn is_number(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_leading_text_gets_a_quote_and_numbers_stay_numbers() {
        let n = Formulas::Neutralise;
        for (given, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("-NaN", "'-NaN"),
            ("-", "'-"),
            ("-12.5", "-12.5"),
            ("+3", "+3"),
            ("-1e5", "-1e5"),
            ("Stepanakert / Khankendi", "Stepanakert / Khankendi"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(n.cell(given), written, "{given:?}");
            assert_eq!(Formulas::Raw.cell(given), given, "{given:?}");
        }
    }

    #[test]
    fn the_switch_reads_raw_and_neutralise_and_nothing_else() {
        let parse = |v: &str| v.parse::<Formulas>().ok();
        assert_eq!(parse("raw"), Some(Formulas::Raw));
        assert_eq!(parse("RAW"), Some(Formulas::Raw));
        assert_eq!(parse("neutralise"), Some(Formulas::Neutralise));
        assert_eq!(parse("escape"), Some(Formulas::Neutralise));
        assert_eq!(parse("off"), None);
        assert_eq!(
            "off".parse::<Formulas>().unwrap_err().to_string(),
            "csv_formulas must be 'raw' or 'neutralise', not 'off'"
        );
    }
}
