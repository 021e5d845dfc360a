//! Coordinate notations (placeholder).
