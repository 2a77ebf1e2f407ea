//! An MCP client (rmcp's own, over real HTTP) and the tokens it presents.
#![allow(dead_code)]

use accessbot::domain::clock::now;
use accessbot::domain::tokens::{self, Abilities};
use rmcp::RoleClient;
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig};
use rmcp::service::{RunningService, ServiceExt};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::{Value, json};

use super::TestApp;
use super::app::within;

pub const ALL_ABILITIES: &str = "mcp:full,project-access-code:create,project-access-code:view-any";

pub type McpClient = RunningService<RoleClient, ClientConfig>;

impl TestApp {
    pub fn mcp_url(&self) -> String {
        format!("http://{}/mcp", self.http_addr)
    }

    /// A token for the creator `user_id`, made the way the operator's command line makes one.
    pub async fn token(&self, user_id: i64, abilities: &str) -> String {
        let creator = self.creator(user_id).await;
        let abilities = Abilities::parse_list(abilities).unwrap();
        tokens::create_token(&self.db, &self.secret, &creator, "test agent", abilities, now()).await.unwrap().plaintext
    }

    /// Connects and initialises, as a desktop MCP client would.
    pub async fn try_mcp(&self, token: Option<&str>) -> Result<McpClient, String> {
        let mut config = StreamableHttpClientTransportConfig::with_uri(self.mcp_url());
        if let Some(token) = token {
            config = config.auth_header(token);
        }
        let transport = StreamableHttpClientTransport::from_config(config);
        within("the MCP handshake", ClientConfig::default().serve(transport))
            .await
            .map_err(|error| format!("{error:?}"))
    }

    pub async fn mcp(&self, token: &str) -> McpClient {
        self.try_mcp(Some(token)).await.expect("the MCP client connects")
    }
}

/// Calls a tool; a transport or protocol failure is the `Err`.
pub async fn try_call(client: &McpClient, tool: &str, arguments: Value) -> Result<CallToolResult, String> {
    let arguments = match arguments {
        Value::Object(map) => map,
        other => panic!("tool arguments must be an object, got {other}"),
    };
    let call = client.call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(arguments));
    within(&format!("the MCP tool {tool}"), call).await.map_err(|error| format!("{error:?}"))
}

/// Calls a tool and returns its structured content, asserting it is not an error.
pub async fn call_ok(client: &McpClient, tool: &str, arguments: Value) -> Value {
    let result = try_call(client, tool, arguments).await.expect("the tool call goes through");
    assert_ne!(result.is_error, Some(true), "{tool} failed: {:?}", result.structured_content);
    result.structured_content.expect("a structured result")
}

/// Calls a tool that must fail and returns its error envelope's `error` object.
pub async fn call_err(client: &McpClient, tool: &str, arguments: Value) -> Value {
    let result = try_call(client, tool, arguments).await.expect("the tool call goes through");
    assert_eq!(result.is_error, Some(true), "{tool} should have failed: {:?}", result.structured_content);
    let envelope = result.structured_content.expect("a structured error");
    let text: Value = serde_json::from_str(result.content[0].as_text().expect("a text copy").text.as_str()).unwrap();
    assert_eq!(text, envelope, "the text content mirrors the structured content");
    envelope["error"].clone()
}

/// Plain HTTP, for what an MCP client does not show: status codes and bodies of refusals.
pub async fn raw_post(url: &str, token: Option<&str>) -> (u16, Value, Option<String>) {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = within("an answer from /mcp", request.send()).await.unwrap();
    let status = response.status().as_u16();
    let challenge = response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, challenge)
}
