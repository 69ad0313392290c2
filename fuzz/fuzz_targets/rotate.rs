//! Rotation: any text, and the same with an encrypted value spliced in (see `phoenix_config::__fuzz::rotate`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::rotate(data));
