//! Article annotation (placeholder).
