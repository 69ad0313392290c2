//! The workspace package: owns the integration tests (`tests/`) and examples (`examples/`) of phoenix-config.
