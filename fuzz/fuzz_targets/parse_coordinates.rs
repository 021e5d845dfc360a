//! Any string through the coordinate parser and, when it parses, through
//! the formatters and back: nothing may panic, and readings stay valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(p) = contactline::coords::parse(s) {
        for r in &p.readings {
            assert!(r.at.is_valid());
            let _ = contactline::coords::parse(&contactline::coords::format_dms(r.at));
            let _ = contactline::coords::format_mgrs(r.at, 5);
        }
    }
});
