//! The gazetteer over every settlement of `geodata/`: each stored name, its
//! lowercase diacritic-free form and a one-letter typo find the place in the
//! top three. Reads the settlement files directly (no derived layers).

use std::collections::{BTreeMap, BTreeSet};

use contactline::dataset::{Place, PlaceProps};
use contactline::gazetteer::Gazetteer;
use contactline::geodesy::LonLat;
use unicode_normalization::UnicodeNormalization;

fn settlements() -> Vec<Place> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("geodata/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("settlements-") && n.ends_with(".geojson"))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).expect("read")).expect("json");
        for feat in v["features"].as_array().expect("features") {
            let c = &feat["geometry"]["coordinates"];
            let props: PlaceProps =
                serde_json::from_value(feat["properties"].clone()).expect("props");
            out.push(Place::new(
                LonLat::new(c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat")),
                props,
                Vec::new(),
                500.0,
                true,
            ));
        }
    }
    out
}

/// Lowercase with combining marks removed (the "diacritic-stripped" form).
fn stripped(s: &str) -> String {
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// A deterministic one-letter typo: the middle letter replaced by another
/// letter of the same script (`z`/`y` for Latin, neighbours in the alphabet otherwise).
fn typo(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (1..chars.len().saturating_sub(1))
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if chars.len() < 5 || letters.is_empty() {
        return None;
    }
    let i = letters[letters.len() / 2];
    let c = chars[i];
    let r = if c.is_ascii() {
        if c == 'z' {
            'y'
        } else {
            'z'
        }
    } else {
        char::from_u32(c as u32 + 1)
            .filter(|n| n.is_alphabetic())
            .unwrap_or('z')
    };
    let mut out = chars;
    out[i] = r;
    Some(out.into_iter().collect())
}

#[test]
fn every_settlement_is_found_by_each_name_its_plain_form_and_a_typo() {
    let places = settlements();
    assert!(
        places.len() > 100,
        "expected the full settlement list, got {}",
        places.len()
    );
    let g = Gazetteer::new(places.iter().map(Place::name_record));
    // Which ids carry each folded spelling: a spelling shared by several
    // places (two villages named Mets Shen; "Aghdam" for the town and for
    // Akaku; "Vank"/"Veng" for two villages; "Chardakhly"; "Qarabulaq";
    // "Aghjakend") may rank another holder first, so any holder counts.
    let mut holders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in &places {
        for n in all_names(&p.props) {
            holders
                .entry(contactline::gazetteer::fold(&n))
                .or_default()
                .insert(p.props.id.clone());
        }
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for p in &places {
        for name in all_names(&p.props) {
            let accept: BTreeSet<String> = holders
                .get(&contactline::gazetteer::fold(&name))
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .chain([p.props.id.clone()])
                .collect();
            let mut queries = vec![(name.clone(), "name"), (stripped(&name), "plain")];
            if let Some(t) = typo(&name) {
                queries.push((t, "typo"));
            }
            for (q, what) in queries {
                checked += 1;
                let hits = g.search(&q, 3).expect("search");
                if !hits
                    .iter()
                    .any(|h| h.id == p.props.id || (what != "typo" && accept.contains(h.id)))
                {
                    failures.push(format!(
                        "{} ({what} {q:?}): got {:?}",
                        p.props.id,
                        hits.iter().map(|h| h.id).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    // A typo may turn a short name into another real name; allow a tiny
    // fraction of typo misses, never a miss on a stored name or its plain form.
    let hard: Vec<&String> = failures.iter().filter(|f| !f.contains("(typo ")).collect();
    assert!(
        hard.is_empty(),
        "{} of {checked} lookups failed:\n{}",
        hard.len(),
        failures.join("\n")
    );
    assert!(
        failures.len() * 100 <= checked,
        "{} of {checked} typo lookups failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_word_for_village_in_the_name_s_language_finds_what_the_bare_name_finds() {
    let places = settlements();
    let g = Gazetteer::new(places.iter().map(Place::name_record));
    let mut checked = 0;
    for p in &places {
        for (lang, names) in &p.props.names {
            let described = |n: &str| match lang.as_str() {
                "en" => Some(format!("{n} village")),
                "ru" => Some(format!("с. {n}")),
                "az" => Some(format!("{n} kəndi")),
                "hy" => Some(format!("{n} գյուղ")),
                _ => None,
            };
            for name in names {
                let Some(q) = described(name) else { continue };
                // "Horadiz village" is itself a name (of Kənd Horadiz, not
                // the town): whole names are the other test's.
                if !g
                    .lookup_folded(&contactline::gazetteer::fold(&q))
                    .is_empty()
                {
                    continue;
                }
                let bare = &g.search(name, 1).expect("search")[0];
                let top = &g.search(&q, 1).expect("search")[0];
                assert_eq!(
                    (top.id, top.score),
                    (bare.id, bare.score),
                    "{q:?} against {name:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked > 400,
        "only {checked} names had a language with a kind word"
    );
}

fn all_names(p: &PlaceProps) -> Vec<String> {
    p.names
        .values()
        .flatten()
        .chain(&p.alt_names)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn the_issue_spellings_find_parukh_and_stepanakert_first() {
    let places = settlements();
    let g = Gazetteer::new(places.iter().map(Place::name_record));
    for q in [
        "Փառուխ",
        "Фаррух",
        "Fərrux",
        "Farukh",
        "Furukh",
        "Farrukh",
        "Parukh",
    ] {
        assert_eq!(g.search(q, 3).expect("search")[0].id, "parukh", "{q}");
    }
    for q in [
        "Stepanakert",
        "Khankendi",
        "Xankəndi",
        "Степанакерт",
        "Ստեփանակերտ",
    ] {
        assert_eq!(g.search(q, 3).expect("search")[0].id, "stepanakert", "{q}");
    }
}
