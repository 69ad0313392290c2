//! The YAML layer: any bytes as a YAML file (default and small limits), the tree converted to many types.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::yaml(data));
