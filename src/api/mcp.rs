//! The MCP server: tool discovery and tool calls, each checked against the caller's token.
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use tokio::time::Instant;

use super::ApiContext;
use super::tools::{self, error_envelope};
use crate::domain::tokens::Caller;

#[derive(Clone)]
pub struct AccessCodeServer {
    context: Arc<ApiContext>,
}

impl AccessCodeServer {
    pub fn new(context: Arc<ApiContext>) -> Self {
        Self { context }
    }
}

/// The caller the auth middleware put into the HTTP request that carried this MCP request.
fn caller_of(request: &RequestContext<RoleServer>) -> Option<Caller> {
    request.extensions.get::<http::request::Parts>()?.extensions.get::<Caller>().cloned()
}

impl ServerHandler for AccessCodeServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("accessbot", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Generate and track single-use access codes for your Telegram plans. Codes are delivered only in \
                 Telegram, into your linked chat; generation is a queued job to poll with get_job_status.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::all()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(caller) = caller_of(&context) else {
            return Err(ErrorData::internal_error("the request carries no authenticated caller", None));
        };
        if let Err(limited) = self.context.limiter.check(caller.token_id, Instant::now()) {
            return Ok(CallToolResult::structured_error(error_envelope(&limited)).into());
        }
        let outcome = tools::call(&self.context, &caller, &request.name, request.arguments.as_ref()).await;
        match outcome {
            None => Err(ErrorData::invalid_params(format!("there is no tool named {:?}", request.name), None)),
            Some(Ok(value)) => Ok(CallToolResult::structured(value).into()),
            Some(Err(error)) => Ok(CallToolResult::structured_error(error_envelope(&error)).into()),
        }
    }
}
