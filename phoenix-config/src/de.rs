//! Converting a [`Node`] to a field's type (DESIGN §4.3). PLACEHOLDER: being rewritten.

use serde::de::DeserializeOwned;

use crate::node::{Node, NodeKind};

/// Converts a node to `T`. The error message never contains the value when `secret`.
pub(crate) fn from_node<T: DeserializeOwned>(node: &Node, secret: bool, ty: &'static str) -> Result<T, String> {
    let text = match &node.kind {
        NodeKind::Scalar { text, .. } => text.clone(),
        _ => return Err(format!("expected {ty}")),
    };
    T::deserialize(serde::de::value::StringDeserializer::<serde::de::value::Error>::new(text))
        .map_err(|e| if secret { format!("is not a valid {ty}") } else { e.to_string() })
}
