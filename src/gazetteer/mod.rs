//! Multi-script fuzzy place search (placeholder).
