//! Compile errors of `#[derive(PhoenixConfig)]`: one case per message in
//! `tests/ui/`, named after it, each checked to point at the wrong token.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
