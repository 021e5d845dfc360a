//! Article annotation: the gazetteer places and the coordinates a text
//! mentions, with spans, and each place's status on the article's date.
//!
//! The text is cut into words (runs of letters and digits in any script),
//! and at each word the longest run of up to [`Gazetteer::max_words`] words
//! whose folded form is an indexed spelling is a mention. Precision rules:
//! whole words only; the first letter must be a capital in scripts with
//! case; a short stop list of spellings that are mostly something else is
//! never matched alone; names that are also common words must be
//! capitalised, not in all capitals and not sentence-initial. Russian,
//! Armenian and Azerbaijani case endings are tried when a word matches
//! nothing (Azerbaijani ones only on a word with an Azerbaijani letter). A
//! spelling shared by several places is returned with all of them as
//! candidates.
//!
//! Owns text scanning; names come from `gazetteer`, notations from
//! `coords`, statuses from `locate`.

use serde::Serialize;

use crate::coords;
use crate::dataset::Dataset;
use crate::date::Day;
use crate::gazetteer::normalize::fold_into;
use crate::gazetteer::{Gazetteer, NameSource, Script};
use crate::geodesy::LonLat;
use crate::locate::verdict::CheckMemo;
use crate::locate::{Status, StatusChange};

/// Spellings never matched as a lone word: they are mostly something else.
const STOP: &[&str] = &["tag", "hak", "kirov", "op", "no", "post"];

/// Spellings that are also common words or names: matched alone only when
/// capitalised, not in all capitals and not at the start of a sentence.
const COMMON: &[&str] = &[
    "sos", "tog", "tug", "tsar", "tzar", "bina", "kish", "sus", "susa", "vang", "akna", "arjun",
    "gish", "tumi", "zar", "domi", "tartar", "lachin",
];

/// Why an annotation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    /// The text is larger than the limit.
    #[error("the text is {0} bytes long; the limit is {MAX_TEXT_BYTES}")]
    TooLong(usize),
    /// The text mentions more places and coordinates than one answer holds.
    #[error("the text has {0} mentions of places and coordinates; the limit is {MAX_MENTIONS}")]
    TooManyMentions(usize),
}

/// Largest text annotated, bytes: a long article is a few tens of KB, and
/// the answer grows to about 25 times the text, so this bounds each answer
/// to a few MB.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// Most mentions (places and coordinates together) in one answer.
pub const MAX_MENTIONS: usize = 5_000;

/// A stretch of the text, in Unicode scalar values and in UTF-8 bytes
/// (both half-open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Span {
    /// `[start, end)` in characters (Unicode scalar values).
    pub chars: [usize; 2],
    /// `[start, end)` in bytes.
    pub bytes: [usize; 2],
}

/// A place as a mention names it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlaceRef {
    /// Place id.
    pub id: String,
    /// Dual display name.
    pub display_name: String,
    /// `city`, `town`, `village` or `position`.
    pub kind: String,
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
    /// The verdict at the place on the date (`inside_zone`, ...), when dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// Who held the place on the date per its curated timeline, when dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<&'static str>,
    /// Whether the place lies within the boundary's accuracy plus its own
    /// position accuracy of the boundary, so `status` is not sure; when
    /// dated and a zone existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_boundary: Option<bool>,
    /// The place's status changed the day after the date or on the date
    /// itself: a report of that day may describe either side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_change: Option<StatusChange>,
    #[serde(skip)]
    index: usize,
}

/// One mention of a gazetteer place.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Mention {
    /// The text as written.
    pub text: String,
    /// Where it is.
    pub span: Span,
    /// The stored spelling it matched.
    pub matched_form: String,
    /// `exact`, `transliteration` or `inflected`.
    pub how: &'static str,
    /// The place, when the spelling names one place only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    /// Whether several places share the spelling.
    pub ambiguous: bool,
    /// Every place with this spelling, when ambiguous.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<PlaceRef>,
}

/// A coordinate written in the text.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoordMention {
    /// The text as written.
    pub text: String,
    /// Where it is.
    pub span: Span,
    /// What was read.
    pub parsed: coords::Parsed,
    /// The verdict at the (preferred) reading on the date, when dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// Whether the reading lies within the boundary's accuracy of it, when
    /// dated and a zone existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_boundary: Option<bool>,
    /// The status there changed the day after the date or on the date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_change: Option<StatusChange>,
}

/// Everything found in one text.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Annotation {
    /// The date statuses are given for (`YYYY-MM-DD`), if any.
    pub date: Option<String>,
    /// `request` when given, `article` when read from the text, else null.
    pub date_source: Option<&'static str>,
    /// Place mentions in text order.
    pub mentions: Vec<Mention>,
    /// Coordinates in text order.
    pub coordinates: Vec<CoordMention>,
}

/// Annotates `text` against a dataset, with statuses on `date` or on the
/// article's own date.
pub fn annotate(ds: &Dataset, text: &str, date: Option<Day>) -> Result<Annotation, AnnotateError> {
    let mut a = annotate_text(&ds.gazetteer, text, date)?;
    let mentions = a.mentions.len() + a.coordinates.len();
    if mentions > MAX_MENTIONS {
        return Err(AnnotateError::TooManyMentions(mentions));
    }
    let day = a.date.as_deref().and_then(|d| d.parse::<Day>().ok());
    if let Some(day) = day {
        let fill = |p: &mut PlaceRef| {
            let place = &ds.places[p.index];
            // As `locate?q=` answers for a place: its own accuracy counts.
            let s = PointStatus::on(ds, place.at, day, place.accuracy_m);
            (p.status, p.near_boundary, p.status_change) = (s.status, s.near_boundary, s.change);
            p.control = place
                .props
                .status_on(day)
                .map(crate::dataset::ControlStatus::as_str);
        };
        for m in &mut a.mentions {
            m.place.iter_mut().for_each(fill);
            m.candidates.iter_mut().for_each(fill);
        }
        for c in &mut a.coordinates {
            let s = PointStatus::on(ds, c.parsed.preferred().at, day, 0.0);
            (c.status, c.near_boundary, c.status_change) = (s.status, s.near_boundary, s.change);
        }
    }
    Ok(a)
}

/// What an annotation says of a point on a date, as `locate` reports it.
struct PointStatus {
    status: Option<&'static str>,
    /// Only where a zone exists to be near.
    near_boundary: Option<bool>,
    change: Option<StatusChange>,
}

impl PointStatus {
    fn on(ds: &Dataset, at: LonLat, day: Day, uncertainty_m: f64) -> Self {
        // One memo: the change looks at the neighbouring days' same regions.
        let mut memo = CheckMemo::new(at);
        let v = memo.verdict(ds, day, uncertainty_m);
        PointStatus {
            status: Some(v.status.as_str()),
            near_boundary: (v.status != Status::NoZone).then_some(v.near_boundary),
            change: memo.status_change(ds, day),
        }
    }
}

/// A word of the text.
struct Word {
    bytes: [usize; 2],
    chars: [usize; 2],
    folded: String,
    /// The `ə → a` reading, when it differs.
    folded_a: Option<String>,
    script: Script,
}

/// Annotates `text` against a gazetteer alone (no statuses).
pub fn annotate_text(
    gaz: &Gazetteer,
    text: &str,
    date: Option<Day>,
) -> Result<Annotation, AnnotateError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(AnnotateError::TooLong(text.len()));
    }
    let words = words(text);
    let (date, date_source) = match date {
        Some(d) => (Some(d), Some("request")),
        None => match article_date(text, &words) {
            Some(d) => (Some(d), Some("article")),
            None => (None, None),
        },
    };
    Ok(Annotation {
        date: date.map(|d| d.to_string()),
        date_source,
        mentions: mentions(gaz, text, &words),
        coordinates: coordinates(text),
    })
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut start: Option<(usize, usize)> = None;
    let mut nchar = 0;
    let mut buf = String::new();
    let mut push = |s: usize, cs: usize, e: usize, ce: usize, out: &mut Vec<Word>| {
        let w = &text[s..e];
        fold_into(w, 'e', &mut buf);
        let folded_a = w.contains(['ə', 'Ə']).then(|| {
            let mut a = String::new();
            fold_into(w, 'a', &mut a);
            a
        });
        out.push(Word {
            bytes: [s, e],
            chars: [cs, ce],
            folded: buf.clone(),
            folded_a,
            script: Script::of(w),
        });
    };
    for (i, c) in text.char_indices() {
        let inside = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        match (inside, start) {
            (true, None) => start = Some((i, nchar)),
            (false, Some((s, cs))) => {
                push(s, cs, i, nchar, &mut out);
                start = None;
            }
            _ => {}
        }
        nchar += 1;
    }
    if let Some((s, cs)) = start {
        push(s, cs, text.len(), nchar, &mut out);
    }
    out
}

/// Whether two neighbouring words may belong to one multi-word name.
fn joinable(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.bytes[1]..b.bytes[0]];
    gap.len() <= 3
        && gap
            .chars()
            .all(|c| c == ' ' || c == '-' || c == '\u{a0}' || c == '\u{2011}')
}

fn sentence_initial(text: &str, w: &Word) -> bool {
    let before = text[..w.bytes[0]]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '«' | '(' | '\''));
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':'])
}

fn mentions(gaz: &Gazetteer, text: &str, words: &[Word]) -> Vec<Mention> {
    let mut out = Vec::new();
    let max = gaz.max_words().max(1);
    let mut key = String::new();
    let mut i = 0;
    while i < words.len() {
        let first = &text[words[i].bytes[0]..words[i].bytes[1]];
        let starts_capital = first.chars().next().is_some_and(|c| !c.is_lowercase());
        let found = if starts_capital && !words[i].folded.is_empty() {
            let mut n = 1;
            while n < max && i + n < words.len() && joinable(text, &words[i + n - 1], &words[i + n])
            {
                n += 1;
            }
            // The longest name that matches, else an inflected single word.
            (1..=n)
                .rev()
                .find_map(|len| Some((match_at(gaz, text, words, i, len, &mut key)?, len)))
                .or_else(|| inflected(gaz, text, &words[i]).map(|m| (m, 1)))
        } else {
            None
        };
        if let Some((m, len)) = found {
            out.push(m);
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

fn match_at(
    gaz: &Gazetteer,
    text: &str,
    words: &[Word],
    i: usize,
    len: usize,
    key: &mut String,
) -> Option<Mention> {
    let ws = &words[i..i + len];
    for alt in [false, true] {
        if alt && ws.iter().all(|w| w.folded_a.is_none()) {
            break;
        }
        key.clear();
        for (k, w) in ws.iter().enumerate() {
            if k > 0 {
                key.push(' ');
            }
            key.push_str(if alt {
                w.folded_a.as_deref().unwrap_or(&w.folded)
            } else {
                &w.folded
            });
        }
        let entries = gaz.lookup_folded(key);
        if entries.is_empty() || !acceptable(text, ws, key) {
            continue;
        }
        return Some(mention(gaz, text, ws, entries, false));
    }
    None
}

fn acceptable(text: &str, ws: &[Word], key: &str) -> bool {
    if ws.len() > 1 {
        return true;
    }
    let w = &ws[0];
    let raw = &text[w.bytes[0]..w.bytes[1]];
    if key.len() <= 2 || key.bytes().all(|b| b.is_ascii_digit()) || STOP.contains(&key) {
        return false;
    }
    if w.script == Script::Latin && COMMON.contains(&key) {
        let all_caps = raw
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        return !all_caps && !sentence_initial(text, w);
    }
    true
}

fn mention(gaz: &Gazetteer, text: &str, ws: &[Word], entries: &[u32], inflected: bool) -> Mention {
    let first = &ws[0];
    let last = &ws[ws.len() - 1];
    let span = Span {
        chars: [first.chars[0], last.chars[1]],
        bytes: [first.bytes[0], last.bytes[1]],
    };
    // Per place, the entry written like the text (same script, same
    // letters) is the matched form; places with the spelling as a name
    // come before places with it only as an alternate.
    let raw = &text[span.bytes[0]..span.bytes[1]];
    let rank = |e: &crate::gazetteer::Entry| {
        (
            e.script != first.script,
            !e.original.eq_ignore_ascii_case(raw),
        )
    };
    let mut sorted: Vec<usize> = entries.iter().map(|&e| e as usize).collect();
    sorted.sort_unstable_by_key(|&e| gaz.entry(e).place);
    // (only an alternate here, place, chosen entry)
    let mut places: Vec<(bool, usize, usize)> = Vec::new();
    for e in sorted {
        let entry = gaz.entry(e);
        let alternate = entry.source == NameSource::Alternate;
        match places.last_mut() {
            Some(p) if p.1 == entry.place => {
                if rank(entry) < rank(gaz.entry(p.2)) {
                    p.2 = e;
                }
                p.0 &= alternate;
            }
            _ => places.push((alternate, entry.place, e)),
        }
    }
    places.sort_by_key(|p| (p.0, p.1));
    let best = gaz.entry(places[0].2);
    let how = if inflected {
        "inflected"
    } else if best.script == first.script {
        "exact"
    } else {
        "transliteration"
    };
    let refs: Vec<PlaceRef> = places.iter().map(|p| place_ref(gaz, p.1)).collect();
    let ambiguous = refs.len() > 1;
    Mention {
        text: text[span.bytes[0]..span.bytes[1]].to_owned(),
        span,
        matched_form: best.original.clone(),
        how,
        place: refs.first().filter(|_| !ambiguous).cloned(),
        ambiguous,
        candidates: if ambiguous { refs } else { Vec::new() },
    }
}

fn place_ref(gaz: &Gazetteer, index: usize) -> PlaceRef {
    let (id, display_name) = gaz.place_name(index);
    let (kind, coordinates) = gaz.place_kind_at(index);
    PlaceRef {
        id: id.to_owned(),
        display_name: display_name.to_owned(),
        kind: kind.to_owned(),
        coordinates,
        status: None,
        control: None,
        near_boundary: None,
        status_change: None,
        index,
    }
}

/// Russian, Armenian and Azerbaijani case endings: the folded ending and
/// what replaces it. Azerbaijani ones (Latin script) are tried only on a
/// word holding an Azerbaijani letter ([`AZERBAIJANI_LETTERS`]), so English
/// words are never cut; longer endings come first.
const ENDINGS: &[(Script, &str, &str)] = &[
    // Azerbaijani: locative -da/-də, ablative -dan/-dən, dative -a/-ə/-ya/-yə,
    // genitive -ın/-in/-un/-ün/-nın/-nin/-nun/-nün, "the one in" -dakı/-dəki.
    (Script::Latin, "daki", ""),
    (Script::Latin, "deki", ""),
    (Script::Latin, "dan", ""),
    (Script::Latin, "den", ""),
    (Script::Latin, "nin", ""),
    (Script::Latin, "nun", ""),
    (Script::Latin, "da", ""),
    (Script::Latin, "de", ""),
    (Script::Latin, "ya", ""),
    (Script::Latin, "ye", ""),
    (Script::Latin, "in", ""),
    (Script::Latin, "un", ""),
    (Script::Latin, "a", ""),
    (Script::Latin, "e", ""),
    (Script::Cyrillic, "e", ""),
    (Script::Cyrillic, "e", "a"),
    (Script::Cyrillic, "u", "a"),
    (Script::Cyrillic, "y", "a"),
    (Script::Cyrillic, "i", "a"),
    (Script::Cyrillic, "oy", "a"),
    (Script::Cyrillic, "om", ""),
    (Script::Cyrillic, "a", ""),
    (Script::Cyrillic, "u", ""),
    (Script::Armenian, "um", ""),
    (Script::Armenian, "its", ""),
    (Script::Armenian, "i", ""),
    (Script::Armenian, "y", ""),
    (Script::Armenian, "n", ""),
    (Script::Armenian, "ov", ""),
];

/// Letters only Azerbaijani Latin uses among the languages of the sources.
const AZERBAIJANI_LETTERS: &[char] = &['ə', 'Ə', 'ı', 'ş', 'Ş', 'ç', 'Ç', 'ğ', 'ö', 'Ö', 'ü', 'Ü'];

fn inflected(gaz: &Gazetteer, text: &str, w: &Word) -> Option<Mention> {
    let azerbaijani =
        w.script == Script::Latin && text[w.bytes[0]..w.bytes[1]].contains(AZERBAIJANI_LETTERS);
    if !(matches!(w.script, Script::Cyrillic | Script::Armenian) || azerbaijani)
        || w.folded.len() < 5
    {
        return None;
    }
    let mut key = String::new();
    for &(script, ending, with) in ENDINGS {
        if script != w.script {
            continue;
        }
        if let Some(stem) = w.folded.strip_suffix(ending) {
            if stem.len() < 4 {
                continue;
            }
            key.clear();
            key.push_str(stem);
            key.push_str(with);
            let entries = gaz.lookup_folded(&key);
            if !entries.is_empty() && !STOP.contains(&key.as_str()) {
                return Some(mention(gaz, text, std::slice::from_ref(w), entries, true));
            }
        }
    }
    None
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("հունվարի", 1),
    ("փետրվարի", 2),
    ("մարտի", 3),
    ("ապրիլի", 4),
    ("մայիսի", 5),
    ("հունիսի", 6),
    ("հուլիսի", 7),
    ("օգոստոսի", 8),
    ("սեպտեմբերի", 9),
    ("հոկտեմբերի", 10),
    ("նոյեմբերի", 11),
    ("դեկտեմբերի", 12),
];

/// The first date the text states: `2022-03-24`, `24 March 2022`,
/// `March 24, 2022`, `24 марта 2022`, `մարտի 24, 2022`.
fn article_date(text: &str, words: &[Word]) -> Option<Day> {
    let raw = |w: &Word| &text[w.bytes[0]..w.bytes[1]];
    let num = |w: &Word, max: u32| {
        raw(w)
            .parse::<u32>()
            .ok()
            .filter(|&n| (1..=max).contains(&n))
    };
    let year = |w: &Word| {
        raw(w)
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
    };
    let month = |w: &Word| {
        let l = raw(w).to_lowercase();
        MONTHS.iter().find(|(m, _)| *m == l).map(|&(_, n)| n)
    };
    for i in 0..words.len() {
        let w = |k: usize| words.get(i + k);
        // 2022-03-24
        if let (Some(y), Some(m), Some(d)) = (w(0).and_then(year), w(1), w(2)) {
            let iso = text[words[i].bytes[0]..d.bytes[1]].len() == 10
                && text[words[i].bytes[1]..m.bytes[0]] == *"-"
                && text[m.bytes[1]..d.bytes[0]] == *"-";
            if iso {
                if let (Some(mm), Some(dd)) = (num(m, 12), num(d, 31)) {
                    if let Some(day) = Day::from_ymd(y, mm, dd) {
                        return Some(day);
                    }
                }
            }
        }
        // 24 March 2022 / March 24, 2022
        if let (Some(a), Some(b), Some(c)) = (w(0), w(1), w(2)) {
            let found = match (num(a, 31), month(a)) {
                (Some(d), _) => month(b).zip(year(c)).map(|(m, y)| (y, m, d)),
                (None, Some(m)) => num(b, 31).zip(year(c)).map(|(d, y)| (y, m, d)),
                _ => None,
            };
            if let Some((y, m, d)) = found {
                if let Some(day) = Day::from_ymd(y, m, d) {
                    return Some(day);
                }
            }
        }
    }
    None
}

/// Characters a written coordinate may contain besides digits.
const COORDINATE_CHARS: &str = " .,°º˚′'’″\"”+-−NSEW";

fn coordinate_char(c: char) -> bool {
    c.is_ascii_digit() || COORDINATE_CHARS.contains(c)
}

/// Coordinates written in the text: map links, MGRS, and angle pairs with
/// a degree sign, a hemisphere letter or two decimals each.
#[allow(clippy::many_single_char_names)] // i, j, b, c: a scanner's usual names
fn coordinates(text: &str) -> Vec<CoordMention> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let prev_alnum = i > 0 && chars[i - 1].1.is_alphanumeric();
        // Links.
        if !prev_alnum && (text[b..].starts_with("http://") || text[b..].starts_with("https://")) {
            let mut j = i;
            while j < chars.len() && !chars[j].1.is_whitespace() {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |x| x.0);
            let link = text[b..end].trim_end_matches(['.', ',', ')', ';']);
            if let Ok(parsed) = coords::url::parse(link) {
                out.push(coord_mention(text, &chars, i, b + link.len(), parsed));
            }
            i = j;
            continue;
        }
        let starts = !prev_alnum
            && (c.is_ascii_digit()
                || (matches!(c, 'N' | 'S' | 'E' | 'W' | '-' | '[')
                    && chars.get(i + 1).is_some_and(|n| n.1.is_ascii_digit())));
        if !starts {
            i += 1;
            continue;
        }
        // MGRS: 38TNK 12345 67890.
        let mut j = i;
        while j < chars.len()
            && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == ' ')
            && j - i < 24
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |x| x.0);
        let cand = text[b..end].trim_end();
        if cand.len() > 6 && cand.as_bytes()[..3].iter().any(u8::is_ascii_alphabetic) {
            // Try the longest grid-shaped prefix first.
            let mut parts: Vec<&str> = cand.split(' ').collect();
            while !parts.is_empty() {
                let s = parts.join(" ");
                if let Ok(Some(parsed)) = coords::grid::parse(&s) {
                    out.push(coord_mention(text, &chars, i, b + s.len(), parsed));
                    i += s.chars().count();
                    break;
                }
                parts.pop();
            }
            if parts.is_empty() {
                i += 1;
            }
            continue;
        }
        // Angle pairs.
        let mut j = i + 1;
        while j < chars.len() {
            // Russian hemisphere abbreviations (`с. ш.`) are part of the pair.
            if matches!(chars[j].1, 'с' | 'ю' | 'в' | 'з' | 'С' | 'Ю' | 'В' | 'З') {
                let ahead: Vec<char> = chars[j..chars.len().min(j + 8)]
                    .iter()
                    .map(|c| c.1)
                    .collect();
                if let Some((_, len)) = coords::angles::russian_hemisphere(&ahead, 0) {
                    j += len;
                    continue;
                }
            }
            if !coordinate_char(chars[j].1) {
                break;
            }
            // A hemisphere letter must stand alone, not start a word.
            if matches!(chars[j].1, 'N' | 'S' | 'E' | 'W')
                && chars.get(j + 1).is_some_and(|n| n.1.is_alphabetic())
            {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |x| x.0);
        let cand = text[b..end].trim_end_matches([' ', ',', '.', '-']);
        if plausible(cand) {
            if let Ok(parsed) = coords::parse(cand) {
                if matches!(
                    parsed.notation,
                    coords::Notation::Decimal | coords::Notation::Dms | coords::Notation::Ddm
                ) {
                    out.push(coord_mention(text, &chars, i, b + cand.len(), parsed));
                }
            }
        }
        i = j.max(i + 1);
    }
    out
}

fn plausible(s: &str) -> bool {
    // Any letter is a hemisphere: `N`, or `с. ш.` as the scanner took it in.
    if s.contains(['°', 'º', '˚']) || s.contains(char::is_alphabetic) {
        return true;
    }
    // Bare decimals: two numbers with at least two decimals each.
    let b = s.as_bytes();
    let decimals = (0..b.len())
        .filter(|&k| {
            b[k] == b'.'
                && b.get(k + 1).is_some_and(u8::is_ascii_digit)
                && b.get(k + 2).is_some_and(u8::is_ascii_digit)
        })
        .count();
    decimals >= 2
}

fn coord_mention(
    text: &str,
    chars: &[(usize, char)],
    start: usize,
    end_byte: usize,
    parsed: coords::Parsed,
) -> CoordMention {
    let b0 = chars[start].0;
    let len_chars = text[b0..end_byte].chars().count();
    CoordMention {
        text: text[b0..end_byte].to_owned(),
        span: Span {
            chars: [start, start + len_chars],
            bytes: [b0, end_byte],
        },
        parsed,
        status: None,
        near_boundary: None,
        status_change: None,
    }
}
