//! Text conversion: any text, written as a variable or a YAML scalar, converted to many types.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::text(data));
