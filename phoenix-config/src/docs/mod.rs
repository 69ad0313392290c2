//! Documentation generated from a settings struct, so it cannot drift from
//! the code: the table of variables, a commented `.env.example`, an
//! annotated YAML template and a JSON Schema of the YAML files.
//!
//! ```
//! use phoenix_config::{PhoenixConfig, docs};
//!
//! /// Service settings.
//! #[derive(PhoenixConfig)]
//! #[config(prefix = "APP")]
//! struct Settings {
//!     /// Port to listen on.
//!     #[config(default = 8080)]
//!     #[validate(port)]
//!     port: u16,
//! }
//!
//! let table = docs::env_markdown::<Settings>();
//! assert!(table.contains("`APP_PORT`"));
//! let schema = docs::json_schema::<Settings>();
//! assert_eq!(schema["properties"]["port"]["maximum"], 65535);
//! ```

mod choices;
mod env_table;
mod json;
mod schema;
mod template;
mod type_name;

pub use env_table::{dotenv_example, env_markdown, env_text};
pub use json::yaml_to_json;
pub use schema::{json_schema, json_schema_for};
pub use template::yaml_template;
