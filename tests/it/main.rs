//! The integration tests, one binary with a module per area (one link step
//! instead of eight). Each module's `//!` says what it covers.

mod basis;
mod batch_cli;
mod card;
mod common;
mod corrupt_data;
mod coverage;
mod exports;
mod geodata;
mod http_api;
mod names_annotate;
mod names_api;
mod names_coords;
mod names_gazetteer;
mod ogc;
mod openapi;
mod search_honesty;
mod server_limits;
mod shutdown;
mod snapshots;
mod spatial_properties;
mod validate_rules;
