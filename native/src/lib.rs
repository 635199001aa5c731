//! kg's bulk-load hot paths, compiled. Each function reproduces a Python function of the
//! `loaders` package byte for byte (the Python code is the specification, and the tests
//! compare the two on the same input); kg uses the Python code when this module is absent.

use pyo3::prelude::*;

mod csv;
mod pair_lines;
mod pairs;
mod people;
mod record_pass;

#[pymodule]
fn kg_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(record_pass::format_block, m)?)?;
    m.add_function(wrap_pyfunction!(people::resolve_chunk, m)?)?;
    m.add_class::<people::Weights>()?;
    m.add_class::<people::NameRuns>()?;
    m.add_function(wrap_pyfunction!(people::resolve_text, m)?)?;
    m.add_function(wrap_pyfunction!(pair_lines::pair_lines, m)?)?;
    m.add_class::<pair_lines::RunCounts>()?;
    m.add_class::<pairs::PairRows>()?;
    m.add_class::<pairs::TieRows>()?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
