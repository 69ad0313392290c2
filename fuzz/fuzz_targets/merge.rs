//! The merge of layers and `set_path`: trees generated from the bytes (maps of up to 2,255 keys
//! among them), compared with the one-key-at-a-time definitions.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::merge(data));
