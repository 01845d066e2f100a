//! JSON helpers for the `tlsprobe/v1` document (the document itself is streamed by
//! [`super::RunWriter`]).

use serde::Serialize;

use crate::target::TargetError;

/// A JSON string literal.
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A target that could not be parsed, as reported in the document's `errors` array.
#[derive(Debug, Serialize)]
pub struct InputError {
    /// The text given.
    pub input: String,
    /// Why it was rejected.
    pub message: String,
}

/// The `errors` array of a run.
pub fn input_errors(bad: &[TargetError]) -> Vec<InputError> {
    bad.iter()
        .map(|e| InputError {
            input: e.input.clone(),
            message: e.reason.to_string(),
        })
        .collect()
}
