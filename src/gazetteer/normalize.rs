//! Name normalisation: the two keys every name and query is reduced to.
//!
//! - [`fold`]: a lowercase ASCII form. Diacritics are stripped (NFKD), the
//!   Armenian and Cyrillic alphabets are transliterated with the table below
//!   (Eastern Armenian and Russian conventions as used by English-language
//!   wires), and the Azerbaijani Latin letters are spelled the English way
//!   (x→kh, ğ→gh, q→g, ş→sh, ç→ch, c→j, ı→i, ü→u, ö→o, ə→e or a). Separators
//!   (spaces, hyphens, slashes) become one space, apostrophes vanish.
//! - [`skeleton`]: a lossy phonetic key of the folded form: vowels dropped,
//!   consonants folded into classes that the region's spellings confuse
//!   (kh/x/h/gh/ğ/q/g/k, ts/tz/dz/z/ц, ch/j/c/dzh/zh, sh/s, p/b/f/ph, t/d,
//!   v/w), doubled letters collapsed. `Parukh`, `Farrukh`, `Furukh`,
//!   `Փառուխ` and `Фаррух` share one skeleton.
//!
//! Owns only string transformations; what is indexed and how results rank
//! is the gazetteer's business.

use unicode_normalization::UnicodeNormalization;

/// Folds a name to lowercase ASCII. A name holding `ə` has two readings
/// (`Xankəndi` → `khankendi`, `Ağdərə` → `aghdara`): this returns the `e`
/// one; [`fold_variants`] returns both.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    fold_into(s, 'e', &mut out);
    out
}

/// Every folded reading of a name: one, or two when it holds `ə`/`ә`.
pub fn fold_variants(s: &str) -> Vec<String> {
    let e = fold(s);
    if s.contains(['ə', 'Ə', 'ә', 'Ә']) {
        let mut a = String::with_capacity(s.len() + 4);
        fold_into(s, 'a', &mut a);
        if a != e {
            return vec![e, a];
        }
    }
    vec![e]
}

/// Folds `s` into `out` (cleared first), spelling schwa as `schwa`.
pub fn fold_into(s: &str, schwa: char, out: &mut String) {
    out.clear();
    // The previous output char class: word start matters for Armenian ե/ո and Cyrillic е.
    let mut at_word_start = true;
    let mut chars = s.chars().flat_map(char::to_lowercase).peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let before = out.len();
        match c {
            'a'..='z' | '0'..='9' => {
                // Azerbaijani Latin letters that English spells differently.
                match c {
                    'x' => out.push_str("kh"),
                    'q' => out.push('g'),
                    // A lone c is Azerbaijani j; "ch" and "ts"-like digraphs stay.
                    'c' if next != Some('h') && next != Some('k') => out.push('j'),
                    _ => out.push(c),
                }
            }
            ' ' | '-' | '/' | '_' | ',' | '.' | '(' | ')' | '\u{2010}'..='\u{2015}' => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                at_word_start = true;
                continue;
            }
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{02bc}' | '\u{055a}' | '\u{055b}'
            | '\u{055c}' | '\u{055e}' => {
                continue;
            }
            'ə' | 'ә' => out.push(schwa),
            'ı' => out.push('i'),
            'ğ' | 'ғ' => out.push_str("gh"),
            'ş' | 'ș' | 'š' => out.push_str("sh"),
            'ç' | 'č' => out.push_str("ch"),
            'ž' => out.push_str("zh"),
            'ü' | 'ү' => out.push('u'),
            'ö' | 'ө' => out.push('o'),
            'ł' => out.push('l'),
            '\u{0561}'..='\u{0587}' => armenian(c, next, at_word_start, out, &mut chars),
            '\u{0430}'..='\u{045f}' | '\u{0490}'..='\u{04ff}' => {
                cyrillic(c, next, at_word_start, out, &mut chars);
            }
            _ => other(c, out),
        }
        if out.len() > before {
            at_word_start = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
}

fn armenian(
    c: char,
    next: Option<char>,
    word_start: bool,
    out: &mut String,
    chars: &mut std::iter::Peekable<impl Iterator<Item = char>>,
) {
    let s = match c {
        'ա' => "a",
        'բ' => "b",
        'գ' => "g",
        'դ' => "d",
        'ե' if word_start => "ye",
        'ե' | 'է' => "e",
        'զ' => "z",
        'թ' | 'տ' => "t",
        'ժ' => "zh",
        'ի' => "i",
        'լ' => "l",
        'խ' => "kh",
        'ծ' | 'ց' => "ts",
        'կ' | 'ք' => "k",
        'հ' => "h",
        'ձ' => "dz",
        'ղ' => "gh",
        'ճ' | 'չ' => "ch",
        'մ' => "m",
        'յ' | 'ը' => "y",
        'ն' => "n",
        'շ' => "sh",
        'ո' if next == Some('ւ') => {
            chars.next();
            "u"
        }
        'ո' if word_start => "vo",
        'ո' | 'օ' => "o",
        'պ' | 'փ' => "p",
        'ջ' => "j",
        'ռ' | 'ր' => "r",
        'ս' => "s",
        'վ' | 'ւ' => "v",
        'ֆ' => "f",
        'և' => "ev",
        _ => "",
    };
    out.push_str(s);
}

fn cyrillic(
    c: char,
    next: Option<char>,
    word_start: bool,
    out: &mut String,
    chars: &mut std::iter::Peekable<impl Iterator<Item = char>>,
) {
    let s = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' | 'ҝ' => "g",
        // Russian дж renders the j of Turkic and Armenian names.
        'д' if next == Some('ж') => {
            chars.next();
            "j"
        }
        'д' => "d",
        'е' | 'є' if word_start => "ye",
        'е' | 'э' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'й' | 'ј' | 'ы' => "y",
        'ї' => "yi",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' | 'һ' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ҹ' => "j",
        'ш' => "sh",
        'щ' => "shch",
        'ю' => "yu",
        'я' => "ya",
        _ => "",
    };
    out.push_str(s);
}

/// Anything else: strip diacritics by NFKD, then fall back to `deunicode`.
fn other(c: char, out: &mut String) {
    if c.is_whitespace() {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        return;
    }
    let mut tmp = [0u8; 4];
    for d in c.encode_utf8(&mut tmp).nfkd() {
        if d.is_ascii_alphanumeric() {
            out.push(d.to_ascii_lowercase());
        } else if !d.is_ascii() && !unicode_normalization::char::is_combining_mark(d) {
            if let Some(t) = deunicode::deunicode_char(d) {
                out.extend(
                    t.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .map(|x| x.to_ascii_lowercase()),
                );
            }
        }
    }
}

/// `s` without its combining marks ("Quşçular" → "Quscular"): what people
/// type without the language's keyboard.
pub fn strip_marks(s: &str) -> String {
    s.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// The phonetic skeleton of a folded (or raw) name; see the module docs.
pub fn skeleton(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    skeleton_into(folded, &mut out);
    out
}

/// [`skeleton`] into a reused buffer (cleared first).
pub fn skeleton_into(folded: &str, out: &mut String) {
    out.clear();
    let b = folded.as_bytes();
    let mut i = 0;
    let mut last = 0u8;
    while i < b.len() {
        let rest = &b[i..];
        let (class, len) = if rest.starts_with(b"shch") {
            (b'S', 4)
        } else if rest.starts_with(b"dzh") || rest.starts_with(b"tch") {
            (b'J', 3)
        } else if rest.starts_with(b"sch") {
            (b'S', 3)
        } else if rest.starts_with(b"zh") || rest.starts_with(b"ch") || rest.starts_with(b"dj") {
            (b'J', 2)
        } else if rest.starts_with(b"sh") {
            (b'S', 2)
        } else if rest.starts_with(b"kh") || rest.starts_with(b"gh") {
            (b'K', 2)
        } else if rest.starts_with(b"ph") {
            (b'P', 2)
        } else if rest.starts_with(b"th") {
            (b'T', 2)
        } else if rest.starts_with(b"ts") || rest.starts_with(b"tz") || rest.starts_with(b"dz") {
            (b'Z', 2)
        } else {
            let class = match rest[0] {
                b'b' | b'p' | b'f' => b'P',
                b'c' | b'j' => b'J',
                b'd' | b't' => b'T',
                b'g' | b'k' | b'q' | b'x' | b'h' => b'K',
                b'l' => b'L',
                b'm' => b'M',
                b'n' => b'N',
                b'r' => b'R',
                b's' => b'S',
                b'v' | b'w' => b'V',
                b'z' => b'Z',
                b'0'..=b'9' => rest[0],
                // Vowels (a e i o u y) and separators carry no class.
                _ => 0,
            };
            (class, 1)
        };
        i += len;
        if class != 0 && class != last {
            out.push(char::from(class));
        }
        if class != 0 {
            last = class;
        }
    }
}

/// Optimal-string-alignment distance between two ASCII strings, or `None`
/// when it exceeds `max`. Allocation-free for strings up to 63 bytes (the
/// search hot path); longer ones fall back to `strsim`.
pub fn bounded_osa(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    const N: usize = 64;
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    if a.len() >= N || b.len() >= N {
        let d = strsim::osa_distance(
            std::str::from_utf8(a).unwrap_or_default(),
            std::str::from_utf8(b).unwrap_or_default(),
        );
        return (d <= max).then_some(d);
    }
    // Three rows: two back (for transpositions), previous, current.
    let mut prev2 = [0usize; N];
    let mut prev: [usize; N] = std::array::from_fn(|j| j);
    let mut cur = [0usize; N];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armenian_cyrillic_and_azerbaijani_spellings_fold_to_english_forms() {
        assert_eq!(fold("Փառուխ"), "parukh");
        assert_eq!(fold("Фаррух"), "farrukh");
        assert_eq!(fold_variants("Fərrux"), vec!["ferrukh", "farrukh"]);
        assert_eq!(fold("Степанакерт"), "stepanakert");
        assert_eq!(fold("Ստեփանակերտ"), "stepanakert");
        assert_eq!(fold_variants("Xankəndi")[0], "khankendi");
        assert_eq!(fold("Ходжалы"), "khojaly");
        assert_eq!(fold("Xocalı"), "khojali");
        assert_eq!(fold("Եղցահող"), "yeghtsahogh");
        assert_eq!(fold("Ulu-Karabey"), "ulu karabey");
        assert_eq!(fold("T'alish"), "talish");
    }

    #[test]
    fn transliteration_variants_share_a_skeleton() {
        let k = |s: &str| skeleton(&fold(s));
        for s in [
            "Parukh",
            "Farrukh",
            "Furukh",
            "Farux",
            "Փառուխ",
            "Фаррух",
            "Fərrux",
        ] {
            assert_eq!(k(s), "PRK", "{s}");
        }
        assert_eq!(k("Martakert"), k("Mardakert"));
        assert_eq!(k("Hatsi"), k("Гаци"));
        assert_eq!(k("Ivanyan"), k("Ivanian"));
        assert_eq!(k("Mets Shen"), k("Мецшен"));
    }

    #[test]
    fn osa_distance_is_bounded() {
        assert_eq!(bounded_osa(b"parukh", b"paurkh", 1), Some(1));
        assert_eq!(bounded_osa(b"parukh", b"stepanakert", 2), None);
        assert_eq!(bounded_osa(b"farrukh", b"parukh", 2), Some(2));
        assert_eq!(bounded_osa(b"abc", b"abc", 0), Some(0));
    }
}
