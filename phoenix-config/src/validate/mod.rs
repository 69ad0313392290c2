//! Validation rules. PLACEHOLDER: being written.
