//! Multi-script fuzzy place search over every name of every place.
//!
//! - [`normalize`]: folding names to lowercase ASCII and to phonetic skeletons.
//!
//! [`Gazetteer::new`] indexes each place's names by language, alternate
//! spellings and the parts of its display name once, when a dataset is
//! built. [`Gazetteer::search`] ranks exact matches of the folded form, then
//! prefixes (type-ahead), then equal skeletons (transliteration variants),
//! then small edit distances (typos). [`Gazetteer::lookup_folded`] is the
//! exact-form lookup the article annotator uses.
//!
//! Scores run from [`MIN_SCORE`] to 1: 1 for the spelling itself, 0.97 for
//! the same spelling in another script, 0.8–0.9 for an equal phonetic
//! skeleton, 0.55–0.85 for a prefix, 0.5–0.7 for a typo (less the more of
//! the name it changes). Nothing below [`MIN_SCORE`] is returned, so a query
//! that matches no place plausibly answers nothing; [`CONFIDENT_SCORE`] marks
//! the hits a client may take without asking.
//!
//! Owns names and their matching. It indexes plain [`NameRecord`]s, so it
//! knows nothing of how places are stored (`dataset` builds the records);
//! verdicts and HTTP are left to `locate` and `api`.

pub mod normalize;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

pub use normalize::{fold, fold_variants, skeleton, strip_marks};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Lowest score a search returns. Below it a candidate is no plausible
/// reading of the query (a typo of a different, longer name; a weak
/// phonetic likeness), so a query with nothing above it answers nothing.
/// Tuned on `tests/fixtures/search/`: every real misspelling there stays in
/// the top three and none of the 200 random strings returns anything.
pub const MIN_SCORE: f64 = 0.5;

/// From this score on a hit is the query's own spelling, the same name in
/// another script, or a transliteration variant of it: safe to take
/// without asking. Prefixes and typos score between [`MIN_SCORE`] and this.
pub const CONFIDENT_SCORE: f64 = 0.8;

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// The query has no letters or digits.
    #[error("the query is empty: give part of a place name")]
    Empty,
    /// The query is longer than [`MAX_QUERY_CHARS`].
    #[error("the query is {0} characters long; the limit is {MAX_QUERY_CHARS}")]
    TooLong(usize),
}

/// What the gazetteer indexes of one place: its names and where it is.
#[derive(Debug, Clone, Copy)]
pub struct NameRecord<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Neutral display name; its `/`-separated parts are indexed too.
    pub display_name: &'a str,
    /// `city`, `town`, `village` or `position` (ranks equal scores).
    pub kind: &'a str,
    /// Names by language, primary first.
    pub names: &'a BTreeMap<String, Vec<String>>,
    /// Other spellings met in sources.
    pub alt_names: &'a [String],
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
}

/// Where an indexed name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameSource {
    /// A name in `names` under a language key.
    Name,
    /// One of `alt_names`.
    Alternate,
    /// A part of `display_name`.
    Display,
}

/// One indexed spelling of one place.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Index into the places the gazetteer was built from.
    pub place: usize,
    /// The spelling as stored.
    pub original: String,
    /// Language key (`en`, `hy`, `az`, `ru`) for names, empty otherwise.
    pub lang: String,
    /// Where the spelling came from.
    pub source: NameSource,
    /// Folded form.
    pub folded: String,
    /// Phonetic skeleton of the folded form.
    pub skeleton: String,
    /// Script of the original: `latin`, `armenian`, `cyrillic` or `other`.
    pub script: Script,
    /// Number of words in the folded form.
    pub words: usize,
}

/// The writing system of a string, judged by its first letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// Latin letters.
    Latin,
    /// Armenian letters.
    Armenian,
    /// Cyrillic letters.
    Cyrillic,
    /// Anything else.
    Other,
}

impl Script {
    /// The script of the first letter of `s`.
    pub fn of(s: &str) -> Script {
        match s.chars().find(|c| c.is_alphabetic()) {
            Some(c) if c.is_ascii_alphabetic() || ('\u{00c0}'..='\u{024f}').contains(&c) => {
                Script::Latin
            }
            Some('\u{0531}'..='\u{058f}') => Script::Armenian,
            Some('\u{0400}'..='\u{04ff}') => Script::Cyrillic,
            _ => Script::Other,
        }
    }
}

/// Why a result matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The folded query equals a stored spelling in the same script.
    Exact,
    /// The folded query equals a spelling in another script, or their
    /// phonetic skeletons are equal.
    Transliteration,
    /// The query starts a stored spelling (or one of its words).
    Prefix,
    /// Within a small edit distance of a stored spelling.
    Typo,
}

/// The spelling a result matched and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Matched {
    /// The stored spelling.
    pub form: String,
    /// Its language key, when it is a name by language.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lang: String,
    /// Why it matched.
    pub how: MatchKind,
}

/// One ranked search result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit<'a> {
    /// Place id.
    pub id: &'a str,
    /// Dual display name.
    pub display_name: &'a str,
    /// Names by language.
    pub names: &'a BTreeMap<String, Vec<String>>,
    /// `[lon, lat]`.
    pub coordinates: [f64; 2],
    /// `city`, `town`, `village` or `position`.
    pub kind: &'a str,
    /// Score from 0 to 1, higher is better.
    pub score: f64,
    /// What matched.
    pub matched: Matched,
    /// Index into the places.
    #[serde(skip)]
    pub place: usize,
}

/// The name index over a set of places.
#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// Folded form → entries, for exact lookups.
    by_folded: HashMap<String, Vec<u32>>,
    /// Skeleton → entries.
    by_skeleton: HashMap<String, Vec<u32>>,
    places: Vec<PlaceInfo>,
    max_words: usize,
}

#[derive(Debug)]
struct PlaceInfo {
    id: String,
    display_name: String,
    kind: String,
    names: BTreeMap<String, Vec<String>>,
    coordinates: [f64; 2],
}

/// A per-place best candidate during a search.
#[derive(Clone, Copy)]
struct Cand {
    score: f64,
    entry: u32,
    how: MatchKind,
}

impl Gazetteer {
    /// Indexes every name, alternate spelling and display-name part of
    /// each record; results refer to records by their position.
    pub fn new<'a>(records: impl IntoIterator<Item = NameRecord<'a>>) -> Self {
        let mut g = Gazetteer::default();
        for (i, props) in records.into_iter().enumerate() {
            let mut add = |original: &str, lang: &str, source: NameSource| {
                let original = original.trim();
                if original.is_empty() {
                    return;
                }
                // The spelling as written and without its diacritics, as people
                // type it without an Azerbaijani or Armenian keyboard ("Quscular").
                let mut forms = fold_variants(original);
                for f in fold_variants(&strip_marks(original)) {
                    if !forms.contains(&f) {
                        forms.push(f);
                    }
                }
                for folded in forms {
                    if folded.is_empty()
                        || g.entries
                            .iter()
                            .rev()
                            .take_while(|e| e.place == i)
                            .any(|e| e.folded == folded && e.original == original)
                    {
                        continue;
                    }
                    let skel = skeleton(&folded);
                    let words = folded.split(' ').count();
                    g.max_words = g.max_words.max(words);
                    let n = g.entries.len() as u32;
                    g.by_folded.entry(folded.clone()).or_default().push(n);
                    if skel.len() >= 2 {
                        g.by_skeleton.entry(skel.clone()).or_default().push(n);
                    }
                    g.entries.push(Entry {
                        place: i,
                        original: original.to_owned(),
                        lang: lang.to_owned(),
                        source,
                        script: Script::of(original),
                        folded,
                        skeleton: skel,
                        words,
                    });
                }
            };
            for (lang, names) in props.names {
                for n in names {
                    add(n, lang, NameSource::Name);
                }
            }
            for n in props.alt_names {
                add(n, "", NameSource::Alternate);
            }
            for part in props.display_name.split('/') {
                add(part, "", NameSource::Display);
            }
            g.places.push(PlaceInfo {
                id: props.id.to_owned(),
                display_name: props.display_name.to_owned(),
                kind: props.kind.to_owned(),
                names: props.names.clone(),
                coordinates: props.coordinates,
            });
        }
        g
    }

    /// The indexed spelling `i`.
    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// Most words in any indexed spelling.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// Entries whose folded form is exactly `folded`.
    pub fn lookup_folded(&self, folded: &str) -> &[u32] {
        self.by_folded.get(folded).map_or(&[], Vec::as_slice)
    }

    /// Id and display name of place `i`.
    pub fn place_name(&self, i: usize) -> (&str, &str) {
        let p = &self.places[i];
        (&p.id, &p.display_name)
    }

    /// Kind and `[lon, lat]` of place `i`.
    pub fn place_kind_at(&self, i: usize) -> (&str, [f64; 2]) {
        let p = &self.places[i];
        (&p.kind, p.coordinates)
    }

    /// The best `limit` places for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit<'_>>, SearchError> {
        let n = query.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(SearchError::TooLong(n));
        }
        if fold_variants(query).iter().all(String::is_empty) {
            return Err(SearchError::Empty);
        }
        let mut best = HashMap::new();
        self.match_into(query, &mut best);
        // A word for the kind of place ("Parukh village", "с. Фаррух",
        // "Fərrux kəndi") is dropped only when the whole query names no place:
        // a name may hold such a word ("Kənd Horadiz" is not Horadiz).
        if !best.values().any(|c| c.score >= WHOLE_NAME_SCORE) {
            if let Some(name) = without_kind_word(query) {
                self.match_into(name, &mut best);
            }
        }
        Ok(self.ranked(best, limit))
    }

    /// Records in `best` each place's best match for `query`, by every
    /// means, where it beats the one already there.
    fn match_into(&self, query: &str, best: &mut HashMap<usize, Cand>) {
        let variants = fold_variants(query);
        let qscript = Script::of(query);
        let qlower = query.trim().to_lowercase();
        let mut offer = |entry: u32, score: f64, how: MatchKind| {
            let place = self.entries[entry as usize].place;
            let c = best.entry(place).or_insert(Cand {
                score: -1.0,
                entry,
                how,
            });
            if score > c.score {
                *c = Cand { score, entry, how };
            }
        };
        for q in variants.iter().filter(|q| !q.is_empty()) {
            let qb = q.as_bytes();
            // 1. Exact folded form.
            for &e in self.lookup_folded(q) {
                let entry = &self.entries[e as usize];
                if entry.script == qscript {
                    // The very spelling typed beats one that only folds the same.
                    let verbatim = if entry.original.to_lowercase() == qlower {
                        0.005
                    } else {
                        0.0
                    };
                    offer(e, 1.0 + primary_bonus(entry) + verbatim, MatchKind::Exact);
                } else {
                    offer(e, 0.97 + primary_bonus(entry), MatchKind::Transliteration);
                }
            }
            // 2. Equal skeletons.
            let qskel = skeleton(q);
            if qskel.len() >= 2 {
                for &e in self.by_skeleton.get(&qskel).map_or(&[][..], Vec::as_slice) {
                    let entry = &self.entries[e as usize];
                    let d = strsim::normalized_damerau_levenshtein(q, &entry.folded);
                    // A shared consonant skeleton alone is weak evidence for
                    // short names ("braxo" and "Parukh"): the letters must
                    // mostly agree as well.
                    if d < 0.5 {
                        continue;
                    }
                    offer(
                        e,
                        0.80 + 0.1 * d + primary_bonus(entry),
                        MatchKind::Transliteration,
                    );
                }
            }
            // 3. Prefixes and 4. typos: one scan, cheap tests first.
            // One changed letter in four is a different word, not a typo.
            let max_typos = match qb.len() {
                0..=4 => 0,
                5..=7 => 1,
                8..=12 => 2,
                _ => 3,
            };
            for (i, entry) in self.entries.iter().enumerate() {
                let f = entry.folded.as_bytes();
                if f.len() > qb.len() && (f.starts_with(qb) || word_prefix(f, qb)) {
                    let whole = f.starts_with(qb);
                    let s = 0.6 + 0.25 * (qb.len() as f64 / f.len() as f64)
                        - if whole { 0.0 } else { 0.05 };
                    offer(i as u32, s + primary_bonus(entry), MatchKind::Prefix);
                    continue;
                }
                if max_typos > 0 {
                    if let Some(d) = normalize::bounded_osa(qb, f, max_typos) {
                        if d > 0 {
                            let s = 0.7 * (1.0 - d as f64 / qb.len().max(f.len()) as f64);
                            offer(i as u32, s + primary_bonus(entry), MatchKind::Typo);
                        }
                    }
                    // Typos in a transliteration: compare skeletons too.
                    if qskel.len() >= 3 && entry.skeleton.len() >= 3 {
                        if let Some(d) =
                            normalize::bounded_osa(qskel.as_bytes(), entry.skeleton.as_bytes(), 1)
                        {
                            if d > 0 {
                                let s = 0.45
                                    * (1.0
                                        - d as f64 / qskel.len().max(entry.skeleton.len()) as f64);
                                offer(i as u32, s + primary_bonus(entry), MatchKind::Typo);
                            }
                        }
                    }
                }
            }
        }
    }

    fn ranked(&self, best: HashMap<usize, Cand>, limit: usize) -> Vec<Hit<'_>> {
        let mut ranked: Vec<(usize, Cand)> = best
            .into_iter()
            .filter(|(_, c)| c.score >= MIN_SCORE)
            .collect();
        ranked.sort_by(|a, b| {
            b.1.score
                .total_cmp(&a.1.score)
                .then_with(|| {
                    kind_rank(&self.places[a.0].kind).cmp(&kind_rank(&self.places[b.0].kind))
                })
                .then_with(|| self.places[a.0].id.cmp(&self.places[b.0].id))
                .then_with(|| a.0.cmp(&b.0))
        });
        ranked
            .into_iter()
            .take(limit)
            .map(|(place, c)| self.hit(place, c))
            .collect()
    }

    fn hit(&self, place: usize, c: Cand) -> Hit<'_> {
        let p = &self.places[place];
        let e = &self.entries[c.entry as usize];
        Hit {
            id: &p.id,
            display_name: &p.display_name,
            names: &p.names,
            coordinates: p.coordinates,
            kind: &p.kind,
            score: (c.score.min(1.0) * 1000.0).round() / 1000.0,
            matched: Matched {
                form: e.original.clone(),
                lang: e.lang.clone(),
                how: c.how,
            },
            place,
        }
    }
}

/// The lowest score of a whole name: its own spelling or another script's.
const WHOLE_NAME_SCORE: f64 = 0.97;

/// Words that say what kind of place a name is, written before it
/// (English, Russian and its abbreviations) or after it (English,
/// Azerbaijani, Armenian).
const KIND_WORDS_BEFORE: &[&str] = &[
    "village",
    "town",
    "city",
    "settlement",
    "село",
    "с.",
    "деревня",
    "д.",
    "посёлок",
    "поселок",
    "пос.",
    "п.",
    "город",
    "г.",
    "пгт",
];
const KIND_WORDS_AFTER: &[&str] = &[
    "village",
    "town",
    "city",
    "settlement",
    "kənd",
    "kəndi",
    "şəhər",
    "şəhəri",
    "qəsəbə",
    "qəsəbəsi",
    "գյուղ",
    "քաղաք",
    "ավան",
];

/// `query` without a word for the kind of place before or after the name
/// ("village of Parukh", "с.Фаррух", "Şuşa şəhəri"); `None` when it has none
/// or is nothing else.
fn without_kind_word(query: &str) -> Option<&str> {
    let mut rest = query.trim();
    // Before: a word and a space, or an abbreviation against the name.
    if let Some(w) = KIND_WORDS_BEFORE.iter().find(|w| {
        rest.get(..w.len())
            .is_some_and(|head| head.to_lowercase() == **w)
            && rest[w.len()..].starts_with(|c: char| c.is_whitespace() || w.ends_with('.'))
    }) {
        rest = rest[w.len()..].trim_start();
        if let Some(of) = rest.get(..3).filter(|of| of.eq_ignore_ascii_case("of ")) {
            rest = rest[of.len()..].trim_start();
        }
    }
    if let Some((name, last)) = rest.rsplit_once(char::is_whitespace) {
        if KIND_WORDS_AFTER.contains(&last.to_lowercase().as_str()) {
            rest = name.trim_end();
        }
    }
    (rest.len() < query.trim().len() && !rest.is_empty()).then_some(rest)
}

/// Names by language outrank alternates a little, so a spelling that is one
/// place's name and another's historic alias goes to the first.
fn primary_bonus(e: &Entry) -> f64 {
    match e.source {
        NameSource::Name | NameSource::Display => 0.01,
        NameSource::Alternate => 0.0,
    }
}

fn kind_rank(kind: &str) -> u8 {
    match kind {
        "city" => 0,
        "town" => 1,
        "village" => 2,
        _ => 3,
    }
}

/// Whether `q` starts a later word of `f`.
fn word_prefix(f: &[u8], q: &[u8]) -> bool {
    f.iter()
        .enumerate()
        .filter(|&(_, &b)| b == b' ')
        .any(|(i, _)| f[i + 1..].starts_with(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An owned place for the records to borrow from.
    struct Fixture {
        id: &'static str,
        display: &'static str,
        names: BTreeMap<String, Vec<String>>,
        alt: Vec<String>,
    }

    fn place(
        id: &'static str,
        display: &'static str,
        names: &[(&str, &[&str])],
        alt: &[&str],
    ) -> Fixture {
        Fixture {
            id,
            display,
            names: names
                .iter()
                .map(|(l, n)| ((*l).to_owned(), n.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
            alt: alt.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn fixture() -> Gazetteer {
        let places = [
            place(
                "parukh",
                "Parukh / Farrukh",
                &[
                    ("en", &["Parukh", "Farrukh"]),
                    ("hy", &["Փառուխ"]),
                    ("az", &["Fərrux"]),
                    ("ru", &["Фаррух"]),
                ],
                &["Farukh", "Furukh"],
            ),
            place(
                "stepanakert",
                "Stepanakert / Khankendi",
                &[
                    ("en", &["Stepanakert", "Khankendi"]),
                    ("hy", &["Ստեփանակերտ"]),
                    ("az", &["Xankəndi"]),
                    ("ru", &["Степанакерт"]),
                ],
                &[],
            ),
            place(
                "khramort",
                "Khramort / Pirlar",
                &[("en", &["Khramort", "Pirlar"])],
                &[],
            ),
        ];
        gazetteer_of(&places)
    }

    /// A gazetteer of villages at one point, to test names alone.
    fn gazetteer_of(places: &[Fixture]) -> Gazetteer {
        Gazetteer::new(places.iter().map(|p| NameRecord {
            id: p.id,
            display_name: p.display,
            kind: "village",
            names: &p.names,
            alt_names: &p.alt,
            coordinates: [46.9, 39.9],
        }))
    }

    #[test]
    fn every_spelling_of_parukh_finds_it_first() {
        let g = fixture();
        for q in [
            "Փառուխ",
            "Фаррух",
            "Fərrux",
            "Farukh",
            "Furukh",
            "Farrukh",
            "Parukh",
            "parukh",
            "Faruh",
        ] {
            let hits = g.search(q, 3).expect("search");
            assert_eq!(hits[0].id, "parukh", "{q}");
        }
    }

    #[test]
    fn a_word_for_the_kind_of_place_is_read_past_in_each_language() {
        let g = fixture();
        for q in [
            "Parukh village",
            "village of Parukh",
            "Village Farrukh",
            "село Фаррух",
            "с. Фаррух",
            "С.Фаррух",
            "Fərrux kəndi",
            "Փառուխ գյուղ",
            "city of Stepanakert",
            "г. Степанакерт",
            "Xankəndi şəhəri",
        ] {
            let top = &g.search(q, 3).expect("search")[0];
            let bare = without_kind_word(q).expect(q);
            assert_eq!(top.id, g.search(bare, 1).expect("search")[0].id, "{q}");
            assert!(top.score >= CONFIDENT_SCORE, "{q}: {}", top.score);
        }
        // Nothing but the word, or a word inside a name, is left alone.
        for q in ["village", "г.", "Villageton", "Parukh"] {
            assert_eq!(without_kind_word(q), None, "{q}");
        }
    }

    #[test]
    fn a_name_that_holds_a_kind_word_is_matched_whole_first() {
        let g = gazetteer_of(&[
            place("horadiz", "Horadiz", &[("az", &["Horadiz"])], &[]),
            place(
                "horadiz_village",
                "Kənd Horadiz",
                &[("az", &["Kənd Horadiz"])],
                &[],
            ),
            place("kend", "Kənd", &[("az", &["Kənd"])], &[]),
        ]);
        assert_eq!(
            g.search("Kənd Horadiz", 3).expect("search")[0].id,
            "horadiz_village"
        );
        assert_eq!(
            g.search("Horadiz kəndi", 3).expect("search")[0].id,
            "horadiz"
        );
        assert_eq!(g.search("Kənd", 3).expect("search")[0].id, "kend");
    }

    #[test]
    fn prefixes_serve_type_ahead() {
        let g = fixture();
        let hits = g.search("Stepa", 3).expect("search");
        assert_eq!(hits[0].id, "stepanakert");
        assert_eq!(hits[0].matched.how, MatchKind::Prefix);
    }

    #[test]
    fn empty_and_overlong_queries_are_errors() {
        let g = fixture();
        assert_eq!(g.search(" -/ ", 3).err(), Some(SearchError::Empty));
        assert!(matches!(
            g.search(&"a".repeat(300), 3),
            Err(SearchError::TooLong(300))
        ));
    }
}
