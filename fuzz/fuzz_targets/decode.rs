//! `enc:` and `base64:` decoding of any text, and encrypt/decrypt round trips.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::decode(data));
