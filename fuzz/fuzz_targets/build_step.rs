//! The build step with secret fields of every kind (see `phoenix_config::__fuzz::build`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::build(data));
