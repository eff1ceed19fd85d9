//! Unit tests of the relay server parts.
