//! contactline: where was the 2020–2023 Russian peacekeeping zone in
//! Nagorno-Karabakh on a given day, and how sure can we be?
//!
//! The library does all the work; `main.rs` only wires it. Modules:
//! - [`date`]: calendar days and validity intervals.
//! - [`geodesy`]: ellipsoidal distances, bearings, the index plane.
//! - [`dataset`]: loading, validating and holding `geodata/` as one snapshot.
//! - [`index`]: R-tree indexes for polygons (by edges) and points.
//! - [`derive`]: the reproducible boundary method (`contactline derive`).
//! - [`locate`]: the dated verdict (rules), its report (prose) and batches.
//! - [`resolve`]: one query box (place name or any coordinate notation).
//! - [`gazetteer`]: multi-script fuzzy place search.
//! - [`coords`]: coordinate notations.
//! - [`coverage`]: how complete the gazetteer is (`contactline coverage`).
//! - [`csv_safety`]: CSV cells a spreadsheet would run as formulas.
//! - [`annotate`]: places and coordinates mentioned in an article.
//! - [`state`]: the shared dataset snapshot and configuration.
//! - [`api`], [`server`], [`reload`], [`config`]: the HTTP service.
//! - [`metrics`]: the Prometheus metrics the server keeps.
//! - [`validate`]: the full check of a data directory (command, start-up, reload).
//! - [`cli`]: the command line.

#![forbid(unsafe_code)]

pub mod annotate;
pub mod api;
pub mod card;
pub mod cli;
pub mod config;
pub mod coords;
pub mod coverage;
pub mod csv_safety;
pub mod dataset;
pub mod date;
pub mod derive;
pub mod export;
pub mod figures;
pub mod gazetteer;
pub mod geodesy;
pub mod index;
pub mod locate;
pub mod metrics;
pub mod reload;
pub mod resolve;
pub mod server;
pub mod state;
pub mod validate;
