//! Article annotation on news-style paragraphs written for these tests,
//! against a tiny hand-made gazetteer: recall across scripts and spellings,
//! precision on sentences without places, spans, dates and candidates.

#![allow(clippy::needless_pass_by_value)] // fixtures read better with owned json! values

use contactline::annotate::annotate_text;
use contactline::dataset::{Place, PlaceProps};
use contactline::date::Day;
use contactline::gazetteer::Gazetteer;
use contactline::geodesy::LonLat;

fn place(
    id: &str,
    display: &str,
    lon: f64,
    lat: f64,
    names: serde_json::Value,
    alt: &[&str],
) -> Place {
    let props: PlaceProps = serde_json::from_value(serde_json::json!({
        "id": id, "display_name": display, "kind": "village", "names": names, "alt_names": alt, "control": [],
    }))
    .expect("fixture");
    Place::new(LonLat::new(lon, lat), props, Vec::new(), 500.0, true)
}

fn gazetteer() -> Gazetteer {
    let places = [
        place(
            "parukh",
            "Parukh / Farrukh",
            46.8011,
            40.0194,
            serde_json::json!({"en": ["Parukh", "Farrukh"], "hy": ["Փառուխ"], "az": ["Fərrux"], "ru": ["Фаррух"]}),
            &["Farukh", "Furukh"],
        ),
        place(
            "stepanakert",
            "Stepanakert / Khankendi",
            46.7519,
            39.8153,
            serde_json::json!({"en": ["Stepanakert", "Khankendi"], "hy": ["Ստեփանակերտ"], "az": ["Xankəndi"], "ru": ["Степанакерт"]}),
            &[],
        ),
        place(
            "mets_shen_a",
            "Mets Shen / Ulu Garabey",
            46.6,
            40.1,
            serde_json::json!({"en": ["Mets Shen"]}),
            &[],
        ),
        place(
            "mets_shen_b",
            "Mets Shen / Boyuk Galadarasi",
            46.6,
            39.6,
            serde_json::json!({"en": ["Mets Shen"]}),
            &[],
        ),
        place(
            "sos",
            "Sos",
            46.9,
            39.6,
            serde_json::json!({"en": ["Sos"], "ru": ["Сос"]}),
            &[],
        ),
        place(
            "mets_tagher",
            "Mets Tagher",
            46.9,
            39.5,
            serde_json::json!({"en": ["Mets Tagher"]}),
            &["Tag"],
        ),
        place(
            "shushi",
            "Shushi / Shusha",
            46.75,
            39.76,
            serde_json::json!({"en": ["Shushi", "Shusha"], "ru": ["Шуша"]}),
            &[],
        ),
    ];
    Gazetteer::new(places.iter().map(Place::name_record))
}

const NEWS: &str = "STEPANAKERT, 24 March 2022 — Azerbaijani troops entered Farukh overnight, officials in Stepanakert said. \
Baku said its forces hold the heights above Fərrux. Moscow urged calm, and Erdogan spoke with Aliyev. \
В Степанакерте сообщили, что Фаррух обстрелян. Փառուխ գյուղում լարված է։ \
Residents of Mets Shen were told to stay indoors. The tag on the SOS message read Sos. \
The convoy stopped at 40.0194, 46.8011 before Shusha.";

#[test]
fn a_news_paragraph_finds_every_spelling_in_every_script() {
    let a = annotate_text(&gazetteer(), NEWS, None).expect("annotate");
    let found: Vec<(&str, Option<&str>)> = a
        .mentions
        .iter()
        .map(|m| (m.text.as_str(), m.place.as_ref().map(|p| p.id.as_str())))
        .collect();
    let want = [
        ("STEPANAKERT", Some("stepanakert")),
        ("Farukh", Some("parukh")),
        ("Stepanakert", Some("stepanakert")),
        ("Fərrux", Some("parukh")),
        ("Степанакерте", Some("stepanakert")),
        ("Фаррух", Some("parukh")),
        ("Փառուխ", Some("parukh")),
        ("Mets Shen", None),
        ("Sos", Some("sos")),
        ("Shusha", Some("shushi")),
    ];
    assert_eq!(found, want);
}

#[test]
fn sentences_without_places_give_nothing() {
    let text = "Baku said on Monday that Moscow and Ankara back the talks. Erdogan met Putin. \
                Prices rose again, officials said, and the market was calm. SOS. A tag was found.";
    let a = annotate_text(&gazetteer(), text, None).expect("annotate");
    assert!(
        a.mentions.is_empty(),
        "{:?}",
        a.mentions.iter().map(|m| &m.text).collect::<Vec<_>>()
    );
    assert!(a.coordinates.is_empty());
    assert!(a.date.is_none());
}

#[test]
fn a_name_shared_by_two_villages_returns_both_as_candidates() {
    let a = annotate_text(&gazetteer(), "Shelling was reported near Mets Shen.", None)
        .expect("annotate");
    let m = &a.mentions[0];
    assert!(m.ambiguous && m.place.is_none());
    let ids: Vec<&str> = m.candidates.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["mets_shen_a", "mets_shen_b"]);
}

#[test]
fn spans_count_characters_and_bytes() {
    let text = "Ə — Փառուխ, then Farrukh.";
    let a = annotate_text(&gazetteer(), text, None).expect("annotate");
    let m = &a.mentions[0];
    assert_eq!(m.text, "Փառուխ");
    assert_eq!(&text[m.span.bytes[0]..m.span.bytes[1]], "Փառուխ");
    let chars: String = text
        .chars()
        .skip(m.span.chars[0])
        .take(m.span.chars[1] - m.span.chars[0])
        .collect();
    assert_eq!(chars, "Փառուխ");
    assert_eq!(m.span.chars, [4, 10]);
}

#[test]
fn the_article_date_is_read_in_several_forms_and_a_given_date_wins() {
    let g = gazetteer();
    for (text, want) in [
        ("Published 2022-03-24. Farukh", "2022-03-24"),
        ("March 24, 2022: fighting near Farukh", "2022-03-24"),
        ("Stepanakert, 3 August 2022", "2022-08-03"),
        ("Степанакерт, 24 марта 2022 года", "2022-03-24"),
        ("Ստեփանակերտ, մարտի 24, 2022", "2022-03-24"),
    ] {
        let a = annotate_text(&g, text, None).expect("annotate");
        assert_eq!(a.date.as_deref(), Some(want), "{text}");
        assert_eq!(a.date_source, Some("article"));
    }
    let a = annotate_text(&g, "24 March 2022", Day::from_ymd(2021, 1, 2)).expect("annotate");
    assert_eq!(a.date.as_deref(), Some("2021-01-02"));
    assert_eq!(a.date_source, Some("request"));
}

#[test]
fn coordinates_in_the_text_are_found() {
    let text = "Video geolocated to 39°49′55″N 46°45′07″E; a second clip at 40.0194, 46.8011, \
                and https://www.google.com/maps/@39.8153,46.7519,14z. 5,000 people left in 2022.";
    let a = annotate_text(&gazetteer(), text, None).expect("annotate");
    let texts: Vec<&str> = a.coordinates.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "39°49′55″N 46°45′07″E",
            "40.0194, 46.8011",
            "https://www.google.com/maps/@39.8153,46.7519,14z"
        ]
    );
    assert!(a.coordinates[1].parsed.ambiguous);
}

#[test]
fn azerbaijani_case_endings_are_read_but_never_cut_from_english_words() {
    let text = "Müdafiə Nazirliyi bildirib ki, Şuşada, Xankəndiyə gedən yolda, Şuşadan \
                Xankəndidəki və Fərruxun ətrafında.";
    let a = annotate_text(&gazetteer(), text, None).expect("annotate");
    let found: Vec<(&str, &str, Option<&str>)> = a
        .mentions
        .iter()
        .map(|m| {
            (
                m.text.as_str(),
                m.how,
                m.place.as_ref().map(|p| p.id.as_str()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("Şuşada", "inflected", Some("shushi")),
            ("Xankəndiyə", "inflected", Some("stepanakert")),
            ("Şuşadan", "inflected", Some("shushi")),
            ("Xankəndidəki", "inflected", Some("stepanakert")),
            ("Fərruxun", "inflected", Some("parukh")),
        ]
    );
    // The same endings on English words (no Azerbaijani letter) are left alone.
    let english = "Shushada and Lachina are not places; neither is Askerande.";
    let a = annotate_text(&gazetteer(), english, None).expect("annotate");
    assert!(a.mentions.is_empty(), "{:?}", a.mentions);
}

#[test]
fn coordinates_as_russian_and_european_sources_write_them_are_found() {
    let text =
        "Обстрел у точки 39°48′55″ с. ш. 46°45′07″ в. д. Другое видео: 39,8153° N 46,7519° E, \
                пост 40,0194 с.ш. 46,8011 в.д., в 2020 году 12,5 км и 3,25 млн; \
                карта https://yandex.ru/maps/?pt=46.8011,40.0194&z=14. Село в 5 км.";
    let a = annotate_text(&gazetteer(), text, None).expect("annotate");
    let found: Vec<(&str, [f64; 2])> = a
        .coordinates
        .iter()
        .map(|c| {
            let at = c.parsed.first().at;
            (c.text.as_str(), [at.lat, at.lon])
        })
        .collect();
    let dms = [
        39.0 + 48.0 / 60.0 + 55.0 / 3600.0,
        46.0 + 45.0 / 60.0 + 7.0 / 3600.0,
    ];
    // Decimal commas with Russian hemispheres are a pair; bare ones are numbers.
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(found[0].0, "39°48′55″ с. ш. 46°45′07″ в. д");
    assert_eq!(found[1].0, "39,8153° N 46,7519° E");
    assert_eq!(found[2].0, "40,0194 с.ш. 46,8011 в.д");
    assert_eq!(
        found[3].0,
        "https://yandex.ru/maps/?pt=46.8011,40.0194&z=14"
    );
    let want = [
        dms,
        [39.8153, 46.7519],
        [40.0194, 46.8011],
        [40.0194, 46.8011],
    ];
    for ((text, got), want) in found.iter().zip(want) {
        assert!(
            (got[0] - want[0]).abs() < 1e-9 && (got[1] - want[1]).abs() < 1e-9,
            "{text}: {got:?}"
        );
    }
}

#[test]
fn a_five_thousand_word_article_finds_every_mention_of_each_repeated_paragraph() {
    let g = gazetteer();
    let once = annotate_text(&g, NEWS, None)
        .expect("annotate")
        .mentions
        .len();
    let mut text = String::new();
    let mut copies = 0;
    while text.split_whitespace().count() < 5_000 {
        text.push_str(NEWS);
        text.push(' ');
        copies += 1;
    }
    let a = annotate_text(&g, &text, None).expect("annotate");
    assert_eq!(a.mentions.len(), once * copies);
    assert!(once > 0);
}
