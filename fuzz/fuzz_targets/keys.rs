//! Key-ring parsing of the key variables (see `phoenix_config::__fuzz::keys`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::keys(data));
