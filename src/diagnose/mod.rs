//! TEMPORARY stub, replaced by the diagnose branch.
use crate::model::{Finding, TargetReport};
/// ctx
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// w
    pub warn_days: i64,
}
/// d
pub fn diagnose(_r: &TargetReport, _c: &Context) -> Vec<Finding> {
    Vec::new()
}
/// e
pub struct Explanation;
/// u
pub struct UnknownCode {
    /// i
    pub input: String,
    /// s
    pub suggestions: Vec<String>,
}
/// e
pub fn explain(c: &str) -> Result<Explanation, UnknownCode> {
    Err(UnknownCode {
        input: c.into(),
        suggestions: vec![],
    })
}
/// w
pub fn write_explanation_human(
    _o: &mut dyn std::io::Write,
    _e: &Explanation,
    _c: bool,
) -> std::io::Result<()> {
    Ok(())
}
/// j
pub fn explanation_json(_e: &Explanation) -> serde_json::Value {
    serde_json::Value::Null
}
