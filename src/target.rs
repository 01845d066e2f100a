//! Target syntax.
