//! Pairs of angles: decimal degrees, DMS and DDM, with any of the usual
//! symbols (`° º ˚ d deg`, `′ ' ’ m min`, `″ " '' s sec`), hemisphere letters
//! before or after (`N40.0194 E46.8011`, `40 01 10 N, 46 48 04 E`), signs,
//! `lat`/`lon` labels, and either axis order.
//!
//! The text is tokenised, split into two components (at a comma, at the
//! hemisphere letters, at the labels, at the second degree mark, or in the
//! middle of a bare run of 2, 4 or 6 numbers), and each component becomes
//! one angle. Axis order comes from letters or labels; without them, both
//! orders are tried and a pair valid both ways is reported as ambiguous.

use super::{checked, CoordError, Notation, Order, Parsed, Reading};
use crate::geodesy::LonLat;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Deg,
    Min,
    Sec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    Lat,
    Lon,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Num {
        value: f64,
        negative: bool,
        signed: bool,
    },
    Unit(Unit),
    Hemi(char),
    Label(Axis),
    Sep,
}

/// Reads two angles from `s`. Text that reads as nothing with commas as
/// separators is tried again with a comma between two digits as a decimal
/// point (`39,8153 46,7519`, as Russian, Azerbaijani and much of Europe
/// write), so a pair such as `40,46` keeps its usual reading.
pub fn parse(s: &str) -> Result<Parsed, CoordError> {
    read(s, false).or_else(|first| read(s, true).map_err(|_| first))
}

fn read(s: &str, decimal_comma: bool) -> Result<Parsed, CoordError> {
    let unrecognised = || CoordError::Unrecognised(s.chars().take(80).collect());
    let toks = tokenise(s, decimal_comma).ok_or_else(unrecognised)?;
    let [a, b] = split(&toks).ok_or_else(unrecognised)?;
    let (va, axa, ka) = angle(a, s)?;
    let (vb, axb, kb) = angle(b, s)?;
    let notation = match ka.max(kb) {
        2 => Notation::Dms,
        1 => Notation::Ddm,
        _ => Notation::Decimal,
    };
    let name = match notation {
        Notation::Dms => "degrees, minutes, seconds",
        Notation::Ddm => "degrees, decimal minutes",
        _ => "decimal degrees",
    };
    let name = if decimal_comma {
        format!("{name}, with decimal commas")
    } else {
        name.to_owned()
    };
    let one = |lat: f64, lon: f64, order: Order| -> Result<Parsed, CoordError> {
        let at = checked(lat, lon)?;
        Ok(Parsed {
            notation,
            readings: vec![Reading::new(at, order)],
            ambiguous: false,
            description: format!("latitude {lat}, longitude {lon} ({name})"),
        })
    };
    match (axa, axb) {
        (Some(first), Some(second)) if first == second => Err(CoordError::SameAxis(match first {
            Axis::Lat => "latitude",
            Axis::Lon => "longitude",
        })),
        (Some(Axis::Lat), _) | (None, Some(Axis::Lon)) => one(va, vb, Order::Explicit),
        (Some(Axis::Lon), _) | (None, Some(Axis::Lat)) => one(vb, va, Order::Explicit),
        (None, None) => {
            let as_written = checked(va, vb).ok();
            let swapped = checked(vb, va).ok();
            match (as_written, swapped) {
                (Some(written), Some(other)) if written != other => Ok(Parsed {
                    notation,
                    readings: vec![Reading::new(written, Order::LatLon), Reading::new(other, Order::LonLat)],
                    ambiguous: true,
                    description: format!(
                        "ambiguous {name}: latitude {va}, longitude {vb} (as written) or latitude {vb}, longitude {va}"
                    ),
                }),
                (Some(_), _) => one(va, vb, Order::LatLon),
                (None, Some(_)) => one(vb, va, Order::LonLat),
                (None, None) => Err(CoordError::PairOutOfRange(va, vb)),
            }
        }
    }
}

#[allow(clippy::many_single_char_names)] // i, j, c: a scanner's usual names
fn tokenise(s: &str, decimal_comma: bool) -> Option<Vec<Tok>> {
    let mut toks = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            ',' | ';' | '/' => {
                toks.push(Tok::Sep);
                i += 1;
            }
            '°' | 'º' | '˚' => {
                toks.push(Tok::Unit(Unit::Deg));
                i += 1;
            }
            '\'' | '′' | '’' | '‘' | '´' | 'ʹ' => {
                if matches!(chars.get(i + 1), Some('\'' | '′' | '’')) {
                    toks.push(Tok::Unit(Unit::Sec));
                    i += 2;
                } else {
                    toks.push(Tok::Unit(Unit::Min));
                    i += 1;
                }
            }
            '"' | '″' | '”' | '“' | 'ʺ' => {
                toks.push(Tok::Unit(Unit::Sec));
                i += 1;
            }
            '-' | '+' | '−' | '0'..='9' | '.' => {
                let (negative, signed, start) = match c {
                    '-' | '−' => (true, true, i + 1),
                    '+' => (false, true, i + 1),
                    _ => (false, false, i),
                };
                let mut j = start;
                let decimal_point = |j: usize| {
                    chars[j] == '.'
                        || (decimal_comma
                            && chars[j] == ','
                            && j > start
                            && chars[j - 1].is_ascii_digit()
                            && chars.get(j + 1).is_some_and(char::is_ascii_digit))
                };
                while j < chars.len() && (chars[j].is_ascii_digit() || decimal_point(j)) {
                    j += 1;
                }
                let text: String = chars[start..j]
                    .iter()
                    .map(|&c| if c == ',' { '.' } else { c })
                    .collect();
                let value: f64 = text.parse().ok().filter(|v: &f64| v.is_finite())?;
                toks.push(Tok::Num {
                    value,
                    negative,
                    signed,
                });
                i = j;
            }
            _ if c.is_alphabetic() => {
                if let Some((hemi, next)) = russian_hemisphere(&chars, i) {
                    toks.push(Tok::Hemi(hemi));
                    i = next;
                    continue;
                }
                let mut j = i;
                while j < chars.len() && chars[j].is_alphabetic() {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                let after_number = matches!(toks.last(), Some(Tok::Num { .. }));
                if let Some(tok) = word_token(&word, after_number) {
                    toks.push(tok);
                } else {
                    // A unit glued to a hemisphere letter: `10sN`. The last
                    // char is ASCII here, so the split is on a boundary.
                    if !word.ends_with(['N', 'S', 'E', 'W']) {
                        return None;
                    }
                    let (unit, hemi) = word.split_at(word.len() - 1);
                    toks.push(
                        word_token(unit, after_number).filter(|t| matches!(t, Tok::Unit(_)))?,
                    );
                    toks.push(word_token(hemi, false).filter(|t| matches!(t, Tok::Hemi(_)))?);
                }
                i = j;
            }
            ':' | '=' => i += 1,
            _ => return None,
        }
    }
    Some(toks)
}

/// Russian hemisphere abbreviations at `chars[i]`, as Russian Wikipedia
/// writes them: `с. ш.` (north), `ю. ш.`, `в. д.` (east), `з. д.`, with or
/// without the dots and spaces. Gives the letter and where the text goes on.
pub(crate) fn russian_hemisphere(chars: &[char], i: usize) -> Option<(char, usize)> {
    let lower = |c: &char| c.to_lowercase().next();
    let mut j = i + 1;
    while chars.get(j).is_some_and(|&c| c == '.' || c.is_whitespace()) {
        j += 1;
    }
    let hemi = match (lower(&chars[i])?, lower(chars.get(j)?)?) {
        ('с', 'ш') => 'N',
        ('ю', 'ш') => 'S',
        ('в', 'д') => 'E',
        ('з', 'д') => 'W',
        _ => return None,
    };
    j += 1;
    if chars.get(j).is_some_and(|c| c.is_alphabetic()) {
        return None;
    }
    if chars.get(j) == Some(&'.') {
        j += 1;
    }
    Some((hemi, j))
}

fn word_token(word: &str, after_number: bool) -> Option<Tok> {
    Some(match word {
        "N" | "n" | "North" | "north" => Tok::Hemi('N'),
        "S" | "South" | "south" => Tok::Hemi('S'),
        "E" | "e" | "East" | "east" => Tok::Hemi('E'),
        "W" | "w" | "West" | "west" => Tok::Hemi('W'),
        "s" if !after_number => Tok::Hemi('S'),
        "d" | "deg" | "degrees" => Tok::Unit(Unit::Deg),
        "m" | "min" | "mins" | "minutes" => Tok::Unit(Unit::Min),
        "s" | "sec" | "secs" | "seconds" => Tok::Unit(Unit::Sec),
        w if matches!(w.to_ascii_lowercase().as_str(), "lat" | "latitude") => Tok::Label(Axis::Lat),
        w if matches!(
            w.to_ascii_lowercase().as_str(),
            "lon" | "lng" | "long" | "longitude"
        ) =>
        {
            Tok::Label(Axis::Lon)
        }
        _ => return None,
    })
}

/// Splits the tokens into exactly two components.
fn split(toks: &[Tok]) -> Option<[&[Tok]; 2]> {
    let seps: Vec<usize> = (0..toks.len()).filter(|&i| toks[i] == Tok::Sep).collect();
    let at = |i: usize| Some([&toks[..i], &toks[i..]]);
    let cut = if seps.len() == 1 {
        let i = seps[0];
        return Some([&toks[..i], &toks[i + 1..]]);
    } else if !seps.is_empty() {
        return None;
    } else if toks.iter().any(|t| matches!(t, Tok::Hemi(_))) {
        let hemis: Vec<usize> = (0..toks.len())
            .filter(|&i| matches!(toks[i], Tok::Hemi(_)))
            .collect();
        if hemis[0] == 0 || matches!(toks[0], Tok::Label(_)) && hemis[0] == 1 {
            *hemis.get(1)?
        } else {
            hemis[0] + 1
        }
    } else if toks.iter().any(|t| matches!(t, Tok::Label(_))) {
        let labels: Vec<usize> = (0..toks.len())
            .filter(|&i| matches!(toks[i], Tok::Label(_)))
            .collect();
        *labels.get(1)?
    } else if toks.iter().any(|t| matches!(t, Tok::Unit(_))) {
        // The second number marked as degrees starts the second angle.
        let degs: Vec<usize> = (1..toks.len())
            .filter(|&i| toks[i] == Tok::Unit(Unit::Deg) && matches!(toks[i - 1], Tok::Num { .. }))
            .map(|i| i - 1)
            .collect();
        if let Some(&i) = degs.get(1) {
            i
        } else {
            // Units without degree marks (40 01 10 46 48 04 is handled below).
            return None;
        }
    } else {
        let nums = toks.len();
        if !matches!(nums, 2 | 4 | 6) {
            return None;
        }
        nums / 2
    };
    if cut == 0 || cut >= toks.len() {
        return None;
    }
    at(cut)
}

/// One angle: (value, axis if stated, 0 decimal / 1 DDM / 2 DMS).
fn angle(toks: &[Tok], input: &str) -> Result<(f64, Option<Axis>, u8), CoordError> {
    let unrecognised = || CoordError::Unrecognised(input.chars().take(80).collect());
    let mut parts: [Option<f64>; 3] = [None; 3];
    let mut negative = false;
    let mut hemi = None;
    let mut label = None;
    let mut next = 0usize;
    let mut last_num: Option<f64> = None;
    for (k, t) in toks.iter().enumerate() {
        match *t {
            Tok::Num {
                value,
                negative: neg,
                signed,
            } => {
                if let Some(v) = last_num.take() {
                    put(&mut parts, &mut next, v, None).ok_or_else(unrecognised)?;
                }
                if signed && k > 0 && parts.iter().any(Option::is_some) {
                    return Err(unrecognised());
                }
                negative |= neg;
                last_num = Some(value);
            }
            Tok::Unit(u) => {
                let v = last_num.take().ok_or_else(unrecognised)?;
                put(&mut parts, &mut next, v, Some(u)).ok_or_else(unrecognised)?;
            }
            Tok::Hemi(h) => {
                if hemi.replace(h).is_some() {
                    return Err(unrecognised());
                }
            }
            Tok::Label(a) => {
                if label.replace(a).is_some() {
                    return Err(unrecognised());
                }
            }
            Tok::Sep => return Err(unrecognised()),
        }
    }
    if let Some(v) = last_num {
        put(&mut parts, &mut next, v, None).ok_or_else(unrecognised)?;
    }
    let [Some(d), m, s] = parts else {
        return Err(unrecognised());
    };
    if let Some(m) = m {
        if d.fract() != 0.0 {
            return Err(unrecognised());
        }
        if m >= 60.0 {
            return Err(CoordError::SixtyOrMore {
                part: "minutes",
                value: m,
            });
        }
    }
    if let Some(s) = s {
        if m.is_none_or(|m| m.fract() != 0.0) {
            return Err(unrecognised());
        }
        if s >= 60.0 {
            return Err(CoordError::SixtyOrMore {
                part: "seconds",
                value: s,
            });
        }
    }
    let mut value = d + m.unwrap_or(0.0) / 60.0 + s.unwrap_or(0.0) / 3600.0;
    let axis = match hemi {
        Some('N' | 'S') => Some(Axis::Lat),
        Some(_) => Some(Axis::Lon),
        None => label,
    };
    if matches!(hemi, Some('S' | 'W')) {
        if negative {
            return Err(CoordError::SignAndHemisphere(
                input.chars().take(80).collect(),
            ));
        }
        value = -value;
    } else if negative {
        value = -value;
    }
    let kind = if s.is_some() {
        2
    } else {
        u8::from(m.is_some())
    };
    Ok((value, axis, kind))
}

/// Puts a value into the degree, minute or second slot.
fn put(parts: &mut [Option<f64>; 3], next: &mut usize, v: f64, unit: Option<Unit>) -> Option<()> {
    let slot = match unit {
        Some(Unit::Deg) => 0,
        Some(Unit::Min) => 1,
        Some(Unit::Sec) => 2,
        None => *next,
    };
    if slot < *next || slot > 2 || parts[slot].is_some() {
        return None;
    }
    parts[slot] = Some(v);
    *next = slot + 1;
    Some(())
}

/// A checked point from an explicit pair (used by the URL readers).
pub fn lat_lon(lat: &str, lon: &str) -> Result<LonLat, CoordError> {
    let p = |s: &str| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| CoordError::Unrecognised(s.chars().take(80).collect()))
    };
    checked(p(lat)?, p(lon)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(p: &Parsed, lat: f64, lon: f64) -> bool {
        let r = p.first();
        (r.at.lat - lat).abs() < 1e-6 && (r.at.lon - lon).abs() < 1e-6
    }

    #[test]
    fn dms_with_symbols_and_hemispheres_is_read() {
        let p = parse("40°01′10″N 46°48′04″E").expect("parse");
        assert_eq!(p.notation, Notation::Dms);
        assert!(close(
            &p,
            40.0 + 1.0 / 60.0 + 10.0 / 3600.0,
            46.8 + 4.0 / 3600.0
        ));
        assert!(!p.ambiguous);
    }

    #[test]
    fn decimal_commas_are_read_where_commas_cannot_separate() {
        for text in [
            "39,8153 46,7519",
            "39,8153; 46,7519",
            "39,8153, 46,7519",
            "N 39,8153 E 46,7519",
            "46,7519 E 39,8153 N",
        ] {
            let p = parse(text).expect(text);
            assert!(close(&p, 39.8153, 46.7519), "{text}: {p:?}");
            assert!(p.description.contains("decimal commas"), "{text}");
        }
        let p = parse("39°48′55,5″N 46°45′07,2″E").expect("dms");
        assert!(close(
            &p,
            39.0 + 48.0 / 60.0 + 55.5 / 3600.0,
            46.0 + 45.0 / 60.0 + 7.2 / 3600.0
        ));
        // A comma that can separate still does.
        let p = parse("40,46").expect("pair");
        assert!(close(&p, 40.0, 46.0));
        assert!(!p.description.contains("decimal commas"));
        // Four comma-separated groups could be split two ways: refused.
        assert!(parse("39,8153,46,7519").is_err());
    }

    #[test]
    fn russian_hemisphere_abbreviations_fix_the_order() {
        for text in [
            "39°48′55″ с. ш. 46°45′07″ в. д.",
            "39°48′55″с.ш. 46°45′07″в.д.",
            "в. д. 46°45′07″, с. ш. 39°48′55″",
        ] {
            let p = parse(text).expect(text);
            assert!(!p.ambiguous, "{text}");
            assert!(
                close(
                    &p,
                    39.0 + 48.0 / 60.0 + 55.0 / 3600.0,
                    46.0 + 45.0 / 60.0 + 7.0 / 3600.0
                ),
                "{text}: {p:?}"
            );
        }
        let p = parse("33,85 ю. ш. 151,21 в. д.").expect("south");
        assert!(close(&p, -33.85, 151.21));
        let p = parse("40.0 с. ш. 73.9 з. д.").expect("west");
        assert!(close(&p, 40.0, -73.9));
        assert!(parse("39.8 север 46.7").is_err());
    }

    #[test]
    fn hemisphere_letters_fix_the_order() {
        let p = parse("E46.8011 N40.0194").expect("parse");
        assert!(close(&p, 40.0194, 46.8011));
        let p = parse("40 01 10 S, 46 48 04 W").expect("parse");
        assert!(p.first().at.lat < 0.0 && p.first().at.lon < 0.0);
    }

    #[test]
    fn a_bare_pair_valid_both_ways_is_ambiguous() {
        let p = parse("46.80, 40.02").expect("parse");
        assert!(p.ambiguous);
        assert_eq!(p.readings.len(), 2);
        assert!((p.readings[0].at.lat - 46.80).abs() < 1e-9);
        assert!(p.readings[1].in_region);
    }

    #[test]
    fn out_of_range_and_bad_minutes_are_typed_errors() {
        assert!(matches!(
            parse("95 N, 46 E"),
            Err(CoordError::OutOfRange {
                axis: "latitude",
                ..
            })
        ));
        assert!(matches!(
            parse("40 61 N 46 E"),
            Err(CoordError::SixtyOrMore { .. })
        ));
        assert!(matches!(
            parse("120, 200"),
            Err(CoordError::PairOutOfRange(..))
        ));
        assert!(matches!(
            parse("-40 S, 46 E"),
            Err(CoordError::SignAndHemisphere(_))
        ));
    }
}
