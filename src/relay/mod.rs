//! The relay: a WebSocket server that streams the engine's state to remote viewers (`signalos
//! view`, `signalos ctl`, browsers) and takes their commands through the engine's gate; and the
//! client those use. docs/relay-protocol.md is the contract.

pub mod local;
pub mod protocol;
pub mod server;
