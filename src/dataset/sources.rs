//! Which source URLs a feature may cite: canonical Wikipedia article URLs,
//! pages of an allow-listed publisher, or a plain document reference.
//!
//! Owns the URL policy (the canonical Wikipedia form, the allow-list of
//! publishers with why each is there, the deny rules for raw IP addresses,
//! mirrors and unknown hosts). Walking the data files to find every URL is
//! left to `dataset::integrity`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::{Host, Url};

/// Characters a `MediaWiki` title keeps unescaped in its URL (what `MediaWiki`'s
/// own `wfUrlencode` leaves alone), so a canonical URL equals the one the
/// site itself links to.
const TITLE_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b';')
    .remove(b'@')
    .remove(b'$')
    .remove(b'!')
    .remove(b'*')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'/')
    .remove(b':');

/// Publishers whose pages may be cited, by registrable host (subdomains
/// included), each with the reason it is trusted: an official body speaking
/// for itself, a news agency or a newsroom publishing its own reports, or a
/// reference work. Anything else is refused: copies, aggregators, content
/// farms and blogs must be replaced by the page of the publisher they copied.
pub const ALLOWED_HOSTS: &[(&str, &str)] = &[
    // Publishers of the reference data copied into reference-lines, depictions and context.
    (
        "naturalearthdata.com",
        "Natural Earth: the publisher of the oblast, 2020 and 1994 lines (public domain)",
    ),
    (
        "soest.hawaii.edu",
        "GMT's Digital Chart of the World (DCW-GMT): the publisher of the border line used",
    ),
    (
        "packages.debian.org",
        "Debian's gmt-dcw package: the packaging the DCW border line was read from",
    ),
    // Governments and parties to the statements, for their own words.
    (
        "primeminister.am",
        "Armenian Government: the 10 Nov 2020 statement as published by a signatory",
    ),
    (
        "mil.ru",
        "Russian Ministry of Defence: the peacekeepers' own bulletins",
    ),
    (
        "mod.gov.az",
        "Azerbaijani Ministry of Defence: its own statements",
    ),
    (
        "president.az",
        "President of Azerbaijan: statements and decrees",
    ),
    (
        "kremlin.ru",
        "President of Russia: the statements' Russian text",
    ),
    (
        "preslib.az",
        "Azerbaijani Presidential Library: the Azerbaijani government's own publications",
    ),
    (
        "icrc.org",
        "International Committee of the Red Cross: its own operations",
    ),
    // State and wire agencies, each the voice of its side's institutions.
    (
        "artsakhpress.am",
        "Artsakhpress, the Nagorno-Karabakh authorities' news agency: their statements",
    ),
    ("armenpress.am", "Armenpress, Armenia's state news agency"),
    ("azertag.az", "AZERTAC, Azerbaijan's state news agency"),
    (
        "tass.com",
        "TASS, Russia's state news agency (English): Russian MoD statements",
    ),
    ("tass.ru", "TASS, Russia's state news agency (Russian)"),
    ("interfax.ru", "Interfax, Russian news agency"),
    ("trend.az", "Trend, Azerbaijani news agency"),
    ("apa.az", "APA, Azerbaijani news agency"),
    ("report.az", "Report.az, Azerbaijani news agency"),
    ("news.am", "News.am, Armenian news agency"),
    ("armradio.am", "Public Radio of Armenia"),
    ("turan.az", "Turan, independent Azerbaijani news agency"),
    (
        "azernews.az",
        "AzerNews, Azerbaijani English-language daily",
    ),
    (
        "abc.az",
        "ABC.AZ, Azerbaijani news agency (district handover lists)",
    ),
    ("azvision.az", "AzVision, Azerbaijani news agency"),
    ("today.az", "Today.az, Azerbaijani news site"),
    ("metbuat.az", "Metbuat.az, Azerbaijani news site"),
    (
        "az24saat.org",
        "Az24saat, Azerbaijani news site (Azerbaijani MoD statements)",
    ),
    ("pressklub.az", "Press Club of Azerbaijan"),
    (
        "sputniknews.ru",
        "Sputnik Armenia (Russian state media), Armenian-language reports",
    ),
    (
        "sputniknews.com",
        "Sputnik (Russian state media): Russian MoD statements",
    ),
    (
        "sputnikglobe.com",
        "Sputnik (Russian state media), its current domain",
    ),
    ("smotrim.ru", "Smotrim, Russian state TV (VGTRK)"),
    ("news.ru", "News.ru, Russian news site"),
    (
        "vestikavkaza.ru",
        "Vestnik Kavkaza, Moscow-based Caucasus news agency",
    ),
    ("vestnikkavkaza.net", "Vestnik Kavkaza, its English domain"),
    ("radar.am", "Radar Armenia, Armenian news site"),
    ("factor.am", "Factor TV, Armenian news channel"),
    ("amnews.am", "AMNews, Armenian news site"),
    ("abcmedia.am", "ABC Media, Armenian news site"),
    ("step1.am", "Step1, Armenian news site"),
    (
        "past.am",
        "Past.am, Armenian news site (its permalinks are on url.past.am)",
    ),
    (
        "novostink.ru",
        "Novosti NK, Stepanakert news site (route details of the new road)",
    ),
    (
        "artsakhtert.com",
        "Artsakh Tert, Stepanakert newspaper (reprints the Russian MoD bulletins)",
    ),
    (
        "timeturk.com",
        "TimeTurk, Turkish news site (lists of villages Baku announced)",
    ),
    // Newsrooms with their own reporters in the region.
    ("azatutyun.am", "RFE/RL Armenian Service"),
    ("rferl.org", "Radio Free Europe / Radio Liberty"),
    ("civilnet.am", "CivilNet, Armenian independent newsroom"),
    ("oc-media.org", "OC Media, Caucasus newsroom"),
    (
        "jam-news.net",
        "JAMnews, Caucasus newsroom with Armenian and Azerbaijani reporters",
    ),
    ("eurasianet.org", "Eurasianet, regional newsroom"),
    (
        "kavkaz-uzel.eu",
        "Caucasian Knot, conflict monitoring newsroom",
    ),
    ("caucasianknot.info", "Caucasian Knot, its English domain"),
    (
        "kavkaz-uzel.media",
        "Caucasian Knot, its mirror domain run by the publisher",
    ),
    ("theins.ru", "The Insider, Russian investigative newsroom"),
    ("babel.ua", "Babel, Ukrainian newsroom"),
    (
        "yerepouni-news.com",
        "Yerepouni Daily News, Beirut Armenian daily",
    ),
    (
        "diarioarmenia.org.ar",
        "Diario Armenia, Buenos Aires Armenian daily",
    ),
    (
        "commonspace.eu",
        "commonspace.eu, LINKS Europe's Caucasus news",
    ),
    ("hetq.am", "Hetq, Armenian investigative newsroom"),
    ("asbarez.com", "Asbarez, Armenian-American daily"),
    ("armenianweekly.com", "The Armenian Weekly"),
    ("mirrorspectator.com", "Armenian Mirror-Spectator"),
    ("massispost.com", "Massis Post, Armenian-American news"),
    (
        "zartonkmedia.com",
        "Zartonk, Beirut Armenian daily (interviews with Hadrut mayors)",
    ),
    ("bbc.co.uk", "BBC News"),
    ("bbc.com", "BBC News"),
    ("aljazeera.com", "Al Jazeera"),
    ("reuters.com", "Reuters"),
    ("apnews.com", "Associated Press"),
    ("themoscowtimes.com", "The Moscow Times"),
    ("kyivindependent.com", "The Kyiv Independent"),
    (
        "jpost.com",
        "The Jerusalem Post (wire reports of MoD statements)",
    ),
    (
        "dailysabah.com",
        "Daily Sabah (Turkish daily; Azerbaijani announcements)",
    ),
    // Reference works and monitors.
    (
        "geonames.org",
        "GeoNames gazetteer (CC BY 4.0): positions of towns whose articles give none precise enough",
    ),
    (
        "wikipedia.org",
        "Wikipedia, canonical article URLs only (https://<lang>.wikipedia.org/wiki/<Title>)",
    ),
    ("acaps.org", "ACAPS, humanitarian analysis of the blockade"),
    (
        "monumentwatch.org",
        "Monument Watch, heritage monitoring of named villages",
    ),
    (
        "armeniapedia.org",
        "Armeniapedia, the online home of the Rediscovering Armenia guidebook",
    ),
    (
        "usc.edu",
        "USC Institute of Armenian Studies: daily war updates",
    ),
];

/// Why a source URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceProblem {
    /// The text has a scheme but is not a parseable URL.
    #[error("'{url}' is not a valid URL: {reason}")]
    Unparseable {
        /// The URL as written.
        url: String,
        /// The parser's complaint.
        reason: String,
    },
    /// Not `https`.
    #[error("'{url}' must use https")]
    NotHttps {
        /// The URL as written.
        url: String,
    },
    /// The host is a bare IP address (mirrors and proxies live there).
    #[error("'{url}' points at a raw IP address; cite the publisher's own site")]
    RawIp {
        /// The URL as written.
        url: String,
    },
    /// A Wikipedia URL not in the canonical article form.
    #[error("'{url}' is not a canonical Wikipedia article URL; use {canonical}")]
    NotCanonicalWikipedia {
        /// The URL as written.
        url: String,
        /// The canonical form.
        canonical: String,
    },
    /// A Wikipedia URL whose article title cannot be read.
    #[error("'{url}' is a Wikipedia URL without an article title; cite https://<lang>.wikipedia.org/wiki/<Title>")]
    NoWikipediaTitle {
        /// The URL as written.
        url: String,
    },
    /// The host is not on the allow-list.
    #[error("'{url}': host '{host}' is not an allowed source (a mirror, aggregator or unknown publisher?); cite the original publisher or add the host to ALLOWED_HOSTS with a reason")]
    UnknownHost {
        /// The URL as written.
        url: String,
        /// Its host.
        host: String,
    },
}

/// The canonical URL of a Wikipedia article: `https://<lang>.wikipedia.org/wiki/<Title>`,
/// spaces as underscores, percent-encoded as `MediaWiki` itself encodes titles.
pub fn wikipedia_url(lang: &str, title: &str) -> String {
    let title = title.trim().replace(' ', "_");
    format!(
        "https://{lang}.wikipedia.org/wiki/{}",
        utf8_percent_encode(&title, TITLE_KEEP)
    )
}

/// For a URL on a `*.wikipedia.org` host, the language and article title it
/// names (from `/wiki/<Title>` or an `index.php?title=` query), whatever its
/// form (mobile host, `http`, trailing dot, revision links). `None` for other hosts.
pub fn wikipedia_article(url: &Url) -> Option<(String, Option<String>)> {
    let host = url.host_str()?.trim_end_matches('.');
    let lang_part = host.strip_suffix(".wikipedia.org")?;
    let lang = lang_part.strip_suffix(".m").unwrap_or(lang_part).to_owned();
    let from_query = url
        .query_pairs()
        .find(|(k, _)| k == "title")
        .map(|(_, v)| v.into_owned());
    let from_path = url.path().strip_prefix("/wiki/").and_then(|t| {
        percent_encoding::percent_decode_str(t)
            .decode_utf8()
            .ok()
            .map(std::borrow::Cow::into_owned)
    });
    let title = from_query.or(from_path).filter(|t| !t.is_empty());
    Some((lang, title))
}

/// Whether `host` is `allowed` or one of its subdomains.
fn host_matches(host: &str, allowed: &str) -> bool {
    host == allowed
        || host
            .strip_suffix(allowed)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The allow-list entry covering `host`, if any.
pub fn allowed_host(host: &str) -> Option<&'static (&'static str, &'static str)> {
    let host = host.trim_end_matches('.');
    ALLOWED_HOSTS.iter().find(|(h, _)| host_matches(host, h))
}

/// Checks one source URL against the policy. A reference without a scheme
/// (a document reference such as `geodata/README.md`) is accepted as is.
pub fn check_url(text: &str) -> Result<(), SourceProblem> {
    if !text.contains("://") {
        return Ok(());
    }
    let url = Url::parse(text).map_err(|e| SourceProblem::Unparseable {
        url: text.to_owned(),
        reason: e.to_string(),
    })?;
    match url.host() {
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => {
            return Err(SourceProblem::RawIp {
                url: text.to_owned(),
            })
        }
        None => {
            return Err(SourceProblem::Unparseable {
                url: text.to_owned(),
                reason: "no host".into(),
            })
        }
        Some(Host::Domain(_)) => {}
    }
    if let Some((lang, title)) = wikipedia_article(&url) {
        let Some(title) = title else {
            return Err(SourceProblem::NoWikipediaTitle {
                url: text.to_owned(),
            });
        };
        let canonical = wikipedia_url(&lang, &title);
        return if canonical == text {
            Ok(())
        } else {
            Err(SourceProblem::NotCanonicalWikipedia {
                url: text.to_owned(),
                canonical,
            })
        };
    }
    if url.scheme() != "https" {
        return Err(SourceProblem::NotHttps {
            url: text.to_owned(),
        });
    }
    let host = url.host_str().unwrap_or_default();
    if host.trim_end_matches('.').ends_with("wikipedia.org") || allowed_host(host).is_none() {
        return Err(SourceProblem::UnknownHost {
            url: text.to_owned(),
            host: host.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wikipedia_title_is_encoded_as_mediawiki_links_it() {
        assert_eq!(
            wikipedia_url("en", "Qəzyan, Qubadli"),
            "https://en.wikipedia.org/wiki/Q%C9%99zyan,_Qubadli"
        );
        assert_eq!(
            wikipedia_url("ru", "Ванк (село)"),
            "https://ru.wikipedia.org/wiki/%D0%92%D0%B0%D0%BD%D0%BA_(%D1%81%D0%B5%D0%BB%D0%BE)"
        );
        assert_eq!(
            wikipedia_url("en", "2022–2023 blockade"),
            "https://en.wikipedia.org/wiki/2022%E2%80%932023_blockade"
        );
    }

    #[test]
    fn canonical_wikipedia_and_allowed_publishers_pass() {
        assert_eq!(check_url("https://en.wikipedia.org/wiki/Parukh"), Ok(()));
        assert_eq!(check_url("https://www.civilnet.am/en/news/1/"), Ok(()));
        assert_eq!(check_url("https://en.armradio.am/2020/11/16/x/"), Ok(()));
        assert_eq!(check_url("geodata/README.md"), Ok(()));
    }

    #[test]
    fn mobile_and_revision_wikipedia_links_are_refused_with_the_canonical_form() {
        for bad in [
            "https://en.m.wikipedia.org/wiki/Tal%C4%B1%C5%9F,_Tartar",
            "http://en.wikipedia.org./wiki/Tal%C4%B1%C5%9F,_Tartar",
            "https://en.wikipedia.org/w/index.php?oldid=1&title=Tal%C4%B1%C5%9F,_Tartar",
            "https://en.wikipedia.org/wiki/Talış,_Tartar",
        ] {
            assert_eq!(
                check_url(bad),
                Err(SourceProblem::NotCanonicalWikipedia {
                    url: bad.into(),
                    canonical: "https://en.wikipedia.org/wiki/Tal%C4%B1%C5%9F,_Tartar".into()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn raw_ips_mirrors_and_lookalike_hosts_are_refused() {
        assert!(matches!(
            check_url("http://98.80.38.242:8888/wikipedia_en_all_maxi_2022-05/A/Mets_Taglar"),
            Err(SourceProblem::RawIp { .. })
        ));
        for (url, host) in [
            ("https://perceptiode.com/Тагавард", "perceptiode.com"),
            (
                "https://en.wikipedia-on-ipfs.org/wiki/Lachin_corridor",
                "en.wikipedia-on-ipfs.org",
            ),
            ("https://notcivilnet.am/x", "notcivilnet.am"),
            (
                "https://en.wikipedia.org.evil.example/wiki/X",
                "en.wikipedia.org.evil.example",
            ),
        ] {
            assert_eq!(
                check_url(url),
                Err(SourceProblem::UnknownHost {
                    url: url.into(),
                    host: host.into()
                }),
                "{url}"
            );
        }
        assert!(matches!(
            check_url("http://www.civilnet.am/en/news/1/"),
            Err(SourceProblem::NotHttps { .. })
        ));
    }
}
