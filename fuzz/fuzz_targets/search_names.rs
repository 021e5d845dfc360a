//! Any string through gazetteer search and article annotation over a small
//! multi-script gazetteer: nothing may panic, spans must be char boundaries.
#![no_main]

use std::sync::OnceLock;

use contactline::dataset::{Place, PlaceProps};
use contactline::gazetteer::Gazetteer;
use contactline::geodesy::LonLat;
use libfuzzer_sys::fuzz_target;

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let props: PlaceProps = serde_json::from_value(serde_json::json!({
            "id": "parukh", "display_name": "Parukh / Farrukh", "kind": "village",
            "names": {"en": ["Parukh", "Farrukh"], "hy": ["Փառուխ"], "az": ["Fərrux"], "ru": ["Фаррух"]},
            "alt_names": ["Farukh", "Mets Shen"], "control": []
        }))
        .expect("fixture");
        let place = Place::new(LonLat::new(46.8, 40.0), props, vec![], 500.0, true);
        Gazetteer::new([place.name_record()])
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let _ = gazetteer().search(s, 10);
    if let Ok(a) = contactline::annotate::annotate_text(gazetteer(), s, None) {
        for m in &a.mentions {
            assert!(s.is_char_boundary(m.span.bytes[0]) && s.is_char_boundary(m.span.bytes[1]));
        }
    }
});
