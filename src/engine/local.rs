//! The engine as a [`Client`] in its own process: what the console of `signalos run` is given.

use crate::api::{
    Action, Client, Command, Feed, Gone, LogLine, Origin, Reply, Role, Step, Subscribe,
};
use crate::telemetry::LogBuffer;

use super::handle::EngineHandle;

#[derive(Debug, Clone)]
pub struct Local {
    engine: EngineHandle,
    /// Who this client's commands come from.
    origin: Origin,
    logs: LogBuffer,
}

impl Local {
    pub fn new(engine: EngineHandle, origin: Origin, logs: LogBuffer) -> Local {
        Local {
            engine,
            origin,
            logs,
        }
    }
}

impl Subscribe for Local {
    async fn subscribe(&self) -> Result<Feed, Gone> {
        Subscribe::subscribe(&self.engine).await
    }
}

impl Client for Local {
    async fn command(&self, action: Action) -> Result<Reply, Gone> {
        let command = Command {
            origin: self.origin.clone(),
            action,
        };
        Ok(self.engine.command(command).await?)
    }

    async fn story(&self, signal: u64) -> Result<Result<Option<Vec<Step>>, String>, Gone> {
        Ok(self.engine.story(signal).await?)
    }

    async fn log(&self, lines: usize) -> Result<Vec<LogLine>, Gone> {
        Ok(self.logs.recent(lines, tracing::Level::TRACE))
    }

    fn role(&self) -> Role {
        self.origin.role
    }
}
