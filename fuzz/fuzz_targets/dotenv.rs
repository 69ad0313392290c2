//! The `.env` reader: any bytes as a `.env` file; entries written back read back the same.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| phoenix_config::__fuzz::dotenv(data));
