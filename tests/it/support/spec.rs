//! Checks Bot API requests against the machine-readable spec in `../shared/telegram/`.
use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

pub struct BotApiSpec {
    methods: HashMap<String, (String, Value)>,
    types: serde_json::Map<String, Value>,
}

/// How a parameter arrived: JSON keeps its types, multipart sends every field as text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    Multipart,
}

impl BotApiSpec {
    /// Loads the spec from `BOT_API_SPEC` or `../shared/telegram/bot-api-9.1.json`, or says why it cannot.
    pub fn load() -> Result<Self, String> {
        let path = std::env::var("BOT_API_SPEC")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/telegram/bot-api-9.1.json"));
        Self::load_from(&path)
    }

    /// Loads the spec from `path`, or says why it cannot.
    pub fn load_from(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {} ({error}); set BOT_API_SPEC to its path", path.display()))?;
        let spec: Value =
            serde_json::from_str(&text).map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
        let malformed = || format!("{} has no `methods` and `types` objects", path.display());
        let methods = spec["methods"]
            .as_object()
            .ok_or_else(malformed)?
            .iter()
            .map(|(name, method)| (name.to_lowercase(), (name.clone(), method.clone())))
            .collect();
        Ok(Self { methods, types: spec["types"].as_object().ok_or_else(malformed)?.clone() })
    }

    /// The method's canonical name, or why the spec rejects the request.
    pub fn check(
        &self,
        method: &str,
        params: &serde_json::Map<String, Value>,
        files: &[String],
        encoding: Encoding,
    ) -> Result<String, String> {
        let (name, spec) = self.methods.get(&method.to_lowercase()).ok_or(format!("unknown method {method}"))?;
        let fields = spec["fields"].as_array().cloned().unwrap_or_default();
        for field in &fields {
            let field_name = field["name"].as_str().unwrap_or_default();
            let present = params.get(field_name).is_some_and(|v| !v.is_null()) || files.iter().any(|f| f == field_name);
            if field["required"].as_bool() == Some(true) && !present {
                return Err(format!("{name}: missing required parameter {field_name}"));
            }
        }
        for (key, value) in params {
            if value.is_null() {
                continue;
            }
            let field = fields
                .iter()
                .find(|f| f["name"].as_str() == Some(key))
                .ok_or(format!("{name}: unknown parameter {key}"))?;
            let types = type_names(field);
            if !types.iter().any(|t| self.matches(t, value, encoding, files)) {
                return Err(format!("{name}: parameter {key} is not of type {}", types.join(" or ")));
            }
        }
        Ok(name.clone())
    }

    fn matches(&self, type_name: &str, value: &Value, encoding: Encoding, files: &[String]) -> bool {
        if encoding == Encoding::Multipart
            && let Value::String(text) = value
        {
            return match type_name {
                "String" => true,
                "Integer" => text.parse::<i64>().is_ok(),
                "Float" => text.parse::<f64>().is_ok(),
                "Boolean" => text == "true" || text == "false",
                "True" => text == "true",
                "InputFile" => text.strip_prefix("attach://").is_some_and(|name| files.iter().any(|f| f == name)),
                _ => serde_json::from_str::<Value>(text)
                    .is_ok_and(|parsed| self.matches(type_name, &parsed, Encoding::Json, files)),
            };
        }
        if let Some(inner) = type_name.strip_prefix("Array of ") {
            return value
                .as_array()
                .is_some_and(|items| items.iter().all(|item| self.matches(inner, item, encoding, files)));
        }
        match type_name {
            "String" => value.is_string(),
            "Integer" => value.is_i64() || value.is_u64(),
            "Float" => value.is_number(),
            "Boolean" => value.is_boolean(),
            "True" => value == &Value::Bool(true),
            "InputFile" => value.as_str().is_some_and(|s| s.starts_with("attach://")),
            named => self.matches_object(named, value, files),
        }
    }

    fn matches_object(&self, type_name: &str, value: &Value, files: &[String]) -> bool {
        let Some(spec) = self.types.get(type_name) else { return false };
        if let Some(subtypes) = spec["subtypes"].as_array() {
            return subtypes.iter().filter_map(Value::as_str).any(|sub| self.matches_object(sub, value, files));
        }
        let Some(object) = value.as_object() else { return false };
        let fields = spec["fields"].as_array().cloned().unwrap_or_default();
        let required_present = fields.iter().all(|field| {
            field["required"].as_bool() != Some(true)
                || object.get(field["name"].as_str().unwrap_or_default()).is_some_and(|v| !v.is_null())
        });
        required_present
            && object.iter().filter(|(_, v)| !v.is_null()).all(|(key, v)| {
                fields.iter().find(|f| f["name"].as_str() == Some(key)).is_some_and(|field| {
                    type_names(field).iter().any(|t| self.matches(t, v, Encoding::Json, files))
                        && fixed_value_matches(field, v)
                })
            })
    }
}

fn type_names(field: &Value) -> Vec<String> {
    field["types"]
        .as_array()
        .map(|t| t.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Discriminating fields such as a scope's `type` state their one value in the description: `must be chat`.
fn fixed_value_matches(field: &Value, value: &Value) -> bool {
    let description = field["description"].as_str().unwrap_or_default();
    match (description.rsplit_once("must be "), value.as_str()) {
        (Some((_, expected)), Some(actual)) if field["name"] == "type" => {
            expected.trim().trim_matches(|c: char| !c.is_alphanumeric() && c != '_') == actual
        }
        _ => true,
    }
}
